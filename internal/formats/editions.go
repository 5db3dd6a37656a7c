package formats

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	// Schedules name their zone (Europe/Brussels) and the offsets must not
	// depend on whether the host has a zoneinfo database.
	_ "time/tzdata"
)

// Conference naming shared by the schedule readers (frab XML, c3voc JSON,
// and whoever else reads a schedule that names its conference): how a
// conference's title and acronym become a series and an edition.

// Series names with a house style of their own.
const (
	seriesCCCongress = "Chaos Communication Congress"
	seriesCCCamp     = "Chaos Communication Camp"
)

// congressNumber finds the number of a CCC congress in its acronym ("31c3")
// or its title ("31st Chaos Communication Congress", "37C3: Unlocked").
// The patterns are compiled per call: it runs once per schedule, and the
// package keeps no variables.
func congressNumber(title, acronym string) (int, bool) {
	if m := regexp.MustCompile(`(?i)^(\d{1,3})c3$`).FindStringSubmatch(strings.TrimSpace(acronym)); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, n > 0
	}
	if m := regexp.MustCompile(`(?i)\b(\d{1,3})(?:st|nd|rd|th)\s+Chaos\s+Communication\s+Congress\b`).FindStringSubmatch(title); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, n > 0
	}
	if m := regexp.MustCompile(`(?i)^(\d{1,3})c3\b`).FindStringSubmatch(strings.TrimSpace(title)); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, n > 0
	}
	return 0, false
}

// campYear finds the year of a CCC camp in its acronym ("camp2019") or its
// title ("Chaos Communication Camp 2019").
func campYear(title, acronym string) (int, bool) {
	if m := regexp.MustCompile(`(?i)^camp[-_ ]?((?:19|20)\d\d)$`).FindStringSubmatch(strings.TrimSpace(acronym)); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y, true
	}
	if m := regexp.MustCompile(`(?i)\bChaos\s+Communication\s+Camp\s+((?:19|20)\d\d)\b`).FindStringSubmatch(title); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y, true
	}
	return 0, false
}

// editionNames names the series and the edition (catalog event) of a
// conference from what its schedule says about itself: its title, its
// acronym (slug) and the year it took place (0 when unknown).
//
//   - CCC congresses go by their number: "31st Chaos Communication
//     Congress" or acronym 31c3 → series "Chaos Communication Congress",
//     event "31C3".
//   - CCC camps: "Chaos Communication Camp 2019" or acronym camp2019 →
//     series "Chaos Communication Camp", event "Camp 2019".
//   - Numbered editions, a name glued or spaced to a small number:
//     "DENOG15", "UKNOF53", "RIPE 88" → series "DENOG", "UKNOF", "RIPE",
//     event the title as it is.
//   - Otherwise the series is the title without its year (FOSDEM 2025 →
//     FOSDEM; see seriesFromEvent) and the event is the title. A title with
//     no year and no number in it ("DemoCon") gets the year appended to
//     the event ("DemoCon 2022"), so that next year's edition is another
//     event rather than the same one.
//   - No title at all: the acronym made readable ("fosdem-2025" → "FOSDEM
//     2025", see titleFromSlug) stands in for it.
//
// Both results are "" when neither title nor acronym says anything.
func editionNames(title, acronym string, year int) (series, event string) {
	title, acronym = strings.Join(strings.Fields(title), " "), strings.TrimSpace(acronym)
	if n, ok := congressNumber(title, acronym); ok {
		return seriesCCCongress, strconv.Itoa(n) + "C3"
	}
	if y, ok := campYear(title, acronym); ok {
		return seriesCCCamp, "Camp " + strconv.Itoa(y)
	}
	if title == "" {
		if acronym == "" {
			return "", ""
		}
		title = titleFromSlug(acronym)
	}
	if stem, ok := numberedEdition(title); ok {
		return stem, title
	}
	series = seriesFromEvent(title)
	event = title
	if year != 0 && yearFromTitle(title) == 0 && !strings.ContainsFunc(title, unicode.IsDigit) {
		event = title + " " + strconv.Itoa(year)
	}
	return series, event
}

// numberedEdition splits "DENOG15", "UKNOF 53" or "GPN21" into the series
// name and reports whether the title is just that: one word of letters and
// a number of one to three digits (a four-digit number is a year, handled
// by seriesFromEvent).
func numberedEdition(title string) (stem string, ok bool) {
	m := regexp.MustCompile(`^(\p{L}[\p{L}&.-]*?)[ -]?(\d{1,3})$`).FindStringSubmatch(title)
	if m == nil {
		return "", false
	}
	stem = strings.TrimRight(m[1], "-.")
	letters := 0
	for _, r := range stem {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return stem, letters >= 2
}

// seriesZone is the time zone of series whose schedules, in some years,
// give wall-clock times without naming a zone (FOSDEM before 2025). It is
// only used when the schedule itself says nothing.
func seriesZone(series string) string {
	switch series {
	case "FOSDEM":
		return "Europe/Brussels"
	case seriesCCCongress, seriesCCCamp:
		return "Europe/Berlin"
	}
	return ""
}

// scheduleZone loads an IANA zone name; "" or an unknown name gives nil.
func scheduleZone(name string) *time.Location {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// editionSlug makes a key-safe slug of an edition ("FOSDEM 2007" →
// "fosdem-2007") for source keys of schedules that give their talks only
// per-conference numeric ids.
func editionSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}
