package scrape

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/talkdex/talkdex/internal/catalog"
)

// nanogAdapter reads NANOG meeting agendas.
//
// Unchecked: no saved NANOG page exists here. Two sites are known from
// links in public repositories: archive.nanog.org/meetings/nanog<N>/
// (older meetings, slides under presentations/<Day>/) and
// nanog.org/events/nanog-<N>/ (recent meetings, an agenda/ page and one
// content/<id>/ page a talk). Assumed for the archive agenda
// (https://archive.nanog.org/meetings/nanog<N>/agenda), from published
// scrapers whose comments quote its cells: one table.table_agenda headed
// "Time/Webcast", "Room", "Topic/Abstract", "Presenter/Sponsor",
// "Presentation Files"; the topic cell holds the title then an abstract
// toggle, the presenter cell a ul.agenda_speakers with one "Name ,
// Affiliation" item a person. The recent agenda's markup is not known; it
// is read with the same table reader and, failing that, as a list of
// agenda items. Which meeting moved to the new site is a guess (76). The
// venue's zone is not on the page, so talks get durations but no start
// times.
type nanogAdapter struct{}

// nanogNewSiteFrom is the first meeting assumed to be on nanog.org/events.
const nanogNewSiteFrom = 76

func (nanogAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:   "nanog",
		Series: "NANOG",
		URLPatterns: []string{
			"https://archive.nanog.org/meetings/nanog<N>/agenda",
			"https://nanog.org/events/nanog-<N>/agenda/",
		},
		Editions: "89 → NANOG 89",
	}
}

func (nanogAdapter) EditionURLs(edition string) ([]string, error) {
	n, err := numberEdition("nanog", edition, 89)
	if err != nil {
		return nil, err
	}
	if n < nanogNewSiteFrom {
		return []string{fmt.Sprintf("https://archive.nanog.org/meetings/nanog%d/agenda", n)}, nil
	}
	return []string{fmt.Sprintf("https://nanog.org/events/nanog-%d/agenda/", n)}, nil
}

func (nanogAdapter) Match(u *url.URL) (string, bool) {
	if !hostIs(u, "nanog.org") {
		return "", false
	}
	n := firstMatch(`(?i)/nanog-?(\d{1,3})(?:/|$)`, u.Path)
	if n == "" {
		return "", false
	}
	v, _ := strconv.Atoi(n)
	return strconv.Itoa(v), true
}

func (a nanogAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	doc, err := pageDocument("nanog", page)
	if err != nil {
		return nil, err
	}
	edition := pageEdition(a, page, doc, `(?i)nanog\s*-?\s*(\d{1,3})\b`)
	if edition == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "nanog: cannot tell the meeting number of %s; name it, e.g. 89", page.URL)
	}
	event := "NANOG " + edition
	sel := "table.table_agenda"
	if doc.Find(sel).Length() == 0 {
		sel = "table"
	}
	rows := readAgenda(doc, sel, agendaOptions{base: baseURL(page.URL)})
	return &Result{
		Series: "NANOG",
		Event:  event,
		Talks:  agendaTalks("nanog", "NANOG", event, yearOf(doc.Find("title").Text()), page.URL, rows),
		Path:   "nanog agenda table",
	}, nil
}
