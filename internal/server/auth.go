package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/talkdex/talkdex/internal/catalog"
)

// authCookie carries the token for browsers, set by /login. It is HttpOnly
// and SameSite=Strict: scripts cannot read it and other sites cannot make
// the browser send it.
const authCookie = "talkdex_auth"

// authCookieLifetime is how long a browser stays signed in.
const authCookieLifetime = 30 * 24 * time.Hour

// Defaults of the per-client rate limit (Config.RateLimit, RateBurst).
const (
	defaultRateLimit = 20 // requests a second
	defaultRateBurst = 60
	// rateLimiterExpiry forgets clients idle this long.
	rateLimiterExpiry = 10 * time.Minute
)

// tokenSource yields the server's token: Config.Token, or the content of
// Config.TokenFile, re-read at most once a second when the file changes, so
// that 'talkdex token --rotate' takes effect without a restart. A token
// file that vanishes or empties keeps the last token: the server never
// opens up because of it.
type tokenSource struct {
	file string

	mu      sync.Mutex
	token   string
	checked time.Time
	modTime time.Time
}

func newTokenSource(cfg Config) (*tokenSource, error) {
	if cfg.TokenFile == "" {
		if cfg.Token == "" {
			return nil, nil
		}
		return &tokenSource{token: cfg.Token}, nil
	}
	ts := &tokenSource{file: cfg.TokenFile}
	if ts.get() == "" {
		return nil, fmt.Errorf("token file %s is missing or empty", cfg.TokenFile)
	}
	return ts, nil
}

func (ts *tokenSource) get() string {
	if ts.file == "" {
		return ts.token
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if !ts.checked.IsZero() && time.Since(ts.checked) < time.Second {
		return ts.token
	}
	ts.checked = time.Now()
	info, err := os.Stat(ts.file)
	if err != nil || info.ModTime().Equal(ts.modTime) {
		return ts.token
	}
	b, err := os.ReadFile(ts.file)
	if token := strings.TrimSpace(string(b)); err == nil && token != "" {
		ts.token, ts.modTime = token, info.ModTime()
	}
	return ts.token
}

// authorized reports whether the request carries the token, as a bearer
// token or in the cookie /login sets. Comparisons take constant time.
func (s *Server) authorized(req *http.Request) bool {
	want := []byte(s.tokens.get())
	// Another scheme (a proxy's Basic auth) is not ours to judge; the
	// cookie may still sign the browser in.
	if h := req.Header.Get(echo.HeaderAuthorization); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), want) == 1
		}
	}
	if c, err := req.Cookie(authCookie); err == nil {
		return subtle.ConstantTimeCompare([]byte(c.Value), []byte(sessionValue(string(want)))) == 1
	}
	return false
}

// sessionValue is what the sign-in cookie holds: derived from the token,
// so that the cookie never carries the token itself, and a rotated token
// signs every browser out.
func sessionValue(token string) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte("talkdex browser session"))
	return hex.EncodeToString(mac.Sum(nil))
}

// isWrite reports whether a method changes something.
func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// openPaths need no token even when reads do: health checks, the assets
// the login page itself uses, and the login form.
func openPath(path string) bool {
	return path == "/healthz" || path == "/login" || strings.HasPrefix(path, "/static/")
}

// requireToken guards a server that has a token (one listening beyond
// loopback): every write needs it, and every read too when ReadNeedsToken
// is set. A server without a token (on loopback) lets everything through:
// only this machine's users can reach it.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	if s.tokens == nil {
		return next
	}
	return func(c echo.Context) error {
		req := c.Request()
		needed := isWrite(req.Method) || s.cfg.ReadNeedsToken
		if !needed || openPath(req.URL.Path) || s.authorized(req) {
			return next(c)
		}
		if isAPIPath(req.URL.Path) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="talkdex"`)
			what := "reads"
			if isWrite(req.Method) {
				what = "writes"
			}
			return catalog.Errorf(catalog.EUNAUTHORIZED, "this talkdex server needs its token for %s: send \"Authorization: Bearer TOKEN\" (the server's owner gets it from 'talkdex token')", what)
		}
		if !isWrite(req.Method) {
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(req.URL.RequestURI()))
		}
		return echo.NewHTTPError(http.StatusUnauthorized, "sign in first: this talkdex server takes changes only from its owner (see /login)")
	}
}

// loginPage is the data of /login.
type loginPage struct {
	layout
	Next  string
	Error string
}

func (s *Server) pageLogin(c echo.Context) error {
	return s.renderLogin(c, http.StatusOK, "")
}

func (s *Server) renderLogin(c echo.Context, status int, message string) error {
	next := localRedirect(c.QueryParam("next"), "/")
	if v := c.FormValue("next"); v != "" {
		next = localRedirect(v, "/")
	}
	data := loginPage{layout: layout{Page: pageLoginName, Title: "Sign in", CSRF: csrfToken(c)}, Next: next, Error: message}
	return s.render(c, status, pageLoginName, data)
}

// formLogin checks the token and, when it is right, sets the cookie that
// signs this browser in.
func (s *Server) formLogin(c echo.Context) error {
	if s.tokens == nil {
		// On loopback nothing needs signing in.
		return c.Redirect(http.StatusSeeOther, localRedirect(c.FormValue("next"), "/"))
	}
	want := s.tokens.get()
	token := strings.TrimSpace(c.FormValue("token"))
	if subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return s.renderLogin(c, http.StatusUnauthorized, "That is not this server's token. Its owner can print it with 'talkdex token'.")
	}
	c.SetCookie(&http.Cookie{
		Name: authCookie, Value: sessionValue(want), Path: "/", MaxAge: int(authCookieLifetime.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.IsTLS(),
	})
	return c.Redirect(http.StatusSeeOther, localRedirect(c.FormValue("next"), "/"))
}

// formLogout forgets the browser's sign-in.
func (s *Server) formLogout(c echo.Context) error {
	c.SetCookie(&http.Cookie{Name: authCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, "/")
}

// clientIP is the rate limiter's client identity. Echo's IPExtractor is set
// in newEcho: the peer address, or X-Forwarded-For only from trusted proxies,
// so that a client cannot pick its own identity with a header.
func clientIP(c echo.Context) (string, error) { return c.RealIP(), nil }

// ipExtractor picks how Echo finds the client IP: the connection's peer,
// unless proxies are trusted, whose X-Forwarded-For is then believed up to
// the first untrusted hop.
func ipExtractor(trusted []string) (echo.IPExtractor, error) {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not a CIDR range: %w", cidr, err)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// rateLimit bounds requests per client IP. This machine's own clients are
// not limited: they are the owner's scripts and browser.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	limit, burst := s.cfg.RateLimit, s.cfg.RateBurst
	if limit <= 0 {
		limit = defaultRateLimit
	}
	if burst <= 0 {
		burst = defaultRateBurst
	}
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(limit), Burst: burst, ExpiresIn: rateLimiterExpiry,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool {
			ip := net.ParseIP(c.RealIP())
			return ip != nil && ip.IsLoopback()
		},
		Store:               store,
		IdentifierExtractor: clientIP,
		ErrorHandler: func(c echo.Context, err error) error {
			return echo.NewHTTPError(http.StatusForbidden, "cannot tell who the client is")
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "1")
			return echo.NewHTTPError(http.StatusTooManyRequests, "too many requests from this address; slow down")
		},
	})
}
