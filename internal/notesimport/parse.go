package notesimport

import (
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"
)

// maxPostBytes bounds what Parse reads: a blog post is kilobytes, and a
// mistaken URL must not fill memory.
const maxPostBytes = 8 << 20

// Part is one piece of a post: the notes on one talk, or a stretch of prose
// that names no talk. Parts are never dropped, so that what the importer
// could not place is still shown to the user.
type Part struct {
	Line    int    // 1-based line in the text form of the post where the part starts
	Heading string // the event heading in force for this part, "" if none
	Title   string // the talk title as written, "" when the part names no title
	Lead    string // the first line of the part as written
	Verdict string // the words after the dash on the talk line, "" if none
	Note    string // Markdown: bullets as a "- " list, plus the part's prose paragraphs
}

// Parse splits a post into parts. contentType is a MIME type: HTML
// ("text/html", "application/xhtml+xml") is first turned into text lines;
// "text/plain", "text/markdown" and "" are read as text, except that ""
// with HTML content is sniffed as HTML.
func Parse(r io.Reader, contentType string) ([]Part, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPostBytes+1))
	if err != nil {
		return nil, fmt.Errorf("notesimport: read post: %w", err)
	}
	if len(data) > maxPostBytes {
		return nil, fmt.Errorf("notesimport: post is larger than %d bytes", maxPostBytes)
	}
	isHTML, err := htmlContent(contentType, data)
	if err != nil {
		return nil, err
	}
	// Blogs are not always careful with encodings; a stray byte must not
	// leak into notes stored as text.
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	var lines []string
	if isHTML {
		if lines, err = htmlLines(strings.NewReader(text)); err != nil {
			return nil, err
		}
	} else {
		lines = textLines(text)
	}
	return segment(lines), nil
}

// htmlContent decides between the text and HTML readers.
func htmlContent(contentType string, data []byte) (bool, error) {
	if strings.TrimSpace(contentType) == "" {
		return sniffHTML(data), nil
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false, fmt.Errorf("notesimport: content type %q: %w", contentType, err)
	}
	switch mediaType {
	case "text/html", "application/xhtml+xml":
		return true, nil
	case "text/plain", "text/markdown", "text/x-markdown":
		return false, nil
	}
	return false, fmt.Errorf("notesimport: unsupported content type %q: want text or HTML", mediaType)
}

func sniffHTML(data []byte) bool {
	head := strings.ToLower(strings.TrimSpace(string(data[:min(len(data), 512)])))
	if !strings.HasPrefix(head, "<") {
		return false
	}
	for _, tag := range []string{"<!doctype html", "<html", "<body", "<p", "<div", "<h1", "<h2", "<ul", "<article"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}

// textLines splits text into lines, tolerating a BOM and CRLF.
func textLines(s string) []string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// segment groups classified lines into parts. A part ends at a heading, a
// talk line, a rule, or two blank lines in a row (the way posts separate
// unrelated items). Prose after a talk's bullets starts a part of its own:
// it is often an aside, and attaching it to the talk's note would be a
// silent guess.
func segment(lines []string) []Part {
	kinds := classify(lines)
	var (
		parts   []Part
		heading string
		cur     *partBuilder
		blanks  int
	)
	finish := func() {
		if cur != nil {
			parts = append(parts, cur.part())
			cur = nil
		}
	}
	start := func(i int, title, verdict string) {
		finish()
		cur = &partBuilder{p: Part{Line: i + 1, Heading: heading, Title: title, Verdict: verdict, Lead: strings.TrimSpace(lines[i])}}
	}
	for i, line := range lines {
		kind := kinds[i]
		if kind == lineBlank {
			blanks++
			if blanks >= 2 {
				finish()
			} else if cur != nil {
				cur.endParagraph()
			}
			continue
		}
		continuation := blanks == 0 && cur != nil && cur.lastWasBullet && kind == lineProse && startsIndented(line)
		blanks = 0
		switch {
		case continuation:
			cur.continueBullet(strings.TrimSpace(line))
		case kind == lineRule:
			finish()
		case kind == lineHeading:
			finish()
			heading = strings.Join(strings.Fields(line), " ")
		case kind == lineTalk:
			tl, _ := parseTalkLine(line)
			start(i, tl.title, tl.verdict)
		case kind == lineBullet:
			if cur == nil {
				start(i, "", "")
			}
			text, _ := bulletText(line)
			cur.addBullet(text)
		default: // prose
			if cur != nil && cur.p.Title != "" && cur.hasBullets {
				finish()
			}
			if cur == nil {
				start(i, "", "")
			}
			cur.addProse(strings.TrimSpace(line))
		}
	}
	finish()
	return parts
}

func startsIndented(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return r == ' ' || r == '\t' || r == '\u00a0'
}

// partBuilder accumulates a part's note as Markdown blocks.
type partBuilder struct {
	p             Part
	blocks        []noteBlock
	hasBullets    bool
	lastWasBullet bool
	openPara      bool
}

type noteBlock struct {
	list  bool
	lines []string
}

func (b *partBuilder) addBullet(text string) {
	if n := len(b.blocks); n == 0 || !b.blocks[n-1].list {
		b.blocks = append(b.blocks, noteBlock{list: true})
	}
	last := &b.blocks[len(b.blocks)-1]
	last.lines = append(last.lines, text)
	b.hasBullets, b.lastWasBullet, b.openPara = true, true, false
}

func (b *partBuilder) continueBullet(text string) {
	last := &b.blocks[len(b.blocks)-1]
	last.lines[len(last.lines)-1] += " " + text
}

func (b *partBuilder) addProse(text string) {
	if !b.openPara {
		b.blocks = append(b.blocks, noteBlock{})
		b.openPara = true
	}
	last := &b.blocks[len(b.blocks)-1]
	last.lines = append(last.lines, text)
	b.lastWasBullet = false
}

func (b *partBuilder) endParagraph() {
	b.openPara = false
	b.lastWasBullet = false
}

// part renders the note. For a titled part the talk line is a label and
// stays out of the note; for an untitled part the lead is prose the user
// wrote, so it is the note's first paragraph.
func (b *partBuilder) part() Part {
	var out []string
	for _, blk := range b.blocks {
		if blk.list {
			items := make([]string, len(blk.lines))
			for i, l := range blk.lines {
				items[i] = "- " + l
			}
			out = append(out, strings.Join(items, "\n"))
		} else {
			out = append(out, strings.Join(blk.lines, "\n"))
		}
	}
	p := b.p
	p.Note = strings.Join(out, "\n\n")
	return p
}
