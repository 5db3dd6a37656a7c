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

// markdownExporter writes a readable Markdown post of the talks: a section
// per series, a sub-section per event (left out when the event is named
// like its series), and a bullet per talk with its title linked to the
// video (else the slides, else a page), its speakers, the rating as stars,
// whether it was watched, and the user's note under it.
//
// Grouping needs every talk, so talks are kept until Close. Series sort by
// name, events by year and name, talks by start and title.
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
	c.Abstract = ""
	e.talks = append(e.talks, c)
	return nil
}

func (e *markdownExporter) Close() error {
	talks := e.talks
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
	slices.SortStableFunc(talks, func(a, b catalog.Talk) int {
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
	events := 0
	for i := range talks {
		if i == 0 || talks[i].Series != talks[i-1].Series || talks[i].Event != talks[i-1].Event {
			events++
		}
	}

	w := bufio.NewWriter(e.w)
	fmt.Fprintf(w, "# Talks\n\n%d %s from %d %s.\n", len(talks), plural(len(talks), "talk", "talks"), events, plural(events, "event", "events"))
	for i := range talks {
		t := &talks[i]
		newSeries := i == 0 || t.Series != talks[i-1].Series
		if newSeries {
			fmt.Fprintf(w, "\n## %s\n", escapeMarkdown(t.Series))
		}
		if (newSeries || t.Event != talks[i-1].Event) && t.Event != t.Series {
			fmt.Fprintf(w, "\n### %s\n", escapeMarkdown(t.Event))
		}
		if newSeries || t.Event != talks[i-1].Event {
			w.WriteString("\n")
		}
		writeMarkdownTalk(w, t)
	}
	e.talks = nil
	if err := w.Flush(); err != nil {
		return fmt.Errorf("export Markdown: %w", err)
	}
	return nil
}

func writeMarkdownTalk(w *bufio.Writer, t *catalog.Talk) {
	w.WriteString("- ")
	primary, ok := primaryLink(t)
	if ok {
		fmt.Fprintf(w, "[%s](%s)", escapeMarkdown(t.Title), markdownURL(primary.URL))
	} else {
		w.WriteString(escapeMarkdown(t.Title))
	}
	if names := t.SpeakerNames(); len(names) > 0 {
		for i, n := range names {
			names[i] = escapeMarkdown(n)
		}
		w.WriteString(" — " + strings.Join(names, ", "))
	}
	if primary.Kind == catalog.LinkVideo {
		for _, l := range t.Links {
			if l.Kind == catalog.LinkSlides && linkable(l.URL) {
				fmt.Fprintf(w, " · [slides](%s)", markdownURL(l.URL))
				break
			}
		}
	}
	if t.Rating > 0 {
		r := min(t.Rating, catalog.MaxStars)
		w.WriteString(" " + strings.Repeat("★", r) + strings.Repeat("☆", catalog.MaxStars-r))
	}
	if t.Watched {
		w.WriteString(" ✓ watched")
	}
	w.WriteString("\n")
	if note := strings.TrimSpace(t.Note); note != "" {
		w.WriteString("\n")
		for _, line := range strings.Split(note, "\n") {
			if strings.TrimSpace(line) == "" {
				w.WriteString("\n")
				continue
			}
			w.WriteString("  " + strings.TrimRight(line, "\r") + "\n")
		}
		w.WriteString("\n")
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
