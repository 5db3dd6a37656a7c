package notesimport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary posts to Parse as text and as HTML: it must
// never panic, and what it returns must be well-formed parts whose line
// numbers point into the post's text form in order.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"weekend-notes.txt", "weekend-notes.html", "nog-catchup.txt", "unknown-talks.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), strings.HasSuffix(name, ".html"))
	}
	for _, seed := range []string{
		"", ":", " : video —", "Title:", "Title:\n\n•", "•\n•\n", "- \n* \n+ x", "---\n***\n___",
		"AusNOG 2023\n\n\n\nx: video - y\n  continuation", "\xff\xfe\x00bad utf8: video — ok",
		"<ul><li><ul><li>deep</li></ul></li></ul>", "<h1></h1><li></li><br><hr><pre>a\nb</pre>",
		"<p>Title: video — good</p><ul><li>note", "<html><body><article>x</article><article>y</article>",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, post string, html bool) {
		contentType := "text/plain"
		if html {
			contentType = "text/html"
		}
		parts, err := Parse(strings.NewReader(post), contentType)
		if err != nil {
			t.Fatalf("Parse in memory failed: %v", err)
		}
		last := 0
		for _, p := range parts {
			if p.Line <= last {
				t.Fatalf("part lines out of order: %d after %d", p.Line, last)
			}
			last = p.Line
			if p.Lead == "" {
				t.Fatalf("part at line %d has no lead", p.Line)
			}
			if p.Verdict != "" && p.Title == "" {
				t.Fatalf("part at line %d has a verdict but no title", p.Line)
			}
			for _, s := range []string{p.Heading, p.Title, p.Lead, p.Verdict, p.Note} {
				if !utf8.ValidString(s) {
					t.Fatalf("part at line %d holds invalid UTF-8 %q", p.Line, s)
				}
			}
			// Whatever Parse found must survive matching too.
			_ = SuggestRating(p.Verdict)
		}
		_ = MatchParts(parts, []Candidate{{ID: 1, Title: "No Packet Behind", Series: "AusNOG", Event: "AusNOG 2023", Year: 2023}}, Options{})
	})
}
