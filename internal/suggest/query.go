package suggest

import (
	"math"
	"strings"
)

const (
	// DefaultLimit is how many suggestions Suggest returns for limit 0.
	DefaultLimit = 8
	// MaxLimit caps limit: a completion list longer than this is a search.
	MaxLimit = 50

	// maxQueryRunes and maxQueryWords bound the work one keystroke can ask
	// for; anything beyond is ignored, as no completion needs it.
	maxQueryRunes = 200
	maxQueryWords = 8
	// maxVisits caps the postings one query visits per kind, should a
	// catalog far beyond 100k talks make even the cheapest walk long; the
	// answer is then the best of what was seen.
	maxVisits = 200_000
)

// Suggest completes query, returning at most limit suggestions (DefaultLimit
// when limit <= 0, at most MaxLimit), grouped by kind: titles, speakers,
// series, events. Every word of the query must be a prefix of a word of the
// entry, ignoring case and accents. Within a kind, entries whose first word
// the query's first word starts come first, then heavier ones (more talks;
// for titles the caller's weight), then shorter ones. The slots are shared
// out across kinds, so one kind with many matches does not crowd out the
// rest. An empty query, or one without a letter or digit, gets none. The
// result is never nil.
func (ix *Index) Suggest(query string, limit int) []Suggestion {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	words := queryWords(query)
	if len(words) == 0 {
		return []Suggestion{}
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	q := &plan{words: words}
	for _, w := range words {
		r := ix.dict.prefixRange(w)
		if r.lo == r.hi {
			return []Suggestion{}
		}
		set, counts := ix.dict.survey(r)
		q.ranges = append(q.ranges, r)
		q.matching = append(q.matching, set)
		q.counts = append(q.counts, counts)
	}
	var kinds [kindCount]kindPlan
	for k := range kinds {
		kinds[k] = q.planKind(kindIndex(k), limit)
	}

	// Entries whose first word the query's first word starts outrank all
	// others. They are few for all but the shortest prefixes, and when they
	// fill a kind's list the rest of that kind needs no look: that keeps
	// "p" or "py" fast.
	ix.dict.walk(q.ranges[0], func(l *postingList) {
		if kp := &kinds[l.kind]; l.first && kp.firstPass {
			ix.scan(q, kp, l.ids, 0, true)
		}
	})
	for k := range kinds {
		kp := &kinds[k]
		kp.done = kp.done || kp.firstPass && kp.top.full()
		// Once every first-word match is in the list, whatever else the
		// walk meets ranks as a plain match, which lets most candidates
		// be turned down on weight and length alone.
		kp.mayBeFirst = !kp.firstPass || kp.budget < 0
	}
	// The other matches come from the postings of each kind's rarest word;
	// kinds that share it share the walk.
	for d := range q.words {
		pending := false
		for k := range kinds {
			pending = pending || !kinds[k].done && kinds[k].driver == d
		}
		if !pending {
			continue
		}
		ix.dict.walk(q.ranges[d], func(l *postingList) {
			if kp := &kinds[l.kind]; !kp.done && kp.driver == d {
				ix.scan(q, kp, l.ids, d, false)
			}
		})
	}
	return ix.shareOut(&kinds, limit)
}

// plan is a query, folded and looked up.
type plan struct {
	words  []string
	ranges []tokenRange // the tokens each word starts
	// matching holds the same tokens as ranges, as sets, so checking a
	// candidate's words costs no string comparison.
	matching []tokenSet
	counts   []postingCounts // the postings under each range
}

// kindPlan is the search for one kind of entry.
type kindPlan struct {
	top        topList
	driver     int  // the query word whose postings are walked
	firstPass  bool // walk the first word's first-word postings first
	mayBeFirst bool // a candidate not in top may still be a first-word match
	done       bool
	budget     int // postings left to visit
}

func (q *plan) planKind(k kindIndex, limit int) kindPlan {
	kp := kindPlan{
		top:    topList{items: make([]candidate, 0, limit), limit: limit},
		budget: maxVisits,
	}
	// Walk the postings of the rarest word and check the others on each
	// candidate: the rarest bounds the candidates.
	cheapest := math.MaxInt
	for i, c := range q.counts {
		if n := c[k][0] + c[k][1]; n < cheapest {
			kp.driver, cheapest = i, n
		}
	}
	kp.done = cheapest == 0 // a word no entry of this kind has
	kp.firstPass = !kp.done && q.counts[0][k][1] <= cheapest
	return kp
}

// scan offers the entries ids, postings of the query word at driver
// (first-word postings when first), that have all the query's words. It
// stops when the kind's budget runs out.
func (ix *Index) scan(q *plan, kp *kindPlan, ids []entryID, driver int, first bool) {
	top := &kp.top
	for _, e := range ids {
		if kp.budget--; kp.budget < 0 {
			return
		}
		h := &ix.hot[e]
		// Rank on what the hot array knows first: most candidates of a
		// short prefix cannot beat a full list even at best, and need no
		// look at their words.
		c := candidate{id: e, first: first || kp.mayBeFirst, weight: h.weight, length: h.length}
		if top.full() && !ix.better(c, top.worst()) {
			continue
		}
		if len(q.words) > 1 && !ix.hasAllWords(e, q, driver) {
			continue
		}
		c.first = first || ix.firstWordMatches(e, q.matching[0])
		top.offer(ix, c)
	}
}

// queryWords folds a query into at most maxQueryWords words, reading at
// most maxQueryRunes runes of it.
func queryWords(query string) []string {
	runes := 0
	for i := range query {
		if runes == maxQueryRunes {
			query = query[:i]
			break
		}
		runes++
	}
	var words []string
	foldWords(query, func(w, _ string) bool {
		words = append(words, w)
		return len(words) < maxQueryWords
	})
	return words
}

// hasAllWords reports whether every query word but the one at skip (whose
// postings led here) starts some word of entry e.
func (ix *Index) hasAllWords(e entryID, q *plan, skip int) bool {
	tokens := ix.entries[e].tokens
	for i, set := range q.matching {
		if i == skip {
			continue
		}
		found := false
		for _, t := range tokens {
			if set.has(t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (ix *Index) firstWordMatches(e entryID, set tokenSet) bool {
	en := &ix.entries[e]
	for _, t := range en.tokens[:en.firstSpan] {
		if set.has(t) {
			return true
		}
	}
	return false
}

// candidate is an entry ranked for one query.
type candidate struct {
	id     entryID
	first  bool // the query's first word starts the entry's first word
	weight int32
	length uint16
}

// better is the ranking: first-word matches, then weight, then shorter,
// then the text and the id, so that equal candidates come in a stable
// order.
func (ix *Index) better(a, b candidate) bool {
	if a.first != b.first {
		return a.first
	}
	if a.weight != b.weight {
		return a.weight > b.weight
	}
	if a.length != b.length {
		return a.length < b.length
	}
	if c := strings.Compare(ix.entries[a.id].text, ix.entries[b.id].text); c != 0 {
		return c < 0
	}
	return a.id < b.id
}

// topList keeps the best candidates of one kind, best first.
type topList struct {
	items []candidate
	limit int
}

func (t *topList) full() bool       { return len(t.items) == t.limit }
func (t *topList) worst() candidate { return t.items[len(t.items)-1] }

// offer inserts c in rank order unless it is there already (an entry with
// two words starting with the prefix is met twice) or ranks below a full
// list.
func (t *topList) offer(ix *Index, c candidate) {
	for _, it := range t.items {
		if it.id == c.id {
			return
		}
	}
	if t.full() {
		if !ix.better(c, t.worst()) {
			return
		}
		t.items = t.items[:len(t.items)-1]
	}
	i := len(t.items)
	for i > 0 && ix.better(c, t.items[i-1]) {
		i--
	}
	t.items = append(t.items, candidate{})
	copy(t.items[i+1:], t.items[i:])
	t.items[i] = c
}

// shareOut fills limit slots from the kinds' lists: a first-word match
// before any other, and otherwise the kind with fewest slots so far, so
// titles (always the most numerous) leave room for a speaker or a series.
// The result is grouped by kind, in rank order within each.
func (ix *Index) shareOut(kinds *[kindCount]kindPlan, limit int) []Suggestion {
	var tops [kindCount]*topList
	for k := range kinds {
		tops[k] = &kinds[k].top
	}
	var taken [kindCount]int
	for n := 0; n < limit; n++ {
		pick := -1
		for k := range tops {
			if taken[k] == len(tops[k].items) {
				continue
			}
			if pick < 0 || prefers(tops[k].items[taken[k]], taken[k], tops[pick].items[taken[pick]], taken[pick]) {
				pick = k
			}
		}
		if pick < 0 {
			break
		}
		taken[pick]++
	}
	out := make([]Suggestion, 0, limit)
	for k := range tops {
		for _, c := range tops[k].items[:taken[k]] {
			out = append(out, ix.suggestion(c.id))
		}
	}
	return out
}

// prefers says whether candidate a, of a kind that already has takenA
// slots, should take the next slot before b.
func prefers(a candidate, takenA int, b candidate, takenB int) bool {
	if a.first != b.first {
		return a.first
	}
	return takenA < takenB
}

func (ix *Index) suggestion(e entryID) Suggestion {
	en := &ix.entries[e]
	h := ix.hot[e]
	s := Suggestion{Kind: kindOf(h.kind), Text: en.text}
	if h.kind != titleKind {
		s.Count = int(h.count)
		return s
	}
	s.TalkID = bestTitle(en.titles).talk
	if len(en.titles) > 1 {
		s.Count = len(en.titles)
	}
	return s
}
