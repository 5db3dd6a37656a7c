package scrape

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// fakeClock stands in for the wall clock: sleeping advances it at once and
// records the wait, so rate limits and backoff are asserted exactly and
// without slowing the suite.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// newTestFetcher builds a Fetcher on a fake clock. Tests talk to
// httptest servers on 127.0.0.1, hence AllowPrivate unless a test says
// otherwise through cfg.
func newTestFetcher(t *testing.T, cfg FetcherConfig) (*Fetcher, *fakeClock) {
	t.Helper()
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent("test")
	}
	f, err := NewFetcher(cfg)
	if err != nil {
		t.Fatalf("NewFetcher: %v", err)
	}
	clock := newFakeClock()
	f.now, f.sleep = clock.now, clock.sleep
	return f, clock
}

// site is an httptest server that serves a robots.txt and counts requests.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	requests []*http.Request
}

// newSite serves robots ("" answers 404) and hands every other path to h.
func newSite(t *testing.T, robots string, h http.HandlerFunc) *site {
	t.Helper()
	return newSiteWithRobots(t, func(w http.ResponseWriter, r *http.Request) {
		if robots == "" {
			http.NotFound(w, r)
			return
		}
		_, _ = fmt.Fprint(w, robots)
	}, h)
}

// newSiteWithRobots answers /robots.txt with robots and the rest with h.
func newSiteWithRobots(t *testing.T, robots, h http.HandlerFunc) *site {
	t.Helper()
	s := &site{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.requests = append(s.requests, r.Clone(context.Background()))
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			robots(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) hitsOn(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) totalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.hits {
		n += v
	}
	return n
}

// lastRequest returns the last request made to path.
func (s *site) lastRequest(t *testing.T, path string) *http.Request {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.requests) - 1; i >= 0; i-- {
		if s.requests[i].URL.Path == path {
			return s.requests[i]
		}
	}
	t.Fatalf("no request to %s", path)
	return nil
}

func (s *site) port(t *testing.T) uint16 {
	t.Helper()
	ap, err := netip.ParseAddrPort(s.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return ap.Port()
}

// stallUntilGone holds a request until the client gives up on it. The
// bound turns a fetcher that never gives up into a failing test, not a hang.
func stallUntilGone(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func okHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = fmt.Fprint(w, body)
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want code %s", code)
	}
	if got := catalog.ErrorCode(err); got != code {
		t.Fatalf("error code = %s, want %s (error: %v)", got, code, err)
	}
}

func wantMessage(t *testing.T, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}

func TestFetchSendsUserAgent(t *testing.T) {
	const want = "talkdex/1.2.3 (+https://github.com/talkdex/talkdex)"
	if got := DefaultUserAgent("1.2.3"); got != want {
		t.Fatalf("DefaultUserAgent = %q, want %q", got, want)
	}
	s := newSite(t, "User-agent: *\nAllow: /\n", okHandler("hello"))
	f, _ := newTestFetcher(t, FetcherConfig{UserAgent: want, AllowPrivate: true})
	resp, err := f.Get(context.Background(), s.URL+"/page")
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "hello" || resp.Status != http.StatusOK {
		t.Errorf("got %d %q, want 200 hello", resp.Status, resp.Body)
	}
	for _, path := range []string{"/robots.txt", "/page"} {
		if got := s.lastRequest(t, path).UserAgent(); got != want {
			t.Errorf("User-Agent on %s = %q, want %q", path, got, want)
		}
	}
}

func TestFetchRobotsRules(t *testing.T) {
	tests := []struct {
		name      string
		fixture   string
		userAgent string
		path      string // with query
		allowed   bool
	}{
		{"star group disallows prefix", "robots-star.txt", "", "/private/notes", false},
		{"star group allow beats shorter disallow", "robots-star.txt", "", "/private/public-talks", true},
		{"star group disallows query", "robots-star.txt", "", "/search?q=bgp", false},
		{"star group leaves plain path", "robots-star.txt", "", "/search", true},
		{"star group wildcard", "robots-star.txt", "", "/slides/deck.pdf", false},
		{"star group unlisted path", "robots-star.txt", "", "/talks/2023", true},
		{"talkdex group applies to talkdex", "robots-agents.txt", "", "/drafts/a", false},
		{"talkdex group replaces star group", "robots-agents.txt", "", "/private/notes", true},
		{"other crawler's group", "robots-agents.txt", "otherbot/2.0 (+https://example.org)", "/talks", false},
		{"star group for unnamed crawler", "robots-agents.txt", "somebot/1.0", "/private/notes", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, readFixture(t, tt.fixture), okHandler("page"))
			f, _ := newTestFetcher(t, FetcherConfig{UserAgent: tt.userAgent, AllowPrivate: true})
			target, err := url.Parse(s.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Get(context.Background(), target.String())
			if tt.allowed {
				if err != nil {
					t.Fatalf("Get %s: %v", tt.path, err)
				}
				if s.hitsOn(target.Path) != 1 {
					t.Errorf("hits on %s = %d, want 1", target.Path, s.hitsOn(target.Path))
				}
				return
			}
			wantCode(t, err, catalog.EINVALID)
			wantMessage(t, err, "robots.txt of "+s.Listener.Addr().String()+" disallows "+tt.path)
			if n := s.hitsOn(target.Path); n != 0 {
				t.Errorf("disallowed path was requested %d times", n)
			}
		})
	}
}

func TestFetchRobotsFetchedOncePerHost(t *testing.T) {
	s := newSite(t, readFixture(t, "robots-star.txt"), okHandler("page"))
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, RatePerHost: math.Inf(1)})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Get(context.Background(), fmt.Sprintf("%s/talks/%d", s.URL, i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	_, err := f.Get(context.Background(), s.URL+"/private/x")
	wantCode(t, err, catalog.EINVALID)
	if n := s.hitsOn("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
}

func TestFetchRobotsStatus(t *testing.T) {
	tests := []struct {
		status      int
		allowed     bool
		robotsHits  int // attempts: server errors are retried
		wantMessage string
	}{
		{http.StatusNotFound, true, 1, ""},
		{http.StatusGone, true, 1, ""},
		{http.StatusUnauthorized, true, 1, ""},
		{http.StatusForbidden, true, 1, ""},
		{http.StatusInternalServerError, false, 2, "is unavailable (HTTP 500)"},
		{http.StatusServiceUnavailable, false, 2, "is unavailable (HTTP 503)"},
		{http.StatusTooManyRequests, false, 2, "is unavailable (HTTP 429)"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			s := newSiteWithRobots(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
			}, okHandler("page"))
			f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, MaxAttempts: 2})
			resp, err := f.Get(context.Background(), s.URL+"/page")
			if n := s.hitsOn("/robots.txt"); n != tt.robotsHits {
				t.Errorf("robots.txt requested %d times, want %d", n, tt.robotsHits)
			}
			if tt.allowed {
				if err != nil || string(resp.Body) != "page" {
					t.Fatalf("Get = %v, %v; want the page", resp, err)
				}
				return
			}
			wantCode(t, err, catalog.EINVALID)
			wantMessage(t, err, tt.wantMessage, "disallowed for now")
			if n := s.hitsOn("/page"); n != 0 {
				t.Errorf("page requested %d times despite robots.txt %d", n, tt.status)
			}
		})
	}
}

func TestFetchRobotsUnavailableIsTemporary(t *testing.T) {
	var mu sync.Mutex
	robotsStatus := http.StatusServiceUnavailable
	s := newSiteWithRobots(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if robotsStatus != http.StatusOK {
			w.WriteHeader(robotsStatus)
			return
		}
		_, _ = fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	}, okHandler("page"))
	f, clock := newTestFetcher(t, FetcherConfig{AllowPrivate: true, MaxAttempts: 1})

	_, err := f.Get(context.Background(), s.URL+"/page")
	wantCode(t, err, catalog.EINVALID)
	_, err = f.Get(context.Background(), s.URL+"/page")
	wantCode(t, err, catalog.EINVALID)
	if n := s.hitsOn("/robots.txt"); n != 1 {
		t.Fatalf("robots.txt requested %d times within a minute, want 1", n)
	}

	mu.Lock()
	robotsStatus = http.StatusOK
	mu.Unlock()
	clock.advance(2 * time.Minute)
	if _, err := f.Get(context.Background(), s.URL+"/page"); err != nil {
		t.Fatalf("after the site recovered: %v", err)
	}
	if n := s.hitsOn("/robots.txt"); n != 2 {
		t.Errorf("robots.txt requested %d times, want 2", n)
	}
}

func TestFetchRobotsNetworkErrorIsAnError(t *testing.T) {
	s := newSiteWithRobots(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_ = conn.Close() // no HTTP answer at all
	}, okHandler("page"))
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, MaxAttempts: 2})
	_, err := f.Get(context.Background(), s.URL+"/page")
	wantCode(t, err, catalog.EINTERNAL)
	wantMessage(t, err, "fetching robots.txt of "+s.Listener.Addr().String())
	if n := s.hitsOn("/robots.txt"); n != 2 {
		t.Errorf("robots.txt attempts = %d, want 2 (connection errors are retried)", n)
	}
	if n := s.hitsOn("/page"); n != 0 {
		t.Errorf("page requested %d times without a robots.txt answer", n)
	}
}

func TestFetchRobotsUnparseable(t *testing.T) {
	s := newSite(t, "Disallow: /private/\n", okHandler("page"))
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true})
	_, err := f.Get(context.Background(), s.URL+"/page")
	wantCode(t, err, catalog.EINVALID)
	wantMessage(t, err, "cannot be parsed")
	if n := s.hitsOn("/page"); n != 0 {
		t.Errorf("page requested %d times", n)
	}
}

func TestFetchRateLimit(t *testing.T) {
	tests := []struct {
		name   string
		rate   float64
		robots string
		want   time.Duration // between requests to the same host
	}{
		{"default one per second", 0, "", time.Second},
		{"configured four per second", 4, "", 250 * time.Millisecond},
		{"crawl-delay slower than the rate", 0, "User-agent: *\nCrawl-delay: 3\n", 3 * time.Second},
		{"crawl-delay faster than the rate is ignored", 0, "User-agent: *\nCrawl-delay: 0.5\n", time.Second},
		{"crawl-delay of our own group", 10, readFixtureAt("robots-agents.txt"), 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.robots, okHandler("page"))
			f, clock := newTestFetcher(t, FetcherConfig{AllowPrivate: true, RatePerHost: tt.rate})
			for _, p := range []string{"/a", "/b", "/c"} {
				if _, err := f.Get(context.Background(), s.URL+p); err != nil {
					t.Fatal(err)
				}
			}
			// robots.txt goes first without waiting; each page then waits
			// its turn.
			got := clock.sleeps()
			if len(got) != 3 {
				t.Fatalf("waits = %v, want 3 waits of %s", got, tt.want)
			}
			for _, d := range got {
				if diff := d - tt.want; diff < -time.Millisecond || diff > time.Millisecond {
					t.Errorf("waits = %v, want each %s", got, tt.want)
					break
				}
			}
		})
	}
}

// readFixtureAt reads a fixture for a table literal, where no *testing.T
// is at hand; a missing fixture shows up as a failing case.
func readFixtureAt(name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		return "missing fixture " + name
	}
	return string(b)
}

func TestFetchRateLimitIsPerHost(t *testing.T) {
	s := newSite(t, "", okHandler("page"))
	f, clock := newTestFetcher(t, FetcherConfig{AllowPrivate: true})
	// 127.0.0.1 and localhost are different host names for the limiter.
	other := strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{s.URL + "/a", other + "/a"} {
		if _, err := f.Get(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	// One wait per host (its page after its robots.txt); a shared limiter
	// would also have delayed localhost's robots.txt.
	if got := clock.sleeps(); len(got) != 2 {
		t.Errorf("waits = %v, want 2", got)
	}
}

func TestFetchConditionalGet(t *testing.T) {
	tests := []struct {
		name        string
		validator   string // response header
		value       string
		conditional string // request header carrying it back
	}{
		{"etag", "ETag", `"v1"`, "If-None-Match"},
		{"last-modified", "Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT", "If-Modified-Since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get(tt.conditional) == tt.value {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set(tt.validator, tt.value)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = fmt.Fprint(w, "<h1>program</h1>")
			})
			dir := t.TempDir()
			f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, CacheDir: dir})
			ctx := context.Background()

			first, err := f.Get(ctx, s.URL+"/program")
			if err != nil {
				t.Fatal(err)
			}
			if first.FromCache || first.NotModified {
				t.Errorf("first fetch claims to come from the cache")
			}
			if got := s.lastRequest(t, "/program").Header.Get(tt.conditional); got != "" {
				t.Errorf("first request sent %s: %q", tt.conditional, got)
			}

			second, err := f.Get(ctx, s.URL+"/program")
			if err != nil {
				t.Fatal(err)
			}
			if got := s.lastRequest(t, "/program").Header.Get(tt.conditional); got != tt.value {
				t.Errorf("second request sent %s %q, want %q", tt.conditional, got, tt.value)
			}
			if !second.FromCache || !second.NotModified || string(second.Body) != "<h1>program</h1>" {
				t.Errorf("second fetch = FromCache %v NotModified %v body %q, want the cached body",
					second.FromCache, second.NotModified, second.Body)
			}
			if got := second.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("cached Content-Type = %q", got)
			}

			// A new Fetcher over the same directory still has the entry.
			g, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, CacheDir: dir})
			third, err := g.Get(ctx, s.URL+"/program")
			if err != nil {
				t.Fatal(err)
			}
			if !third.FromCache || string(third.Body) != "<h1>program</h1>" {
				t.Errorf("new fetcher: FromCache %v body %q", third.FromCache, third.Body)
			}
			if n := s.hitsOn("/program"); n != 3 {
				t.Errorf("program requested %d times, want 3", n)
			}

			sum := sha256.Sum256([]byte(s.URL + "/program"))
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != hex.EncodeToString(sum[:]) {
				t.Errorf("cache dir holds %v, want one file named by the URL's sha256", entries)
			}
		})
	}
}

func TestFetchConditionalGetPicksUpNewVersion(t *testing.T) {
	var mu sync.Mutex
	version := "v1"
	s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		etag := `"` + version + `"`
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		_, _ = fmt.Fprint(w, "body "+etag)
	})
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, CacheDir: t.TempDir()})
	ctx := context.Background()
	if _, err := f.Get(ctx, s.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	version = "v2"
	mu.Unlock()
	resp, err := f.Get(ctx, s.URL+"/p")
	if err != nil {
		t.Fatal(err)
	}
	if resp.FromCache || string(resp.Body) != `body "v2"` {
		t.Fatalf("changed page: FromCache %v body %q", resp.FromCache, resp.Body)
	}
	resp, err = f.Get(ctx, s.URL+"/p")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.lastRequest(t, "/p").Header.Get("If-None-Match"); got != `"v2"` || !resp.FromCache {
		t.Errorf("after the change: If-None-Match %q, FromCache %v; want \"v2\" and a cache hit", got, resp.FromCache)
	}
}

func TestFetchCachePolicy(t *testing.T) {
	tests := []struct {
		name     string
		header   map[string]string
		cacheDir bool
	}{
		{"no validators", map[string]string{}, true},
		{"no-store", map[string]string{"ETag": `"x"`, "Cache-Control": "private, no-store"}, true},
		{"cache disabled", map[string]string{"ETag": `"x"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				_, _ = fmt.Fprint(w, "page")
			})
			dir := t.TempDir()
			cfg := FetcherConfig{AllowPrivate: true}
			if tt.cacheDir {
				cfg.CacheDir = dir
			}
			f, _ := newTestFetcher(t, cfg)
			for range 2 {
				resp, err := f.Get(context.Background(), s.URL+"/p")
				if err != nil {
					t.Fatal(err)
				}
				if resp.FromCache {
					t.Errorf("response served from cache")
				}
			}
			req := s.lastRequest(t, "/p")
			if v := req.Header.Get("If-None-Match") + req.Header.Get("If-Modified-Since"); v != "" {
				t.Errorf("second request was conditional: %q", v)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("cache dir holds %d files, want none", len(entries))
			}
		})
	}
}

func TestFetchCorruptCacheEntryIsAMiss(t *testing.T) {
	s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"a"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"a"`)
		_, _ = fmt.Fprint(w, "fresh")
	})
	dir := t.TempDir()
	sum := sha256.Sum256([]byte(s.URL + "/p"))
	for _, junk := range []string{"not json at all", `{"url":"` + s.URL + `/p","header":{},"body_length":99}` + "\nshort"} {
		if err := os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:])), []byte(junk), 0o644); err != nil {
			t.Fatal(err)
		}
		f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, CacheDir: dir})
		resp, err := f.Get(context.Background(), s.URL+"/p")
		if err != nil {
			t.Fatal(err)
		}
		if resp.FromCache || string(resp.Body) != "fresh" {
			t.Errorf("with a corrupt entry: FromCache %v body %q", resp.FromCache, resp.Body)
		}
		if got := s.lastRequest(t, "/p").Header.Get("If-None-Match"); got != "" {
			t.Errorf("corrupt entry's validators were sent: %q", got)
		}
		// The fresh answer replaced the junk.
		if resp, err := f.Get(context.Background(), s.URL+"/p"); err != nil || !resp.FromCache {
			t.Errorf("after the refetch: %v, %v; want a cache hit", resp, err)
		}
	}
}

// script answers successive requests with the given statuses and headers,
// repeating the last one.
type scripted struct {
	status int
	header map[string]string
}

func scriptHandler(steps ...scripted) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		step := steps[min(n, len(steps)-1)]
		n++
		mu.Unlock()
		for k, v := range step.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(step.status)
		_, _ = fmt.Fprintf(w, "status %d", step.status)
	}
}

func TestFetchRetries(t *testing.T) {
	const base = 100 * time.Millisecond
	clockStart := newFakeClock().now()
	tests := []struct {
		name       string
		steps      []scripted
		wantStatus int // 0: success
		wantHits   int
		wantWaits  []time.Duration // lower bounds; each wait is at most twice its bound
		wantAfter  time.Duration   // StatusError.RetryAfter
	}{
		{"503 503 200", []scripted{{503, nil}, {503, nil}, {200, nil}}, 0, 3, []time.Duration{base / 2, base}, 0},
		{"500 then 200", []scripted{{500, nil}, {200, nil}}, 0, 2, []time.Duration{base / 2}, 0},
		{"503 until attempts run out", []scripted{{503, nil}}, 503, 4, []time.Duration{base / 2, base, 2 * base}, 0},
		{"404 is not retried", []scripted{{404, nil}, {200, nil}}, 404, 1, nil, 0},
		{"400 is not retried", []scripted{{400, nil}, {200, nil}}, 400, 1, nil, 0},
		{"403 is not retried", []scripted{{403, nil}, {200, nil}}, 403, 1, nil, 0},
		{"429 with Retry-After 0", []scripted{{429, map[string]string{"Retry-After": "0"}}, {200, nil}}, 0, 2, []time.Duration{base / 2}, 0},
		{"429 with Retry-After 7", []scripted{{429, map[string]string{"Retry-After": "7"}}, {200, nil}}, 0, 2, []time.Duration{7 * time.Second}, 0},
		{"503 with Retry-After date", []scripted{
			{503, map[string]string{"Retry-After": clockStart.Add(20 * time.Second).Format(http.TimeFormat)}},
			{200, nil},
		}, 0, 2, []time.Duration{20*time.Second - time.Second}, 0},
		{"Retry-After longer than we wait", []scripted{{429, map[string]string{"Retry-After": "3600"}}, {200, nil}}, 429, 1, nil, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "", scriptHandler(tt.steps...))
			f, clock := newTestFetcher(t, FetcherConfig{AllowPrivate: true, RatePerHost: math.Inf(1), BackoffBase: base})
			resp, err := f.Get(context.Background(), s.URL+"/p")
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Status != 200 {
					t.Errorf("status %d", resp.Status)
				}
			} else {
				var se *StatusError
				if !errors.As(err, &se) {
					t.Fatalf("error %v is not a *StatusError", err)
				}
				if se.Status != tt.wantStatus || se.Attempts != tt.wantHits || se.RetryAfter != tt.wantAfter {
					t.Errorf("StatusError = %+v, want status %d after %d attempts, RetryAfter %s",
						se, tt.wantStatus, tt.wantHits, tt.wantAfter)
				}
				wantMessage(t, err, s.URL+"/p", strconv.Itoa(tt.wantStatus))
			}
			if n := s.hitsOn("/p"); n != tt.wantHits {
				t.Errorf("requests = %d, want %d", n, tt.wantHits)
			}
			waits := clock.sleeps()
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits = %v, want %d", waits, len(tt.wantWaits))
			}
			for i, w := range waits {
				if w < tt.wantWaits[i] || w > 2*tt.wantWaits[i] {
					t.Errorf("wait %d = %s, want in [%s, %s]", i, w, tt.wantWaits[i], 2*tt.wantWaits[i])
				}
			}
		})
	}
}

func TestFetchNotFoundIsENOTFOUND(t *testing.T) {
	s := newSite(t, "", http.NotFound)
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true})
	_, err := f.Get(context.Background(), s.URL+"/missing")
	wantCode(t, err, catalog.ENOTFOUND)
	wantMessage(t, err, s.URL+"/missing", "404")
}

func TestFetchBodyCap(t *testing.T) {
	const limit = 1024
	tests := []struct {
		name    string
		size    int
		chunked bool // no Content-Length: the cap must hold while reading
		ok      bool
	}{
		{"at the cap", limit, false, true},
		{"over the cap", limit + 1, false, false},
		{"at the cap, chunked", limit, true, true},
		{"over the cap, chunked", 4 * limit, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
				body := strings.Repeat("x", tt.size)
				if tt.chunked {
					_, _ = fmt.Fprint(w, body[:10])
					w.(http.Flusher).Flush()
					_, _ = fmt.Fprint(w, body[10:])
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				_, _ = fmt.Fprint(w, body)
			})
			f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, MaxBodyBytes: limit, CacheDir: t.TempDir()})
			resp, err := f.Get(context.Background(), s.URL+"/big")
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if len(resp.Body) != tt.size {
					t.Errorf("body is %d bytes, want %d", len(resp.Body), tt.size)
				}
				return
			}
			if resp != nil {
				t.Errorf("got a response of %d bytes alongside the error", len(resp.Body))
			}
			wantCode(t, err, catalog.EINVALID)
			wantMessage(t, err, s.URL+"/big", "1024-byte limit")
			if n := s.hitsOn("/big"); n != 1 {
				t.Errorf("requests = %d, want 1 (an oversized body is not retried)", n)
			}
		})
	}
}

func TestFetchRefusesBadURLs(t *testing.T) {
	f, _ := newTestFetcher(t, FetcherConfig{})
	f.dialCheck = func(ap netip.AddrPort) error {
		t.Errorf("dialled %s for a URL that should never reach the network", ap)
		return errors.New("test: no dialling")
	}
	for _, raw := range []string{
		"ftp://example.org/pub/talks.xml",
		"file:///etc/passwd",
		"mailto:program@example.org",
		"gopher://example.org/",
		"example.org/program",
		"http:///program",
		"",
		"http://exa mple.org/",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := f.Get(context.Background(), raw)
			wantCode(t, err, catalog.EINVALID)
		})
	}
	_, err := f.Get(context.Background(), "file:///etc/passwd")
	wantMessage(t, err, "file:///etc/passwd", `"file"`, "only http and https")
}

func TestFetchRefusesLoopbackByDefault(t *testing.T) {
	s := newSite(t, "", okHandler("secret"))
	f, err := NewFetcher(FetcherConfig{})
	if err != nil {
		t.Fatal(err)
	}
	byName := strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
	for _, u := range []string{s.URL + "/admin", byName + "/admin"} {
		_, err := f.Get(context.Background(), u)
		wantCode(t, err, catalog.EINVALID)
		wantMessage(t, err, "loopback", "AllowPrivate")
	}
	if n := s.totalHits(); n != 0 {
		t.Errorf("loopback server got %d requests", n)
	}
}

func TestFetchCheckPublicAddr(t *testing.T) {
	tests := []struct {
		addr string
		kind string // "" allowed
	}{
		{"93.184.216.34:80", ""},
		{"[2606:2800:220:1:248:1893:25c8:1946]:443", ""},
		{"127.0.0.1:80", "loopback"},
		{"[::1]:80", "loopback"},
		{"[::ffff:127.0.0.1]:80", "loopback"},
		{"10.1.2.3:80", "private"},
		{"172.16.0.1:80", "private"},
		{"192.168.1.1:80", "private"},
		{"[fd00::1]:80", "private"},
		{"100.64.0.1:80", "private"},
		{"169.254.169.254:80", "link-local"},
		{"[fe80::1]:80", "link-local"},
		{"0.0.0.0:80", "unspecified"},
		{"[::]:80", "unspecified"},
		{"0.1.2.3:80", "unspecified"},
		{"224.0.0.251:80", "link-local"}, // also multicast; link-local wins
		{"239.1.1.1:80", "multicast"},
		{"[ff05::1]:80", "multicast"},
		{"198.18.0.1:80", "reserved"},
		{"240.0.0.1:80", "reserved"},
		{"255.255.255.255:80", "reserved"},
		{"192.0.2.10:80", "reserved"},
		{"[64:ff9b::a00:1]:80", "reserved"}, // NAT64 of 10.0.0.1
		{"[2002:a00:1::1]:80", "reserved"},  // 6to4 of 10.0.0.1
		{"[2001:db8::1]:80", "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := checkPublicAddr(netip.MustParseAddrPort(tt.addr))
			var blocked *blockedAddrError
			switch {
			case tt.kind == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.kind != "" && !errors.As(err, &blocked):
				t.Errorf("allowed, want refused as %s", tt.kind)
			case tt.kind != "" && blocked.kind != tt.kind:
				t.Errorf("refused as %s, want %s", blocked.kind, tt.kind)
			}
		})
	}
}

func TestFetchRefusesRedirectToPrivateAddress(t *testing.T) {
	internal := newSite(t, "", okHandler("internal secret"))
	public := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, internal.URL+"/secret", http.StatusFound)
	})
	f, err := NewFetcher(FetcherConfig{RatePerHost: math.Inf(1)})
	if err != nil {
		t.Fatal(err)
	}
	// Both servers live on 127.0.0.1; pretend the first is a public site by
	// letting its port through and applying the real policy to the rest.
	publicPort := public.port(t)
	f.dialCheck = func(ap netip.AddrPort) error {
		if ap.Port() == publicPort {
			return nil
		}
		return checkPublicAddr(ap)
	}
	_, err = f.Get(context.Background(), public.URL+"/talks")
	wantCode(t, err, catalog.EINVALID)
	wantMessage(t, err, "loopback", internal.Listener.Addr().String())
	if n := public.hitsOn("/talks"); n != 1 {
		t.Errorf("public site got %d requests, want 1", n)
	}
	if n := internal.totalHits(); n != 0 {
		t.Errorf("internal site got %d requests", n)
	}
}

func TestFetchRedirects(t *testing.T) {
	other := newSite(t, "User-agent: *\nDisallow: /closed\n", okHandler("other"))
	s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/chain/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/chain/"))
			if n == 0 {
				_, _ = fmt.Fprint(w, "end of chain")
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusMovedPermanently)
		case r.URL.Path == "/to-ftp":
			http.Redirect(w, r, "ftp://example.org/file", http.StatusFound)
		case r.URL.Path == "/to-closed":
			http.Redirect(w, r, other.URL+"/closed", http.StatusTemporaryRedirect)
		case r.URL.Path == "/to-other":
			http.Redirect(w, r, other.URL+"/open#frag", http.StatusPermanentRedirect)
		case r.URL.Path == "/no-location":
			w.WriteHeader(http.StatusFound)
		}
	})
	tests := []struct {
		path      string
		wantFinal string // "" when an error is expected
		wantErr   string
	}{
		{"/chain/5", s.URL + "/chain/0", ""},
		{"/chain/6", "", "more than 5 redirects"},
		{"/to-ftp", "", `redirects to a refused URL: ftp://example.org/file uses scheme "ftp"`},
		{"/to-closed", "", "robots.txt of " + other.Listener.Addr().String() + " disallows /closed"},
		{"/to-other", other.URL + "/open", ""},
		{"/no-location", "", "redirects without a Location"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true})
			resp, err := f.Get(context.Background(), s.URL+tt.path)
			if tt.wantErr != "" {
				wantCode(t, err, catalog.EINVALID)
				wantMessage(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.URL != s.URL+tt.path || resp.FinalURL != tt.wantFinal {
				t.Errorf("URL %q FinalURL %q, want %q and %q", resp.URL, resp.FinalURL, s.URL+tt.path, tt.wantFinal)
			}
		})
	}
	if n := other.hitsOn("/closed"); n != 0 {
		t.Errorf("redirect target disallowed by its robots.txt was requested %d times", n)
	}
	if n := other.hitsOn("/robots.txt"); n != 2 {
		t.Errorf("other host's robots.txt requested %d times, want once per fetcher that went there (2)", n)
	}
}

func TestFetchRevalidatesRedirectTarget(t *testing.T) {
	s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		if r.Header.Get("If-None-Match") == `"n1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"n1"`)
		_, _ = fmt.Fprint(w, "new page")
	})
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true, CacheDir: t.TempDir()})
	for range 2 {
		if _, err := f.Get(context.Background(), s.URL+"/old"); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := f.Get(context.Background(), s.URL+"/old")
	if err != nil {
		t.Fatal(err)
	}
	if !resp.FromCache || resp.FinalURL != s.URL+"/new" || string(resp.Body) != "new page" {
		t.Errorf("got FromCache %v FinalURL %q body %q", resp.FromCache, resp.FinalURL, resp.Body)
	}
	if got := s.lastRequest(t, "/old").Header.Get("If-None-Match"); got != "" {
		t.Errorf("the redirecting URL got the target's validator %q", got)
	}
	if got := s.lastRequest(t, "/new").Header.Get("If-None-Match"); got != `"n1"` {
		t.Errorf("the target got If-None-Match %q, want \"n1\"", got)
	}
}

func TestFetchTimeouts(t *testing.T) {
	tests := []struct {
		name     string
		stallOn  int // requests 1..stallOn stall; later ones answer
		attempts int
		headers  bool // stall after sending headers and part of the body
		ok       bool
	}{
		{"every attempt times out", 99, 3, false, false},
		{"first attempt times out", 1, 3, false, true},
		{"body stalls, then a whole body", 1, 3, true, true},
		{"body always stalls", 99, 2, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			n := 0
			s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				stall := n <= tt.stallOn
				mu.Unlock()
				if !stall {
					_, _ = fmt.Fprint(w, "whole body")
					return
				}
				if tt.headers {
					w.Header().Set("Content-Length", "10")
					_, _ = fmt.Fprint(w, "whole")
					w.(http.Flusher).Flush()
				}
				stallUntilGone(r)
			})
			f, _ := newTestFetcher(t, FetcherConfig{
				AllowPrivate: true, RatePerHost: math.Inf(1),
				Timeout: 50 * time.Millisecond, MaxAttempts: tt.attempts,
			})
			resp, err := f.Get(context.Background(), s.URL+"/slow")
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != "whole body" {
					t.Errorf("body %q", resp.Body)
				}
				if got := s.hitsOn("/slow"); got != tt.stallOn+1 {
					t.Errorf("requests = %d, want %d", got, tt.stallOn+1)
				}
				return
			}
			if resp != nil {
				t.Errorf("got a response alongside the error: %q", resp.Body)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not report the timeout", err)
			}
			wantMessage(t, err, s.URL+"/slow", fmt.Sprintf("attempt %d of %d", tt.attempts, tt.attempts))
			if got := s.hitsOn("/slow"); got != tt.attempts {
				t.Errorf("requests = %d, want %d", got, tt.attempts)
			}
		})
	}
}

func TestFetchContextCancel(t *testing.T) {
	tests := []struct {
		name string
		cfg  FetcherConfig
		page http.HandlerFunc
		// inWait: cancel once the fetcher starts waiting (rate limit or
		// backoff) rather than once the page request reaches the server.
		inWait   bool
		wantHits int
	}{
		{
			name:     "during a request",
			cfg:      FetcherConfig{RatePerHost: math.Inf(1)},
			page:     func(w http.ResponseWriter, r *http.Request) { stallUntilGone(r) },
			wantHits: 1,
		},
		{
			name:     "during a backoff of an hour",
			cfg:      FetcherConfig{RatePerHost: math.Inf(1), BackoffBase: time.Hour},
			page:     func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) },
			inWait:   true,
			wantHits: 1,
		},
		{
			name:     "during a rate-limit wait of an hour",
			cfg:      FetcherConfig{RatePerHost: 1.0 / 3600},
			page:     okHandler("page"),
			inWait:   true,
			wantHits: 0, // robots.txt took the hour's only slot
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{}, 1)
			signal := func() {
				select {
				case started <- struct{}{}:
				default:
				}
			}
			s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
				if !tt.inWait {
					signal()
				}
				tt.page(w, r)
			})
			cfg := tt.cfg
			cfg.AllowPrivate = true
			f, err := NewFetcher(cfg)
			if err != nil {
				t.Fatal(err)
			}
			// The real sleep, announced: the point is that real waits end
			// when the context does.
			f.sleep = func(ctx context.Context, d time.Duration) error {
				if tt.inWait {
					signal()
				}
				return sleepContext(ctx, d)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := f.Get(ctx, s.URL+"/page")
				done <- err
			}()
			<-started
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second): // a hang guard, not a speed test
				t.Fatal("Get did not return after its context was cancelled")
			}
			if n := s.hitsOn("/page"); n != tt.wantHits {
				t.Errorf("page requests = %d, want %d", n, tt.wantHits)
			}
		})
	}
}

func TestFetchCancelledContextMakesNoRequest(t *testing.T) {
	s := newSite(t, "", okHandler("page"))
	f, _ := newTestFetcher(t, FetcherConfig{AllowPrivate: true})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Get(ctx, s.URL+"/page")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if n := s.totalHits(); n != 0 {
		t.Errorf("server got %d requests", n)
	}
}

func TestFetchProgress(t *testing.T) {
	body := strings.Repeat("talk ", 40_000) // 200 kB: several reads
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			s := newSite(t, "", func(w http.ResponseWriter, r *http.Request) {
				if chunked {
					_, _ = fmt.Fprint(w, body[:100])
					w.(http.Flusher).Flush()
					_, _ = fmt.Fprint(w, body[100:])
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				_, _ = fmt.Fprint(w, body)
			})
			type call struct {
				url         string
				read, total int64
			}
			var calls []call
			f, _ := newTestFetcher(t, FetcherConfig{
				AllowPrivate: true,
				Progress:     func(u string, read, total int64) { calls = append(calls, call{u, read, total}) },
			})
			if _, err := f.Get(context.Background(), s.URL+"/big"); err != nil {
				t.Fatal(err)
			}
			wantTotal := int64(len(body))
			if chunked {
				wantTotal = -1
			}
			if len(calls) < 2 {
				t.Fatalf("progress called %d times, want several", len(calls))
			}
			for i, c := range calls {
				if c.url != s.URL+"/big" || c.total != wantTotal || (i > 0 && c.read <= calls[i-1].read) {
					t.Fatalf("call %d = %+v (previous read %d), want url %s, total %d, growing read",
						i, c, calls[max(i-1, 0)].read, s.URL+"/big", wantTotal)
				}
			}
			if last := calls[len(calls)-1]; last.read != int64(len(body)) {
				t.Errorf("last progress read = %d, want %d", last.read, len(body))
			}
		})
	}
}

func TestFetchConfig(t *testing.T) {
	bad := []FetcherConfig{
		{RatePerHost: -1},
		{MaxBodyBytes: -1},
		{MaxAttempts: -1},
		{Timeout: -time.Second},
		{BackoffBase: -time.Second},
	}
	for _, cfg := range bad {
		if _, err := NewFetcher(cfg); catalog.ErrorCode(err) != catalog.EINVALID {
			t.Errorf("NewFetcher(%+v) error = %v, want EINVALID", cfg, err)
		}
	}
	dir := filepath.Join(t.TempDir(), "cache", "http")
	f, err := NewFetcher(FetcherConfig{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := FetcherConfig{
		UserAgent: DefaultUserAgent("dev"), CacheDir: dir, RatePerHost: 1, MaxBodyBytes: 32 << 20,
		MaxAttempts: 4, Timeout: 30 * time.Second, BackoffBase: time.Second,
	}
	if fmt.Sprintf("%+v", f.cfg) != fmt.Sprintf("%+v", want) {
		t.Errorf("defaults = %+v, want %+v", f.cfg, want)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Errorf("cache directory not created: %v", err)
	}
	if f.agent != "talkdex" {
		t.Errorf("robots.txt agent = %q, want talkdex", f.agent)
	}
}
