package scrape

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// wantTalk is what a fixture row must become; start is RFC 3339 or "" for
// none.
type wantTalk struct {
	title    string
	speakers []catalog.Speaker
	start    string
	minutes  int
	links    []catalog.Link
}

func parseSiteFixture(t *testing.T, a Adapter, file, pageURL, edition string) *Result {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Parse(context.Background(), Page{URL: pageURL, Edition: edition, Body: body})
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return res
}

// checkSiteTalks asserts the talks exactly, in order, and that each is a
// valid record with a source key of its own.
func checkSiteTalks(t *testing.T, name string, got []*catalog.Talk, want []wantTalk) {
	t.Helper()
	var titles []string
	for _, g := range got {
		titles = append(titles, g.Title)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d talks %q, want %d", len(got), titles, len(want))
	}
	keys := map[string]bool{}
	for i, w := range want {
		g := got[i]
		if g.Title != w.title {
			t.Errorf("talk %d: title %q, want %q", i, g.Title, w.title)
		}
		if w.speakers == nil {
			w.speakers = []catalog.Speaker{}
		}
		if !reflect.DeepEqual(g.Speakers, w.speakers) {
			t.Errorf("%q: speakers %+v, want %+v", w.title, g.Speakers, w.speakers)
		}
		gotStart := ""
		if !g.Start.IsZero() {
			gotStart = g.Start.Format(time.RFC3339)
		}
		if gotStart != w.start {
			t.Errorf("%q: start %q, want %q", w.title, gotStart, w.start)
		}
		if g.DurationMinutes != w.minutes {
			t.Errorf("%q: %d minutes, want %d", w.title, g.DurationMinutes, w.minutes)
		}
		if w.links == nil {
			w.links = []catalog.Link{}
		}
		if !reflect.DeepEqual(g.Links, w.links) {
			t.Errorf("%q: links %+v, want %+v", w.title, g.Links, w.links)
		}
		if err := g.Validate(); err != nil {
			t.Errorf("%q: %v", w.title, err)
		}
		if g.Source.Name != name || !strings.HasPrefix(g.Source.Key, name+":") {
			t.Errorf("%q: source %+v, want name %q and a key starting %q", w.title, g.Source, name, name+":")
		}
		if keys[g.Source.Key] {
			t.Errorf("%q: source key %q is not unique", w.title, g.Source.Key)
		}
		keys[g.Source.Key] = true
	}
}

func TestAusnogParse(t *testing.T) {
	res := parseSiteFixture(t, ausnogAdapter{}, "ausnog/program.html", "https://www.ausnog.net/events/ausnog-2023/program", "")
	if res.Series != "AusNOG" || res.Event != "AusNOG 2023" {
		t.Errorf("series %q event %q, want AusNOG / AusNOG 2023", res.Series, res.Event)
	}
	files := "https://www.ausnog.net/sites/default/files/ausnog-2023/presentations/"
	checkSiteTalks(t, "ausnog", res.Talks, []wantTalk{
		// "Welcome and Opening" (09:00, with slides) is an occasion, not a
		// talk, and is left out like the breaks.
		{title: "Subsea cable repair timelines in the Coral Sea", speakers: []catalog.Speaker{{Name: "Kim Sample", Affiliation: "Example Cables Pty Ltd"}},
			start: "2023-09-07T09:30:00+10:00", minutes: 30,
			links: []catalog.Link{{Kind: catalog.LinkSlides, URL: files + "1.2_Subsea.pdf"}}},
		{title: "RPKI adoption & route leaks", speakers: []catalog.Speaker{{Name: "Alex Demo"}, {Name: "Sam Placeholder"}},
			start: "2023-09-07T10:30:00+10:00", minutes: 30,
			links: []catalog.Link{{Kind: catalog.LinkSlides, URL: files + "1.3_RPKI.pdf"}, {Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=aaaaaaaaaaa"}}},
		{title: "Lightning talks: DNS in the outback", speakers: []catalog.Speaker{{Name: "Jo Fictional", Affiliation: "Remote Networks Pty Ltd"}},
			start: "2023-09-08T09:00:00+10:00", minutes: 45},
	})
	for _, tk := range res.Talks {
		if tk.Year != 2023 {
			t.Errorf("%q: year %d, want 2023", tk.Title, tk.Year)
		}
	}
}

func TestSiteAdapterParseRefusesUnknownEdition(t *testing.T) {
	page := Page{URL: "https://example.org/program", Body: []byte("<html><head><title>Program</title></head><body><table></table></body></html>")}
	for _, a := range []Adapter{ausnogAdapter{}, nanogAdapter{}, ripeAdapter{}, apricotAdapter{}, esnogAdapter{}, atscaleAdapter{}, uknofAdapter{}} {
		_, err := a.Parse(context.Background(), page)
		if catalog.ErrorCode(err) != catalog.EINVALID {
			t.Errorf("%s: Parse of a page with no edition: %v, want EINVALID", a.Info().Name, err)
		}
	}
}

func TestSiteAdapterEmptyPageHasNoTalks(t *testing.T) {
	body := []byte("<html><head><title>Program</title></head><body><p>Program to be announced.</p></body></html>")
	for _, tc := range []struct {
		a       Adapter
		edition string
	}{
		{ausnogAdapter{}, "2023"}, {nanogAdapter{}, "89"}, {ripeAdapter{}, "88"}, {apricotAdapter{}, "2024"},
		{esnogAdapter{}, "33"}, {atscaleAdapter{}, "networking-2023"},
	} {
		res, err := tc.a.Parse(context.Background(), Page{URL: "https://example.org/", Edition: tc.edition, Body: body})
		if err != nil {
			t.Errorf("%s: %v", tc.a.Info().Name, err)
			continue
		}
		if len(res.Talks) != 0 {
			t.Errorf("%s: %d talks from a page without a program", tc.a.Info().Name, len(res.Talks))
		}
	}
}

// TestSiteAdapterEditions covers, for each adapter built without a saved
// page, how editions are named and that its own URLs match back.
func TestSiteAdapterEditions(t *testing.T) {
	tests := []struct {
		a           Adapter
		name        string
		series      string
		edition     string
		wantURL     string
		matchBack   string // the edition Match reads from wantURL; "" when it cannot
		badEditions []string
		foreign     string // a URL of another site it must not match
	}{
		{ausnogAdapter{}, "ausnog", "AusNOG", "2023", "https://www.ausnog.net/events/ausnog-2023/program", "2023", []string{"23", "x", "1999"}, "https://www.nanog.org/events/nanog-89/agenda/"},
		{nanogAdapter{}, "nanog", "NANOG", "89", "https://nanog.org/events/nanog-89/agenda/", "89", []string{"0", "eighty", "-1"}, "https://www.ausnog.net/events/ausnog-2023/program"},
		{ripeAdapter{}, "ripe", "RIPE", "88", "https://ripe88.ripe.net/programme/meeting-plan/plenary/", "88", []string{"", "RIPE88"}, "https://www.ripe.net/"},
		{apricotAdapter{}, "apricot", "APRICOT", "2024", "https://2024.apricot.net/program/program/", "2024", []string{"24", "apricot"}, "https://apricot.example.org/2024/"},
		{uknofAdapter{}, "uknof", "UKNOF", "53", "https://indico.uknof.org.uk/", "", []string{"fifty", "0"}, "https://indico.example.org/event/58/"},
		{esnogAdapter{}, "esnog", "ESNOG", "33", "https://www.esnog.net/gore33/agenda.html", "33", []string{"gore", ""}, "https://www.denog.de/"},
		{atscaleAdapter{}, "atscale", "Networking @Scale", "networking-2023", "https://atscaleconference.com/events/networking-2023/", "networking-2023", []string{"2023", "networking", "networking-23"}, "https://example.org/events/networking-2023/"},
		{reinventAdapter{}, "reinvent", "AWS re:Invent", "2023", reinventCatalog, "", []string{"23", "reinvent"}, "https://reinvent.example.org/public-catalog/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info := tc.a.Info()
			if info.Name != tc.name || info.Series != tc.series || info.Checked || len(info.URLPatterns) == 0 || info.Editions == "" {
				t.Errorf("Info() = %+v; want name %q, series %q, unchecked, with patterns and editions", info, tc.name, tc.series)
			}
			urls, err := tc.a.EditionURLs(tc.edition)
			if err != nil || len(urls) != 1 || urls[0] != tc.wantURL {
				t.Fatalf("EditionURLs(%q) = %q, %v; want [%q]", tc.edition, urls, err, tc.wantURL)
			}
			edition, ok := tc.a.Match(mustParse(urls[0]))
			if tc.matchBack != "" && (!ok || edition != tc.matchBack) {
				t.Errorf("Match(%s) = %q, %v; want %q, true", urls[0], edition, ok, tc.matchBack)
			}
			for _, bad := range tc.badEditions {
				if _, err := tc.a.EditionURLs(bad); catalog.ErrorCode(err) != catalog.EINVALID {
					t.Errorf("EditionURLs(%q): %v, want EINVALID", bad, err)
				}
			}
			if _, ok := tc.a.Match(mustParse(tc.foreign)); ok {
				t.Errorf("Match(%s) is true; it is another site", tc.foreign)
			}
		})
	}
}

func TestIsAgendaBreak(t *testing.T) {
	tests := []struct {
		title string
		want  bool
	}{
		{"Coffee Break", true},
		{"Morning Tea", true},
		{"Lunch", true},
		{"Registration and Breakfast", true},
		{"Networking Break", true},
		{"Registro y café", true},
		{"Comida", true},
		{"Break", true},
		{"Coffee Break (sponsored by Example Corp)", true},
		{"Mittagspause", true},
		{"Lunch-time BGP incidents", false},
		{"Tea-based cooling for routers", false},
		{"Registration API for IXPs", false},
		{"Breaking BGP for fun", false},
		{"Lunch-time talk: a very long title about the economics of peering", false},
		{"Teaching networks to children", false},
		{"Keynote", false},
		// Openings, social occasions and draft-agenda slots are matched as
		// whole titles, not as the start of a talk's title.
		{"Morning Tea", true},
		{"Lunch (sponsored by ExampleNet)", true},
		{"Welcome and Opening", true},
		{"Opening Remarks", true},
		{"Closing", true},
		{"Social Event at the Harbour", true},
		{"Networking Reception", true},
		{"Conference Dinner", true},
		{"Lunch-time BGP incidents", false},
		{"Social engineering in peering", false},
		{"Opening up the RPKI", false},
		{"Welcome to IPv6-only", false},
		{"Closing the loop on route leaks", false},
		{"Coffee, Tea and Time Synchronisation", false},
		{"Talk", true},
		{"TBA", true},
		{"Closing Address Space Gaps with RPKI", false},
		{"Social Events as Network Signals", false},
		{"Workshops", true},
		{"Talks about talks", false},
	}
	for _, tc := range tests {
		if got := isAgendaBreak(tc.title); got != tc.want {
			t.Errorf("isAgendaBreak(%q) = %v, want %v", tc.title, got, tc.want)
		}
	}
}

func TestAgendaTime(t *testing.T) {
	day := time.Date(2023, 9, 7, 0, 0, 0, 0, time.UTC)
	utc := time.UTC
	tests := []struct {
		in      string
		zone    *time.Location
		start   string
		minutes int
	}{
		{"09:00 - 09:30", utc, "2023-09-07T09:00:00Z", 30},
		{"8:00am - 9:15am", utc, "2023-09-07T08:00:00Z", 75},
		{"11:00 - 11:25 AM", utc, "2023-09-07T11:00:00Z", 25},
		{"12:00 PM - 1:00 PM", utc, "2023-09-07T12:00:00Z", 60},
		{"14h30", utc, "2023-09-07T14:30:00Z", 0},
		{"10:00 - 10:30", nil, "", 30}, // no zone: a duration but no instant
		{"TBA", utc, "", 0},
	}
	for _, tc := range tests {
		start, minutes := agendaTime(tc.in, day, tc.zone)
		got := ""
		if !start.IsZero() {
			got = start.Format(time.RFC3339)
		}
		if got != tc.start || minutes != tc.minutes {
			t.Errorf("agendaTime(%q) = %q, %d; want %q, %d", tc.in, got, minutes, tc.start, tc.minutes)
		}
	}
}

func TestParseAgendaDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Thursday, 7 September 2023", "2023-09-07"},
		{"September 7th, 2023", "2023-09-07"},
		{"2023-09-07", "2023-09-07"},
		{"Miércoles, 15 de noviembre de 2023", "2023-11-15"},
		{"Monday, 20 May", ""},
		{"Sat 2 Dec 2023", "2023-12-02"},
		{"Top 10 Marvellous 2024", ""},
		{"Plenary Session 1", ""},
	}
	for _, tc := range tests {
		d, ok := parseAgendaDate(tc.in)
		got := ""
		if ok {
			got = d.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("parseAgendaDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A page without agenda tables is read as a list of agenda items.
func TestAusnogParseListLayout(t *testing.T) {
	res := parseSiteFixture(t, ausnogAdapter{}, "ausnog/program-list.html", "https://www.ausnog.net/events/ausnog-2019/program", "")
	checkSiteTalks(t, "ausnog", res.Talks, []wantTalk{
		{title: "Exchange growth in a fictional city",
			speakers: []catalog.Speaker{{Name: "Casey Example", Affiliation: "Example IX"}, {Name: "Drew Sample", Affiliation: "Example Telco"}},
			start:    "2019-09-05T09:30:00+10:00", minutes: 30, links: []catalog.Link{
				{Kind: catalog.LinkPage, URL: "https://www.ausnog.net/program/2019/ix-growth"},
				{Kind: catalog.LinkSlides, URL: "https://www.ausnog.net/files/ausnog-2019/ix-growth.pdf"},
			}},
		{title: "Why my router ate the tables", speakers: []catalog.Speaker{{Name: "Fin Placeholder", Affiliation: "Example ISP"}},
			start: "2019-09-05T10:00:00+10:00", minutes: 20},
	})
}

// BenchmarkSiteAdapters parses each of these adapters' fixtures once an
// iteration; pages/s is the figure the issue asks for (≥ 200).
func BenchmarkSiteAdapters(b *testing.B) {
	pages := []struct {
		a    Adapter
		file string
		url  string
	}{
		{ausnogAdapter{}, "ausnog/program.html", "https://www.ausnog.net/events/ausnog-2023/program"},
		{ausnogAdapter{}, "ausnog/program-list.html", "https://www.ausnog.net/events/ausnog-2019/program"},
		{nanogAdapter{}, "nanog/agenda.html", "https://archive.nanog.org/meetings/nanog68/agenda"},
		{ripeAdapter{}, "ripe/plenary.html", "https://ripe88.ripe.net/programme/meeting-plan/plenary/"},
		{apricotAdapter{}, "apricot/program.html", "https://2024.apricot.net/program/"},
		{esnogAdapter{}, "esnog/agenda.html", "https://www.esnog.net/gore33/agenda.html"},
		{atscaleAdapter{}, "atscale/networking-2023.html", "https://atscaleconference.com/events/networking-2023/"},
		{uknofAdapter{}, "uknof/event.html", "https://indico.uknof.org.uk/event/58/"},
		{reinventAdapter{}, "reinvent/catalog.json", reinventCatalog},
	}
	bodies := make([][]byte, len(pages))
	for i, p := range pages {
		body, err := os.ReadFile(filepath.Join("testdata", p.file))
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = body
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		for i, p := range pages {
			if _, err := p.a.Parse(ctx, Page{URL: p.url, Body: bodies[i]}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkSiteAdaptersLargePage parses a generated program of 5 days with
// 40 slots each, the size of a big NOG meeting, wrapped in 60 KB of page
// chrome.
func BenchmarkSiteAdaptersLargePage(b *testing.B) {
	var page strings.Builder
	page.WriteString("<html><head><title>AusNOG 2023</title></head><body>")
	page.WriteString(strings.Repeat("<nav><ul><li><a href=\"/x\">Menu entry</a></li></ul></nav>\n", 1000))
	for d := 1; d <= 5; d++ {
		fmt.Fprintf(&page, "<h2>Monday, %d September 2023</h2><table><tr><th>Time</th><th>Presentation</th><th>Presenter</th></tr>", d)
		for s := 0; s < 40; s++ {
			fmt.Fprintf(&page, "<tr><td>%02d:%02d - %02d:%02d</td><td><a href=\"/files/%d-%d.pdf\">Talk number %d on day %d</a><br><a href=\"https://youtu.be/x%d\">Video</a></td><td>Alex Person%d (Example Org) / Sam Person%d</td></tr>",
				8+s/4, s%4*15, 8+s/4, s%4*15+10, d, s, s, d, s, s, s)
		}
		page.WriteString("</table>")
	}
	page.WriteString("</body></html>")
	body := []byte(page.String())
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		res, err := ausnogAdapter{}.Parse(ctx, Page{URL: "https://www.ausnog.net/events/ausnog-2023/program", Body: body})
		if err != nil || len(res.Talks) != 200 {
			b.Fatalf("%d talks, %v", len(res.Talks), err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
