package formats

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func canonical(title string) string {
	return fmt.Sprintf(`{"series":"DENOG","event":"DENOG9","year":2017,"title":%q,"speakers":[{"name":"Arnold Nipper","affiliation":"DE-CIX"}],"tags":["peering"],"links":[{"kind":"slides","url":"https://example.org/%s.pdf"}],"source":{"name":"denog"}}`, title, strings.ReplaceAll(title, " ", "-"))
}

// The canonical reader takes the shapes exports come in; all must give the
// same talks.
func TestReadCanonicalShapes(t *testing.T) {
	a, b := canonical("Peering DB Update"), canonical("RPKI Today")
	tests := []struct {
		name  string
		input string
	}{
		{"lines", a + "\n" + b + "\n"},
		{"lines with CRLF, blank lines and no final newline", "\r\n" + a + "\r\n\r\n" + b},
		{"array", "[" + a + ",\n" + b + "]\n"},
		{"pretty array", "[\n  " + strings.ReplaceAll(a, ",", ",\n    ") + ",\n  " + b + "\n]\n"},
		{"concatenated pretty records", strings.ReplaceAll(a, ",", ",\n  ") + "\n" + strings.ReplaceAll(b, ",", ",\n  ")},
		{"gzip lines", gzipped(t, a+"\n"+b+"\n")},
		{"gzip array", gzipped(t, "["+a+","+b+"]")},
	}
	for _, tt := range tests {
		for _, format := range []string{FormatAuto, FormatJSONL} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				talks, skips, err := readAll(t, tt.input, Options{Format: format, Name: "in"})
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if len(skips) > 0 {
					t.Fatalf("skips: %v", skips)
				}
				if got, want := titles(talks), []string{"Peering DB Update", "RPKI Today"}; !slices.Equal(got, want) {
					t.Fatalf("titles = %q, want %q", got, want)
				}
				tk := talks[0]
				if tk.Series != "DENOG" || tk.Event != "DENOG9" || tk.Year != 2017 {
					t.Errorf("series/event/year = %q/%q/%d", tk.Series, tk.Event, tk.Year)
				}
				if len(tk.Speakers) != 1 || tk.Speakers[0] != (catalog.Speaker{Name: "Arnold Nipper", Affiliation: "DE-CIX"}) {
					t.Errorf("speakers = %+v", tk.Speakers)
				}
				if want := "title:denog9|peering db update"; tk.Source.Key != want {
					t.Errorf("source key = %q, want %q (catalog.SourceKey)", tk.Source.Key, want)
				}
			})
		}
	}
}

// Unusable records are skipped one by one, naming the line and the problem;
// the good lines around them still import.
func TestReadCanonicalSkips(t *testing.T) {
	input := strings.Join([]string{
		canonical("First"),
		`{"series":"DENOG","event":"DENOG9","title":"Cut off`,
		`{"series":"DENOG","event":"DENOG9","title":""}`,
		`{"series":"DENOG","event":"","title":"No Event"}`,
		`{"series":"DENOG","event":"DENOG9","title":"Too Good","rating":9}`,
		`{"series":"DENOG","event":"DENOG9","title":"Typed","year":"2017"}`,
		`{"series":"DENOG","event":"DENOG9","title":"Bad Start","start":"yesterday"}`,
		`[1,2]`,
		`not json at all`,
		canonical("Last"),
	}, "\n")
	talks, skips, err := readAll(t, input, Options{Name: "talks.jsonl"})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	// "Too Good" imports without its impossible rating (a warning, below).
	if got := titles(talks); !slices.Equal(got, []string{"First", "Too Good", "Last"}) {
		t.Errorf("imported %q, want First, Too Good and Last", got)
	}
	want := []catalog.Skip{
		{Ref: "talks.jsonl:2", Reason: "line 2: bad JSON: unexpected end of JSON input"},
		{Ref: "talks.jsonl:3", Reason: "line 3: talk has no title"},
		{Ref: "talks.jsonl:4", Reason: `line 4: talk "No Event" has no event`},
		{Ref: "talks.jsonl:5", Reason: `line 5: rating 9 left out: ratings are 1 to 5 stars`, Warning: true},
		{Ref: "talks.jsonl:6", Reason: "line 6: not a talk record: field year is a JSON string, want a number"},
		{Ref: "talks.jsonl:7", Reason: `line 7: not a talk record: time "yesterday" is not in RFC 3339 form`},
		{Ref: "talks.jsonl:8", Reason: "line 8: not a talk record: the record is a JSON array, want an object"},
		{Ref: "talks.jsonl:9", Reason: "line 9: bad JSON: invalid character 'o' in literal null (expecting 'u')"},
	}
	if len(skips) != len(want) {
		t.Fatalf("skips = %d %+v, want %d", len(skips), skips, len(want))
	}
	for i, w := range want {
		if skips[i].Ref != w.Ref || !strings.HasPrefix(skips[i].Reason, w.Reason) || skips[i].Warning != w.Warning {
			t.Errorf("skip %d = %+v, want %+v", i, skips[i], w)
		}
	}
}

// Export ids belong to another catalog: they must not leak into an import.
func TestReadCanonicalDropsIDs(t *testing.T) {
	talks, _, err := readAll(t, `{"id":42,"event_id":7,"series":"S","event":"E","title":"T","source":{"name":"x","key":"x:1"}}`, Options{})
	if err != nil || len(talks) != 1 {
		t.Fatalf("Read: %v, %d talks", err, len(talks))
	}
	if talks[0].ID != 0 || talks[0].EventID != 0 {
		t.Errorf("id/event_id = %d/%d, want 0/0", talks[0].ID, talks[0].EventID)
	}
	if talks[0].Source.Key != "x:1" {
		t.Errorf("source key = %q, want the record's own x:1", talks[0].Source.Key)
	}
}

// A syntax error inside an array leaves nowhere to resume: what came before
// is kept and the rest is one skip.
func TestReadCanonicalBrokenArray(t *testing.T) {
	input := "[" + canonical("One") + ",\n" + canonical("Two") + ",\n{\"series\": oops}, " + canonical("Three") + "]"
	talks, skips, err := readAll(t, input, Options{Name: "export.json"})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got := titles(talks); !slices.Equal(got, []string{"One", "Two"}) {
		t.Errorf("imported %q, want One and Two", got)
	}
	if len(skips) != 1 || skips[0].Ref != "export.json[3]" || !strings.Contains(skips[0].Reason, "record 3: bad JSON") || !strings.Contains(skips[0].Reason, "rest of the input was not read") {
		t.Errorf("skips = %+v", skips)
	}
}

func TestReadEmitErrorAborts(t *testing.T) {
	stop := errors.New("disk full")
	n := 0
	_, err := Read(context.Background(), strings.NewReader(canonical("A")+"\n"+canonical("B")+"\n"+canonical("C")+"\n"), Options{}, func(*catalog.Talk) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the emit error", err)
	}
	if n != 2 {
		t.Errorf("emit called %d times after failing, want it to stop at 2", n)
	}
}

func TestReadHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	_, err := Read(ctx, strings.NewReader(canonical("A")+"\n"), Options{}, func(*catalog.Talk) error { n++; return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n != 0 {
		t.Errorf("%d talks emitted after cancel", n)
	}
}

// Lines far longer than bufio's buffer must still be read whole.
func TestReadLongLines(t *testing.T) {
	long := strings.Repeat("x", 3*readBufferSize)
	line := fmt.Sprintf(`{"series":"S","event":"E","title":"Long","abstract":%q}`, long)
	talks, skips, err := readAll(t, line+"\n"+canonical("After")+"\n", Options{})
	if err != nil || len(skips) > 0 {
		t.Fatalf("Read: %v %v", err, skips)
	}
	if len(talks) != 2 || talks[0].Abstract != long || talks[1].Title != "After" {
		t.Fatalf("got %d talks; first abstract %d bytes", len(talks), len(talks[0].Abstract))
	}
}

// A runaway line is skipped without holding it all in memory, and reading
// goes on after it.
func TestReadTooLongLine(t *testing.T) {
	huge := `{"series":"S","event":"E","title":"Huge","abstract":"` + strings.Repeat("x", maxRecordBytes) + `"}`
	talks, skips, err := readAll(t, canonical("Before")+"\n"+huge+"\n"+canonical("After")+"\n", Options{Name: "big.jsonl"})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got := titles(talks); !slices.Equal(got, []string{"Before", "After"}) {
		t.Errorf("imported %q, want Before and After", got)
	}
	if len(skips) != 1 || skips[0].Ref != "big.jsonl:2" || !strings.Contains(skips[0].Reason, "longer than 32 MiB") {
		t.Errorf("skips = %+v", skips)
	}
}

// TestBadPersonalFieldCostsOnlyThatField: a record with an impossible rating
// or an over-long note still imports its talk, without that field, and the
// defect is reported as a warning.
func TestBadPersonalFieldCostsOnlyThatField(t *testing.T) {
	note := strings.Repeat("n", catalog.MaxNoteBytes+1)
	input := `{"series":"S","event":"E","title":"Rated nine","rating":9,"note":"keep me","source":{"key":"k1"}}` + "\n" +
		`{"series":"S","event":"E","title":"Long note","rating":4,"note":"` + note + `","source":{"key":"k2"}}` + "\n"
	var talks []*catalog.Talk
	skips, err := Read(context.Background(), strings.NewReader(input), Options{Name: "edited.jsonl"}, func(tk *catalog.Talk) error {
		talks = append(talks, tk)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(talks) != 2 {
		t.Fatalf("imported %d talks, want 2", len(talks))
	}
	if talks[0].Rating != 0 || talks[0].Note != "keep me" {
		t.Errorf("first talk: rating %d note %q", talks[0].Rating, talks[0].Note)
	}
	if talks[1].Rating != 4 || talks[1].Note != "" {
		t.Errorf("second talk: rating %d, note of %d bytes", talks[1].Rating, len(talks[1].Note))
	}
	if len(skips) != 2 || catalog.CountSkips(skips) != 0 ||
		!strings.Contains(skips[0].Reason, "rating 9 left out") || !strings.Contains(skips[1].Reason, "left out: the limit is") {
		t.Errorf("warnings: %+v", skips)
	}
}
