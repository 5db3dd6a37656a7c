package server

import (
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/talkdex/talkdex/internal/catalog"
)

// contentSecurityPolicy forbids inline scripts and styles, so that a markup
// injection that slips past escaping and sanitising still cannot run code.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// CSRF settings shared by the middleware and the templates.
const (
	csrfField      = "_csrf"
	csrfCookie     = "_csrf"
	csrfContextKey = "csrf"
	csrfHeader     = "X-CSRF-Token"
)

// securityHeaders sets the headers on every response, error pages included;
// they are set before the handler runs so that nothing can skip them.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if c.IsTLS() {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// limitBody rejects bodies over MaxBodyBytes: at once when Content-Length
// says so, otherwise when a reader crosses the limit (http.MaxBytesError,
// which the error handler turns into 413).
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.cfg.MaxBodyBytes {
			return &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes}
		}
		req.Body = http.MaxBytesReader(c.Response().Writer, req.Body, s.cfg.MaxBodyBytes)
		return next(c)
	}
}

// parseForm parses a form POST's body before the CSRF check reads its token
// from it. Request.ParseForm works once: a later call returns nil whatever
// the first one found, and the CSRF check ignores the error, so the first
// call has to be the one whose error is acted on.
func parseForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := parseRequestForm(c.Request()); err != nil {
			return err
		}
		return next(c)
	}
}

// parseRequestForm is Request.ParseForm with its errors made user-facing: a
// body over the limit stays an http.MaxBytesError (413), anything else that
// stops the form from parsing is the client's mistake (400).
func parseRequestForm(req *http.Request) error {
	err := req.ParseForm()
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return err
	default:
		// ParseForm also parses the URL's query string; the message covers both.
		return catalogInvalid("the submitted form is malformed: %s", err)
	}
}

// requireJSON makes API writes accept only application/json. A cross-site
// HTML form cannot send that content type, which is what keeps the JSON API
// out of reach of CSRF without tokens.
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		mediaType, _, err := mime.ParseMediaType(ct)
		if err != nil || mediaType != echo.MIMEApplicationJSON {
			if ct == "" {
				ct = "none"
			}
			return echo.NewHTTPError(http.StatusUnsupportedMediaType,
				"Content-Type must be application/json, got "+ct)
		}
		return next(c)
	}
}

// csrfMiddleware protects the HTML forms with a double-submit token: a cookie
// plus the _csrf form field (or the X-CSRF-Token header for the script that
// submits forms in the background). Browsers that send Sec-Fetch-Site are
// checked by that header instead, which echo handles.
func (s *Server) csrfMiddleware() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + csrfField + ",header:" + csrfHeader,
		CookieName:     csrfCookie,
		ContextKey:     csrfContextKey,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		// A missing token is as much a forgery as a wrong one: answer 403
		// with a message the user can act on, not echo's 400.
		ErrorHandler: func(error, echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden,
				"the form's security token is missing or stale; reload the page and try again")
		},
	})
}

// csrfToken returns the token the current page must embed in its forms.
func csrfToken(c echo.Context) string {
	token, _ := c.Get(csrfContextKey).(string)
	return token
}

// catalogInvalid is shorthand for the user-facing 400 errors the HTTP layer
// raises itself.
func catalogInvalid(format string, args ...any) error {
	return catalog.Errorf(catalog.EINVALID, format, args...)
}

// checkHost answers 403 to requests whose Host header is not one of the
// allowed names. A server on loopback is otherwise open to DNS rebinding: a
// web page on attacker.example re-points its name at 127.0.0.1 and, being
// same-origin with itself, reads and writes the catalog through the API. The
// browser still sends Host: attacker.example, which is what gives it away.
// With no allowed names (see allowedHostNames) nothing is checked.
func (s *Server) checkHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.allowedHosts == nil {
			return next(c)
		}
		host := c.Request().Host
		// An HTTP/1.0 request may carry no Host at all; a browser, the only
		// client a rebinding attack can use, always sends one.
		if host == "" || s.allowedHosts[hostName(host)] {
			return next(c)
		}
		return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf(
			"host %q is not allowed: talkdex answers only requests addressed to one of %s "+
				"(a guard against DNS rebinding, by which a web page on another name could reach it); "+
				"to use another name, add it to the server's allowed hosts",
			host, strings.Join(sortedKeys(s.allowedHosts), ", ")))
	}
}

// allowedHostNames returns the Host names a server accepts, or nil for no
// check. On a loopback address (or none, as in tests) only this machine's own
// names reach it legitimately; listening on other interfaces, the names
// clients use are unknown, so only explicitly configured ones are enforced.
func allowedHostNames(cfg Config) map[string]bool {
	listen := hostName(cfg.Addr)
	// An empty address is only used by tests; ":8080" is every interface.
	loopback := cfg.Addr == "" || isLoopbackHost(listen)
	if !loopback && len(cfg.AllowedHosts) == 0 {
		return nil
	}
	allowed := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if listen != "" && !isUnspecifiedHost(listen) {
		allowed[listen] = true
	}
	for _, h := range cfg.AllowedHosts {
		if h = hostName(h); h != "" {
			allowed[h] = true
		}
	}
	return allowed
}

// hostName reduces a Host header or listen address to its host name: no
// port, no IPv6 brackets, no root dot, lower case.
func hostName(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// IsLoopback reports whether a listen address or host name ("127.0.0.1:8080",
// "[::1]", "localhost") reaches this machine only. An empty host
// (":8080") listens on every interface.
func IsLoopback(hostport string) bool { return isLoopbackHost(hostName(hostport)) }

// isLoopbackHost reports whether a listen host is loopback-only.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isUnspecifiedHost(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
