package feeds

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
)

func writeCalendar(t *testing.T, info CalendarInfo, entries []Entry) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	n, err := WriteCalendar(&buf, info, entries)
	if err != nil {
		t.Fatalf("WriteCalendar: %v", err)
	}
	checkContentLines(t, buf.Bytes())
	return buf.Bytes(), n
}

// checkContentLines enforces RFC 5545 3.1 on the raw output: CRLF line
// ends, at most 75 octets a line, folds that do not split a UTF-8
// sequence, and no control characters but the tab.
func checkContentLines(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Errorf("calendar does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets; RFC 5545 allows 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		for _, r := range l {
			if r < 0x20 && r != '\t' || r == 0x7f {
				t.Errorf("line %d holds control character %U: %q", i+1, r, l)
			}
		}
	}
}

// unfold joins folded lines (RFC 5545 3.1) so that tests can look at whole
// properties.
func unfold(out []byte) string {
	return strings.ReplaceAll(string(out), "\r\n ", "")
}

// readBack parses a calendar with talkdex's own ICS importer and fails on
// any skipped event: a feed we write must import cleanly.
func readBack(t *testing.T, out []byte) []*catalog.Talk {
	t.Helper()
	var talks []*catalog.Talk
	skips, err := formats.Read(context.Background(), bytes.NewReader(out), formats.Options{Format: formats.FormatICS, Name: "watch.ics"},
		func(t *catalog.Talk) error { talks = append(talks, t); return nil })
	if err != nil {
		t.Fatalf("formats.Read: %v\n%s", err, out)
	}
	for _, s := range skips {
		t.Errorf("import skipped %s: %s", s.Ref, s.Reason)
	}
	return talks
}

func TestWriteCalendarRoundTrip(t *testing.T) {
	berlin, newYork := mustZone(t, "Europe/Berlin"), mustZone(t, "America/New_York")
	added := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	entries := []Entry{
		{Talk: talk("denog:42", "Peering DB Update", func(t *catalog.Talk) {
			t.Start = time.Date(2017, 11, 23, 13, 15, 0, 0, berlin)
			t.DurationMinutes = 45
			t.Room = "Saal 1"
			t.Speakers = []catalog.Speaker{{Name: "Arnold Nipper"}, {Name: "Jane Doe"}}
			t.Abstract = "What is new.\nAnd what is next."
			t.Tags = []string{"peering", "ixp"}
		}), Added: added, URL: "https://talkdex.example/talks/42"},
		{Talk: talk("nanog:7", "Unscheduled recording", nil), Added: added, URL: "https://talkdex.example/talks/43"},
		{Talk: talk("nanog:8", "Segment Routing in Practice", func(t *catalog.Talk) {
			// Across a DST change from the first talk, and no duration.
			t.Start = time.Date(2024, 6, 10, 9, 0, 0, 0, newYork)
		}), Added: added, URL: "https://talkdex.example/talks/44"},
	}
	out, n := writeCalendar(t, CalendarInfo{Name: "My watch list"}, entries)
	if n != 2 {
		t.Errorf("written = %d; want 2 (the talk without a start is skipped)", n)
	}
	if strings.Contains(string(out), "Unscheduled") {
		t.Errorf("the talk without a start is in the calendar:\n%s", out)
	}
	got := readBack(t, out)
	want := []struct {
		title    string
		start    time.Time
		minutes  int
		url      string
		room     string
		speakers []string
		tags     []string
	}{
		{"Peering DB Update", entries[0].Talk.Start, 45, entries[0].URL, "Saal 1", []string{"Arnold Nipper", "Jane Doe"}, []string{"peering", "ixp"}},
		{"Segment Routing in Practice", entries[2].Talk.Start, 30, entries[2].URL, "", nil, nil},
	}
	if len(got) != len(want) {
		t.Fatalf("read back %d talks; want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Title != w.title {
			t.Errorf("talk %d: title = %q; want %q", i, g.Title, w.title)
		}
		// DTSTART is written in UTC: the instant must survive, and the
		// reader must see the Z rather than guess a zone.
		if !g.Start.Equal(w.start) || g.Start.Location() != time.UTC {
			t.Errorf("talk %d: start = %s; want %s in UTC", i, g.Start, w.start.UTC())
		}
		if g.DurationMinutes != w.minutes {
			t.Errorf("talk %d: duration = %d min; want %d", i, g.DurationMinutes, w.minutes)
		}
		if g.Source.URL != w.url || !g.HasLink(catalog.LinkPage) {
			t.Errorf("talk %d: source URL = %q, links %v; want %q as the page", i, g.Source.URL, g.Links, w.url)
		}
		if g.Room != w.room {
			t.Errorf("talk %d: room = %q; want %q", i, g.Room, w.room)
		}
		assertStrings(t, "speakers", g.SpeakerNames(), w.speakers)
		assertStrings(t, "tags", g.Tags, w.tags)
	}
	if !strings.Contains(got[0].Abstract, "What is new.\nAnd what is next.") || !strings.Contains(got[0].Abstract, "Event: DENOG9") {
		t.Errorf("description read back as %q; want the event and the abstract with its line break", got[0].Abstract)
	}
}

func TestWriteCalendarUIDs(t *testing.T) {
	start := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	withStart := func(t *catalog.Talk) { t.Start = start }
	out, _ := writeCalendar(t, CalendarInfo{}, []Entry{
		{Talk: talk("denog:1", "A", withStart), URL: "https://h/talks/1"},
		{Talk: talk("denog:2", "B", withStart), URL: "https://h/talks/2"},
	})
	again, _ := writeCalendar(t, CalendarInfo{}, []Entry{
		{Talk: talk("denog:2", "B renamed", func(t *catalog.Talk) { t.Start = start; t.ID = 7 }), URL: "https://other/talks/7"},
	})
	uids := func(out []byte) []string {
		var ids []string
		for _, l := range strings.Split(unfold(out), "\r\n") {
			if id, ok := strings.CutPrefix(l, "UID:"); ok {
				ids = append(ids, id)
			}
		}
		return ids
	}
	first, second := uids(out), uids(again)
	if len(first) != 2 || first[0] == first[1] || !strings.HasSuffix(first[0], "@talkdex") {
		t.Fatalf("UIDs = %q; want two distinct ...@talkdex ids", first)
	}
	if len(second) != 1 || second[0] != first[1] {
		t.Errorf("UID of the same source key changed: %q, then %q", first[1], second)
	}
	// Without Added, DTSTAMP (required) falls back to the start, so the
	// output does not change from one fetch to the next.
	if !strings.Contains(string(out), "DTSTAMP:20250501T090000Z\r\n") {
		t.Errorf("no DTSTAMP from the start time:\n%s", out)
	}
}

func TestWriteCalendarEscapesAndFolds(t *testing.T) {
	title := "Ünïcødé ☃ and a very long title, with commas; semicolons;\nand a newline, " +
		strings.Repeat("東京 ", 20) + "end"
	abstract := "first line\nsecond; line, with \\ backslash\r\nthird\rfourth"
	tk := talk("denog:9", "placeholder", func(t *catalog.Talk) {
		t.Start = time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
		t.Abstract = abstract
		t.Tags = []string{"a,b", "c;d"}
		t.Room = "Hall A, Level 2; East"
	})
	tk.Title = title // keep the newline Normalize would fold, as a careless caller might
	out, _ := writeCalendar(t, CalendarInfo{Name: "List, with; specials"}, []Entry{{Talk: tk, URL: "https://h/talks/9"}})

	props := unfold(out)
	for _, want := range []string{
		`SUMMARY:Ünïcødé ☃ and a very long title\, with commas\; semicolons\; and a newline\, 東京`,
		`DESCRIPTION:Event: DENOG9\n\nfirst line\nsecond\; line\, with \\ backslash\nthird\nfourth\n`,
		`LOCATION:Hall A\, Level 2\; East`,
		`CATEGORIES:a\,b`,
		`X-WR-CALNAME:List\, with\; specials`,
	} {
		if !strings.Contains(props, want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(string(out), "\r\n ") {
		t.Errorf("the long title was not folded:\n%s", out)
	}
	got := readBack(t, out)
	if len(got) != 1 {
		t.Fatalf("read back %d talks; want 1", len(got))
	}
	if want := catalog.CleanText(title); got[0].Title != want {
		t.Errorf("title = %q; want %q", got[0].Title, want)
	}
	if !strings.Contains(got[0].Abstract, "second; line, with \\ backslash\nthird\nfourth") {
		t.Errorf("abstract read back as %q", got[0].Abstract)
	}
	assertStrings(t, "tags", got[0].Tags, []string{"a,b", "c;d"})
	if got[0].Room != "Hall A, Level 2; East" {
		t.Errorf("room = %q", got[0].Room)
	}
}

func TestWriteCalendarStripsControlCharacters(t *testing.T) {
	tk := talk("denog:1", "x", func(t *catalog.Talk) {
		t.Start = time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
		t.Abstract = "bell\x07 and\x00 nul"
	})
	tk.Title = "BGP\x00 in \x1b[1mbold\x1b[0m\x7f\r\x85"
	out, _ := writeCalendar(t, CalendarInfo{Name: "w\x01l"}, []Entry{{Talk: tk, URL: "https://h/talks/1\r\nX-INJECTED:1"}})
	if strings.Contains(string(out), "\r\nX-INJECTED") {
		t.Fatalf("a CRLF in the URL started a new property:\n%s", out)
	}
	got := readBack(t, out)
	if len(got) != 1 || got[0].Title != "BGP in [1mbold[0m" {
		t.Fatalf("read back %+v; want one talk titled %q", got, "BGP in [1mbold[0m")
	}
	if !strings.Contains(got[0].Abstract, "bell and nul") {
		t.Errorf("abstract = %q", got[0].Abstract)
	}
}

func TestWriteCalendarEmpty(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
	}{
		{"no entries", nil},
		{"only unscheduled talks", []Entry{{Talk: talk("denog:1", "Later", nil), URL: "https://h/talks/1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, n := writeCalendar(t, CalendarInfo{Name: "Empty", ProdID: "-//example//test//EN"}, tt.entries)
			if n != 0 || strings.Contains(string(out), "BEGIN:VEVENT") {
				t.Errorf("written = %d; want an empty calendar:\n%s", n, out)
			}
			for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "PRODID:-//example//test//EN\r\n", "END:VCALENDAR\r\n"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("calendar lacks %q:\n%s", want, out)
				}
			}
			if talks := readBack(t, out); len(talks) != 0 {
				t.Errorf("read back %d talks from an empty calendar", len(talks))
			}
		})
	}
}

func TestWriteCalendarErrors(t *testing.T) {
	fw := newFailingWriter()
	n, err := WriteCalendar(fw, CalendarInfo{}, nil)
	if !errors.Is(err, fw.err) || n != 0 {
		t.Errorf("WriteCalendar to a failing writer = %d, %v; want 0 and the writer's error", n, err)
	}
	n, err = WriteCalendar(io.Discard, CalendarInfo{}, []Entry{{URL: "https://h/talks/1"}})
	if catalog.ErrorCode(err) != catalog.EINVALID || n != 0 {
		t.Errorf("WriteCalendar with a nil talk = %d, %v; want 0 and an EINVALID error", n, err)
	}
}
