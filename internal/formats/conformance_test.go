package formats

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// schemaRegexp compiles schema patterns with Go's regexp. schema2.json's
// Duration pattern uses two look-aheads Go has no syntax for: "(?!$)" (not
// empty after P) and "(?=\d)" (a digit after T). Without them the pattern
// also matches "P" and "PT", which the wrapper refuses, so the whole is
// what the schema means.
func schemaRegexp(pattern string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(pattern); err == nil {
		return re, nil
	}
	if !strings.Contains(pattern, "(?!$)") && !strings.Contains(pattern, `(?=\d)`) {
		return nil, errors.New("unsupported pattern " + pattern)
	}
	re, err := regexp.Compile(strings.NewReplacer("(?!$)", "", `(?=\d)`, "").Replace(pattern))
	if err != nil {
		return nil, err
	}
	return lookaheadFree{re}, nil
}

type lookaheadFree struct{ *regexp.Regexp }

func (l lookaheadFree) MatchString(s string) bool {
	if s == "P" || regexp.MustCompile(`T$|T\D`).MatchString(s) {
		return false
	}
	return l.Regexp.MatchString(s)
}

// schemaFindings validates data against a real c3voc schema file and
// returns where it does not conform (the instance locations of the
// validator's leaf errors), or nil when it conforms.
func schemaFindings(t *testing.T, schemaPath string, data []byte) [][]string {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(schemaRegexp)
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile %s: %v", schemaPath, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	err = sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	var out [][]string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if _, ok := e.ErrorKind.(*kind.OneOf); ok {
			// A oneOf that failed: the branches' own errors say how
			// each alternative fails, not where the instance is wrong.
			out = append(out, e.InstanceLocation)
			return
		}
		if len(e.Causes) == 0 {
			out = append(out, e.InstanceLocation)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// c3vocOurFindings runs the reader's conformance checks over data.
func c3vocOurFindings(t *testing.T, data []byte) ([]conformanceFinding, bool) {
	t.Helper()
	doc, err := walkC3VOC(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	cr := newC3VOCReader(doc, &sink{name: "in", emit: func(*catalog.Talk) error { return nil }})
	if err := cr.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cr.findings, cr.v2
}

// findingUnit is what two verdicts are compared on: the exact location,
// except inside a v2 event. Those are a oneOf (Event or MetaEvent), which a
// validator reports at the event; we report where inside it.
func findingUnit(path []string) string {
	if len(path) >= 3 && path[0] == "schedule" && path[1] == "events" {
		path = path[:3]
	}
	return "/" + strings.Join(path, "/")
}

func findingUnits(paths [][]string) []string {
	var out []string
	for _, p := range paths {
		if u := findingUnit(p); !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// Our conformance checks agree with a JSON Schema validator running the
// real schemas: the same files conform, and the same places do not.
func TestC3VOCConformanceAgreesWithSchema(t *testing.T) {
	schemaDir := filepath.Dir(testfixture.Shared(t, "c3voc/schema.json"))
	files := []struct {
		path    string
		conform bool
	}{
		{filepath.Join(schemaDir, "frab-camp2019.json"), false},
		{filepath.Join(schemaDir, "pretalx-democon.json"), true},
		{filepath.Join(schemaDir, "..", "pretalx-democon", "schedule.json"), false},
		{filepath.Join("testdata", "c3voc", "v2.json"), true},
		{filepath.Join("testdata", "c3voc", "v1-nonconforming.json"), false},
		{filepath.Join("testdata", "c3voc", "v2-nonconforming.json"), false},
	}
	for _, f := range files {
		t.Run(filepath.Base(f.path), func(t *testing.T) {
			data, err := os.ReadFile(f.path)
			if err != nil {
				t.Fatal(err)
			}
			ours, v2 := c3vocOurFindings(t, data)
			schema := filepath.Join(schemaDir, "schema.json")
			if v2 {
				schema = filepath.Join(schemaDir, "schema2.json")
			}
			theirs := schemaFindings(t, schema, data)
			if (len(theirs) == 0) != f.conform {
				t.Fatalf("the validator says conform=%v (%d findings), the test expects %v", len(theirs) == 0, len(theirs), f.conform)
			}
			var ourPaths [][]string
			for _, o := range ours {
				ourPaths = append(ourPaths, o.path)
			}
			if got, want := findingUnits(ourPaths), findingUnits(theirs); !slices.Equal(got, want) {
				t.Errorf("we find problems at\n  %s\nthe validator at\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

func TestFormatProblem(t *testing.T) {
	tests := []struct {
		format, value string
		ok            bool
	}{
		{"date", "2019-08-21", true},
		{"date", "2019-02-30", false},
		{"date-time", "2019-08-21T11:00:00+02:00", true},
		{"date-time", "2019-08-21t11:00:00.5Z", true},
		{"date-time", "2019-08-21 11:00:00+02:00", false},
		{"date-time", "2019-08-21T11:00+02:00", false},
		{"date-time", "2019-08-21T24:00:00Z", false},
		{"uuid", "a0a0fcfe-b7fb-46e3-84b6-97a5406016b4", true},
		{"uuid", "A0A0FCFE-B7FB-46E3-84B6-97A5406016B4", true},
		{"uuid", "a0a0fcfe-b7fb-46e3-84b6-97a5406016b", false},
		{"uri", "https://example.org/x", true},
		{"uri", "/system/x.pdf", false},
		{"uri", "nymtech.net", false},
		{"iso-duration", "PT45M", true},
		{"iso-duration", "PT1H30M", true},
		{"iso-duration", "P1D", true},
		{"iso-duration", "P", false},
		{"iso-duration", "PT", false},
		{"iso-duration", "PTM", false},
		{"iso-duration", "00:45", false},
	}
	for _, tt := range tests {
		if got := newSchemaChecker().formatProblem(tt.format, tt.value) == ""; got != tt.ok {
			t.Errorf("%s %q: ok = %v, want %v", tt.format, tt.value, got, tt.ok)
		}
	}
}

func TestPointerText(t *testing.T) {
	tests := []struct {
		path           []string
		text, wildcard string
	}{
		{nil, "the document", ""},
		{[]string{"schedule", "conference", "days", "0", "rooms", "Curie", "4", "slug"}, "schedule.conference.days[0].rooms.Curie[4].slug", "schedule.conference.days[].rooms[][].slug"},
		{[]string{"schedule", "conference", "days", "2", "rooms", "Dark Red Room", "0"}, `schedule.conference.days[2].rooms["Dark Red Room"][0]`, "schedule.conference.days[].rooms[][]"},
		{[]string{"schedule", "events", "3", "room"}, "schedule.events[3].room", "schedule.events[].room"},
	}
	for _, tt := range tests {
		if got := schemaPointerText(tt.path); got != tt.text {
			t.Errorf("schemaPointerText(%q) = %q, want %q", tt.path, got, tt.text)
		}
		if got := schemaPatternText(schemaPointerPattern(tt.path)); got != tt.wildcard {
			t.Errorf("schemaPatternText(%q) = %q, want %q", tt.path, got, tt.wildcard)
		}
	}
}
