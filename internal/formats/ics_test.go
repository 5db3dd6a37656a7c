package formats

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// readFileOpts runs ReadFile with options and collects what it emits.
func readFileOpts(t *testing.T, path string, opts Options) ([]*catalog.Talk, []catalog.Skip) {
	t.Helper()
	var talks []*catalog.Talk
	skips, err := ReadFile(context.Background(), path, opts, func(tk *catalog.Talk) error {
		talks = append(talks, tk)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return talks, skips
}

func findTalk(t *testing.T, talks []*catalog.Talk, title string) *catalog.Talk {
	t.Helper()
	for _, tk := range talks {
		if tk.Title == title {
			return tk
		}
	}
	t.Fatalf("no talk titled %q among %d", title, len(talks))
	return nil
}

func checkStart(t *testing.T, tk *catalog.Talk, want string) {
	t.Helper()
	if got := tk.Start.Format(time.RFC3339); got != want {
		t.Errorf("%q starts %s, want %s", tk.Title, got, want)
	}
}

func checkSpeakers(t *testing.T, tk *catalog.Talk, want ...catalog.Speaker) {
	t.Helper()
	if want == nil {
		want = []catalog.Speaker{}
	}
	if !reflect.DeepEqual(tk.Speakers, want) {
		t.Errorf("%q has speakers %+v, want %+v", tk.Title, tk.Speakers, want)
	}
}

func dumpSkips(skips []catalog.Skip) string {
	var b strings.Builder
	for _, s := range skips {
		b.WriteString(s.Ref + " | " + s.Reason + "\n")
	}
	return b.String()
}

// The PyCon UK 2015 calendar: 162 VEVENTs (grep -c BEGIN:VEVENT). After
// unfolding, 4 of them have an empty SUMMARY, and 5 are titled only
// "Registration / Breakfast" (twice), "Breakfast", "Break" or "Lunch"
// (counted with grep on the unfolded SUMMARY lines). That leaves 153 talks.
func TestICSPyconUK2015(t *testing.T) {
	path := testfixture.Shared(t, "pyconuk-2015/schedule.ics")
	talks, skips := readFileOpts(t, path, Options{})
	if len(talks) != 153 || len(skips) != 9 {
		t.Fatalf("got %d talks and %d skips, want 153 and 9:\n%s", len(talks), len(skips), dumpSkips(skips))
	}
	var noTitle, breaks int
	for _, s := range skips {
		switch {
		case strings.Contains(s.Reason, "talk has no title"):
			noTitle++
		case strings.Contains(s.Reason, "is a break, not a talk"):
			breaks++
		}
	}
	if noTitle != 4 || breaks != 5 {
		t.Errorf("skips: %d without title, %d breaks; want 4 and 5:\n%s", noTitle, breaks, dumpSkips(skips))
	}
	// The first VEVENT (line 4) is "Registration / Breakfast".
	if skips[0].Ref != "schedule.ics:4" || !strings.Contains(skips[0].Reason, `"Registration / Breakfast" is a break`) {
		t.Errorf("first skip = %+v", skips[0])
	}

	for _, tk := range talks {
		if tk.Series != "PyCon UK" || tk.Event != "PyCon UK 2015" || tk.Year != 2015 {
			t.Fatalf("%q is in %q / %q / %d, want PyCon UK / PyCon UK 2015 / 2015", tk.Title, tk.Series, tk.Event, tk.Year)
		}
		if !strings.HasPrefix(tk.Source.Key, "ics:20160417T070217Z-") {
			t.Fatalf("%q has key %q", tk.Title, tk.Source.Key)
		}
	}

	gil := findTalk(t, talks, "Python's Infamous GIL")
	checkSpeakers(t, gil, catalog.Speaker{Name: "Larry Hastings"})
	checkStart(t, gil, "2015-09-18T10:30:00Z")
	if gil.DurationMinutes != 30 || gil.Room != "PythonAnywhere Room (CC1.3)" || gil.Abstract != "" {
		t.Errorf("GIL talk: %+v", gil)
	}
	if want := []catalog.Link{{Kind: catalog.LinkPage, URL: "http://www.pyconuk.org/talks/pythons-infamous-gil/"}}; !reflect.DeepEqual(gil.Links, want) {
		t.Errorf("GIL links = %+v", gil.Links)
	}
	if gil.Source.Key != "ics:20160417T070217Z-37136@testing-worker-linux-docker-3ee836b9-3394-linux-5" {
		t.Errorf("GIL key = %q (the UID is folded over two lines)", gil.Source.Key)
	}

	checkSpeakers(t, findTalk(t, talks, "Python for mobile games on iOS and Android"),
		catalog.Speaker{Name: "Safe Hammad"}, catalog.Speaker{Name: "Fiona Burrows"})
	research := findTalk(t, talks, "Forming a PyCon UK research community")
	checkSpeakers(t, research, catalog.Speaker{Name: "Sarah Mount", Affiliation: "University of Wolverhampton"})
	checkStart(t, research, "2015-09-19T09:00:00Z")
	// An escaped comma, and no "(talk by …)": the title stays whole.
	checkSpeakers(t, findTalk(t, talks, "Keynote: Van Lindberg, PSF Chair"))
	// "(panel by <not a name>)" leaves the title and names nobody.
	checkSpeakers(t, findTalk(t, talks, "Discussion: From data to dissemination - dealing with publications"))
}

// pretalx's schedule.ics has 36 VEVENTs with 36 distinct UIDs and no
// calendar name. Its schedule.json (an export of the same instance taken
// moments apart) has 35 of them; each must agree on title, speakers, start
// (instant and offset) and duration.
func TestICSPretalxDemocon(t *testing.T) {
	path := testfixture.Shared(t, "pretalx-democon/schedule.ics")

	talks, skips := readFileOpts(t, path, Options{})
	if len(talks) != 0 || len(skips) != 36 {
		t.Fatalf("without --event: %d talks, %d skips; want 0 and 36", len(talks), len(skips))
	}
	if !strings.Contains(skips[0].Reason, "pass --series and --event") || skips[0].Ref != "schedule.ics:21" {
		t.Errorf("skip = %+v", skips[0])
	}

	talks, skips = readFileOpts(t, path, Options{Event: "DemoCon 2022"})
	if len(talks) != 36 || len(skips) != 0 {
		t.Fatalf("got %d talks and %d skips, want 36 and 0:\n%s", len(talks), len(skips), dumpSkips(skips))
	}
	first := talks[0]
	if first.Title != "Persevering cohesive concept" || first.Series != "DemoCon" || first.Event != "DemoCon 2022" ||
		first.Room != "Dark Red Room" || first.DurationMinutes != 90 || first.Abstract != "Reinvent one-to-one info-mediaries!" ||
		first.Source.Key != "pretalx:democon:XFUR3C" || first.Source.URL != "http://localhost/democon/talk/XFUR3C/" {
		t.Errorf("first talk = %+v", first)
	}
	checkStart(t, first, "2022-09-06T01:50:00+02:00")
	checkSpeakers(t, first, catalog.Speaker{Name: "Susan Martinez"})
	// "Up-sized optimal hardware - Brandy Mcclain\, Christine Green"
	checkSpeakers(t, findTalk(t, talks, "Up-sized optimal hardware"),
		catalog.Speaker{Name: "Brandy Mcclain"}, catalog.Speaker{Name: "Christine Green"})
	// The talk only the ICS export has.
	hemuka := findTalk(t, talks, "Enhanced stable model")
	checkSpeakers(t, hemuka, catalog.Speaker{Name: "Gregory Smith"})

	raw, err := os.ReadFile(testfixture.Shared(t, "pretalx-democon/schedule.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schedule struct {
			Conference struct {
				Days []struct {
					Rooms map[string][]struct {
						Title    string `json:"title"`
						Date     string `json:"date"`
						Duration string `json:"duration"`
						URL      string `json:"url"`
						Persons  []struct {
							Name string `json:"public_name"`
						} `json:"persons"`
					} `json:"rooms"`
				} `json:"days"`
			} `json:"conference"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	byURL := map[string]*catalog.Talk{}
	for _, tk := range talks {
		byURL[tk.Source.URL] = tk
	}
	compared := 0
	for _, day := range doc.Schedule.Conference.Days {
		for _, events := range day.Rooms {
			for _, ev := range events {
				tk := byURL[ev.URL]
				if tk == nil {
					t.Errorf("schedule.json talk %q (%s) is not in the ICS import", ev.Title, ev.URL)
					continue
				}
				compared++
				if tk.Title != ev.Title {
					t.Errorf("title %q, schedule.json says %q", tk.Title, ev.Title)
				}
				if got := tk.Start.Format(time.RFC3339); got != ev.Date {
					t.Errorf("%q starts %s, schedule.json says %s", tk.Title, got, ev.Date)
				}
				h, m, _ := strings.Cut(ev.Duration, ":")
				if want := mustAtoi(t, h)*60 + mustAtoi(t, m); tk.DurationMinutes != want {
					t.Errorf("%q lasts %d minutes, schedule.json says %s", tk.Title, tk.DurationMinutes, ev.Duration)
				}
				var names []string
				for _, p := range ev.Persons {
					names = append(names, p.Name)
				}
				if got := strings.Join(tk.SpeakerNames(), "|"); got != strings.Join(names, "|") {
					t.Errorf("%q speakers %q, schedule.json says %q", tk.Title, got, names)
				}
			}
		}
	}
	if compared != 35 {
		t.Errorf("compared %d talks with schedule.json, want 35", compared)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("%q is not a number", s)
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// pretalx's per-talk calendar holds the same VEVENT as the schedule's, so
// importing both upserts one talk.
func TestICSPretalxSingleTalk(t *testing.T) {
	one, skips := readFileOpts(t, testfixture.Shared(t, "pretalx-democon/talk/XFUR3C.ics"), Options{Event: "DemoCon 2022"})
	if len(one) != 1 || len(skips) != 0 {
		t.Fatalf("got %d talks, %d skips; want 1 and 0", len(one), len(skips))
	}
	all, _ := readFileOpts(t, testfixture.Shared(t, "pretalx-democon/schedule.ics"), Options{Event: "DemoCon 2022"})
	if !reflect.DeepEqual(one[0], all[0]) {
		t.Errorf("talk file gives\n%+v\nschedule gives\n%+v", one[0], all[0])
	}
}

// The hand-made MOCA calendar: 88 VEVENTs (grep -c BEGIN:VEVENT) sharing 5
// UIDs, a bare "VTIMEZONE:" line and lines far over 75 octets. Every
// (UID, DTSTART, SUMMARY) triple is distinct (awk over the file), so the
// UIDs are category ids, not talk ids: all 88 are talks, each with its own
// key.
func TestICSMalformedMoca(t *testing.T) {
	path := testfixture.Shared(t, "ics-malformed/moca2024-schedule.ics")
	talks, skips := readFileOpts(t, path, Options{Series: "MOCA", Event: "MOCA 2024"})
	if len(talks) != 88 || len(skips) != 0 {
		t.Fatalf("got %d talks and %d skips, want 88 and 0:\n%s", len(talks), len(skips), dumpSkips(skips))
	}
	keys := map[string]bool{}
	for _, tk := range talks {
		if keys[tk.Source.Key] {
			t.Errorf("key %q is used twice", tk.Source.Key)
		}
		keys[tk.Source.Key] = true
		if tk.Series != "MOCA" || tk.Event != "MOCA 2024" || tk.Year != 2024 {
			t.Errorf("%q: %s / %s / %d", tk.Title, tk.Series, tk.Event, tk.Year)
		}
	}
	// The second VEVENT, at line 17.
	df := talks[1]
	if df.Title != "Digital Forensics ed investigazioni digitali" || df.Room != "MOV" || df.DurationMinutes != 30 ||
		df.Source.Key != "ics:moca-2024:46939/20240915T110000Z/digital-forensics-ed-investigazioni-digitali" {
		t.Errorf("second talk = %+v", df)
	}
	checkStart(t, df, "2024-09-15T11:00:00Z")
	checkSpeakers(t, df, catalog.Speaker{Name: "Luca Mercatanti"})
	// The description is one unfolded line of about 600 octets.
	if !strings.HasPrefix(df.Abstract, "Nel corso della presentazione") || !strings.HasSuffix(df.Abstract, "dell'investigazione digitale.") {
		t.Errorf("abstract = %q", df.Abstract)
	}
	// The same kids' workshop is given three times: three entries.
	var stampa []string
	for _, tk := range talks {
		if tk.Title == "Stampa e Modellazione 3D" {
			stampa = append(stampa, tk.Start.Format(time.RFC3339))
		}
	}
	if len(stampa) != 3 {
		t.Errorf("Stampa e Modellazione 3D appears %d times (%v), want 3", len(stampa), stampa)
	}
}

// Reading a file twice gives the same records: a re-import finds every
// talk unchanged.
func TestICSRereadIsIdentical(t *testing.T) {
	paths := []string{"testdata/ics/zones.ics", "testdata/ics/speakers.ics", "testdata/ics/duplicates.ics", "testdata/ics/broken.ics"}
	for _, rel := range []string{"pyconuk-2015/schedule.ics", "pretalx-democon/schedule.ics", "ics-malformed/moca2024-schedule.ics"} {
		dir := fixturesDir(t)
		if dir != "" {
			paths = append(paths, filepath.Join(dir, filepath.FromSlash(rel)))
		}
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			opts := Options{Event: "Reread 2024"}
			a, as := readFileOpts(t, path, opts)
			b, bs := readFileOpts(t, path, opts)
			if len(a) == 0 {
				t.Fatal("no talks")
			}
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(as, bs) {
				t.Errorf("two reads differ")
			}
		})
	}
}

// sharedFixtureDir is the shared fixtures folder, or "" when it is absent.
func fixturesDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	fixtures := filepath.Join(dir, "..", "shared", "fixtures")
	if _, err := os.Stat(fixtures); err != nil {
		return ""
	}
	return fixtures
}

func TestICSZones(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/ics/zones.ics", Options{})
	if len(talks) != 7 || len(skips) != 0 {
		t.Fatalf("got %d talks, %d skips:\n%s", len(talks), len(skips), dumpSkips(skips))
	}
	tests := []struct {
		title    string
		start    string
		duration int
	}{
		{"Berlin in winter", "2024-03-15T09:30:00+01:00", 45},             // TZID from Go's database
		{"Berlin in summer", "2024-07-15T09:30:00+02:00", 80},             // a /mozilla.org/… prefix, and DURATION
		{"Rules in winter", "2024-03-01T10:00:00+02:00", 45},              // only the VTIMEZONE knows "Conference Time"
		{"Rules in summer", "2024-06-01T10:00:00+03:00", 45},              // … and its daylight-saving rule
		{"Plain UTC", "2024-06-01T12:00:00Z", 30},                         // Z
		{"Floating under X-WR-TIMEZONE", "2024-06-01T09:00:00-04:00", 55}, // floating, in the calendar's zone
		{"Hack day", "2024-06-02T00:00:00Z", 0},                           // all day: midnight UTC, no duration
	}
	for _, tt := range tests {
		tk := findTalk(t, talks, tt.title)
		checkStart(t, tk, tt.start)
		if tk.DurationMinutes != tt.duration {
			t.Errorf("%q lasts %d minutes, want %d", tt.title, tk.DurationMinutes, tt.duration)
		}
		if tk.Series != "RouteConf" || tk.Event != "RouteConf 2024" {
			t.Errorf("%q is in %q / %q", tt.title, tk.Series, tk.Event)
		}
	}
}

// Without X-WR-TIMEZONE a floating time is kept as wall-clock time in UTC,
// and a warning points at --tz.
func TestICSFloatingWithoutZone(t *testing.T) {
	input := "BEGIN:VCALENDAR\nX-WR-CALNAME:Float 2020\nBEGIN:VEVENT\nUID:f\nDTSTART:20200101T093000\nSUMMARY:Floating\nEND:VEVENT\nEND:VCALENDAR\n"
	talks, skips, err := readAll(t, input, Options{})
	if err != nil || len(talks) != 1 || len(skips) != 1 || !skips[0].Warning || !strings.Contains(skips[0].Reason, "pass --tz") {
		t.Fatalf("talks %d, skips %v, err %v", len(talks), skips, err)
	}
	checkStart(t, talks[0], "2020-01-01T09:30:00Z")
}

func TestICSFolding(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/ics/folding.ics", Options{})
	if len(talks) != 2 || len(skips) != 0 {
		t.Fatalf("got %d talks, %d skips:\n%s", len(talks), len(skips), dumpSkips(skips))
	}
	folded := talks[0]
	if folded.Title != "Long titles are folded at seventy-five octets, with escapes; kept" {
		t.Errorf("title = %q", folded.Title)
	}
	// The é of café is split between two lines, byte by byte.
	if folded.Abstract != "First line\nSecond line with café au lait" {
		t.Errorf("abstract = %q", folded.Abstract)
	}
	if folded.Track != "Routing" || !reflect.DeepEqual(folded.Tags, []string{"Routing", "BGP, in depth", "Security"}) {
		t.Errorf("track %q, tags %q", folded.Track, folded.Tags)
	}
	long := talks[1]
	if n := strings.Count(long.Abstract, "nobody folded it"); n != 3 {
		t.Errorf("the unfolded 300-octet line lost text: %q", long.Abstract)
	}
}

func TestICSSpeakersLinksAndBreaks(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/ics/speakers.ics", Options{})
	if got := titles(talks); !reflect.DeepEqual(got, []string{"Peering at scale", "Anycast", "Routing-Sicherheit", "Measuring latency", "Lunchtime lightning talks"}) {
		t.Fatalf("titles = %q", got)
	}
	if len(skips) != 2 || !strings.Contains(skips[0].Reason, `"Lunch" is a break`) || !strings.Contains(skips[1].Reason, "STATUS:CANCELLED") {
		t.Errorf("skips:\n%s", dumpSkips(skips))
	}
	// One organizer for the whole calendar is its owner, not a speaker.
	checkSpeakers(t, talks[0], catalog.Speaker{Name: "Jane Doe"}, catalog.Speaker{Name: "John Roe"})
	checkSpeakers(t, talks[1], catalog.Speaker{Name: "Ana Lopez", Affiliation: "Example Networks"})
	rs := talks[2]
	// Rooms and non-participants among the attendees are not speakers.
	checkSpeakers(t, rs, catalog.Speaker{Name: "Kim Park"}, catalog.Speaker{Name: "Lee Chan"})
	if rs.Language != "de" {
		t.Errorf("language = %q, want de (from SUMMARY;LANGUAGE=de-DE)", rs.Language)
	}
	wantLinks := []catalog.Link{
		{Kind: catalog.LinkPage, URL: "https://nogcon.example/talks/routing-sicherheit"},
		{Kind: catalog.LinkSlides, URL: "https://nogcon.example/slides/rs.pdf"},
		{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=abc123"},
	}
	if !reflect.DeepEqual(rs.Links, wantLinks) || rs.Source.URL != wantLinks[0].URL {
		t.Errorf("links = %+v, source URL %q", rs.Links, rs.Source.URL)
	}
	ml := talks[3]
	checkSpeakers(t, ml, catalog.Speaker{Name: "Sam Smith"}, catalog.Speaker{Name: "Alex Young"})
	if ml.Abstract != "How we measure.\nBring a laptop." {
		t.Errorf("the Speakers: line stays in the abstract: %q", ml.Abstract)
	}
}

// When every event has its own ORGANIZER, the organizer is the speaker.
func TestICSOrganizersAsSpeakers(t *testing.T) {
	talks, _ := readFileOpts(t, "testdata/ics/organizers.ics", Options{})
	if len(talks) != 2 {
		t.Fatalf("got %d talks", len(talks))
	}
	checkSpeakers(t, talks[0], catalog.Speaker{Name: "Maria Rossi"})
	checkSpeakers(t, talks[1], catalog.Speaker{Name: "Paolo Bianchi"})
}

func TestICSDuplicateUIDs(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/ics/duplicates.ics", Options{})
	type row struct{ title, key, start string }
	var got []row
	for _, tk := range talks {
		got = append(got, row{tk.Title, tk.Source.Key, tk.Start.Format(time.RFC3339)})
	}
	want := []row{
		{"Revised talk (new time)", "ics:revised@dupcon", "2021-03-01T11:00:00Z"}, // SEQUENCE 2 beats SEQUENCE 1
		{"Repeated talk", "ics:repeat@dupcon", "2021-03-01T09:00:00Z"},            // the later DTSTAMP wins
		{"First talk of category 7", "ics:dupcon-2021:category-7/20210301T130000Z/first-talk-of-category-7", "2021-03-01T13:00:00Z"},
		{"Second talk of category 7", "ics:dupcon-2021:category-7/20210301T140000Z/second-talk-of-category-7", "2021-03-01T14:00:00Z"},
		{"Second talk of category 7", "ics:dupcon-2021:category-7/20210302T140000Z/second-talk-of-category-7", "2021-03-02T14:00:00Z"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("talks:\n%+v\nwant\n%+v", got, want)
	}
	if talks[1].Abstract != "new copy" {
		t.Errorf("kept the wrong copy: %q", talks[1].Abstract)
	}
	wantSkips := []catalog.Skip{
		{Ref: "duplicates.ics:4", Reason: `line 4: duplicate of the VEVENT at line 17 (same UID "repeat@dupcon", same title and start), which is kept`},
		{Ref: "duplicates.ics:24", Reason: `line 24: duplicate of the VEVENT at line 11 (same UID "revised@dupcon", another SEQUENCE), which is kept`},
	}
	if !reflect.DeepEqual(skips, wantSkips) {
		t.Errorf("skips:\n%s", dumpSkips(skips))
	}
}

// Every sound VEVENT of a damaged file is imported; each broken one is a
// skip naming its line and the line of the damage.
func TestICSBrokenEvents(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/ics/broken.ics", Options{})
	if got := titles(talks); !reflect.DeepEqual(got, []string{"Sound talk one", "Sound talk two", "Sound talk three"}) {
		t.Errorf("titles = %q", got)
	}
	want := []struct{ ref, fragment string }{
		{"broken.ics:10", `line 12: DTSTART "2020-06-01 nine o'clock" is not an iCalendar date`},
		{"broken.ics:15", "no END:VEVENT before the next BEGIN:VEVENT at line 19"},
		{"broken.ics:24", `line 27: "a stray line without a colon" is not an iCalendar content line`},
		{"broken.ics:30", `line 32: DTSTART names time zone "Mars/Olympus_Mons"`},
		{"broken.ics:35", "line 37: DTSTART has an unterminated quoted parameter value"},
		{"broken.ics:40", "DTSTART twice with different values (lines 42 and 43)"},
		{"broken.ics:51", "no END:VEVENT before the input ends at line 54"},
	}
	if len(skips) != len(want) {
		t.Fatalf("got %d skips, want %d:\n%s", len(skips), len(want), dumpSkips(skips))
	}
	for i, w := range want {
		if skips[i].Ref != w.ref || !strings.Contains(skips[i].Reason, w.fragment) || !strings.Contains(skips[i].Reason, "broken VEVENT") {
			t.Errorf("skip %d = %+v, want ref %s and %q", i, skips[i], w.ref, w.fragment)
		}
	}
}

func TestICSCalendarNaming(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		series     string
		event      string
		skipReason string
	}{
		{"no name, no options", Options{}, "", "", "pass --series and --event"},
		{"only --series", Options{Series: "Somewhere"}, "", "", "pass --event too"},
		{"--event names the series too", Options{Event: "DENOG15"}, "DENOG", "DENOG15", ""},
		{"both", Options{Series: "Some Series", Event: "Some Event"}, "Some Series", "Some Event", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			talks, skips := readFileOpts(t, "testdata/ics/unnamed.ics", tt.opts)
			if tt.skipReason != "" {
				if len(talks) != 0 || len(skips) != 1 || !strings.Contains(skips[0].Reason, tt.skipReason) || skips[0].Ref != "unnamed.ics:3" {
					t.Fatalf("talks %d, skips %+v", len(talks), skips)
				}
				return
			}
			if len(talks) != 1 || talks[0].Series != tt.series || talks[0].Event != tt.event {
				t.Fatalf("talks %+v, skips %+v", talks, skips)
			}
		})
	}
}

func TestICSEventName(t *testing.T) {
	tests := map[string]string{
		"PyCon UK 2015 Schedule":    "PyCon UK 2015",
		"FOSDEM 2025 - Programme":   "FOSDEM 2025",
		"DENOG15":                   "DENOG15",
		"  RIPE 88   agenda ":       "RIPE 88",
		"Schedule":                  "",
		"Conference Calendar Talks": "Conference",
		"Talks at the Office":       "Talks at the Office",
	}
	for in, want := range tests {
		if got := icsEventName(in); got != want {
			t.Errorf("icsEventName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A second calendar in the same stream (concatenated exports) is read too.
func TestICSConcatenatedCalendars(t *testing.T) {
	cal := func(uid, title string) string {
		return "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Cat 2021\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTART:20210101T100000Z\r\nSUMMARY:" + title + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	talks, skips, err := readAll(t, cal("a", "One")+cal("b", "Two"), Options{})
	if err != nil || len(skips) != 0 || !reflect.DeepEqual(titles(talks), []string{"One", "Two"}) {
		t.Fatalf("talks %q, skips %v, err %v", titles(talks), skips, err)
	}
}

func TestICSDetect(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", true},
		{"byte order mark and blank lines", "\xef\xbb\xbf\r\n\r\nBEGIN:VCALENDAR\r\n", true},
		{"lower case", "begin:vcalendar\n", true},
		{"a vCard", "BEGIN:VCARD\r\n", false},
		{"JSON", `{"BEGIN":"VCALENDAR"}`, false},
		{"calendar named later", "hello\nBEGIN:VCALENDAR\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectICS(sniff([]byte(tt.input))); got != tt.want {
				t.Errorf("detectICS = %v, want %v", got, tt.want)
			}
		})
	}
	// Gzip is undone before detection.
	if got, err := Detect([]byte(gzipped(t, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))); err != nil || got != FormatICS {
		t.Errorf("Detect(gzipped calendar) = %q, %v", got, err)
	}
	for _, rel := range []string{"pyconuk-2015/schedule.ics", "pretalx-democon/schedule.ics", "ics-malformed/moca2024-schedule.ics"} {
		dir := fixturesDir(t)
		if dir == "" {
			t.Skip("shared fixtures are not available")
		}
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Detect(b[:min(len(b), headSize)]); err != nil || got != FormatICS {
			t.Errorf("Detect(%s) = %q, %v", rel, got, err)
		}
	}
}

func TestICSNotACalendar(t *testing.T) {
	_, _, err := readAll(t, "just some text\n", Options{Format: FormatICS, Name: "notes.txt"})
	wantCode(t, err, catalog.EINVALID, "notes.txt", "no BEGIN:VCALENDAR")
}

func TestParseISO8601Duration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"PT30M", 30 * time.Minute, true},
		{"PT1H30M", 90 * time.Minute, true},
		{"pt45m", 45 * time.Minute, true},
		{"P1D", 24 * time.Hour, true},
		{"P1W", 7 * 24 * time.Hour, true},
		{"P0DT0H45M0S", 45 * time.Minute, true},
		{"PT38M12S", 38*time.Minute + 12*time.Second, true},
		{"PT1.5H", 90 * time.Minute, true},
		{"-PT15M", -15 * time.Minute, true},
		{"P1M", 0, false}, // months have no fixed length
		{"PT", 0, false},
		{"P", 0, false},
		{"30M", 0, false},
		{"PT30", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseISO8601Duration(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseISO8601Duration(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestICSDateTimeValue(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC, or "" for invalid
		date bool
	}{
		{"20240915", "2024-09-15T00:00:00Z", true},
		{"20240915T130000", "2024-09-15T13:00:00Z", false},
		{"20240915T130000Z", "2024-09-15T13:00:00Z", false},
		{"2024-09-15T13:00:00Z", "2024-09-15T13:00:00Z", false},
		{"20240915T1300", "2024-09-15T13:00:00Z", false},
		{"20240231", "", false},
		{"20241315T100000", "", false},
		{"20240915T250000", "", false},
		{"2024091", "", false},
		{"tomorrow", "", false},
	}
	for _, tt := range tests {
		v, ok := icsDateTimeValue(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("icsDateTimeValue(%q) accepted %+v", tt.in, v)
			}
			continue
		}
		if !ok || v.in(time.UTC).Format(time.RFC3339) != tt.want || v.dateOnly != tt.date {
			t.Errorf("icsDateTimeValue(%q) = %+v, %v", tt.in, v, ok)
		}
	}
}

// The VTIMEZONE fallback evaluates the yearly rules zones use: the nth or
// last weekday of a month, or the weekday within BYMONTHDAY days (the old
// US style), each from its start year on.
func TestICSZoneRules(t *testing.T) {
	us := &icsZone{tzid: "US Eastern (old style)"}
	for _, props := range [][]icsProp{
		{{name: "DTSTART", value: "19671029T020000"}, {name: "RRULE", value: "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"}, {name: "TZOFFSETFROM", value: "-0400"}, {name: "TZOFFSETTO", value: "-0500"}, {name: "TZNAME", value: "EST"}},
		{{name: "DTSTART", value: "19870405T020000"}, {name: "RRULE", value: "FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14"}, {name: "TZOFFSETFROM", value: "-0500"}, {name: "TZOFFSETTO", value: "-0400"}, {name: "TZNAME", value: "EDT"}},
	} {
		o, ok := icsParseObservance(props)
		if !ok {
			t.Fatalf("observance %v not parsed", props)
		}
		us.obs = append(us.obs, o)
	}
	tests := []struct {
		wall   string
		offset int
		name   string
	}{
		{"2024-03-09T12:00:00Z", -5 * 3600, "EST"}, // the day before the second Sunday of March 2024 (the 10th)
		{"2024-03-10T12:00:00Z", -4 * 3600, "EDT"},
		{"2024-11-02T12:00:00Z", -4 * 3600, "EDT"}, // the first Sunday of November 2024 is the 3rd
		{"2024-11-03T12:00:00Z", -5 * 3600, "EST"},
		{"2024-01-15T12:00:00Z", -5 * 3600, "EST"},
		{"1960-06-01T12:00:00Z", -4 * 3600, ""}, // before every onset: the first one's TZOFFSETFROM
	}
	for _, tt := range tests {
		wall, _ := time.Parse(time.RFC3339, tt.wall)
		offset, name := us.offsetAt(wall)
		if offset != tt.offset || name != tt.name {
			t.Errorf("offsetAt(%s) = %d %q, want %d %q", tt.wall, offset, name, tt.offset, tt.name)
		}
	}
}

// BenchmarkReadICS parses the two real schedules (PyCon UK 2015 and the
// malformed MOCA calendar, 250 VEVENTs together) from memory.
func BenchmarkReadICS(b *testing.B) {
	var inputs [][]byte
	for _, rel := range []string{"pyconuk-2015/schedule.ics", "ics-malformed/moca2024-schedule.ics"} {
		data, err := os.ReadFile(testfixture.Shared(b, rel))
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	b.ReportAllocs()
	talks := 0
	for b.Loop() {
		for _, data := range inputs {
			_, err := Read(context.Background(), bytes.NewReader(data), Options{Event: "Bench 2024"}, func(*catalog.Talk) error {
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

// TestICSBareUIDsStayApart: two calendars that number their events 1, 2, …
// must not overwrite each other's talks; a UID of the RFC's form
// (…@host) is already unique and keeps its plain key.
func TestICSBareUIDsStayApart(t *testing.T) {
	cal := func(name, uid string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:" + name + "\r\nBEGIN:VEVENT\r\nUID:" + uid +
			"\r\nDTSTART:20240301T100000Z\r\nSUMMARY:Talk One\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	key := func(input string) string {
		t.Helper()
		var got string
		if _, err := Read(context.Background(), strings.NewReader(input), Options{}, func(tk *catalog.Talk) error {
			got = tk.Source.Key
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	alpha, beta := key(cal("AlphaConf 2024", "1")), key(cal("BetaConf 2024", "1"))
	if alpha == beta {
		t.Errorf("two calendars' UID 1 share the key %q", alpha)
	}
	if got := key(cal("AlphaConf 2024", "talk-1@alpha.example")); got != "ics:talk-1@alpha.example" {
		t.Errorf("a globally unique UID got key %q", got)
	}
}

// TestICSReusedUIDWithOneEditedCopy: a calendar that gives many talks one
// UID (a category id) keeps all of them even when one copy was edited
// (SEQUENCE:1); a real revision (two copies, one renamed) is still one talk.
func TestICSReusedUIDWithOneEditedCopy(t *testing.T) {
	event := func(uid string, seq int, start, title string) string {
		return fmt.Sprintf("BEGIN:VEVENT\r\nUID:%s\r\nSEQUENCE:%d\r\nDTSTART:%s\r\nSUMMARY:%s\r\nEND:VEVENT\r\n", uid, seq, start, title)
	}
	cal := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:SeqCon 2024\r\n" +
		event("7", 0, "20240301T100000Z", "Alpha Talk") +
		event("7", 1, "20240301T110000Z", "Beta Talk") +
		event("7", 0, "20240301T120000Z", "Gamma Talk") +
		event("rev@seqcon", 1, "20240301T130000Z", "Draft Title") +
		event("rev@seqcon", 2, "20240301T140000Z", "Final Title") +
		"END:VCALENDAR\r\n"
	var titles []string
	if _, err := Read(context.Background(), strings.NewReader(cal), Options{}, func(tk *catalog.Talk) error {
		titles = append(titles, tk.Title)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"Alpha Talk", "Beta Talk", "Gamma Talk", "Final Title"}
	if !slices.Equal(titles, want) {
		t.Errorf("talks %q, want %q", titles, want)
	}
}
