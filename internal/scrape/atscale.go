package scrape

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/talkdex/talkdex/internal/catalog"
)

// atscaleAdapter reads @Scale event pages (Networking @Scale and its sister
// conferences) on atscaleconference.com.
//
// Unchecked: no saved @Scale page exists here. The structure assumed is
// an event page, https://atscaleconference.com/events/<topic>-<YYYY>/, with
// an "Event agenda" that says its times are in PT: day headings ("August
// 31"), then one item a slot holding a time range ("11:00 AM - 11:25 AM"),
// a title linking to the talk's video page (/videos/<slug>/, kept as the
// video link), a description, and speaker lines "Speaker
// Name,Organisation". The class names used
// (.agenda-item and kin) are assumptions; the reading order — time, title,
// description, speakers — comes from the text of a public copy of an
// @Scale event page. Times are read in America/Los_Angeles.
type atscaleAdapter struct{}

func (atscaleAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:        "atscale",
		Series:      "Networking @Scale",
		URLPatterns: []string{"https://atscaleconference.com/events/<topic>-<YYYY>/"},
		Editions:    "networking-2023 → Networking @Scale 2023 (other topics: systems-2023 → Systems @Scale 2023)",
	}
}

// atscaleEdition splits "networking-2023" into the series and the year.
func atscaleEdition(edition string) (series string, year int, err error) {
	m := regexp.MustCompile(`^([a-z][a-z-]*?)-((?:19|20)\d\d)$`).FindStringSubmatch(strings.ToLower(strings.TrimSpace(edition)))
	if m == nil {
		return "", 0, catalog.Errorf(catalog.EINVALID, "atscale edition %q is not <topic>-<year>; e.g. networking-2023", edition)
	}
	words := strings.Split(m[1], "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	year, _ = strconv.Atoi(m[2])
	return strings.Join(words, " ") + " @Scale", year, nil
}

func (atscaleAdapter) EditionURLs(edition string) ([]string, error) {
	if _, _, err := atscaleEdition(edition); err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("https://atscaleconference.com/events/%s/", strings.ToLower(strings.TrimSpace(edition)))}, nil
}

func (atscaleAdapter) Match(u *url.URL) (string, bool) {
	if !hostIs(u, "atscaleconference.com") {
		return "", false
	}
	slug := firstMatch(`(?i)^/events/([a-z][a-z-]*-(?:19|20)\d\d)/?$`, u.Path)
	if slug == "" {
		return "", false
	}
	return strings.ToLower(slug), true
}

func (a atscaleAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	doc, err := pageDocument("atscale", page)
	if err != nil {
		return nil, err
	}
	edition := page.Edition
	if edition == "" {
		edition = editionFromURL(a, page.URL)
	}
	if edition == "" {
		// A saved page: "Networking @Scale 2023" in its title names it.
		if m := regexp.MustCompile(`(?i)\b([a-z][a-z ]*?)\s*@scale\s*((?:19|20)\d\d)\b`).FindStringSubmatch(doc.Find("title").Text()); m != nil {
			edition = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(m[1])), " ", "-") + "-" + m[2]
		}
	}
	series, year, err := atscaleEdition(edition)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "atscale: cannot tell the event of %s: %s", page.URL, catalog.ErrorMessage(err))
	}
	event := fmt.Sprintf("%s %d", series, year)
	rows := readAtscaleAgenda(doc, year, baseURL(page.URL), mustZone("America/Los_Angeles"))
	return &Result{
		Series: series,
		Event:  event,
		Talks:  agendaTalks("atscale", series, event, year, page.URL, rows),
		Path:   "atscale event agenda",
	}, nil
}

// readAtscaleAgenda reads the event agenda's items. The day headings carry
// no year, so the edition's year completes them.
func readAtscaleAgenda(doc *goquery.Document, year int, base *url.URL, zone *time.Location) []agendaRow {
	return readAgendaItems(doc, agendaOptions{base: base, zone: zone, year: year})
}
