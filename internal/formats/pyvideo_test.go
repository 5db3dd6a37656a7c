package formats

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// The whole real catalog: every line must come out as a talk or as a skip
// that says why. The dump holds 21,570 talks and, read with its
// events.jsonl, none of them needs skipping.
func TestPyvideoFixtureWhole(t *testing.T) {
	dir := testfixture.Shared(t, "pyvideo")
	const lines = 21570

	byKey := map[string]*catalog.Talk{}
	count := 0
	skips, err := ReadFile(context.Background(), filepath.Join(dir, "talks.jsonl.gz"), Options{Format: FormatAuto}, func(tk *catalog.Talk) error {
		count++
		if err := tk.Validate(); err != nil {
			t.Errorf("emitted talk does not validate: %v", err)
		}
		if tk.Source.Name != pyvideoSource || !strings.HasPrefix(tk.Source.Key, "pyvideo:") {
			t.Errorf("talk %q has source %+v", tk.Title, tk.Source)
		}
		if byKey[tk.Source.Key] != nil {
			t.Errorf("source key %q emitted twice", tk.Source.Key)
		}
		byKey[tk.Source.Key] = tk
		return nil
	})
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	for _, s := range skips {
		if s.Ref == "" || s.Reason == "" {
			t.Errorf("skip without ref or reason: %+v", s)
		}
	}
	if count+len(skips) != lines {
		t.Fatalf("emitted %d + skipped %d = %d, want %d lines", count, len(skips), count+len(skips), lines)
	}
	if len(skips) != 0 {
		t.Errorf("%d skips, want none; first: %+v", len(skips), skips[0])
	}

	tests := []struct {
		key      string
		title    string
		series   string
		event    string
		year     int
		start    time.Time
		minutes  int
		speakers []string
		language string
		links    []catalog.Link
		url      string
		abstract string // a prefix
	}{
		{
			key:    "pyvideo:europython-2019/videos/alessandro-molina-python-standard-library-the-hidden-gems.json",
			title:  "Python Standard Library, The Hidden Gems",
			series: "EuroPython", event: "EuroPython 2019", year: 2019,
			start:    time.Date(2019, 7, 12, 0, 0, 0, 0, time.UTC),
			speakers: []string{"Alessandro Molina"}, language: "en",
			links:    []catalog.Link{{Kind: "video", URL: "https://www.youtube.com/watch?v=fhn0p8uS788"}},
			url:      "https://pyvideo.org/europython-2019/python-standard-library-the-hidden-gems.html",
			abstract: "The Python Standard Library is a very rich toolset",
		},
		{
			key:   "pyvideo:pycon-us-2019/videos/a-jesse-jiryu-davis-api-evolution-the-right-way-pycon-2019.json",
			title: "API Evolution the Right Way", series: "PyCon US", event: "PyCon US 2019", year: 2019,
			start: time.Date(2019, 5, 3, 11, 30, 0, 0, time.UTC), minutes: 29, // 1759 s
			speakers: []string{"A. Jesse Jiryu Davis"}, language: "en",
			links: []catalog.Link{
				{Kind: "video", URL: "https://www.youtube.com/watch?v=dqDnB6jKzcE"},
				{Kind: "page", URL: "https://us.pycon.org/2019/schedule/talks/"},
				{Kind: "slides", URL: "https://github.com/PyCon/2019-slides"},
				{Kind: "slides", URL: "https://speakerdeck.com/pycon2019"},
				{Kind: "page", URL: "https://us.pycon.org/2019/schedule/presentation/150/"},
			},
			url:      "https://pyvideo.org/pycon-us-2019/api-evolution-the-right-way.html",
			abstract: "If you maintain a library, how can you innovate",
		},
		{
			key:   "pyvideo:caipyra-2016/videos/flappyladies-crie-seu-primeiro-jogo-em-python-jessica-dias.json",
			title: "FlapPyLadies: Crie seu primeiro jogo em Python", series: "Caipyra", event: "Caipyra 2016", year: 2016,
			start:    time.Date(2016, 6, 25, 0, 0, 0, 0, time.UTC),
			speakers: []string{"Jessica Dias"}, language: "pt",
			links: []catalog.Link{
				{Kind: "video", URL: "https://www.youtube.com/watch?v=-FDJjk-suAg"},
				{Kind: "slides", URL: "https://speakerdeck.com/jessicadias/pygame-caipyra-2016"},
			},
			url:      "https://pyvideo.org/caipyra-2016/flappyladies-crie-seu-primeiro-jogo-em-python.html",
			abstract: "Palestra da Jessica Dias no Caipyra 2016",
		},
		{
			// recorded is null: the year comes from the event title.
			key:   "pyvideo:pycascades-2019/videos/josh-weissbock-distributed-web-scraping-in-python.json",
			title: "Distributed Web Scraping in Python", series: "PyCascades", event: "PyCascades 2019", year: 2019,
			speakers: []string{"Josh Weissbock"}, language: "en",
			links: []catalog.Link{{Kind: "video", URL: "https://www.youtube.com/watch?v=rqptf1Z1NBU"}},
			url:   "https://pyvideo.org/pycascades-2019/distributed-web-scraping-in-python.html",
		},
		{
			key:   "pyvideo:djangocon-au-2019/videos/rust-s-recipes-for-code-and-community-e-dunham-pycon-au-2019.json",
			title: "Rust's Recipes for Code and Community", series: "DjangoCon AU", event: "DjangoCon AU 2019", year: 2019,
			start: time.Date(2019, 8, 2, 9, 15, 0, 0, time.FixedZone("", 10*3600)), minutes: 35, // 2107 s
			speakers: []string{"E. Dunham"}, language: "en",
			links: []catalog.Link{
				{Kind: "video", URL: "https://www.youtube.com/watch?v=TW7PxyrCBR0"},
				{Kind: "page", URL: "https://2019.pycon-au.org/schedule"},
				{Kind: "page", URL: "https://2019.pycon-au.org/talks/rust-s-recipes-for-code-and-community"},
			},
			url:      "https://pyvideo.org/djangocon-au-2019/rusts-recipes-for-code-and-community.html",
			abstract: "In some ways, a browser engine seems",
		},
		{
			// A Cyrillic title: no pyvideo.org URL, since we cannot
			// transliterate it the way pyvideo's build does.
			key:   "pyvideo:kyivpy/videos/curio-eksperimentalnyi-podkhod-k-asyncawait-aleksandr-zhukov-kyivpy-19.json",
			title: "curio — экспериментальный подход к async/await, Александр Жуков", series: "Kyiv.py", event: "Kyiv.py", year: 2016,
			start:    time.Date(2016, 12, 3, 0, 0, 0, 0, time.UTC),
			speakers: []string{"Alexander Zhukov"}, language: "ru",
			links: []catalog.Link{
				{Kind: "video", URL: "https://www.youtube.com/watch?v=wRVzcdKEvAs"},
				{Kind: "slides", URL: "https://zhukovalexander.github.io/curio-presentation/#/"},
			},
			abstract: "Kyiv.py #19\n\n",
		},
		{
			key:   "pyvideo:google-python-class/videos/google-python-class-day-1-part-1.json",
			title: "Google Python Class Day 1 Part 1", series: "Google Python Class", event: "Google Python Class, circa 2010", year: 2010,
			start: time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC), minutes: 86, // 5136 s
			speakers: []string{"Nick Parlante"}, language: "en",
			links: []catalog.Link{
				{Kind: "video", URL: "https://www.youtube.com/watch?v=tKTZoB2Vjuk"},
				{Kind: "page", URL: "https://developers.google.com/edu/python/introduction"},
			},
			url:      "https://pyvideo.org/google-python-class-circa-2010/google-python-class-day-1-part-1.html",
			abstract: "Google Python Class Day 1 Part 1:\nIntroduction and Strings.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			tk := byKey[tt.key]
			if tk == nil {
				t.Fatalf("no talk with source key %q", tt.key)
			}
			if tk.Title != tt.title || tk.Series != tt.series || tk.Event != tt.event || tk.Year != tt.year {
				t.Errorf("title/series/event/year = %q / %q / %q / %d, want %q / %q / %q / %d",
					tk.Title, tk.Series, tk.Event, tk.Year, tt.title, tt.series, tt.event, tt.year)
			}
			if !tk.Start.Equal(tt.start) {
				t.Errorf("start = %v, want %v", tk.Start, tt.start)
			}
			if tk.DurationMinutes != tt.minutes {
				t.Errorf("duration = %d min, want %d", tk.DurationMinutes, tt.minutes)
			}
			if got := tk.SpeakerNames(); !slices.Equal(got, tt.speakers) {
				t.Errorf("speakers = %q, want %q", got, tt.speakers)
			}
			if tk.Language != tt.language {
				t.Errorf("language = %q, want %q", tk.Language, tt.language)
			}
			if !slices.Equal(tk.Links, tt.links) {
				t.Errorf("links = %+v\nwant %+v", tk.Links, tt.links)
			}
			if tk.Source.URL != tt.url {
				t.Errorf("source url = %q, want %q", tk.Source.URL, tt.url)
			}
			if !strings.HasPrefix(tk.Abstract, tt.abstract) || (tt.abstract == "" && tk.Abstract != "") {
				t.Errorf("abstract = %.60q…, want it to start %q", tk.Abstract, tt.abstract)
			}
		})
	}
}

// A single pyvideo talk file finds its event through the flattened
// "<event>-category.json" beside it, and gets the same source key as the
// same talk in the dump, so importing both upserts one talk.
func TestPyvideoFixtureSingleFile(t *testing.T) {
	dir := testfixture.Shared(t, "pyvideo")
	talks, skips := readFileAll(t, filepath.Join(dir, "europython-2019-alessandro-molina-python-standard-library-the-hidden-gems.json"), FormatAuto)
	if len(talks) != 1 || len(skips) != 0 {
		t.Fatalf("got %d talks, skips %v", len(talks), skips)
	}
	tk := talks[0]
	if tk.Series != "EuroPython" || tk.Event != "EuroPython 2019" || tk.Year != 2019 || tk.Title != "Python Standard Library, The Hidden Gems" {
		t.Errorf("series/event/year/title = %q/%q/%d/%q", tk.Series, tk.Event, tk.Year, tk.Title)
	}
	if want := "pyvideo:europython-2019/videos/alessandro-molina-python-standard-library-the-hidden-gems.json"; tk.Source.Key != want {
		t.Errorf("source key = %q, want %q", tk.Source.Key, want)
	}
	if want := []string{"CPython", "Debugging", "Development", "General", "python"}; !slices.Equal(tk.Tags, want) {
		t.Errorf("tags = %q, want %q", tk.Tags, want)
	}
}

const singleTalk = `{
  "description": "Why pacing matters.",
  "recorded": "2031-05-14",
  "speakers": ["Jane Roe"],
  "title": "Packet Pacing",
  "videos": [{"type": "youtube", "url": "https://www.youtube.com/watch?v=AAAAAAAAAAA"}]
}
`

func TestPyvideoSingleFileLayouts(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string // relative path → content
		talk      string            // the file to read
		wantEvent string
		wantKey   string
		wantURL   string
	}{
		{
			name: "pyvideo/data checkout",
			files: map[string]string{
				"pycon-zz-2031/category.json":                      `{"title": "PyCon ZZ 2031"}`,
				"pycon-zz-2031/videos/jane-roe-packet-pacing.json": singleTalk,
			},
			talk:      "pycon-zz-2031/videos/jane-roe-packet-pacing.json",
			wantEvent: "PyCon ZZ 2031",
			wantKey:   "pyvideo:pycon-zz-2031/videos/jane-roe-packet-pacing.json",
			wantURL:   "https://pyvideo.org/pycon-zz-2031/packet-pacing.html",
		},
		{
			name: "flattened, longest prefix wins",
			files: map[string]string{
				"pycon-category.json":                       `{"title": "PyCon"}`,
				"pycon-zz-2031-category.json":               `{"title": "PyCon ZZ 2031"}`,
				"pycon-zz-2031-jane-roe-packet-pacing.json": singleTalk,
			},
			talk:      "pycon-zz-2031-jane-roe-packet-pacing.json",
			wantEvent: "PyCon ZZ 2031",
			wantKey:   "pyvideo:pycon-zz-2031/videos/jane-roe-packet-pacing.json",
			wantURL:   "https://pyvideo.org/pycon-zz-2031/packet-pacing.html",
		},
		{
			name: "talk beside its event's category.json",
			files: map[string]string{
				"netconf-2030/category.json": `{"title": "NetConf 2030"}`,
				"netconf-2030/pacing.json":   singleTalk,
			},
			talk:      "netconf-2030/pacing.json",
			wantEvent: "NetConf 2030",
			wantKey:   "pyvideo:netconf-2030/videos/pacing.json",
			wantURL:   "https://pyvideo.org/netconf-2030/packet-pacing.html",
		},
		{
			name: "only the deprecated category field",
			files: map[string]string{
				"lonely.json": strings.Replace(singleTalk, `"title"`, `"category": "LoneConf 2031", "title"`, 1),
			},
			talk:      "lonely.json",
			wantEvent: "LoneConf 2031",
			wantKey:   "url:https://pyvideo.org/loneconf-2031/packet-pacing.html",
			wantURL:   "https://pyvideo.org/loneconf-2031/packet-pacing.html",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for rel, content := range tt.files {
				writeFile(t, filepath.Join(root, filepath.FromSlash(rel)), content)
			}
			talks, skips := readFileAll(t, filepath.Join(root, filepath.FromSlash(tt.talk)), FormatAuto)
			if len(talks) != 1 || len(skips) != 0 {
				t.Fatalf("got %d talks, skips %v", len(talks), skips)
			}
			tk := talks[0]
			if tk.Event != tt.wantEvent || tk.Source.Key != tt.wantKey || tk.Source.URL != tt.wantURL {
				t.Errorf("event/key/url = %q / %q / %q, want %q / %q / %q", tk.Event, tk.Source.Key, tk.Source.URL, tt.wantEvent, tt.wantKey, tt.wantURL)
			}
			if tk.Year != 2031 || tk.Abstract != "Why pacing matters." || !slices.Equal(tk.SpeakerNames(), []string{"Jane Roe"}) {
				t.Errorf("year/abstract/speakers = %d / %q / %q", tk.Year, tk.Abstract, tk.SpeakerNames())
			}
		})
	}
}

// A talk file with no event anywhere is skipped with a reason, not guessed.
func TestPyvideoSingleFileWithoutEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orphan.json")
	writeFile(t, path, singleTalk)
	talks, skips := readFileAll(t, path, FormatPyvideo)
	if len(talks) != 0 || len(skips) != 1 || !strings.Contains(skips[0].Reason, `"Packet Pacing" names no event`) {
		t.Errorf("talks %d, skips %+v", len(talks), skips)
	}
}

// Our own small dump next to an events.jsonl: titles come from the events
// file, unknown events get a title made from the folder name, and bad lines
// are skipped by line number.
func TestPyvideoDumpWithEvents(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "pyvideo", "talks.jsonl"), FormatAuto)
	if got := titles(talks); !slices.Equal(got, []string{"Packet Pacing in Python", "Flows at Scale", "BGP for Beginners"}) {
		t.Fatalf("titles = %q", got)
	}
	wantSkips := []catalog.Skip{
		{Ref: "talks.jsonl:2", Reason: "line 2: talk has no title"},
		{Ref: "talks.jsonl:5", Reason: "line 5: bad JSON: invalid character 'h' in literal true (expecting 'r')"},
		{Ref: "talks.jsonl:6", Reason: "line 6: not a pyvideo talk: field speakers is a JSON string, want a list"},
	}
	if !slices.Equal(skips, wantSkips) {
		t.Errorf("skips = %+v\nwant %+v", skips, wantSkips)
	}

	pacing := talks[0]
	want := catalog.Talk{
		Series: "PyCon ZZ", Event: "PyCon ZZ 2031", Year: 2031,
		Title:           "Packet Pacing in Python",
		Speakers:        []catalog.Speaker{{Name: "Jane Roe"}, {Name: "Raj Patel"}},
		Abstract:        "How we pace UDP senders.",
		Start:           time.Date(2031, 5, 14, 0, 0, 0, 0, time.UTC),
		DurationMinutes: 26, // 1530 s
		Language:        "en",
		Tags:            []string{"networking", "asyncio"},
		Links: []catalog.Link{
			{Kind: "video", URL: "https://www.youtube.com/watch?v=AAAAAAAAAAA"},
			{Kind: "slides", URL: "https://example.org/decks/pacing"},
			{Kind: "page", URL: "https://example.org/talks/pacing"},
			{Kind: "slides", URL: "https://example.org/pacing.pdf"},
		},
		Source: catalog.Source{
			Name: "pyvideo",
			URL:  "https://pyvideo.org/pycon-zz-2031/packet-pacing-in-python.html",
			Key:  "pyvideo:pycon-zz-2031/videos/jane-roe-packet-pacing-in-python.json",
		},
	}
	if !sameTalk(*pacing, want) {
		t.Errorf("talk 1:\n got %+v\nwant %+v", *pacing, want)
	}

	flows := talks[1]
	if flows.Series != "FlowConf Lisboa" || flows.Event != "FlowConf Lisboa 2030" || flows.Abstract != "Only a summary here." || flows.Language != "pt" {
		t.Errorf("talk 2 series/event/abstract/language = %q/%q/%q/%q", flows.Series, flows.Event, flows.Abstract, flows.Language)
	}
	if !flows.Start.Equal(time.Date(2030, 10, 2, 12, 30, 0, 0, time.UTC)) || flows.Year != 2030 {
		t.Errorf("talk 2 start/year = %v/%d", flows.Start, flows.Year)
	}

	bgp := talks[2]
	if bgp.Event != "Netmeetup" || bgp.Series != "Netmeetup" || bgp.Year != 0 || !bgp.Start.IsZero() || bgp.Language != "xyz" {
		t.Errorf("talk 3 event/series/year/start/language = %q/%q/%d/%v/%q", bgp.Event, bgp.Series, bgp.Year, bgp.Start, bgp.Language)
	}
	if bgp.Source.URL != "" {
		t.Errorf("talk 3 has a pyvideo URL %q built from a guessed event title", bgp.Source.URL)
	}
}

// Read from stdin there is no events.jsonl: event titles are made from the
// folder names and no pyvideo.org URL is claimed.
func TestPyvideoDumpWithoutEvents(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "pyvideo", "talks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	talks, skips, err := readAll(t, string(b), Options{Name: "stdin"})
	if err != nil || len(talks) != 3 || len(skips) != 3 {
		t.Fatalf("Read: %v, %d talks, %d skips", err, len(talks), len(skips))
	}
	for i, want := range [][2]string{{"PyCon ZZ", "PyCon ZZ 2031"}, {"Flowconf", "Flowconf 2030"}, {"Netmeetup", "Netmeetup"}} {
		if talks[i].Series != want[0] || talks[i].Event != want[1] {
			t.Errorf("talk %d series/event = %q/%q, want %q/%q", i+1, talks[i].Series, talks[i].Event, want[0], want[1])
		}
		if talks[i].Source.URL != "" {
			t.Errorf("talk %d source url = %q, want none", i+1, talks[i].Source.URL)
		}
	}
	if skips[0].Ref != "stdin:2" {
		t.Errorf("skip ref = %q, want stdin:2", skips[0].Ref)
	}
}

// A dump at the root of a pyvideo/data checkout finds each event's
// category.json in its folder; a damaged one only costs its title.
func TestPyvideoDumpInCheckout(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "pycon-zz-2031", "category.json"), `{"title": "PyCon Zedland 2031"}`)
	writeFile(t, filepath.Join(root, "flowconf-2030", "category.json"), `{"title": `)
	writeFile(t, filepath.Join(root, "dump.jsonl"),
		`{"_event":"pycon-zz-2031","_path":"pycon-zz-2031/videos/a.json","title":"A","speakers":[],"recorded":"2031-01-01","videos":[]}`+"\n"+
			`{"_event":"flowconf-2030","_path":"flowconf-2030/videos/b.json","title":"B","speakers":[],"recorded":"2030-01-01","videos":[]}`+"\n"+
			`{"_event":"../escape","_path":"../escape/videos/c.json","title":"C","speakers":[],"recorded":"2030-01-01","videos":[]}`+"\n")
	talks, skips := readFileAll(t, filepath.Join(root, "dump.jsonl"), FormatPyvideo)
	if len(talks) != 3 || len(skips) != 0 {
		t.Fatalf("%d talks, skips %v", len(talks), skips)
	}
	if talks[0].Event != "PyCon Zedland 2031" || talks[1].Event != "Flowconf 2030" || talks[2].Event != "Escape" {
		t.Errorf("events = %q, %q, %q", talks[0].Event, talks[1].Event, talks[2].Event)
	}
}

func TestSeriesFromEvent(t *testing.T) {
	tests := []struct{ event, want string }{
		{"PyCon US 2019", "PyCon US"},
		{"EuroPython 2019", "EuroPython"},
		{"DENOG9", "DENOG9"},
		{"ChiPy", "ChiPy"},
		{"En attendant la PyConFr (2020-2021)", "En attendant la PyConFr"},
		{"Google Python Class, circa 2010", "Google Python Class"},
		{"PuPPy Meetup @ Zillow 2016 Jan 13", "PuPPy Meetup @ Zillow"},
		{"Plone Conference 2016 Boston", "Plone Conference Boston"},
		{"2019 AusNOG", "AusNOG"},
		{"AusNOG 2023/24", "AusNOG"},
		{"DePy2015", "DePy"},
		{"NANOG 2019 - Day 2", "NANOG - Day 2"},
		{"2019", "2019"},
		{"Meetup, 13 March 2019", "Meetup, 13 March"},
		{"  Posit:Conf   2023 ", "Posit:Conf"},
	}
	for _, tt := range tests {
		if got := seriesFromEvent(tt.event); got != tt.want {
			t.Errorf("seriesFromEvent(%q) = %q, want %q", tt.event, got, tt.want)
		}
	}
}

func TestYearFromTitle(t *testing.T) {
	for title, want := range map[string]int{"PyCon US 2019": 2019, "DePy2015": 2015, "(2020-2021)": 2020, "DENOG9": 0, "Room 1234": 0} {
		if got := yearFromTitle(title); got != want {
			t.Errorf("yearFromTitle(%q) = %d, want %d", title, got, want)
		}
	}
}

func TestTitleFromSlug(t *testing.T) {
	tests := []struct{ slug, want string }{
		{"pycon-us-2019", "PyCon US 2019"},
		{"europython-2019", "EuroPython 2019"},
		{"djangocon-eu-2010", "DjangoCon EU 2010"},
		{"pydata-new-york-city-2014", "PyData New York City 2014"},
		{"django-under-the-hood-2014", "Django Under the Hood 2014"},
		{"depy2015", "DePy 2015"},
		{"writethedocs-na-2016", "Write the Docs NA 2016"},
		{"python_porto", "Python Porto"},
		{"bay-piggies", "Bay Piggies"},
	}
	for _, tt := range tests {
		if got := titleFromSlug(tt.slug); got != tt.want {
			t.Errorf("titleFromSlug(%q) = %q, want %q", tt.slug, got, tt.want)
		}
	}
}

func TestPelicanSlug(t *testing.T) {
	tests := []struct {
		title, want string
		ok          bool
	}{
		{"Python Standard Library, The Hidden Gems", "python-standard-library-the-hidden-gems", true},
		{"Rust's Recipes for Code and Community", "rusts-recipes-for-code-and-community", true},
		{"Programação além de código", "programacao-alem-de-codigo", true},
		{"PyData Córdoba 2019", "pydata-cordoba-2019", true},
		{"asyncio — the good parts", "asyncio-the-good-parts", true},
		{"snake_case  vs  camelCase", "snake_case-vs-camelcase", true},
		{"Дескрипторы в теории", "", false},
		{"?!", "", false},
	}
	for _, tt := range tests {
		got, ok := pelicanSlug(tt.title)
		if got != tt.want || ok != tt.ok {
			t.Errorf("pelicanSlug(%q) = %q, %v; want %q, %v", tt.title, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLanguageCode(t *testing.T) {
	for in, want := range map[string]string{"eng": "en", "spa": "es", "por": "pt", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "ita": "it", "jpn": "ja", "rus": "ru", "zho": "zh", "chi": "zh", "pol": "pl", "kor": "ko", " ENG ": "en", "xyz": "xyz", "": ""} {
		if got := languageCode(in); got != want {
			t.Errorf("languageCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRelatedKind(t *testing.T) {
	tests := []struct{ url, label, want string }{
		{"https://speakerdeck.com/someone/talk", "", catalog.LinkSlides},
		{"https://www.slideshare.net/someone/talk", "", catalog.LinkSlides},
		{"https://example.org/files/talk.PDF?dl=1", "", catalog.LinkSlides},
		{"https://example.org/deck", "Talk slides", catalog.LinkSlides},
		{"https://docs.google.com/presentation/d/abc", "", catalog.LinkSlides},
		{"https://us.pycon.org/2019/schedule/presentation/150/", "Talk schedule", catalog.LinkPage},
		{"https://github.com/someone/repo", "Code", catalog.LinkPage},
	}
	for _, tt := range tests {
		if got := relatedKind(tt.url, tt.label); got != tt.want {
			t.Errorf("relatedKind(%q, %q) = %q, want %q", tt.url, tt.label, got, tt.want)
		}
	}
}

// TestPyvideoEventsAreNotTalks: pyvideo's events.jsonl carries _event like
// the talks do, but its records are events; read as talks they are refused.
func TestPyvideoEventsAreNotTalks(t *testing.T) {
	path := filepath.Join("testdata", "pyvideo", "events.jsonl")
	if _, err := ReadFile(context.Background(), path, Options{Format: FormatAuto}, func(*catalog.Talk) error { return nil }); catalog.ErrorCode(err) != catalog.EINVALID {
		t.Errorf("auto detection took events.jsonl for talks: %v", err)
	}
	talks := 0
	skips, err := ReadFile(context.Background(), path, Options{Format: FormatPyvideo}, func(*catalog.Talk) error {
		talks++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if talks != 0 || len(skips) == 0 || !strings.Contains(skips[0].Reason, "not a pyvideo talk") {
		t.Errorf("--format pyvideo on events: %d talks, skips %+v", talks, skips)
	}
}
