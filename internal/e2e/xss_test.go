package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/talkdex/talkdex/internal/catalog"
)

// xssWord is in every hostile title, abstract and note, so that one search
// lists all of them with highlights from each field.
const xssWord = "xsscanary"

// xssTestTimeout bounds the XSS test, which loads some 75 pages: about
// 10 s on a quiet 2-core machine.
const xssTestTimeout = 60 * time.Second

// xssSeries names the series of the hostile talks.
const xssSeries = "XSSCon"

// TestStoredAndReflectedXSSNeverRuns stores each payload in a talk's title,
// abstract and speaker (by import) and note (through the JSON API), then
// loads every page that shows them, and the search page with each payload as
// the query. No payload may run, and none may reach the page as markup.
//
// The pages are loaded with the Content-Security-Policy bypassed, so that
// escaping and sanitising alone are tested: a payload would run if they
// broke. Every response must still send the policy, and a last check shows
// that the policy as served blocks an inline handler injected into a page.
func TestStoredAndReflectedXSSNeverRuns(t *testing.T) {
	payloads := xssPayloads()
	talks := make([]*catalog.Talk, len(payloads))
	for i, p := range payloads {
		talks[i] = &catalog.Talk{
			Series:   xssSeries,
			Event:    xssSeries + " 2025",
			Year:     2025,
			Title:    p.text + " " + xssWord,
			Abstract: xssWord + " " + p.text,
			Speakers: []catalog.Speaker{{Name: p.text, Affiliation: p.text}},
			Tags:     []string{},
			Links:    []catalog.Link{},
			Source:   catalog.Source{Name: "e2e", Key: xssSourceKey(i)},
		}
	}
	s := startSite(t, talks...)
	ids := xssTalkIDs(t, s, len(payloads))
	for i, id := range ids {
		// Two versions, so that the note history shows one too.
		putNote(t, s, id, xssWord+" "+payloads[i].text)
		putNote(t, s, id, xssWord+" "+payloads[i].text+" (edited)")
		stored := s.talk(t, id)
		// The payload must reach the page unchanged, or the test proves
		// only that something upstream removed it.
		if !strings.Contains(stored.Title, payloads[i].text) || !strings.Contains(stored.Note, payloads[i].text) {
			t.Fatalf("talk %d does not hold payload %q verbatim: title %q, note %q", id, payloads[i].name, stored.Title, stored.Note)
		}
	}

	pages := []xssPage{
		// Titles highlighted, and titles plain with highlights from notes
		// only, and no highlights at all: three ways a title is rendered.
		{path: "/?q=" + xssWord + "&per_page=50", wantResults: len(payloads)},
		{path: "/?q=note:" + xssWord + "&per_page=50", wantResults: len(payloads)},
		{path: "/?series=" + xssSeries + "&per_page=50", wantResults: len(payloads)},
		{path: "/my?q=" + xssWord + "&per_page=50", wantResults: len(payloads)},
		{path: fmt.Sprintf("/events/%d", s.talk(t, ids[0]).EventID)},
	}
	for _, id := range ids {
		// The heading shows the title as text, character for character; a
		// template or Markdown engine would have changed it.
		pages = append(pages,
			xssPage{path: fmt.Sprintf("/talks/%d", id), wantHeading: s.talk(t, id).Title},
			xssPage{path: fmt.Sprintf("/talks/%d/history", id)})
	}
	for _, p := range payloads {
		pages = append(pages, xssPage{path: "/?q=" + url.QueryEscape(p.text)})
	}

	b := newBrowserTab(t, s, xssTestTimeout)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: xssTraps}); err != nil {
		t.Fatalf("install the XSS traps: %v", err)
	}
	// Escaping and sanitising alone must hold: with the policy bypassed, a
	// payload that reached the page as markup would run.
	if _, err := chromedp.Call(b.ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatalf("bypass CSP: %v", err)
	}
	for _, p := range pages {
		checkNoXSS(b, p)
	}
	if _, err := chromedp.Call(b.ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: false}); err != nil {
		t.Fatalf("restore CSP: %v", err)
	}
	checkCSPBlocksInjectedScript(b, pages[0].path)
}

// xssPage is a page the XSS test loads.
type xssPage struct {
	path        string
	wantHeading string // text of the talk page's h1; "" for other pages
	wantResults int    // search results listed; 0 for other pages
}

// xssPageState is what the XSS test reads from a loaded page.
type xssPageState struct {
	Href     string   `json:"href"`
	Heading  string   `json:"heading"`
	Results  int      `json:"results"`
	Traces   []string `json:"traces"`
	Problems []string `json:"problems"`
}

// checkNoXSS loads a page and fails the test if any payload ran, any active
// markup is in the page, or a talk's title is not shown as it is stored. The
// response must carry a Content-Security-Policy allowing only the site's own
// scripts (the browser may be told to bypass it; the header is still sent).
func checkNoXSS(b *browserTab, p xssPage) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.site.url+p.path))
	if err != nil {
		b.fatalf("open %s: %v", p.path, err)
	}
	if resp.Status >= 500 {
		b.t.Errorf("%s: status %d", p.path, resp.Status)
	}
	if csp, _ := resp.Headers["Content-Security-Policy"].(string); !strings.Contains(csp, "script-src 'self'") {
		b.t.Errorf("%s: Content-Security-Policy %q, want one allowing only the site's own scripts", p.path, csp)
	}
	state, err := chromedp.Run(b.ctx, chromedp.Evaluate[xssPageState](xssInspect, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("inspect %s: %v", p.path, err)
	}
	if state.Href != b.site.url+p.path {
		b.t.Errorf("%s: the page went on to %s", p.path, state.Href)
	}
	if len(state.Traces) > 0 {
		b.t.Errorf("%s: script ran: %s", p.path, strings.Join(state.Traces, "; "))
	}
	if len(state.Problems) > 0 {
		b.t.Errorf("%s: active markup in the page: %s", p.path, strings.Join(state.Problems, "; "))
	}
	// A search that lists fewer talks than planted tests fewer payloads.
	if p.wantResults != 0 && state.Results != p.wantResults {
		b.t.Errorf("%s: %d results, want all %d hostile talks", p.path, state.Results, p.wantResults)
	}
	if p.wantHeading != "" && state.Heading != p.wantHeading {
		b.t.Errorf("%s: the heading reads %q, want the stored title %q", p.path, state.Heading, p.wantHeading)
	}
}

// checkCSPBlocksInjectedScript proves the second line of defence: with the
// policy as served, an inline event handler that some future bug let into
// the page is blocked, and the browser reports it.
func checkCSPBlocksInjectedScript(b *browserTab, path string) {
	b.t.Helper()
	b.open(path)
	state, err := chromedp.Run(b.ctx, chromedp.Evaluate[xssPageState](
		`(document.body.insertAdjacentHTML("beforeend", '<img src="/missing.png" onerror="window.__xss=99">'), `+xssInspect+`)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("inject a handler into %s: %v", path, err)
	}
	blocked := false
	for _, trace := range state.Traces {
		if strings.HasPrefix(trace, "window.__xss") {
			b.fatalf("%s: an injected inline handler ran under the served CSP", path)
		}
		blocked = blocked || strings.HasPrefix(trace, "CSP blocked")
	}
	if !blocked {
		b.fatalf("%s: the browser reported no CSP violation for an injected inline handler; traces: %q", path, state.Traces)
	}
}

// xssTalkIDs finds the hostile talks' ids through the catalog service, in
// the order of their payloads.
func xssTalkIDs(t *testing.T, s *site, want int) []int64 {
	t.Helper()
	res, err := s.cat.SearchTalks(context.Background(), catalog.SearchRequest{
		Filter:  catalog.TalkFilter{Series: []string{xssSeries}},
		PerPage: catalog.MaxPerPage,
	})
	if err != nil {
		t.Fatalf("list the %s talks: %v", xssSeries, err)
	}
	byKey := make(map[string]int64, len(res.Hits))
	for _, h := range res.Hits {
		byKey[h.Talk.Source.Key] = h.Talk.ID
	}
	ids := make([]int64, want)
	for i := range ids {
		key := xssSourceKey(i)
		if ids[i] = byKey[key]; ids[i] == 0 {
			t.Fatalf("no talk with source key %s among the %d %s talks", key, len(res.Hits), xssSeries)
		}
	}
	return ids
}

// xssSourceKey is the source key of the talk holding payload i.
func xssSourceKey(i int) string { return fmt.Sprintf("e2e:xss:%d", i+1) }

// putNote sets a talk's note through the JSON API, as a script would.
func putNote(t *testing.T, s *site, id int64, text string) {
	t.Helper()
	body, err := json.Marshal(map[string]string{"text": text})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/talks/%d/note", s.url, id), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT note of talk %d: %v", id, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT note of talk %d: status %d", id, resp.StatusCode)
	}
}
