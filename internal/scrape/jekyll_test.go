package scrape

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/testfixture"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"
)

// renderJekyll turns a Jekyll source into the page its site serves: the
// Markdown body rendered (GFM tables, raw HTML passed through, as kramdown
// does) inside a page titled with the front matter's title. path is a file
// path, or a path under the shared fixtures ("denog/denog9_agenda.md"); the
// test skips when the shared fixtures are absent.
func renderJekyll(tb testing.TB, path string) []byte {
	tb.Helper()
	if _, err := os.Stat(path); err != nil && !filepath.IsAbs(path) {
		path = testfixture.Shared(tb, path)
	}
	page, err := jekyllPage(readFile(tb, path))
	if err != nil {
		tb.Fatalf("render %s: %v", path, err)
	}
	return page
}

func jekyllPage(src []byte) ([]byte, error) {
	title, body := jekyllFrontMatter(string(src))
	// kramdown reads "{: class=...}" lines as attribute lists; goldmark
	// would render them as text (or a table row), which the site never
	// serves.
	body = regexp.MustCompile(`(?m)^\{:[^}]*\}\s*$`).ReplaceAllString(body, "")
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	var out bytes.Buffer
	out.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	out.WriteString(html.EscapeString(title))
	out.WriteString("</title></head><body>\n<div class=\"content\">\n")
	if err := md.Convert([]byte(body), &out); err != nil {
		return nil, err
	}
	out.WriteString("</div>\n</body></html>\n")
	return out.Bytes(), nil
}

// jekyllFrontMatter splits "---\nkey: value\n---\nbody" and returns the
// title (unquoted) and the body.
func jekyllFrontMatter(src string) (title, body string) {
	src = strings.TrimPrefix(src, "\ufeff")
	if !strings.HasPrefix(src, "---") {
		return "", src
	}
	rest := src[3:]
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return "", src
	}
	front, body := rest[:end], rest[end+len("\n---"):]
	body = strings.TrimPrefix(strings.TrimLeft(body, "-"), "\r")
	for _, line := range strings.Split(front, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "title:"); ok {
			title = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return title, body
}
