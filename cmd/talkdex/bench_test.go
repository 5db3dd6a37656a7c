package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/bench"
)

// runVerb runs one of this file's commands in-process, the way root.go
// would once it registers them, and returns stdout, stderr and the error.
func runVerb(t *testing.T, newCmd func(*cli) *cobra.Command, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{io: &stdio{in: strings.NewReader(""), out: &out, err: &errb}, getenv: func(string) string { return "" }}
	cmd := newCmd(c)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func TestRelevanceCommandDemo(t *testing.T) {
	out, stderr, err := runVerb(t, (*cli).relevanceCommand, "--catalog", "demo", "--json")
	if err != nil {
		t.Fatalf("relevance: %v\n%s", err, stderr)
	}
	var reports []bench.RelevanceReport
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("relevance --json: %v\n%s", err, out)
	}
	suite, err := bench.Suite()
	if err != nil {
		t.Fatal(err)
	}
	want := len(bench.ForCatalog(suite, bench.CatalogDemo))
	if len(reports) != 1 || reports[0].Catalog != bench.CatalogDemo || reports[0].Overall.Talkdex.Queries != want {
		t.Fatalf("reports = %+v, want the demo catalog's %d queries", reports, want)
	}
	if reports[0].Talks == 0 {
		t.Errorf("the demo catalog was built empty")
	}

	table, _, err := runVerb(t, (*cli).relevanceCommand, "--catalog", "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"s@3", "MRR", "overall", "FTS5"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
}

func TestRelevanceCommandUsage(t *testing.T) {
	tests := [][]string{
		{"--catalog", "nanog"},
		{"--catalog", "pyvideo"}, // without --pyvideo FILE
	}
	for _, args := range tests {
		_, _, err := runVerb(t, (*cli).relevanceCommand, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("relevance %v: error %v, want a usage error", args, err)
		}
	}
}

func TestBenchCommandUsage(t *testing.T) {
	for _, args := range [][]string{{"--sizes", "0"}, {"--queries", "0"}, {"--sizes", "x"}} {
		if _, _, err := runVerb(t, (*cli).benchCommand, args...); err == nil {
			t.Errorf("bench %v succeeded", args)
		}
	}
}

// TestBenchCommandSmall runs the whole benchmark end to end on 2,000 talks,
// cold start of the real binary included, and checks every figure is there
// and sane (not fast: speed is for the benchmark itself).
func TestBenchCommandSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2,000-talk catalog")
	}
	out, stderr, err := runVerb(t, (*cli).benchCommand,
		"--sizes", "2000", "--queries", "50", "--duration", "500ms", "--clients", "2",
		"--binary", os.Getenv("TALKDEX_TEST_BIN"), "--json")
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr)
	}
	var rep bench.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	if len(rep.Sizes) != 1 {
		t.Fatalf("%d sizes in the report, want 1", len(rep.Sizes))
	}
	s := rep.Sizes[0]
	checks := []struct {
		what string
		ok   bool
	}{
		{"2000 talks", s.Talks == 2000},
		{"import rate", s.ImportPerSec > 0 && s.ImportSeconds > 0},
		{"Bleve floor", s.FloorPerSec > 0 && s.FloorSeconds > 0},
		{"index size", s.IndexBytes > 0},
		{"database and FTS5 sizes", s.DatabaseBytes > 0 && s.FTS5Bytes > 0},
		{"50 timed searches each", s.Search.Talkdex.Samples == 50 && s.Search.FTS5.Samples == 50},
		{"percentiles ordered", s.Search.Talkdex.P50MS > 0 && s.Search.Talkdex.P99MS >= s.Search.Talkdex.P50MS && s.Search.FTS5.P99MS >= s.Search.FTS5.P50MS},
		{"ratios", s.Search.P50Ratio > 0 && s.Search.P99Ratio > 0},
		{"talkdex finds things", s.Search.TalkdexEmpty < 50},
		{"FTS5 finds things", s.Search.FTS5Empty < 50},
		{"HTTP load answered", s.HTTP.Requests > 0 && s.HTTP.Errors == 0 && s.HTTP.RequestsPerSecond > 0},
		{"bench memory", s.Bench.RSS > 0 && s.Bench.Peak >= s.Bench.RSS},
		{"cold start measured", s.ColdStart != nil && s.ColdStart.MS > 0},
		{"server memory", s.ColdStart != nil && s.ColdStart.Server.RSS > 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not sane in %+v", c.what, s)
		}
	}
}
