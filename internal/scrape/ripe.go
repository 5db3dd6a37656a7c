package scrape

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/talkdex/talkdex/internal/catalog"
)

// ripeAdapter reads the plenary programme of a RIPE meeting.
//
// Unchecked: no saved RIPE page exists here. What is known from public
// sources: meeting sites live at ripe<N>.ripe.net with programme pages
// under /programme/meeting-plan/ (plenary, tutorials, one page a working
// group); recent meetings' session pages (/programme/meeting-plan/sessions/<n>/<code>/)
// carry pretalx submission codes and serve slides from pretalx.ripe.net,
// and give times as "14:00 (UTC +0200)"; older meetings kept recordings at
// /archives/video/<n>. (Sources: published user scripts for those session
// pages, and links to RIPE programme pages in public repositories.) Two
// meetings a year are numbered so that RIPE N is held in 1980 + N/2.
//
// Assumed, not seen: the plenary page has a heading a day ("Monday, 20
// May") and a table a session, each row a time range, the title (linked to
// the session page), the presenter and links to slides and video. When the
// page links to a pretalx event on pretalx.ripe.net, the adapter hands the
// meeting to the pretalx importer instead (Result.Delegate), which reads it
// more reliably than the HTML. Times are read in the "(UTC +hhmm)" offset
// the page states; without one, talks get durations but no start times.
type ripeAdapter struct{}

func (ripeAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:        "ripe",
		Series:      "RIPE",
		URLPatterns: []string{"https://ripe<N>.ripe.net/programme/meeting-plan/plenary/"},
		Editions:    "88 → RIPE 88",
	}
}

func (ripeAdapter) EditionURLs(edition string) ([]string, error) {
	n, err := numberEdition("ripe", edition, 88)
	if err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("https://ripe%d.ripe.net/programme/meeting-plan/plenary/", n)}, nil
}

func (ripeAdapter) Match(u *url.URL) (string, bool) {
	n := firstMatch(`^ripe(\d{1,3})\.ripe\.net$`, u.Hostname())
	if n == "" {
		return "", false
	}
	v, _ := strconv.Atoi(n)
	return strconv.Itoa(v), true
}

func (a ripeAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	doc, err := pageDocument("ripe", page)
	if err != nil {
		return nil, err
	}
	edition := pageEdition(a, page, doc, `(?i)\bripe\s*(\d{1,3})\b`)
	n, err := strconv.Atoi(edition)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "ripe: cannot tell the meeting number of %s; name it, e.g. 88", page.URL)
	}
	event := "RIPE " + strconv.Itoa(n)
	if pretalx := ripePretalxEvent(doc, baseURL(page.URL)); pretalx != "" {
		return &Result{Series: "RIPE", Event: event, Talks: []*catalog.Talk{}, Delegate: pretalx, Path: "ripe programme via its pretalx event " + pretalx}, nil
	}
	opts := agendaOptions{base: baseURL(page.URL), zone: ripeZone(doc.Text())}
	if n >= 60 {
		opts.year = 1980 + n/2
	}
	rows := readAgenda(doc, "table", opts)
	return &Result{
		Series: "RIPE",
		Event:  event,
		Talks:  agendaTalks("ripe", "RIPE", event, opts.year, page.URL, rows),
		Path:   "ripe plenary programme table",
	}, nil
}

// ripePretalxEvent finds the pretalx event a programme page links to
// (talk pages or slide files on pretalx.ripe.net), as its event URL.
func ripePretalxEvent(doc *goquery.Document, base *url.URL) string {
	slugOf := regexp.MustCompile(`^/(?:media/)?([a-z0-9][a-z0-9_-]*)/`)
	var event string
	doc.Find(`a[href*="pretalx.ripe.net/"]`).EachWithBreak(func(_ int, a *goquery.Selection) bool {
		href, _ := a.Attr("href")
		u, err := url.Parse(href)
		if err != nil {
			return true
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if u.Hostname() != "pretalx.ripe.net" {
			return true
		}
		m := slugOf.FindStringSubmatch(u.Path)
		if m == nil || m[1] == "static" || m[1] == "api" || m[1] == "orga" || m[1] == "media" {
			return true
		}
		event = "https://pretalx.ripe.net/" + m[1] + "/"
		return false
	})
	return event
}

// ripeZone reads the "(UTC +0200)" a RIPE programme gives its times in.
func ripeZone(text string) *time.Location {
	m := regexp.MustCompile(`\(UTC\s*([+-])\s*(\d{1,2}):?(\d{2})?\)`).FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	offset := h*3600 + mi*60
	if m[1] == "-" {
		offset = -offset
	}
	return time.FixedZone(fmt.Sprintf("UTC%s%02d%02d", m[1], h, mi), offset)
}
