package formats

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// A conference page: the conference Event lists its talks as subEvents;
// an Organization and a BreadcrumbList sit beside it.
func TestJSONLDConferencePage(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/jsonld/conference.html", Options{})
	if got := titles(talks); !reflect.DeepEqual(got, []string{"IXP Automation & You", "Route Servers Revisited"}) {
		t.Fatalf("titles = %q\n%s", got, dumpSkips(skips))
	}
	if len(skips) != 1 || !strings.Contains(skips[0].Reason, `"Peering Coordinators' Lunch Talk" is cancelled`) {
		t.Errorf("skips:\n%s", dumpSkips(skips))
	}
	ixp := talks[0]
	if ixp.Series != "PeerConf" || ixp.Event != "PeerConf 2024" || ixp.Year != 2024 {
		t.Errorf("naming: %q / %q / %d", ixp.Series, ixp.Event, ixp.Year)
	}
	checkStart(t, ixp, "2024-05-16T10:00:00+02:00")
	// The Organization among the performers is not a speaker.
	checkSpeakers(t, ixp, catalog.Speaker{Name: "Greta Lang", Affiliation: "Example IX"}, catalog.Speaker{Name: "Hugo Brandt", Affiliation: "Transit GmbH"})
	if ixp.DurationMinutes != 45 || ixp.Room != "Saal 1" || ixp.Language != "de" || ixp.Abstract != "Automating an exchange, one port at a time." ||
		!reflect.DeepEqual(ixp.Tags, []string{"IXP", "automation", "Python"}) {
		t.Errorf("IXP talk = %+v", ixp)
	}
	// The relative url resolves against the canonical link; the
	// recording and the slides come from recordedIn and subjectOf.
	wantLinks := []catalog.Link{
		{Kind: catalog.LinkPage, URL: "https://peerconf.example/2024/talks/ixp-automation/"},
		{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/embed/ixp2024"},
		{Kind: catalog.LinkSlides, URL: "https://peerconf.example/2024/slides/ixp-automation.pdf"},
	}
	if !reflect.DeepEqual(ixp.Links, wantLinks) {
		t.Errorf("links = %+v", ixp.Links)
	}
	if ixp.Source != (catalog.Source{Name: "jsonld", URL: wantLinks[0].URL, Key: "jsonld:https://peerconf.example/2024/talks/ixp-automation#event"}) {
		t.Errorf("source = %+v", ixp.Source)
	}

	rs := talks[1]
	checkStart(t, rs, "2024-05-16T11:00:00+02:00")
	checkSpeakers(t, rs, catalog.Speaker{Name: "Iris Meyer"}) // givenName + familyName
	// No @id: the page URL is the key; a venue with an address is not a
	// room, but a plain location string is.
	if rs.DurationMinutes != 30 || rs.Room != "Saal 2" || rs.Source.Key != "url:https://peerconf.example/2024/talks/route-servers" {
		t.Errorf("route servers talk = %+v", rs)
	}
}

// A video page: a VideoObject recorded at a conference that the page only
// names.
func TestJSONLDVideoPage(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/jsonld/video.html", Options{})
	if len(talks) != 1 || len(skips) != 0 {
		t.Fatalf("got %d talks, skips:\n%s", len(talks), dumpSkips(skips))
	}
	v := talks[0]
	want := &catalog.Talk{
		Series:          "DNS-OARC",
		Event:           "DNS-OARC 41",
		Year:            2023, // the event has no year: the upload's
		Title:           "Anycast DNS at the Edge",
		Speakers:        []catalog.Speaker{{Name: "Jonas Eriksson"}},
		Abstract:        "A tour of anycast DNS deployments.",
		DurationMinutes: 38,
		Tags:            []string{},
		Links: []catalog.Link{
			{Kind: catalog.LinkPage, URL: "https://video.example/watch/anycast-dns"},
			{Kind: catalog.LinkVideo, URL: "https://video.example/embed/anycast-dns"},
			{Kind: catalog.LinkVideo, URL: "https://video.example/media/anycast-dns.mp4"},
		},
		Source: catalog.Source{Name: "jsonld", URL: "https://video.example/watch/anycast-dns", Key: "jsonld:https://video.example/watch/anycast-dns"},
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got  %+v\nwant %+v", v, want)
	}
	if !v.Start.IsZero() {
		t.Errorf("a video's upload date is not the talk's start: %v", v.Start)
	}
}

// @graph with @id references: an EventSeries above an edition above the
// talk, the speaker and their employer as separate nodes, a recording
// named like the talk, and a broken script beside it.
func TestJSONLDGraph(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/jsonld/graph.html", Options{})
	if len(talks) != 1 {
		t.Fatalf("got %d talks: %q\n%s", len(talks), titles(talks), dumpSkips(skips))
	}
	tk := talks[0]
	if tk.Series != "RouteConf" || tk.Event != "RouteConf Autumn 2023" || tk.Title != "EVPN Without Tears" || tk.DurationMinutes != 30 {
		t.Errorf("talk = %+v", tk)
	}
	checkStart(t, tk, "2023-10-05T14:00:00-04:00")
	checkSpeakers(t, tk, catalog.Speaker{Name: "Kai Nakamura", Affiliation: "Backbone Ltd"})
	wantLinks := []catalog.Link{
		{Kind: catalog.LinkPage, URL: "https://routeconf.example/talks/evpn/"}, // <base href>
		{Kind: catalog.LinkVideo, URL: "https://cdn.routeconf.example/evpn.mp4"},
	}
	if !reflect.DeepEqual(tk.Links, wantLinks) {
		t.Errorf("links = %+v", tk.Links)
	}
	if len(skips) != 1 || skips[0].Ref != "graph.html:24" || !strings.Contains(skips[0].Reason, "the ld+json script is not valid JSON") {
		t.Errorf("skips:\n%s", dumpSkips(skips))
	}
}

func TestJSONLDNotATalkSource(t *testing.T) {
	_, _, err := readAll(t, mustRead(t, "testdata/jsonld/organization.html"), Options{Name: "about.html"})
	wantCode(t, err, catalog.EINVALID, "about.html", "Organization, BreadcrumbList", "no Event, EducationEvent or VideoObject")

	_, _, err = readAll(t, "<!DOCTYPE html><html><body><p>Hello</p></body></html>", Options{Name: "hello.html", Format: FormatHTML})
	wantCode(t, err, catalog.EINVALID, "hello.html", "no schema.org JSON-LD")
}

// An Event on its own names no conference: it needs --series/--event.
func TestJSONLDStandaloneEvent(t *testing.T) {
	talks, skips := readFileOpts(t, "testdata/jsonld/standalone.html", Options{})
	if len(talks) != 0 || len(skips) != 1 || !strings.Contains(skips[0].Reason, `"Lightning Talks" names no conference`) || !strings.Contains(skips[0].Reason, "pass --series and --event") {
		t.Fatalf("talks %d, skips:\n%s", len(talks), dumpSkips(skips))
	}
	talks, _ = readFileOpts(t, "testdata/jsonld/standalone.html", Options{Event: "UKNOF53"})
	if len(talks) != 1 || talks[0].Series != "UKNOF" || talks[0].Event != "UKNOF53" || talks[0].DurationMinutes != 60 {
		t.Fatalf("with --event: %+v", talks)
	}
	checkStart(t, talks[0], "2022-09-01T17:00:00+01:00")
}

// Read from a URL, the page's address resolves relative links.
func TestJSONLDRelativeURLs(t *testing.T) {
	page := `<html><head><script type="application/ld+json">
{"@type": "Event", "name": "Conf 2020", "subEvent": [
  {"@type": "Event", "name": "Talk", "url": "talk/1", "recordedIn": "/videos/1.mp4"},
  {"@type": "Event", "name": "Other", "url": "javascript:alert(1)"}
]}
</script></head></html>`
	talks, _, err := readAll(t, page, Options{Name: "https://conf.example/2020/"})
	if err != nil || len(talks) != 2 {
		t.Fatalf("talks %d, err %v", len(talks), err)
	}
	want := []catalog.Link{
		{Kind: catalog.LinkPage, URL: "https://conf.example/2020/talk/1"},
		{Kind: catalog.LinkVideo, URL: "https://conf.example/videos/1.mp4"},
	}
	if !reflect.DeepEqual(talks[0].Links, want) {
		t.Errorf("links = %+v", talks[0].Links)
	}
	if len(talks[1].Links) != 0 {
		t.Errorf("a javascript: URL became a link: %+v", talks[1].Links)
	}
	// Without the page's address a relative link cannot be used.
	talks, _, _ = readAll(t, page, Options{Name: "saved.html"})
	if len(talks[0].Links) != 0 {
		t.Errorf("relative links kept without a base: %+v", talks[0].Links)
	}
}

func TestJSONLDRereadIsIdentical(t *testing.T) {
	for _, name := range []string{"conference.html", "video.html", "graph.html"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "jsonld", name)
			a, as := readFileOpts(t, path, Options{})
			b, bs := readFileOpts(t, path, Options{})
			if len(a) == 0 {
				t.Fatal("no talks")
			}
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(as, bs) {
				t.Error("two reads differ")
			}
		})
	}
}

func TestJSONLDDetect(t *testing.T) {
	for _, name := range []string{"conference.html", "video.html", "graph.html", "organization.html", "standalone.html"} {
		if got, err := Detect([]byte(mustRead(t, filepath.Join("testdata", "jsonld", name)))); err != nil || got != FormatHTML {
			t.Errorf("Detect(%s) = %q, %v", name, got, err)
		}
	}
	// A pretty-printed ld+json script has lines starting with "{" that
	// JSON sniffing sees; the page is still HTML.
	page := "<html><head><script type=\"application/ld+json\">\n{\"series\": \"S\", \"event\": \"E\", \"title\": \"T\", \"@type\": \"Event\"}\n</script></head></html>"
	if got, err := Detect([]byte(page)); err != nil || got != FormatHTML {
		t.Errorf("Detect(page with a canonical-looking line) = %q, %v", got, err)
	}
	for _, input := range []string{
		"<!DOCTYPE html><html><body>no structured data</body></html>",
		`{"@type": "Event", "name": "bare JSON-LD is not a page"}`,
		"BEGIN:VCALENDAR\r\n",
	} {
		if got, _ := Detect([]byte(input)); got == FormatHTML {
			t.Errorf("Detect(%.30q) = html", input)
		}
	}
	if dir := fixturesDir(t); dir != "" {
		// Pages without JSON-LD are left to other readers.
		b, err := os.ReadFile(filepath.Join(dir, "pyconuk-2015", "talks", "analyzing-python-with-pylint.html"))
		if err != nil {
			t.Fatal(err)
		}
		if detectJSONLD(sniff(b)) {
			t.Error("a page without ld+json was claimed")
		}
	}
}

func TestLDTime(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		dateOnly bool
		ok       bool
	}{
		{"2024-05-16", "2024-05-16T00:00:00Z", true, true},
		{"2024-05-16T10:00:00+02:00", "2024-05-16T10:00:00+02:00", false, true},
		{"2024-05-16T10:00+02:00", "2024-05-16T10:00:00+02:00", false, true},
		{"2024-05-16T10:00:00Z", "2024-05-16T10:00:00Z", false, true},
		{"2024-05-16T10:00", "2024-05-16T10:00:00Z", false, true}, // no offset: wall clock marked UTC
		{"16 May 2024", "", false, false},
	}
	for _, tt := range tests {
		got, dateOnly, ok := ldTime(tt.in)
		if ok != tt.ok || (ok && (got.Format(time.RFC3339) != tt.want || dateOnly != tt.dateOnly)) {
			t.Errorf("ldTime(%q) = %v, %v, %v", tt.in, got, dateOnly, ok)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestJSONLDSharedURLKeepsTalksApart: sub-events without an @id that all
// point at the schedule page stay separate talks.
func TestJSONLDSharedURLKeepsTalksApart(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Event","name":"ShareCon 2024",
"subEvent":[{"@type":"Event","name":"First Shared","startDate":"2024-05-01T10:00:00+02:00","url":"https://share.example/schedule"},
{"@type":"Event","name":"Second Shared","startDate":"2024-05-01T11:00:00+02:00","url":"https://share.example/schedule"},
{"@type":"Event","name":"Own Page","startDate":"2024-05-01T12:00:00+02:00","url":"https://share.example/talks/own"}]}</script></head><body></body></html>`
	talks, skips, err := readAll(t, page, Options{Name: "share.html"})
	if err != nil || len(talks) != 3 || catalog.CountSkips(skips) != 0 {
		t.Fatalf("talks %d, skips %+v, err %v", len(talks), skips, err)
	}
	if talks[0].Source.Key == talks[1].Source.Key {
		t.Errorf("talks sharing a url share the key %q", talks[0].Source.Key)
	}
	if talks[2].Source.Key != "url:https://share.example/talks/own" {
		t.Errorf("a talk with its own page got key %q", talks[2].Source.Key)
	}
}
