package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// badRequest is one hostile or broken request and the answer it must get.
type badRequest struct {
	name   string
	method string
	target string // sent verbatim as the request target: path, then ?query; never cleaned or re-escaped
	ctype  string
	body   string
	header map[string]string
	host   string // Host header; "" keeps the test server's
	status int    // the expected 4xx
}

// badRequests lists the table for a talk id that exists; every entry must
// be refused with its 4xx and write nothing.
func badRequests(id int64) []badRequest {
	talk := fmt.Sprintf("/api/v1/talks/%d", id)
	page := fmt.Sprintf("/talks/%d", id)
	const jsonType = "application/json"
	get := func(name, target string, status int) badRequest {
		return badRequest{name: name, method: http.MethodGet, target: target, status: status}
	}
	search := func(name, query string) badRequest {
		return get(name, "/api/v1/talks?"+query, http.StatusBadRequest)
	}
	put := func(name, path, body string, status int) badRequest {
		return badRequest{name: name, method: http.MethodPut, target: path, ctype: jsonType, body: body, status: status}
	}
	q := url.QueryEscape
	tooManyClauses := strings.TrimSpace(strings.Repeat("w ", 1000))
	return []badRequest{
		// Broken queries.
		search("unterminated quote", "q="+q(`"route reflector`)),
		search("unknown field", "q="+q("nosuchfield:x")),
		search("field without value", "q="+q("title:")),
		search("empty phrase on a field", "q="+q(`title:""`)),
		search("lone plus", "q=%2B"),
		search("lone minus", "q=-"),
		search("year that is no year", "q="+q("year:abc")),
		search("year zero", "q="+q("year:0")),
		// Huge queries and bombs over the limits.
		search("10 KB query", "q="+strings.Repeat("a", 10<<10)),
		search("1000 clauses", "q="+q(tooManyClauses)),
		search("deep wildcard over the length limit", "q="+strings.Repeat("a%2A", 600)),
		search("nested regexp over the length limit", "q="+q("/"+strings.Repeat("(a+)+", 250)+"$/")),
		search("fuzzy bomb over the length limit", "q="+strings.Repeat("~", 1001)),
		search("1001 parameters", strings.Repeat("series=x&", 1000)+"series=x"),
		search("filter repeated 51 times", strings.TrimSuffix(strings.Repeat("series=x&", 51), "&")),
		search("malformed escape", "q=%zz"),
		search("semicolon separator", "q=bgp;series=x"),
		// Parameters out of range or of the wrong type.
		search("unknown sort", "sort=loudest"),
		search("page zero", "page=0"),
		search("negative page", "page=-1"),
		search("page past the cap", "page=1000000"),
		search("page not a number", "page=two"),
		search("per_page zero", "per_page=0"),
		search("per_page over the cap", "per_page=100000"),
		search("per_page overflow", "per_page=99999999999999999999999"),
		search("min_rating 6", "min_rating=6"),
		search("min_rating -1", "min_rating=-1"),
		search("min_rating twice", "min_rating=1&min_rating=2"),
		search("year not a number", "year=MMXIX"),
		search("watched not a boolean", "watched=maybe"),
		search("unknown has", "has=audio"),
		search("unknown watch state", "watch=later"),
		search("watched_since not a date", "watched_since=yesterday"),
		search("mine not a boolean", "mine=perhaps"),
		// Invalid JSON and wrong types.
		put("truncated JSON", talk+"/rating", `{"stars": 5`, http.StatusBadRequest),
		put("empty body", talk+"/rating", ``, http.StatusBadRequest),
		put("JSON array", talk+"/rating", `[5]`, http.StatusBadRequest),
		put("JSON string", talk+"/rating", `"5"`, http.StatusBadRequest),
		put("JSON null", talk+"/rating", `null`, http.StatusBadRequest),
		put("stars as a string", talk+"/rating", `{"stars": "5"}`, http.StatusBadRequest),
		put("stars as a fraction", talk+"/rating", `{"stars": 3.5}`, http.StatusBadRequest),
		put("stars overflowing", talk+"/rating", `{"stars": 1e309}`, http.StatusBadRequest),
		put("unknown field", talk+"/rating", `{"star": 5}`, http.StatusBadRequest),
		put("trailing object", talk+"/rating", `{"stars": 5}{"stars": 1}`, http.StatusBadRequest),
		put("deeply nested JSON", talk+"/note", `{"text": `+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`, http.StatusBadRequest),
		put("note as a number", talk+"/note", `{"text": 42}`, http.StatusBadRequest),
		put("note with invalid UTF-16 escape", talk+"/note", `{"text": "\ud800"}`+"x", http.StatusBadRequest),
		put("watched as a string", talk+"/watched", `{"watched": "yes"}`, http.StatusBadRequest),
		put("unknown watch status", talk+"/watch", `{"status": "later"}`, http.StatusBadRequest),
		put("watch status missing", talk+"/watch", `{}`, http.StatusBadRequest),
		put("tags as a string", talk+"/tags", `{"tags": "bgp"}`, http.StatusBadRequest),
		put("tags missing", talk+"/tags", `{}`, http.StatusBadRequest),
		put("too many tags", talk+"/tags", `{"tags": [`+tagList(catalog.MaxTagsOnTalk+1)+`]}`, http.StatusBadRequest),
		put("PUT a note revert", talk+"/note/revert", `{"revision": 1}`, http.StatusMethodNotAllowed),
		{name: "revert with wrong type", method: http.MethodPost, target: talk + "/note/revert", ctype: jsonType, body: `{"revision": "first"}`, status: http.StatusBadRequest},
		{name: "markdown text as an object", method: http.MethodPost, target: "/api/v1/markdown", ctype: jsonType, body: `{"text": {}}`, status: http.StatusBadRequest},
		{name: "saved search without a name", method: http.MethodPost, target: "/api/v1/searches", ctype: jsonType, body: `{"q": "bgp"}`, status: http.StatusBadRequest},
		{name: "saved search with a broken query", method: http.MethodPost, target: "/api/v1/searches", ctype: jsonType, body: `{"name": "x", "q": "\"open"}`, status: http.StatusBadRequest},
		{name: "saved search filters of the wrong type", method: http.MethodPost, target: "/api/v1/searches", ctype: jsonType, body: `{"name": "x", "filters": {"series": "NANOG"}}`, status: http.StatusBadRequest},
		// Over-long notes and ratings out of range.
		put("note one byte over the limit", talk+"/note", noteBody(catalog.MaxNoteBytes+1), http.StatusBadRequest),
		put("rating 0", talk+"/rating", `{"stars": 0}`, http.StatusBadRequest),
		put("rating 6", talk+"/rating", `{"stars": 6}`, http.StatusBadRequest),
		put("rating -1", talk+"/rating", `{"stars": -1}`, http.StatusBadRequest),
		put("rating MaxInt64", talk+"/rating", `{"stars": 9223372036854775807}`, http.StatusBadRequest),
		// Unknown and malformed ids.
		get("unknown talk", "/api/v1/talks/999999", http.StatusNotFound),
		get("talk id zero", "/api/v1/talks/0", http.StatusBadRequest),
		get("negative talk id", "/api/v1/talks/-1", http.StatusBadRequest),
		get("talk id not a number", "/api/v1/talks/abc", http.StatusBadRequest),
		get("talk id overflowing", "/api/v1/talks/99999999999999999999", http.StatusBadRequest),
		get("talk id with SQL", "/api/v1/talks/1%20OR%201=1", http.StatusBadRequest),
		get("unknown event", "/api/v1/events/999999", http.StatusNotFound),
		get("unknown saved search", "/api/v1/searches/no-such-search", http.StatusNotFound),
		get("unknown API path", "/api/v1/nothing", http.StatusNotFound),
		get("history of an unknown talk", "/api/v1/talks/999999/note/history", http.StatusNotFound),
		put("rating an unknown talk", "/api/v1/talks/999999/rating", `{"stars": 3}`, http.StatusNotFound),
		put("note on an unknown talk", "/api/v1/talks/999999/note", `{"text": "x"}`, http.StatusNotFound),
		{name: "untag an unknown talk", method: http.MethodDelete, target: "/api/v1/talks/999999/tags/bgp", status: http.StatusNotFound},
		{name: "delete an unknown saved search", method: http.MethodDelete, target: "/api/v1/searches/no-such-search", status: http.StatusNotFound},
		// Wrong methods.
		{name: "PATCH a talk", method: http.MethodPatch, target: talk, ctype: jsonType, body: `{"rating": 5}`, status: http.StatusMethodNotAllowed},
		{name: "DELETE a talk", method: http.MethodDelete, target: talk, status: http.StatusMethodNotAllowed},
		{name: "DELETE the search", method: http.MethodDelete, target: "/api/v1/talks", status: http.StatusMethodNotAllowed},
		{name: "POST the series", method: http.MethodPost, target: "/api/v1/series", ctype: jsonType, body: `{}`, status: http.StatusMethodNotAllowed},
		{name: "PUT healthz", method: http.MethodPut, target: "/healthz", ctype: jsonType, body: `{}`, status: http.StatusMethodNotAllowed},
		{name: "POST a rating", method: http.MethodPost, target: talk + "/rating", ctype: jsonType, body: `{"stars": 5}`, status: http.StatusMethodNotAllowed},
		{name: "GET a note write", method: http.MethodGet, target: talk + "/note", status: http.StatusMethodNotAllowed},
		// Bad Content-Type.
		{name: "rating as text/plain", method: http.MethodPut, target: talk + "/rating", ctype: "text/plain", body: `{"stars": 5}`, status: http.StatusUnsupportedMediaType},
		{name: "rating without a Content-Type", method: http.MethodPut, target: talk + "/rating", body: `{"stars": 5}`, status: http.StatusUnsupportedMediaType},
		{name: "note as a form", method: http.MethodPut, target: talk + "/note", ctype: "application/x-www-form-urlencoded", body: "text=x", status: http.StatusUnsupportedMediaType},
		{name: "note as jsonx", method: http.MethodPut, target: talk + "/note", ctype: "application/jsonx", body: `{"text": "x"}`, status: http.StatusUnsupportedMediaType},
		{name: "malformed Content-Type", method: http.MethodPut, target: talk + "/note", ctype: "application/json; =", body: `{"text": "x"}`, status: http.StatusUnsupportedMediaType},
		// Oversized bodies: declared, and streamed without a length.
		put("body over the limit", talk+"/note", noteBody(DefaultMaxBodyBytes+1), http.StatusRequestEntityTooLarge),
		{name: "form body over the limit", method: http.MethodPost, target: page + "/note", ctype: "application/x-www-form-urlencoded",
			body: "text=" + strings.Repeat("x", DefaultMaxBodyBytes), status: http.StatusRequestEntityTooLarge},
		// Bad Host and header tricks.
		{name: "foreign Host (DNS rebinding)", method: http.MethodGet, target: "/api/v1/talks", host: "attacker.example", status: http.StatusForbidden},
		{name: "foreign Host on a write", method: http.MethodPut, target: talk + "/rating", ctype: jsonType, body: `{"stars": 5}`, host: "attacker.example:80", status: http.StatusForbidden},
		{name: "Host that only ends like localhost", method: http.MethodGet, target: "/api/v1/talks", host: "evil-localhost", status: http.StatusForbidden},
		{name: "encoded CRLF in a query", method: http.MethodGet, target: "/api/v1/talks?q=%22a%0d%0aSet-Cookie:%20x=y", status: http.StatusBadRequest},
		{name: "encoded CRLF in a tag path", method: http.MethodDelete, target: "/api/v1/talks/999999/tags/x%0d%0aSet-Cookie:%20x=y", status: http.StatusNotFound},
		// Path traversal in static paths.
		get("dot-dot in static", "/static/../../etc/passwd", http.StatusNotFound),
		get("encoded dot-dot in static", "/static/%2e%2e/%2e%2e/go.mod", http.StatusNotFound),
		get("encoded slash in static", "/static/..%2f..%2fgo.mod", http.StatusNotFound),
		get("encoded backslash in static", "/static/..%5c..%5cgo.mod", http.StatusNotFound),
		get("raw backslash in static", `/static/..\..\go.mod`, http.StatusNotFound),
		get("absolute path in static", "/static//etc/passwd", http.StatusNotFound),
		get("NUL in static", "/static/app.css%00.png", http.StatusNotFound),
		get("dot segment in static", "/static/./app.css", http.StatusNotFound),
		get("static directory", "/static/", http.StatusNotFound),
		get("overlong UTF-8 dot-dot in static", "/static/%c0%ae%c0%ae/go.mod", http.StatusNotFound),
		// HTML form posts without CSRF protection.
		{name: "rating form without token", method: http.MethodPost, target: page + "/rating", ctype: "application/x-www-form-urlencoded", body: "stars=5", status: http.StatusForbidden},
		{name: "note form without token", method: http.MethodPost, target: page + "/note", ctype: "application/x-www-form-urlencoded", body: "text=pwned", status: http.StatusForbidden},
		{name: "note form with a made-up token", method: http.MethodPost, target: page + "/note", ctype: "application/x-www-form-urlencoded", body: "_csrf=forged&text=pwned",
			header: map[string]string{"Cookie": "_csrf=other"}, status: http.StatusForbidden},
		{name: "watched form from another site", method: http.MethodPost, target: page + "/watched", ctype: "application/x-www-form-urlencoded", body: "watched=true",
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: http.StatusForbidden},
		{name: "save search form without token", method: http.MethodPost, target: "/searches", ctype: "application/x-www-form-urlencoded", body: "name=x&q=bgp", status: http.StatusForbidden},
	}
}

// tagList renders n distinct tags as JSON array elements.
func tagList(n int) string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf(`"tag%d"`, i)
	}
	return strings.Join(tags, ",")
}

// noteBody is a note request whose text is n bytes of ASCII.
func noteBody(n int) string {
	data, err := json.Marshal(map[string]string{"text": strings.Repeat("n", n)})
	if err != nil {
		panic(err)
	}
	return string(data)
}

// TestBadRequests sends every request of the table to the real server and
// requires its 4xx, a JSON error with a message on API paths, and no write.
func TestBadRequests(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("BGP Route Reflector Design")
	before := env.findTalk(id)
	tests := badRequests(id)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.in(t).sendRaw(tt)
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %.80s: status %d, want %d; body %.300s", tt.method, tt.target, resp.StatusCode, tt.status, body)
			}
			if set := resp.Header.Values("Set-Cookie"); strings.Contains(strings.Join(set, ";"), "x=y") {
				t.Errorf("a header was injected: Set-Cookie %q", set)
			}
			if strings.Contains(string(body), "module github.com/talkdex") || strings.Contains(string(body), "root:") {
				t.Errorf("the answer leaks a file outside web/static: %.300s", body)
			}
			if isAPIPath(strings.SplitN(tt.target, "?", 2)[0]) {
				checkJSONError(t, resp, body)
			}
		})
	}
	t.Logf("%d bad requests sent, each refused with its 4xx", len(tests))

	after := env.findTalk(id)
	if after.Rating != before.Rating || after.Note != before.Note || after.Watched != before.Watched ||
		after.Watch != before.Watch || len(after.MyTags) != len(before.MyTags) {
		t.Errorf("bad requests changed the talk:\nbefore %+v\nafter  %+v", before, after)
	}
	saved, err := env.svc.ListSavedSearches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 0 {
		t.Errorf("bad requests created %d saved searches", len(saved))
	}
	if strings.Contains(env.logs.String(), "level=ERROR") {
		t.Errorf("a bad request was logged as an internal error:\n%s", env.logs.String())
	}
}

// checkJSONError requires the API's error shape: JSON, a client error code
// and a message.
func checkJSONError(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	var er errorResponse
	if err := json.Unmarshal(body, &er); err != nil {
		t.Fatalf("error body %.300s is not JSON: %v", body, err)
	}
	if er.Error.Code == "" || er.Error.Code == catalog.EINTERNAL {
		t.Errorf("error code %q for a client error", er.Error.Code)
	}
	if strings.TrimSpace(er.Error.Message) == "" {
		t.Errorf("error without a message: %.300s", body)
	}
}

// sendRaw sends tt with its target exactly as written: net/http would
// otherwise clean or re-escape dot segments and percent-encodings, which is
// the very thing a traversal attempt depends on.
func (e *testEnv) sendRaw(tt badRequest) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(tt.method, e.ts.URL, strings.NewReader(tt.body))
	if err != nil {
		e.t.Fatal(err)
	}
	path, query, _ := strings.Cut(tt.target, "?")
	req.URL.Opaque, req.URL.RawQuery = path, query
	if tt.ctype != "" {
		req.Header.Set("Content-Type", tt.ctype)
	}
	for k, v := range tt.header {
		req.Header.Set(k, v)
	}
	if tt.host != "" {
		req.Host = tt.host
	}
	return e.send(e.ts.Client(), req)
}

// TestDefusedQueryBombs: wildcard, regexp and fuzzy syntax within the length
// limits is plain text to talkdex's query parser, so such queries are no
// bombs at all: they are answered like any search, never refused and never
// with a 5xx.
func TestDefusedQueryBombs(t *testing.T) {
	env := newTestEnv(t)
	for _, query := range []string{
		strings.Repeat("a*", 400) + "b",
		"/(a+)+$/",
		"/" + strings.Repeat("(a|aa)*", 100) + "$/",
		"~~~~",
		"bgp~2 route^100 [* TO *] {a TO b}",
		strings.TrimSpace(strings.Repeat("w* ", 32)),
		`title:*` + " " + `speaker:?` + " " + `note:/.*/`,
	} {
		// A query of punctuation alone holds no words and matches like an
		// empty one; what matters is that it is answered, not what it
		// matches.
		var res catalog.SearchResult
		env.in(t).getJSON("/api/v1/talks?q="+url.QueryEscape(query), http.StatusOK, &res)
		if res.Total > len(seedTalks()) {
			t.Errorf("q=%.60q matched %d talks of %d", query, res.Total, len(seedTalks()))
		}
	}
}

// rawExchange writes a request byte for byte on a new connection and reads
// the answer: net/http's client refuses to send the malformed headers these
// requests carry, so they cannot be sent any other way.
func rawExchange(t *testing.T, addr, raw string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read answer to %q: %v", raw, err)
	}
	resp.Body.Close()
	return resp
}

// TestMalformedHeaders: header injection and request smuggling attempts are
// refused by net/http before any handler runs (so the answer is Go's plain
// 400, not the API's JSON), and nothing reaches the catalog. An unknown
// Transfer-Encoding is left out: net/http answers it 501, as RFC 9112 asks.
func TestMalformedHeaders(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("BGP Route Reflector Design")
	addr := strings.TrimPrefix(env.ts.URL, "http://")
	write := fmt.Sprintf("PUT /api/v1/talks/%d/rating HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", id, addr)
	body := `{"stars": 5}`
	tests := []struct {
		name string
		raw  string
	}{
		{"CR inside a header value", write + "X-Note: a\rSet-Cookie: x=y\r\nContent-Length: 12\r\n\r\n" + body},
		{"space in a header name", write + "Bad Header: x\r\nContent-Length: 12\r\n\r\n" + body},
		{"two different Content-Lengths", write + "Content-Length: 12\r\nContent-Length: 3\r\n\r\n" + body},
		{"CRLF in the request target", "GET /api/v1/talks?q=a\r\nSet-Cookie: x=y HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"},
		{"no Host on HTTP/1.1", fmt.Sprintf("PUT /api/v1/talks/%d/rating HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n", id) + body},
		{"NUL in a header value", write + "X-Note: a\x00b\r\nContent-Length: 12\r\n\r\n" + body},
		{"header line without a colon", write + "Content-Length: 12\r\nnocolon\r\n\r\n" + body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawExchange(t, addr, tt.raw)
			if resp.StatusCode < 400 || resp.StatusCode > 499 {
				t.Errorf("status %d, want a 4xx", resp.StatusCode)
			}
			if strings.Contains(strings.Join(resp.Header.Values("Set-Cookie"), ";"), "x=y") {
				t.Errorf("a header was injected")
			}
		})
	}
	t.Logf("%d malformed raw requests sent", len(tests))
	if got := env.findTalk(id); got.Rating != 0 {
		t.Errorf("a malformed request rated the talk %d", got.Rating)
	}
}
