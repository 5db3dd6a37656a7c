package formats

import (
	"net/url"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestEditionNames(t *testing.T) {
	tests := []struct {
		title, acronym string
		year           int
		series, event  string
	}{
		{"FOSDEM 2025", "fosdem-2025", 2025, "FOSDEM", "FOSDEM 2025"},
		{"FOSDEM 2007", "", 2007, "FOSDEM", "FOSDEM 2007"},
		{"31st Chaos Communication Congress", "31c3", 2014, "Chaos Communication Congress", "31C3"},
		{"31st Chaos Communication Congress", "", 2014, "Chaos Communication Congress", "31C3"},
		{"37C3: Unlocked", "", 2023, "Chaos Communication Congress", "37C3"},
		{"Some title", "36C3", 2019, "Chaos Communication Congress", "36C3"},
		{"Chaos Communication Camp 2019", "Camp2019", 2019, "Chaos Communication Camp", "Camp 2019"},
		{"", "camp2023", 2023, "Chaos Communication Camp", "Camp 2023"},
		{"DENOG15", "denog15", 2023, "DENOG", "DENOG15"},
		{"UKNOF53", "", 2024, "UKNOF", "UKNOF53"},
		{"RIPE 88", "", 2024, "RIPE", "RIPE 88"},
		{"GPN21", "gpn21", 2023, "GPN", "GPN21"},
		{"DemoCon", "democon", 2022, "DemoCon", "DemoCon 2022"},
		{"DemoCon", "democon", 0, "DemoCon", "DemoCon"},
		{"PyCon US 2019", "", 2019, "PyCon US", "PyCon US 2019"},
		{"rC3 remote Chaos Experience", "rc3", 2020, "rC3 remote Chaos Experience", "rC3 remote Chaos Experience"},
		{"", "fosdem-2024", 2024, "FOSDEM", "FOSDEM 2024"},
		{"  Spaced   Out  2020 ", "", 2020, "Spaced Out", "Spaced Out 2020"},
		{"", "", 2020, "", ""},
	}
	for _, tt := range tests {
		series, event := editionNames(tt.title, tt.acronym, tt.year)
		if series != tt.series || event != tt.event {
			t.Errorf("editionNames(%q, %q, %d) = %q, %q; want %q, %q", tt.title, tt.acronym, tt.year, series, event, tt.series, tt.event)
		}
	}
}

func TestSeriesZone(t *testing.T) {
	for series, want := range map[string]string{"FOSDEM": "Europe/Brussels", "Chaos Communication Congress": "Europe/Berlin", "DemoCon": ""} {
		if got := seriesZone(series); got != want {
			t.Errorf("seriesZone(%q) = %q, want %q", series, got, want)
		}
	}
	if scheduleZone("Europe/Brussels") == nil || scheduleZone("Mars/Olympus") != nil || scheduleZone("") != nil {
		t.Errorf("scheduleZone does not load known zones or refuse unknown ones")
	}
}

func TestScheduleText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain text.", "Plain text."},
		{"Markdown *stays*\n\n\n\nas it is  ", "Markdown *stays*\n\nas it is"},
		{"<p>One\ntwo</p><p>Three &amp; four</p>", "One two\n\nThree & four"},
		{"\n<p>Lead <a href=\"x\">link</a> tail.</p>\n ", "Lead link tail."},
		{"<ul><li>a</li><li>b <em>c</em></li></ul>", "- a\n- b c"},
		{"line<br>break<br/>again", "line\nbreak\nagain"},
		{"<pre>  code\n    indented</pre>after", "  code\n    indented\n\nafter"},
		{"a &lt; b", "a < b"},
		{"caf\u00e9\u00a0bar", "café bar"},
		{"if a < b and c > d", "if a < b and c > d"},
	}
	for _, tt := range tests {
		if got := scheduleText(tt.in); got != tt.want {
			t.Errorf("scheduleText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScheduleAbstract(t *testing.T) {
	tests := []struct{ subtitle, abstract, description, want string }{
		{"", "", "", ""},
		{"Sub", "Abs", "Desc", "Sub\n\nAbs\n\nDesc"},
		{"", "Same text", "Same text", "Same text"},
		{"", "", "<p>Only description</p>", "Only description"},
	}
	for _, tt := range tests {
		if got := scheduleAbstract(tt.subtitle, tt.abstract, tt.description); got != tt.want {
			t.Errorf("scheduleAbstract(%q, %q, %q) = %q, want %q", tt.subtitle, tt.abstract, tt.description, got, tt.want)
		}
	}
}

func TestScheduleLinkKind(t *testing.T) {
	tests := []struct {
		url  string
		ref  schedRef
		want string
	}{
		{"http://video.fosdem.org/2007/x.ogg", schedRef{title: "Video (Ogg/Theora)"}, catalog.LinkVideo},
		{"https://media.ccc.de/v/36c3-10000", schedRef{}, catalog.LinkVideo},
		{"https://www.youtube.com/watch?v=x", schedRef{}, catalog.LinkVideo},
		{"https://example.org/talk.webm", schedRef{}, catalog.LinkVideo},
		{"https://example.org/stream", schedRef{mime: "video/mp4"}, catalog.LinkVideo},
		{"https://example.org/x", schedRef{kind: "media"}, catalog.LinkVideo},
		{"https://example.org/x", schedRef{title: "Recording"}, catalog.LinkVideo},
		{"https://example.org/deck.pdf", schedRef{}, catalog.LinkSlides},
		{"https://example.org/deck", schedRef{title: "Slides (HTML)"}, catalog.LinkSlides},
		{"https://example.org/deck", schedRef{title: "Folien"}, catalog.LinkSlides},
		{"https://speakerdeck.com/x/y", schedRef{}, catalog.LinkSlides},
		{"https://example.org/logo.png", schedRef{kind: "slides", attachment: true}, catalog.LinkSlides},
		{"https://example.org/map.png", schedRef{attachment: true}, catalog.LinkOther},
		{"https://github.com/x/y", schedRef{title: "Repository"}, catalog.LinkPage},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		if got := scheduleLinkKind(u, tt.ref); got != tt.want {
			t.Errorf("scheduleLinkKind(%s, %+v) = %s, want %s", tt.url, tt.ref, got, tt.want)
		}
	}
}

func TestScheduleResolve(t *testing.T) {
	base, _ := url.Parse("https://fahrplan.example.org/camp/2019/Fahrplan/")
	c := &schedConf{base: base}
	tests := []struct {
		raw      string
		bareHost bool
		want     string
	}{
		{"https://example.org/a", true, "https://example.org/a"},
		{"/system/a.pdf?1", false, "https://fahrplan.example.org/system/a.pdf?1"},
		{"events/1.html", false, "https://fahrplan.example.org/camp/2019/Fahrplan/events/1.html"},
		{"nymtech.net", true, "http://nymtech.net"},
		{"www.example.org/path", true, "http://www.example.org/path"},
		{"nymtech.net", false, "https://fahrplan.example.org/camp/2019/Fahrplan/nymtech.net"},
		{"javascript:alert(1)", true, ""},
		{"mailto:a@example.org", true, ""},
		{"  ", true, ""},
	}
	for _, tt := range tests {
		got := ""
		if u := c.resolve(tt.raw, nil, tt.bareHost); u != nil {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("resolve(%q, bareHost=%v) = %q, want %q", tt.raw, tt.bareHost, got, tt.want)
		}
	}
	if u := (&schedConf{}).resolve("../../slides/x.pdf", nil, true); u != nil {
		t.Errorf("a relative link without a base resolved to %s", u)
	}
}

func TestScheduleDurationsAndClocks(t *testing.T) {
	minutes := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true},
		{"00:45", 45, true},
		{"1:30", 90, true},
		{"00:45:00", 45, true},
		{"10:00", 600, true},
		{"PT45M", 45, true},
		{"PT1H30M", 90, true},
		{"P1DT1H", 1500, true},
		{"PT90S", 2, true}, // 1.5 minutes rounds up
		{"45", 0, false},
		{"00:75", 0, false},
		{"P1M", 0, false}, // months have no fixed length
		{"PT", 0, false},
		{"ninety", 0, false},
	}
	for _, tt := range minutes {
		got, ok := scheduleMinutes(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("scheduleMinutes(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	clocks := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"09:00", 9 * time.Hour, true},
		{"04:00:00", 4 * time.Hour, true},
		{"23:59", 23*time.Hour + 59*time.Minute, true},
		{"9:5", 0, false},
		{"", 0, false},
		{"ab:cd", 0, false},
	}
	for _, tt := range clocks {
		got, ok := schedClock(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("schedClock(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// The schedule readers' language values go through languageFromName too.
func TestScheduleLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", " DE ": "de", "de-formal": "de", "pt_BR": "pt", "deu": "de", "English": "en",
		"Deutsch": "de", "": "", "klingon": "", "e": "", "12": "",
	} {
		if got := languageFromName(in); got != want {
			t.Errorf("languageFromName(%q) = %q, want %q", in, got, want)
		}
	}
}
