package notesimport

import (
	"fmt"
	"strconv"

	"github.com/talkdex/talkdex/internal/catalog"
)

// DefaultMinConfidence is the confidence below which a part is reported
// unmatched: users prefer a part to place by hand over a note on the wrong
// talk.
const DefaultMinConfidence = 0.75

// Matching constants. They were set against the demo catalog and the
// example post; the tests pin the behaviour they buy.
const (
	// A title found outside the events the heading names is less likely
	// the same talk, so its score is scaled down. Within the heading's own
	// series it is most likely another edition's talk of the same name
	// ("OpenLI Update" is given every year): never attached. In another
	// series only an exact title survives the penalty.
	penaltySameSeries  = 0.7
	penaltyOtherSeries = 0.8
	// With no heading naming a catalog event or series, every event is as
	// likely: some doubt is added, more when the heading's year differs.
	penaltyUnknownEvent = 0.9
	penaltyOtherYear    = 0.8
	// Two different talks within this of each other are a coin toss.
	ambiguityMargin = 0.04
	// A titled part whose best candidate scores below this (before any
	// penalty) names a talk the catalog does not hold. Between this and
	// MinConfidence it is merely uncertain, and creating a record would
	// risk a duplicate.
	missingBelow = 0.6
	// Rule 3: a part naming only an event matches by distinctive title
	// words in its notes: looseBase + loosePerHit per word, capped.
	looseBase    = 0.7
	loosePerHit  = 0.05
	looseCap     = 0.9
	looseMinHits = 2
	looseWeak    = 0.5 // one word, or several plausible talks: a suggestion only
	// Below this a best candidate is noise, not worth showing the user.
	suggestionFloor = 0.4
)

// Candidate is a catalog talk as the matcher sees it.
type Candidate struct {
	ID       int64
	Title    string
	Series   string
	Event    string
	Year     int
	Speakers []string
}

// CandidateFromTalk makes a candidate of a catalog record.
func CandidateFromTalk(t *catalog.Talk) Candidate {
	return Candidate{ID: t.ID, Title: t.Title, Series: t.Series, Event: t.Event, Year: t.Year, Speakers: t.SpeakerNames()}
}

// Match is the outcome for one part.
type Match struct {
	Part Part
	// Talk is the matched talk, nil when the part is unmatched.
	Talk *Candidate
	// Confidence is the match's (0..1). For an unmatched part it is that
	// of the best candidate, halved when the part was ambiguous.
	Confidence float64
	// Rating is the stars suggested by the verdict, 0 for none. It is for
	// the user to confirm.
	Rating int
	// Missing is set when the part names a talk by title, nothing in the
	// catalog comes close, and the heading names an event to create it
	// under: the record for --create-missing. Series, Event, Year and Title
	// are filled.
	Missing *catalog.Talk
	// Suggestion is the best candidate of an unmatched part when there was
	// one worth showing; never to be applied without the user.
	Suggestion *Candidate
	// Reason says why an unmatched part is unmatched, "" when matched.
	Reason string
}

// Options tune matching.
type Options struct {
	// MinConfidence is the least confidence to attach a part to a talk;
	// 0 means DefaultMinConfidence.
	MinConfidence float64
}

func (o Options) withDefaults() Options {
	if o.MinConfidence <= 0 {
		o.MinConfidence = DefaultMinConfidence
	}
	return o
}

// MatchParts finds the catalog talk of each part. The result has one Match
// per part, in the parts' order. No talk is given to two parts: the less
// confident claim is demoted to unmatched.
func MatchParts(parts []Part, cands []Candidate, opt Options) []Match {
	opt = opt.withDefaults()
	m := newMatcher(cands, opt)
	out := make([]Match, len(parts))
	for i, p := range parts {
		if p.Title != "" {
			out[i] = m.matchTitled(p)
		} else {
			out[i] = m.matchLoose(p)
		}
		out[i].Rating = SuggestRating(p.Verdict)
	}
	demoteDuplicates(out)
	return out
}

type matcher struct {
	opt     Options
	cands   []Candidate
	full    []titleForm
	main    []titleForm
	weights tokenWeights
	events  *eventIndex
}

func newMatcher(cands []Candidate, opt Options) *matcher {
	m := &matcher{opt: opt, cands: cands, events: newEventIndex(cands)}
	m.full = make([]titleForm, len(cands))
	m.main = make([]titleForm, len(cands))
	for i, c := range cands {
		m.full[i] = newTitleForm(c.Title)
		if mt := mainTitle(c.Title); mt != c.Title {
			m.main[i] = newTitleForm(mt)
		}
	}
	m.weights = newTokenWeights(m.full)
	return m
}

// scored is a candidate index with its score.
type scored struct {
	idx   int
	score float64
}

// matchTitled applies rules 1 and 2: every catalog title is scored against
// the part's, and scaled by how well its event fits the heading, so that
// the heading's own events come first and the rest of the catalog counts
// only with a penalty.
func (m *matcher) matchTitled(p Part) Match {
	res := m.events.resolve(p.Heading, true)
	fit := m.eventFit(res)
	q := newTitleForm(p.Title)
	first, second := scored{idx: -1}, scored{idx: -1}
	rawBest := 0.0
	for i := range m.cands {
		raw := m.weights.titleScore(q, m.full[i], m.main[i])
		rawBest = max(rawBest, raw)
		s := raw * fit(i)
		switch {
		case first.idx < 0 || s > first.score:
			first, second = scored{i, s}, first
		case second.idx < 0 || s > second.score:
			second = scored{i, s}
		}
	}
	mt := m.decide(p, first, second)
	if mt.Talk == nil && rawBest < missingBelow {
		mt.Missing = m.missingTalk(p, res)
		mt.Reason = "no catalog talk has this title"
		if mt.Missing == nil {
			mt.Reason += "; the heading names no event to create it under"
		}
	}
	return mt
}

// eventFit returns the factor a candidate's title score is scaled by, from
// how its event fits what the heading names.
func (m *matcher) eventFit(res resolution) func(int) float64 {
	inEvent := m.eventScope(res.events)
	return func(i int) float64 {
		c := m.cands[i]
		switch {
		case inEvent(i):
			return 1
		case res.named && c.Series == res.series:
			return penaltySameSeries
		case res.named:
			return penaltyOtherSeries
		case res.year != 0 && c.Year != 0 && c.Year != res.year:
			return penaltyOtherYear
		}
		return penaltyUnknownEvent
	}
}

// decide turns the two best candidates into a match, or an unmatched part
// with a suggestion when the best is too weak or not clearly the best.
func (m *matcher) decide(p Part, first, second scored) Match {
	mt := Match{Part: p}
	if first.idx < 0 {
		mt.Reason = "the catalog is empty"
		return mt
	}
	best := m.candidate(first.idx)
	mt.Confidence = first.score
	switch {
	case mt.Confidence < suggestionFloor:
		mt.Reason = "no catalog title comes close"
	case second.idx >= 0 && m.cands[second.idx].ID != best.ID && second.score >= first.score-ambiguityMargin:
		// Two talks fit about equally: attaching to either is a guess.
		mt.Suggestion = best
		mt.Confidence = min(mt.Confidence, m.opt.MinConfidence) / 2
		mt.Reason = fmt.Sprintf("ambiguous: %s and %s fit equally well", describe(best), describe(m.candidate(second.idx)))
	case mt.Confidence >= m.opt.MinConfidence:
		mt.Talk = best
	default:
		mt.Suggestion = best
		mt.Reason = fmt.Sprintf("best candidate %s scores %.2f, below %.2f", describe(best), mt.Confidence, m.opt.MinConfidence)
	}
	return mt
}

func (m *matcher) eventScope(events []int) func(int) bool {
	names := map[string]bool{}
	for _, ei := range events {
		names[m.events.events[ei].Event] = true
	}
	return func(i int) bool { return names[m.cands[i].Event] }
}

// candidate returns a copy, so that callers cannot alter the input.
func (m *matcher) candidate(i int) *Candidate {
	c := m.cands[i]
	c.Speakers = append([]string(nil), c.Speakers...)
	return &c
}

func describe(c *Candidate) string {
	return strconv.Quote(c.Title) + " (" + c.Event + ")"
}

// demoteDuplicates enforces rule 4: one part per talk. The most confident
// claim keeps the talk (the earlier part on a tie); the others become
// unmatched, pointing at the part that won. Likewise only the first of
// several parts naming the same missing talk carries the record to create,
// so that --create-missing never creates a talk twice.
func demoteDuplicates(ms []Match) {
	winner := map[int64]int{}
	for i, mt := range ms {
		if mt.Talk == nil {
			continue
		}
		if w, ok := winner[mt.Talk.ID]; !ok || mt.Confidence > ms[w].Confidence {
			winner[mt.Talk.ID] = i
		}
	}
	firstMissing := map[string]int{}
	for i := range ms {
		mt := &ms[i]
		if mt.Missing != nil {
			key := catalog.SourceKey(mt.Missing)
			if w, ok := firstMissing[key]; ok {
				mt.Missing = nil
				mt.Reason = fmt.Sprintf("no catalog talk has this title; the part at line %d names the same talk", ms[w].Part.Line)
			} else {
				firstMissing[key] = i
			}
		}
		if mt.Talk == nil {
			continue
		}
		if w := winner[mt.Talk.ID]; w != i {
			mt.Suggestion, mt.Talk = mt.Talk, nil
			mt.Reason = fmt.Sprintf("talk already matched by the part at line %d", ms[w].Part.Line)
		}
	}
}
