package formats

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

const (
	canonicalLine = `{"series":"DENOG","event":"DENOG9","year":2017,"title":"Peering DB Update","speakers":[{"name":"Arnold Nipper","affiliation":""}],"tags":[],"links":[],"source":{"name":"denog"}}`
	pyvideoLine   = `{"_event":"pycon-zz-2031","_path":"pycon-zz-2031/videos/x.json","title":"X","speakers":["A"],"recorded":"2031-01-02","videos":[{"type":"youtube","url":"https://www.youtube.com/watch?v=x"}]}`
	pyvideoFile   = "{\n  \"description\": \"text\",\n  \"recorded\": \"2019-07-12\",\n  \"speakers\": [\n    \"A\"\n  ],\n  \"title\": \"X\",\n  \"videos\": []\n}\n"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"canonical line", canonicalLine + "\n" + canonicalLine + "\n", FormatJSONL},
		{"canonical array", "[\n  " + canonicalLine + "\n]", FormatJSONL},
		{"empty array is an empty export", " [ ] ", FormatJSONL},
		{"canonical pretty record", "{\n \"series\": \"S\",\n \"event\": \"E\",\n \"title\": \"T\"\n}", FormatJSONL},
		{"canonical with BOM", "\xef\xbb\xbf" + canonicalLine, FormatJSONL},
		{"canonical gzip", gzipped(t, canonicalLine+"\n"), FormatJSONL},
		{"pyvideo dump line", pyvideoLine + "\n", FormatPyvideo},
		{"pyvideo single talk file", pyvideoFile, FormatPyvideo},
		{"pyvideo array", "[" + pyvideoLine + "]", FormatPyvideo},
		{"pyvideo gzip", gzipped(t, pyvideoLine+"\n"+pyvideoLine+"\n"), FormatPyvideo},
		{"speakers as names only", `{"title":"T","speakers":["A","B"]}`, FormatPyvideo},
		{"bad first line, canonical after", "{oops\n" + canonicalLine + "\n", FormatJSONL},
		{"garbage first line, pyvideo after", "hello\n" + pyvideoLine + "\n", FormatPyvideo},
		// The head may end mid-record: the keys seen so far decide.
		{"truncated canonical head", canonicalLine[:80], FormatJSONL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect([]byte(tt.input))
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if got != tt.want {
				t.Errorf("Detect = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetectRejects(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		fragments []string
	}{
		{"empty", "", []string{"empty"}},
		{"blank", " \n\t\n", []string{"empty"}},
		{"not JSON", "BEGIN:VCARD\nVERSION:3.0\n", []string{"not JSON", "BEGIN:VCARD"}}, // a vCard: iCalendar's cousin, not a schedule
		{"binary", "\x00\x01\x02\xff\xfe", []string{"not JSON"}},
		{"JSON of another kind", `{"schedule":{"version":"1"},"conference":{}}`, []string{`"schedule"`, `"conference"`, "--format"}},
		{"JSON scalar", `"just a string"`, []string{"not JSON"}},
		{"array of numbers", `[1,2,3]`, []string{"no talk record"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect([]byte(tt.input))
			if got != "" {
				t.Errorf("Detect = %q, want no format", got)
			}
			wantCode(t, err, catalog.EINVALID, tt.fragments...)
		})
	}
}

// Read wraps detection errors with the input's name so that an import of
// many files says which one was wrong.
func TestReadNamesUndetectableInput(t *testing.T) {
	_, _, err := readAll(t, "Just some notes about talks.\n", Options{Name: "notes.txt"})
	wantCode(t, err, catalog.EINVALID, "notes.txt", "not JSON")

	_, _, err = readAll(t, "Just some notes.\n", Options{Name: "notes.txt", Format: FormatJSONL})
	wantCode(t, err, catalog.EINVALID, "notes.txt is not JSON")
}

func TestReadUnknownFormat(t *testing.T) {
	_, _, err := readAll(t, canonicalLine, Options{Format: "frob"})
	wantCode(t, err, catalog.EINVALID, `"frob"`, FormatJSONL, FormatPyvideo)
}

func TestReadCorruptGzip(t *testing.T) {
	var lines strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&lines, `{"series":"S","event":"E %d","title":"Talk %d","abstract":"%x"}`+"\n", i%7, i, i*7919)
	}
	z := gzipped(t, lines.String())
	truncated := z[:len(z)/2]
	talks, _, err := readAll(t, truncated, Options{Name: "cut.jsonl.gz"})
	wantCode(t, err, catalog.EINVALID, "cut.jsonl.gz")
	if len(talks) == 0 {
		t.Errorf("no talks before the damage were emitted")
	}
}

func TestNames(t *testing.T) {
	names := Names()
	for _, want := range []string{FormatJSONL, FormatPyvideo} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v, missing %q", names, want)
		}
	}
	if slices.Contains(names, FormatAuto) {
		t.Errorf("Names() = %v lists %q, which is not a format", names, FormatAuto)
	}
}

func TestDetectRealFiles(t *testing.T) {
	dir := testfixture.Shared(t, "pyvideo")
	for _, name := range []string{"talks.jsonl.gz", "europython-2019-alessandro-molina-python-standard-library-the-hidden-gems.json"} {
		b, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Detect(b[:min(len(b), headSize)])
		if err != nil || got != FormatPyvideo {
			t.Errorf("Detect(%s) = %q, %v; want pyvideo", name, got, err)
		}
	}
}

// TestDeepNestingIsCheap: 200,000 nested arrays in the detection head once
// took gigabytes and seconds through the JSON outline; reading must refuse
// such input promptly and without a blow-up. (No timing assertion: the
// test would hang or run out of memory if the bound were gone.)
func TestDeepNestingIsCheap(t *testing.T) {
	input := `{"schedule":` + strings.Repeat("[", 200000)
	for _, format := range []string{FormatAuto, FormatPretalx, FormatIndico} {
		talks := 0
		skips, err := Read(context.Background(), strings.NewReader(input), Options{Format: format, Name: "deep.json"}, func(*catalog.Talk) error {
			talks++
			return nil
		})
		if talks != 0 || (err == nil && catalog.CountSkips(skips) == 0) {
			t.Errorf("%s: deeply nested garbage gave %d talks and no error or skip", format, talks)
		}
	}
}
