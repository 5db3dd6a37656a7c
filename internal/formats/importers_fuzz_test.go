package formats

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// One fuzz target per reader. FuzzRead (fuzz_test.go) sends every input
// through all readers at once, which spreads its mutations thin; these
// targets start from one format's own fixtures, so the mutator works inside
// that format's grammar and reaches deeper into its reader. They also read
// with the conference named (--series/--event, --tz), which is the path
// Sessionize and pretalx widget inputs need before they emit anything.

// fuzzReaderSeeds lists each reader's seed files under testdata/ (globs).
func fuzzReaderSeeds() map[string][]string {
	return map[string][]string{
		FormatJSONL:      {}, // the canonical record has no fixture file here; see fuzzReaderInline
		FormatPyvideo:    {"testdata/pyvideo/talks.jsonl"},
		FormatFrab:       {"testdata/frab/*.xml"},
		FormatC3VOC:      {"testdata/c3voc/*.json"},
		FormatPretalx:    {"testdata/pretalx/*.json"},
		FormatIndico:     {"testdata/indico/*.json"},
		FormatICS:        {"testdata/ics/*.ics"},
		FormatSessionize: {"testdata/sessionize/*.json"},
		FormatHTML:       {"testdata/jsonld/*.html"},
	}
}

// fuzzReaderInline adds small hand-written seeds where the fixtures leave a
// shape out.
func fuzzReaderInline() map[string][]string {
	return map[string][]string{
		FormatJSONL:   {canonicalLine + "\n", "[" + canonicalLine + "," + canonicalLine + "]", canonicalLine, "{oops\n" + canonicalLine},
		FormatPyvideo: {pyvideoFile, pyvideoLine + "\n" + pyvideoLine},
		FormatICS:     {"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20200101\r\nSUMMARY:T\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
		FormatHTML:    {`<script type="application/ld+json">{"@type":"VideoObject","name":"T","uploadDate":"2020-01-01"}</script>`},
	}
}

func fuzzReader(f *testing.F, format string) {
	globs, ok := fuzzReaderSeeds()[format]
	if !ok {
		f.Fatalf("no seeds for format %q", format)
	}
	for _, glob := range globs {
		files, err := filepath.Glob(filepath.FromSlash(glob))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatalf("read seed %s: %v", file, err)
			}
			f.Add(data, false)
			f.Add(data, true)
		}
	}
	for _, seed := range fuzzReaderInline()[format] {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Add([]byte(""), false)
	f.Add([]byte(gzipped(f, "\xef\xbb\xbf{")), true)

	f.Fuzz(func(t *testing.T, data []byte, named bool) {
		opts := Options{Format: format, Name: "fuzz"}
		if named {
			opts.Series, opts.Event, opts.TimeZone = "Fuzz Con", "Fuzz Con 2024", "Europe/Berlin"
		}
		emitted := 0
		skips, err := Read(context.Background(), bytes.NewReader(data), opts, func(tk *catalog.Talk) error {
			emitted++
			checkEmitted(t, format, tk, opts)
			return nil
		})
		if err != nil {
			if code := catalog.ErrorCode(err); code != catalog.EINVALID {
				t.Fatalf("%s: error %v has code %q, want %q", format, err, code, catalog.EINVALID)
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatalf("%s: an error without a message", format)
			}
		}
		// A record that is not emitted is skipped with a reason the
		// import report can show, and a ref that says which record it was.
		for _, s := range skips {
			if strings.TrimSpace(s.Reason) == "" || strings.TrimSpace(s.Ref) == "" {
				t.Errorf("%s: skip without a ref or a reason: %+v", format, s)
			}
		}
	})
}

// checkEmitted asserts what Read promises about each talk it hands on.
func checkEmitted(t *testing.T, format string, tk *catalog.Talk, opts Options) {
	t.Helper()
	if err := tk.Validate(); err != nil {
		t.Errorf("%s: emitted %q, which does not validate: %v", format, tk.Title, err)
	}
	if tk.Speakers == nil || tk.Tags == nil || tk.Links == nil || tk.Source.Key == "" {
		t.Errorf("%s: emitted a talk that was not normalised: %+v", format, tk)
	}
	if opts.Series != "" && (tk.Series != opts.Series || tk.Event != opts.Event) {
		t.Errorf("%s: --series/--event ignored: %q / %q", format, tk.Series, tk.Event)
	}
}

func FuzzReadJSONL(f *testing.F)      { fuzzReader(f, FormatJSONL) }
func FuzzReadPyvideo(f *testing.F)    { fuzzReader(f, FormatPyvideo) }
func FuzzReadFrab(f *testing.F)       { fuzzReader(f, FormatFrab) }
func FuzzReadC3VOC(f *testing.F)      { fuzzReader(f, FormatC3VOC) }
func FuzzReadPretalx(f *testing.F)    { fuzzReader(f, FormatPretalx) }
func FuzzReadIndico(f *testing.F)     { fuzzReader(f, FormatIndico) }
func FuzzReadICS(f *testing.F)        { fuzzReader(f, FormatICS) }
func FuzzReadSessionize(f *testing.F) { fuzzReader(f, FormatSessionize) }
func FuzzReadHTML(f *testing.F)       { fuzzReader(f, FormatHTML) }

// TestFuzzReadersCoverEveryFormat keeps the targets above in step with the
// registry: a new reader without seeds (and so without a target) fails here.
func TestFuzzReadersCoverEveryFormat(t *testing.T) {
	seeds := fuzzReaderSeeds()
	for _, name := range Names() {
		if _, ok := seeds[name]; !ok {
			t.Errorf("format %q has no fuzz target", name)
		}
	}
}
