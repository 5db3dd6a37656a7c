package server

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

const testToken = "s3cret-token-for-tests"

// sendWith sends a request with extra headers, not following redirects, and returns the response and body.
func (e *testEnv) sendWith(method, path, contentType, body string, header map[string]string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := *e.ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return e.send(&client, req)
}

func TestTokenGuardsWrites(t *testing.T) {
	env := newTestEnvConfig(t, Config{Token: testToken}, newTestService(t))
	id := env.talkID("Peering DB Update")
	path := "/api/v1/talks/" + itoa(id) + "/rating"

	resp, body := env.sendWith(http.MethodPut, path, "application/json", `{"stars": 4}`, nil)
	env.expectAPIError(resp, body, http.StatusUnauthorized, catalog.EUNAUTHORIZED)
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
	}
	for _, auth := range []string{"Bearer wrong", "Basic " + testToken, testToken, "Bearer " + testToken + "x"} {
		resp, body := env.sendWith(http.MethodPut, path, "application/json", `{"stars": 4}`, map[string]string{"Authorization": auth})
		env.expectAPIError(resp, body, http.StatusUnauthorized, catalog.EUNAUTHORIZED)
	}
	if got := env.findTalk(id).Rating; got != 0 {
		t.Fatalf("a refused write was stored: rating %d", got)
	}
	resp, _ = env.sendWith(http.MethodPut, path, "application/json", `{"stars": 4}`, map[string]string{"Authorization": "Bearer " + testToken})
	if resp.StatusCode != http.StatusOK || env.findTalk(id).Rating != 4 {
		t.Errorf("a write with the token: %d, rating %d", resp.StatusCode, env.findTalk(id).Rating)
	}
	// Reads stay public.
	for _, p := range []string{"/api/v1/talks?q=bgp", "/", "/talks/" + itoa(id), "/healthz"} {
		if resp, _ := env.sendWith(http.MethodGet, p, "", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	// An HTML form without a sign-in is refused, whatever its CSRF token.
	resp, _ = env.sendWith(http.MethodPost, "/talks/"+itoa(id)+"/rating", "application/x-www-form-urlencoded", "stars=2", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("form post without sign-in: %d", resp.StatusCode)
	}
}

func TestTokenGuardsReadsWhenAsked(t *testing.T) {
	env := newTestEnvConfig(t, Config{Token: testToken, ReadNeedsToken: true}, newTestService(t))
	resp, body := env.sendWith(http.MethodGet, "/api/v1/talks", "", "", nil)
	env.expectAPIError(resp, body, http.StatusUnauthorized, catalog.EUNAUTHORIZED)
	resp, _ = env.sendWith(http.MethodGet, "/talks/1?x=1", "", "", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next="+url.QueryEscape("/talks/1?x=1") {
		t.Errorf("a page without sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/healthz", "/login"} {
		if resp, _ := env.sendWith(http.MethodGet, p, "", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d, want it open", p, resp.StatusCode)
		}
	}
	resp, _ = env.sendWith(http.MethodGet, "/api/v1/talks", "", "", map[string]string{"Authorization": "Bearer " + testToken})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a read with the token: %d", resp.StatusCode)
	}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestLoginSignsInTheBrowser: /login with the right token sets an
// HttpOnly, SameSite=Strict cookie that lets the HTML forms write.
func TestLoginSignsInTheBrowser(t *testing.T) {
	env := newTestEnvConfig(t, Config{Token: testToken}, newTestService(t))
	id := env.talkID("Peering DB Update")
	resp, body := env.sendWith(http.MethodGet, "/login", "", "", nil)
	m := csrfInput.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("login page: %d, csrf token found: %v", resp.StatusCode, m != nil)
	}
	csrf := string(m[1])
	var csrfCookieValue string
	for _, c := range resp.Cookies() {
		if c.Name == csrfCookie {
			csrfCookieValue = c.Value
		}
	}
	cookies := "_csrf=" + csrfCookieValue
	form := func(token string) string {
		return url.Values{"_csrf": {csrf}, "token": {token}, "next": {"/talks/" + itoa(id)}}.Encode()
	}
	resp, body = env.sendWith(http.MethodPost, "/login", "application/x-www-form-urlencoded", form("wrong"), map[string]string{"Cookie": cookies})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "not this server") {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
	resp, _ = env.sendWith(http.MethodPost, "/login", "application/x-www-form-urlencoded", form(testToken), map[string]string{"Cookie": cookies})
	var auth *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == authCookie {
			auth = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || auth == nil || !auth.HttpOnly || auth.SameSite != http.SameSiteStrictMode {
		t.Fatalf("login: %d, cookie %+v", resp.StatusCode, auth)
	}
	if strings.Contains(auth.Value, testToken) {
		t.Errorf("the sign-in cookie carries the token itself")
	}
	if loc := resp.Header.Get("Location"); loc != "/talks/"+itoa(id) {
		t.Errorf("login sends the browser to %q", loc)
	}
	write := url.Values{"_csrf": {csrf}, "stars": {"5"}}.Encode()
	resp, _ = env.sendWith(http.MethodPost, "/talks/"+itoa(id)+"/rating", "application/x-www-form-urlencoded", write,
		map[string]string{"Cookie": cookies + "; " + authCookie + "=" + auth.Value})
	if resp.StatusCode != http.StatusSeeOther || env.findTalk(id).Rating != 5 {
		t.Errorf("a signed-in form post: %d, rating %d", resp.StatusCode, env.findTalk(id).Rating)
	}
}

// TestTokenRotation: a server reading its token file takes a new token
// within a second, and the old one stops working.
func TestTokenRotation(t *testing.T) {
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("first-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := newTestEnvConfig(t, Config{TokenFile: file}, newTestService(t))
	id := itoa(env.talkID("Peering DB Update"))
	write := func(token string) int {
		resp, _ := env.sendWith(http.MethodPut, "/api/v1/talks/"+id+"/watched", "application/json", `{"watched": true}`,
			map[string]string{"Authorization": "Bearer " + token})
		return resp.StatusCode
	}
	if got := write("first-token"); got != http.StatusOK {
		t.Fatalf("first token: %d", got)
	}
	if err := os.WriteFile(file, []byte("second-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(file, later, later) // a new modification time even on coarse clocks
	deadline := time.Now().Add(5 * time.Second)
	for write("second-token") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("the rotated token was never accepted")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := write("first-token"); got != http.StatusUnauthorized {
		t.Errorf("the old token after rotation: %d", got)
	}
	if _, err := New(Config{TokenFile: filepath.Join(t.TempDir(), "none")}, env.svc, nil); err == nil {
		t.Errorf("a server with a missing token file started")
	}
}

// TestRateLimitPerClient: clients beyond this machine are limited by their
// own address; X-Forwarded-For counts only from a trusted proxy.
func TestRateLimitPerClient(t *testing.T) {
	env := newTestEnvConfig(t, Config{RateLimit: 1, RateBurst: 3, TrustedProxies: []string{"127.0.0.0/8"}}, newTestService(t))
	get := func(xff string) int {
		resp, _ := env.sendWith(http.MethodGet, "/healthz", "", "", map[string]string{"X-Forwarded-For": xff})
		return resp.StatusCode
	}
	for i := range 3 {
		if got := get("203.0.113.9"); got != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i, got)
		}
	}
	if got := get("203.0.113.9"); got != http.StatusTooManyRequests {
		t.Errorf("past the burst: %d, want 429", got)
	}
	if got := get("198.51.100.7"); got != http.StatusOK {
		t.Errorf("another client is limited too: %d", got)
	}
	// A client cannot pick its identity: only the proxy's hop is believed.
	if got := get("192.0.2.1, 203.0.113.9"); got != http.StatusTooManyRequests {
		t.Errorf("a forged first hop escaped the limit: %d", got)
	}
	// This machine's own clients are not limited.
	local := newTestEnvConfig(t, Config{RateLimit: 1, RateBurst: 1}, env.svc)
	for i := range 5 {
		if resp, _ := local.sendWith(http.MethodGet, "/healthz", "", "", map[string]string{"X-Forwarded-For": "203.0.113.9"}); resp.StatusCode != http.StatusOK {
			t.Fatalf("local request %d: %d (an untrusted X-Forwarded-For must be ignored)", i, resp.StatusCode)
		}
	}
}

func TestSecureHeadersAndTimeouts(t *testing.T) {
	env := newTestEnv(t)
	for _, p := range []string{"/", "/api/v1/talks", "/nope", "/static/app.css"} {
		resp, _ := env.sendWith(http.MethodGet, p, "", "", nil)
		for h, want := range map[string]string{
			"Content-Security-Policy": "script-src 'self'", "X-Content-Type-Options": "nosniff",
			"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin",
			"Permissions-Policy": "camera=()",
		} {
			if !strings.Contains(resp.Header.Get(h), want) {
				t.Errorf("%s: %s = %q, want it to contain %q", p, h, resp.Header.Get(h), want)
			}
		}
		if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code", p)
		}
	}
	hs := env.srv.httpServer()
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Errorf("http.Server without every timeout: %+v", hs)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// slowService never finishes a search before its context ends, like a
// query that is too expensive.
type slowService struct{ catalog.TalkService }

func (slowService) SearchTalks(ctx context.Context, _ catalog.SearchRequest) (*catalog.SearchResult, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestSearchTimeoutIsTheQuerysFault(t *testing.T) {
	env := newTestEnvWith(t, slowService{newTestService(t)})
	env.srv.searchTimeout = 50 * time.Millisecond
	for _, p := range []string{"/api/v1/talks?q=expensive", "/?q=expensive"} {
		resp, body := env.sendWith(http.MethodGet, p, "", "", nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "took longer than") {
			t.Errorf("GET %s: %d %.200s", p, resp.StatusCode, body)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:8080": true, "localhost:80": true, "localhost": true, "::1": true,
		"0.0.0.0:8080": false, ":8080": false, "192.0.2.7:80": false, "talks.example.com": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
