package scrape

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/talkdex/talkdex/internal/catalog"
)

// esnogAdapter reads ESNOG (formerly GORE) meeting agendas.
//
// Unchecked: no saved ESNOG page exists here. The structure assumed is a
// meeting page at https://www.esnog.net/gore<N>/agenda.html (the meetings
// kept GORE's numbering and paths when the group became ESNOG): a table a
// day under a heading with the date in Spanish ("15 de noviembre de 2023"),
// columns headed "Hora", "Ponencia"/"Título", "Ponente", and links to the
// slides ("Presentación", PDF) and recording ("Vídeo"). Breaks are "Café",
// "Comida", "Registro". That belief comes from public descriptions of the
// group's meetings, not from a saved copy. Meetings are held in Spain, so
// times are read in Europe/Madrid.
type esnogAdapter struct{}

func (esnogAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:        "esnog",
		Series:      "ESNOG",
		URLPatterns: []string{"https://www.esnog.net/gore<N>/agenda.html"},
		Editions:    "33 → ESNOG 33 (GORE 33)",
	}
}

func (esnogAdapter) EditionURLs(edition string) ([]string, error) {
	n, err := numberEdition("esnog", edition, 33)
	if err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("https://www.esnog.net/gore%d/agenda.html", n)}, nil
}

func (esnogAdapter) Match(u *url.URL) (string, bool) {
	if !hostIs(u, "esnog.net") {
		return "", false
	}
	n := firstMatch(`(?i)/(?:gore|esnog)-?(\d{1,3})(?:/|$|\.)`, u.Path)
	if n == "" {
		return "", false
	}
	v, _ := strconv.Atoi(n)
	return strconv.Itoa(v), true
}

func (a esnogAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	doc, err := pageDocument("esnog", page)
	if err != nil {
		return nil, err
	}
	edition := pageEdition(a, page, doc, `(?i)(?:esnog|gore)\s*-?\s*(\d{1,3})\b`)
	if edition == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "esnog: cannot tell the meeting number of %s; name it, e.g. 33", page.URL)
	}
	event := "ESNOG " + edition
	rows := readAgenda(doc, "table", agendaOptions{base: baseURL(page.URL), zone: mustZone("Europe/Madrid")})
	return &Result{
		Series: "ESNOG",
		Event:  event,
		Talks:  agendaTalks("esnog", "ESNOG", event, 0, page.URL, rows),
		Path:   "esnog agenda table",
	}, nil
}
