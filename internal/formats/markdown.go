package formats

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// markdownExporter writes blog-ready Markdown: one post per event (see
// EventPost), posts separated by a horizontal rule.
//
// Grouping needs every talk, so talks are kept until Close.
type markdownExporter struct {
	w     io.Writer
	talks []catalog.Talk
}

func newMarkdownExporter(w io.Writer) *markdownExporter {
	return &markdownExporter{w: w}
}

func (e *markdownExporter) Write(t *catalog.Talk) error {
	c := *t
	// The caller may reuse t and its slices for the next talk.
	c.Speakers = slices.Clone(t.Speakers)
	c.Links = slices.Clone(t.Links)
	c.Tags = nil
	c.MyTags = nil
	c.Abstract = ""
	e.talks = append(e.talks, c)
	return nil
}

func (e *markdownExporter) Close() error {
	w := bufio.NewWriter(e.w)
	for i, post := range GroupPosts(e.talks) {
		if i > 0 {
			w.WriteString("\n---\n\n")
		}
		post.write(w)
	}
	e.talks = nil
	if err := w.Flush(); err != nil {
		return fmt.Errorf("export Markdown: %w", err)
	}
	return nil
}

// EventPost is a blog-ready Markdown post about one event: a heading, a
// line saying what the event was, then a section per talk with its title
// linked to the video (else the slides, else a page), its speakers, the
// rating as stars, whether it was watched, and the user's note as written.
type EventPost struct {
	Series, Event string
	Year          int
	Talks         []catalog.Talk
}

// Slug names the post's file: lower-case letters, digits and dashes.
func (p *EventPost) Slug() string {
	name := p.Event
	if !strings.Contains(strings.ToLower(p.Event), strings.ToLower(p.Series)) {
		name = p.Series + " " + p.Event
	}
	slug := strings.ReplaceAll(catalog.NormalizeTitle(name), " ", "-")
	if slug == "" {
		slug = "event"
	}
	return slug
}

// WriteTo writes the post.
func (p *EventPost) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriter(cw)
	p.write(bw)
	err := bw.Flush()
	return cw.n, err
}

func (p *EventPost) write(w *bufio.Writer) {
	fmt.Fprintf(w, "# %s\n\n", escapeMarkdown(p.Event))
	about := p.Event
	if p.Series != p.Event {
		about += " (" + p.Series
		if p.Year > 0 && !strings.Contains(p.Event, fmt.Sprint(p.Year)) {
			about += fmt.Sprintf(", %d", p.Year)
		}
		about += ")"
	} else if p.Year > 0 {
		about += fmt.Sprintf(" (%d)", p.Year)
	}
	fmt.Fprintf(w, "%s: %d %s.\n", escapeMarkdown(about), len(p.Talks), plural(len(p.Talks), "talk", "talks"))
	for i := range p.Talks {
		writeMarkdownTalk(w, &p.Talks[i])
	}
}

// GroupPosts sorts talks into one post per event. Posts sort by series,
// then the event's first year, then name; talks by start, then title.
func GroupPosts(talks []catalog.Talk) []EventPost {
	// An event's talks may span years (a meetup series); order events by
	// their first year so that each event stays in one piece.
	type eventKey struct{ series, event string }
	firstYear := map[eventKey]int{}
	for _, t := range talks {
		k := eventKey{t.Series, t.Event}
		if y, ok := firstYear[k]; !ok || (t.Year != 0 && (y == 0 || t.Year < y)) {
			firstYear[k] = t.Year
		}
	}
	sorted := slices.Clone(talks)
	slices.SortStableFunc(sorted, func(a, b catalog.Talk) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(a.Series), strings.ToLower(b.Series)),
			cmp.Compare(a.Series, b.Series),
			cmp.Compare(firstYear[eventKey{a.Series, a.Event}], firstYear[eventKey{b.Series, b.Event}]),
			cmp.Compare(strings.ToLower(a.Event), strings.ToLower(b.Event)),
			cmp.Compare(a.Event, b.Event),
			a.Start.Compare(b.Start),
			cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)),
		)
	})
	var posts []EventPost
	for _, t := range sorted {
		if n := len(posts); n == 0 || posts[n-1].Series != t.Series || posts[n-1].Event != t.Event {
			posts = append(posts, EventPost{Series: t.Series, Event: t.Event, Year: firstYear[eventKey{t.Series, t.Event}]})
		}
		posts[len(posts)-1].Talks = append(posts[len(posts)-1].Talks, t)
	}
	return posts
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeMarkdownTalk(w *bufio.Writer, t *catalog.Talk) {
	w.WriteString("\n## ")
	primary, ok := primaryLink(t)
	if ok {
		fmt.Fprintf(w, "[%s](%s)", escapeMarkdown(t.Title), markdownURL(primary.URL))
	} else {
		w.WriteString(escapeMarkdown(t.Title))
	}
	w.WriteString("\n")
	var meta []string
	if names := t.SpeakerNames(); len(names) > 0 {
		for i, n := range names {
			names[i] = escapeMarkdown(n)
		}
		meta = append(meta, strings.Join(names, ", "))
	}
	if primary.Kind == catalog.LinkVideo {
		for _, l := range t.Links {
			if l.Kind == catalog.LinkSlides && linkable(l.URL) {
				meta = append(meta, fmt.Sprintf("[slides](%s)", markdownURL(l.URL)))
				break
			}
		}
	}
	if t.Rating > 0 {
		r := min(t.Rating, catalog.MaxStars)
		meta = append(meta, strings.Repeat("★", r)+strings.Repeat("☆", catalog.MaxStars-r))
	}
	if t.Watched {
		meta = append(meta, "watched")
	}
	if len(meta) > 0 {
		w.WriteString("\n" + strings.Join(meta, " · ") + "\n")
	}
	// The note is the user's own Markdown and goes in as written.
	if note := strings.TrimSpace(t.Note); note != "" {
		w.WriteString("\n" + strings.ReplaceAll(note, "\r\n", "\n") + "\n")
	}
}

// primaryLink picks what the title links to: the video, else the slides,
// else a page, else the talk's source page.
func primaryLink(t *catalog.Talk) (catalog.Link, bool) {
	for _, kind := range []string{catalog.LinkVideo, catalog.LinkSlides, catalog.LinkPage, catalog.LinkOther} {
		for _, l := range t.Links {
			if l.Kind == kind && linkable(l.URL) {
				return l, true
			}
		}
	}
	if linkable(t.Source.URL) {
		return catalog.Link{Kind: catalog.LinkPage, URL: t.Source.URL}, true
	}
	return catalog.Link{}, false
}

// linkable keeps javascript: and other odd schemes out of a post that will
// be rendered somewhere else.
func linkable(url string) bool {
	u := strings.ToLower(url)
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// markdownURL makes a URL safe inside a Markdown link's parentheses.
func markdownURL(url string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(url)
}

// escapeMarkdown backslash-escapes the characters that would turn plain
// text into Markdown or HTML.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~#", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
