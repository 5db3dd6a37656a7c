package scrape

import (
	"context"
	"fmt"
	"net/url"

	"github.com/talkdex/talkdex/internal/catalog"
)

// apricotAdapter reads APRICOT programme pages.
//
// Unchecked: no saved APRICOT page exists here. Known from links in public
// repositories: each year has its own site, <YYYY>.apricot.net, whose
// programme lives at /program/schedule/ (2017–2020) or /program/program/
// (2024), with sessions addressed as "#/day/<n>/<slug>" — a script-driven
// page. Assumed, not seen: the served HTML (or its no-script form) holds a
// table a day under a dated heading, each row a time range, the session or
// presentation title (linked to its page), the presenters ("Name,
// Organisation" or "Name (Organisation)") and slide/video links; a
// list-style agenda is read as a fallback. If the programme exists only
// as script data, this adapter finds no talks and says so. The venue moves
// each year, so talks get durations but no start times.
type apricotAdapter struct{}

func (apricotAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:        "apricot",
		Series:      "APRICOT",
		URLPatterns: []string{"https://<YYYY>.apricot.net/program/program/", "https://<YYYY>.apricot.net/program/schedule/"},
		Editions:    "2024 → APRICOT 2024",
	}
}

func (apricotAdapter) EditionURLs(edition string) ([]string, error) {
	year, err := yearEdition("apricot", edition, 1996)
	if err != nil {
		return nil, err
	}
	if year <= 2020 {
		return []string{fmt.Sprintf("https://%d.apricot.net/program/schedule/", year)}, nil
	}
	return []string{fmt.Sprintf("https://%d.apricot.net/program/program/", year)}, nil
}

func (apricotAdapter) Match(u *url.URL) (string, bool) {
	if !hostIs(u, "apricot.net") {
		return "", false
	}
	if y := firstMatch(`^((?:19|20)\d\d)\.apricot\.net$`, u.Hostname()); y != "" {
		return y, true
	}
	if y := firstMatch(`(?i)/apricot-?((?:19|20)\d\d)(?:/|$)`, u.Path); y != "" {
		return y, true
	}
	return "", false
}

func (a apricotAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	doc, err := pageDocument("apricot", page)
	if err != nil {
		return nil, err
	}
	edition := pageEdition(a, page, doc, `(?i)apricot\s*-?\s*((?:19|20)\d\d)\b`)
	if edition == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "apricot: cannot tell the year of %s; name it, e.g. 2024", page.URL)
	}
	event := "APRICOT " + edition
	rows := readAgenda(doc, "table", agendaOptions{base: baseURL(page.URL)})
	return &Result{
		Series: "APRICOT",
		Event:  event,
		Talks:  agendaTalks("apricot", "APRICOT", event, yearOf(edition), page.URL, rows),
		Path:   "apricot programme table",
	}, nil
}
