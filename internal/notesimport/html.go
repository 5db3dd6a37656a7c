package notesimport

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// htmlLines renders an HTML post as the text lines Parse reads: every block
// (heading, paragraph, list item) becomes a line, list items become "• "
// bullets, blocks are separated by a blank line, and headings and rules by
// two, which is how text posts separate unrelated items.
func htmlLines(r io.Reader) ([]string, error) {
	// x/net/html rather than goquery: DESIGN keeps goquery to the scrapers,
	// and a walk over the node tree is all this needs.
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("notesimport: parse HTML: %w", err)
	}
	w := &lineWriter{}
	// A blog page wraps the post in navigation, sidebars and comments;
	// the post itself is the one <article> or <main> when there is one.
	root := doc
	for _, tag := range []string{"article", "main", "body"} {
		if found := elementsNamed(doc, tag); len(found) == 1 {
			root = found[0]
			break
		}
	}
	w.walk(root)
	w.flush()
	return w.lines, nil
}

// isSkippedElement reports elements that hold no text of the post.
func isSkippedElement(name string) bool {
	switch name {
	case "head", "script", "style", "noscript", "template", "nav", "svg", "iframe", "form", "button", "#comment",
		"footer", "aside":
		return true
	}
	return false
}

// isBlockElement reports elements that end the line before and after them.
func isBlockElement(name string) bool {
	switch name {
	case "p", "div", "blockquote", "section", "article", "main", "header", "ul", "ol", "dl", "dt",
		"dd", "table", "tr", "figure", "figcaption", "address":
		return true
	}
	return false
}

type lineWriter struct {
	lines  []string
	buf    strings.Builder
	bullet bool
}

// elementsNamed lists the elements called tag under n, in document order.
func elementsNamed(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			out = append(out, d)
		}
	}
	return out
}

// nodeName is "#text", "#comment" or the element's tag name.
func nodeName(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return "#text"
	case html.CommentNode:
		return "#comment"
	case html.ElementNode:
		return n.Data
	}
	return ""
}

// textOf is all the text under n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func (w *lineWriter) walk(n *html.Node) {
	for c := range n.ChildNodes() {
		name := nodeName(c)
		switch {
		case name == "":
			w.walk(c) // a doctype or the document itself
		case name == "#text":
			w.buf.WriteString(c.Data)
		case isSkippedElement(name):
		case name == "br":
			w.flush()
		case name == "hr":
			w.flush()
			w.blanks(2)
		case name == "pre":
			w.flush()
			for _, l := range strings.Split(textOf(c), "\n") {
				w.lines = append(w.lines, strings.TrimRight(l, " \t"))
			}
			w.blanks(1)
		case name == "li":
			w.flush()
			w.bullet = true
			w.walk(c)
			w.flush()
			w.bullet = false // an empty item must not mark the next line
		case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
			w.flush()
			w.blanks(2)
			w.walk(c)
			w.flush()
			w.blanks(1)
		case isBlockElement(name):
			w.flush()
			w.walk(c)
			w.flush()
			// Rows and definition parts are lines of one block, not
			// paragraphs of their own.
			if name != "dt" && name != "dd" && name != "tr" {
				w.blanks(1)
			}
		default: // inline
			w.walk(c)
		}
	}
}

// flush ends the current line. A list item's text keeps its bullet even
// when a nested list interrupts it.
func (w *lineWriter) flush() {
	text := strings.Join(strings.Fields(w.buf.String()), " ")
	w.buf.Reset()
	if text == "" {
		return
	}
	if w.bullet {
		text = "• " + text
		w.bullet = false
	}
	w.lines = append(w.lines, text)
}

// blanks makes sure the output ends in at least n blank lines, never
// leading the output.
func (w *lineWriter) blanks(n int) {
	if len(w.lines) == 0 {
		return
	}
	have := 0
	for i := len(w.lines) - 1; i >= 0 && w.lines[i] == ""; i-- {
		have++
	}
	for ; have < n; have++ {
		w.lines = append(w.lines, "")
	}
}
