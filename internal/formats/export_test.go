package formats

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// sampleTalks covers every field of the talk record, personal data
// included, plus a bare minimum record.
func sampleTalks() []*catalog.Talk {
	cest := time.FixedZone("CEST", 2*3600)
	return []*catalog.Talk{
		{
			ID: 42, EventID: 7,
			Series: "DENOG", Event: "DENOG9", Year: 2017,
			Title: "Peering DB Update: *what* changed <2017> [draft]",
			Speakers: []catalog.Speaker{
				{Name: "Arnold Nipper", Affiliation: "PeeringDB"},
				{Name: "Jane Roe", Affiliation: ""},
			},
			Abstract:        "First paragraph.\n\nSecond, with \"quotes\" & <tags>.",
			Start:           time.Date(2017, 11, 23, 13, 15, 0, 0, cest),
			DurationMinutes: 30,
			Track:           "Main", Room: "Saal 1", Language: "de",
			Tags: []string{"peering", "ixp"},
			Links: []catalog.Link{
				{Kind: catalog.LinkVideo, URL: "https://video.example.org/denog9/peeringdb"},
				{Kind: catalog.LinkSlides, URL: "https://example.org/slides/peeringdb.pdf"},
				{Kind: catalog.LinkPage, URL: "https://example.org/agenda#peeringdb"},
			},
			Source:  catalog.Source{Name: "denog", URL: "https://www.denog.de/de/meetings/denog9/agenda", Key: "denog:9:peeringdb"},
			Rating:  4,
			Note:    "Worth it.\n\n- check the *new* API\n- ask about `netixlan`\n",
			Watched: true,
		},
		{
			ID: 43, EventID: 8,
			Series: "PyCon US", Event: "PyCon US 2019", Year: 2019,
			Title:    "API Evolution the Right Way",
			Speakers: []catalog.Speaker{{Name: "A. Jesse Jiryu Davis"}},
			Start:    time.Date(2019, 5, 3, 11, 30, 0, 500, time.UTC),
			Language: "en",
			Tags:     []string{},
			Links:    []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://speakerdeck.com/pycon2019/x"}},
			Source:   catalog.Source{Name: "pyvideo", Key: "pyvideo:pycon-us-2019/videos/x.json"},
			Rating:   1,
		},
		{Series: "NZNOG", Event: "NZNOG 2024", Title: "Lightning talks"},
	}
}

// normalized is what an import should give back for t: the record after
// Normalize, without the ids of the catalog it came from.
func normalized(t *catalog.Talk) catalog.Talk {
	c := *t
	c.Speakers = slices.Clone(t.Speakers)
	c.Tags = slices.Clone(t.Tags)
	c.Links = slices.Clone(t.Links)
	c.Normalize()
	c.ID, c.EventID = 0, 0
	return c
}

// sameTalk compares talks field by field; times compare as instants since
// a zone's name does not survive JSON.
func sameTalk(a, b catalog.Talk) bool {
	if !a.Start.Equal(b.Start) {
		return false
	}
	a.Start, b.Start = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func export(t *testing.T, format string, talks []*catalog.Talk) string {
	t.Helper()
	var buf bytes.Buffer
	ex, err := NewExporter(&buf, format)
	if err != nil {
		t.Fatalf("NewExporter(%q): %v", format, err)
	}
	for _, tk := range talks {
		if err := ex.Write(tk); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := ex.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.String()
}

// Export then import must give back every field, ratings, notes and
// watched included.
func TestExportImportRoundTrip(t *testing.T) {
	in := sampleTalks()
	for _, format := range []string{ExportJSONL, ExportJSON} {
		for _, readAs := range []string{FormatAuto, FormatJSONL} {
			t.Run(format+"/"+readAs, func(t *testing.T) {
				out := export(t, format, in)
				got, skips, err := readAll(t, out, Options{Format: readAs, Name: "export." + format})
				if err != nil || len(skips) > 0 {
					t.Fatalf("Read: %v, skips %v", err, skips)
				}
				if len(got) != len(in) {
					t.Fatalf("read %d talks, exported %d", len(got), len(in))
				}
				for i := range in {
					want := normalized(in[i])
					if !sameTalk(*got[i], want) {
						t.Errorf("talk %d differs after the round trip:\n got %+v\nwant %+v", i, *got[i], want)
					}
				}
			})
		}
	}
}

func TestExportEmptyCatalog(t *testing.T) {
	for _, format := range []string{ExportJSON, ExportJSONL} {
		out := export(t, format, nil)
		talks, skips, err := readAll(t, out, Options{})
		if err != nil || len(talks) != 0 || len(skips) != 0 {
			t.Errorf("%s: empty export %q read back as %d talks, %v, %v", format, out, len(talks), skips, err)
		}
	}
	if out := export(t, ExportJSON, nil); out != "[]\n" {
		t.Errorf("empty JSON export = %q, want []", out)
	}
}

func TestExportJSONIsOneIndentedArray(t *testing.T) {
	out := export(t, ExportJSON, sampleTalks())
	var records []map[string]any
	if err := json.Unmarshal([]byte(out), &records); err != nil {
		t.Fatalf("JSON export does not parse as an array: %v", err)
	}
	if len(records) != 3 || records[0]["title"] != sampleTalks()[0].Title {
		t.Fatalf("records = %d, first title %v", len(records), records[0]["title"])
	}
	if !strings.Contains(out, "\n  {\n    \"id\": 42,") {
		t.Errorf("JSON export is not indented per record:\n%s", out[:min(200, len(out))])
	}
	if strings.Contains(out, `\u003c`) {
		t.Errorf("JSON export escapes < as \\u003c; titles should stay readable")
	}
}

func TestExportJSONLOneRecordALine(t *testing.T) {
	out := export(t, ExportJSONL, sampleTalks())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("JSONL export has %d lines, want 3", len(lines))
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{"rating": 4.0, "note": sampleTalks()[0].Note, "watched": true, "start": "2017-11-23T13:15:00+02:00"} {
		if rec[key] != want {
			t.Errorf("%s = %#v, want %#v", key, rec[key], want)
		}
	}
}

func TestExportCSV(t *testing.T) {
	out := export(t, ExportCSV, sampleTalks())
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("CSV export does not parse: %v", err)
	}
	if len(rows) != 4 {
		t.Fatalf("rows = %d, want a header and 3 talks", len(rows))
	}
	header := rows[0]
	if !slices.Equal(header, csvHeader()) {
		t.Fatalf("header = %v", header)
	}
	cell := func(row int, column string) string {
		return rows[row][slices.Index(header, column)]
	}
	want := map[string]string{
		"id":               "42",
		"series":           "DENOG",
		"event":            "DENOG9",
		"year":             "2017",
		"title":            sampleTalks()[0].Title,
		"speakers":         "Arnold Nipper\nJane Roe",
		"affiliations":     "PeeringDB\n",
		"abstract":         sampleTalks()[0].Abstract,
		"start":            "2017-11-23T13:15:00+02:00",
		"duration_minutes": "30",
		"track":            "Main",
		"room":             "Saal 1",
		"language":         "de",
		"tags":             "peering\nixp",
		"links":            "video https://video.example.org/denog9/peeringdb\nslides https://example.org/slides/peeringdb.pdf\npage https://example.org/agenda#peeringdb",
		"source_name":      "denog",
		"source_url":       "https://www.denog.de/de/meetings/denog9/agenda",
		"source_key":       "denog:9:peeringdb",
		"rating":           "4",
		"note":             sampleTalks()[0].Note,
		"watched":          "true",
	}
	for column, w := range want {
		if got := cell(1, column); got != w {
			t.Errorf("row 1 %s = %q, want %q", column, got, w)
		}
	}
	// Zero values are empty cells; no affiliations means an empty cell.
	for column, w := range map[string]string{"affiliations": "", "duration_minutes": "", "start": "2019-05-03T11:30:00.0000005Z", "watched": "false", "rating": "1"} {
		if got := cell(2, column); got != w {
			t.Errorf("row 2 %s = %q, want %q", column, got, w)
		}
	}
	for column, w := range map[string]string{"id": "", "year": "", "rating": "", "speakers": "", "links": "", "start": ""} {
		if got := cell(3, column); got != w {
			t.Errorf("row 3 %s = %q, want %q", column, got, w)
		}
	}
}

func TestExportMarkdown(t *testing.T) {
	talks := sampleTalks()
	talks = append(talks,
		&catalog.Talk{Series: "DENOG", Event: "DENOG8", Year: 2016, Title: "Older talk", Links: []catalog.Link{{Kind: catalog.LinkPage, URL: "javascript:alert(1)"}}},
		&catalog.Talk{Series: "ChiPy", Event: "ChiPy", Year: 2012, Title: "Meetup talk", Source: catalog.Source{URL: "https://pyvideo.org/chipy/meetup-talk.html"}},
	)
	got := export(t, ExportMarkdown, talks)
	want := `# ChiPy

ChiPy (2012): 1 talk.

## [Meetup talk](https://pyvideo.org/chipy/meetup-talk.html)

---

# DENOG8

DENOG8 (DENOG, 2016): 1 talk.

## Older talk

---

# DENOG9

DENOG9 (DENOG, 2017): 1 talk.

## [Peering DB Update: \*what\* changed \<2017\> \[draft\]](https://video.example.org/denog9/peeringdb)

Arnold Nipper, Jane Roe · [slides](https://example.org/slides/peeringdb.pdf) · ★★★★☆ · watched

Worth it.

- check the *new* API
- ask about ` + "`netixlan`" + `

---

# NZNOG 2024

NZNOG 2024 (NZNOG): 1 talk.

## Lightning talks

---

# PyCon US 2019

PyCon US 2019 (PyCon US): 1 talk.

## [API Evolution the Right Way](https://speakerdeck.com/pycon2019/x)

A. Jesse Jiryu Davis · ★☆☆☆☆
`
	if got != want {
		t.Errorf("Markdown export:\n%s\n--- want ---\n%s", got, want)
	}
}

// The Markdown exporter keeps talks until Close; a caller reusing one Talk
// value for every Write must not see all entries turn into the last one.
func TestExportMarkdownCopiesTalks(t *testing.T) {
	var buf bytes.Buffer
	ex, err := NewExporter(&buf, ExportMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	reused := catalog.Talk{Series: "S", Event: "E", Speakers: []catalog.Speaker{{Name: "First Speaker"}}}
	for _, title := range []string{"Alpha", "Beta"} {
		reused.Title = title
		reused.Speakers[0].Name = title + " Speaker"
		if err := ex.Write(&reused); err != nil {
			t.Fatal(err)
		}
	}
	if err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Alpha\n\nAlpha Speaker", "## Beta\n\nBeta Speaker"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestNewExporterUnknownFormat(t *testing.T) {
	_, err := NewExporter(&bytes.Buffer{}, "xlsx")
	wantCode(t, err, catalog.EINVALID, `"xlsx"`, "csv", "md")
	if len(ExportFormats()) != 4 {
		t.Errorf("ExportFormats() = %v", ExportFormats())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestExportReportsWriteErrors(t *testing.T) {
	for _, format := range ExportFormats() {
		ex, err := NewExporter(failingWriter{}, format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, tk := range sampleTalks() {
			err = errors.Join(err, ex.Write(tk))
		}
		err = errors.Join(err, ex.Close())
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error = %v, want the writer's failure", format, err)
		}
	}
}

// Reading an export back through ReadFile also works with gzip, as backups
// are often compressed.
func TestReadFileGzipExport(t *testing.T) {
	path := t.TempDir() + "/talks.jsonl.gz"
	writeFile(t, path, gzipped(t, export(t, ExportJSONL, sampleTalks())))
	talks, skips := readFileAll(t, path, FormatAuto)
	if len(talks) != 3 || len(skips) != 0 {
		t.Fatalf("read %d talks, skips %v", len(talks), skips)
	}
	if _, err := ReadFile(context.Background(), t.TempDir()+"/missing.jsonl", Options{Format: FormatAuto}, func(*catalog.Talk) error { return nil }); catalog.ErrorCode(err) != catalog.ENOTFOUND {
		t.Errorf("missing file: %v, want ENOTFOUND", err)
	}
	if _, err := ReadFile(context.Background(), t.TempDir(), Options{Format: FormatAuto}, func(*catalog.Talk) error { return nil }); catalog.ErrorCode(err) != catalog.EINVALID {
		t.Errorf("directory: %v, want EINVALID", err)
	}
}

func TestExportCSVDefusesFormulas(t *testing.T) {
	talk := &catalog.Talk{Series: "S", Event: "E", Title: "=HYPERLINK(\"http://evil\")", Note: "@SUM(A1)", Tags: []string{"-x", "ok"}}
	talk.Normalize()
	var buf bytes.Buffer
	exp, err := NewExporter(&buf, ExportCSV)
	if err != nil {
		t.Fatal(err)
	}
	if err := exp.Write(talk); err != nil {
		t.Fatal(err)
	}
	if err := exp.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, row := rows[0], rows[1]
	for i, name := range header {
		switch name {
		case "title", "note", "tags":
			if !strings.HasPrefix(row[i], "'") {
				t.Errorf("%s cell %q would run as a formula", name, row[i])
			}
		case "series":
			if row[i] != "S" {
				t.Errorf("plain cell changed: %q", row[i])
			}
		}
	}
}
