package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
	"github.com/talkdex/talkdex/internal/catalog"
)

// parseAtom checks that out is well-formed XML to a strict parser (which,
// unlike feed readers, rejects forbidden characters) and parses it as
// Atom with gofeed.
func parseAtom(t *testing.T, out []byte) *atom.Feed {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, out)
		}
	}
	if bytes.ContainsRune(out, '\uFFFD') {
		t.Errorf("output holds U+FFFD; a bad character was replaced, not removed:\n%s", out)
	}
	feed, err := (&atom.Parser{}).Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("gofeed cannot parse the feed: %v\n%s", err, out)
	}
	return feed
}

func writeAtom(t *testing.T, info AtomInfo, entries []Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteAtom(&buf, info, entries); err != nil {
		t.Fatalf("WriteAtom: %v", err)
	}
	return buf.Bytes()
}

func testAtomInfo() AtomInfo {
	return AtomInfo{
		Title:   "talkdex: bgp",
		ID:      "https://talkdex.example/search?q=bgp",
		SelfURL: "https://talkdex.example/feeds/search.atom?q=bgp",
		PageURL: "https://talkdex.example/?q=bgp",
		Updated: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

func TestWriteAtomFeed(t *testing.T) {
	info := testAtomInfo()
	out := writeAtom(t, info, nil)
	feed := parseAtom(t, out)

	if feed.Title != info.Title || feed.ID != info.ID {
		t.Errorf("feed title, id = %q, %q; want %q, %q", feed.Title, feed.ID, info.Title, info.ID)
	}
	if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(info.Updated) {
		t.Errorf("feed updated = %q; want %s", feed.Updated, info.Updated)
	}
	links := map[string]string{}
	for _, l := range feed.Links {
		links[l.Rel] = l.Href
	}
	if links["self"] != info.SelfURL || links["alternate"] != info.PageURL {
		t.Errorf("feed links = %v; want self %s and alternate %s", links, info.SelfURL, info.PageURL)
	}
	if len(feed.Entries) != 0 {
		t.Errorf("empty feed has %d entries", len(feed.Entries))
	}
}

func TestWriteAtomUpdatedFallback(t *testing.T) {
	older := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	newer := time.Date(2025, 6, 1, 8, 30, 0, 0, mustZone(t, "Europe/Berlin"))
	tests := []struct {
		name    string
		entries []Entry
		want    time.Time
	}{
		{"newest entry", []Entry{
			{Talk: talk("denog:1", "A", nil), Added: older, URL: "https://h/talks/1"},
			{Talk: talk("denog:2", "B", nil), Added: newer, URL: "https://h/talks/2"},
		}, newer},
		{"no entries", nil, time.Unix(0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info := testAtomInfo()
			info.Updated = time.Time{}
			feed := parseAtom(t, writeAtom(t, info, tt.entries))
			if feed.UpdatedParsed == nil || !feed.UpdatedParsed.Equal(tt.want) {
				t.Errorf("feed updated = %q; want %s", feed.Updated, tt.want.UTC())
			}
		})
	}
}

func TestWriteAtomEntries(t *testing.T) {
	added := time.Date(2026, 2, 27, 9, 15, 0, 0, mustZone(t, "Australia/Sydney"))
	longAbstract := strings.Repeat("Route leaks propagate quickly. ", 40)
	tests := []struct {
		name        string
		entry       Entry
		wantTitle   string
		wantAuthors []string
		wantRelated []string
		wantTerms   []string
		wantSummary string // exact, unless wantPrefix is set
		wantPrefix  bool
	}{
		{
			name: "full talk",
			entry: Entry{Talk: talk("denog:42", "Peering DB Update", func(t *catalog.Talk) {
				t.Speakers = []catalog.Speaker{{Name: "Arnold Nipper"}, {Name: "Jane Doe", Affiliation: "AS65000"}}
				t.Abstract = "What is new in PeeringDB."
				t.Tags = []string{"peering", "ixp"}
				t.Links = []catalog.Link{
					{Kind: catalog.LinkSlides, URL: "https://denog.de/slides/42.pdf"},
					{Kind: catalog.LinkVideo, URL: "https://youtu.be/abc"},
				}
			}), Added: added, URL: "https://talkdex.example/talks/42"},
			wantTitle:   "Peering DB Update",
			wantAuthors: []string{"Arnold Nipper", "Jane Doe"},
			wantRelated: []string{"https://youtu.be/abc"},
			wantTerms:   []string{"peering", "ixp"},
			wantSummary: "DENOG9 · Arnold Nipper, Jane Doe\n\nWhat is new in PeeringDB.",
		},
		{
			name:        "no speakers: the series is the author",
			entry:       Entry{Talk: talk("denog:43", "Lightning talks", nil), Added: added, URL: "https://talkdex.example/talks/43"},
			wantTitle:   "Lightning talks",
			wantAuthors: []string{"DENOG"},
			wantSummary: "DENOG9",
		},
		{
			name: "XML specials and non-ASCII",
			entry: Entry{Talk: talk("denog:44", `<script>&amp; "BGP" & 'RPKI' in Zürich — 東京 🚀`, func(t *catalog.Talk) {
				t.Speakers = []catalog.Speaker{{Name: "Jürgen <Jo> O'Brien & Søn"}}
				t.Tags = []string{"a&b", "<x>"}
			}), Added: added, URL: "https://talkdex.example/talks/44?a=1&b=2"},
			wantTitle:   `<script>&amp; "BGP" & 'RPKI' in Zürich — 東京 🚀`,
			wantAuthors: []string{"Jürgen <Jo> O'Brien & Søn"},
			wantTerms:   []string{"a&b", "<x>"},
			wantSummary: "DENOG9 · Jürgen <Jo> O'Brien & Søn",
		},
		{
			name: "long abstract is cut",
			entry: Entry{Talk: talk("denog:45", "Route leaks", func(t *catalog.Talk) {
				t.Abstract = longAbstract
			}), Added: added, URL: "https://talkdex.example/talks/45"},
			wantTitle:   "Route leaks",
			wantAuthors: []string{"DENOG"},
			wantSummary: "DENOG9\n\nRoute leaks propagate quickly. Route leaks",
			wantPrefix:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := parseAtom(t, writeAtom(t, testAtomInfo(), []Entry{tt.entry}))
			if len(feed.Entries) != 1 {
				t.Fatalf("got %d entries; want 1", len(feed.Entries))
			}
			got := feed.Entries[0]
			if got.Title != tt.wantTitle {
				t.Errorf("title = %q; want %q", got.Title, tt.wantTitle)
			}
			if want := talkUUID(tt.entry.Talk).URN(); got.ID != want || !strings.HasPrefix(got.ID, "urn:uuid:") {
				t.Errorf("id = %q; want %q", got.ID, want)
			}
			if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(added) || got.PublishedParsed == nil || !got.PublishedParsed.Equal(added) {
				t.Errorf("updated, published = %q, %q; want both %s", got.Updated, got.Published, added.UTC())
			}
			var alternate string
			var related []string
			for _, l := range got.Links {
				switch l.Rel {
				case "alternate":
					alternate = l.Href
				case "related":
					related = append(related, l.Href)
				default:
					t.Errorf("unexpected link rel=%q href=%q", l.Rel, l.Href)
				}
			}
			if alternate != tt.entry.URL {
				t.Errorf("alternate link = %q; want %q", alternate, tt.entry.URL)
			}
			assertStrings(t, "related links", related, tt.wantRelated)
			var authors, terms []string
			for _, a := range got.Authors {
				authors = append(authors, a.Name)
			}
			for _, c := range got.Categories {
				terms = append(terms, c.Term)
			}
			assertStrings(t, "authors", authors, tt.wantAuthors)
			assertStrings(t, "category terms", terms, tt.wantTerms)
			if tt.wantPrefix {
				if !strings.HasPrefix(got.Summary, tt.wantSummary) || !strings.HasSuffix(got.Summary, "…") {
					t.Errorf("summary = %q; want it to start %q and end with an ellipsis", got.Summary, tt.wantSummary)
				}
				if n := len([]rune(got.Summary)); n > summaryRunes {
					t.Errorf("summary has %d runes; want at most %d", n, summaryRunes)
				}
			} else if got.Summary != tt.wantSummary {
				t.Errorf("summary = %q; want %q", got.Summary, tt.wantSummary)
			}
		})
	}
}

func TestWriteAtomIDsFollowTheSourceKey(t *testing.T) {
	a := talk("denog:42", "Peering DB Update", func(t *catalog.Talk) { t.ID = 1 })
	sameTalkElsewhere := talk("denog:42", "PeeringDB update (revised)", func(t *catalog.Talk) { t.ID = 99 })
	other := talk("denog:43", "Peering DB Update", func(t *catalog.Talk) { t.ID = 1 })
	noKey := &catalog.Talk{Series: "DENOG", Event: "DENOG9", Title: "Unkeyed"}
	entries := []Entry{
		{Talk: a, URL: "https://one.example/talks/1"},
		{Talk: sameTalkElsewhere, URL: "https://two.example/talks/99"},
		{Talk: other, URL: "https://one.example/talks/1"},
		{Talk: noKey, URL: "https://one.example/talks/5"},
	}
	feed := parseAtom(t, writeAtom(t, testAtomInfo(), entries))
	ids := make([]string, len(feed.Entries))
	for i, e := range feed.Entries {
		ids[i] = e.ID
	}
	if ids[0] != ids[1] {
		t.Errorf("one source key, two ids: %q and %q", ids[0], ids[1])
	}
	if ids[0] == ids[2] {
		t.Errorf("two source keys share the id %q", ids[0])
	}
	if want := talkUUID(&catalog.Talk{Source: catalog.Source{Key: catalog.SourceKey(noKey)}}).URN(); ids[3] != want {
		t.Errorf("talk without a stored key has id %q; want the one from its computed key, %q", ids[3], want)
	}
}

func TestWriteAtomStripsControlCharacters(t *testing.T) {
	tests := []struct {
		name, title, want string
	}{
		{"NUL and escape", "BGP\x00 in \x1b[31mred\x1b[0m", "BGP in [31mred[0m"},
		{"vertical tab and form feed", "one\vtwo\fthree", "onetwothree"},
		{"DEL and C1", "del\x7f next\u0085line \u009b", "del nextline"},
		{"invalid UTF-8", "caf\xc3 \xff\xfeok", "caf ok"},
		{"non-characters", "a\uFFFEb\uFFFFc", "abc"},
		{"newlines and tabs fold", "multi\r\nline\ttitle\r", "multi line title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := talk("denog:1", "x", func(t *catalog.Talk) {
				t.Speakers = []catalog.Speaker{{Name: "Eve\x07 Bell"}}
				t.Abstract = "abstract\x01 with\x02 bytes"
				t.Tags = []string{"t\x03ag"}
			})
			tk.Title = tt.title // after Normalize, as a careless caller might
			info := testAtomInfo()
			info.Title = "search \x08" + tt.title
			out := writeAtom(t, info, []Entry{{Talk: tk, Added: info.Updated, URL: "https://h/talks/1\x00"}})
			for _, b := range out {
				if b < 0x20 && b != '\n' && b != '\t' {
					t.Fatalf("output holds control byte %#x:\n%q", b, out)
				}
			}
			feed := parseAtom(t, out)
			e := feed.Entries[0]
			if e.Title != tt.want {
				t.Errorf("title = %q; want %q", e.Title, tt.want)
			}
			if feed.Title != "search "+tt.want {
				t.Errorf("feed title = %q; want %q", feed.Title, "search "+tt.want)
			}
			if e.Authors[0].Name != "Eve Bell" || e.Categories[0].Term != "tag" {
				t.Errorf("author, category = %q, %q; want %q, %q", e.Authors[0].Name, e.Categories[0].Term, "Eve Bell", "tag")
			}
			if !strings.HasSuffix(e.Summary, "abstract with bytes") {
				t.Errorf("summary = %q; want the abstract without its control bytes", e.Summary)
			}
			if e.Links[0].Href != "https://h/talks/1" {
				t.Errorf("link = %q", e.Links[0].Href)
			}
		})
	}
}

func TestWriteAtomErrors(t *testing.T) {
	ok := Entry{Talk: talk("denog:1", "A", nil), URL: "https://h/talks/1"}
	tests := []struct {
		name    string
		info    AtomInfo
		entries []Entry
		w       io.Writer
		want    string
	}{
		{"no feed id", AtomInfo{Title: "t"}, nil, io.Discard, "needs an ID or a SelfURL"},
		{"entry without URL", testAtomInfo(), []Entry{ok, {Talk: talk("denog:2", "B", nil)}}, io.Discard, `atom entry 1 (talk "B") has no URL`},
		{"entry without talk", testAtomInfo(), []Entry{{URL: "https://h/talks/1"}}, io.Discard, "atom entry 0 has no talk"},
		{"writer fails", testAtomInfo(), []Entry{ok}, newFailingWriter(), "write atom feed: connection reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteAtom(tt.w, tt.info, tt.entries)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WriteAtom error = %v; want one containing %q", err, tt.want)
			}
		})
	}
	// A wiring bug is the caller's input, not a server fault: the HTTP
	// layer must see EINVALID, not "internal".
	err := WriteAtom(io.Discard, AtomInfo{}, nil)
	if code := catalog.ErrorCode(err); code != catalog.EINVALID {
		t.Errorf("error code = %q; want %q", code, catalog.EINVALID)
	}
	// The writer's error stays inspectable through the wrapping.
	fw := newFailingWriter()
	if err := WriteAtom(fw, testAtomInfo(), nil); !errors.Is(err, fw.err) {
		t.Errorf("WriteAtom error = %v; want it to wrap the writer's", err)
	}
}

func assertStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
		t.Errorf("%s = %q; want %q", what, got, want)
	}
}
