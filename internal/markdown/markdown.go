// Package markdown turns the user's Markdown notes into HTML that is safe to
// put in a page, and sanitises search highlights. It is the only importer of
// goldmark and bluemonday.
package markdown

import (
	"bytes"
	"html"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer converts Markdown to sanitised HTML. It is safe for concurrent use.
type Renderer struct {
	md        goldmark.Markdown
	ugc       *bluemonday.Policy
	highlight *bluemonday.Policy
}

// New returns a Renderer for GitHub-flavoured Markdown (tables,
// strikethrough, autolinks, task lists).
func New() *Renderer {
	// goldmark already drops raw HTML and dangerous link schemes unless told
	// otherwise; bluemonday runs afterwards anyway so that a goldmark bug or a
	// future option change cannot open a hole on its own.
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))

	ugc := bluemonday.UGCPolicy()
	ugc.RequireNoFollowOnLinks(true)
	ugc.AddTargetBlankToFullyQualifiedLinks(true)
	// Task lists render as disabled checkboxes; allow exactly that and no
	// other input.
	ugc.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	ugc.AllowAttrs("checked", "disabled").OnElements("input")

	highlight := bluemonday.NewPolicy()
	highlight.AllowElements("mark")

	return &Renderer{md: md, ugc: ugc, highlight: highlight}
}

// Render converts src to sanitised HTML.
func (r *Renderer) Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		// Converting into a buffer cannot fail in practice; if it ever does,
		// showing the note as escaped text beats losing it.
		return template.HTML("<pre>" + html.EscapeString(src) + "</pre>")
	}
	return template.HTML(r.ugc.SanitizeBytes(buf.Bytes()))
}

// SanitizeHighlight returns a search highlight fragment with every element
// except <mark> removed and all text escaped.
func (r *Renderer) SanitizeHighlight(s string) template.HTML {
	return template.HTML(r.highlight.Sanitize(s))
}
