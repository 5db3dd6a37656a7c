package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/talkdex/talkdex/internal/catalog"
)

// getPage GETs an HTML page with the given client and parses it.
func (e *testEnv) getPage(client *http.Client, path string, wantStatus int) *html.Node {
	e.t.Helper()
	resp, body := e.get(client, path)
	if resp.StatusCode != wantStatus {
		e.t.Fatalf("GET %s: status %d, want %d; body %.500s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		e.t.Fatalf("GET %s: Content-Type %q, want text/html", path, ct)
	}
	return parseHTML(e.t, body)
}

// resultTotal reads the number of matching talks the search page shows.
func resultTotal(t *testing.T, doc *html.Node) int {
	t.Helper()
	counts := byClass(doc, "result-count")
	if len(counts) == 0 {
		if len(byClass(doc, "empty-state")) > 0 {
			return 0
		}
		t.Fatal("search page shows neither a result count nor an empty state")
	}
	var n int
	if _, err := fmt.Sscanf(textOf(counts[0]), "%d", &n); err != nil {
		t.Fatalf("result count %q: %v", textOf(counts[0]), err)
	}
	return n
}

func resultTitles(doc *html.Node) []string {
	var titles []string
	for _, r := range byClass(doc, "result") {
		if h := byClass(r, "result-title"); len(h) > 0 {
			titles = append(titles, textOf(h[0]))
		}
	}
	return titles
}

func TestSearchPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	doc := env.getPage(c, "/?q=roce", http.StatusOK)

	q := byID(doc, "q")
	if q == nil || attr(q, "name") != "q" || attr(q, "value") != "roce" {
		t.Fatalf("search box #q missing or wrong: %v", q)
	}
	if !strings.Contains(renderNode(t, q), "autofocus") {
		t.Errorf("search box is not autofocused")
	}
	if resultTotal(t, doc) != 1 {
		t.Errorf("result count %d, want 1", resultTotal(t, doc))
	}
	results := byClass(doc, "result")
	if len(results) != 1 {
		t.Fatalf("%d .result elements, want 1", len(results))
	}
	r := results[0]
	id := env.talkID("RoCE in the Data Centre")
	links := findAll(r, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == fmt.Sprintf("/talks/%d", id) })
	if len(links) == 0 {
		t.Errorf("result does not link to /talks/%d", id)
	}
	text := textOf(r)
	for _, want := range []string{"RoCE in the Data Centre", "AusNOG", "AusNOG 2023", "2023", "Jane Smith", "Video", "Slides"} {
		if !strings.Contains(text, want) {
			t.Errorf("result text lacks %q: %s", want, text)
		}
	}
	marks := findAll(r, func(n *html.Node) bool {
		return n.Data == "mark" && n.Parent != nil && hasClass(n.Parent, "highlight")
	})
	if len(marks) == 0 {
		t.Errorf("no .highlight mark in the result: %s", renderNode(t, r))
	}
	for _, m := range marks {
		if !strings.EqualFold(textOf(m), "roce") {
			t.Errorf("mark %q does not mark the query", textOf(m))
		}
	}
	for _, name := range []string{"series", "year", "event", "speaker", "tag"} {
		if len(findAll(doc, func(n *html.Node) bool { return n.Data == "a" && n.Parent != nil && inClass(n, "facet-"+name) })) == 0 {
			t.Errorf("no links in .facet-%s", name)
		}
	}
}

// inClass reports whether n or an ancestor has the class.
func inClass(n *html.Node, class string) bool {
	for ; n != nil; n = n.Parent {
		if hasClass(n, class) {
			return true
		}
	}
	return false
}

func renderNode(t *testing.T, n *html.Node) string {
	t.Helper()
	var b strings.Builder
	if err := html.Render(&b, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSearchPageStates(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()

	doc := env.getPage(c, "/?q=nothingmatchesthiszzz", http.StatusOK)
	if len(byClass(doc, "empty-state")) == 0 || len(byClass(doc, "result")) != 0 {
		t.Errorf("no empty state for a query without matches")
	}

	for _, query := range []string{"q=" + url.QueryEscape(`"unterminated`), "sort=sideways", "year=soon", "page=0"} {
		resp, body := env.get(c, "/?"+query)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/?%s: status %d, want 400", query, resp.StatusCode)
			continue
		}
		doc := parseHTML(t, body)
		errs := byClass(doc, "search-error")
		if len(errs) == 0 || textOf(errs[0]) == "" {
			t.Errorf("/?%s: no .search-error message", query)
		}
		if byID(doc, "q") == nil {
			t.Errorf("/?%s: the error page has no search box to fix the query", query)
		}
	}

	doc = env.getPage(c, "/", http.StatusOK)
	if got, want := resultTotal(t, doc), len(seedTalks()); got != want {
		t.Errorf("home page count %d, want %d", got, want)
	}
}

// followLink finds the first link matching pick in doc, follows it and
// returns the new page and the link's href.
func (e *testEnv) followLink(c *http.Client, doc *html.Node, what string, pick func(*html.Node) bool) (*html.Node, string) {
	e.t.Helper()
	links := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && pick(n) })
	if len(links) == 0 {
		e.t.Fatalf("no link for %s", what)
	}
	href := attr(links[0], "href")
	return e.getPage(c, href, http.StatusOK), href
}

func TestFacetLinksAndChipsRoundTrip(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	total := len(seedTalks())
	doc := env.getPage(c, "/?sort=oldest", http.StatusOK)

	// Add series=AusNOG from the sidebar.
	doc, href := env.followLink(c, doc, "series AusNOG", func(n *html.Node) bool {
		return inClass(n, "facet-series") && textOf(n) == "AusNOG"
	})
	ausnog := seedCount(func(t *catalog.Talk) bool { return t.Series == "AusNOG" })
	if got := resultTotal(t, doc); got != ausnog {
		t.Fatalf("after %s: %d results, want %d", href, got, ausnog)
	}
	if !strings.Contains(href, "sort=oldest") {
		t.Errorf("facet link %q dropped the sort", href)
	}

	// Add year=2023 as well.
	doc, href = env.followLink(c, doc, "year 2023", func(n *html.Node) bool {
		return inClass(n, "facet-year") && textOf(n) == "2023"
	})
	both := seedCount(func(t *catalog.Talk) bool { return t.Series == "AusNOG" && t.Year == 2023 })
	if got := resultTotal(t, doc); got != both {
		t.Fatalf("after %s: %d results, want %d", href, got, both)
	}
	chips := byClass(doc, "chip")
	if len(chips) != 2 {
		t.Fatalf("%d chips, want 2 (series and year)", len(chips))
	}

	// Remove exactly the series chip: the year filter stays.
	doc, href = env.followLink(c, doc, "series chip", func(n *html.Node) bool {
		return hasClass(n, "chip") && strings.Contains(textOf(n), "AusNOG")
	})
	year2023 := seedCount(func(t *catalog.Talk) bool { return t.Year == 2023 })
	if got := resultTotal(t, doc); got != year2023 {
		t.Fatalf("after removing the series chip (%s): %d results, want %d", href, got, year2023)
	}
	if strings.Contains(href, "series=") || !strings.Contains(href, "year=2023") {
		t.Errorf("chip removal link %q is wrong", href)
	}

	// Two values of one filter are alternatives; removing one chip keeps
	// the other.
	doc = env.getPage(c, "/?series=AusNOG&series=DENOG", http.StatusOK)
	either := seedCount(func(t *catalog.Talk) bool { return t.Series == "AusNOG" || t.Series == "DENOG" })
	if got := resultTotal(t, doc); got != either {
		t.Fatalf("series=AusNOG&series=DENOG: %d results, want %d", got, either)
	}
	doc, href = env.followLink(c, doc, "DENOG chip", func(n *html.Node) bool {
		return hasClass(n, "chip") && strings.Contains(textOf(n), "DENOG")
	})
	if got := resultTotal(t, doc); got != ausnog {
		t.Errorf("after removing DENOG (%s): %d results, want %d", href, got, ausnog)
	}

	// Clear all returns to every talk.
	doc = env.getPage(c, "/?series=AusNOG&year=2023&q=bgp", http.StatusOK)
	doc, href = env.followLink(c, doc, "clear all", func(n *html.Node) bool { return hasClass(n, "clear-all") })
	if strings.Contains(href, "series") || strings.Contains(href, "year") || !strings.Contains(href, "q=bgp") {
		t.Errorf("clear all link %q should keep only the query", href)
	}
	if len(byClass(doc, "chip")) != 0 {
		t.Errorf("chips remain after clear all")
	}

	// An active facet value links back to the search without it.
	doc = env.getPage(c, "/?tag=bgp", http.StatusOK)
	doc, href = env.followLink(c, doc, "active tag", func(n *html.Node) bool {
		return inClass(n, "facet-tag") && hasClass(n, "active")
	})
	if got := resultTotal(t, doc); got != total {
		t.Errorf("following the active tag %s: %d results, want all %d", href, got, total)
	}
}

func TestSearchPagePagination(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	doc := env.getPage(c, "/?per_page=3&sort=oldest&has=video", http.StatusOK)
	withVideo := seedCount(func(t *catalog.Talk) bool { return t.HasLink(catalog.LinkVideo) })
	if withVideo <= 3 {
		t.Fatalf("test needs more than 3 talks with video, seed has %d", withVideo)
	}
	if len(byClass(doc, "result")) != 3 {
		t.Fatalf("first page shows %d results, want 3", len(byClass(doc, "result")))
	}
	first := resultTitles(doc)
	doc, href := env.followLink(c, doc, "next page", func(n *html.Node) bool { return hasClass(n, "next") })
	for _, want := range []string{"page=2", "per_page=3", "sort=oldest", "has=video"} {
		if !strings.Contains(href, want) {
			t.Errorf("next link %q lacks %s", href, want)
		}
	}
	second := resultTitles(doc)
	if len(second) != min(3, withVideo-3) {
		t.Errorf("second page shows %d results", len(second))
	}
	for _, title := range second {
		for _, f := range first {
			if title == f {
				t.Errorf("%q on both pages", title)
			}
		}
	}
	doc, _ = env.followLink(c, doc, "previous page", func(n *html.Node) bool { return hasClass(n, "prev") })
	if got := resultTitles(doc); strings.Join(got, "|") != strings.Join(first, "|") {
		t.Errorf("prev link leads to %v, want %v", got, first)
	}
	pageLinks := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && inClass(n, "pagination") && textOf(n) == "2" })
	if len(pageLinks) == 0 {
		t.Errorf("no link to page 2 in the pager")
	}
}

func TestTalkPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("RoCE in the Data Centre")
	doc := env.getPage(c, fmt.Sprintf("/talks/%d", id), http.StatusOK)
	text := textOf(doc)
	for _, want := range []string{"RoCE in the Data Centre", "Jane Smith", "Acme Networks", "AusNOG 2023", "Ballroom", "Main", "30 min", "A second paragraph about buffers."} {
		if !strings.Contains(text, want) {
			t.Errorf("talk page lacks %q", want)
		}
	}
	abstract := byClass(doc, "abstract")
	if len(abstract) == 0 || len(byTag(abstract[0], "p")) != 2 {
		t.Errorf("abstract is not two paragraphs")
	} else if !strings.Contains(innerHTML(t, abstract[0]), "a &lt; b &amp; c") {
		t.Errorf("abstract text is not escaped: %s", innerHTML(t, abstract[0]))
	}
	ev := env.eventID("AusNOG 2023")
	hrefs := map[string]bool{}
	for _, a := range byTag(doc, "a") {
		hrefs[attr(a, "href")] = true
	}
	for _, want := range []string{fmt.Sprintf("/events/%d", ev), "/?series=AusNOG", "https://video.example/roce", "https://slides.example/roce.pdf"} {
		if !hrefs[want] {
			t.Errorf("talk page has no link to %s", want)
		}
	}
	for _, formID := range []string{"rating-form", "watch-form", "note-form"} {
		form := byID(doc, formID)
		if form == nil {
			t.Fatalf("no #%s", formID)
		}
		if attr(form, "method") != "post" || !strings.HasPrefix(attr(form, "action"), fmt.Sprintf("/talks/%d/", id)) {
			t.Errorf("#%s posts to %q", formID, attr(form, "action"))
		}
		if formToken(t, doc, formID) == "" {
			t.Errorf("#%s has an empty CSRF token", formID)
		}
	}
	stars := findAll(byID(doc, "rating-form"), func(n *html.Node) bool { return n.Data == "button" && attr(n, "name") == "stars" })
	if len(stars) != catalog.MaxStars {
		t.Errorf("%d star buttons, want %d", len(stars), catalog.MaxStars)
	}
	if len(findAll(byID(doc, "note-form"), func(n *html.Node) bool { return n.Data == "textarea" && attr(n, "name") == "text" })) != 1 {
		t.Errorf("#note-form has no textarea[name=text]")
	}

	env.getPage(c, "/talks/999999", http.StatusNotFound)
	env.getPage(c, "/talks/abc", http.StatusBadRequest)
	env.getPage(c, "/no/such/page", http.StatusNotFound)
}

func TestEventsPages(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	doc := env.getPage(c, "/events", http.StatusOK)
	text := textOf(doc)
	for _, want := range []string{"AusNOG 2023", "AusNOG 2022", "DENOG9", "RIPE 86", "RIPE 87", "2 talks"} {
		if !strings.Contains(text, want) {
			t.Errorf("/events lacks %q", want)
		}
	}
	if got := len(byClass(doc, "event-group")); got != 3 {
		t.Errorf("%d series groups, want 3", got)
	}

	doc = env.getPage(c, "/events?series=RIPE", http.StatusOK)
	text = textOf(byID(doc, "main"))
	if !strings.Contains(text, "RIPE 86") || strings.Contains(text, "AusNOG 2023") {
		t.Errorf("/events?series=RIPE shows the wrong events: %s", text)
	}

	id := env.eventID("DENOG9")
	doc = env.getPage(c, fmt.Sprintf("/events/%d", id), http.StatusOK)
	titles := resultTitles(doc)
	if strings.Join(titles, "|") != "Peering DB Update|Segment Routing in Practice" {
		t.Errorf("event talks %v, want time order", titles)
	}
	env.getPage(c, "/events/999999", http.StatusNotFound)
	env.getPage(c, "/events/x", http.StatusBadRequest)
}

// loadForm opens the talk page and returns the CSRF token of a form.
func (e *testEnv) loadForm(c *http.Client, id int64, formID string) string {
	e.t.Helper()
	doc := e.getPage(c, fmt.Sprintf("/talks/%d", id), http.StatusOK)
	return formToken(e.t, doc, formID)
}

func TestFormsWithCSRF(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("BGP Route Reflector Design")
	talkPath := fmt.Sprintf("/talks/%d", id)

	expectRedirect := func(resp *http.Response, body []byte) {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303; body %.300s", resp.StatusCode, body)
		}
		if loc := resp.Header.Get("Location"); loc != talkPath {
			t.Errorf("redirect to %q, want %q", loc, talkPath)
		}
	}

	token := env.loadForm(c, id, "rating-form")
	resp, body := env.postForm(c, talkPath+"/rating", url.Values{csrfField: {token}, "stars": {"4"}})
	expectRedirect(resp, body)
	if got := env.findTalk(id).Rating; got != 4 {
		t.Errorf("rating after the form = %d, want 4", got)
	}
	doc := env.getPage(c, talkPath, http.StatusOK)
	if on := byClass(byID(doc, "rating-form"), "on"); len(on) != 4 {
		t.Errorf("%d stars lit after rating 4", len(on))
	}

	resp, body = env.postForm(c, talkPath+"/rating", url.Values{csrfField: {token}, "clear": {"1"}})
	expectRedirect(resp, body)
	if got := env.findTalk(id).Rating; got != 0 {
		t.Errorf("rating after clear = %d", got)
	}

	token = env.loadForm(c, id, "watch-form")
	resp, body = env.postForm(c, talkPath+"/watched", url.Values{csrfField: {token}, "watched": {"true"}})
	expectRedirect(resp, body)
	if !env.findTalk(id).Watched {
		t.Errorf("not watched after the form")
	}

	token = env.loadForm(c, id, "note-form")
	resp, body = env.postForm(c, talkPath+"/note", url.Values{csrfField: {token}, "text": {"Looks like a **zebrafish**\r\nsecond line"}})
	expectRedirect(resp, body)
	if got := env.findTalk(id).Note; got != "Looks like a **zebrafish**\nsecond line" {
		t.Errorf("note after the form = %q", got)
	}
	if res := env.search("q=zebrafish"); res.Total != 1 || res.Hits[0].Talk.ID != id {
		t.Errorf("the note written by form is not searchable")
	}
	doc = env.getPage(c, talkPath, http.StatusOK)
	rendered := byClass(doc, "note-rendered")
	if len(rendered) == 0 || len(byTag(rendered[0], "strong")) != 1 {
		t.Errorf("the note is not rendered as Markdown")
	}
}

func TestFormsRejectMissingOrWrongCSRF(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("BGP Route Reflector Design")
	talkPath := fmt.Sprintf("/talks/%d", id)

	// A client that has the cookie but sends a wrong or no token, and a
	// client with neither (a cross-site form post).
	withCookie := env.browser()
	good := env.loadForm(withCookie, id, "rating-form")
	tests := []struct {
		name   string
		client *http.Client
		form   url.Values
		path   string
	}{
		{"no token", withCookie, url.Values{"stars": {"5"}}, "/rating"},
		{"wrong token", withCookie, url.Values{csrfField: {"forged"}, "stars": {"5"}}, "/rating"},
		{"token without cookie", env.browser(), url.Values{csrfField: {good}, "stars": {"5"}}, "/rating"},
		{"no cookie no token", env.browser(), url.Values{"stars": {"5"}}, "/rating"},
		{"note without token", withCookie, url.Values{"text": {"pwned"}}, "/note"},
		{"watched without token", withCookie, url.Values{"watched": {"true"}}, "/watched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := env.postForm(tt.client, talkPath+tt.path, tt.form)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	got := env.findTalk(id)
	if got.Rating != 0 || got.Note != "" || got.Watched {
		t.Errorf("a refused form changed the talk: %+v", got)
	}
}

func TestFormValidationErrors(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("IPv6 Only Networks at Scale")
	talkPath := fmt.Sprintf("/talks/%d", id)
	if err := env.svc.SetNote(context.Background(), id, "keep me"); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetRating(context.Background(), id, 2); err != nil {
		t.Fatal(err)
	}
	token := env.loadForm(c, id, "rating-form")

	tests := []struct {
		name   string
		path   string
		form   url.Values
		formID string
	}{
		{"stars 0", "/rating", url.Values{"stars": {"0"}}, "rating-form"},
		{"stars 6", "/rating", url.Values{"stars": {"6"}}, "rating-form"},
		{"stars text", "/rating", url.Values{"stars": {"many"}}, "rating-form"},
		{"watched junk", "/watched", url.Values{"watched": {"perhaps"}}, "watch-form"},
		{"note too long", "/note", url.Values{"text": {strings.Repeat("n", catalog.MaxNoteBytes+1)}}, "note-form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set(csrfField, token)
			resp, body := env.postForm(c, talkPath+tt.path, tt.form)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			doc := parseHTML(t, body)
			form := byID(doc, tt.formID)
			if form == nil || visibleFormError(form) == "" {
				t.Errorf("no shown .form-error in #%s", tt.formID)
			}
		})
	}
	got := env.findTalk(id)
	if got.Rating != 2 || got.Note != "keep me" || got.Watched {
		t.Errorf("rejected forms changed the talk: rating %d note %.20q watched %t", got.Rating, got.Note, got.Watched)
	}
}

func TestNoteIsSanitisedOnTalkPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("Peering DB Update")
	note := "<script>alert('note')</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(2)>\n\n| a | b |\n|---|---|\n| 1 | 2 |"
	if err := env.svc.SetNote(context.Background(), id, note); err != nil {
		t.Fatal(err)
	}
	resp, body := env.get(c, fmt.Sprintf("/talks/%d", id))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	rendered := byClass(doc, "note-rendered")
	if len(rendered) != 1 {
		t.Fatalf("%d .note-rendered blocks", len(rendered))
	}
	out := strings.ToLower(innerHTML(t, rendered[0]))
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(out, bad) {
			t.Errorf("rendered note contains %q: %s", bad, out)
		}
	}
	if len(byTag(rendered[0], "table")) != 1 {
		t.Errorf("the Markdown table was not rendered")
	}
	// The textarea holds the note as text, escaped.
	if !strings.Contains(string(body), "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;") {
		t.Errorf("the textarea does not hold the escaped note")
	}
	if len(findAll(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "src") == "" })) != 0 {
		t.Errorf("the page has an inline script")
	}
}

// TestPagesHaveNoInlineCode checks every page against the CSP: no inline
// scripts, styles or event handlers, so nothing the CSP would block.
func TestPagesHaveNoInlineCode(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("RoCE in the Data Centre")
	if err := env.svc.SetRating(context.Background(), id, 3); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		path   string
		status int
	}{
		{"/", 200},
		{"/?q=bgp&series=RIPE&per_page=1", 200},
		{"/?sort=bogus", 400},
		{fmt.Sprintf("/talks/%d", id), 200},
		{"/events", 200},
		{fmt.Sprintf("/events/%d", env.eventID("RIPE 86")), 200},
		{"/talks/999999", 404},
	}
	for _, p := range pages {
		doc := env.getPage(c, p.path, p.status)
		for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
			if n.Data == "script" && (attr(n, "src") == "" || n.FirstChild != nil) {
				t.Errorf("%s: inline script", p.path)
			}
			if n.Data == "style" {
				t.Errorf("%s: <style> element", p.path)
			}
			for _, a := range n.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: inline %s attribute on <%s>", p.path, a.Key, n.Data)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("%s: javascript: URL", p.path)
				}
			}
		}
	}
}

// highlightService returns highlight fragments carrying markup that must
// not survive, as a compromised or buggy index might.
type highlightService struct {
	catalog.TalkService
}

func (h highlightService) SearchTalks(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	res, err := h.TalkService.SearchTalks(ctx, req)
	if err != nil {
		return nil, err
	}
	for i := range res.Hits {
		res.Hits[i].Highlights = map[string][]string{
			"abstract": {`<img src=x onerror=alert(1)>an <mark>evil</mark> <script>alert(2)</script>fragment`},
		}
	}
	return res, nil
}

func TestHighlightsAreSanitised(t *testing.T) {
	env := newTestEnvWith(t, highlightService{newTestService(t)})
	resp, body := env.get(env.browser(), "/?q=roce")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	page := strings.ToLower(string(body))
	for _, bad := range []string{"<img", "onerror", "alert(2)", "<script>alert"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q from a highlight", bad)
		}
	}
	if !strings.Contains(page, "an <mark>evil</mark> fragment") {
		t.Errorf("the sanitised highlight with its <mark> is missing")
	}
}
