package server

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"

	"github.com/labstack/echo/v4"
)

// serveStatic serves web/static from the embedded FS. Only names that
// fs.ValidPath accepts are opened (no "..", no leading slash), and the FS
// holds nothing but web/static, so no other file can be reached.
func (s *Server) serveStatic(c echo.Context) error {
	name, err := url.PathUnescape(c.Param("*"))
	if err != nil || !fs.ValidPath(name) || name == "." || path.Clean(name) != name {
		return echo.ErrNotFound
	}
	info, err := fs.Stat(s.static, name)
	if err != nil || info.IsDir() {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	// Embedded files carry no modification time; the content hash is the
	// validator that lets browsers revalidate cheaply.
	h.Set("ETag", `"`+s.assets[name]+`"`)
	if v := c.QueryParam("v"); v != "" && v == s.assets[name] {
		h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		h.Set(echo.HeaderCacheControl, "no-cache")
	}
	f, err := s.static.Open(name)
	if err != nil {
		return echo.ErrNotFound
	}
	defer f.Close()
	content, ok := f.(io.ReadSeeker)
	if !ok {
		return fmt.Errorf("static file %s is not seekable", name)
	}
	http.ServeContent(c.Response(), c.Request(), info.Name(), info.ModTime(), content)
	return nil
}
