// Package server is talkdex's HTTP layer: the JSON API under /api/v1, the
// server-rendered web UI and the static assets. It is the only importer of
// echo. Handlers get the catalog service and the renderers as fields of
// Server; there is no package state.
package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/markdown"
	"github.com/talkdex/talkdex/web"
)

// DefaultMaxBodyBytes bounds request bodies when Config.MaxBodyBytes is 0. A
// note is at most catalog.MaxNoteBytes; this leaves room for JSON escaping and
// form URL-encoding of a full note.
const DefaultMaxBodyBytes = 256 << 10

// Timeouts of the http.Server built by Serve. They bound how long a slow or
// idle client can hold a connection.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
	maxHeaderBytes    = 64 << 10
)

// Config configures a Server.
type Config struct {
	Addr         string // listen address, e.g. 127.0.0.1:8080; used by the caller to open the listener
	MaxBodyBytes int64  // request body limit; 0 means DefaultMaxBodyBytes

	// AllowedHosts are extra names (a port is ignored) that requests may
	// carry in their Host header, besides localhost, 127.0.0.1, ::1 and the
	// host of Addr. The Host check guards a loopback server against DNS
	// rebinding; on other addresses it is on only when this list is set.
	AllowedHosts []string

	// Token, when set, guards the server: every write needs it (as
	// "Authorization: Bearer TOKEN", or the cookie /login sets), and with
	// ReadNeedsToken every read too. Serve sets it for any address beyond
	// loopback and refuses such an address without one.
	Token          string
	TokenFile      string // instead of Token: the file 'talkdex token' writes, re-read when it changes
	ReadNeedsToken bool

	// TrustedProxies are CIDR ranges whose X-Forwarded-For is believed when
	// finding a client's IP; without them the peer address is the client.
	TrustedProxies []string
	// RateLimit and RateBurst bound requests a second per client IP (this
	// machine's own clients are not limited); 0 means 20 and 60.
	RateLimit float64
	RateBurst int
}

// Server serves the web UI and the JSON API over a catalog.TalkService.
type Server struct {
	cfg      Config
	svc      catalog.TalkService
	logger   *slog.Logger
	echo     *echo.Echo
	pages    map[string]*template.Template
	markdown *markdown.Renderer
	static   fs.FS
	assets   map[string]string // static file name -> content hash, for cache-busting URLs
	openapi  []byte

	allowedHosts map[string]bool // accepted Host names; nil means no Host check
	ipExtractor  echo.IPExtractor
	tokens       *tokenSource // nil: no token, nothing is guarded (loopback)

	searchTimeout time.Duration // searchTimeout, shorter in tests
}

// New builds a Server. Templates are parsed here, once, so that a broken
// template fails at startup rather than on the first request.
func New(cfg Config, svc catalog.TalkService, logger *slog.Logger) (*Server, error) {
	if svc == nil {
		return nil, errors.New("server: nil TalkService")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:      cfg,
		svc:      svc,
		logger:   logger,
		markdown: markdown.New(),
		static:   web.Static(),

		allowedHosts: allowedHostNames(cfg),

		searchTimeout: searchTimeout,
	}
	var err error
	if s.tokens, err = newTokenSource(cfg); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if s.ipExtractor, err = ipExtractor(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if s.assets, err = hashAssets(s.static); err != nil {
		return nil, fmt.Errorf("server: hash static assets: %w", err)
	}
	if s.pages, err = parsePages(web.Templates(), s.templateFuncs()); err != nil {
		return nil, fmt.Errorf("server: parse templates: %w", err)
	}
	if s.openapi, err = web.OpenAPI(); err != nil {
		return nil, fmt.Errorf("server: read openapi document: %w", err)
	}
	s.echo = s.newEcho()
	return s, nil
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve serves HTTP on ln until ctx is done, then shuts down gracefully,
// giving in-flight requests a few seconds to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.httpServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		closeErr := srv.Close()
		return errors.Join(fmt.Errorf("shut down server on %s: %w", ln.Addr(), err), closeErr)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return nil
}

// httpServer is the http.Server Serve runs: every timeout set, so that a
// slow or idle client cannot hold a connection open.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
}

// routes lists the registered routes; the OpenAPI completeness test uses it.
func (s *Server) routes() []*echo.Route { return s.echo.Routes() }

func (s *Server) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.ipExtractor

	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		// Hand the panic, with its stack, to the one error handler, which
		// logs it as an internal error and answers with a generic message.
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		},
	}))
	e.Use(securityHeaders)
	e.Use(s.checkHost)
	e.Use(s.rateLimit())
	e.Use(s.limitBody)
	e.Use(s.requireToken)

	api := e.Group("/api/v1")
	getAndHead(api, "/talks", s.apiSearchTalks)
	getAndHead(api, "/suggest", s.apiSuggest)
	getAndHead(api, "/talks/:id", s.apiGetTalk)
	getAndHead(api, "/talks/:id/related", s.apiRelatedTalks)
	api.PUT("/talks/:id/rating", s.apiSetRating, requireJSON)
	api.DELETE("/talks/:id/rating", s.apiClearRating)
	api.PUT("/talks/:id/note", s.apiSetNote, requireJSON)
	api.PUT("/talks/:id/watched", s.apiSetWatched, requireJSON)
	api.PUT("/talks/:id/watch", s.apiSetWatch, requireJSON)
	api.PUT("/talks/:id/tags", s.apiTags(true), requireJSON)
	api.POST("/talks/:id/tags", s.apiTags(false), requireJSON)
	api.DELETE("/talks/:id/tags/:tag", s.apiRemoveTag)
	getAndHead(api, "/talks/:id/note/history", s.apiNoteHistory)
	api.POST("/talks/:id/note/revert", s.apiRevertNote, requireJSON)
	getAndHead(api, "/tags", s.apiListTags)
	api.POST("/markdown", s.apiMarkdown, requireJSON)
	getAndHead(api, "/searches", s.apiListSavedSearches)
	api.POST("/searches", s.apiCreateSavedSearch, requireJSON)
	getAndHead(api, "/searches/:name", s.apiGetSavedSearch)
	api.PUT("/searches/:name", s.apiUpdateSavedSearch, requireJSON)
	api.DELETE("/searches/:name", s.apiDeleteSavedSearch)
	getAndHead(api, "/searches/:name/talks", s.apiSavedSearchTalks)
	getAndHead(api, "/searches/:name/feed.atom", s.savedSearchFeed)
	getAndHead(api, "/watchlist.ics", s.watchListCalendar)
	getAndHead(api, "/series", s.apiListSeries)
	getAndHead(api, "/events", s.apiListEvents)
	getAndHead(api, "/events/:id", s.apiGetEvent)
	getAndHead(api, "/openapi.json", s.apiOpenAPI)
	getAndHead(e, "/healthz", s.healthz)

	getAndHead(e, "/static/*", s.serveStatic)

	// CSRF guards only the HTML routes; it is attached per route because a
	// group-level middleware in echo also captures unknown paths. Form
	// bodies are parsed before the CSRF check reads its token from them.
	csrf := s.csrfMiddleware()
	getAndHead(e, "/login", s.pageLogin, csrf)
	e.POST("/login", s.formLogin, parseForm, csrf)
	e.POST("/logout", s.formLogout, parseForm, csrf)
	getAndHead(e, "/", s.pageSearchPersonal, csrf)
	getAndHead(e, myPath, s.pageMy, csrf)
	getAndHead(e, "/talks/:id", s.pageTalk, csrf)
	e.POST("/talks/:id/rating", s.formRating, parseForm, csrf)
	e.POST("/talks/:id/note", s.formNote, parseForm, csrf)
	e.POST("/talks/:id/watched", s.formWatched, parseForm, csrf)
	e.POST("/talks/:id/watch", s.formWatch, parseForm, csrf)
	e.POST("/talks/:id/tags", s.formAddTags, parseForm, csrf)
	e.POST("/talks/:id/tags/remove", s.formRemoveTag, parseForm, csrf)
	getAndHead(e, "/talks/:id/history", s.pageNoteHistory, csrf)
	e.POST("/talks/:id/note/revert", s.formRevertNote, parseForm, csrf)
	getAndHead(e, searchesPath, s.pageSavedSearches, csrf)
	e.POST(searchesPath, s.formSaveSearch, parseForm, csrf)
	e.POST(searchesPath+"/:name/delete", s.formDeleteSavedSearch, parseForm, csrf)
	getAndHead(e, "/events", s.pageEvents, csrf)
	getAndHead(e, "/events/:id", s.pageEvent, csrf)
	return e
}

// router is what *echo.Echo and *echo.Group have in common for registering
// routes.
type router interface {
	GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
	HEAD(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route
}

// getAndHead registers a GET route and the same handler for HEAD, which
// monitoring probes use; echo does not derive one from the other. net/http
// discards the body written to a HEAD request, so handlers need not care.
func getAndHead(r router, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	r.GET(path, h, m...)
	r.HEAD(path, h, m...)
}
