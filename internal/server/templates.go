package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Page template names; each is layout.html plus <name>.html.
const (
	pageSearchName   = "search"
	pageTalkName     = "talk"
	pageEventsName   = "events"
	pageEventName    = "event"
	pageErrorName    = "error"
	pageHistoryName  = "history"
	pageSearchesName = "searches"
	pageLoginName    = "login"
	// pageMyName is the layout name of /my, which renders the search
	// template; it has no template of its own.
	pageMyName = "my"
)

func pageNames() []string {
	return []string{pageSearchName, pageTalkName, pageEventsName, pageEventName, pageErrorName,
		pageHistoryName, pageSearchesName, pageLoginName}
}

// parsePages parses every page once, each sharing the base layout.
func parsePages(templates fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames()))
	for _, name := range pageNames() {
		t, err := template.New(name).Funcs(funcs).ParseFS(templates, "layout.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		if t.Lookup("layout") == nil || t.Lookup("content") == nil {
			return nil, fmt.Errorf("page %s: needs templates \"layout\" and \"content\"", name)
		}
		pages[name] = t
	}
	return pages, nil
}

// layout is what the base layout reads; every page's data embeds it.
type layout struct {
	Page  string // page name, used as a body class
	Title string
	CSRF  string
	Feeds []feedLink // <link rel="alternate"> feeds of the page
}

// feedLink is an Atom feed a page advertises in its head.
type feedLink struct {
	Title, URL string
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(c echo.Context, status int, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render page %s: %w", page, err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

type errorPage struct {
	layout
	Status     int
	StatusText string
	Message    string
}

func (s *Server) renderErrorPage(c echo.Context, status int, message string) error {
	data := errorPage{
		layout:     layout{Page: pageErrorName, Title: http.StatusText(status)},
		Status:     status,
		StatusText: http.StatusText(status),
		Message:    message,
	}
	if err := s.render(c, status, pageErrorName, data); err != nil {
		return c.String(status, message)
	}
	return nil
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"static":    s.staticURL,
		"stars":     starString,
		"date":      formatDate,
		"datetime":  formatDateTime,
		"join":      strings.Join,
		"linkLabel": linkLabel,
		"talkURL":   talkURL,
		"eventURL":  eventURL,
		"seriesURL": seriesSearchURL,
		"markdown":  s.markdown.Render,
		"stars5":    starButtons,
		"myTagURL":  myTagSearchURL,
		"watchText": watchText,
	}
}

func starString(n int) string {
	if n < 0 {
		n = 0
	}
	if n > catalog.MaxStars {
		n = catalog.MaxStars
	}
	return strings.Repeat("★", n) + strings.Repeat("☆", catalog.MaxStars-n)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 Jan 2006")
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("Mon 2 Jan 2006, 15:04 MST")
}

func linkLabel(kind string) string {
	switch kind {
	case catalog.LinkVideo:
		return "Video"
	case catalog.LinkSlides:
		return "Slides"
	case catalog.LinkPage:
		return "Talk page"
	default:
		return "Link"
	}
}

func talkURL(id int64) string { return "/talks/" + strconv.FormatInt(id, 10) }

func eventURL(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }

func seriesSearchURL(series string) string {
	return "/?" + url.Values{paramSeries: {series}}.Encode()
}

// hashAssets fingerprints every static file so that pages can link to
// /static/name?v=hash and let browsers cache it for long.
func hashAssets(static fs.FS) (map[string]string, error) {
	assets := map[string]string{}
	err := fs.WalkDir(static, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(static, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		assets[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return assets, err
}

func (s *Server) staticURL(name string) (string, error) {
	hash, ok := s.assets[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + name + "?v=" + hash, nil
}
