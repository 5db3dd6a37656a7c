package notesimport

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/talkdex/talkdex/internal/catalog"
)

// missingTalk builds the record of a talk the catalog lacks, under the
// event the heading names: the catalog's own event when the heading
// resolves to exactly one, else one derived from the heading's series and
// year. It returns nil when the heading names no event (no heading, or a
// series with several events and no year to choose among them), because a
// record filed under a guessed event is worse than none.
func (m *matcher) missingTalk(p Part, res resolution) *catalog.Talk {
	t := &catalog.Talk{Title: p.Title}
	switch {
	case len(res.events) == 1:
		e := m.events.events[res.events[0]]
		t.Series, t.Event, t.Year = e.Series, e.Event, e.Year
	case len(res.events) > 1 || strings.TrimSpace(p.Heading) == "":
		return nil
	case res.series != "" && res.year != 0:
		// A new edition of a known series, spelled the catalog's way:
		// "Networking Scale 2024" → "Networking @Scale 2024".
		t.Series, t.Year = res.series, res.year
		t.Event = res.series + " " + strconv.Itoa(res.year)
	case res.series != "":
		t.Series, t.Event = res.series, catalog.CleanText(p.Heading)
	default:
		t.Event = catalog.CleanText(p.Heading)
		t.Series, t.Year = seriesFromHeading(p.Heading)
	}
	t.Normalize()
	if t.Validate() != nil {
		return nil
	}
	return t
}

// seriesFromHeading drops the year from a heading naming an unknown event:
// "Foo Summit 2022" is "Foo Summit" of 2022; an edition number goes too,
// so "RIPE 87" is of the series "RIPE".
func seriesFromHeading(heading string) (string, int) {
	year := 0
	var kept []string
	for _, f := range strings.Fields(heading) {
		core := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if y := yearOf(core); y != 0 && year == 0 {
			year = y
			continue
		}
		kept = append(kept, f)
	}
	if n := len(kept); n > 1 && isNumber(strings.Trim(kept[n-1], "#")) {
		kept = kept[:n-1]
	}
	series := strings.Trim(strings.Join(kept, " "), " -–—:,@")
	if series == "" {
		series = catalog.CleanText(heading)
	}
	return series, year
}
