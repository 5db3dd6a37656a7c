package formats

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// scheduleTalkWant is what a test checks of one talk; empty fields are not checked.
type scheduleTalkWant struct {
	key      string
	title    string
	speakers []string
	start    string // RFC 3339, offset included
	minutes  int
	room     string
	track    string
	language string
	url      string
	links    []catalog.Link
}

func checkScheduleTalks(t *testing.T, talks []*catalog.Talk, wants []scheduleTalkWant) {
	t.Helper()
	byKey := map[string]*catalog.Talk{}
	for _, tk := range talks {
		byKey[tk.Source.Key] = tk
	}
	for _, w := range wants {
		tk, ok := byKey[w.key]
		if !ok {
			t.Errorf("no talk with key %q", w.key)
			continue
		}
		if tk.Title != w.title {
			t.Errorf("%s: title = %q, want %q", w.key, tk.Title, w.title)
		}
		if got := tk.SpeakerNames(); !slices.Equal(got, w.speakers) {
			t.Errorf("%s: speakers = %q, want %q", w.key, got, w.speakers)
		}
		if got := tk.Start.Format(time.RFC3339); got != w.start {
			t.Errorf("%s: start = %s, want %s", w.key, got, w.start)
		}
		if w.minutes != 0 && tk.DurationMinutes != w.minutes {
			t.Errorf("%s: duration = %d, want %d", w.key, tk.DurationMinutes, w.minutes)
		}
		if w.room != "" && tk.Room != w.room {
			t.Errorf("%s: room = %q, want %q", w.key, tk.Room, w.room)
		}
		if w.track != "" && tk.Track != w.track {
			t.Errorf("%s: track = %q, want %q", w.key, tk.Track, w.track)
		}
		if tk.Language != w.language {
			t.Errorf("%s: language = %q, want %q", w.key, tk.Language, w.language)
		}
		if tk.Source.URL != w.url {
			t.Errorf("%s: source url = %q, want %q", w.key, tk.Source.URL, w.url)
		}
		if w.links != nil && !slices.Equal(tk.Links, w.links) {
			t.Errorf("%s: links = %+v, want %+v", w.key, tk.Links, w.links)
		}
		if tk.Source.Name != frabSource {
			t.Errorf("%s: source name = %q, want %q", w.key, tk.Source.Name, frabSource)
		}
	}
}

func scheduleSkipLines(skips []catalog.Skip) []string {
	out := make([]string, len(skips))
	for i, s := range skips {
		out[i] = s.Ref + " | " + s.Reason
	}
	return out
}

// The FOSDEM schedules from 2007 to 2025 in the shared fixtures. The counts
// are the number of "<event " start tags in each file (grep -o '<event '
// FILE | wc -l), which the test also recounts; no event is skipped. FOSDEM
// names no time zone before 2025, so Brussels time comes from the series.
func TestReadFrabFOSDEM(t *testing.T) {
	tests := []struct {
		file  string
		count int
		year  int
		wants []scheduleTalkWant
	}{
		{"fosdem-2007.xml", 215, 2007, []scheduleTalkWant{
			{key: "frab:fosdem-2007:0", title: "AIGLX", speakers: []string{"Kristian Høgsberg"}, start: "2007-02-25T15:00:00+01:00", minutes: 45, room: "Chavanne", track: "Desktop Applications",
				links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "http://video.fosdem.org/2007/FOSDEM2007-AIGLX.ogg"}}},
			{key: "frab:fosdem-2007:5", title: "Belgian eID card on CentOS", speakers: []string{"Fabian Arrotin"}, start: "2007-02-25T16:00:00+01:00", minutes: 30, room: "H.2214", track: "CentOS + Fedora",
				links: []catalog.Link{{Kind: catalog.LinkSlides, URL: "http://wiki.centos.org/Events/Fosdem2007?action=AttachFile&do=get&target=eid-card-centos-fosdem07.pdf"}}},
		}},
		{"fosdem-2015.xml", 551, 2015, []scheduleTalkWant{
			{key: "frab:fosdem-2015:2605", title: "Identity Crisis: Are we who we say we are?", speakers: []string{"Karen Sandler"}, start: "2015-01-31T10:00:00+01:00", minutes: 50, room: "Janson", track: "Keynotes", links: []catalog.Link{}},
			{key: "frab:fosdem-2015:2629", title: "What is wrong with Operating Systems", speakers: []string{"Antti Kantee"}, start: "2015-01-31T11:00:00+01:00", minutes: 50, room: "Janson", track: "Keynotes"},
		}},
		{"fosdem-2024.xml", 674, 2024, []scheduleTalkWant{
			{key: "frab:fosdem-2024:10566", title: "MicroBlocks", speakers: []string{"Bernat Romagosa", "Kathy Giori", "John Maloney", "Turgut Guneysu"}, start: "2024-02-03T11:40:00+01:00", minutes: 60, room: "J.1.106", track: "FOSS Educational Programming Languages devroom", language: "en"},
			{key: "frab:fosdem-2024:10734", title: "JS Runtimes war", speakers: []string{"Gabriele Falasca"}, start: "2024-02-03T15:40:00+01:00", minutes: 25, room: "H.1301 (Cornil)", language: "en",
				links: []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://fosdem.org/2024/events/attachments/fosdem-2024-2466-js-runtimes-war/slides/10734/JS_Runtime_war_zKm4wcf.pdf"}}},
		}},
		{"fosdem-2025.xml", 943, 2025, []scheduleTalkWant{
			{key: "frab:852280ac-61d3-588c-b74c-8d87f9d9d2c6", title: "A New Approach to Callee-Saved Registers in LLVM", speakers: []string{"Mikhail Gudim"}, start: "2025-02-01T10:35:00+01:00", minutes: 25, room: "K.3.201", track: "LLVM", language: "en",
				url: "https://fosdem.org/2025/schedule/event/fosdem-2025-6210-a-new-approach-to-callee-saved-registers-in-llvm/"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := testfixture.Shared(t, "fosdem/"+tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(data, []byte("<event ")); n != tt.count {
				t.Fatalf("the fixture has %d <event> elements, the test expects %d", n, tt.count)
			}
			talks, skips := readFileAll(t, path, FormatAuto)
			if len(skips) > 0 {
				t.Errorf("skips: %q", scheduleSkipLines(skips))
			}
			if len(talks) != tt.count {
				t.Fatalf("read %d talks, want %d", len(talks), tt.count)
			}
			keys := map[string]bool{}
			for _, tk := range talks {
				if tk.Series != "FOSDEM" || tk.Event != "FOSDEM "+strconv.Itoa(tt.year) || tk.Year != tt.year {
					t.Fatalf("%q: series/event/year = %q/%q/%d", tk.Title, tk.Series, tk.Event, tk.Year)
				}
				if _, off := tk.Start.Zone(); off != 3600 {
					t.Errorf("%q starts at %s, not in Brussels winter time", tk.Title, tk.Start)
				}
				if keys[tk.Source.Key] {
					t.Errorf("key %s twice", tk.Source.Key)
				}
				keys[tk.Source.Key] = true
			}
			checkScheduleTalks(t, talks, tt.wants)
		})
	}
}

// FOSDEM's abstracts are HTML; talk records hold plain text paragraphs.
func TestReadFrabFOSDEMAbstract(t *testing.T) {
	talks, _ := readFileAll(t, testfixture.Shared(t, "fosdem/fosdem-2007.xml"), FormatFrab)
	want := "In this talk, Kristian will take a look at technologies behind the new 3D accelerated composited desktops and see how AIGLX fits in the larger picture.\n\n" +
		"AIGLX is a new feature in the X.org X server"
	if !strings.HasPrefix(talks[0].Abstract, want) {
		t.Errorf("abstract = %q, want it to start with %q", talks[0].Abstract, want)
	}
	if strings.ContainsAny(talks[0].Abstract, "<>") {
		t.Errorf("abstract still holds markup: %q", talks[0].Abstract)
	}
}

// pretalx writes frab XML too; its <date> elements carry the offset. The
// count is the number of "<event " start tags (35).
func TestReadFrabPretalx(t *testing.T) {
	path := testfixture.Shared(t, "pretalx-democon/schedule.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("<event ")); n != 35 {
		t.Fatalf("the fixture has %d events, the test expects 35", n)
	}
	talks, skips := readFileAll(t, path, FormatAuto)
	if len(talks) != 35 || len(skips) != 0 {
		t.Fatalf("read %d talks and %d skips (%q), want 35 and 0", len(talks), len(skips), scheduleSkipLines(skips))
	}
	for _, tk := range talks {
		if tk.Series != "DemoCon" || tk.Event != "DemoCon 2022" {
			t.Fatalf("series/event = %q/%q, want DemoCon/DemoCon 2022", tk.Series, tk.Event)
		}
	}
	checkScheduleTalks(t, talks, []scheduleTalkWant{
		// pretalx dates this one before its day's start; the date wins.
		{key: "pretalx:democon:XFUR3C", title: "Persevering cohesive concept", speakers: []string{"Susan Martinez"}, start: "2022-09-06T01:50:00+02:00", minutes: 90, room: "Dark Red Room", track: "Organic", language: "en", url: "http://localhost/democon/talk/XFUR3C/"},
		{key: "pretalx:democon:ANTHYT", title: "Reactive intermediate Graphic Interface", speakers: []string{"Robert Williams"}, start: "2022-09-07T09:00:00+02:00", minutes: 30, room: "Pale Golden Rod Room", language: "en", url: "http://localhost/democon/talk/ANTHYT/"},
		{key: "pretalx:democon:SDHETA", title: "Fully-configurable eco-centric customer loyalty", speakers: []string{"Emily Mckenzie"}, start: "2022-09-08T09:00:00+02:00", minutes: 30, room: "Pale Golden Rod Room", language: "en", url: "http://localhost/democon/talk/SDHETA/"},
	})
}

// The XML and JSON exports of the same pretalx schedule are the same talks:
// the same keys and the same records, so importing one after the other
// changes nothing.
func TestFrabXMLAndC3VOCJSONAgree(t *testing.T) {
	fromXML, _ := readFileAll(t, testfixture.Shared(t, "pretalx-democon/schedule.xml"), FormatAuto)
	fromJSON, _ := readFileAll(t, testfixture.Shared(t, "pretalx-democon/schedule.json"), FormatAuto)
	byKey := map[string]*catalog.Talk{}
	for _, tk := range fromJSON {
		byKey[tk.Source.Key] = tk
	}
	if len(fromXML) != len(fromJSON) || len(fromXML) == 0 {
		t.Fatalf("%d talks from XML, %d from JSON", len(fromXML), len(fromJSON))
	}
	for _, x := range fromXML {
		j, ok := byKey[x.Source.Key]
		if !ok {
			t.Errorf("%s (%q) is not in the JSON export", x.Source.Key, x.Title)
			continue
		}
		if !reflect.DeepEqual(x, j) {
			t.Errorf("%s differs:\nxml  %+v\njson %+v", x.Source.Key, x, j)
		}
	}
}

// Our own congress fixture: CCC naming, events after midnight listed under
// the previous day (day_change), links and attachments, HTML abstracts.
func TestReadFrabCongress(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "frab", "congress.xml"), FormatAuto)
	if len(skips) != 0 {
		t.Fatalf("skips: %q", scheduleSkipLines(skips))
	}
	if got, want := titles(talks), []string{"Routing at Night", "After Midnight", "Upper-case GUID"}; !slices.Equal(got, want) {
		t.Fatalf("titles = %q, want %q", got, want)
	}
	for _, tk := range talks {
		if tk.Series != "Chaos Communication Congress" || tk.Event != "31C3" || tk.Year != 2014 {
			t.Errorf("series/event/year = %q/%q/%d", tk.Series, tk.Event, tk.Year)
		}
	}
	checkScheduleTalks(t, talks, []scheduleTalkWant{
		{key: "frab:0f5a3c1e-1111-4c2d-9e8f-000000000001", title: "Routing at Night", speakers: []string{"Alice Example", "Bob Example"},
			start: "2014-12-27T23:00:00+01:00", minutes: 60, room: "Saal 1", track: "Security & Hacking", language: "en",
			links: []catalog.Link{
				{Kind: catalog.LinkVideo, URL: "https://media.ccc.de/v/31c3_-_6001_-_en_-_saal_1_-_201412272300_-_routing_at_night"},
				{Kind: catalog.LinkPage, URL: "http://example.net/bgp"},
				{Kind: catalog.LinkSlides, URL: "https://fahrplan.example.org/system/attachments/6001/slides.pdf"},
				{Kind: catalog.LinkOther, URL: "https://fahrplan.example.org/system/attachments/6001/map.png"},
			}},
		// 00:30 is before the 04:00 day change: the next calendar day.
		{key: "frab:0f5a3c1e-1111-4c2d-9e8f-000000000002", title: "After Midnight", speakers: []string{"Carla Beispiel"}, start: "2014-12-28T00:30:00+01:00", minutes: 30, room: "Saal 1", language: "de"},
		// The room comes from the enclosing <room name=…>; guids are keyed in lower case.
		{key: "frab:0f5a3c1e-1111-4c2d-9e8f-000000000003", title: "Upper-case GUID", speakers: []string{}, start: "2014-12-28T11:00:00+01:00", minutes: 45, room: "Saal G"},
	})
	if want := "What BGP does while you sleep\n\nRoutes & peers.\n\n- one\n- two"; talks[0].Abstract != want {
		t.Errorf("abstract = %q, want %q", talks[0].Abstract, want)
	}
}

// A file broken half way keeps the sound events before the damage and
// reports the rest, with the line of the damage.
func TestReadFrabBroken(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "frab", "broken.xml"), FormatAuto)
	if got, want := titles(talks), []string{"First Sound Talk", "Second Sound Talk"}; !slices.Equal(got, want) {
		t.Errorf("titles = %q, want %q", got, want)
	}
	want := []string{"broken.xml:26 | line 26: broken XML: element <b> closed by </title>; the rest of the file was not read"}
	if got := scheduleSkipLines(skips); !slices.Equal(got, want) {
		t.Errorf("skips = %q, want %q", got, want)
	}
}

// Each unusable event is one skip naming its line and id; the sound ones
// around it are kept.
func TestReadFrabEdgeCases(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "frab", "edge.xml"), FormatAuto)
	checkScheduleTalks(t, talks, []scheduleTalkWant{
		{key: "frab:edgecon-2023:10", title: "No Rooms Around Me", speakers: []string{"Frank Speaker"}, start: "2023-03-11T09:00:00-05:00", minutes: 20, room: "Hall A"},
		{key: "frab:edgecon-2023:14", title: "Own Date", speakers: []string{}, start: "2023-03-11T11:30:00-05:00", minutes: 20},
		// New York moved to summer time overnight.
		{key: "frab:edgecon-2023:16", title: "After The Clocks Changed", speakers: []string{}, start: "2023-03-12T10:00:00-04:00", minutes: 20},
	})
	if len(talks) != 3 {
		t.Errorf("titles = %q, want 3 talks", titles(talks))
	}
	if talks[0].Abstract != "Café talk & more" {
		t.Errorf("abstract = %q: HTML entities not decoded", talks[0].Abstract)
	}
	want := []string{
		`edge.xml: line 18, event 11 | line 18, event 11: start "25:99" is not a time of day (HH:MM)`,
		`edge.xml: line 24, event 12 | line 24, event 12: duration "twenty minutes" is not HH:MM (or ISO 8601, like PT45M)`,
		`edge.xml: line 30, event 13 | line 30, event 13: talk has no title`,
		`edge.xml: line 36, event 10 | line 36, event 10: the same event (frab:edgecon-2023:10) as line 10, which was imported`,
		`edge.xml: line 49, event 15 | line 49, event 15: date "yesterday" is not an RFC 3339 time (like 2025-02-01T10:30:00+01:00)`,
	}
	if got := scheduleSkipLines(skips); !slices.Equal(got, want) {
		t.Errorf("skips =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReadFrabZonesAndCharsets(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "frab", "nozone.xml"), FormatAuto)
	// "Wall Clock Only" has no zone at all: one warning says so.
	if len(skips) != 1 || !skips[0].Warning || !strings.Contains(skips[0].Reason, "pass --tz") {
		t.Fatalf("skips: %q", scheduleSkipLines(skips))
	}
	checkScheduleTalks(t, talks, []scheduleTalkWant{
		// No zone anywhere but the day's own start: its offset.
		{key: "frab:tiny-meetup-2021:1", title: "Offset From The Day", speakers: []string{}, start: "2021-06-01T09:30:00+05:30", room: "Room 1"},
		// Nothing at all: the wall-clock time, kept in UTC.
		{key: "frab:tiny-meetup-2021:2", title: "Wall Clock Only", speakers: []string{}, start: "2021-06-02T09:30:00Z", room: "Room 1"},
	})
	if talks[0].Series != "Tiny Meetup" || talks[0].Event != "Tiny Meetup 2021" {
		t.Errorf("series/event = %q/%q, want the year added to a title without one", talks[0].Series, talks[0].Event)
	}

	talks, skips = readFileAll(t, filepath.Join("testdata", "frab", "latin1.xml"), FormatAuto)
	if len(talks) != 1 || len(skips) != 0 {
		t.Fatalf("%d talks, skips %q", len(talks), scheduleSkipLines(skips))
	}
	if talks[0].Title != "Café Crème" || talks[0].Speakers[0].Name != "Kristian Høgsberg" {
		t.Errorf("ISO-8859-1 not decoded: %q by %q", talks[0].Title, talks[0].Speakers[0].Name)
	}

	const withBOM = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule><conference><title>X 2020</title></conference><day date=\"2020-01-01\"><event id=\"1\"><start>10:00</start><title>T</title></event></day></schedule>"
	bomTalks, bomSkips, err := readAll(t, withBOM, Options{Name: "bom.xml"})
	if err != nil || len(bomTalks) != 1 || catalog.CountSkips(bomSkips) != 0 {
		t.Errorf("with a BOM: %d talks, skips %q, err %v", len(bomTalks), scheduleSkipLines(bomSkips), err)
	}
}

func TestReadFrabRejectsOtherInput(t *testing.T) {
	tests := []struct {
		name, input string
		fragments   []string
	}{
		{"JSON", `{"schedule":{"conference":{}}}`, []string{"no <schedule> element"}},
		{"broken before the root", `<?xml version="1.0"?><<schedule>`, []string{"not frab schedule XML: line 1"}},
		{"xCal", `<?xml version="1.0"?><iCalendar><vcalendar/></iCalendar>`, []string{"root element is <iCalendar>"}},
		{"no root", `<?xml version="1.0"?>`, []string{"no <schedule>"}},
		{"unknown charset", `<?xml version="1.0" encoding="x-klingon"?><schedule/>`, []string{"not readable XML"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			talks, _, err := readAll(t, tt.input, Options{Format: FormatFrab, Name: "in.xml"})
			wantCode(t, err, catalog.EINVALID, append([]string{"in.xml"}, tt.fragments...)...)
			if len(talks) != 0 {
				t.Errorf("emitted %d talks", len(talks))
			}
		})
	}
}

// Events before any <conference> have no series: a clear skip, unless the
// user names the conference.
func TestReadFrabWithoutConference(t *testing.T) {
	const in = `<schedule><day date="2020-01-01"><event id="1"><start>10:00</start><title>Lonely</title></event></day></schedule>`
	talks, skips, err := readAll(t, in, Options{Name: "bare.xml"})
	if err != nil || len(talks) != 0 || len(skips) != 1 || !strings.Contains(skips[0].Reason, "--series and --event") {
		t.Fatalf("talks %d, skips %q, err %v", len(talks), scheduleSkipLines(skips), err)
	}
	talks, skips, err = readAll(t, in, Options{Name: "bare.xml", Series: "Meetup", Event: "Meetup 2020"})
	if err != nil || catalog.CountSkips(skips) != 0 || len(talks) != 1 || talks[0].Event != "Meetup 2020" {
		t.Fatalf("talks %+v, skips %q, err %v", talks, scheduleSkipLines(skips), err)
	}
	// The schedule names no zone: the times are kept as UTC, and it says so.
	if len(skips) != 1 || !skips[0].Warning || !strings.Contains(skips[0].Reason, "pass --tz") {
		t.Errorf("no warning about the missing time zone: %q", scheduleSkipLines(skips))
	}
	talks, skips, err = readAll(t, in, Options{Name: "bare.xml", Series: "Meetup", Event: "Meetup 2020", TimeZone: "Europe/Berlin"})
	if err != nil || len(skips) != 0 || len(talks) != 1 || talks[0].Start.Format(time.RFC3339) != "2020-01-01T10:00:00+01:00" {
		t.Errorf("with --tz: talks %+v, skips %q, err %v", talks, scheduleSkipLines(skips), err)
	}
}

func TestDetectFrab(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"pentabarf 2007", "<?xml version=\"1.0\"?>\n<schedule>\n  <conference><title>X</title></conference>", true},
		{"pretalx with comment and generator", "<?xml version='1.0' encoding='utf-8' ?>\n<!-- Made with love -->\n<schedule>\n<generator name=\"pretalx\"/>\n<version>v1</version>\n<conference>", true},
		{"BOM and days only", "\xef\xbb\xbf<schedule><day index=\"1\" date=\"2020-01-01\">", true},
		{"latin1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><schedule><conference>", true},
		{"schedule root but nothing of a schedule", "<schedule><foo/></schedule>", false},
		{"xCal", "<?xml version='1.0'?>\n<iCalendar xmlns:pentabarf='http://pentabarf.org'><vcalendar>", false},
		{"HTML", "<!DOCTYPE html><html><body><schedule><conference>", false},
		{"JSON holding markup", `{"title": "<schedule><conference>"}`, false},
		{"text first", "hello <schedule><conference>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectFrab(sniff([]byte(tt.input))); got != tt.want {
				t.Errorf("detectFrab = %v, want %v", got, tt.want)
			}
		})
	}
	for _, rel := range []string{"fosdem/fosdem-2007.xml", "fosdem/fosdem-2025.xml", "pretalx-democon/schedule.xml"} {
		b, err := os.ReadFile(testfixture.Shared(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Detect(b[:min(len(b), headSize)]); got != FormatFrab || err != nil {
			t.Errorf("Detect(%s) = %q, %v; want frab", rel, got, err)
		}
	}
	if b, err := os.ReadFile(testfixture.Shared(t, "pretalx-democon/schedule.xcal")); err == nil {
		if got, _ := Detect(b); got == FormatFrab {
			t.Errorf("Detect(schedule.xcal) = frab")
		}
	}
}

// Reading the same file twice gives the same records: re-import is a no-op.
func TestReadFrabTwiceIsIdentical(t *testing.T) {
	paths := []string{filepath.Join("testdata", "frab", "congress.xml")}
	for _, rel := range []string{"fosdem/fosdem-2007.xml", "fosdem/fosdem-2025.xml", "pretalx-democon/schedule.xml"} {
		if p := sharedFixtureOrEmpty(t, rel); p != "" {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		first, _ := readFileAll(t, p, FormatAuto)
		second, _ := readFileAll(t, p, FormatAuto)
		if len(first) == 0 || !reflect.DeepEqual(first, second) {
			t.Errorf("%s: two reads differ (%d and %d talks)", filepath.Base(p), len(first), len(second))
		}
	}
}

// sharedFixtureOrEmpty is sharedFixture for tests that also have something
// of their own to check: "" instead of skipping.
func sharedFixtureOrEmpty(t *testing.T, rel string) string {
	t.Helper()
	var path string
	t.Run("locate "+rel, func(t *testing.T) { path = testfixture.Shared(t, rel) })
	return path
}

// BenchmarkImportFOSDEM parses every FOSDEM schedule in the fixtures (2007,
// 2015, 2024, 2025: 2,383 talks, 4.4 MB) from memory, through detection,
// the reader and the sink's normalisation.
func BenchmarkImportFOSDEM(b *testing.B) {
	var files [][]byte
	size := 0
	for _, year := range []string{"2007", "2015", "2024", "2025"} {
		data, err := os.ReadFile(testfixture.Shared(b, "fosdem/fosdem-"+year+".xml"))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
		size += len(data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	talks := 0
	for b.Loop() {
		for _, data := range files {
			_, err := Read(context.Background(), bytes.NewReader(data), Options{Name: "fosdem.xml"}, func(*catalog.Talk) error {
				talks++
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(talks)/b.Elapsed().Seconds(), "talks/s")
}
