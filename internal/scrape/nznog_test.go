package scrape

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestNZNOGFixtures(t *testing.T) {
	// Counts from the sources: 2020 has 19 table rows, one without a title
	// (NCSC / GCSB) and one placeholder ("Various updates"); 2022 has 15
	// "_Title_" lines (Hamid Maani gives two talks); 2024 has 14 "###"
	// headings; 2025 has 16, and one more inside an HTML comment that the
	// site does not show.
	tests := []struct {
		file, event, path string
		count             int
		sample            []nogWantTalk
		abstract          map[string]string // title → a phrase its abstract holds
	}{{
		file: "nznog/nznog-2020-talks.md", event: "NZNOG 2020", path: "nznog talk table", count: 17,
		sample: []nogWantTalk{
			{title: "Buffers, Bufferbloat and BBR", speakers: "Geoff Huston (APNIC)"},
			{title: "DNS64/NAT64 deployment", speakers: "Andrew Khoo"},
			{title: "So you want to start a Wireless ISP?", speakers: "Daniel Millar (Go Wireless NZ / Merp NZ)"},
			{title: "10G XGSPON", speakers: ""},
		},
	}, {
		file: "nznog/nznog-2022-talks.md", event: "NZNOG 2022", path: `nznog "## Speaker" sections`, count: 15,
		sample: []nogWantTalk{
			{title: "When Politics & Submarine Cables Collide", speakers: "Jon Brewer"},
			{title: "On Routing Security", speakers: "Geoff Huston (APNIC)"},
			{title: "Network Testing with Virtual Devices", speakers: "Zhenxing (Beck) Lyu (Cisco)"},
			{title: "Introducing Cloud Technologies to Radio Access Networks (RAN) with Open Source", speakers: "Timo Jokiaho (Red Hat)"},
			{title: "The Road to 800G and Beyond", speakers: "Conrad Bullock (Arista); Noel Thompson (Arista)"},
			{title: "Hawaiki Nui", speakers: "Hamid Maani (Hawaiki)"},
			{title: "Datagrid", speakers: "Hamid Maani (Hawaiki)"},
		},
		abstract: map[string]string{"Datagrid": "Datagrid NZ intends", "Hawaiki Nui": "Hawaiki submarine cable"},
	}, {
		file: "nznog/nznog-2024-talks.md", event: "NZNOG 2024", path: `nznog "### Speaker - Title" list`, count: 14,
		sample: []nogWantTalk{
			{title: "Starlink", speakers: "Geoff Huston"},
			{title: "Encryption", speakers: "Geoff Huston"},
			{title: "Reannz-cassini malware disruption", speakers: "Dean Pemberton; Aaron Murrihy"},
			{title: "Digital Safety", speakers: "Andy Prow; Barry Greene"},
			{title: "Coherent optical transceivers - current capabilities and future possibilities", speakers: "Thomas Weible"},
		},
		abstract: map[string]string{"Starlink": "how it performs"},
	}, {
		file: "nznog/nznog-2025-talks.md", event: "NZNOG 2025", path: `nznog "### Speaker - Title" list`, count: 16,
		sample: []nogWantTalk{
			{title: "Communications Resilience", speakers: "Jon Brewer (Telco2)"},
			{title: "Analyzing network reliability up to 800G - Impact of SNR thresholds on BER for Coherent (16QAM) and Non-Coherent (PAM4) high speed transceivers under environmental variations", speakers: "Thomas Weible (Flexoptix)"},
			{title: "We're not in Kansas anymore: my experiences with IP geolocation", speakers: "Shane Alcock (Alcock Network Intelligence, IODA)"},
			{title: "Resilient and Inclusive Networks: Ensuring communication for all in all times", speakers: "Craig Young (TUANZ); Vivian Chandra (TUANZ)"},
			{title: "IP Quirks and Features", speakers: "Mark Smith"},
			{title: "KINDNS: Promoting DNS Security Best Practices", speakers: "Champika Wijayatunga (ICANN)"},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.event, func(t *testing.T) {
			year := strings.TrimPrefix(tc.event, "NZNOG ")
			pageURL := "https://nznog.org/conferences/nznog-" + year + "/talks"
			res := nogParse(t, nznogAdapter{}, Page{URL: pageURL, Body: renderJekyll(t, tc.file)})
			if res.Event != tc.event || res.Series != "NZNOG" || res.Path != tc.path {
				t.Errorf("result %s/%s path %q, want NZNOG/%s path %q", res.Series, res.Event, res.Path, tc.event, tc.path)
			}
			if len(res.Talks) != tc.count {
				t.Errorf("%d talks, want %d", len(res.Talks), tc.count)
			}
			nogCheckCommon(t, res, "nznog", pageURL, []string{"Terry Sweetser", "APNIC Update - TBC", "Various updates", "Video presentation"})
			for _, want := range tc.sample {
				nogCheckTalk(t, res, want)
			}
			for _, tk := range res.Talks {
				if strconv.Itoa(tk.Year) != year {
					t.Errorf("%q has year %d, want %s", tk.Title, tk.Year, year)
				}
			}
			for title, phrase := range tc.abstract {
				if got := nogTalk(t, res, title).Abstract; !strings.Contains(got, phrase) {
					t.Errorf("%q: abstract %q lacks %q", title, got, phrase)
				}
			}
		})
	}
}

// TestNZNOGOwnPage runs without the shared fixtures: the 2024– layout
// inside a site layout with a navigation heading outside <main>.
func TestNZNOGOwnPage(t *testing.T) {
	body := readFile(t, filepath.Join("testdata", "nznog", "talks.html"))
	res := nogParse(t, nznogAdapter{}, Page{URL: "https://nznog.org/conferences/nznog-2031/talks", Body: body})
	if res.Event != "NZNOG 2031" {
		t.Fatalf("event %q, want NZNOG 2031", res.Event)
	}
	if len(res.Talks) != 2 {
		t.Fatalf("%d talks, want 2 (the menu heading and the TBC slot are not talks)", len(res.Talks))
	}
	nogCheckTalk(t, res, nogWantTalk{title: "Fibre to the Farm - Lessons Learned", speakers: "Aroha Example (Rural Net)"})
	nogCheckTalk(t, res, nogWantTalk{title: "Anycast everywhere", speakers: "Kiri Sample; Tama Test"})
	farm := nogTalk(t, res, "Fibre to the Farm - Lessons Learned")
	if want := "How we ran fibre across 40 km of paddocks.\n\nAroha has built rural networks for years."; farm.Abstract != want {
		t.Errorf("abstract %q, want %q", farm.Abstract, want)
	}
	if farm.Source.Key != "nznog:NZNOG 2031:fibre to the farm lessons learned" {
		t.Errorf("key %q", farm.Source.Key)
	}
}

func TestNZNOGParseRefuses(t *testing.T) {
	_, err := (nznogAdapter{}).Parse(t.Context(), Page{URL: "https://example.org/talks", Body: []byte("<html><title>Talks</title><body></body></html>")})
	if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), "names no conference year") {
		t.Errorf("page without a year: %v, want EINVALID naming the problem", err)
	}
}

// TestNZNOGSheetsProgramme: the 2020–2025 programme pages only embed a
// Google Sheets document; parsing one says so and points at the talks page
// instead of leaving an empty page to the generic reader.
func TestNZNOGSheetsProgramme(t *testing.T) {
	const pageURL = "https://nznog.org/conferences/nznog-2031/programme"
	body := `<html><head><title>NZNOG 2031 Programme</title></head><body><div class="content"><div style="overflow: auto;">` +
		`<iframe src="https://docs.google.com/spreadsheets/d/e/EXAMPLE/pubhtml?gid=0&amp;single=true" title="NZNOG 2031 Programme"></iframe></div></div></body></html>`
	res, err := (nznogAdapter{}).Parse(t.Context(), Page{URL: pageURL, Body: []byte(body)})
	msg := catalog.ErrorMessage(err)
	if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(msg, "Google Sheets") || !strings.Contains(msg, "https://nznog.org/conferences/nznog-2031/talks") {
		t.Errorf("Parse = %v, %v; want EINVALID naming the embed and the talks page", res, err)
	}
}

func TestNZNOGEditionURLs(t *testing.T) {
	tests := []struct {
		edition, want string
	}{
		{"2024", "https://nznog.org/conferences/nznog-2024/talks"},
		{"nznog-2020", "https://nznog.org/conferences/nznog-2020/talks"},
		{"NZNOG 2025", "https://nznog.org/conferences/nznog-2025/talks"},
	}
	for _, tc := range tests {
		got, err := (nznogAdapter{}).EditionURLs(tc.edition)
		if err != nil || len(got) != 1 || got[0] != tc.want {
			t.Errorf("EditionURLs(%q) = %v, %v; want %s", tc.edition, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "24", "9", "twenty", "1850"} {
		_, err := (nznogAdapter{}).EditionURLs(bad)
		if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), "named by year") {
			t.Errorf("EditionURLs(%q): %v, want EINVALID saying editions are years", bad, err)
		}
	}
}

func TestNZNOGMatch(t *testing.T) {
	tests := []struct {
		url, edition string
		ok           bool
	}{
		{"https://nznog.org/conferences/nznog-2024/talks", "2024", true},
		{"https://www.nznog.org/conferences/nznog-2020/talks/", "2020", true},
		{"https://nznog.org/conferences/nznog-2022/talks.html", "2022", true},
		// 2019 has a programme page with times; the adapter reads both.
		{"https://nznog.org/conferences/nznog-2019/programme", "2019", true},
		{"https://nznog.org/conferences/nznog-2024/venue", "", false},
		{"https://nznog.org/", "", false},
		{"https://example.org/conferences/nznog-2024/talks", "", false},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		edition, ok := (nznogAdapter{}).Match(u)
		if edition != tc.edition || ok != tc.ok {
			t.Errorf("Match(%s) = %q, %v; want %q, %v", tc.url, edition, ok, tc.edition, tc.ok)
		}
	}
}

func TestNZNOGSplitSpeakerTitle(t *testing.T) {
	tests := []struct {
		heading, who, title string
	}{
		{"Geoff Huston  - Starlink", "Geoff Huston", "Starlink"},
		{"Geoff Huston -  Encryption", "Geoff Huston", "Encryption"},
		{"Dean Pemberton/ Aaron Murrihy  Reannz-cassini malware disruption", "Dean Pemberton/ Aaron Murrihy", "Reannz-cassini malware disruption"},
		{"Thomas Weible  Coherent optical transceivers - current capabilities", "Thomas Weible", "Coherent optical transceivers - current capabilities"},
		{"Thomas Weible - Analyzing up to 800G - Impact of SNR", "Thomas Weible", "Analyzing up to 800G - Impact of SNR"},
		{"Brent Marquis – Chorus is going boost fibre", "Brent Marquis", "Chorus is going boost fibre"},
	}
	for _, tc := range tests {
		who, title, ok := nogSplitSpeakerTitle(tc.heading)
		if !ok || who != tc.who || title != tc.title {
			t.Errorf("split(%q) = %q, %q, %v; want %q, %q", tc.heading, who, title, ok, tc.who, tc.title)
		}
	}
	if _, _, ok := nogSplitSpeakerTitle("Keynote"); ok {
		t.Errorf("a heading with no separator split")
	}
}

func TestNZNOGInfo(t *testing.T) {
	info := (nznogAdapter{}).Info()
	if info.Name != "nznog" || info.Series != "NZNOG" || !info.Checked || len(info.URLPatterns) != 2 {
		t.Errorf("Info() = %+v", info)
	}
	for _, f := range []string{"nznog-2020-talks.md", "nznog-2022-talks.md", "nznog-2024-talks.md", "nznog-2025-talks.md"} {
		if !strings.Contains(info.CheckedAgainst, f) {
			t.Errorf("CheckedAgainst %q does not name %s", info.CheckedAgainst, f)
		}
	}
}

// TestNZNOGProgramme reads a lookalike of the 2019 programme page: a
// When | Who | What table a day, breaks as rows nobody presents.
func TestNZNOGProgramme(t *testing.T) {
	const pageURL = "https://nznog.org/conferences/nznog-2031/programme"
	res := nogParse(t, nznogAdapter{}, Page{URL: pageURL, Body: renderJekyll(t, filepath.Join("testdata", "nznog", "programme.md"))})
	if res.Event != "NZNOG 2031" || res.Path != "nznog programme table" {
		t.Fatalf("event %q path %q, want NZNOG 2031 via the programme table", res.Event, res.Path)
	}
	nogCheckCommon(t, res, "nznog", pageURL, []string{"Registration", "Opening", "Morning tea", "Afternoon tea", "Close", "Dinner", "Lightning"})
	if len(res.Talks) != 4 {
		t.Errorf("%d talks, want 4", len(res.Talks))
	}
	// Late January is summer time in Auckland: +13:00.
	nogCheckTalk(t, res, nogWantTalk{title: "Fibre to the Farm", speakers: "Aroha Example", start: "2031-01-30T09:15:00+13:00"})
	nogCheckTalk(t, res, nogWantTalk{title: "Two Agencies, One Network", speakers: "Kiri Sample (Rural Net); Tama Test (Agency/Other Agency)", start: "2031-01-30T11:00:00+13:00"})
	// A talk whose title starts like a break keeps its place: someone
	// presents it.
	nogCheckTalk(t, res, nogWantTalk{title: "Lunch Queues and Other Queueing Theory", speakers: "Mere Placeholder", start: "2031-01-30T13:30:00+13:00"})
	nogCheckTalk(t, res, nogWantTalk{title: "Peering Updates", speakers: "Hemi Sample; Ana Example", start: "2031-01-31T09:00:00+13:00"})
}

// TestNZNOGSpeakerHeadings reads a lookalike of the 2026 talks page:
// "### Speaker", then "**Title**", then the abstract.
func TestNZNOGSpeakerHeadings(t *testing.T) {
	const pageURL = "https://nznog.org/conferences/nznog-2032/talks"
	res := nogParse(t, nznogAdapter{}, Page{URL: pageURL, Body: renderJekyll(t, filepath.Join("testdata", "nznog", "talks-speaker-headings.md"))})
	if res.Event != "NZNOG 2032" {
		t.Fatalf("event %q, want NZNOG 2032", res.Event)
	}
	nogCheckCommon(t, res, "nznog", pageURL, []string{"Title:"})
	if len(res.Talks) != 3 {
		t.Errorf("%d talks, want 3", len(res.Talks))
	}
	nogCheckTalk(t, res, nogWantTalk{title: "Fibre to the Farm", speakers: "Aroha Example"})
	nogCheckTalk(t, res, nogWantTalk{title: "Anycast: Everywhere at Once", speakers: "Kiri Sample"})
	nogCheckTalk(t, res, nogWantTalk{title: "Routing with Two Hats", speakers: "Tama Test; Mere Placeholder"})
	farm := nogTalk(t, res, "Fibre to the Farm")
	if want := "How we ran fibre across the paddocks.\n\nAroha has built rural networks for years."; farm.Abstract != want {
		t.Errorf("abstract %q, want %q", farm.Abstract, want)
	}
	if got := nogTalk(t, res, "Anycast: Everywhere at Once").Abstract; got != "" {
		t.Errorf("abstract %q, want none: the next heading starts another talk", got)
	}
}

func TestEditionURLsFollowTheSitesPages(t *testing.T) {
	tests := []struct {
		a       Adapter
		edition string
		want    string
	}{
		{denogAdapter{}, "9", "https://www.denog.de/de/meetings/denog9/agenda/"},
		{denogAdapter{}, "10", "https://www.denog.de/de/meetings/denog10/programm2/"},
		{denogAdapter{}, "11", "https://www.denog.de/de/meetings/denog11/zeitplan/"},
		{denogAdapter{}, "12", "https://www.denog.de/de/meetings/denog12/recordings/"},
		{denogAdapter{}, "13", "https://www.denog.de/de/meetings/denog13/talks/"},
		{nznogAdapter{}, "2019", "https://nznog.org/conferences/nznog-2019/programme"},
		{nznogAdapter{}, "2024", "https://nznog.org/conferences/nznog-2024/talks"},
	}
	for _, tt := range tests {
		urls, err := tt.a.EditionURLs(tt.edition)
		if err != nil || len(urls) != 1 || urls[0] != tt.want {
			t.Errorf("%s %s: %v %v, want %s", tt.a.Info().Name, tt.edition, urls, err, tt.want)
		}
		u, _ := url.Parse(tt.want)
		if _, ok := tt.a.Match(u); !ok {
			t.Errorf("%s does not match its own URL %s", tt.a.Info().Name, tt.want)
		}
	}
}
