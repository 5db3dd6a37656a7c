package demo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the offset checks must not depend on the host's zoneinfo

	"github.com/talkdex/talkdex/internal/catalog"
)

// demoTalk is one decoded line with its raw bytes, for error messages and
// the round-trip check.
type demoTalk struct {
	line int
	raw  []byte
	talk catalog.Talk
}

// loadDemo decodes every line of the embedded catalog strictly, normalises
// and validates it.
func loadDemo(t *testing.T) []demoTalk {
	t.Helper()
	var out []demoTalk
	sc := bufio.NewScanner(Catalog())
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		raw := append([]byte(nil), sc.Bytes()...)
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var talk catalog.Talk
		if err := dec.Decode(&talk); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if talk.Source.Key == "" {
			t.Errorf("line %d (%q): no source.key in the file; re-imports need a stable key", n, talk.Title)
		}
		talk.Normalize()
		if err := talk.Validate(); err != nil {
			t.Errorf("line %d: %v", n, err)
		}
		out = append(out, demoTalk{line: n, raw: raw, talk: talk})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the demo catalog: %v", err)
	}
	return out
}

func TestCatalogRecordsAreCanonical(t *testing.T) {
	talks := loadDemo(t)
	if len(talks) < 300 {
		t.Fatalf("demo catalog has %d talks; want at least 300", len(talks))
	}
	for _, d := range talks {
		// Already normalised and written exactly as catalog.Talk marshals.
		got, err := json.Marshal(d.talk)
		if err != nil {
			t.Fatalf("line %d: %v", d.line, err)
		}
		if !bytes.Equal(got, d.raw) {
			t.Errorf("line %d is not canonical:\n file: %s\n want: %s", d.line, d.raw, got)
		}
		if d.talk.ID != 0 || d.talk.EventID != 0 {
			t.Errorf("line %d (%q) carries an id; ids belong to the store", d.line, d.talk.Title)
		}
		if d.talk.Rating != 0 || d.talk.Note != "" || d.talk.Watched {
			t.Errorf("line %d (%q) carries personal data", d.line, d.talk.Title)
		}
	}
}

func TestCatalogHasFactsOnly(t *testing.T) {
	for _, d := range loadDemo(t) {
		if d.talk.Abstract != "" {
			t.Errorf("line %d (%q) has an abstract; the demo holds facts only", d.line, d.talk.Title)
		}
		switch d.talk.Language {
		case "", "en", "de":
		default:
			t.Errorf("line %d (%q) has language %q", d.line, d.talk.Title, d.talk.Language)
		}
		if d.talk.DurationMinutes < 0 {
			t.Errorf("line %d (%q) has duration %d", d.line, d.talk.Title, d.talk.DurationMinutes)
		}
		for _, tag := range d.talk.Tags {
			if tag != strings.ToLower(tag) {
				t.Errorf("line %d (%q) has tag %q; tags are lower case", d.line, d.talk.Title, tag)
			}
		}
	}
}

func TestCatalogSourceKeysAreUnique(t *testing.T) {
	seen := map[string]int{}
	for _, d := range loadDemo(t) {
		if first, ok := seen[d.talk.Source.Key]; ok {
			t.Errorf("line %d repeats source key %q of line %d", d.line, d.talk.Source.Key, first)
		}
		seen[d.talk.Source.Key] = d.line
	}
}

func TestCatalogLinksAreHTTP(t *testing.T) {
	for _, d := range loadDemo(t) {
		for _, l := range d.talk.Links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Errorf("line %d (%q): link %q is not an http(s) URL", d.line, d.talk.Title, l.URL)
			}
			switch l.Kind {
			case catalog.LinkVideo, catalog.LinkSlides, catalog.LinkPage, catalog.LinkOther:
			default:
				t.Errorf("line %d (%q): link kind %q", d.line, d.talk.Title, l.Kind)
			}
		}
		if d.talk.Source.URL != "" {
			if u, err := url.Parse(d.talk.Source.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				t.Errorf("line %d (%q): source URL %q is not http(s)", d.line, d.talk.Title, d.talk.Source.URL)
			}
		}
	}
}

func TestCatalogHasSeries(t *testing.T) {
	count := map[string]int{}
	for _, d := range loadDemo(t) {
		count[d.talk.Series]++
	}
	for _, series := range []string{"Networking @Scale", "AusNOG", "AWS re:Invent", "ESNOG", "DENOG", "NZNOG"} {
		if count[series] == 0 {
			t.Errorf("series %q has no talks", series)
		}
	}
}

// The talks of the table in /work/shared/examples/README.md, which the note
// importer's examples refer to by series and event.
func TestCatalogHasExampleTalks(t *testing.T) {
	byKey := map[[3]string]catalog.Talk{}
	for _, d := range loadDemo(t) {
		byKey[[3]string{d.talk.Series, d.talk.Event, d.talk.Title}] = d.talk
	}
	tests := []struct {
		series, event, title string
		year                 int
	}{
		{"Networking @Scale", "Networking @Scale 2023", "Meta's Network Journey to Enable AI", 2023},
		{"Networking @Scale", "Networking @Scale 2023", "Scaling RoCE Networks for AI Training", 2023},
		{"Networking @Scale", "Networking @Scale 2023", "Traffic Engineering for AI Training Networks", 2023},
		{"Networking @Scale", "Networking @Scale 2023", "Networking for GenAI Training and Inference Clusters", 2023},
		{"Networking @Scale", "Networking @Scale 2023", "Network Observability for AI/HPC Training Workflows", 2023},
		{"AusNOG", "AusNOG 2023", "Vendor Support API (RMA automation through a vendor TAC API)", 2023},
		{"AusNOG", "AusNOG 2023", "No Packet Behind", 2023},
		{"AWS re:Invent", "AWS re:Invent 2023", "Intent-driven network infrastructure", 2023},
		{"ESNOG", "ESNOG (GORE)", "EVPN and proxy-ARP/ND at an IXP (BUM traffic)", 0},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			talk, ok := byKey[[3]string{tt.series, tt.event, tt.title}]
			if !ok {
				t.Fatalf("no talk %q in %s / %s", tt.title, tt.series, tt.event)
			}
			if talk.Year != tt.year {
				t.Errorf("year %d, want %d", talk.Year, tt.year)
			}
			if len(talk.Speakers) != 0 {
				t.Errorf("speakers %v; the source names only organisations", talk.Speakers)
			}
		})
	}
}

func TestCatalogStartsCarryLocalOffset(t *testing.T) {
	// Each series with start times met in one time zone.
	seriesZones := map[string]string{
		"DENOG":  "Europe/Berlin",
		"NZNOG":  "Pacific/Auckland",
		"FOSDEM": "Europe/Brussels",
	}
	zones := map[string]*time.Location{}
	for series, name := range seriesZones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones[series] = loc
	}
	started := 0
	for _, d := range loadDemo(t) {
		if d.talk.Start.IsZero() {
			continue
		}
		started++
		loc, ok := zones[d.talk.Series]
		if !ok {
			t.Errorf("line %d (%q): series %q has a start but no known zone", d.line, d.talk.Title, d.talk.Series)
			continue
		}
		_, got := d.talk.Start.Zone()
		_, want := d.talk.Start.In(loc).Zone()
		if got != want {
			t.Errorf("line %d (%q): start %s has offset %+d s; %s had %+d s then",
				d.line, d.talk.Title, d.talk.Start.Format(time.RFC3339), got, loc, want)
		}
		if d.talk.Year != d.talk.Start.Year() {
			t.Errorf("line %d (%q): year %d but start %s", d.line, d.talk.Title, d.talk.Year, d.talk.Start.Format(time.RFC3339))
		}
	}
	if started == 0 {
		t.Fatal("no talk has a start time")
	}
}

// Spot checks against the agendas, including both sides of a DST change.
func TestCatalogKnownStarts(t *testing.T) {
	byTitle := map[[2]string]catalog.Talk{}
	for _, d := range loadDemo(t) {
		byTitle[[2]string{d.talk.Event, d.talk.Title}] = d.talk
	}
	tests := []struct {
		event, title, start string
		minutes             int
	}{
		{"DENOG9", "Peering DB Update", "2017-11-23T13:15:00+01:00", 30},
		{"DENOG3", "RPKI - Authentication for the Border Gateway Protocol", "2011-10-20T16:15:00+02:00", 45},
		{"DENOG1", "Inside SFP", "2009-11-05T15:40:00+01:00", 10},
		{"DENOG12", "Flexible Algorithms", "2020-11-09T13:30:00+01:00", 0},
		{"NZNOG 2019", "DNS Flag Day", "2019-02-01T09:30:00+13:00", 0},
		{"FOSDEM 2025", "Building Peer-to-Peer QUIC", "2025-02-02T09:25:00+01:00", 20},
	}
	for _, tt := range tests {
		t.Run(tt.event+"/"+tt.title, func(t *testing.T) {
			talk, ok := byTitle[[2]string{tt.event, tt.title}]
			if !ok {
				t.Fatalf("no talk %q in %s", tt.title, tt.event)
			}
			if got := talk.Start.Format(time.RFC3339); got != tt.start {
				t.Errorf("start %s, want %s", got, tt.start)
			}
			if talk.DurationMinutes != tt.minutes {
				t.Errorf("duration %d min, want %d", talk.DurationMinutes, tt.minutes)
			}
		})
	}
}

func TestCatalogFacetsHaveData(t *testing.T) {
	tags := map[string]bool{}
	speakers := map[string]bool{}
	years := map[int]bool{}
	withVideo, withSlides := 0, 0
	for _, d := range loadDemo(t) {
		for _, tag := range d.talk.Tags {
			tags[tag] = true
		}
		for _, s := range d.talk.Speakers {
			speakers[s.Name] = true
		}
		years[d.talk.Year] = true
		if d.talk.HasLink(catalog.LinkVideo) {
			withVideo++
		}
		if d.talk.HasLink(catalog.LinkSlides) {
			withSlides++
		}
	}
	// Thresholds well below the current data: they catch a generator that
	// lost a whole field, not a talk more or less.
	if len(tags) < 20 {
		t.Errorf("%d distinct tags; want at least 20", len(tags))
	}
	if len(speakers) < 150 {
		t.Errorf("%d distinct speakers; want at least 150", len(speakers))
	}
	if len(years) < 10 {
		t.Errorf("%d distinct years; want at least 10", len(years))
	}
	if withVideo < 30 || withSlides < 100 {
		t.Errorf("%d talks with video, %d with slides; want at least 30 and 100", withVideo, withSlides)
	}
}

func TestCatalogReturnsFreshReaders(t *testing.T) {
	first, err := io.ReadAll(Catalog())
	if err != nil {
		t.Fatal(err)
	}
	second, err := io.ReadAll(Catalog())
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || !bytes.Equal(first, second) {
		t.Errorf("second read got %d bytes, first %d; each call must start at the beginning", len(second), len(first))
	}
}
