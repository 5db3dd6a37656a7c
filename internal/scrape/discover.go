package scrape

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
)

// maxAPIPages bounds the pretalx API pager: at pretalx's page size of 50
// that is 10,000 talks, more than any conference has, and a server whose
// "next" links never end cannot keep us fetching forever.
const maxAPIPages = 200

// pretalxAPIExpand is what the pager asks pretalx to embed, so that talks
// come with speaker, track and room names, slots and resources rather than
// codes and ids (API v1; the legacy API embeds them anyway and ignores it).
const pretalxAPIExpand = "speakers,track,submission_type,slots,slots.room,resources,tags"

// Discovery is what Discover found behind a URL: one document that a
// formats reader takes, and the way it was reached.
type Discovery struct {
	URL    string // where the document came from (the first page, for the pretalx API)
	Route  string // what the document is: "schedule export", "pretalx schedule export", "pretalx API, 3 pages", …
	Via    string // how it was found from the URL asked for, "" when that URL was the document
	Format string // the formats reader for Body; "" to detect it by content
	Body   []byte
}

// Discover resolves a URL to a schedule talkdex can read, fetching through
// f (so robots.txt, rate limits and the private-address rule apply):
//
//   - a URL that is a schedule export is read as it is (format by content);
//   - pretalx: an API URL (/api/events/<event>/, …/talks/, …/submissions/)
//     is paged through, and an event, talk or schedule page, or any page
//     that embeds <pretalx-schedule event-url=…>, resolves to the event's
//     schedule export (schedule/export/schedule.json, else .xml, else the
//     talks API);
//   - Indico: an event URL (/event/<id>/…) resolves to the export API
//     (/export/event/<id>.json?detail=contributions);
//   - any other HTML page goes to the reader that claims it (JSON-LD
//     events).
//
// A page none of these fit is an EINVALID error that says what was found.
func Discover(ctx context.Context, f *Fetcher, rawURL string) (*Discovery, error) {
	u, err := parseFetchURL(rawURL)
	if err != nil {
		return nil, err
	}
	if _, ok := pretalxAPIURL(u); ok {
		return pretalxAPI(ctx, f, u, "")
	}
	var notes []string
	if export, ok := indicoExportURL(u); ok {
		d, note, err := tryIndico(ctx, f, export)
		if err != nil || d != nil {
			return d, err
		}
		notes = append(notes, note)
	}

	resp, err := f.Get(ctx, u.String())
	if err != nil {
		return nil, err
	}
	if isHTML(resp) {
		return discoverInPage(ctx, f, resp, notes)
	}
	format, err := formats.Detect(head(resp.Body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s is not a schedule talkdex can read: %s", resp.FinalURL, catalog.ErrorMessage(err))
	}
	// A redirect may land on a page of pretalx's API: page through it.
	if final := mustParse(resp.FinalURL); format == formats.FormatPretalx && hasNextPage(resp.Body) {
		if _, ok := pretalxAPIURL(final); ok {
			return pretalxAPI(ctx, f, final, "")
		}
	}
	return &Discovery{URL: resp.FinalURL, Route: "schedule export", Format: format, Body: resp.Body}, nil
}

// discoverInPage looks for a schedule behind an HTML page.
func discoverInPage(ctx context.Context, f *Fetcher, resp *Response, notes []string) (*Discovery, error) {
	page := mustParse(resp.FinalURL)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(resp.Body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s is not readable HTML: %v", resp.FinalURL, err)
	}
	if event, how, ok := pretalxEventOf(doc, page); ok {
		return pretalxExport(ctx, f, event, how)
	}
	if format, err := formats.Detect(head(resp.Body)); err == nil {
		return &Discovery{URL: resp.FinalURL, Route: "page with embedded talk data (" + format + ")", Format: format, Body: resp.Body}, nil
	}
	title := strings.Join(strings.Fields(doc.Find("title").First().Text()), " ")
	msg := fmt.Sprintf("%s is a web page talkdex cannot import: it is no schedule export, embeds no pretalx schedule, is not a pretalx or Indico event, and holds no JSON-LD events", resp.FinalURL)
	if title != "" {
		msg += fmt.Sprintf(" (its title is %q)", title)
	}
	for _, n := range notes {
		msg += "; " + n
	}
	return nil, catalog.Errorf(catalog.EINVALID, "%s", msg)
}

// pretalxEventOf finds the pretalx event a page belongs to or embeds, as
// the event's base URL (ending in "/").
func pretalxEventOf(doc *goquery.Document, page *url.URL) (event *url.URL, how string, ok bool) {
	// The widget: <pretalx-schedule event-url="https://pretalx.com/denog15/">;
	// older widgets used <pretalx-widget event="…">.
	for _, sel := range []struct{ tag, attr string }{
		{"pretalx-schedule", "event-url"}, {"pretalx-widget", "event-url"}, {"pretalx-widget", "event"},
	} {
		if v, found := doc.Find(sel.tag + "[" + sel.attr + "]").First().Attr(sel.attr); found && strings.TrimSpace(v) != "" {
			if e, err := page.Parse(strings.TrimSpace(v)); err == nil && (e.Scheme == "http" || e.Scheme == "https") {
				return withSlash(e), "the page's <" + sel.tag + " " + sel.attr + "=" + e.String() + ">", true
			}
		}
	}
	if !isPretalxPage(doc) {
		return nil, "", false
	}
	// A pretalx page links its event's API (rel=alternate); the slug found
	// there, located in the page's own path, gives the event's base URL on
	// the host we actually talk to.
	slug := ""
	doc.Find(`link[rel="alternate"][href]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		href, _ := s.Attr("href")
		if m := regexp.MustCompile(`/api/events/([^/?#]+)`).FindStringSubmatch(href); m != nil {
			slug = m[1]
			return false
		}
		return true
	})
	segs := strings.Split(strings.Trim(page.Path, "/"), "/")
	idx := -1
	for i, s := range segs {
		if (slug != "" && s == slug) || (slug == "" && i+1 < len(segs) && isPretalxSection(segs[i+1])) {
			idx = i
			break
		}
	}
	switch {
	case idx >= 0:
		base := *page
		base.Path = "/" + strings.Join(segs[:idx+1], "/") + "/"
		base.RawPath, base.RawQuery, base.Fragment = "", "", ""
		return &base, "a pretalx page of event " + segs[idx], true
	case slug != "":
		return &url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/" + slug + "/"}, "a pretalx page of event " + slug, true
	case len(segs) == 1 && segs[0] != "":
		base := *page
		base.Path = "/" + segs[0] + "/"
		base.RawPath, base.RawQuery, base.Fragment = "", "", ""
		return &base, "a pretalx page of event " + segs[0], true
	}
	return nil, "", false
}

func isPretalxSection(s string) bool {
	switch s {
	case "schedule", "talk", "speaker", "cfp", "featured", "sneak":
		return true
	}
	return false
}

// isPretalxPage recognises pages pretalx rendered: it names itself as the
// generator.
func isPretalxPage(doc *goquery.Document) bool {
	found := false
	doc.Find(`meta[name="generator"], meta[name="application-name"]`).Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Attr("content"); strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "pretalx") {
			found = true
		}
	})
	return found
}

// pretalxExport fetches an event's schedule: the c3voc JSON export, else
// the frab XML export, else the talks API. Only a missing export (or one
// that answers with an HTML page, such as a login form) moves on to the
// next; robots.txt refusals and failures are errors.
func pretalxExport(ctx context.Context, f *Fetcher, event *url.URL, how string) (*Discovery, error) {
	var tried []string
	for _, rel := range []string{"schedule/export/schedule.json", "schedule/export/schedule.xml"} {
		target := event.ResolveReference(&url.URL{Path: rel})
		resp, err := f.Get(ctx, target.String())
		switch {
		case isMissing(err):
			tried = append(tried, fmt.Sprintf("%s (%s)", target, missingReason(err)))
			continue
		case err != nil:
			return nil, err
		case isHTML(resp):
			tried = append(tried, fmt.Sprintf("%s (an HTML page, not an export)", target))
			continue
		}
		format, _ := formats.Detect(head(resp.Body))
		return &Discovery{URL: resp.FinalURL, Route: "pretalx schedule export", Via: how, Format: format, Body: resp.Body}, nil
	}
	slug := strings.Trim(pathBase(event.Path), "/")
	api := &url.URL{Scheme: event.Scheme, Host: event.Host, Path: apiPrefix(event.Path) + "/api/events/" + slug + "/talks/"}
	d, err := pretalxAPI(ctx, f, api, how)
	if err != nil && isMissing(err) {
		tried = append(tried, fmt.Sprintf("%s (%s)", api, missingReason(err)))
		return nil, catalog.Errorf(catalog.EINVALID, "found pretalx event %s (%s) but none of its schedules: tried %s", event, how, strings.Join(tried, ", "))
	}
	return d, err
}

// pathBase is the last segment of a path, ignoring a trailing slash.
func pathBase(p string) string {
	p = strings.TrimSuffix(p, "/")
	return p[strings.LastIndex(p, "/")+1:]
}

// apiPrefix is the path a pretalx site is mounted under ("" at the root):
// the event's path without its slug.
func apiPrefix(eventPath string) string {
	p := strings.TrimSuffix(eventPath, "/")
	return strings.TrimSuffix(p[:strings.LastIndex(p, "/")+1], "/")
}

// pretalxAPIURL recognises pretalx API URLs of an event and returns the
// event's slug.
func pretalxAPIURL(u *url.URL) (slug string, ok bool) {
	m := regexp.MustCompile(`/api/events/([^/]+)(?:/(talks|submissions))?/?$`).FindStringSubmatch(u.Path)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// pretalxAPI pages through an event's talks (or submissions) and hands
// all results over as one page in the API's own shape, with the event
// object (/api/events/<event>/) beside them so that the reader can name
// the event and its time zone.
func pretalxAPI(ctx context.Context, f *Fetcher, u *url.URL, via string) (*Discovery, error) {
	m := regexp.MustCompile(`^(.*)/api/events/([^/]+)(?:/(talks|submissions))?/?$`).FindStringSubmatch(u.Path)
	if m == nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s is not a pretalx API URL of an event", u)
	}
	prefix, slug := m[1], m[2]
	eventURL := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: prefix + "/api/events/" + slug + "/"}
	first := *u
	first.Fragment, first.RawFragment = "", ""
	if m[3] == "" {
		first = url.URL{Scheme: u.Scheme, Host: u.Host, Path: prefix + "/api/events/" + slug + "/talks/"}
	}
	q := first.Query()
	if q.Get("expand") == "" {
		q.Set("expand", pretalxAPIExpand)
	}
	// pretalx's largest page (50) in whichever pagination the server
	// speaks; its next links carry it on.
	if !q.Has("limit") && !q.Has("page_size") && !q.Has("page") && !q.Has("offset") {
		q.Set("limit", "50")
	}
	if enc := q.Encode(); enc != u.Query().Encode() || m[3] == "" {
		first.RawQuery = enc
	}

	var event json.RawMessage
	if resp, err := f.Get(ctx, eventURL.String()); err == nil {
		if json.Valid(resp.Body) && bytes.HasPrefix(bytes.TrimSpace(resp.Body), []byte("{")) {
			event = resp.Body
		}
	} else if !isMissing(err) {
		return nil, err
	}

	var results []json.RawMessage
	seen := map[string]bool{}
	next := first.String()
	pages := 0
	for next != "" {
		if pages == maxAPIPages {
			return nil, catalog.Errorf(catalog.EINVALID, "%s: gave up after %d pages of pretalx API results; the server's next links do not end", first.String(), maxAPIPages)
		}
		if seen[next] {
			return nil, catalog.Errorf(catalog.EINVALID, "%s: the pretalx API's next link leads back to %s", first.String(), next)
		}
		seen[next] = true
		resp, err := f.Get(ctx, next)
		if err != nil {
			return nil, err
		}
		pages++
		var page struct {
			Count   *int              `json:"count"`
			Next    *string           `json:"next"`
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil || page.Count == nil {
			return nil, catalog.Errorf(catalog.EINVALID, "%s is not a page of pretalx API results (want {\"count\", \"next\", \"results\"}): %s", resp.FinalURL, describe(err))
		}
		results = append(results, page.Results...)
		next = ""
		if page.Next != nil && strings.TrimSpace(*page.Next) != "" {
			n, err := mustParse(resp.FinalURL).Parse(strings.TrimSpace(*page.Next))
			if err != nil {
				return nil, catalog.Errorf(catalog.EINVALID, "%s: its next link %q is not a URL", resp.FinalURL, *page.Next)
			}
			// Stay on the site we were sent to: a next link to another
			// host is not ours to follow.
			if !strings.EqualFold(n.Host, first.Host) {
				return nil, catalog.Errorf(catalog.EINVALID, "%s: its next link leads to another host (%s)", resp.FinalURL, n.Host)
			}
			next = n.String()
		}
	}
	body, err := json.Marshal(struct {
		Count    int               `json:"count"`
		Next     *string           `json:"next"`
		Previous *string           `json:"previous"`
		Event    json.RawMessage   `json:"event,omitempty"`
		Results  []json.RawMessage `json:"results"`
	}{Count: len(results), Event: event, Results: nonNil(results)})
	if err != nil {
		return nil, fmt.Errorf("combining pretalx API pages of %s: %w", first.String(), err)
	}
	return &Discovery{
		URL:    first.String(),
		Route:  fmt.Sprintf("pretalx API, %d %s", pages, plural(pages, "page", "pages")),
		Via:    via,
		Format: formats.FormatPretalx,
		Body:   body,
	}, nil
}

func nonNil(r []json.RawMessage) []json.RawMessage {
	if r == nil {
		return []json.RawMessage{}
	}
	return r
}

func describe(err error) string {
	if err == nil {
		return "it has no count"
	}
	return err.Error()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// hasNextPage reports whether a pretalx API page says more pages follow.
func hasNextPage(body []byte) bool {
	var page struct {
		Next *string `json:"next"`
	}
	return json.Unmarshal(body, &page) == nil && page.Next != nil && strings.TrimSpace(*page.Next) != ""
}

// indicoExportURL maps an Indico event URL (/event/<id>/…, or the legacy
// conferenceDisplay.py?confId=<id>) to its export API URL.
func indicoExportURL(u *url.URL) (*url.URL, bool) {
	prefix, id := "", ""
	if m := regexp.MustCompile(`^(.*?)/event/(\d+)(?:/.*)?$`).FindStringSubmatch(u.Path); m != nil {
		prefix, id = m[1], m[2]
	} else if strings.HasSuffix(u.Path, "/conferenceDisplay.py") && regexp.MustCompile(`^\d+$`).MatchString(u.Query().Get("confId")) {
		prefix, id = strings.TrimSuffix(u.Path, "/conferenceDisplay.py"), u.Query().Get("confId")
	} else {
		return nil, false
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host, Path: prefix + "/export/event/" + id + ".json", RawQuery: "detail=contributions"}, true
}

// tryIndico fetches an Indico export. It is only a guess from the URL's
// shape, so a missing or foreign answer is a note for the final error,
// not an error; robots.txt refusals and failures are errors.
func tryIndico(ctx context.Context, f *Fetcher, export *url.URL) (*Discovery, string, error) {
	resp, err := f.Get(ctx, export.String())
	var status *StatusError
	switch {
	case isMissing(err) || (errors.As(err, &status) && status.Status == http.StatusForbidden):
		return nil, fmt.Sprintf("the Indico export API %s answered %s", export, missingReason(err)), nil
	case err != nil:
		return nil, "", err
	}
	if format, err := formats.Detect(head(resp.Body)); err == nil && format == formats.FormatIndico {
		return &Discovery{URL: resp.FinalURL, Route: "Indico export API", Via: "an Indico event URL", Format: format, Body: resp.Body}, "", nil
	}
	return nil, fmt.Sprintf("%s is not an Indico export", export), nil
}

// isMissing is a final 404 or 410.
func isMissing(err error) bool {
	var status *StatusError
	return errors.As(err, &status) && (status.Status == http.StatusNotFound || status.Status == http.StatusGone)
}

func missingReason(err error) string {
	var status *StatusError
	if errors.As(err, &status) {
		return fmt.Sprintf("HTTP %d", status.Status)
	}
	return "no answer"
}

// isHTML tells a web page from a data file, by its type or its first tag.
func isHTML(resp *Response) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	if strings.Contains(ct, "text/html") || strings.Contains(ct, "application/xhtml") {
		return true
	}
	start := bytes.ToLower(bytes.TrimLeft(resp.Body[:min(len(resp.Body), 1024)], " \t\r\n\xef\xbb\xbf"))
	return bytes.HasPrefix(start, []byte("<!doctype html")) || bytes.HasPrefix(start, []byte("<html"))
}

// head is what format detection looks at.
func head(b []byte) []byte { return b[:min(len(b), 64<<10)] }

func withSlash(u *url.URL) *url.URL {
	c := *u
	c.RawQuery, c.Fragment = "", ""
	if !strings.HasSuffix(c.Path, "/") {
		c.Path += "/"
		c.RawPath = ""
	}
	return &c
}

// mustParse parses a URL the fetcher has already accepted.
func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}
