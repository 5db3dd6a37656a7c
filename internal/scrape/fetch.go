package scrape

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"

	"github.com/talkdex/talkdex/internal/catalog"
)

// ProjectURL is named in the User-Agent so that site operators can find out
// who is fetching their pages and why.
const ProjectURL = "https://github.com/talkdex/talkdex"

// Defaults for a zero FetcherConfig.
const (
	DefaultRatePerHost  = 1.0 // requests per second
	DefaultMaxBodyBytes = 32 << 20
	DefaultMaxAttempts  = 4
	DefaultTimeout      = 30 * time.Second
	DefaultBackoffBase  = time.Second
)

const (
	// maxRedirects bounds a redirect chain; the sixth redirect is an error.
	maxRedirects = 5
	// maxBackoff keeps exponential growth from reaching absurd waits when
	// MaxAttempts is set high.
	maxBackoff = time.Minute
	// maxRetryAfter is the longest Retry-After we sit through. A server that
	// asks for more gets an error instead of a CLI that hangs for an hour.
	maxRetryAfter = 2 * time.Minute
	// maxRobotsBytes: RFC 9309 §2.5 asks crawlers to parse at least 500 KiB
	// and allows ignoring the rest.
	maxRobotsBytes = 512 << 10
	// robotsTTL: RFC 9309 §2.4 says a cached robots.txt should not be used
	// for more than 24 hours.
	robotsTTL = 24 * time.Hour
	// robotsUnavailableTTL is how long a 5xx robots.txt keeps a site
	// disallowed before we ask again ("disallow for now").
	robotsUnavailableTTL = time.Minute
	// maxDrainBytes is how much of an unwanted body (redirects, errors) we
	// read so that the connection can be reused.
	maxDrainBytes = 64 << 10
)

// DefaultUserAgent is the User-Agent for a talkdex build of the given version.
func DefaultUserAgent(version string) string {
	return "talkdex/" + version + " (+" + ProjectURL + ")"
}

// FetcherConfig configures a Fetcher. Zero fields take the defaults above.
type FetcherConfig struct {
	UserAgent    string        // default DefaultUserAgent("dev")
	CacheDir     string        // "" disables the disk cache
	RatePerHost  float64       // requests per second per host name, default 1; math.Inf(1) for no limit
	MaxBodyBytes int64         // default 32 MiB
	MaxAttempts  int           // attempts per request including the first, default 4
	Timeout      time.Duration // per attempt, including reading the body, default 30s
	// AllowPrivate lets the fetcher connect to loopback, private, link-local,
	// unspecified and multicast addresses. Off by default so that a URL (or a
	// redirect, or a DNS answer) cannot point the fetcher at the local network.
	AllowPrivate bool
	// Progress, if set, is called as a response body is read. total is -1
	// when the server did not say how long the body is.
	Progress func(url string, read, total int64)
	// BackoffBase is the first retry delay; each retry doubles it, with
	// jitter. Default 1s; tests make it tiny.
	BackoffBase time.Duration
}

// Response is a successful fetch.
type Response struct {
	URL         string // the URL asked for, normalised (no fragment)
	FinalURL    string // the URL the body came from, after redirects
	Status      int
	Header      http.Header
	Body        []byte
	FromCache   bool // Body came from the disk cache
	NotModified bool // the server answered 304 to a conditional GET
}

// StatusError is a final HTTP status that is neither success nor redirect.
type StatusError struct {
	URL      string
	Status   int
	Attempts int
	// RetryAfter is set when the server asked us to come back later than we
	// are willing to wait.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (the server asks to retry after %s)", e.RetryAfter)
	}
	return msg
}

// Unwrap lets catalog.ErrorCode report a missing page as ENOTFOUND.
func (e *StatusError) Unwrap() error {
	if e.Status == http.StatusNotFound || e.Status == http.StatusGone {
		return &catalog.Error{Code: catalog.ENOTFOUND, Message: e.Error()}
	}
	return nil
}

// Fetcher is a polite HTTP client: it obeys robots.txt, rate-limits per
// host, revalidates cached pages, retries transient failures and refuses
// to reach private addresses. It is safe for concurrent use.
type Fetcher struct {
	cfg    FetcherConfig
	agent  string // the product token matched against robots.txt groups
	client *http.Client
	cache  *diskCache // nil when disabled

	mu       sync.Mutex
	limiters map[string]*rate.Limiter // by lower-case host name
	robots   map[string]*robotsSlot   // by origin (scheme://host:port)

	// Seams for tests: the clock the rate limiter reads, how the fetcher
	// waits (rate limit and backoff), and the dial-time address policy.
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	dialCheck func(netip.AddrPort) error
}

// robotsSlot holds one origin's robots.txt. Its mutex makes concurrent
// requests to a new origin wait for a single robots.txt fetch.
type robotsSlot struct {
	mu      sync.Mutex
	data    *robotstxt.RobotsData
	status  int // HTTP status of the robots.txt answer
	expires time.Time
}

// NewFetcher checks cfg, fills in defaults and prepares the cache directory.
func NewFetcher(cfg FetcherConfig) (*Fetcher, error) {
	switch {
	case cfg.RatePerHost < 0:
		return nil, catalog.Errorf(catalog.EINVALID, "fetcher rate %v per host is negative", cfg.RatePerHost)
	case cfg.MaxBodyBytes < 0:
		return nil, catalog.Errorf(catalog.EINVALID, "fetcher body limit %d is negative", cfg.MaxBodyBytes)
	case cfg.MaxAttempts < 0:
		return nil, catalog.Errorf(catalog.EINVALID, "fetcher attempts %d is negative", cfg.MaxAttempts)
	case cfg.Timeout < 0:
		return nil, catalog.Errorf(catalog.EINVALID, "fetcher timeout %s is negative", cfg.Timeout)
	case cfg.BackoffBase < 0:
		return nil, catalog.Errorf(catalog.EINVALID, "fetcher backoff %s is negative", cfg.BackoffBase)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent("dev")
	}
	if cfg.RatePerHost == 0 {
		cfg.RatePerHost = DefaultRatePerHost
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.BackoffBase == 0 {
		cfg.BackoffBase = DefaultBackoffBase
	}

	f := &Fetcher{
		cfg:      cfg,
		agent:    productToken(cfg.UserAgent),
		limiters: map[string]*rate.Limiter{},
		robots:   map[string]*robotsSlot{},
		now:      time.Now,
		sleep:    sleepContext,
	}
	if !cfg.AllowPrivate {
		f.dialCheck = checkPublicAddr
	}
	if cfg.CacheDir != "" {
		c, err := openDiskCache(cfg.CacheDir)
		if err != nil {
			return nil, err
		}
		f.cache = c
	}

	dialer := &net.Dialer{
		Timeout:   cfg.Timeout,
		KeepAlive: 30 * time.Second,
		// Control sees the address actually being dialled, after DNS. Checking
		// here, rather than the URL's host, also catches DNS rebinding and
		// redirects to internal hosts.
		Control: func(_, address string, _ syscall.RawConn) error {
			return f.checkDial(address)
		},
	}
	f.client = &http.Client{
		Transport: &http.Transport{
			// No proxy: the dial check would vet the proxy's address instead
			// of the site's.
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          16,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		// Redirects are followed by Get itself so that every hop gets the
		// scheme check, robots.txt and the rate limit of its own host.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f, nil
}

// Get fetches rawURL and returns its whole body, or an error. Bad URLs,
// refused addresses and robots.txt refusals are *catalog.Error EINVALID;
// final error statuses are *StatusError; network failures are wrapped.
func (f *Fetcher) Get(ctx context.Context, rawURL string) (*Response, error) {
	u, err := parseFetchURL(rawURL)
	if err != nil {
		return nil, err
	}
	key := u.String()
	cached := f.cache.load(key)

	cur := u
	for hop := 0; ; hop++ {
		if err := f.checkRobots(ctx, cur); err != nil {
			return nil, err
		}
		hdr := http.Header{}
		revalidating := cached != nil && cached.FinalURL == cur.String()
		if revalidating {
			if v := cached.Header.Get("ETag"); v != "" {
				hdr.Set("If-None-Match", v)
			}
			if v := cached.Header.Get("Last-Modified"); v != "" {
				hdr.Set("If-Modified-Since", v)
			}
		}
		body := bodyPolicy{limit: f.cfg.MaxBodyBytes}
		if f.cfg.Progress != nil {
			body.progress = func(read, total int64) { f.cfg.Progress(key, read, total) }
		}
		rep, err := f.exchange(ctx, cur, hdr, body)
		if err != nil {
			return nil, err
		}
		switch {
		case isRedirect(rep.status):
			if hop >= maxRedirects {
				return nil, catalog.Errorf(catalog.EINVALID, "%s: more than %d redirects", key, maxRedirects)
			}
			next, err := redirectTarget(cur, rep.header)
			if err != nil {
				return nil, err
			}
			cur = next
		case rep.status == http.StatusNotModified && revalidating:
			return f.revalidated(cached, rep.header)
		case rep.status >= 200 && rep.status < 300:
			resp := &Response{URL: key, FinalURL: cur.String(), Status: rep.status, Header: rep.header, Body: rep.body}
			if err := f.remember(resp); err != nil {
				return nil, err
			}
			return resp, nil
		default:
			return nil, &StatusError{URL: cur.String(), Status: rep.status, Attempts: rep.attempts, RetryAfter: rep.retryAfter}
		}
	}
}

// remember stores a fresh response when it can be revalidated later.
func (f *Fetcher) remember(resp *Response) error {
	if f.cache == nil || resp.Status != http.StatusOK {
		return nil
	}
	if resp.Header.Get("ETag") == "" && resp.Header.Get("Last-Modified") == "" {
		return nil
	}
	if strings.Contains(strings.ToLower(resp.Header.Get("Cache-Control")), "no-store") {
		return nil
	}
	header := resp.Header.Clone()
	header.Del("Set-Cookie") // session state has no business in a shared page cache
	return f.cache.store(&cacheEntry{
		URL:       resp.URL,
		FinalURL:  resp.FinalURL,
		Status:    resp.Status,
		Header:    header,
		FetchedAt: f.now().UTC(),
		Body:      resp.Body,
	})
}

// revalidated answers from the cache after a 304, taking new validators
// from the 304 (RFC 9111 §4.3.4) so the next request sends them.
func (f *Fetcher) revalidated(cached *cacheEntry, h http.Header) (*Response, error) {
	changed := false
	for _, name := range []string{"ETag", "Last-Modified"} {
		if v := h.Get(name); v != "" && v != cached.Header.Get(name) {
			cached.Header.Set(name, v)
			changed = true
		}
	}
	if changed {
		if err := f.cache.store(cached); err != nil {
			return nil, err
		}
	}
	return &Response{
		URL:         cached.URL,
		FinalURL:    cached.FinalURL,
		Status:      cached.Status,
		Header:      cached.Header,
		Body:        cached.Body,
		FromCache:   true,
		NotModified: true,
	}, nil
}

// parseFetchURL accepts absolute http and https URLs only.
func parseFetchURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%q is not a valid URL: %v", rawURL, err)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func checkScheme(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	case "":
		return catalog.Errorf(catalog.EINVALID, "%q has no scheme: only http and https URLs are fetched", u.String())
	default:
		return catalog.Errorf(catalog.EINVALID, "%s uses scheme %q: only http and https URLs are fetched", u.Redacted(), u.Scheme)
	}
	if u.Hostname() == "" {
		return catalog.Errorf(catalog.EINVALID, "%q has no host", u.String())
	}
	return nil
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// redirectTarget resolves Location against the current URL and applies the
// same scheme rule as a first request.
func redirectTarget(cur *url.URL, h http.Header) (*url.URL, error) {
	loc := h.Get("Location")
	if loc == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "%s redirects without a Location", cur)
	}
	next, err := cur.Parse(loc)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s redirects to an invalid URL %q: %v", cur, loc, err)
	}
	if err := checkScheme(next); err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s redirects to a refused URL: %s", cur, catalog.ErrorMessage(err))
	}
	next.Fragment, next.RawFragment = "", ""
	return next, nil
}

// checkRobots refuses u when its origin's robots.txt disallows it for us.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	origin := u.Scheme + "://" + strings.ToLower(u.Host)
	f.mu.Lock()
	slot := f.robots[origin]
	if slot == nil {
		slot = &robotsSlot{}
		f.robots[origin] = slot
	}
	f.mu.Unlock()

	slot.mu.Lock()
	defer slot.mu.Unlock()
	if slot.data == nil || !f.now().Before(slot.expires) {
		if err := f.fetchRobots(ctx, u, slot); err != nil {
			return err
		}
	}
	if slot.status == http.StatusTooManyRequests || slot.status >= 500 {
		return catalog.Errorf(catalog.EINVALID,
			"robots.txt of %s is unavailable (HTTP %d); treating the site as disallowed for now", u.Host, slot.status)
	}
	path := u.RequestURI()
	if !slot.data.TestAgent(path, f.agent) {
		return catalog.Errorf(catalog.EINVALID, "robots.txt of %s disallows %s", u.Host, path)
	}
	return nil
}

// fetchRobots fills slot following RFC 9309: 4xx means no restrictions,
// 5xx (and 429) means disallow everything for now, network errors are
// errors. It also slows the host down to its Crawl-delay.
func (f *Fetcher) fetchRobots(ctx context.Context, u *url.URL, slot *robotsSlot) error {
	cur := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	var rep *reply
	for hop := 0; ; hop++ {
		var err error
		rep, err = f.exchange(ctx, cur, http.Header{}, bodyPolicy{limit: maxRobotsBytes, truncate: true})
		if err != nil {
			return fmt.Errorf("fetching robots.txt of %s: %w", u.Host, err)
		}
		if !isRedirect(rep.status) {
			break
		}
		next, err := redirectTarget(cur, rep.header)
		if err != nil || hop >= maxRedirects {
			// RFC 9309 §2.3.1.2: an unfollowable robots.txt counts as
			// unavailable, which (like a 404) means no restrictions.
			rep = &reply{status: http.StatusNotFound}
			break
		}
		cur = next
	}

	status := rep.status
	var data *robotstxt.RobotsData
	switch {
	case status >= 200 && status < 300:
		var err error
		data, err = robotstxt.FromBytes(rep.body)
		if err != nil {
			// The parser gives all or nothing; when in doubt, stay away.
			return catalog.Errorf(catalog.EINVALID, "robots.txt of %s cannot be parsed, so nothing there is fetched: %s",
				u.Host, strings.TrimSpace(err.Error()))
		}
	case status == http.StatusTooManyRequests || status >= 500:
		// Kept only briefly: the site may be back in a minute.
		slot.data, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
		slot.status, slot.expires = status, f.now().Add(robotsUnavailableTTL)
		return nil
	default:
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	slot.data, slot.status, slot.expires = data, status, f.now().Add(robotsTTL)

	if delay := data.FindGroup(f.agent).CrawlDelay; delay > 0 {
		lim := f.limiter(u.Hostname())
		if rate.Every(delay) < lim.Limit() {
			lim.SetLimitAt(f.now(), rate.Every(delay))
		}
	}
	return nil
}

// reply is one URL's final answer after retries, body already read.
type reply struct {
	status     int
	header     http.Header
	body       []byte // only for 2xx
	attempts   int
	retryAfter time.Duration // a Retry-After too long to honour
}

// bodyPolicy says how much of a 2xx body to read and what to do beyond it.
type bodyPolicy struct {
	limit    int64
	truncate bool // cut silently at limit (robots.txt) instead of failing
	progress func(read, total int64)
}

// exchange GETs u (no redirect following), retrying 5xx, 429, timeouts and
// connection errors with exponential backoff. A 5xx or 429 that outlasts the
// attempts is returned as a reply, not an error, so callers can tell a sick
// server from an unreachable one.
func (f *Fetcher) exchange(ctx context.Context, u *url.URL, hdr http.Header, body bodyPolicy) (*reply, error) {
	for attempt := 1; ; attempt++ {
		if err := f.waitTurn(ctx, u.Hostname()); err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
		rep, err := f.attempt(ctx, u, hdr, body)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("GET %s: %w", u, ctxErr)
		}
		var wait time.Duration
		switch {
		case err != nil:
			if blocked := (*blockedAddrError)(nil); errors.As(err, &blocked) {
				return nil, catalog.Errorf(catalog.EINVALID,
					"refusing to fetch %s: it connects to %s, a %s address (AllowPrivate is off)", u, blocked.addr.Addr(), blocked.kind)
			}
			if !retryable(err) || attempt >= f.cfg.MaxAttempts {
				return nil, fmt.Errorf("GET %s (attempt %d of %d): %w", u, attempt, f.cfg.MaxAttempts, unwrapURLError(err))
			}
		case rep.status == http.StatusTooManyRequests || rep.status >= 500:
			rep.attempts = attempt
			if attempt >= f.cfg.MaxAttempts {
				return rep, nil
			}
			if ra, ok := parseRetryAfter(rep.header.Get("Retry-After"), f.now()); ok {
				if ra > maxRetryAfter {
					rep.retryAfter = ra
					return rep, nil
				}
				wait = ra
			}
		default:
			rep.attempts = attempt
			return rep, nil
		}
		if err := f.sleep(ctx, max(wait, f.backoff(attempt))); err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
	}
}

// attempt is a single request under the per-attempt timeout, which covers
// reading the body too: a body cut short is an error, never a short body.
func (f *Fetcher) attempt(ctx context.Context, u *url.URL, hdr http.Header, policy bodyPolicy) (*reply, error) {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "cannot request %s: %v", u, err)
	}
	req.Header = hdr.Clone()
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	rep := &reply{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBytes))
		return rep, nil
	}
	rep.body, err = readBody(u, resp, policy)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// readBody reads at most policy.limit bytes, reporting progress as it goes.
func readBody(u *url.URL, resp *http.Response, policy bodyPolicy) ([]byte, error) {
	tooLarge := func() error {
		return catalog.Errorf(catalog.EINVALID, "%s: the response body is larger than the %s limit", u, formatBytes(policy.limit))
	}
	total := resp.ContentLength
	if total > policy.limit && !policy.truncate {
		return nil, tooLarge()
	}
	var buf bytes.Buffer
	if total > 0 && total <= policy.limit {
		buf.Grow(int(total))
	}
	// One byte past the limit tells "exactly at the limit" from "over it".
	src := io.LimitReader(resp.Body, policy.limit+1)
	chunk := make([]byte, 32<<10)
	for {
		n, err := src.Read(chunk)
		buf.Write(chunk[:n])
		if int64(buf.Len()) > policy.limit {
			if policy.truncate {
				buf.Truncate(int(policy.limit))
				return buf.Bytes(), nil
			}
			return nil, tooLarge()
		}
		if n > 0 && policy.progress != nil {
			policy.progress(int64(buf.Len()), total)
		}
		if err == io.EOF {
			return buf.Bytes(), nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading body: %w", err)
		}
	}
}

// waitTurn blocks until host's rate limiter lets another request through.
func (f *Fetcher) waitTurn(ctx context.Context, host string) error {
	lim := f.limiter(host)
	now := f.now()
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return fmt.Errorf("rate limiter for %s refused a request", host)
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := f.sleep(ctx, d); err != nil {
		r.CancelAt(f.now())
		return err
	}
	return nil
}

func (f *Fetcher) limiter(host string) *rate.Limiter {
	host = strings.ToLower(host)
	f.mu.Lock()
	defer f.mu.Unlock()
	lim := f.limiters[host]
	if lim == nil {
		// Burst 1: requests are spaced evenly, never bunched.
		lim = rate.NewLimiter(rate.Limit(f.cfg.RatePerHost), 1)
		f.limiters[host] = lim
	}
	return lim
}

// backoff is the wait after the given failed attempt: BackoffBase doubled
// per attempt, jittered into its upper half so that clients that failed
// together do not retry together.
func (f *Fetcher) backoff(attempt int) time.Duration {
	d := f.cfg.BackoffBase
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads delay-seconds or an HTTP date (RFC 9110 §10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Anything past a day is as good as "never"; the cap avoids overflow.
		secs = min(secs, int64(24*time.Hour/time.Second))
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// retryable says whether a transport error may go away on its own.
func retryable(err error) bool {
	var (
		catErr    *catalog.Error
		dnsErr    *net.DNSError
		verifyErr *tls.CertificateVerificationError
		authErr   x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		certErr   x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &catErr):
		return false
	case errors.As(err, &dnsErr):
		return !dnsErr.IsNotFound
	case errors.As(err, &verifyErr), errors.As(err, &authErr), errors.As(err, &hostErr), errors.As(err, &certErr):
		return false
	}
	// Timeouts, refused and reset connections, and bodies cut short.
	return true
}

// unwrapURLError drops net/http's `Get "url":` prefix; we name the URL ourselves.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// productToken is the name robots.txt groups are matched against:
// "talkdex" for "talkdex/1.0 (+https://...)".
func productToken(userAgent string) string {
	fields := strings.Fields(userAgent)
	if len(fields) == 0 {
		return ""
	}
	token, _, _ := strings.Cut(fields[0], "/")
	return token
}

func formatBytes(n int64) string {
	const mib = 1 << 20
	if n >= mib && n%mib == 0 {
		return fmt.Sprintf("%d MiB", n/mib)
	}
	return fmt.Sprintf("%d-byte", n)
}

// blockedAddrError is returned from the dialer's Control hook.
type blockedAddrError struct {
	addr netip.AddrPort
	kind string
}

func (e *blockedAddrError) Error() string {
	return fmt.Sprintf("connecting to %s refused: %s address", e.addr, e.kind)
}

func (f *Fetcher) checkDial(address string) error {
	if f.dialCheck == nil {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("cannot vet dial address %q: %w", address, err)
	}
	return f.dialCheck(ap)
}

// checkPublicAddr refuses addresses that lead into the local machine or
// network rather than to a public web site.
// nonPublicPrefixes are ranges that are neither private nor loopback by
// Go's tests but still never a public web site: benchmarking, reserved and
// documentation space, and the IPv6 transition prefixes (NAT64, 6to4) that
// embed an IPv4 address which may well be an internal one.
func nonPublicPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{
		"192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
		"64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001:db8::/32", "100::/64",
	} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}

func inAny(a netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func checkPublicAddr(ap netip.AddrPort) error {
	a := ap.Addr().Unmap()
	kind := ""
	switch {
	case a.IsLoopback():
		kind = "loopback"
	case a.IsPrivate():
		kind = "private"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		kind = "link-local"
	case a.IsUnspecified():
		kind = "unspecified"
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		kind = "multicast"
	case netip.MustParsePrefix("0.0.0.0/8").Contains(a):
		kind = "unspecified"
	case netip.MustParsePrefix("100.64.0.0/10").Contains(a):
		kind = "private" // carrier-grade NAT space, internal to an ISP
	case inAny(a, nonPublicPrefixes()):
		kind = "reserved"
	case !a.IsGlobalUnicast():
		kind = "non-unicast"
	default:
		return nil
	}
	return &blockedAddrError{addr: ap, kind: kind}
}
