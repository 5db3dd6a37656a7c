package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/talkdex/talkdex/index"
	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/sqlite"
)

// Config says what `talkdex bench` measures.
type Config struct {
	Sizes   []int // catalog sizes in talks
	Queries int   // mixed searches timed per size
	// Fixture is pyvideo's talks.jsonl.gz; "" replicates synthetic talks.
	Fixture string
	// Binary is the talkdex executable spawned for the cold start; ""
	// skips the cold start.
	Binary string
	// WorkDir holds the catalogs, one directory per size, removed after
	// each size is measured.
	WorkDir string
	// Clients and LoadDuration shape the HTTP load test.
	Clients      int
	LoadDuration time.Duration
	// Suite is run on each pyvideo-based catalog (wanted talks always
	// included; replicas of a wanted talk count as it).
	Suite []Query
	// Progress, if not nil, hears what the bench is doing.
	Progress func(format string, args ...any)
}

// Report is the whole benchmark.
type Report struct {
	Source string       `json:"source"` // "pyvideo" or "synthetic"
	Sizes  []SizeReport `json:"sizes"`
}

// SizeReport is everything measured on one catalog size.
type SizeReport struct {
	Talks         int     `json:"talks"`
	ImportSeconds float64 `json:"import_seconds"`
	ImportPerSec  float64 `json:"import_talks_per_second"`
	// The floor is index.FloorIndex on the same talks: the least a Bleve
	// catalog with phrase search indexes, without SQLite. No import through
	// Bleve goes faster on the machine.
	FloorSeconds  float64 `json:"bleve_floor_seconds"`
	FloorPerSec   float64 `json:"bleve_floor_talks_per_second"`
	IndexBytes    int64   `json:"index_bytes"`
	DatabaseBytes int64   `json:"database_bytes"`
	FTS5Bytes     int64   `json:"fts5_bytes"`
	FTS5LoadSec   float64 `json:"fts5_load_seconds"`
	// Search is the mixed query set through app.Catalog.SearchTalks (with
	// facets, highlights and hits loaded from SQLite) and through FTS5
	// (with highlights and series/year/event counts).
	Search SearchComparison `json:"search"`
	HTTP   Throughput       `json:"http"`
	// Bench is this process's memory with the catalog open after the load
	// test: it also holds the FTS5 baseline and the source talks.
	Bench     Memory           `json:"bench_memory"`
	ColdStart *ColdStart       `json:"cold_start,omitempty"`
	Relevance *RelevanceReport `json:"relevance,omitempty"`
}

// SearchComparison times the same searches on both engines. Ratios are
// talkdex divided by FTS5: below 1 means talkdex is faster.
type SearchComparison struct {
	Talkdex  Latency       `json:"talkdex"`
	FTS5     Latency       `json:"fts5"`
	P50Ratio float64       `json:"p50_ratio"`
	P99Ratio float64       `json:"p99_ratio"`
	ByKind   []KindLatency `json:"by_kind"`
	// Empty counts searches that found nothing, per engine: a sanity
	// check that the engines searched at all.
	TalkdexEmpty int `json:"talkdex_empty"`
	FTS5Empty    int `json:"fts5_empty"`
}

// KindLatency is one kind of mixed query on both engines.
type KindLatency struct {
	Kind    string  `json:"kind"`
	Talkdex Latency `json:"talkdex"`
	FTS5    Latency `json:"fts5"`
}

// warmups are searches run before timing, so that the first figures do not
// include opening files and filling caches.
const warmups = 20

// Run builds a catalog of each size and measures it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	progress := cfg.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	rep := &Report{Source: CatalogPyvideo}
	// The source talks are read again for each size, and are garbage once
	// it is imported. Held while the searches were timed, pyvideo's 21k
	// talks gave every garbage collection their pointers to mark, and the
	// searches 0.2 ms more at p50 and 1-2 ms more at p99; a server holds
	// nothing of the kind.
	source := func() ([]*catalog.Talk, error) {
		if cfg.Fixture == "" {
			return Synthetic(20000, 1), nil
		}
		progress("reading %s", cfg.Fixture)
		return LoadTalks(ctx, PyvideoSource(cfg.Fixture))
	}
	if cfg.Fixture == "" {
		rep.Source = "synthetic"
		cfg.Suite = nil // its wanted talks are pyvideo's
	}
	var wanted []string
	for _, q := range cfg.Suite {
		wanted = append(wanted, q.Want)
	}
	for _, n := range cfg.Sizes {
		dir := filepath.Join(cfg.WorkDir, fmt.Sprintf("talks-%d", n))
		talks := func() (app.Source, error) {
			base, err := source()
			if err != nil {
				return nil, err
			}
			return Replicate(base, n, wanted), nil
		}
		sr, err := runSize(ctx, cfg, progress, dir, talks)
		if rmErr := os.RemoveAll(dir); err == nil && rmErr != nil {
			err = fmt.Errorf("remove bench catalog: %w", rmErr)
		}
		if err != nil {
			return nil, fmt.Errorf("bench at %d talks: %w", n, err)
		}
		rep.Sizes = append(rep.Sizes, *sr)
	}
	return rep, nil
}

// runSize imports the catalog of talks into dir and measures it. talks is
// called once per use, each time for the same talks, so that none are held
// in memory while searches are timed.
func runSize(ctx context.Context, cfg Config, progress func(string, ...any), dir string, talks func() (app.Source, error)) (*SizeReport, error) {
	progress("importing into %s", dir)
	src, err := talks()
	if err != nil {
		return nil, err
	}
	b, err := Build(ctx, dir, src)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	sr := &SizeReport{
		Talks:         b.Talks,
		ImportSeconds: b.Import.Seconds(),
		ImportPerSec:  float64(b.Talks) / b.Import.Seconds(),
		FTS5LoadSec:   b.FTS5Load.Seconds(),
	}
	if sr.IndexBytes, err = diskUsage(filepath.Join(dir, app.IndexDir)); err != nil {
		return nil, err
	}
	if sr.FTS5Bytes, err = databaseSize(filepath.Join(dir, fts5File)); err != nil {
		return nil, err
	}
	if sr.DatabaseBytes, err = databaseSize(filepath.Join(dir, app.DatabaseFile)); err != nil {
		return nil, err
	}

	sample, err := sampleTalks(ctx, b)
	if err != nil {
		return nil, err
	}
	queries := MixedQueries(sample, cfg.Queries+warmups, uint64(len(sample)))
	progress("timing %d searches on %d talks", len(queries), b.Talks)
	if sr.Search, err = compareSearch(ctx, b, queries); err != nil {
		return nil, err
	}
	if len(cfg.Suite) > 0 {
		progress("relevance suite")
		if sr.Relevance, err = RunRelevance(ctx, b, CatalogPyvideo, cfg.Suite); err != nil {
			return nil, err
		}
	}
	progress("HTTP load: %d clients for %s", cfg.Clients, cfg.LoadDuration)
	if sr.HTTP, err = loadServer(ctx, b.Catalog, queries, cfg.Clients, cfg.LoadDuration); err != nil {
		return nil, err
	}
	if sr.Bench, err = readMemory("self"); err != nil {
		return nil, err
	}
	// The spawned server needs the index lock this process holds.
	if err := b.Close(); err != nil {
		return nil, err
	}
	if cfg.Binary != "" {
		progress("cold start of %s serve", cfg.Binary)
		cs, err := measureColdStart(ctx, cfg.Binary, dir, queries[:min(len(queries), 200)])
		if err != nil {
			return nil, err
		}
		sr.ColdStart = &cs
	}
	// Last, as it leaves garbage behind and uses both cores.
	progress("Bleve floor: indexing the same talks' titles, abstracts and speakers alone")
	if src, err = talks(); err != nil {
		return nil, err
	}
	floor, err := timeFloor(ctx, filepath.Join(dir, "floor.bleve"), src)
	if err != nil {
		return nil, err
	}
	sr.FloorSeconds = floor.Seconds()
	sr.FloorPerSec = float64(sr.Talks) / floor.Seconds()
	return sr, nil
}

// timeFloor times index.FloorIndex on the talks of src, numbered in order
// as the import numbers new talks.
func timeFloor(ctx context.Context, path string, src app.Source) (time.Duration, error) {
	started := time.Now()
	err := index.FloorIndex(ctx, path, func(emit func(*catalog.Talk) error) error {
		var id int64
		_, err := src(ctx, func(t *catalog.Talk) error {
			id++
			numbered := *t // the source's talks are shared between replicas
			numbered.ID = id
			return emit(&numbered)
		})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("time the Bleve floor: %w", err)
	}
	return time.Since(started), nil
}

// sampleSize is how many stored talks the mixed queries are drawn from.
const sampleSize = 5000

// sampleTalks reads talks spread over the whole catalog, replicas
// included, so that queries hit what was imported.
func sampleTalks(ctx context.Context, b *Built) ([]*catalog.Talk, error) {
	every := max(1, b.Talks/sampleSize)
	var out []*catalog.Talk
	i := 0
	err := b.Catalog.Store().EachTalk(ctx, func(t *catalog.Talk) error {
		if i%every == 0 {
			out = append(out, t)
		}
		i++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sample talks for queries: %w", err)
	}
	return out, nil
}

// compareSearch runs the queries on talkdex, then the same queries on
// FTS5, each engine after its own warm-up, and summarises the timings
// overall and by kind. Each engine answers its queries back to back, as a
// server does: alternating the two, each query found the caches (the
// processor's, the page cache, the Go heap) filled by the other engine,
// which added a fifth to talkdex's median.
func compareSearch(ctx context.Context, b *Built, queries []MixedQuery) (SearchComparison, error) {
	var cmp SearchComparison
	warm := min(warmups, len(queries))
	// Each engine starts without the other's garbage to collect.
	runtime.GC()
	ours := make([]time.Duration, len(queries))
	for i, q := range queries {
		started := time.Now()
		res, err := b.Catalog.SearchTalks(ctx, q.request(catalog.DefaultPerPage))
		if err != nil {
			return cmp, fmt.Errorf("talkdex search %q: %w", q.Text, err)
		}
		ours[i] = time.Since(started)
		if i >= warm && res.Total == 0 {
			cmp.TalkdexEmpty++
		}
	}
	runtime.GC()
	theirs := make([]time.Duration, len(queries))
	for i, q := range queries {
		started := time.Now()
		fres, err := b.FTS5.Search(ctx, sqlite.FTS5Query{
			Text: q.Text, Series: q.Series, Year: q.Year, Limit: catalog.DefaultPerPage,
			Highlight: true, Facets: true,
		})
		if err != nil {
			return cmp, fmt.Errorf("FTS5 search %q: %w", q.Text, err)
		}
		theirs[i] = time.Since(started)
		if i >= warm && len(fres.Hits) == 0 {
			cmp.FTS5Empty++
		}
	}
	queries, ours, theirs = queries[warm:], ours[warm:], theirs[warm:]
	perKind := map[string][2][]time.Duration{}
	for i, q := range queries {
		k := perKind[q.Kind]
		k[0], k[1] = append(k[0], ours[i]), append(k[1], theirs[i])
		perKind[q.Kind] = k
	}
	cmp.Talkdex, cmp.FTS5 = summarize(ours), summarize(theirs)
	cmp.P50Ratio = ratio(cmp.Talkdex.P50MS, cmp.FTS5.P50MS)
	cmp.P99Ratio = ratio(cmp.Talkdex.P99MS, cmp.FTS5.P99MS)
	for _, kind := range MixKinds() {
		if k, ok := perKind[kind]; ok {
			cmp.ByKind = append(cmp.ByKind, KindLatency{Kind: kind, Talkdex: summarize(k[0]), FTS5: summarize(k[1])})
		}
	}
	return cmp, nil
}
