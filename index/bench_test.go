package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// benchTalks is the size of the catalog the lead's targets are set for.
const benchTalks = 21570

// BenchmarkApply bulk-indexes the whole synthetic catalog into a new index
// through Apply, including Close (which waits for segments to be persisted).
func BenchmarkApply(b *testing.B) {
	talks := newTalkGen().talks(benchTalks)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ix, err := Open(filepath.Join(b.TempDir(), fmt.Sprintf("apply-%d.bleve", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.Apply(ctx, talks, nil); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchTalks)*float64(b.N)/b.Elapsed().Seconds(), "talks/s")
}

// BenchmarkRebuild is BenchmarkApply through Rebuild, the `reindex` path:
// build next to the live index, swap, reopen.
func BenchmarkRebuild(b *testing.B) {
	talks := newTalkGen().talks(benchTalks)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ix, err := Open(filepath.Join(b.TempDir(), fmt.Sprintf("rebuild-%d.bleve", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := ix.Rebuild(ctx, feedOf(talks)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n, err := ix.DocCount(); err != nil || n != benchTalks {
			b.Fatalf("DocCount = %d, %v", n, err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(benchTalks)*float64(b.N)/b.Elapsed().Seconds(), "talks/s")
}

// benchRequests is a mix of what the UI and API send: words common and rare,
// phrases, prefixes, exclusions, filters, every sort, deeper pages, and the
// empty query that opens the search page (the heaviest: facets over all).
func benchRequests() []catalog.SearchRequest {
	return []catalog.SearchRequest{
		{},
		{Query: "network"},
		{Query: "routing security"},
		{Query: `"route server"`},
		{Query: "speaker:huston"},
		{Query: "title:bgp"},
		{Query: "bgp -ospf"},
		{Query: "series:nanog automation"},
		{Query: "year:2019 peering"},
		{Query: "telemetry", Sort: catalog.SortNewest},
		{Query: "dns", Filter: catalog.TalkFilter{Series: []string{"RIPE", "NANOG"}}},
		{Filter: catalog.TalkFilter{Year: []int{2019}}, Sort: catalog.SortNewest},
		{Filter: catalog.TalkFilter{MinRating: 3}, Sort: catalog.SortRating},
		{Query: "cloud", Filter: catalog.TalkFilter{Has: []string{catalog.LinkVideo}, Watched: ptr(false)}},
		{Query: "ipv6", Page: 3},
		{Sort: catalog.SortOldest, Page: 10},
		{Query: "note:capacity"},
		{Query: "qzxwv"}, // no hits: also computes "did you mean"
		// Typo tolerance, completion of the last word, synonyms, OR, ranges.
		{Query: "telemtry monitoring"},
		{Query: "kubernetis"},
		{Query: "route serv"},
		{Query: "ne"},
		{Query: "bgp "},
		{Query: "border gateway protocol security"},
		{Query: "dns OR dnssec year:2015..2020"},
		{Query: "rating:>=4 peering"},
	}
}

// BenchmarkSearch runs the mixed requests, with facets and highlights, over
// the full synthetic catalog and reports latency percentiles. "uncached"
// empties the facet cache before every search, so facets are counted every
// time (a first visit, or the first search after a write); "cached" is the
// steady state of a catalog that is searched more often than written.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	ix, _ := openTemp(b)
	if err := ix.Apply(ctx, newTalkGen().talks(benchTalks), nil); err != nil {
		b.Fatal(err)
	}
	reqs := benchRequests()
	for i := range reqs {
		if err := reqs[i].Normalize(); err != nil {
			b.Fatal(err)
		}
	}
	// Warm up: first searches page segments in.
	for _, req := range reqs {
		if _, err := ix.Search(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
	for _, mode := range []string{"uncached", "cached"} {
		b.Run(mode, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				if mode == "uncached" {
					ix.invalidateCaches()
				}
				started := time.Now()
				if _, err := ix.Search(ctx, reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
				durations = append(durations, time.Since(started))
			}
			b.StopTimer()
			slices.Sort(durations)
			pct := func(p float64) float64 {
				return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}

// BenchmarkSearchEach reports each request of the mix on its own, facets
// uncached, to see which kind of query dominates the tail.
func BenchmarkSearchEach(b *testing.B) {
	ctx := context.Background()
	ix, _ := openTemp(b)
	if err := ix.Apply(ctx, newTalkGen().talks(benchTalks), nil); err != nil {
		b.Fatal(err)
	}
	for _, req := range benchRequests() {
		if err := req.Normalize(); err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("q=%q/sort=%s/page=%d", req.Query, req.Sort, req.Page)
		b.Run(name, func(b *testing.B) {
			var hits int
			for i := 0; i < b.N; i++ {
				ix.invalidateCaches()
				res, err := ix.Search(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				hits = res.Total
			}
			b.ReportMetric(float64(hits), "total")
		})
	}
}
