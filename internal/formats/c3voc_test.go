package formats

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// countV1Events counts the events of a v1 schedule by decoding it whole,
// independently of the reader: the sum of the lengths of every room's list
// on every day.
func countV1Events(t *testing.T, data []byte) int {
	t.Helper()
	var doc struct {
		Schedule struct {
			Conference struct {
				Days []struct {
					Rooms map[string][]json.RawMessage `json:"rooms"`
				} `json:"days"`
			} `json:"conference"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range doc.Schedule.Conference.Days {
		for _, events := range d.Rooms {
			n += len(events)
		}
	}
	return n
}

// The real v1 schedules. Counts are the events per day and room, summed
// (countV1Events recounts them). Camp 2019 breaks the schema in ways that
// do not matter to talks (slugs with capitals, relative attachment URLs),
// and pretalx adds "answers" to its events; those become notes, and every
// event is imported.
func TestReadC3VOCFixtures(t *testing.T) {
	tests := []struct {
		file          string
		count         int
		series, event string
		notes         int
		wants         []scheduleTalkWant
	}{
		{"c3voc/frab-camp2019.json", 79, "Chaos Communication Camp", "Camp 2019", 4, []scheduleTalkWant{
			{key: "frab:a0a0fcfe-b7fb-46e3-84b6-97a5406016b4", title: "Opening Ceremony", speakers: []string{"jinxx", "smtw"}, start: "2019-08-21T11:00:00+02:00", minutes: 30, room: "Curie", track: "CCC", language: "en",
				url: "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/events/10386.html", links: []catalog.Link{}},
			{key: "frab:24b58c74-2bba-412e-84ac-c206f714f0b7", title: "Hacking Containers and Kubernetes", speakers: []string{"Thomas Fricke"}, start: "2019-08-21T13:00:00+02:00", minutes: 45, room: "Curie", track: "Security", language: "en",
				url:   "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/events/10178.html",
				links: []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://fahrplan.events.ccc.de/system/event_attachments/attachments/000/003/792/original/Hacking_Containers_and_Kubernetes.pdf?1566398735"}}},
			{key: "frab:d8db148c-39e4-4f1e-af23-a26a477c82ee", title: "20 Jahre Camp", speakers: []string{"Markus Ossevorth", "Marc-André Janizewski", "Tim Pritlove"}, start: "2019-08-21T22:00:00+02:00", minutes: 90, room: "Curie", language: "de",
				url: "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/events/10413.html"},
			{key: "frab:9150324f-d11c-48f6-9c0f-a0dbed7f2387", title: "Fighting back against Libra - Decentralizing Facebook Connect", speakers: []string{"Harry Halpin"}, start: "2019-08-25T12:00:00+02:00", minutes: 45, room: "Curie", language: "en",
				url: "https://fahrplan.events.ccc.de/camp/2019/Fahrplan/events/10317.html",
				links: []catalog.Link{
					{Kind: catalog.LinkPage, URL: "http://nymtech.net"},
					{Kind: catalog.LinkPage, URL: "https://0xacab.org/jstuczyn/CoconutGo"},
					{Kind: catalog.LinkSlides, URL: "http://www0.cs.ucl.ac.uk/staff/G.Danezis/papers/UnlimitID_WPES16.pdf"},
					{Kind: catalog.LinkPage, URL: "https://arxiv.org/abs/1802.07344"},
				}},
		}},
		// The conference says time_zone_name UTC while its dates carry
		// +01:00; each date's own offset is kept.
		{"c3voc/pretalx-democon.json", 36, "DemoCon", "DemoCon 2020", 0, []scheduleTalkWant{
			{key: "pretalx:democon:9FNRXK", title: "Inverse motivating array", speakers: []string{"Teresa Terrell", "Stephanie Hudson"}, start: "2020-12-16T09:00:00+01:00", minutes: 90, room: "Tan Room", track: "Phased", language: "en", url: "http://localhost/democon/talk/9FNRXK/"},
		}},
		{"pretalx-democon/schedule.json", 35, "DemoCon", "DemoCon 2022", 2, []scheduleTalkWant{
			{key: "pretalx:democon:3J9C7D", title: "Horizontal didactic methodology", speakers: []string{"Alicia Vincent"}, start: "2022-09-07T09:00:00+02:00", minutes: 90, room: "Dark Red Room", track: "Mandatory", language: "en", url: "http://localhost/democon/talk/3J9C7D/"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := testfixture.Shared(t, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if n := countV1Events(t, data); n != tt.count {
				t.Fatalf("the fixture has %d events, the test expects %d", n, tt.count)
			}
			talks, skips := readFileAll(t, path, FormatAuto)
			if len(talks) != tt.count {
				t.Fatalf("read %d talks, want %d (skips %q)", len(talks), tt.count, scheduleSkipLines(skips))
			}
			for _, s := range skips {
				if !strings.Contains(s.Reason, "imported anyway; does not conform to the c3voc schedule schema (v1)") {
					t.Errorf("skip that is not a conformance note: %s: %s", s.Ref, s.Reason)
				}
			}
			if len(skips) != tt.notes {
				t.Errorf("%d conformance notes, want %d: %q", len(skips), tt.notes, scheduleSkipLines(skips))
			}
			for _, tk := range talks {
				if tk.Series != tt.series || tk.Event != tt.event {
					t.Fatalf("series/event = %q/%q, want %q/%q", tk.Series, tk.Event, tt.series, tt.event)
				}
			}
			checkScheduleTalks(t, talks, tt.wants)
		})
	}
}

// The notes summarise: Camp 2019's 79 bad slugs are one note with a count.
func TestC3VOCNotesSummarise(t *testing.T) {
	_, skips := readFileAll(t, testfixture.Shared(t, "c3voc/frab-camp2019.json"), FormatC3VOC)
	want := `imported anyway; does not conform to the c3voc schedule schema (v1): schedule.conference.days[0].rooms.Curie[0].slug does not match ^[a-z0-9_-]+[a-z0-9]$ ("Camp2019-10386-opening_ceremony"), and 78 more like it at schedule.conference.days[].rooms[][].slug`
	found := false
	for _, s := range skips {
		found = found || s.Reason == want
	}
	if !found {
		t.Errorf("no note %q in %q", want, scheduleSkipLines(skips))
	}
}

// Our v2 schedule follows schema2.json: a flat events list with rooms and
// tracks by reference, participants with roles, localised abstracts, a
// break and a withdrawn talk.
func TestReadC3VOCv2(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "c3voc", "v2.json"), FormatAuto)
	checkScheduleTalks(t, talks, []scheduleTalkWant{
		// The contributor is not a speaker; the abstract is in the
		// talk's language.
		{key: "pretalx:2024:ABC123", title: "Segment Routing in Practice", speakers: []string{"Grace Hopper", "Ada Moderator"},
			start: "2024-06-01T10:00:00+02:00", minutes: 45, room: "Hall One", track: "Networks", language: "de", url: "https://demo.example.org/2024/talk/ABC123/",
			links: []catalog.Link{
				{Kind: catalog.LinkVideo, URL: "https://media.example.org/v/demo24-abc123"},
				{Kind: catalog.LinkPage, URL: "https://sr.example.org/"},
				{Kind: catalog.LinkSlides, URL: "https://demo.example.org/2024/media/abc123.pdf"},
			}},
		{key: "pretalx:2024:DEF456", title: "Community Roundtable", speakers: []string{"Hedy Host"},
			start: "2024-06-02T11:00:00+02:00", minutes: 30, room: "Hall Two", track: "Community", language: "en", url: "https://demo.example.org/2024/talk/DEF456/"},
	})
	if len(talks) != 2 {
		t.Errorf("titles = %q, want 2 talks", titles(talks))
	}
	if talks[0].Abstract != "Segment Routing, erklärt." {
		t.Errorf("abstract = %q", talks[0].Abstract)
	}
	if talks[0].Series != "Demo Days" || talks[0].Event != "Demo Days 2024" {
		t.Errorf("series/event = %q/%q", talks[0].Series, talks[0].Event)
	}
	want := []string{
		"v2.json: line 58 | line 58: a break entry, not a talk",
		"v2.json: line 84, event 7b0e4c51-95a2-4d8e-8a51-000000000003 | line 84, event 7b0e4c51-95a2-4d8e-8a51-000000000003: the event is withdrawn",
	}
	if got := scheduleSkipLines(skips); !slices.Equal(got, want) {
		t.Errorf("skips = %q, want %q", got, want)
	}
}

// v2 participants may be named only in the schedule's persons list.
func TestReadC3VOCv2PersonsByGUID(t *testing.T) {
	const in = `{"schedule":{"version":"1","conference":{"acronym":"mini","title":"Mini 2030","start":"2030-01-01T10:00:00Z","end":"2030-01-01T18:00:00Z","days":[]},
"events":[{"guid":"11111111-2222-4333-8444-555555555555","start":"2030-01-01T10:00:00Z","end":"2030-01-01T10:20:00Z","title":"T","type":"TALK",
"participants":[{"guid":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"}]}],
"persons":[{"guid":"AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE","name":"Named Elsewhere"}]}}`
	talks, _, err := readAll(t, in, Options{Name: "mini.json"})
	if err != nil || len(talks) != 1 {
		t.Fatalf("talks %d, err %v", len(talks), err)
	}
	if got := talks[0].SpeakerNames(); !slices.Equal(got, []string{"Named Elsewhere"}) {
		t.Errorf("speakers = %q", got)
	}
	if talks[0].DurationMinutes != 20 || talks[0].Start.Format("15:04Z07:00") != "10:00Z" {
		t.Errorf("start %s, duration %d", talks[0].Start, talks[0].DurationMinutes)
	}
}

// A schedule cut off half way keeps the events before the cut; the rest is
// one skip naming the last line.
func TestReadC3VOCBroken(t *testing.T) {
	path := filepath.Join("testdata", "c3voc", "v1-broken.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lastLine := bytes.Count(data, []byte("\n")) + 1 // the file ends inside a string on this line
	talks, skips := readFileAll(t, path, FormatAuto)
	checkScheduleTalks(t, talks, []scheduleTalkWant{
		{key: "frab:3e9b2f10-4444-4a7b-9c1d-000000000001", title: "Kept One", speakers: []string{"Ivy Speaker"}, start: "2019-11-16T09:30:00+01:00", minutes: 30, room: "Aula", language: "en", url: "https://cutcon.example.org/talk/1/"},
		{key: "frab:3e9b2f10-4444-4a7b-9c1d-000000000002", title: "Kept Two", speakers: []string{"Jon Speaker", "Kim Speaker"}, start: "2019-11-16T10:00:00+01:00", minutes: 45, room: "Aula", language: "en", url: "https://cutcon.example.org/talk/2/"},
	})
	if len(talks) != 2 {
		t.Errorf("titles = %q", titles(talks))
	}
	want := []string{"v1-broken.json:" + strconv.Itoa(lastLine) + " | line " + strconv.Itoa(lastLine) + ": bad JSON: the JSON ends in the middle of a value; the rest of the file was not read"}
	if got := scheduleSkipLines(skips); !slices.Equal(got, want) {
		t.Errorf("skips = %q, want %q", got, want)
	}
}

// Events the schema rejects but that are still talks are imported; events
// that are not usable are skipped with their line; and every rule broken
// is noted.
func TestReadC3VOCNonconforming(t *testing.T) {
	talks, skips := readFileAll(t, filepath.Join("testdata", "c3voc", "v1-nonconforming.json"), FormatAuto)
	if got, want := titles(talks), []string{"Talk 1", "Talk 3", "Talk 5", "Talk 6"}; !slices.Equal(got, want) {
		t.Errorf("titles = %q, want %q", got, want)
	}
	var unusable, notes []string
	for _, s := range skips {
		if strings.Contains(s.Reason, "imported anyway") {
			notes = append(notes, s.Reason)
		} else {
			unusable = append(unusable, s.Ref+" | "+s.Reason)
		}
	}
	wantUnusable := []string{
		`v1-nonconforming.json: line 47, event 2 | line 47, event 2: duration "90 min" is not HH:MM (or ISO 8601, like PT45M)`,
		`v1-nonconforming.json: line 105, event 4 | line 105, event 4: talk has no title`,
		`v1-nonconforming.json: line 181, event 7 | line 181, event 7: date "2022-05-20 16:00" is not an RFC 3339 time (like 2025-02-01T10:30:00+01:00)`,
		`v1-nonconforming.json: line 207 | line 207: the event is not a JSON object`,
	}
	if !slices.Equal(unusable, wantUnusable) {
		t.Errorf("skips =\n%s\nwant\n%s", strings.Join(unusable, "\n"), strings.Join(wantUnusable, "\n"))
	}
	// One note per rule broken; the agreement with the schema itself is
	// checked in TestC3VOCConformanceAgreesWithSchema.
	if len(notes) != 17 {
		t.Errorf("%d notes, want 17:\n%s", len(notes), strings.Join(notes, "\n"))
	}
	for _, frag := range []string{
		`the document has keys the schema does not allow: "comment"`,
		`schedule.rooms must not be there`,
		`schedule.conference lacks the required "daysCount"`,
		`schedule.conference.days[0].rooms.Stage[0].guid is not a UUID ("not-a-uuid")`,
		`schedule.conference.days[0].rooms.Stage[4].track is an integer, want string or null (5)`,
		`schedule.conference.days[0].rooms.Annex is a string, want array`,
	} {
		if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, frag) }) {
			t.Errorf("no note mentions %q", frag)
		}
	}
}

func TestDetectC3VOC(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"v1 with $schema first", `{"$schema":"x","schedule":{"version":"1","conference":{"acronym":"a"`, true},
		{"v1 compact", `{"schedule": {"version": "v1.43", "base_url": "http://x/", "conference": {`, true},
		{"v2 events", `{"schedule":{"version":"1","events":[{"guid":"x"}]}}`, true},
		{"BOM", "\xef\xbb\xbf{\"schedule\":{\"conference\":{}}}", true},
		{"schedule without conference", `{"schedule":{"version":"1"},"conference":{}}`, false},
		{"schedule is a string", `{"schedule":"weekly"}`, false},
		{"canonical record", canonicalLine, false},
		{"array", `[{"schedule":{"conference":{}}}]`, false},
		{"XML", `<schedule><conference/></schedule>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectC3VOC(sniff([]byte(tt.input))); got != tt.want {
				t.Errorf("detectC3VOC = %v, want %v", got, tt.want)
			}
		})
	}
	for _, rel := range []string{"c3voc/frab-camp2019.json", "c3voc/pretalx-democon.json", "pretalx-democon/schedule.json"} {
		b, err := os.ReadFile(testfixture.Shared(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Detect(b[:min(len(b), headSize)]); got != FormatC3VOC || err != nil {
			t.Errorf("Detect(%s) = %q, %v; want c3voc", rel, got, err)
		}
	}
}

func TestReadC3VOCRejectsOtherInput(t *testing.T) {
	tests := []struct {
		name, input string
		fragments   []string
	}{
		{"not JSON", "<schedule/>", []string{"is not JSON"}},
		{"other JSON", `{"talks":[]}`, []string{`no "schedule" object`}},
		{"array", `[1,2]`, []string{`no "schedule" object`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, tt.input, Options{Format: FormatC3VOC, Name: "in.json"})
			wantCode(t, err, catalog.EINVALID, append([]string{"in.json"}, tt.fragments...)...)
		})
	}
}

// An empty input holds no talks; that is not an error, as for every format.
func TestReadScheduleEmptyInput(t *testing.T) {
	for _, format := range []string{FormatC3VOC, FormatFrab} {
		talks, skips, err := readAll(t, "\xef\xbb\xbf \n", Options{Format: format, Name: "empty"})
		if err != nil || len(talks) != 0 || len(skips) != 0 {
			t.Errorf("%s: talks %d, skips %q, err %v", format, len(talks), scheduleSkipLines(skips), err)
		}
	}
}

func TestReadC3VOCTwiceIsIdentical(t *testing.T) {
	paths := []string{filepath.Join("testdata", "c3voc", "v2.json"), filepath.Join("testdata", "c3voc", "v1-nonconforming.json")}
	for _, rel := range []string{"c3voc/frab-camp2019.json", "pretalx-democon/schedule.json"} {
		if p := sharedFixtureOrEmpty(t, rel); p != "" {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		first, skips1 := readFileAll(t, p, FormatAuto)
		second, skips2 := readFileAll(t, p, FormatAuto)
		if len(first) == 0 || !reflect.DeepEqual(first, second) || !reflect.DeepEqual(skips1, skips2) {
			t.Errorf("%s: two reads differ (%d and %d talks)", filepath.Base(p), len(first), len(second))
		}
	}
}

// A syntax error in the middle is reported at its own line; the events
// before it are kept.
func TestReadC3VOCSyntaxErrorLine(t *testing.T) {
	in := strings.Join([]string{
		`{"schedule": {`,
		` "version": "1",`,
		` "conference": {"acronym": "midcon", "title": "MidCon 2021", "start": "2021-01-01", "time_zone_name": "UTC",`,
		`  "days": [{"index": 1, "date": "2021-01-01", "rooms": {"R": [`,
		`   {"guid": "11111111-2222-4333-8444-000000000001", "date": "2021-01-01T10:00:00Z", "title": "Before"},`,
		`   {"guid": "11111111-2222-4333-8444-000000000002", "date": "2021-01-01T11:00:00Z", "title": "Broken" "oops": 1},`,
		`   {"guid": "11111111-2222-4333-8444-000000000003", "date": "2021-01-01T12:00:00Z", "title": "After"}`,
		`  ]}}]}}}`,
	}, "\n")
	talks, skips, err := readAll(t, in, Options{Name: "mid.json"})
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(talks); !slices.Equal(got, []string{"Before"}) {
		t.Errorf("titles = %q", got)
	}
	var broken []string
	for _, s := range skips {
		if strings.Contains(s.Reason, "bad JSON") {
			broken = append(broken, s.Ref+" | "+s.Reason)
		}
	}
	want := []string{`mid.json:6 | line 6: bad JSON: invalid character '"' after object key:value pair; the rest of the file was not read`}
	if !slices.Equal(broken, want) {
		t.Errorf("skips = %q, want %q", broken, want)
	}
}
