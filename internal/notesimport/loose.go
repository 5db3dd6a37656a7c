package notesimport

import (
	"fmt"
	"sort"
)

// matchLoose applies rule 3 to a part that names no title: if its lead
// names an event ("From ESNOG … I saw this presentation"), the notes may
// name the talk by its distinctive words (EVPN, IXP, BUM). The match is
// confident only when exactly one talk of the event shares words with the
// notes, and at least looseMinHits of them.
func (m *matcher) matchLoose(p Part) Match {
	mt := Match{Part: p}
	res := m.events.resolve(p.Lead, false)
	if len(res.events) == 0 {
		mt.Reason = "names no talk: no title, and the first line names no catalog event"
		return mt
	}
	noteWords := wordSet(p.Lead + "\n" + p.Note)
	inEvent := m.eventScope(res.events)
	type plausible struct {
		idx  int
		hits int
	}
	var found []plausible
	for i := range m.cands {
		if !inEvent(i) {
			continue
		}
		if h := m.distinctiveHits(m.cands[i].Title, noteWords); h > 0 {
			found = append(found, plausible{i, h})
		}
	}
	sort.SliceStable(found, func(a, b int) bool { return found[a].hits > found[b].hits })
	switch {
	case len(found) == 0:
		mt.Reason = "names an event, but its notes share no distinctive word with any of its talks"
		return mt
	case len(found) == 1 && found[0].hits >= looseMinHits:
		conf := min(looseCap, looseBase+loosePerHit*float64(found[0].hits))
		mt.Confidence = conf
		if conf >= m.opt.MinConfidence {
			mt.Talk = m.candidate(found[0].idx)
			return mt
		}
	default:
		mt.Confidence = looseWeak
	}
	mt.Suggestion = m.candidate(found[0].idx)
	if len(found) > 1 {
		mt.Reason = fmt.Sprintf("names an event, and %d of its talks share words with the notes", len(found))
	} else {
		mt.Reason = fmt.Sprintf("names an event, but only %d distinctive word of %s is in the notes", found[0].hits, describe(mt.Suggestion))
	}
	return mt
}

// distinctiveHits counts the title's distinctive words found in the notes.
// A compound the notes glue together ("ProxyARP" for "proxy-ARP") counts
// for both of its words.
func (m *matcher) distinctiveHits(title string, notes map[string]bool) int {
	ws := words(title)
	hit := map[string]bool{}
	for i, w := range ws {
		t := stem(w)
		if !m.distinctive(w, t) {
			continue
		}
		if notes[t] {
			hit[t] = true
		}
		if i+1 < len(ws) && notes[stem(w+ws[i+1])] {
			hit[t] = true
			if n := stem(ws[i+1]); m.distinctive(ws[i+1], n) {
				hit[n] = true
			}
		}
	}
	return len(hit)
}

// distinctive says whether a title word could single a talk out: not a
// stop word, not generic, and long enough not to be an accident.
func (m *matcher) distinctive(word, tok string) bool {
	return len([]rune(word)) >= 3 && !isStopWord(word) && !m.weights.generic(tok)
}

// wordSet is the set of stemmed words of s, stop words included (they are
// never looked up), plus each pair of neighbours glued together, because
// notes split what titles glue ("open-source" for "Opensource").
func wordSet(s string) map[string]bool {
	set := map[string]bool{}
	ws := words(s)
	for i, w := range ws {
		set[stem(w)] = true
		if i+1 < len(ws) {
			set[stem(w+ws[i+1])] = true
		}
	}
	return set
}
