package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/talkdex/talkdex/internal/catalog"
)

// testEnv is a real HTTP server over the test service.
type testEnv struct {
	t    *testing.T
	svc  catalog.TalkService
	srv  *Server
	ts   *httptest.Server
	logs *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, newTestService(t))
}

func newTestEnvWith(t *testing.T, svc catalog.TalkService) *testEnv {
	t.Helper()
	return newTestEnvConfig(t, Config{}, svc)
}

func newTestEnvConfig(t *testing.T, cfg Config, svc catalog.TalkService) *testEnv {
	t.Helper()
	logs := &syncBuffer{}
	srv, err := New(cfg, svc, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testEnv{t: t, svc: svc, srv: srv, ts: ts, logs: logs}
}

// do sends a request and returns the response with its body read.
func (e *testEnv) do(method, path, contentType, body string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatalf("new request %s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return e.send(e.ts.Client(), req)
}

func (e *testEnv) send(client *http.Client, req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("read body of %s %s: %v", req.Method, req.URL, err)
	}
	return resp, data
}

// getJSON GETs path, expects status want and decodes the body into v.
func (e *testEnv) getJSON(path string, want int, v any) {
	e.t.Helper()
	resp, body := e.do(http.MethodGet, path, "", "")
	if resp.StatusCode != want {
		e.t.Fatalf("GET %s: status %d, want %d; body %s", path, resp.StatusCode, want, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			e.t.Fatalf("GET %s: decode %s: %v", path, body, err)
		}
	}
}

func (e *testEnv) search(query string) catalog.SearchResult {
	e.t.Helper()
	var res catalog.SearchResult
	e.getJSON("/api/v1/talks?"+query, http.StatusOK, &res)
	return res
}

// apiError decodes an error body and checks its status and code.
func (e *testEnv) expectAPIError(resp *http.Response, body []byte, status int, code string) string {
	e.t.Helper()
	if resp.StatusCode != status {
		e.t.Errorf("status %d, want %d; body %.300s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		e.t.Errorf("Content-Type %q, want application/json", ct)
	}
	var er errorResponse
	if err := json.Unmarshal(body, &er); err != nil {
		e.t.Fatalf("error body %.300s is not JSON: %v", body, err)
	}
	if er.Error.Code != code {
		e.t.Errorf("error code %q, want %q (message %q)", er.Error.Code, code, er.Error.Message)
	}
	if er.Error.Message == "" {
		e.t.Errorf("error without message: %.300s", body)
	}
	return er.Error.Message
}

// talkID finds a seeded talk by its exact title through the service, so that
// tests do not depend on how ids are assigned.
func (e *testEnv) talkID(title string) int64 {
	e.t.Helper()
	res, err := e.svc.SearchTalks(context.Background(), catalog.SearchRequest{Sort: catalog.SortOldest, PerPage: catalog.MaxPerPage})
	if err != nil {
		e.t.Fatalf("list talks: %v", err)
	}
	for _, h := range res.Hits {
		if h.Talk != nil && h.Talk.Title == title {
			return h.Talk.ID
		}
	}
	e.t.Fatalf("no talk titled %q", title)
	return 0
}

func (e *testEnv) eventID(name string) int64 {
	e.t.Helper()
	events, err := e.svc.ListEvents(context.Background(), catalog.EventFilter{})
	if err != nil {
		e.t.Fatalf("list events: %v", err)
	}
	for _, ev := range events {
		if ev.Name == name {
			return ev.ID
		}
	}
	e.t.Fatalf("no event named %q", name)
	return 0
}

func (e *testEnv) findTalk(id int64) *catalog.Talk {
	e.t.Helper()
	talk, err := e.svc.FindTalkByID(context.Background(), id)
	if err != nil {
		e.t.Fatalf("find talk %d: %v", id, err)
	}
	return talk
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests can see the 303 of a form post.
func (e *testEnv) browser() *http.Client {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (e *testEnv) get(client *http.Client, path string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.send(client, req)
}

func (e *testEnv) postForm(client *http.Client, path string, form url.Values) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.send(client, req)
}

// parseHTML parses a page, failing the test when it is not HTML.
func parseHTML(t *testing.T, body []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// findAll returns the element nodes for which match is true, in document order.
func findAll(root *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

func byID(root *html.Node, id string) *html.Node {
	nodes := findAll(root, func(n *html.Node) bool { return attr(n, "id") == id })
	if len(nodes) == 0 {
		return nil
	}
	return nodes[0]
}

func byClass(root *html.Node, class string) []*html.Node {
	return findAll(root, func(n *html.Node) bool { return hasClass(n, class) })
}

func byTag(root *html.Node, tag string) []*html.Node {
	return findAll(root, func(n *html.Node) bool { return n.Data == tag })
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// innerHTML renders n's children back to HTML.
func innerHTML(t *testing.T, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// formToken returns the _csrf value of the form with the given id.
func formToken(t *testing.T, doc *html.Node, formID string) string {
	t.Helper()
	form := byID(doc, formID)
	if form == nil {
		t.Fatalf("no form #%s", formID)
	}
	for _, in := range byTag(form, "input") {
		if attr(in, "name") == csrfField {
			return attr(in, "value")
		}
	}
	t.Fatalf("form #%s has no %s field", formID, csrfField)
	return ""
}

// seedCount counts the seeded talks that satisfy keep; expected totals are
// computed from the seed records, not from the service under test.
func seedCount(keep func(*catalog.Talk) bool) int {
	n := 0
	for _, t := range seedTalks() {
		t.Normalize()
		if keep(t) {
			n++
		}
	}
	return n
}

type htmlNode = html.Node

func parseQuery(q string) (url.Values, error) { return url.ParseQuery(q) }
