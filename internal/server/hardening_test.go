package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Regression tests for defects found in review: malformed forms and query
// strings, the Host check against DNS rebinding, client disconnects, HEAD
// and page=0 on events.

// in returns a copy of e that reports to t, for use inside subtests.
func (e *testEnv) in(t *testing.T) *testEnv {
	c := *e
	c.t = t
	return &c
}

func TestMalformedFormBodyIs400(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("BGP Route Reflector Design")
	talkPath := fmt.Sprintf("/talks/%d", id)
	c := env.browser()
	token := env.loadForm(c, id, "rating-form")

	tests := []struct {
		name    string
		path    string
		body    string
		headers map[string]string
	}{
		// A browser that sends Sec-Fetch-Site is checked by that header, so
		// the body reaches the handler unread.
		{"sec-fetch-site", talkPath + "/rating", "stars=%zz&x", map[string]string{"Sec-Fetch-Site": "same-origin"}},
		// The token in a header: the CSRF check parses the body first and
		// ignores the error; the write must still be refused.
		{"token in header", talkPath + "/rating", "stars=3&x=%zz", map[string]string{csrfHeader: token}},
		// The token in the body, next to a broken field.
		{"token in body", talkPath + "/rating", csrfField + "=" + url.QueryEscape(token) + "&stars=3&x=%zz", nil},
		{"bad escape in note", talkPath + "/note", "text=%zzhello", map[string]string{"Sec-Fetch-Site": "same-origin"}},
		{"semicolon", talkPath + "/watched", "watched=true;x=1", map[string]string{"Sec-Fetch-Site": "same-origin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, env.ts.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, body := env.in(t).send(c, req)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %.300s", resp.StatusCode, body)
			}
			if msg := textOf(parseHTML(t, body)); !strings.Contains(msg, "malformed") {
				t.Errorf("the page does not say the form is malformed: %.300s", msg)
			}
		})
	}
	got := env.findTalk(id)
	if got.Rating != 0 || got.Note != "" || got.Watched {
		t.Errorf("a malformed form changed the talk: rating %d note %q watched %t", got.Rating, got.Note, got.Watched)
	}
	if strings.Contains(env.logs.String(), "level=ERROR") {
		t.Errorf("a client error was logged as an internal error:\n%s", env.logs.String())
	}

	// An oversized form is still 413, not 400.
	req, err := http.NewRequest(http.MethodPost, env.ts.URL+talkPath+"/note",
		strings.NewReader("text="+strings.Repeat("a", DefaultMaxBodyBytes)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp, body := env.send(c, req); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: status %d, want 413; body %.300s", resp.StatusCode, body)
	}
}

func TestMalformedQueryStringIs400(t *testing.T) {
	env := newTestEnv(t)
	eventPath := fmt.Sprintf("/events/%d", env.eventID("RIPE 86"))
	tooMany := "series=RIPE&" + strings.Repeat("x=1&", maxQueryParams)
	goTooMany := "series=RIPE&" + strings.Repeat("x=1&", 10_000)
	tooManySeries := strings.Repeat("series=RIPE&", maxFilterValues+1)
	tests := []struct {
		name  string
		query string
		want  string // must appear in the message
	}{
		{"bad escape drops q", "series=RIPE&q=python%zz", `invalid URL escape "%zz"`},
		{"bad escape in key", "series=RIPE&%zz=1", "invalid URL escape"},
		{"semicolon", "series=RIPE;q=x", "semicolon"},
		{"more params than ours", tooMany, fmt.Sprintf("at most %d", maxQueryParams)},
		{"more params than Go's", goTooMany, fmt.Sprintf("at most %d", maxQueryParams)},
		{"too many values of one filter", tooManySeries, fmt.Sprintf("series is given %d times; at most %d", maxFilterValues+1, maxFilterValues)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := env.in(t)
			paths := []string{"/api/v1/talks", "/api/v1/events", eventPath, "/api/v1" + eventPath}
			if tt.name == "too many values of one filter" {
				paths = []string{"/api/v1/talks"} // the only route where series repeats
			}
			for _, p := range paths {
				if strings.HasPrefix(p, "/api/") {
					resp, body := env.do(http.MethodGet, p+"?"+tt.query, "", "")
					msg := env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
					if !strings.Contains(msg, tt.want) {
						t.Errorf("GET %s: message %q does not contain %q", p, msg, tt.want)
					}
					continue
				}
				resp, body := env.do(http.MethodGet, p+"?"+tt.query, "", "")
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(textOf(parseHTML(t, body)), tt.want) {
					t.Errorf("GET %s: status %d, want 400 with %q; body %.300s", p, resp.StatusCode, tt.want, body)
				}
			}
			// The search page shows the problem next to the form.
			resp, body := env.do(http.MethodGet, "/?"+tt.query, "", "")
			doc := parseHTML(t, body)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(textOf(doc), tt.want) {
				t.Errorf("GET /: status %d, want 400 with %q", resp.StatusCode, tt.want)
			}
			if len(byClass(doc, "result")) != 0 {
				t.Errorf("GET /: a malformed query still lists results")
			}
		})
	}

	// At the limits everything still works.
	atLimit := strings.Repeat("series=RIPE&", maxFilterValues)
	if res := env.search(atLimit); res.Total != 3 {
		t.Errorf("%d values of series: total %d, want 3", maxFilterValues, res.Total)
	}
}

func TestHostCheck(t *testing.T) {
	svc := newTestService(t)
	tests := []struct {
		name    string
		cfg     Config
		host    string
		allowed bool
	}{
		{"empty addr, test server host", Config{}, "", true}, // "" keeps the host of the test server URL
		{"localhost with port", Config{}, "localhost:8080", true},
		{"localhost without port", Config{}, "localhost", true},
		{"localhost upper case", Config{}, "LocalHost:1", true},
		{"localhost with root dot", Config{}, "localhost.:1", true},
		{"ipv4 loopback", Config{}, "127.0.0.1:9", true},
		{"ipv6 loopback", Config{}, "[::1]:8080", true},
		{"ipv6 loopback without port", Config{}, "[::1]", true},
		{"foreign name", Config{}, "attacker.example", false},
		{"foreign name with port", Config{}, "attacker.example:8080", false},
		{"localhost as a subdomain", Config{}, "localhost.attacker.example", false},
		{"other loopback address", Config{}, "127.0.0.2:8080", false},
		{"listen host", Config{Addr: "127.0.0.2:8080"}, "127.0.0.2:1234", true},
		{"listen host does not allow others", Config{Addr: "127.0.0.2:8080"}, "attacker.example", false},
		{"listen on localhost", Config{Addr: "localhost:8080"}, "attacker.example", false},
		{"listen on ::1", Config{Addr: "[::1]:8080"}, "[::1]:8080", true},
		{"allowed host", Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"talkdex.lan"}}, "talkdex.lan:8080", true},
		{"allowed host given with port", Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"Talkdex.LAN:80"}}, "talkdex.lan", true},
		{"allowed host does not allow others", Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"talkdex.lan"}}, "attacker.example", false},
		// Listening on other interfaces, the names clients use are unknown:
		// no check unless allowed hosts are configured.
		{"all interfaces", Config{Addr: "0.0.0.0:8080"}, "attacker.example", true},
		{"all interfaces, empty host", Config{Addr: ":8080"}, "attacker.example", true},
		{"all interfaces with allowed hosts", Config{Addr: "0.0.0.0:8080", AllowedHosts: []string{"talkdex.lan"}}, "attacker.example", false},
		{"all interfaces with allowed hosts, allowed", Config{Addr: "0.0.0.0:8080", AllowedHosts: []string{"talkdex.lan"}}, "talkdex.lan", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnvConfig(t, tt.cfg, svc)
			for _, p := range []string{"/api/v1/talks?q=bgp", "/", "/healthz", "/static/app.css"} {
				req, err := http.NewRequest(http.MethodGet, env.ts.URL+p, nil)
				if err != nil {
					t.Fatal(err)
				}
				if tt.host != "" {
					req.Host = tt.host
				}
				resp, body := env.send(env.ts.Client(), req)
				switch {
				case tt.allowed && resp.StatusCode != http.StatusOK:
					t.Errorf("GET %s with Host %q: status %d, want 200; body %.300s", p, tt.host, resp.StatusCode, body)
				case !tt.allowed && isAPIPath(p):
					msg := env.expectAPIError(resp, body, http.StatusForbidden, catalog.EUNAUTHORIZED)
					if !strings.Contains(msg, "host") {
						t.Errorf("GET %s: message %q does not explain the host check", p, msg)
					}
				case !tt.allowed:
					if resp.StatusCode != http.StatusForbidden || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
						t.Errorf("GET %s with Host %q: status %d %q, want 403 HTML", p, tt.host, resp.StatusCode, resp.Header.Get("Content-Type"))
					}
					if !strings.Contains(textOf(parseHTML(t, body)), "DNS rebinding") {
						t.Errorf("GET %s: the page does not explain the host check", p)
					}
				}
			}
		})
	}
}

// TestHostCheckWithoutHostHeader: an HTTP/1.0 request may have no Host; no
// browser sends one like that, so it cannot be a rebinding attack.
func TestHostCheckWithoutHostHeader(t *testing.T) {
	env := newTestEnvConfig(t, Config{Addr: "127.0.0.1:8080"}, newTestService(t))
	conn, err := net.Dial("tcp", env.ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprint(conn, "GET /healthz HTTP/1.0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz without Host: status %d, want 200", resp.StatusCode)
	}
}

// TestHostCheckBlocksWrites is the DNS rebinding attack itself: a page on a
// foreign name that resolves to 127.0.0.1 writes through the JSON API.
func TestHostCheckBlocksWrites(t *testing.T) {
	env := newTestEnvConfig(t, Config{Addr: "127.0.0.1:8080"}, newTestService(t))
	id := env.talkID("RPKI Deployment Status")
	for _, host := range []string{"attacker.example", "attacker.example:" + env.ts.URL[strings.LastIndex(env.ts.URL, ":")+1:]} {
		req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/talks/%d/rating", env.ts.URL, id), strings.NewReader(`{"stars": 5}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		req.Header.Set("Content-Type", "application/json")
		resp, body := env.send(env.ts.Client(), req)
		env.expectAPIError(resp, body, http.StatusForbidden, catalog.EUNAUTHORIZED)
	}
	if got := env.findTalk(id).Rating; got != 0 {
		t.Errorf("a write through a foreign Host set the rating to %d", got)
	}
	resp, body := env.do(http.MethodPut, fmt.Sprintf("/api/v1/talks/%d/rating", id), "application/json", `{"stars": 5}`)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("write through 127.0.0.1: status %d; body %s", resp.StatusCode, body)
	}
}

// blockingSearch waits, inside SearchTalks, until the client has gone, and
// then fails with the context's error as the real store does.
type blockingSearch struct {
	catalog.TalkService
	started chan struct{}
}

func (b blockingSearch) SearchTalks(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	if req.Query != "block" {
		return b.TalkService.SearchTalks(ctx, req)
	}
	close(b.started)
	<-ctx.Done()
	return nil, fmt.Errorf("search index: %w", ctx.Err())
}

// recordedResponse is what a handler wrote, seen from below echo.
type recordedResponse struct {
	status int
	bytes  int
}

type recordingWriter struct {
	http.ResponseWriter
	rec *recordedResponse
}

func (w recordingWriter) WriteHeader(status int) {
	if w.rec.status == 0 {
		w.rec.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w recordingWriter) Write(p []byte) (int, error) {
	if w.rec.status == 0 {
		w.rec.status = http.StatusOK
	}
	w.rec.bytes += len(p)
	return w.ResponseWriter.Write(p)
}

func TestClientDisconnectIsNotAnError(t *testing.T) {
	for _, path := range []string{"/api/v1/talks?q=block", "/?q=block"} {
		t.Run(path, func(t *testing.T) {
			svc := blockingSearch{TalkService: newTestService(t), started: make(chan struct{})}
			logs := &syncBuffer{}
			srv, err := New(Config{}, svc, slog.New(slog.NewTextHandler(logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan recordedResponse, 1)
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := &recordedResponse{}
				srv.Handler().ServeHTTP(recordingWriter{ResponseWriter: w, rec: rec}, r)
				done <- *rec
			}))
			defer ts.Close()

			ctx, cancel := context.WithCancel(context.Background())
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			clientErr := make(chan error, 1)
			go func() {
				resp, err := ts.Client().Do(req)
				if err == nil {
					resp.Body.Close()
				}
				clientErr <- err
			}()
			<-svc.started
			cancel()
			if err := <-clientErr; !errors.Is(err, context.Canceled) {
				t.Fatalf("client: %v, want context.Canceled", err)
			}
			var got recordedResponse
			select {
			case got = <-done:
			case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
				t.Fatal("the handler did not return after the client went away")
			}
			if got.status != statusClientClosedRequest || got.bytes != 0 {
				t.Errorf("response to a gone client: status %d with %d body bytes, want %d and none", got.status, got.bytes, statusClientClosedRequest)
			}
			if strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("a client disconnect was logged as an error:\n%s", logs.String())
			}
		})
	}
}

func TestHeadOnGetRoutes(t *testing.T) {
	env := newTestEnv(t)
	talk := env.talkID("DNS Privacy Measurements")
	event := env.eventID("RIPE 86")
	paths := []string{
		"/", "/?q=bgp", fmt.Sprintf("/talks/%d", talk), "/events", fmt.Sprintf("/events/%d", event),
		"/healthz", "/api/v1/talks?q=bgp", fmt.Sprintf("/api/v1/talks/%d", talk), "/api/v1/series",
		"/api/v1/events", fmt.Sprintf("/api/v1/events/%d", event), "/api/v1/openapi.json", "/static/app.css",
		"/talks/999999", "/api/v1/talks/999999", "/api/v1/talks?page=0",
	}
	for _, p := range paths {
		getResp, _ := env.do(http.MethodGet, p, "", "")
		headResp, body := env.do(http.MethodHead, p, "", "")
		if headResp.StatusCode != getResp.StatusCode {
			t.Errorf("HEAD %s: status %d, GET gives %d", p, headResp.StatusCode, getResp.StatusCode)
		}
		if len(body) != 0 {
			t.Errorf("HEAD %s: %d body bytes", p, len(body))
		}
		if got, want := mediaType(headResp), mediaType(getResp); got != want {
			t.Errorf("HEAD %s: Content-Type %q, GET gives %q", p, got, want)
		}
	}
	// HEAD exists only where GET does.
	for _, p := range []string{fmt.Sprintf("/talks/%d/rating", talk), fmt.Sprintf("/api/v1/talks/%d/note", talk)} {
		if resp, _ := env.do(http.MethodHead, p, "", ""); resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("HEAD %s: status %d, want 405", p, resp.StatusCode)
		}
	}
}

func mediaType(resp *http.Response) string {
	ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	return ct
}

func TestEventPageZeroIs400(t *testing.T) {
	env := newTestEnv(t)
	id := env.eventID("RIPE 86")
	for _, q := range []string{"page=0", "page=-1", fmt.Sprintf("page=%d", catalog.MaxPage+1)} {
		resp, body := env.do(http.MethodGet, fmt.Sprintf("/api/v1/events/%d?%s", id, q), "", "")
		if msg := env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID); !strings.Contains(msg, "page") {
			t.Errorf("%s: message %q does not name page", q, msg)
		}
		resp, _ = env.do(http.MethodGet, fmt.Sprintf("/events/%d?%s", id, q), "", "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/events/%d?%s: status %d, want 400", id, q, resp.StatusCode)
		}
		// Same answer as the search API.
		resp, body = env.do(http.MethodGet, "/api/v1/talks?"+q, "", "")
		env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
	}
	env.getJSON(fmt.Sprintf("/api/v1/events/%d?page=1", id), http.StatusOK, nil)
	env.getJSON(fmt.Sprintf("/api/v1/events/%d?page=", id), http.StatusOK, nil)
}
