package index

import (
	"context"
	"reflect"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestSearchInPartsFindsWhatOneSearchFinds runs searches on one goroutine
// and in parts, and requires the same pages, totals, scores and facets.
func TestSearchInPartsFindsWhatOneSearchFinds(t *testing.T) {
	ix, _ := openTemp(t)
	if err := ix.Apply(context.Background(), sharedCorpus(), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	// Merged first, so that no merge between two searches moves scores
	// (Bleve's BM25 reads field lengths off the segments).
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	queries := []string{
		"python", "pyth", "rout -python", `"route servers"`, "network automation", "bgp OR ospf",
		"speaker:huston", "congestoin", "zzzzqx", "python year:2024", "dns series:nanog",
	}
	for _, q := range queries {
		for _, page := range []int{1, 2, 7} {
			req := catalog.SearchRequest{Query: q, Page: page, PerPage: 10}
			// Facets are counted afresh each time, not read from the cache.
			ix.parts = 1
			ix.facets.invalidate()
			one := runSearch(t, ix, req)
			ix.parts = 3 // an odd split, so parts differ in size
			ix.facets.invalidate()
			parted := runSearch(t, ix, req)
			if one.Total != parted.Total {
				t.Fatalf("%q page %d: %d hits in parts, %d in one search", q, page, parted.Total, one.Total)
			}
			if len(one.Hits) != len(parted.Hits) {
				t.Fatalf("%q page %d: %d hits on the page in parts, %d in one search", q, page, len(parted.Hits), len(one.Hits))
			}
			for i := range one.Hits {
				// Talks that tie may trade places (the service orders
				// ties by date), and Bleve's sums may differ in the last
				// bit with the order it adds in.
				a, b := one.Hits[i], parted.Hits[i]
				if !sameScore(a.Score, b.Score) || (a.ID != b.ID && !tied(one.Hits, a.Score)) {
					t.Fatalf("%q page %d hit %d: talk %d (%v) in parts, talk %d (%v) in one search", q, page, i, b.ID, b.Score, a.ID, a.Score)
				}
			}
			if !reflect.DeepEqual(one.Facets, parted.Facets) {
				t.Fatalf("%q page %d: facets in parts %v, in one search %v", q, page, parted.Facets, one.Facets)
			}
		}
	}
}

// tied reports whether more than one hit of hits scores score.
func tied(hits []catalog.SearchHit, score float64) bool {
	n := 0
	for _, h := range hits {
		if sameScore(h.Score, score) {
			n++
		}
	}
	return n > 1
}
