package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestSecurityHeaders(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RoCE in the Data Centre")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
	}
	requests := []struct {
		method, path, contentType, body string
	}{
		{"GET", "/", "", ""},
		{"GET", fmt.Sprintf("/talks/%d", id), "", ""},
		{"GET", "/events", "", ""},
		{"GET", "/api/v1/talks?q=bgp", "", ""},
		{"GET", "/api/v1/talks/999999", "", ""},
		{"PUT", fmt.Sprintf("/api/v1/talks/%d/rating", id), "text/plain", "x"},
		{"POST", fmt.Sprintf("/talks/%d/rating", id), "application/x-www-form-urlencoded", "stars=1"},
		{"GET", "/healthz", "", ""},
		{"GET", "/static/app.css", "", ""},
		{"GET", "/static/missing.js", "", ""},
		{"GET", "/nowhere", "", ""},
		{"DELETE", "/", "", ""},
	}
	for _, r := range requests {
		resp, _ := env.do(r.method, r.path, r.contentType, r.body)
		for name, value := range want {
			if got := resp.Header.Get(name); got != value {
				t.Errorf("%s %s (%d): %s = %q, want %q", r.method, r.path, resp.StatusCode, name, got, value)
			}
		}
	}
}

func TestStaticFiles(t *testing.T) {
	env := newTestEnv(t)
	for _, tt := range []struct {
		path, contentType, contains string
	}{
		{"/static/app.css", "text/css", "--accent"},
		{"/static/app.js", "javascript", "use strict"},
	} {
		resp, body := env.do(http.MethodGet, tt.path, "", "")
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), tt.contentType) || !strings.Contains(string(body), tt.contains) {
			t.Errorf("GET %s: %d %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}

	// The page links assets with a content hash, which may be cached for long.
	_, page := env.do(http.MethodGet, "/", "", "")
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("the page does not link /static/app.css?v=…")
	}
	resp, _ := env.do(http.MethodGet, string(m[1]), "", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d Cache-Control %q", m[1], resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

// TestStaticPathTraversal sends raw request lines, so that no client cleans
// the path first; nothing outside web/static may come back.
func TestStaticPathTraversal(t *testing.T) {
	env := newTestEnv(t)
	paths := []string{
		"/static/../go.mod",
		"/static/../../go.mod",
		"/static/%2e%2e/go.mod",
		"/static/%2e%2e%2fgo.mod",
		"/static/..%2f..%2fgo.mod",
		"/static/%2e%2e%2f%2e%2e%2fgo.mod",
		"/static/../embed.go",
		"/static/..%5cembed.go",
		"/static//etc/passwd",
		"/static/%2fetc%2fpasswd",
		"/static/./app.css/../../embed.go",
		"/static/templates/layout.html",
		"/static/../templates/layout.html",
		"/static/",
		"/static/.",
	}
	for _, p := range paths {
		status, body := rawGet(t, env.ts.Listener.Addr().String(), p)
		if status != http.StatusNotFound && status != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 404 or 400", p, status)
		}
		for _, leak := range []string{"module github.com", "go:embed", "{{define", "root:"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s leaked a file (%q)", p, leak)
			}
		}
	}
}

func rawGet(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestOpenAPIDocument(t *testing.T) {
	env := newTestEnv(t)
	resp, body := env.do(http.MethodGet, "/api/v1/openapi.json", "", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Info    map[string]any            `json:"info"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info["title"] == nil || doc.Info["version"] == nil {
		t.Errorf("info lacks title or version: %v", doc.Info)
	}
	if len(doc.Paths) == 0 {
		t.Fatalf("no paths")
	}

	// Every API route the server registers is documented, and every
	// documented operation exists.
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" && method != "summary" && method != "description" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	registered := map[string]bool{}
	braces := regexp.MustCompile(`:([A-Za-z_]+)`)
	for _, r := range env.srv.routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") && r.Path != "/healthz" {
			continue
		}
		path := braces.ReplaceAllString(r.Path, "{$1}")
		if r.Method == http.MethodHead {
			// HEAD is GET without the body (RFC 9110, 9.3.2); OpenAPI
			// documents it only as a separate operation, which would copy
			// every GET. It is served for GET routes only, so it must shadow
			// a documented GET.
			if !documented["GET "+path] {
				t.Errorf("route HEAD %s has no documented GET", path)
			}
			continue
		}
		key := r.Method + " " + path
		registered[key] = true
		if !documented[key] {
			t.Errorf("route %s is missing from openapi.json", key)
		}
	}
	if len(registered) < 10 {
		t.Errorf("only %d API routes registered; the route listing is broken", len(registered))
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("openapi.json documents %s, which the server does not serve", key)
		}
	}

	// Every $ref points at something that exists.
	var whole map[string]any
	if err := json.Unmarshal(body, &whole); err != nil {
		t.Fatal(err)
	}
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/([^"]+)"`).FindAllStringSubmatch(string(body), -1) {
		var node any = whole
		for _, part := range strings.Split(ref[1], "/") {
			m, ok := node.(map[string]any)
			if !ok {
				node = nil
				break
			}
			node = m[part]
		}
		if node == nil {
			t.Errorf("dangling $ref #/%s", ref[1])
		}
	}
}

func TestServeShutsDownWhenContextEnds(t *testing.T) {
	srv, err := New(Config{Addr: "127.0.0.1:0"}, newTestService(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz status %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v after cancel, want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}

func TestNewRejectsNilService(t *testing.T) {
	if _, err := New(Config{}, nil, nil); err == nil {
		t.Error("New with a nil service succeeded")
	}
}

func TestMaxBodyBytesConfig(t *testing.T) {
	env := newTestEnvConfig(t, Config{MaxBodyBytes: 64}, newTestService(t))
	path := fmt.Sprintf("/api/v1/talks/%d/note", env.talkID("RoCE in the Data Centre"))
	resp, body := env.do(http.MethodPut, path, "application/json", `{"text": "`+strings.Repeat("a", 100)+`"}`)
	env.expectAPIError(resp, body, http.StatusRequestEntityTooLarge, catalog.EINVALID)
	resp, body = env.do(http.MethodPut, path, "application/json", `{"text": "short"}`)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("small body under a 64-byte limit: %d %s", resp.StatusCode, body)
	}
}

func TestParseSearchRequest(t *testing.T) {
	tests := []struct {
		query string
		want  catalog.SearchRequest
	}{
		{"", catalog.SearchRequest{Sort: "relevance", Page: 1, PerPage: 20}},
		{"q=+bgp+&sort=&series=&page=", catalog.SearchRequest{Query: "bgp", Sort: "relevance", Page: 1, PerPage: 20}},
		{"series=A&series=B&year=2020&year=2021&min_rating=3&watched=false&has=video&sort=newest&page=2&per_page=5",
			catalog.SearchRequest{Sort: "newest", Page: 2, PerPage: 5, Filter: catalog.TalkFilter{
				Series: []string{"A", "B"}, Year: []int{2020, 2021}, MinRating: 3, Watched: new(false), Has: []string{"video"},
			}}},
		{"speaker=Jane+Smith&tag=bgp&event=RIPE+86", catalog.SearchRequest{Sort: "relevance", Page: 1, PerPage: 20, Filter: catalog.TalkFilter{
			Speaker: []string{"Jane Smith"}, Tag: []string{"bgp"}, Event: []string{"RIPE 86"},
		}}},
	}
	for _, tt := range tests {
		values, err := parseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseSearchRequest(values)
		if err != nil {
			t.Errorf("%q: %v", tt.query, err)
			continue
		}
		if fmt.Sprintf("%+v", normalizeForCompare(got)) != fmt.Sprintf("%+v", normalizeForCompare(tt.want)) {
			t.Errorf("%q:\n got %+v\nwant %+v", tt.query, normalizeForCompare(got), normalizeForCompare(tt.want))
		}
	}
}

// normalizeForCompare dereferences Watched so that %+v compares values.
func normalizeForCompare(r catalog.SearchRequest) string {
	w := "any"
	if r.Filter.Watched != nil {
		w = fmt.Sprint(*r.Filter.Watched)
	}
	r.Filter.Watched = nil
	return fmt.Sprintf("%+v watched=%s", r, w)
}

func TestBuildPager(t *testing.T) {
	url := func(n int) string { return fmt.Sprint(n) }
	tests := []struct {
		total, page, perPage int
		wantPages            string
		prev, next           string
	}{
		{0, 1, 20, "", "", ""},
		{20, 1, 20, "", "", ""},
		{21, 1, 20, "1* 2", "", "2"},
		{100, 5, 10, "1 …3 4 5* 6 7 …10", "4", "6"},
		{100, 1, 10, "1* 2 3 …10", "", "2"},
		{100, 10, 10, "1 …8 9 10*", "9", ""},
	}
	for _, tt := range tests {
		p := buildPager(tt.total, tt.page, tt.perPage, url)
		var parts []string
		for _, pl := range p.Pages {
			s := fmt.Sprint(pl.Number)
			if pl.Gap {
				s = "…" + s
			}
			if pl.Current {
				s += "*"
			}
			parts = append(parts, s)
		}
		if got := strings.Join(parts, " "); got != tt.wantPages || p.Prev != tt.prev || p.Next != tt.next {
			t.Errorf("buildPager(%d, %d, %d) = %q prev %q next %q; want %q prev %q next %q",
				tt.total, tt.page, tt.perPage, got, p.Prev, p.Next, tt.wantPages, tt.prev, tt.next)
		}
	}
}

func TestAtLeastCounts(t *testing.T) {
	got := atLeastCounts([]catalog.FacetValue{{Value: "2", Count: 1}, {Value: "5", Count: 2}, {Value: "4", Count: 3}, {Value: "x", Count: 9}})
	want := []catalog.FacetValue{{Value: "5", Count: 2}, {Value: "4", Count: 5}, {Value: "2", Count: 6}}
	if !slices.Equal(got, want) {
		t.Errorf("atLeastCounts = %v, want %v", got, want)
	}
}

func TestRatingFacetLinksSetMinRating(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	for title, stars := range map[string]int{"RoCE in the Data Centre": 5, "Peering DB Update": 4, "DNS Privacy Measurements": 2} {
		if err := env.svc.SetRating(ctx, env.talkID(title), stars); err != nil {
			t.Fatal(err)
		}
	}
	c := env.browser()
	doc := env.getPage(c, "/", http.StatusOK)
	links := findAll(doc, func(n *htmlNode) bool { return n.Data == "a" && inClass(n, "facet-rating") })
	var hrefs []string
	for _, a := range links {
		hrefs = append(hrefs, attr(a, "href"))
	}
	sort.Strings(hrefs)
	if strings.Join(hrefs, " ") != "/?min_rating=2 /?min_rating=4 /?min_rating=5" {
		t.Fatalf("rating facet links %v", hrefs)
	}
	doc = env.getPage(c, "/?min_rating=4", http.StatusOK)
	if got := resultTotal(t, doc); got != 2 {
		t.Errorf("min_rating=4 shows %d talks, want 2", got)
	}
}

func BenchmarkSearchPage(b *testing.B) {
	srv, err := New(Config{}, newTestService(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	req := httptest.NewRequest(http.MethodGet, "/?q=bgp&series=RIPE&series=AusNOG&sort=newest", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkSearchAPI(b *testing.B) {
	srv, err := New(Config{}, newTestService(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/talks?q=bgp&per_page=10", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
