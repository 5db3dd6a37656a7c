package server

import (
	"mime"
	"net/http"

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
