package notesimport

import (
	"sort"
	"strings"

	"github.com/talkdex/talkdex/internal/editdist"
)

// eventRef is one catalog event as the candidates name it.
type eventRef struct {
	Series, Event string
	Year          int
	tokens        []string // nameTokens(Event)
}

// seriesRef is one catalog series and its events.
type seriesRef struct {
	Name    string
	compact string // nameTokens joined: "networkingscale", "awsreinvent"
	ntoks   int
	events  []int // indexes into eventIndex.events
}

// eventIndex resolves the names a post uses for events ("Networking Scale
// 2023", "From ESNOG …", "DENOG 9") to the catalog's events.
type eventIndex struct {
	events []eventRef
	series []seriesRef
}

// resolution is what a heading or lead names: events of the catalog, and
// the series and year it names even when no event of the catalog fits
// (which is what a record for a missing talk is created under).
type resolution struct {
	events []int
	series string // catalog spelling, "" if the text names no known series
	year   int
	named  bool // the text names a catalog event or series at all
}

func newEventIndex(cands []Candidate) *eventIndex {
	x := &eventIndex{}
	seenEvent := map[string]int{}
	seenSeries := map[string]int{}
	for _, c := range cands {
		if c.Event == "" {
			continue
		}
		if _, ok := seenEvent[c.Event]; !ok {
			seenEvent[c.Event] = len(x.events)
			x.events = append(x.events, eventRef{Series: c.Series, Event: c.Event, Year: c.Year, tokens: nameTokens(c.Event)})
		}
	}
	// Sorted so that resolution never depends on the candidates' order.
	sort.Slice(x.events, func(i, j int) bool { return x.events[i].Event < x.events[j].Event })
	for i, e := range x.events {
		name := e.Series
		if name == "" {
			continue
		}
		si, ok := seenSeries[name]
		if !ok {
			toks := nameTokens(name)
			si = len(x.series)
			seenSeries[name] = si
			x.series = append(x.series, seriesRef{Name: name, compact: strings.Join(toks, ""), ntoks: len(toks)})
		}
		x.series[si].events = append(x.series[si].events, i)
	}
	return x
}

// resolve finds the events text names. A heading is matched fuzzily (it is
// written by hand: "Networking Scale 2023" for "Networking @Scale 2023");
// a lead line is prose, so only exact names count there, or ordinary words
// would resolve to series.
func (x *eventIndex) resolve(text string, fuzzy bool) resolution {
	toks := nameTokens(text)
	if len(toks) == 0 {
		return resolution{}
	}
	res := resolution{year: firstYear(toks)}
	// An event named in full, in order: "DENOG 9", "AusNOG 2023".
	for i, e := range x.events {
		if len(e.tokens) > 0 && indexRun(toks, e.tokens) >= 0 {
			res.events = append(res.events, i)
		}
	}
	if len(res.events) > 0 {
		// A text naming "NZNOG 2024 Workshop" names "NZNOG 2024" too; the
		// longer name is the one meant.
		res.events = longestNames(x.events, res.events)
		e := x.events[res.events[0]]
		res.series, res.named = e.Series, true
		if res.year == 0 && len(res.events) == 1 {
			res.year = e.Year
		}
		return res
	}
	si, end := x.findSeries(toks, fuzzy)
	if si < 0 {
		return res
	}
	s := x.series[si]
	res.series, res.named = s.Name, true
	switch {
	case res.year != 0:
		for _, ei := range s.events {
			if x.events[ei].Year == res.year {
				res.events = append(res.events, ei)
			}
		}
	case end < len(toks) && isNumber(toks[end]):
		// An edition number after the series: "DENOG 11" when the catalog
		// has no DENOG11 resolves to nothing, not to every DENOG.
		want := s.compact + toks[end]
		for _, ei := range s.events {
			if strings.Join(x.events[ei].tokens, "") == want {
				res.events = append(res.events, ei)
			}
		}
	default:
		res.events = append(res.events, s.events...)
	}
	return res
}

// findSeries looks for a run of tokens spelling a series, glued or not
// ("Networking Scale", "AWS reInvent"). It returns the series and the index
// just after the run, or -1.
func (x *eventIndex) findSeries(toks []string, fuzzy bool) (int, int) {
	bestSeries, bestEnd, bestScore := -1, 0, 0.0
	for si, s := range x.series {
		for i := range toks {
			for n := 1; n <= s.ntoks+1 && i+n <= len(toks); n++ {
				span := strings.Join(toks[i:i+n], "")
				score := 0.0
				switch {
				case span == s.compact:
					score = 1
				case fuzzy && len(s.compact) >= 6 && len(span) >= 6:
					// One typo in a long name: "Netwroking Scale".
					if editdist.Distance(span, s.compact) <= 1 {
						score = 0.9
					}
				}
				// Prefer exact, then longer series names ("AWS re:Invent" over a
				// hypothetical "AWS").
				if score > bestScore || (score == bestScore && score > 0 && len(s.compact) > len(x.series[bestSeries].compact)) {
					bestSeries, bestEnd, bestScore = si, i+n, score
				}
			}
		}
	}
	return bestSeries, bestEnd
}

// longestNames keeps the events with the most name tokens among found.
func longestNames(events []eventRef, found []int) []int {
	most := 0
	for _, i := range found {
		most = max(most, len(events[i].tokens))
	}
	var out []int
	for _, i := range found {
		if len(events[i].tokens) == most {
			out = append(out, i)
		}
	}
	return out
}

func indexRun(hay, needle []string) int {
	for i := 0; i+len(needle) <= len(hay); i++ {
		if containsRun(hay[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}

func firstYear(toks []string) int {
	for _, t := range toks {
		if y := yearOf(t); y != 0 {
			return y
		}
	}
	return 0
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
