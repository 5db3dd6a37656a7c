package scrape

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/talkdex/talkdex/internal/catalog"
)

// uknofAdapter finds UKNOF meetings on UKNOF's Indico and hands them to
// the Indico importer (Result.Delegate): Indico's own export says more,
// and more reliably, than its HTML.
//
// Unchecked: no saved UKNOF page exists here. Assumed: meetings are Indico
// events at https://indico.uknof.org.uk/event/<id>/ titled "UKNOF<N>"
// (the Indico event id is not the meeting number), and Indico's category
// pages list events as links to /event/<id>/ whose text is the title. An
// edition number therefore starts at the Indico front page and is resolved
// to its event through that listing. That belief comes from how Indico
// (CERN's event software) lays out categories, not from a saved copy of
// UKNOF's instance; a listing that does not show old meetings makes an
// edition unknown, while an event URL always works.
type uknofAdapter struct{}

const uknofHome = "https://indico.uknof.org.uk/"

func (uknofAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:   "uknof",
		Series: "UKNOF",
		URLPatterns: []string{
			"https://indico.uknof.org.uk/event/<id>/",
			"https://indico.uknof.org.uk/category/<id>/ (finds the event titled UKNOF<N>)",
		},
		Editions: "53 → UKNOF53",
	}
}

func (uknofAdapter) EditionURLs(edition string) ([]string, error) {
	if _, err := numberEdition("uknof", edition, 53); err != nil {
		return nil, err
	}
	return []string{uknofHome}, nil
}

// Match takes event URLs; the edition is unknown from them (an Indico id is
// no meeting number) and Parse reads it from the page title.
func (uknofAdapter) Match(u *url.URL) (string, bool) {
	if !hostIs(u, "indico.uknof.org.uk") {
		return "", false
	}
	return "", regexp.MustCompile(`^/(?:event|e)/\d+`).MatchString(u.Path)
}

func (uknofAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	doc, err := pageDocument("uknof", page)
	if err != nil {
		return nil, err
	}
	base := baseURL(page.URL)
	if base == nil {
		return nil, catalog.Errorf(catalog.EINVALID, "uknof: page URL %q is not absolute; the Indico event is found relative to it", page.URL)
	}
	if id := firstMatch(`^/(?:event|e)/(\d+)`, base.Path); id != "" {
		n := page.Edition
		if n == "" {
			n = firstMatch(`(?i)\buknof\s*-?\s*(\d{1,3})\b`, doc.Find("title").Text()+" "+doc.Find("h1").First().Text())
		}
		if n == "" {
			return nil, catalog.Errorf(catalog.EINVALID, "uknof: the Indico event %s is not titled UKNOF<N>", page.URL)
		}
		return uknofDelegate(base.ResolveReference(&url.URL{Path: "/event/" + id + "/"}).String(), n), nil
	}
	if page.Edition == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "uknof: %s is not an Indico event page; name the meeting number, e.g. 53", page.URL)
	}
	n, err := strconv.Atoi(strings.TrimSpace(page.Edition))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "uknof edition %q is not a meeting number, e.g. 53", page.Edition)
	}
	want := regexp.MustCompile(`(?i)\buknof\s*-?\s*0*` + strconv.Itoa(n) + `\b`)
	var found string
	doc.Find(`a[href*="/event/"]`).EachWithBreak(func(_ int, a *goquery.Selection) bool {
		href, _ := a.Attr("href")
		u, err := url.Parse(href)
		if err != nil || !want.MatchString(a.Text()) {
			return true
		}
		u = base.ResolveReference(u)
		if id := firstMatch(`^/event/(\d+)`, u.Path); id != "" {
			found = base.ResolveReference(&url.URL{Path: "/event/" + id + "/"}).String()
			return false
		}
		return true
	})
	if found == "" {
		return nil, catalog.Errorf(catalog.ENOTFOUND, "uknof: no event titled UKNOF%d is listed on %s; pass its Indico event URL instead", n, page.URL)
	}
	return uknofDelegate(found, strconv.Itoa(n)), nil
}

func uknofDelegate(eventURL, number string) *Result {
	n, _ := strconv.Atoi(number)
	return &Result{
		Series:   "UKNOF",
		Event:    "UKNOF" + strconv.Itoa(n),
		Talks:    []*catalog.Talk{},
		Delegate: eventURL,
		Path:     "Indico event " + eventURL,
	}
}
