package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/bench"
	"github.com/talkdex/talkdex/internal/catalog"
)

// Catalog choices of `talkdex relevance`.
const (
	relevanceDemo    = bench.CatalogDemo
	relevancePyvideo = bench.CatalogPyvideo
	relevanceBoth    = "both"
)

func (c *cli) relevanceCommand() *cobra.Command {
	var (
		which     string
		pyvideo   string
		suiteFile string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "relevance [--catalog demo|pyvideo|both] [--pyvideo FILE] [--suite FILE] [--json]",
		Short: "Score search on the relevance suite, beside SQLite FTS5",
		Long: `Build the demo catalog and/or pyvideo's catalog in a temporary directory,
run the relevance suite's queries through talkdex's search and through
SQLite FTS5 (bm25) on the same talks, and print success@1, success@3 and
MRR per kind of query, then the queries that missed the top 3. --suite
scores another set of queries in the same format (JSONL, one query a line;
internal/bench/testdata/holdout*.jsonl are four written apart from the suite).

The pyvideo catalog is pyvideo.org's talks.jsonl.gz (with events.jsonl
beside it), given with --pyvideo. Low scores are reported, not failed: the
exit code is non-zero only when something broke.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			names, err := relevanceCatalogs(which, pyvideo, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			suite, err := bench.Suite()
			if suiteFile != "" {
				suite, err = readSuite(suiteFile)
			}
			if err != nil {
				return err
			}
			tmp, err := os.MkdirTemp("", "talkdex-relevance-*")
			if err != nil {
				return fmt.Errorf("create relevance work dir: %w", err)
			}
			defer os.RemoveAll(tmp)
			var reports []*bench.RelevanceReport
			for _, name := range names {
				src := bench.DemoSource()
				if name == relevancePyvideo {
					src = bench.PyvideoSource(pyvideo)
				}
				rep, err := runRelevance(cmd, tmp, name, src, bench.ForCatalog(suite, name))
				if err != nil {
					return err
				}
				reports = append(reports, rep)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, reports)
			}
			for i, rep := range reports {
				if i > 0 {
					fmt.Fprintln(out)
				}
				if err := bench.PrintRelevance(out, rep); err != nil {
					return err
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&which, "catalog", relevanceBoth, "demo, pyvideo or both")
	f.StringVar(&pyvideo, "pyvideo", "", "pyvideo's talks.jsonl.gz (needed for --catalog pyvideo)")
	f.BoolVar(&asJSON, "json", false, "print the reports as JSON")
	f.StringVar(&suiteFile, "suite", "", "score the queries of this JSONL file instead of the built-in suite")
	return cmd
}

// relevanceCatalogs resolves --catalog. "both" without a pyvideo file runs
// the demo catalog alone and says so.
func relevanceCatalogs(which, pyvideo string, stderr io.Writer) ([]string, error) {
	switch which {
	case relevanceDemo:
		return []string{relevanceDemo}, nil
	case relevancePyvideo:
		if pyvideo == "" {
			return nil, usagef("--catalog pyvideo needs --pyvideo FILE (pyvideo's talks.jsonl.gz)")
		}
		return []string{relevancePyvideo}, nil
	case relevanceBoth:
		if pyvideo == "" {
			fmt.Fprintln(stderr, "talkdex: no --pyvideo FILE given; scoring the demo catalog only")
			return []string{relevanceDemo}, nil
		}
		return []string{relevanceDemo, relevancePyvideo}, nil
	default:
		return nil, usagef("unknown --catalog %q; use demo, pyvideo or both", which)
	}
}

func runRelevance(cmd *cobra.Command, tmp, name string, src app.Source, queries []bench.Query) (*bench.RelevanceReport, error) {
	ctx := cmd.Context()
	dir, err := os.MkdirTemp(tmp, name+"-*")
	if err != nil {
		return nil, fmt.Errorf("create %s catalog dir: %w", name, err)
	}
	b, err := bench.Build(ctx, dir, src)
	if err != nil {
		return nil, fmt.Errorf("build the %s catalog: %w", name, err)
	}
	defer b.Close()
	return bench.RunRelevance(ctx, b, name, queries)
}

func (c *cli) benchCommand() *cobra.Command {
	var (
		sizes    []int
		queries  int
		pyvideo  string
		clients  int
		duration time.Duration
		binary   string
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "bench [--sizes 20000,100000,200000] [--queries 1000] [--pyvideo FILE] [--json]",
		Short: "Benchmark import, search, HTTP, memory and cold start, beside SQLite FTS5",
		Long: `For each size N, build a catalog of N talks in a temporary directory by
replicating pyvideo's catalog with variations (--pyvideo FILE; synthetic
talks without it), then measure: import throughput through the real
importer, the index's size on disk, search p50/p99 over a mixed query set
(terms, phrases, typos, prefixes, filters; facets and highlights included),
/api/v1/talks requests per second over loopback, memory, and the cold start
of 'talkdex serve'. The same searches run on SQLite FTS5 (bm25) over the
same talks, and the ratios are printed (talkdex / FTS5: below 1 is faster).
With --pyvideo the relevance suite's success@3 is reported too.

Timings depend on the machine and what else it runs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(sizes) == 0 {
				return usagef("--sizes needs at least one catalog size")
			}
			for _, n := range sizes {
				if n < 1 {
					return usagef("--sizes: %d is not a positive number of talks", n)
				}
			}
			if queries < 1 || clients < 1 || duration <= 0 {
				return usagef("--queries and --clients must be at least 1 and --duration positive")
			}
			if binary == "" {
				exe, err := os.Executable()
				if err != nil {
					return fmt.Errorf("find the talkdex binary for the cold start: %w", err)
				}
				binary = exe
			}
			tmp, err := os.MkdirTemp("", "talkdex-bench-*")
			if err != nil {
				return fmt.Errorf("create bench work dir: %w", err)
			}
			defer os.RemoveAll(tmp)
			cfg := bench.Config{
				Sizes: sizes, Queries: queries, Fixture: pyvideo, Binary: binary, WorkDir: tmp,
				Clients: clients, LoadDuration: duration,
			}
			if pyvideo != "" {
				suite, err := bench.Suite()
				if err != nil {
					return err
				}
				cfg.Suite = bench.ForCatalog(suite, bench.CatalogPyvideo)
			}
			if c.stderrIsTerminal() {
				stderr := cmd.ErrOrStderr()
				cfg.Progress = func(format string, args ...any) {
					fmt.Fprintf(stderr, "bench: "+format+"\n", args...)
				}
			}
			rep, err := bench.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), rep)
			}
			return bench.PrintBench(cmd.OutOrStdout(), rep)
		},
	}
	f := cmd.Flags()
	f.IntSliceVar(&sizes, "sizes", []int{20000, 100000, 200000}, "catalog sizes in talks, comma-separated")
	f.IntVar(&queries, "queries", 1000, "mixed searches timed per size")
	f.StringVar(&pyvideo, "pyvideo", "", "pyvideo's talks.jsonl.gz to replicate (synthetic talks without it)")
	f.IntVar(&clients, "clients", 4, "concurrent HTTP clients in the load test")
	f.DurationVar(&duration, "duration", 5*time.Second, "how long the HTTP load test runs")
	f.StringVar(&binary, "binary", "", "talkdex binary to time the cold start of (default: this one)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// readSuite reads a relevance suite in the embedded suite's format.
func readSuite(path string) ([]bench.Query, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, catalog.Errorf(catalog.ENOTFOUND, "%s does not exist", path)
		}
		return nil, fmt.Errorf("read suite: %w", err)
	}
	defer f.Close()
	return bench.ParseSuite(f)
}
