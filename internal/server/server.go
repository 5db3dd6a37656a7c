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
)

// Config configures a Server.
type Config struct {
	Addr         string // listen address, e.g. 127.0.0.1:8080; used by the caller to open the listener
	MaxBodyBytes int64  // request body limit; 0 means DefaultMaxBodyBytes
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
	}
	var err error
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
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
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

// routes lists the registered routes; the OpenAPI completeness test uses it.
func (s *Server) routes() []*echo.Route { return s.echo.Routes() }

func (s *Server) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError

	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		// Hand the panic, with its stack, to the one error handler, which
		// logs it as an internal error and answers with a generic message.
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		},
	}))
	e.Use(securityHeaders)
	e.Use(s.limitBody)

	api := e.Group("/api/v1")
	api.GET("/talks", s.apiSearchTalks)
	api.GET("/talks/:id", s.apiGetTalk)
	api.PUT("/talks/:id/rating", s.apiSetRating, requireJSON)
	api.DELETE("/talks/:id/rating", s.apiClearRating)
	api.PUT("/talks/:id/note", s.apiSetNote, requireJSON)
	api.PUT("/talks/:id/watched", s.apiSetWatched, requireJSON)
	api.GET("/series", s.apiListSeries)
	api.GET("/events", s.apiListEvents)
	api.GET("/events/:id", s.apiGetEvent)
	api.GET("/openapi.json", s.apiOpenAPI)
	e.GET("/healthz", s.healthz)

	e.GET("/static/*", s.serveStatic)

	// CSRF guards only the HTML routes; it is attached per route because a
	// group-level middleware in echo also captures unknown paths.
	csrf := s.csrfMiddleware()
	e.GET("/", s.pageSearch, csrf)
	e.GET("/talks/:id", s.pageTalk, csrf)
	e.POST("/talks/:id/rating", s.formRating, csrf)
	e.POST("/talks/:id/note", s.formNote, csrf)
	e.POST("/talks/:id/watched", s.formWatched, csrf)
	e.GET("/events", s.pageEvents, csrf)
	e.GET("/events/:id", s.pageEvent, csrf)
	return e
}
