package formats

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// The Sessionize demo event, counted with a JSON tool: the All export has
// 11 sessions, one of them the "Lunch" service session; the Sessions export
// lists 10 sessions in 3 groups (6, 1, 3) with no id twice and no service
// session; GridSmart lists the 11 again over 2 days.
func TestSessionizeDemoExports(t *testing.T) {
	opts := Options{Series: "Sessionize Demo", Event: "Sessionize Demo 2017"}
	tests := []struct {
		file  string
		talks int
		skips int
	}{
		{"sessionize-demo-All.json", 10, 1},
		{"sessionize-demo-Sessions.json", 10, 0},
		{"sessionize-demo-GridSmart.json", 10, 1},
	}
	byFile := map[string]map[string]*catalog.Talk{}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			talks, skips := readFileOpts(t, sharedFixture(t, "sessionize/"+tt.file), opts)
			if len(talks) != tt.talks || len(skips) != tt.skips {
				t.Fatalf("got %d talks and %d skips, want %d and %d:\n%s", len(talks), len(skips), tt.talks, tt.skips, dumpSkips(skips))
			}
			if tt.skips == 1 && (skips[0].Ref != tt.file+": session f91513e5-6e73-4910-9ee5-070a6ab04035" || !strings.Contains(skips[0].Reason, `"Lunch" is a service session`)) {
				t.Errorf("skip = %+v", skips[0])
			}
			keyed := map[string]*catalog.Talk{}
			for _, tk := range talks {
				if tk.Series != "Sessionize Demo" || tk.Event != "Sessionize Demo 2017" || tk.Year != 2017 || tk.Source.Name != "sessionize" {
					t.Errorf("%q: %q / %q / %d / %q", tk.Title, tk.Series, tk.Event, tk.Year, tk.Source.Name)
				}
				keyed[tk.Source.Key] = tk
			}
			byFile[tt.file] = keyed

			aiden := keyed["sessionize:14022"]
			if aiden == nil {
				t.Fatal("no session 14022")
			}
			if aiden.Title != "Aiden's Session" || aiden.Room != "Green Room" || aiden.Track != "Technical" || aiden.DurationMinutes != 60 ||
				!strings.HasPrefix(aiden.Abstract, "Usually, you would find a session description here.") {
				t.Errorf("14022 = %+v", aiden)
			}
			checkStart(t, aiden, "2017-05-27T09:00:00Z")
			checkSpeakers(t, aiden, catalog.Speaker{Name: "Aiden Test"})
			// Level and format are tags; GridSmart leaves out the
			// language category.
			if !reflect.DeepEqual(aiden.Tags, []string{"Session", "Intermediate"}) {
				t.Errorf("14022 tags = %q", aiden.Tags)
			}
			wantLang := "it"
			if tt.file == "sessionize-demo-GridSmart.json" {
				wantLang = ""
			}
			if aiden.Language != wantLang {
				t.Errorf("14022 language = %q, want %q", aiden.Language, wantLang)
			}
			jackson := keyed["sessionize:14019"]
			if jackson == nil || jackson.Track != "Business" || jackson.Room != "Yellow Room" || !reflect.DeepEqual(jackson.Tags, []string{"Lightning talk", "Advanced"}) {
				t.Errorf("14019 = %+v", jackson)
			}
			noah := keyed["sessionize:14025"]
			if noah == nil || noah.DurationMinutes != 135 {
				t.Errorf("14025 (09:00 to 11:15) = %+v", noah)
			}
		})
	}
	// All resolves ids through its tables; Sessions embeds names: the
	// records must come out the same.
	all, sessions := byFile["sessionize-demo-All.json"], byFile["sessionize-demo-Sessions.json"]
	if len(all) == 10 && len(sessions) == 10 {
		for key, a := range all {
			if s := sessions[key]; !reflect.DeepEqual(a, s) {
				t.Errorf("%s differs:\nAll      %+v\nSessions %+v", key, a, s)
			}
		}
	}
}

func TestSessionizeNeedsConference(t *testing.T) {
	path := sharedFixture(t, "sessionize/sessionize-demo-All.json")
	talks, skips := readFileOpts(t, path, Options{})
	if len(talks) != 0 || len(skips) != 11 {
		t.Fatalf("got %d talks and %d skips, want 0 and 11", len(talks), len(skips))
	}
	naming := 0
	for _, s := range skips {
		if strings.Contains(s.Reason, "Sessionize exports do not name the conference; pass --series and --event") {
			naming++
		}
	}
	if naming != 10 {
		t.Errorf("%d skips ask for --series and --event, want 10:\n%s", naming, dumpSkips(skips))
	}

	talks, skips = readFileOpts(t, path, Options{Series: "Demo"})
	if len(talks) != 0 || !strings.Contains(skips[0].Reason, "pass --event too") {
		t.Errorf("only --series: %d talks, skips %+v", len(talks), skips[0])
	}
	// --event alone names the series as every schedule is named.
	talks, _ = readFileOpts(t, path, Options{Event: "DemoCon 2017"})
	if len(talks) != 10 || talks[0].Series != "DemoCon" {
		t.Errorf("only --event: %d talks, series %q", len(talks), talks[0].Series)
	}
}

func TestSessionizeSpeakersExportsRefused(t *testing.T) {
	for _, file := range []string{"sessionize-demo-Speakers.json", "sessionize-demo-SpeakerWall.json"} {
		t.Run(file, func(t *testing.T) {
			_, err := ReadFile(context.Background(), sharedFixture(t, "sessionize/"+file), Options{Event: "Demo 2017"}, func(*catalog.Talk) error {
				t.Fatal("emitted a talk")
				return nil
			})
			wantCode(t, err, catalog.EINVALID, file, "Sessionize", "import the All, Sessions or GridSmart export")
		})
	}
}

// Our own All export: a byte order mark, a time with an offset, a
// recording, a service session, an unscheduled session, a declined one, a
// speaker id the export does not list, a numeric id.
func TestSessionizeEdgeCases(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/sessionize/all-bom.json", Options{Series: "NetConf", Event: "NetConf 2024"})
	if got := titles(talks); !reflect.DeepEqual(got, []string{"Segment Routing in Practice", "Keynote: The Next Billion Packets", "Unscheduled BoF", "Numeric Id"}) {
		t.Fatalf("titles = %q\n%s", got, dumpSkips(skips))
	}
	sr := talks[0]
	checkSpeakers(t, sr, catalog.Speaker{Name: "Ana Lopez"}, catalog.Speaker{Name: "Ben Okafor"}) // no fullName: first and last name
	checkStart(t, sr, "2024-03-14T09:30:00Z")                                                     // local wall-clock time, marked UTC
	if sr.DurationMinutes != 45 || sr.Track != "Routing" || sr.Language != "de" || sr.Room != "Hall A" ||
		!reflect.DeepEqual(sr.Tags, []string{"Advanced"}) ||
		!reflect.DeepEqual(sr.Links, []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=sr501"}}) {
		t.Errorf("501 = %+v", sr)
	}
	checkStart(t, talks[1], "2024-03-14T11:00:00+01:00") // a real offset is kept
	if talks[1].Abstract != "" || talks[1].Room != "Main Stage" {
		t.Errorf("502 = %+v", talks[1])
	}
	if !talks[2].Start.IsZero() || talks[2].Year != 2024 || talks[2].Room != "" {
		t.Errorf("unscheduled = %+v", talks[2])
	}
	if talks[3].Source.Key != "sessionize:506" || talks[3].Track != "Operations" {
		t.Errorf("numeric id = %+v", talks[3])
	}
	want := []catalog.Skip{
		{Ref: "all-bom.json: session c0ffee00-0000-4000-8000-000000000001", Reason: `session c0ffee00-0000-4000-8000-000000000001: "Coffee Break" is a service session (a break or the like), not a talk`},
		{Ref: "all-bom.json: session 504", Reason: `session 504: "Declined Proposal" has status "Declined", not accepted`},
		{Ref: "all-bom.json: session 505", Reason: "session 505: speaker sp-missing is not in the export's speakers list"},
	}
	if !reflect.DeepEqual(skips, want) {
		t.Errorf("skips:\n%s", dumpSkips(skips))
	}
}

// An All export cut off inside its speakers list: sessions that need what
// was lost are skipped saying so, the others are read, and the break is
// reported with its line.
func TestSessionizeCutOff(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/sessionize/all-cut.json", Options{Event: "NetConf 2024"})
	if got := titles(talks); !reflect.DeepEqual(got, []string{"Unscheduled BoF"}) {
		t.Errorf("titles = %q", got)
	}
	if len(skips) != 7 {
		t.Fatalf("got %d skips, want 7:\n%s", len(skips), dumpSkips(skips))
	}
	if !strings.Contains(skips[0].Reason, "speaker sp-2 cannot be looked up: the JSON breaks (line 130:") {
		t.Errorf("first skip = %+v", skips[0])
	}
	if last := skips[6]; last.Ref != "all-cut.json:130" || !strings.Contains(last.Reason, "bad JSON") || !strings.Contains(last.Reason, "the rest of the input was not read") {
		t.Errorf("last skip = %+v", last)
	}
}

// A Sessions export grouped by category lists a session once per group.
func TestSessionizeGroups(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/sessionize/sessions-groups.json", Options{Event: "NetConf 2023"})
	if got := titles(talks); !reflect.DeepEqual(got, []string{"BGP Communities", "Routing Security Panel"}) {
		t.Errorf("titles = %q", got)
	}
	checkSpeakers(t, talks[0], catalog.Speaker{Name: "Dana Kim"}, catalog.Speaker{Name: "Eli Novak"})
	if talks[0].Track != "Routing" || !reflect.DeepEqual(talks[0].Tags, []string{"BGP", "Policy"}) || talks[0].Room != "Room 7" {
		t.Errorf("601 = %+v", talks[0])
	}
	if len(skips) != 1 || skips[0].Ref != "sessions-groups.json: session 602" || !strings.Contains(skips[0].Reason, `endsAt "bad time" is not a date and time`) {
		t.Errorf("skips:\n%s", dumpSkips(skips))
	}
}

func TestSessionizeRereadIsIdentical(t *testing.T) {
	paths := []string{"testdata/sessionize/all-bom.json", "testdata/sessionize/all-cut.json", "testdata/sessionize/sessions-groups.json"}
	if dir := fixturesDir(t); dir != "" {
		for _, f := range []string{"All", "Sessions", "GridSmart"} {
			paths = append(paths, filepath.Join(dir, "sessionize", "sessionize-demo-"+f+".json"))
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
				t.Error("two reads differ")
			}
		})
	}
}

func TestSessionizeDetect(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"All", `{"sessions":[{"id":"1","title":"T","isServiceSession":false}],"speakers":[]}`, true},
		{"Sessions", `[{"groupId":1,"groupName":"G","sessions":[{"id":"1","isServiceSession" : false}]}]`, true},
		{"Speakers", `[{"id":"x","fullName":"A B","isTopSpeaker":false,"sessions":[]}]`, true},
		{"a quoted mention is not a key", `{"title":"About \"isServiceSession\": a talk"}`, false},
		{"HTML", `<p>"isServiceSession": true</p>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectSessionize(sniff([]byte(tt.input))); got != tt.want {
				t.Errorf("detectSessionize = %v, want %v", got, tt.want)
			}
		})
	}
	dir := fixturesDir(t)
	if dir == "" {
		t.Skip("shared fixtures are not available")
	}
	for _, f := range []string{"All", "Sessions", "Speakers", "GridSmart", "SpeakerWall"} {
		b, err := os.ReadFile(filepath.Join(dir, "sessionize", "sessionize-demo-"+f+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Detect(b[:min(len(b), headSize)]); err != nil || got != FormatSessionize {
			t.Errorf("Detect(%s) = %q, %v", f, got, err)
		}
	}
	b, err := os.ReadFile("testdata/sessionize/all-bom.json")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Detect(b); err != nil || got != FormatSessionize {
		t.Errorf("Detect(all-bom.json) = %q, %v", got, err)
	}
}

func TestLanguageFromName(t *testing.T) {
	tests := map[string]string{
		"de":           "de",
		"de-DE":        "de",
		"en_US":        "en",
		"ger":          "de",
		"German":       "de",
		"Deutsch":      "de",
		"English (UK)": "en",
		"EN/DE":        "en",
		"Español":      "es",
		"Klingon":      "",
		"":             "",
	}
	for in, want := range tests {
		if got := languageFromName(in); got != want {
			t.Errorf("languageFromName(%q) = %q, want %q", in, got, want)
		}
	}
}
