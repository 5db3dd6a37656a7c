package formats

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
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
			talks, skips := readFileOpts(t, testfixture.Shared(t, "sessionize/"+tt.file), opts)
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
			checkSpeakers(t, aiden, catalog.Speaker{Name: "Aiden Test"}) // tagLine "Professional public speaker"
			// The only two tagLines of the demo's ten speakers that name
			// an organisation: "Tester @ Sessionize" and "CEO / Contoso".
			// All carries them; Sessions and GridSmart get them from the
			// Speakers export beside them in the fixtures folder.
			if liam := keyed["sessionize:14024"]; liam != nil {
				checkSpeakers(t, liam, catalog.Speaker{Name: "Liam Test", Affiliation: "Sessionize"})
			} else {
				t.Error("no session 14024")
			}
			if sophia := keyed["sessionize:14018"]; sophia != nil {
				checkSpeakers(t, sophia, catalog.Speaker{Name: "Sophia Test", Affiliation: "Contoso"})
			} else {
				t.Error("no session 14018")
			}
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
	// All resolves ids through its tables; Sessions embeds names and takes
	// full names and tagLines from the Speakers export beside it: the
	// records must come out the same, affiliations included.
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
	path := testfixture.Shared(t, "sessionize/sessionize-demo-All.json")
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
	tests := []struct {
		path string
		want []string
	}{
		{"testdata/sessionize/netconf-Speakers.json", []string{
			"netconf-Speakers.json: a Sessionize Speakers export lists people, not talks; put it beside the Sessions export (same name with Speakers) and import the Sessions file (here netconf-Sessions.json), or import the All export",
		}},
	}
	if dir := fixturesDir(t); dir != "" {
		tests = append(tests,
			struct {
				path string
				want []string
			}{filepath.Join(dir, "sessionize", "sessionize-demo-Speakers.json"), []string{"a Sessionize Speakers export lists people, not talks; put it beside the Sessions export (same name with Speakers) and import the Sessions file (here sessionize-demo-Sessions.json)"}},
			struct {
				path string
				want []string
			}{filepath.Join(dir, "sessionize", "sessionize-demo-SpeakerWall.json"), []string{"sessionize-demo-SpeakerWall.json", "SpeakerWall", "import the All, Sessions or GridSmart export"}},
		)
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			_, err := ReadFile(context.Background(), tt.path, Options{Event: "Demo 2017"}, func(*catalog.Talk) error {
				t.Fatal("emitted a talk")
				return nil
			})
			wantCode(t, err, catalog.EINVALID, tt.want...)
		})
	}
	// Read from a stream the hint has no file name to go by.
	_, _, err := readAll(t, `[{"id":"x","fullName":"A B","tagLine":"","isTopSpeaker":false,"sessions":[]}]`, Options{Event: "Demo 2017"})
	wantCode(t, err, catalog.EINVALID, "and import the Sessions file, or import the All export")
}

// The demo event's All export against its Sessions and Speakers exports:
// the same ten talks with the same speakers and affiliations. Without the
// Speakers export (the Sessions file copied alone into an empty folder)
// Sessions gives the embedded names and no affiliation at all.
func TestSessionizeDemoSessionsPlusSpeakers(t *testing.T) {
	allPath := testfixture.Shared(t, "sessionize/sessionize-demo-All.json")
	sessionsPath := testfixture.Shared(t, "sessionize/sessionize-demo-Sessions.json")
	testfixture.Shared(t, "sessionize/sessionize-demo-Speakers.json")
	opts := Options{Event: "Sessionize Demo 2017"}
	all, _ := readFileOpts(t, allPath, opts)
	withSpeakers, _ := readFileOpts(t, sessionsPath, opts)
	if len(all) != 10 || !reflect.DeepEqual(byKey(all), byKey(withSpeakers)) {
		t.Errorf("All and Sessions + Speakers differ:\nAll      %s\nSessions %s", speakerList(all), speakerList(withSpeakers))
	}
	if n := countAffiliations(all); n != 2 {
		t.Errorf("All: %d speakers with an affiliation, want 2 (Sessionize, Contoso): %s", n, speakerList(all))
	}

	alone := filepath.Join(t.TempDir(), "sessionize-demo-Sessions.json")
	b, err := os.ReadFile(sessionsPath)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, alone, string(b))
	talks, _ := readFileOpts(t, alone, opts)
	if len(talks) != 10 || countAffiliations(talks) != 0 {
		t.Errorf("Sessions alone: %d talks, %d affiliations: %s", len(talks), countAffiliations(talks), speakerList(talks))
	}
	for _, tk := range talks {
		if len(tk.Speakers) != 1 || !strings.HasSuffix(tk.Speakers[0].Name, " Test") {
			t.Errorf("%q: speakers %+v", tk.Title, tk.Speakers)
		}
	}
}

// Our own event as All and as Sessions + Speakers. The Speakers export
// gives Ana her full name (the session embeds "Ana"), four tagLines and one
// speaker no session names; sp-x is in no Speakers entry and keeps the name
// the session embeds.
func TestSessionizeSessionsPlusSpeakers(t *testing.T) {
	opts := Options{Event: "NetConf 2024"}
	talks, skips := readFileOpts(t, "testdata/sessionize/netconf-Sessions.json", opts)
	if len(skips) != 0 || len(talks) != 3 {
		t.Fatalf("got %d talks, skips:\n%s", len(talks), dumpSkips(skips))
	}
	checkSpeakers(t, talks[0], catalog.Speaker{Name: "Ana Lopez", Affiliation: "Example Networks GmbH"})
	checkSpeakers(t, talks[1],
		catalog.Speaker{Name: "Ben Okafor"},                                  // "Developer, speaker and author"
		catalog.Speaker{Name: "Chen Wei", Affiliation: "Example University"}, // the whole tagLine
		catalog.Speaker{Name: "Xavier Guest"})                                // not in the Speakers export
	checkSpeakers(t, talks[2],
		catalog.Speaker{Name: "Dana Kim", Affiliation: "Example Labs"}, // "CTO, Example Labs"
		catalog.Speaker{Name: "Eli Novak"})                             // "Speaker at many conferences"
	if talks[2].Track != "Routing" || talks[2].Room != "Room 7" || talks[2].DurationMinutes != 30 {
		t.Errorf("703 = %+v", talks[2])
	}

	all, skips := readFileOpts(t, "testdata/sessionize/netconf-All.json", opts)
	if len(skips) != 0 || !reflect.DeepEqual(byKey(all), byKey(talks)) {
		t.Errorf("All and Sessions + Speakers differ:\nAll      %s\nSessions %s\n%s", speakerList(all), speakerList(talks), dumpSkips(skips))
	}

	// A tagLine that is no string costs the affiliation, not the speaker.
	odd := strings.Replace(readTestdata(t, "sessionize/netconf-All.json"), `"tagLine": "CTO, Example Labs"`, `"tagLine": 42`, 1)
	oddTalks, oddSkips, err := readAll(t, odd, opts)
	if err != nil || len(oddSkips) != 0 || len(oddTalks) != 3 {
		t.Fatalf("tagLine 42: %v, %d talks\n%s", err, len(oddTalks), dumpSkips(oddSkips))
	}
	checkSpeakers(t, oddTalks[2], catalog.Speaker{Name: "Dana Kim"}, catalog.Speaker{Name: "Eli Novak"})

	// From a stream there is no folder to look in.
	b, err := os.ReadFile("testdata/sessionize/netconf-Sessions.json")
	if err != nil {
		t.Fatal(err)
	}
	streamed, _, err := readAll(t, string(b), opts)
	if err != nil || len(streamed) != 3 || countAffiliations(streamed) != 0 || streamed[0].Speakers[0].Name != "Ana" {
		t.Errorf("streamed: %v, %s", err, speakerList(streamed))
	}
}

// Where the Speakers export may sit, and what does not count as one.
func TestSessionizeSpeakersBeside(t *testing.T) {
	sessions := readTestdata(t, "sessionize/netconf-Sessions.json")
	speakers := readTestdata(t, "sessionize/netconf-Speakers.json")
	tests := []struct {
		name  string
		files map[string]string // beside the input, which is always "input"
		input string
		want  int // speakers with an affiliation: Ana, Chen and Dana when the export is found
	}{
		{"sibling by name", map[string]string{"netconf-Speakers.json": speakers}, "netconf-Sessions.json", 3},
		{"lower case", map[string]string{"netconf-speakers.json": speakers}, "netconf-sessions.json", 3},
		{"GridSmart name", map[string]string{"netconf-Speakers.json": speakers}, "netconf-GridSmart.json", 3},
		{"speakers.json", map[string]string{"speakers.json": speakers}, "schedule.json", 3},
		{"gzipped", map[string]string{"netconf-Speakers.json.gz": gzipped(t, speakers)}, "netconf-Sessions.json.gz", 3},
		{"with a BOM", map[string]string{"speakers.json": "\ufeff" + speakers}, "schedule.json", 3},
		{"the last Sessions in the name is replaced", map[string]string{"Sessions-2024-Speakers.json": speakers}, "Sessions-2024-Sessions.json", 3},
		// Ana's entry survives the damage after it; Chen's and Dana's do not.
		{"damaged tail", map[string]string{"speakers.json": speakers[:strings.Index(speakers, `"sp-c"`)]}, "schedule.json", 1},
		{"none", nil, "netconf-Sessions.json", 0},
		{"another name", map[string]string{"netconf-people.json": speakers}, "netconf-Sessions.json", 0},
		{"not a Speakers export", map[string]string{"speakers.json": `[{"id":"sp-a","name":"Someone Else","tagLine":"CTO at Wrong GmbH"}]`}, "schedule.json", 0},
		{"an object", map[string]string{"speakers.json": `{"speakers":[]}`}, "schedule.json", 0},
		{"not JSON", map[string]string{"speakers.json": "fullName,sessions\n"}, "schedule.json", 0},
		{"a folder", map[string]string{"speakers.json/x": speakers}, "schedule.json", 0},
		// A name-derived sibling that is not a Speakers export gives way
		// to speakers.json.
		{"first candidate is not one", map[string]string{"netconf-Speakers.json": "[]", "speakers.json": speakers}, "netconf-Sessions.json", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			input := sessions
			if strings.HasSuffix(tt.input, ".gz") {
				input = gzipped(t, sessions)
			}
			writeFile(t, filepath.Join(dir, tt.input), input)
			for name, content := range tt.files {
				writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
			}
			talks, skips := readFileOpts(t, filepath.Join(dir, tt.input), Options{Event: "NetConf 2024"})
			if len(talks) != 3 || len(skips) != 0 {
				t.Fatalf("got %d talks, skips:\n%s", len(talks), dumpSkips(skips))
			}
			if got := countAffiliations(talks); got != tt.want {
				t.Errorf("%d speakers with an affiliation, want %d: %s", got, tt.want, speakerList(talks))
			}
			if wantName := map[bool]string{true: "Ana Lopez", false: "Ana"}[tt.want > 0]; talks[0].Speakers[0].Name != wantName {
				t.Errorf("701's speaker = %q, want %q", talks[0].Speakers[0].Name, wantName)
			}
		})
	}
}

func TestSpeakersExportNames(t *testing.T) {
	tests := map[string][]string{
		"sessionize-demo-Sessions.json":  {"sessionize-demo-Speakers.json", "speakers.json"},
		"sessionize-demo-GridSmart.json": {"sessionize-demo-Speakers.json", "speakers.json"},
		"sessions.json":                  {"speakers.json"},
		"conf-sessions.json.gz":          {"conf-speakers.json.gz", "speakers.json"},
		"schedule.json":                  {"speakers.json"},
		"speakers.json":                  nil,
	}
	for in, want := range tests {
		if got := speakersExportNames(in); !reflect.DeepEqual(got, want) {
			t.Errorf("speakersExportNames(%q) = %q, want %q", in, got, want)
		}
	}
}

// The tagLine rule (see sessionizeAffiliation): an organisation only where
// the line plainly names one, else nothing.
func TestSessionizeAffiliation(t *testing.T) {
	tests := []struct{ tagLine, want string }{
		{"", ""},
		{"   ", ""},
		// Role at/@ Company.
		{"CTO at Example GmbH", "Example GmbH"},
		{"Senior Software Engineer at Example Corp", "Example Corp"},
		{"Tester @ Sessionize", "Sessionize"},
		{"Head of Network Operations AT Example Telecom", "Example Telecom"},
		{"Entwickler bei Beispiel AG", "Beispiel AG"},
		{"Network Engineer at AT&T", "AT&T"},
		{"CEO at Example, Inc.", "Example, Inc."},
		{"Co-Founder at Example Consulting", "Example Consulting"},
		// ... but not when the role is no job, or the rest no name.
		{"Speaker at DevConf", ""},
		{"Developer and speaker at Example", ""},
		{"Engineer at heart", ""},
		{"Developer at Example, speaker at Other", ""},
		{"Engineer at Example and Other", ""},
		{"Architect at Example at Other", ""},
		{"Developer @Example", ""},
		{"Engineer at https://example.com", ""},
		{"Looking at clouds", ""},
		{"Lead engineer at a very large and well known company somewhere", ""},
		// Role, Company (and the other separators).
		{"CEO / Contoso", "Contoso"},
		{"CTO, Example Labs", "Example Labs"},
		{"Principal Consultant | Example Networks", "Example Networks"},
		{"Example GmbH, CTO", "Example GmbH"},
		{"Contoso, CEO", ""},
		{"Developer, speaker and author", ""},
		{"Principal Consultant | Microsoft MVP", ""},
		{"ABC, DEF, GHI", ""},
		{"Architect, Trainer, Example Ltd", ""},
		{"DevOps / SRE", ""},
		// The whole line.
		{"Example Networks", "Example Networks"},
		{"Example University", "Example University"},
		{"Beispiel e.V.", "Beispiel e.V."},
		{"Example SA", "Example SA"},
		{"Network Engineer", ""},
		{"Professional public speaker", ""},
		{"Miss Venezuela", ""},
		{"V.I.P.", ""},
		{"Everyday normal guy", ""},
		{"Senior Event Promotor", ""},
		{"Se dedica a la enseñanza", ""},
		{"Microsoft MVP", ""},
		{"Cloud enthusiast, Example Labs", ""},
	}
	for _, tt := range tests {
		if got := sessionizeAffiliation(tt.tagLine); got != tt.want {
			t.Errorf("sessionizeAffiliation(%q) = %q, want %q", tt.tagLine, got, tt.want)
		}
	}
}

func byKey(talks []*catalog.Talk) map[string]*catalog.Talk {
	m := make(map[string]*catalog.Talk, len(talks))
	for _, tk := range talks {
		m[tk.Source.Key] = tk
	}
	return m
}

func countAffiliations(talks []*catalog.Talk) int {
	n := 0
	for _, tk := range talks {
		for _, sp := range tk.Speakers {
			if sp.Affiliation != "" {
				n++
			}
		}
	}
	return n
}

func speakerList(talks []*catalog.Talk) string {
	var b strings.Builder
	for _, tk := range talks {
		fmt.Fprintf(&b, "%s %+v; ", tk.Source.Key, tk.Speakers)
	}
	return b.String()
}

func readTestdata(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
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
	paths := []string{"testdata/sessionize/all-bom.json", "testdata/sessionize/all-cut.json", "testdata/sessionize/sessions-groups.json",
		"testdata/sessionize/netconf-Sessions.json", "testdata/sessionize/netconf-All.json"}
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
