package scrape

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// nogParse parses one page and fails the test on error.
func nogParse(t *testing.T, a Adapter, page Page) *Result {
	t.Helper()
	res, err := a.Parse(context.Background(), page)
	if err != nil {
		t.Fatalf("Parse(%s): %v", page.URL, err)
	}
	return res
}

// nogTalk finds the talk with the exact title.
func nogTalk(t *testing.T, res *Result, title string) *catalog.Talk {
	t.Helper()
	for _, tk := range res.Talks {
		if tk.Title == title {
			return tk
		}
	}
	var titles []string
	for _, tk := range res.Talks {
		titles = append(titles, tk.Title)
	}
	t.Fatalf("%s: no talk %q among %q", res.Event, title, titles)
	return nil
}

// nogSpeakers renders speakers as "Name (Affiliation); Name".
func nogSpeakers(tk *catalog.Talk) string {
	var parts []string
	for _, s := range tk.Speakers {
		if s.Affiliation != "" {
			parts = append(parts, s.Name+" ("+s.Affiliation+")")
		} else {
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, "; ")
}

func nogStart(tk *catalog.Talk) string {
	if tk.Start.IsZero() {
		return ""
	}
	return tk.Start.Format(time.RFC3339)
}

func nogLinkKinds(tk *catalog.Talk) string {
	var kinds []string
	for _, l := range tk.Links {
		kinds = append(kinds, l.Kind)
	}
	return strings.Join(kinds, ",")
}

// nogWantTalk is what a test expects of one talk.
type nogWantTalk struct {
	title, speakers, start string
	minutes                int
	links                  string // link kinds in order, "" for none
}

func nogCheckTalk(t *testing.T, res *Result, want nogWantTalk) {
	t.Helper()
	tk := nogTalk(t, res, want.title)
	if got := nogSpeakers(tk); got != want.speakers {
		t.Errorf("%s %q: speakers %q, want %q", res.Event, want.title, got, want.speakers)
	}
	if got := nogStart(tk); got != want.start {
		t.Errorf("%s %q: start %q, want %q", res.Event, want.title, got, want.start)
	}
	if tk.DurationMinutes != want.minutes {
		t.Errorf("%s %q: %d minutes, want %d", res.Event, want.title, tk.DurationMinutes, want.minutes)
	}
	if got := nogLinkKinds(tk); got != want.links {
		t.Errorf("%s %q: links %q, want %q", res.Event, want.title, got, want.links)
	}
}

// nogCheckCommon asserts what every talk of a result must satisfy: the
// series and event, a key of the documented form, the source, and no
// break or organisational slot among the titles.
func nogCheckCommon(t *testing.T, res *Result, source, pageURL string, absent []string) {
	t.Helper()
	keys := map[string]bool{}
	for _, tk := range res.Talks {
		if tk.Series != res.Series || tk.Event != res.Event {
			t.Errorf("%q is in %s/%s, want %s/%s", tk.Title, tk.Series, tk.Event, res.Series, res.Event)
		}
		wantKey := source + ":" + res.Event + ":" + catalog.NormalizeTitle(tk.Title)
		if !strings.HasPrefix(tk.Source.Key, wantKey) {
			t.Errorf("%q has key %q, want %q", tk.Title, tk.Source.Key, wantKey)
		}
		if keys[tk.Source.Key] {
			t.Errorf("key %q is used twice", tk.Source.Key)
		}
		keys[tk.Source.Key] = true
		if tk.Source.Name != source || tk.Source.URL != pageURL {
			t.Errorf("%q has source %+v, want %s at %s", tk.Title, tk.Source, source, pageURL)
		}
		if err := tk.Validate(); err != nil {
			t.Errorf("%q does not validate: %v", tk.Title, err)
		}
		for _, a := range absent {
			if strings.Contains(strings.ToLower(tk.Title), strings.ToLower(a)) {
				t.Errorf("%s: %q is not a talk but was kept", res.Event, tk.Title)
			}
		}
	}
}

func TestDENOGFixtures(t *testing.T) {
	// The counts were taken from the sources, not from the adapter: the
	// <tr> rows with <td> cells, less the colspan and green (bgcolor) rows
	// that hold sessions and breaks, less the welcome, closing and
	// "Lightning Talks" slots named in each case; plus, for DENOG 8 and 9,
	// the talks listed only in the "Lightning Talks" section; for DENOG12
	// the Markdown table rows less the two header lines of each table and
	// its organisational rows.
	tests := []struct {
		file, url, event, path string
		count                  int
		absent                 []string
		sample                 []nogWantTalk
	}{{
		// 22 rows - 8 colspan/bgcolor - "Begrüßung" = 13.
		file: "denog/denog1_agenda.md", url: "https://www.denog.de/de/meetings/denog1/agenda/", event: "DENOG1", path: "denog agenda table", count: 13,
		absent: []string{"Begrüßung", "Pause", "Mittagessen", "Social", "Track #"},
		sample: []nogWantTalk{
			{"DNSSEC - Transforming a protocol bug into an admin tool", "Lutz Donnerhacke", "2009-11-05T10:20:00+01:00", 20, "slides,video"},
			{"Panel Discussion DNSSEC", "Lutz Donnerhacke; Ralf Weber; Jörg Schweiger", "2009-11-05T11:30:00+01:00", 30, "video"},
			{"DE-CIX Tech Update", "Arnold Nipper; Frank Orlowski", "2009-11-05T12:25:00+01:00", 20, "slides,video,video"},
			{"Porting IPv4 applications to IPv4/v6 dual-stack", "Owen DeLong", "2009-11-05T14:00:00+01:00", 20, "slides,other,video"},
			{"ECIX Introduction", "", "2009-11-05T12:45:00+01:00", 10, "slides,video"},
		},
	}, {
		// 19 rows - 5 colspan/bgcolor - "Welcome Notes" - "Closing" = 12.
		file: "denog/denog2_agenda.md", url: "https://www.denog.de/de/meetings/denog2/agenda/", event: "DENOG2", path: "denog agenda table", count: 12,
		absent: []string{"Registration", "Welcome", "Lunch", "Coffee", "Social", "Closing", "Presentation and Panel"},
		sample: []nogWantTalk{
			{"Native IPv6 via xDSL - How to tweak your LNS", "Fredy Künzler (Init7)", "2010-11-04T10:20:00+01:00", 30, "slides"},
			// A zero-length slot keeps its start and no duration; rows
			// under a session header have no times of their own.
			{"DE-CIX Non-Technical Update", "Frank Orlowski", "2010-11-04T11:10:00+01:00", 0, "slides"},
			{"Introduction into Network Neutrality", "Dean Ceulic", "", 0, "slides"},
		},
	}, {
		// 23 rows - 5 colspan/bgcolor - "Welcome Notes" - "Closing" = 16;
		// DENOG3 is in October, in summer time.
		file: "denog/denog3_agenda.md", url: "https://www.denog.de/de/meetings/denog3/agenda/", event: "DENOG3", path: "denog agenda table", count: 16,
		absent: []string{"Registration", "Welcome", "Mittagessen", "Pause", "Social", "Lightning Talks"},
		sample: []nogWantTalk{
			{"OpenFlow: From the Future Internet Research into your Network", "Hans-Jörg Kolbe (NEC Labs Heidelberg)", "2011-10-20T12:00:00+02:00", 30, "slides"},
			{"RPKI - Authentication for the Border Gateway Protocol", "Sebastian Spies (US National Institute of Standards and Technology)", "2011-10-20T16:15:00+02:00", 45, "slides"},
			{"Content-aware Traffic Engineering (CaTE)", "Benjamin Frank", "", 0, "slides"},
		},
	}, {
		// 17 rows - 4 colspan/bgcolor - "Welcome Notes" - "Closing" = 11.
		file: "denog/denog5_agenda.md", url: "https://www.denog.de/de/meetings/denog5/agenda/", event: "DENOG5", path: "denog agenda table", count: 11,
		absent: []string{"Registration", "Welcome", "Lunch", "Coffee", "GetTogether"},
		sample: []nogWantTalk{
			{"Apollon", "Daniel Melzer; Oliver Knapp", "2013-11-14T11:15:00+01:00", 30, "slides,slides"},
			{"100Gbps in Metro Networks", "Sven Krüger (Cube Optics)", "2013-11-14T15:15:00+01:00", 30, "slides"},
		},
	}, {
		// 20 rows - 5 colspan/bgcolor - "Begrüßung", "Lightning Talks",
		// "Closing Talk" = 12, plus 3 "### Title - Speaker" lightning talks.
		file: "denog/denog8_agenda.md", url: "https://www.denog.de/de/meetings/denog8/agenda/", event: "DENOG8", path: "denog agenda table", count: 15,
		absent: []string{"Anmeldung", "Begrüßung", "Kaffeepause", "Closing", "Abschiedslunch"},
		sample: []nogWantTalk{
			{"Criminal Clouds, Rouge Routers and Darknet DDoS Deals", "", "2016-11-23T14:15:00+01:00", 30, ""},
			{"Monitoring ISP Networks Without DPI", "Timo Klos; Stefan Meinders", "2016-11-24T10:30:00+01:00", 20, ""},
			{"Turris Omnia Router, the open-source center of your home", "Jan Čermák", "", 0, ""},
		},
	}, {
		// 21 rows: 10 talks; the rest are registration, opening, breaks,
		// the "Lightning Talks" slots, the association's founding, social
		// event and lunch. Plus 8 lightning talks at the end of the page.
		file: "denog/denog9_agenda.md", url: "https://www.denog.de/de/meetings/denog9/agenda/", event: "DENOG9", path: "denog agenda table", count: 18,
		absent: []string{"Registration", "Eröffnung", "Kaffeepause", "Vereinsgründung", "Social", "Abschluss", "Farewell"},
		sample: []nogWantTalk{
			{"Peering DB Update", "Arnold Nipper (PeeringDB)", "2017-11-23T13:15:00+01:00", 30, "slides"},
			{"200G over Alien Wavelength", "Moritz Frenzel (Globalways AG); Marc Helmus (Gasline)", "2017-11-23T13:45:00+01:00", 30, "slides"},
			{"Contemporary Linux Networking", "Maximilian Wilhelm (University of Paderborn / Freifunk Hochstift / Freifunk Rheinland)", "2017-11-23T17:30:00+01:00", 30, "slides"},
			{"Automation for Network Lab Enviroments", "Tobias Heister (Xantaro Deutschland GmbH)", "2017-11-24T09:30:00+01:00", 30, "slides"},
			{"Alice-LG Looking glass", "Stefan Plug (ECIX); Matthias Hanning", "2017-11-24T11:45:00+01:00", 30, "slides"},
			{"DDoS in Deutschland", "Karsten Desler (Link11)", "", 0, "slides"},
		},
	}, {
		// 30 table lines - 4 header lines = 26 rows - 7 organisational
		// (newcomer session, venueless intro, opening, welcome day 2,
		// coffee break, closing, general meeting) = 19.
		file: "denog/denog12_recordings.md", url: "https://www.denog.de/de/meetings/denog12/recordings/", event: "DENOG12", path: "denog recordings table", count: 19,
		absent: []string{"Newcomer", "Venueless", "Opening", "Welcome", "Coffee", "Closing", "General Meeting"},
		sample: []nogWantTalk{
			{"Have you ever shipped a switch to Sao Paulo?", "Theo Voss", "2020-11-09T13:00:00+01:00", 0, "slides,video"},
			{"(Re-)Building an IXP from scratch", "Moritz Frenzel", "2020-11-09T15:30:00+01:00", 0, "slides,video"},
			{"Contemporary network configuration for Linux", "Maximilian Wilhelm; Aaron A. Glenn", "2020-11-10T11:30:00+01:00", 0, "slides,video"},
			{"A Fully loaded panel for 400G in your metro network", "", "2020-11-10T13:30:00+01:00", 0, "video"},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.event, func(t *testing.T) {
			res := nogParse(t, denogAdapter{}, Page{URL: tc.url, Body: renderJekyll(t, tc.file)})
			if res.Event != tc.event || res.Series != "DENOG" || res.Path != tc.path || res.Delegate != "" {
				t.Errorf("result %s/%s path %q delegate %q, want DENOG/%s path %q", res.Series, res.Event, res.Path, res.Delegate, tc.event, tc.path)
			}
			if len(res.Talks) != tc.count {
				t.Errorf("%d talks, want %d", len(res.Talks), tc.count)
			}
			nogCheckCommon(t, res, "denog", tc.url, tc.absent)
			for _, want := range tc.sample {
				nogCheckTalk(t, res, want)
			}
		})
	}
}

// TestDENOGPretalxWidgets pins both ways the site embeds pretalx: DENOG13
// and later with <pretalx-schedule event-url>, DENOG12's talks page with
// the older <pretalx-schedule-widget event>.
func TestDENOGPretalxWidgets(t *testing.T) {
	tests := []struct {
		name, body, delegate, path string
	}{
		{"pretalx-schedule", `<pretalx-schedule event-url="https://pretalx.example.org/denog42/" locale="en"></pretalx-schedule>`,
			"https://pretalx.example.org/denog42/", "pretalx schedule via <pretalx-schedule>"},
		{"pretalx-schedule-widget", `<pretalx-schedule-widget event="https://pretalx.example.org/denog42/" height="500px"></pretalx-schedule-widget>`,
			"https://pretalx.example.org/denog42/", "pretalx schedule via <pretalx-schedule-widget>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := "<html><head><title>DENOG42 - Talks</title></head><body>" + tc.body +
				`<noscript><a href="https://pretalx.example.org/denog42/schedule/">click here</a></noscript></body></html>`
			res := nogParse(t, denogAdapter{}, Page{Body: []byte(body)})
			if res.Delegate != tc.delegate || res.Path != tc.path || len(res.Talks) != 0 {
				t.Errorf("delegate %q path %q with %d talks, want %q via %q and no talks", res.Delegate, res.Path, len(res.Talks), tc.delegate, tc.path)
			}
		})
	}
}

// TestDENOGPlaceholderPages: an agenda drafted before its talks were chosen
// (DENOG11's timetable grid, DENOG12's first agenda) is an error saying so,
// not an empty page for the generic reader to fill with "Talk" entries.
func TestDENOGPlaceholderPages(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"timetable grid", readFile(t, filepath.Join("testdata", "denog", "placeholder-grid.html"))},
		{"draft agenda", renderJekyll(t, filepath.Join("testdata", "denog", "placeholder-agenda.md"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (denogAdapter{}).Parse(context.Background(), Page{URL: "https://www.denog.de/de/meetings/denog42/zeitplan/", Body: tc.body})
			if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), "placeholder") || !strings.Contains(catalog.ErrorMessage(err), "DENOG42") {
				t.Errorf("Parse = %v, %v; want EINVALID naming DENOG42's placeholder slots", res, err)
			}
		})
	}
}

func TestDENOGPretalxDelegates(t *testing.T) {
	page := Page{URL: "https://www.denog.de/de/meetings/denog15/agenda/", Body: renderJekyll(t, "denog/denog15_agenda.md")}
	res := nogParse(t, denogAdapter{}, page)
	if res.Delegate != "https://pretalx.com/denog15/" || res.Path != "pretalx schedule via <pretalx-schedule>" {
		t.Errorf("delegate %q path %q, want the pretalx event and the widget path", res.Delegate, res.Path)
	}
	if res.Event != "DENOG15" || len(res.Talks) != 0 {
		t.Errorf("event %q with %d talks, want DENOG15 with none of its own", res.Event, len(res.Talks))
	}
}

// TestDENOGOwnPage runs without the shared fixtures: a page in the DENOG 8
// layout whose two days straddle the switch to summer time.
func TestDENOGOwnPage(t *testing.T) {
	body := readFile(t, filepath.Join("testdata", "denog", "two-days.html"))
	// No URL: the key and source URL fall back to the edition's page, the
	// edition to the page title.
	res := nogParse(t, denogAdapter{}, Page{Body: body})
	if res.Event != "DENOG42" {
		t.Fatalf("event %q, want DENOG42 from the title", res.Event)
	}
	const pageURL = "https://www.denog.de/de/meetings/denog42/agenda/"
	nogCheckCommon(t, res, "denog", pageURL, []string{"Anmeldung", "Begrüßung", "Pause", "Lightning", "Closing"})
	if len(res.Talks) != 3 {
		t.Errorf("%d talks, want 3 (two from the tables, one lightning talk)", len(res.Talks))
	}
	nogCheckTalk(t, res, nogWantTalk{"Routing on Saturday", "Erika Musterfrau (Example Networks GmbH); Max Mustermann", "2031-03-29T10:10:00+01:00", 30, "slides,video"})
	nogCheckTalk(t, res, nogWantTalk{"Clocks & Summer Time", "Jana Beispiel (Zeit e.V.)", "2031-03-30T09:30:00+02:00", 45, ""})
	nogCheckTalk(t, res, nogWantTalk{"Tiny Tools", "Jana Beispiel (Zeit e.V.)", "", 0, ""})
	routing := nogTalk(t, res, "Routing on Saturday")
	if got := routing.Links[0].URL; got != "https://www.denog.de/media/01-routing.pdf" {
		t.Errorf("slides at %q, want the link resolved against the page", got)
	}
	if got := routing.Source.Key; got != "denog:DENOG42:routing on saturday" {
		t.Errorf("key %q", got)
	}
}

func TestDENOGParseRefuses(t *testing.T) {
	_, err := (denogAdapter{}).Parse(context.Background(), Page{URL: "https://example.org/agenda", Body: []byte("<html><title>Agenda</title><body><table></table></body></html>")})
	if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), "names no meeting") {
		t.Errorf("page without a meeting: %v, want EINVALID naming the problem", err)
	}
	res := nogParse(t, denogAdapter{}, Page{Edition: "7", Body: []byte("<html><body><p>nothing here</p></body></html>")})
	if res.Event != "DENOG7" || len(res.Talks) != 0 {
		t.Errorf("empty page: %s with %d talks, want DENOG7 with none", res.Event, len(res.Talks))
	}
}

func TestDENOGEditionURLs(t *testing.T) {
	tests := []struct {
		edition, want string
	}{
		{"9", "https://www.denog.de/de/meetings/denog9/agenda/"},
		{"DENOG1", "https://www.denog.de/de/meetings/denog1/agenda/"},
		{"denog 12", "https://www.denog.de/de/meetings/denog12/recordings/"},
		{"15", "https://www.denog.de/de/meetings/denog15/agenda/"},
		{"11", "https://www.denog.de/de/meetings/denog11/zeitplan/"},
		{"13", "https://www.denog.de/de/meetings/denog13/talks/"},
	}
	for _, tc := range tests {
		got, err := (denogAdapter{}).EditionURLs(tc.edition)
		if err != nil || len(got) != 1 || got[0] != tc.want {
			t.Errorf("EditionURLs(%q) = %v, %v; want %s", tc.edition, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "0", "nine", "2017", "-3"} {
		_, err := (denogAdapter{}).EditionURLs(bad)
		if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), "numbered") {
			t.Errorf("EditionURLs(%q): %v, want EINVALID saying how editions are numbered", bad, err)
		}
	}
}

func TestDENOGMatch(t *testing.T) {
	tests := []struct {
		url, edition string
		ok           bool
	}{
		{"https://www.denog.de/de/meetings/denog9/agenda/", "9", true},
		{"https://denog.de/en/meetings/denog13/agenda", "13", true},
		{"https://www.denog.de/de/meetings/denog12/recordings/", "12", true},
		{"https://www.denog.de/de/meetings/denog8/agenda.html", "8", true},
		{"https://www.denog.de/de/meetings/denog10/programm2/", "10", true},
		{"https://www.denog.de/de/meetings/denog11/zeitplan/", "11", true},
		{"https://www.denog.de/de/meetings/denog13/talks.html", "13", true},
		{"https://www.denog.de/de/meetings/denog9/", "", false},
		{"https://www.denog.de/de/archiv.html", "", false},
		{"https://example.org/de/meetings/denog9/agenda/", "", false},
		{"https://pretalx.com/denog15/", "", false},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		edition, ok := (denogAdapter{}).Match(u)
		if edition != tc.edition || ok != tc.ok {
			t.Errorf("Match(%s) = %q, %v; want %q, %v", tc.url, edition, ok, tc.edition, tc.ok)
		}
	}
}

func TestDENOGInfo(t *testing.T) {
	info := (denogAdapter{}).Info()
	if info.Name != "denog" || info.Series != "DENOG" || !info.Checked || len(info.URLPatterns) == 0 {
		t.Errorf("Info() = %+v", info)
	}
	for _, f := range []string{"denog1_agenda.md", "denog9_agenda.md", "denog12_recordings.md", "denog15_agenda.md"} {
		if !strings.Contains(info.CheckedAgainst, f) {
			t.Errorf("CheckedAgainst %q does not name %s", info.CheckedAgainst, f)
		}
	}
}

// TestDENOGOwnLayouts runs without the shared fixtures, on lookalikes of
// pages checked by hand: DENOG10's slides list (served as a paragraph of
// pipe-separated lines, and the same rows as a real table) and DENOG13's
// recordings page with its opening, closing and social rows.
func TestDENOGOwnLayouts(t *testing.T) {
	tests := []struct {
		name, file, url, event, path string
		count                        int
		absent                       []string
		sample                       []nogWantTalk
	}{{
		name: "slides list", file: "slides-list.md", url: "https://www.denog.de/de/meetings/denog10/agenda/", event: "DENOG10", path: "denog slides list", count: 4,
		absent: []string{"DENOG10 Opening", "DENOG10 closing", "Programm", "---"},
		sample: []nogWantTalk{
			// Starts come from "day1_1330-…" with DENOG10's first day.
			{"Counting Packets by Hand", "", "2018-11-21T13:30:00+01:00", 0, "slides,video"},
			{"Opening up the looking glass - a tour", "", "2018-11-21T14:00:00+01:00", 0, "slides"},
			{"Closing the gap: BGP, slowly", "", "2018-11-22T09:15:00+01:00", 0, "slides"},
			{"A talk nobody named a file for", "", "", 0, "slides"},
		},
	}, {
		name: "programm table", file: "programm-table.md", url: "https://www.denog.de/de/meetings/denog10/agenda/", event: "DENOG10", path: "denog agenda table", count: 2,
		absent: []string{"Opening"},
		sample: []nogWantTalk{
			{"Counting Packets by Hand", "", "2018-11-21T13:30:00+01:00", 0, "slides"},
			{"Fibre Splicing for Managers", "", "2018-11-22T10:00:00+01:00", 0, "slides,video"},
		},
	}, {
		name: "recordings", file: "recordings.md", url: "https://www.denog.de/de/meetings/denog13/recordings/", event: "DENOG13", path: "denog agenda table", count: 4,
		absent: []string{"DENOG13 Opening", "Workshop opening", "Closing Day", "Welcome Day", "DENOG13 closing"},
		sample: []nogWantTalk{
			// "10.30h" times, on days whose headings carry no year.
			{"Cabling the Lab", "", "2021-11-07T11:00:00+01:00", 0, "video"},
			{"Opening up the looking glass", "", "2021-11-08T13:00:00+01:00", 0, "slides,video"},
			{"The Social Side of Peering", "", "2021-11-08T13:30:00+01:00", 0, "video"},
			{"Closing the gap: BGP, slowly", "", "2021-11-09T10:10:00+01:00", 0, "video"},
		},
	}, {
		// An early DENOG12 recordings page: the days not yet recorded
		// still show the draft agenda's placeholder slots.
		name: "recordings with placeholder rows", file: "recordings-draft.md", url: "https://www.denog.de/de/meetings/denog12/recordings/", event: "DENOG12", path: "denog recordings table", count: 2,
		absent: []string{"Workshops", "End", "Talks", "Opening Talk", "Closing Talk & Recap", "Mitglieder Versammlung 2031"},
		sample: []nogWantTalk{
			{"Shipping Routers by Sea", "Erika Musterfrau", "2020-11-09T13:00:00+01:00", 0, "video"},
			{"Segment Routing (SR) for Beginners", "Max Mustermann; Jana Beispiel", "2020-11-09T13:30:00+01:00", 0, ""},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := renderJekyll(t, filepath.Join("testdata", "denog", tc.file))
			res := nogParse(t, denogAdapter{}, Page{URL: tc.url, Body: body})
			if res.Event != tc.event || res.Path != tc.path {
				t.Errorf("event %q path %q, want %q path %q", res.Event, res.Path, tc.event, tc.path)
			}
			if len(res.Talks) != tc.count {
				var titles []string
				for _, tk := range res.Talks {
					titles = append(titles, tk.Title)
				}
				t.Errorf("%d talks %q, want %d", len(res.Talks), titles, tc.count)
			}
			nogCheckCommon(t, res, "denog", tc.url, tc.absent)
			for _, want := range tc.sample {
				nogCheckTalk(t, res, want)
			}
		})
	}
	res := nogParse(t, denogAdapter{}, Page{URL: "https://www.denog.de/de/meetings/denog13/recordings/", Body: renderJekyll(t, filepath.Join("testdata", "denog", "recordings.md"))})
	if got := nogTalk(t, res, "Opening up the looking glass").Links[0].URL; got != "https://www.denog.de/media/lg.pdf" {
		t.Errorf("slides at %q, want the link resolved against the page", got)
	}
}

// TestDENOGNotATalk pins the organisational-slot filter: whole-title
// opening, welcome, closing and social slots go; talks that merely start
// with or contain those words stay.
func TestDENOGNotATalk(t *testing.T) {
	re := denogNotATalk()
	slots := []string{
		"DENOG13 Opening", "DENOG 13 Opening", "Workshop opening & introduction", "Social", "Closing Day 1",
		"Welcome Day 2", "Welcome Notes", "Opening/Welcome Words", "Closing", "Closing Talk", "DENOG12 Closing",
		"Welcome to DENOG14", "Opening", "Social Event in the foyer", "Coffee Break", "Lightning Talks", "Newcomer Session",
		"Closing Talk & Recap", "Mitglieder Versammlung 2020", "Mitgliederversammlung",
	}
	talks := []string{
		"Opening up the looking glass", "Closing the gap: BGP, slowly", "Welcome to the world of SRv6",
		"The Social Side of Peering", "Social engineering your NOC", "Workshop: opening BGP sessions safely",
		"DENOG Opening Doors for Newcomers", "Open Source Network Tester", "Breaking BGP for fun",
		"A practical introduction to peering", "Peering Manager: A practical introduction",
	}
	for _, s := range slots {
		if !re.MatchString(strings.ToLower(s)) {
			t.Errorf("%q is kept as a talk, want it dropped", s)
		}
	}
	for _, s := range talks {
		if re.MatchString(strings.ToLower(s)) {
			t.Errorf("%q is dropped, want it kept as a talk", s)
		}
	}
}
