package formats

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func indicoFixture(name string) string { return filepath.Join("testdata", "indico", name) }

func TestIndicoEventExport(t *testing.T) {
	talks, skips, err := readWithOptions(t, indicoFixture("event-contributions.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(skips) != 0 {
		t.Errorf("skips: %v", skips)
	}
	// The fixture lists four contributions ("_type": "Contribution"),
	// one of them not yet scheduled; all four are talks.
	if got := titles(talks); !reflect.DeepEqual(got, []string{
		"Welcome and Meeting Update",
		"Measuring Route Origin Validation in Access Networks",
		"IPv6-only Wi-Fi at a Meeting Venue",
		"Lightning Talks (to be scheduled)",
	}) {
		t.Fatalf("talks = %v", got)
	}
	for _, tk := range talks {
		// "UKNOF53 - Example City": the edition before the subtitle.
		if tk.Series != "UKNOF" || tk.Event != "UKNOF53" || tk.Year != 2024 || tk.Source.Name != "indico" {
			t.Errorf("%s: series %q event %q year %d source %q", tk.Title, tk.Series, tk.Event, tk.Year, tk.Source.Name)
		}
	}
	rov := talkWithKey(t, talks, "indico:indico.example.net:53:1102")
	wantStartRFC3339(t, rov, "2024-09-17T09:15:00+01:00")
	want := catalog.Talk{
		Series: "UKNOF", Event: "UKNOF53", Year: 2024,
		Title: "Measuring Route Origin Validation in Access Networks",
		Speakers: []catalog.Speaker{
			{Name: "Priya Example", Affiliation: "Example Broadband Ltd"},
			{Name: "Tom Sample", Affiliation: "Sample University"},
		},
		Abstract:        "How far has ROV spread?\n\nResults from a year of probes.",
		DurationMinutes: 30, Track: "Routing", Room: "Main Hall",
		Tags: []string{"RPKI", "routing security"},
		Links: []catalog.Link{
			{Kind: catalog.LinkSlides, URL: "https://indico.example.net/event/53/contributions/1102/attachments/501/9001/rov-measurements.pdf"},
			{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=EXAMPLE0001"},
		},
		Source: catalog.Source{Name: "indico", URL: "https://indico.example.net/event/53/contributions/1102/", Key: "indico:indico.example.net:53:1102"},
	}
	got := *rov
	got.Start = time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// No speakers: the primary author presents; "Netter, Sam" is turned
	// around; with no track, the session names it.
	wifi := talkWithKey(t, talks, "indico:indico.example.net:53:1103")
	if !reflect.DeepEqual(wifi.Speakers, []catalog.Speaker{{Name: "Sam Netter", Affiliation: "Venue Networks"}}) || wifi.Track != "Routing Security" {
		t.Errorf("got %+v", wifi)
	}
	later := talkWithKey(t, talks, "indico:indico.example.net:53:1104")
	if !later.Start.IsZero() || later.DurationMinutes != 20 || later.Room != "" {
		t.Errorf("unscheduled: %+v", later)
	}
}

func TestIndicoTimetable(t *testing.T) {
	talks, skips, err := readWithOptions(t, indicoFixture("timetable.json"), Options{Event: "UKNOF53"})
	if err != nil {
		t.Fatal(err)
	}
	if len(skips) != 0 {
		t.Errorf("skips: %v", skips)
	}
	// Three Contribution entries (two inside the session block); the
	// break is not a talk. They come out by start time.
	want := []struct{ key, start, track string }{
		{"indico:indico.example.net:53:1101", "2024-09-17T09:00:00+01:00", ""},
		{"indico:indico.example.net:53:1102", "2024-09-17T09:15:00+01:00", "Routing Security"},
		{"indico:indico.example.net:53:1103", "2024-09-17T09:45:00+01:00", "Routing Security"},
	}
	if len(talks) != len(want) {
		t.Fatalf("got %d talks: %v", len(talks), titles(talks))
	}
	for i, w := range want {
		tk := talks[i]
		if tk.Source.Key != w.key || tk.Track != w.track || tk.Series != "UKNOF" || tk.Event != "UKNOF53" {
			t.Errorf("talk %d: key %q track %q series %q event %q", i, tk.Source.Key, tk.Track, tk.Series, tk.Event)
		}
		wantStartRFC3339(t, tk, w.start)
	}
	// The timetable's relative URLs resolve against its own URL, and the
	// same contributions get the same keys, pages and speakers as from the
	// event export: importing both upserts the same talks.
	events, _, err := readWithOptions(t, indicoFixture("event-contributions.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range talks {
		ev := talkWithKey(t, events, tk.Source.Key)
		if tk.Source.URL != ev.Source.URL || !reflect.DeepEqual(tk.Speakers, ev.Speakers) || !tk.Start.Equal(ev.Start) || tk.Title != ev.Title || tk.Abstract != ev.Abstract {
			t.Errorf("%s: timetable and event export disagree:\n%+v\n%+v", tk.Source.Key, tk, ev)
		}
	}
	if got := talkWithKey(t, talks, "indico:indico.example.net:53:1102").Links; !reflect.DeepEqual(got, []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://indico.example.net/event/53/contributions/1102/attachments/501/9001/rov-measurements.pdf"}}) {
		t.Errorf("links = %v", got)
	}
}

func TestIndicoTimetableNeedsEvent(t *testing.T) {
	talks, _, err := readWithOptions(t, indicoFixture("timetable.json"), Options{})
	wantCode(t, err, catalog.EINVALID, "timetable.json", "--event")
	if len(talks) != 0 {
		t.Errorf("emitted %d talks", len(talks))
	}
}

func TestIndicoDamaged(t *testing.T) {
	data, err := os.ReadFile(indicoFixture("event-contributions.json"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	tests := []struct {
		name   string
		input  string
		titles []string
		skips  []string
	}{
		{
			// Cut inside the third contribution: the two before it are sound.
			name:   "cut inside a contribution",
			input:  text[:strings.Index(text, `"title": "IPv6-only Wi-Fi`)+20],
			titles: []string{"Welcome and Meeting Update", "Measuring Route Origin Validation in Access Networks"},
			skips:  []string{"the rest of the input was not read"},
		},
		{
			name:   "a contribution of the wrong shape",
			input:  strings.Replace(text, `"title": "IPv6-only Wi-Fi at a Meeting Venue"`, `"title": ["IPv6-only"]`, 1),
			titles: []string{"Welcome and Meeting Update", "Measuring Route Origin Validation in Access Networks", "Lightning Talks (to be scheduled)"},
			skips:  []string{"event 53, contribution 3: not an Indico contribution: field title"},
		},
		{
			name:   "an unknown time zone",
			input:  strings.Replace(text, `"startDate": {"date": "2024-09-17", "time": "09:15:00", "tz": "Europe/London"}`, `"startDate": {"date": "2024-09-17", "time": "09:15:00", "tz": "Europe/Lundon"}`, 1),
			titles: []string{"Welcome and Meeting Update", "IPv6-only Wi-Fi at a Meeting Venue", "Lightning Talks (to be scheduled)"},
			skips:  []string{`contribution 1102: time zone "Europe/Lundon" is not a known IANA zone`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			talks, skips, err := readAll(t, tt.input, Options{Name: "export.json"})
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(talks); !reflect.DeepEqual(got, tt.titles) {
				t.Errorf("talks = %v", got)
			}
			wantSkipsMention(t, skips, tt.skips...)
		})
	}

	tt, err := os.ReadFile(indicoFixture("timetable.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The timetable cut inside the session block's second entry keeps the
	// entry before it (the session's entries are listed c204, c203).
	cut := string(tt)[:strings.Index(string(tt), `"contributionId": 1102`)]
	talks, skips, err := readAll(t, cut, Options{Event: "UKNOF53", Name: "timetable.json"})
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(talks); !reflect.DeepEqual(got, []string{"IPv6-only Wi-Fi at a Meeting Venue"}) {
		t.Errorf("talks = %v", got)
	}
	wantSkipsMention(t, skips, "timetable.json:")
}

// detail=sessions lists contributions with a session under the session's
// blocks; they are talks too.
func TestIndicoSessionsDetail(t *testing.T) {
	input := `{"count": 1, "_type": "HTTPAPIResult", "complete": true, "results": [{"_type": "Conference", "id": "9", "title": "RIPE 88",
	  "timezone": "Europe/Amsterdam", "startDate": {"date": "2024-05-20", "time": "09:00:00", "tz": "Europe/Amsterdam"},
	  "contributions": [{"id": "1", "db_id": 71, "title": "Opening", "startDate": {"date": "2024-05-20", "time": "09:00:00", "tz": "Europe/Amsterdam"}, "duration": 10, "speakers": []}],
	  "sessions": [{"_type": "SessionSlot", "title": "Plenary", "contributions": [
	    {"id": "2", "db_id": 72, "title": "Routing Update", "session": "Plenary", "startDate": {"date": "2024-05-20", "time": "09:30:00", "tz": "Europe/Amsterdam"}, "duration": 30,
	     "speakers": [{"fullName": "Doe, Jane", "first_name": "Jane", "last_name": "Doe", "affiliation": "Example NOC"}]}]}]}]}`
	talks, skips, err := readAll(t, input, Options{})
	if err != nil || len(skips) != 0 {
		t.Fatalf("skips %v err %v", skips, err)
	}
	if got := titles(talks); !reflect.DeepEqual(got, []string{"Opening", "Routing Update"}) {
		t.Fatalf("talks = %v", got)
	}
	rt := talks[1]
	if rt.Series != "RIPE" || rt.Event != "RIPE 88" || rt.Track != "Plenary" || rt.Source.Key != "indico:9:72" ||
		!reflect.DeepEqual(rt.Speakers, []catalog.Speaker{{Name: "Jane Doe", Affiliation: "Example NOC"}}) {
		t.Errorf("got %+v", rt)
	}
	wantStartRFC3339(t, rt, "2024-05-20T09:30:00+02:00")
}

func TestIndicoDetect(t *testing.T) {
	for _, name := range []string{"event-contributions.json", "timetable.json"} {
		data, err := os.ReadFile(indicoFixture(name))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Detect(data); got != FormatIndico {
			t.Errorf("%s: Detect = %q, %v", name, got, err)
		}
	}
	// Without the envelope's _type, a list of events with contributions.
	if got, _ := Detect([]byte(`{"count":1,"results":[{"id":"1","title":"T","startDate":{"date":"2024-01-01"},"contributions":[]}]}`)); got != FormatIndico {
		t.Errorf("bare results: Detect = %q", got)
	}
}

func TestIndicoEdition(t *testing.T) {
	tests := []struct{ title, series, event string }{
		{"UKNOF53", "UKNOF", "UKNOF53"},
		{"UKNOF53 - Example City", "UKNOF", "UKNOF53"},
		{"RIPE 88", "RIPE", "RIPE 88"},
		{"NANOG 91: Kansas City", "NANOG", "NANOG 91"},
		{"Network Operators Summit 2024", "Network Operators Summit", "Network Operators Summit 2024"},
	}
	for _, tt := range tests {
		if s, e := indicoEdition(tt.title, 2024); s != tt.series || e != tt.event {
			t.Errorf("indicoEdition(%q) = %q, %q; want %q, %q", tt.title, s, e, tt.series, tt.event)
		}
	}
}

func TestIndicoRereadIsIdentical(t *testing.T) {
	for _, in := range []struct {
		name string
		opts Options
	}{{"event-contributions.json", Options{}}, {"timetable.json", Options{Event: "UKNOF53"}}} {
		first, _, err := readWithOptions(t, indicoFixture(in.name), in.opts)
		if err != nil {
			t.Fatal(err)
		}
		second, _, err := readWithOptions(t, indicoFixture(in.name), in.opts)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(second)
		if len(first) == 0 || string(a) != string(b) {
			t.Errorf("%s: the second read differs from the first", in.name)
		}
	}
}
