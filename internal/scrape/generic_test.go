package scrape

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

func parseGenericFile(t *testing.T, name, pageURL string) *Result {
	t.Helper()
	r, err := ParseGeneric(context.Background(), pageURL, readFile(t, filepath.Join("testdata", "generic", name)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func titlesOf(talks []*catalog.Talk) []string {
	var titles []string
	for _, tk := range talks {
		titles = append(titles, tk.Title)
	}
	return titles
}

func TestGenericTableAgenda(t *testing.T) {
	r := parseGenericFile(t, "table.html", "https://loopnog.example/agenda/")
	if r.Event != "LoopNOG 7" || r.Series != "LoopNOG" {
		t.Errorf("series/event = %q/%q, want LoopNOG/LoopNOG 7", r.Series, r.Event)
	}
	want := []string{"Route Leaks & How to Stop Them", "Segment Routing in the Field", "IPv6-only Data Centres"}
	if got := titlesOf(r.Talks); !slices.Equal(got, want) {
		t.Fatalf("titles %q, want %q", got, want)
	}
	leaks := r.Talks[0]
	wantSpeakers := []catalog.Speaker{{Name: "Jane Doe", Affiliation: "Example Networks"}, {Name: "Max Mustermann"}}
	if !slices.Equal(leaks.Speakers, wantSpeakers) {
		t.Errorf("speakers %+v, want %+v", leaks.Speakers, wantSpeakers)
	}
	wantLinks := []catalog.Link{
		{Kind: catalog.LinkSlides, URL: "https://loopnog.example/slides/leaks.pdf"},
		{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=abc"},
	}
	if !slices.Equal(leaks.Links, wantLinks) {
		t.Errorf("links %+v, want %+v", leaks.Links, wantLinks)
	}
	// The page names no time zone, so no start is guessed.
	if leaks.Year != 2024 || leaks.DurationMinutes != 45 || !leaks.Start.IsZero() {
		t.Errorf("year %d, %d min, start %v; want 2024, 45 min, no start", leaks.Year, leaks.DurationMinutes, leaks.Start)
	}
	if got := r.Talks[1].SpeakerNames(); !slices.Equal(got, []string{"Erika Musterfrau", "John Smith"}) {
		t.Errorf("SR speakers %q", got)
	}
	for _, tk := range r.Talks {
		if tk.Source.Name != GenericSource || tk.Source.Key == "" {
			t.Errorf("%q: source %+v", tk.Title, tk.Source)
		}
	}
}

func TestGenericListAgenda(t *testing.T) {
	r := parseGenericFile(t, "list.html", "https://summit.example/programme/")
	if r.Event != "Example Summit 2023" || r.Series != "Example Summit" {
		t.Errorf("series/event = %q/%q", r.Series, r.Event)
	}
	want := []string{"Measuring Anycast Latency", "Automating Peering with Python", "BGP Flowspec Revisited"}
	if got := titlesOf(r.Talks); !slices.Equal(got, want) {
		t.Fatalf("titles %q, want %q", got, want)
	}
	if got := r.Talks[0].SpeakerNames(); !slices.Equal(got, []string{"Priya Raman"}) {
		t.Errorf("anycast speakers %q", got)
	}
	if got := r.Talks[1].SpeakerNames(); !slices.Equal(got, []string{"Tom Baker", "Lisa Wong"}) {
		t.Errorf("peering speakers %q", got)
	}
	if !r.Talks[1].HasLink(catalog.LinkVideo) {
		t.Errorf("peering links %+v, want the vimeo video", r.Talks[1].Links)
	}
	flowspec := r.Talks[2]
	wantLinks := []catalog.Link{
		{Kind: catalog.LinkPage, URL: "https://summit.example/talks/bgp-flowspec"},
		{Kind: catalog.LinkSlides, URL: "https://summit.example/files/flowspec.pdf"},
	}
	if !slices.Equal(flowspec.Links, wantLinks) {
		t.Errorf("flowspec links %+v, want %+v", flowspec.Links, wantLinks)
	}
	if flowspec.Year != 2023 || flowspec.DurationMinutes != 0 {
		t.Errorf("flowspec year %d, %d min; want 2023 and no duration", flowspec.Year, flowspec.DurationMinutes)
	}
}

func TestGenericFollowsICSLink(t *testing.T) {
	s := newWebSite(t)
	s.serve("/schedule/", "text/html; charset=utf-8", readFile(t, filepath.Join("testdata", "generic", "ics-link.html")))
	s.serve("/calconf.ics", "text/calendar", readFile(t, filepath.Join("testdata", "generic", "calconf.ics")))
	r, err := ScrapeURL(context.Background(), testFetcher(t), s.srv.URL+"/schedule/")
	if err != nil {
		t.Fatal(err)
	}
	if got := titlesOf(r.Talks); !slices.Equal(got, []string{"Calendars Considered Harmful", "Time Zones for the Weary"}) {
		t.Errorf("titles %q", got)
	}
	if want := "generic: structured data, schedule export " + s.srv.URL + "/calconf.ics found through the page's link to an ICS calendar"; r.Path != want {
		t.Errorf("path %q\nwant %q", r.Path, want)
	}
}

func TestGenericHeuristicOverHTTP(t *testing.T) {
	s := newWebSite(t)
	s.serve("/agenda/", "text/html", readFile(t, filepath.Join("testdata", "generic", "table.html")))
	r, err := ScrapeURL(context.Background(), testFetcher(t), s.srv.URL+"/agenda/")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Talks) != 3 || r.Path != "generic heuristic agenda extractor: 3 talks from 8 timed slots, 5 breaks and the like and 0 repeated rows left out" {
		t.Errorf("%d talks via %q", len(r.Talks), r.Path)
	}
	if r.Talks[0].Links[0].URL != s.srv.URL+"/slides/leaks.pdf" {
		t.Errorf("relative link resolved to %q", r.Talks[0].Links[0].URL)
	}
}

func TestGenericNoTalksIsAnError(t *testing.T) {
	s := newWebSite(t)
	s.serve("/about/", "text/html", []byte(`<html><head><title>About us</title></head><body><p>We run a conference.</p></body></html>`))
	_, err := ScrapeURL(context.Background(), testFetcher(t), s.srv.URL+"/about/")
	if catalog.ErrorCode(err) != catalog.EINVALID {
		t.Fatalf("err %v, want EINVALID", err)
	}
	if want := "found no talks for About us at " + s.srv.URL + "/about/; nothing was changed"; catalog.ErrorMessage(err) != want {
		t.Errorf("message %q\nwant %q", catalog.ErrorMessage(err), want)
	}
}

func TestScrapeFileGeneric(t *testing.T) {
	r, err := ScrapeFile(context.Background(), nil, filepath.Join("testdata", "generic", "list.html"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Talks) != 3 {
		t.Errorf("%d talks", len(r.Talks))
	}
	// A saved page has no URL: relative links stay relative rather than
	// pointing at a made-up host.
	if got := r.Talks[2].Links[0].URL; got != "/talks/bgp-flowspec" {
		t.Errorf("link %q", got)
	}
}

// The tabular PyCon UK 2015 schedule is a multi-track grid with no
// speakers; its ICS export of the same conference holds 153 talks,
// including breaks, plenaries and workshops.
func TestGenericPyConUKTabular(t *testing.T) {
	path := testfixture.Shared(t, "pyconuk-2015/schedule-tabular.html")
	r, err := ParseGeneric(context.Background(), "https://2015.pyconuk.org/schedule/", readFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d talks; %s", len(r.Talks), r.Path)
	if r.Event != "PyCon UK 2015" {
		t.Errorf("event %q", r.Event)
	}
	titles := titlesOf(r.Talks)
	for _, want := range []string{"Python's Infamous GIL", "Understanding PyPy", "Gabbi - Declarative HTTP Testing", "All I really want is power"} {
		if !slices.Contains(titles, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, bad := range []string{"Registration / Breakfast", "Opening Plenary", "DjangoGirls Lunch"} {
		if slices.Contains(titles, bad) {
			t.Errorf("kept %q", bad)
		}
	}
	if len(r.Talks) < 80 {
		t.Errorf("only %d talks", len(r.Talks))
	}
	gil := r.Talks[slices.Index(titles, "Python's Infamous GIL")]
	if gil.Year != 2015 {
		t.Errorf("GIL year %d, want 2015", gil.Year)
	}
}

func BenchmarkParseGeneric(b *testing.B) {
	for _, name := range []string{"table.html", "list.html"} {
		body := readFile(b, filepath.Join("testdata", "generic", name))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := ParseGeneric(context.Background(), "https://example.org/", body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("pyconuk-2015", func(b *testing.B) {
		body := readFile(b, testfixture.Shared(b, "pyconuk-2015/schedule-tabular.html"))
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := ParseGeneric(context.Background(), "https://example.org/", body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestGenericLayouts(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		titles   []string
		speakers [][]string
	}{{
		name: "table without header, title then speakers",
		body: `<table><tr><td>10:00</td><td>Flow Telemetry at Scale</td><td>Kim Lee and Sam Ortiz</td></tr>
			<tr><td>10:30</td><td>Morning Coffee</td><td></td></tr>
			<tr><td>11:00</td><td>Why DNS Breaks</td><td>Ola Nordmann</td></tr></table>`,
		titles:   []string{"Flow Telemetry at Scale", "Why DNS Breaks"},
		speakers: [][]string{{"Kim Lee", "Sam Ortiz"}, {"Ola Nordmann"}},
	}, {
		name: "paragraphs with dash tails",
		body: `<p>09:00 – 09:30 Doors open</p><p>09:30 – 10:00 Peering Economics – Ana Lima</p>
			<p>Our sponsors at 10:00 will be announced.</p>`,
		titles:   []string{"Peering Economics"},
		speakers: [][]string{{"Ana Lima"}},
	}, {
		name: "a second table does not inherit the first one's columns",
		body: `<table><tr><th>Time</th><th>Speaker</th><th>Title</th></tr>
			<tr><td>09:00</td><td>Jo Bloggs</td><td>Intro to BGP</td></tr></table>
			<table><tr><td>14:00</td><td><b>RPKI Lab</b><br>Max Mustermann</td></tr></table>`,
		titles:   []string{"Intro to BGP", "RPKI Lab"},
		speakers: [][]string{{"Jo Bloggs"}, {"Max Mustermann"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head><title>TestCon 2020</title></head><body>" + tt.body + "</body></html>"
			r, err := ParseGeneric(context.Background(), "", []byte(page))
			if err != nil {
				t.Fatal(err)
			}
			if got := titlesOf(r.Talks); !slices.Equal(got, tt.titles) {
				t.Fatalf("titles %q, want %q", got, tt.titles)
			}
			for i, want := range tt.speakers {
				if got := r.Talks[i].SpeakerNames(); !slices.Equal(got, want) {
					t.Errorf("%q speakers %q, want %q", r.Talks[i].Title, got, want)
				}
			}
		})
	}
}

// TestGenericRepeatedTitles: a title in two time slots is two sessions; the
// same row met twice is one.
func TestGenericRepeatedTitles(t *testing.T) {
	page := `<html><head><title>RepeatCon 2024</title></head><body>
<h2>Monday 4 March 2024</h2><table>
<tr><td>10:00</td><td>Lightning Talks</td></tr>
<tr><td>14:00</td><td>Lightning Talks</td></tr>
<tr><td>14:00</td><td>Lightning Talks</td></tr>
</table></body></html>`
	r, err := ParseGeneric(context.Background(), "https://repeat.example/agenda", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Talks) != 2 || r.Talks[0].Source.Key == r.Talks[1].Source.Key {
		t.Fatalf("got %d talks, path %q", len(r.Talks), r.Path)
	}
	if !strings.Contains(r.Path, "1 repeated rows") {
		t.Errorf("path %q does not count the repeated row", r.Path)
	}
}
