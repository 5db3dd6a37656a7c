package index

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/talkdex/talkdex/internal/catalog"
)

// TestSearchInPartsFindsWhatOneSearchFinds runs searches on one goroutine
// and in parts, and requires the same pages, totals, scores and facets:
// ranked by relevance and in every column order, with text and without.
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
		// Phrases in parts find their talks by word positions first.
		`"python python"`, `"rutas y enrutamiento"`, `"python for network automation"`, "python routers",
	}
	// Nothing to score: these list talks newest first by relevance too.
	noText := []string{"", "-python", "the -routing", "series:nanog", "rating:>=4 -bgp"}
	sorts := []string{catalog.SortRelevance, catalog.SortNewest, catalog.SortOldest, catalog.SortRating, catalog.SortAdded}
	for _, q := range append(queries, noText...) {
		for _, sort := range sorts {
			// A column order ends in the talk id, so nothing ties.
			strict := sort != catalog.SortRelevance || slices.Contains(noText, q)
			for _, page := range []int{1, 2, 7} {
				req := catalog.SearchRequest{Query: q, Sort: sort, Page: page, PerPage: 10}
				// Facets and pages are found afresh each time, not
				// read from the caches.
				ix.parts = 1
				ix.facets.invalidate()
				ix.browsing.invalidate()
				one := runSearch(t, ix, req)
				ix.parts = 3 // an odd split, so parts differ in size
				ix.facets.invalidate()
				ix.browsing.invalidate()
				parted := runSearch(t, ix, req)
				compareResults(t, fmt.Sprintf("%q by %s page %d", q, sort, page), one, parted, strict)
			}
		}
	}
}

// compareResults fails unless got found what want found: the same total,
// page, scores and facets; strict, in the same order, ties or not.
func compareResults(t *testing.T, what string, want, got *catalog.SearchResult, strict bool) {
	t.Helper()
	if want.Total != got.Total {
		t.Fatalf("%s: %d hits, want %d", what, got.Total, want.Total)
	}
	if len(want.Hits) != len(got.Hits) {
		t.Fatalf("%s: %d hits on the page, want %d", what, len(got.Hits), len(want.Hits))
	}
	for i := range want.Hits {
		// Talks that tie may trade places (the service orders ties by
		// date), and Bleve's sums may differ in the last bit with the
		// order it adds in.
		a, b := want.Hits[i], got.Hits[i]
		if !sameScore(a.Score, b.Score) || (a.ID != b.ID && (strict || !tied(want.Hits, a.Score))) {
			t.Fatalf("%s hit %d: talk %d (%v), want talk %d (%v)", what, i, b.ID, b.Score, a.ID, a.Score)
		}
	}
	if !reflect.DeepEqual(want.Facets, got.Facets) {
		t.Fatalf("%s: facets %v, want %v", what, got.Facets, want.Facets)
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

// TestPartsReadCombinedPostings checks that an exclusion searched in
// parts reads its words' postings as one list, as it does over the whole
// index, and that the combined list still yields only its part's talks.
func TestPartsReadCombinedPostings(t *testing.T) {
	ix, _ := openTemp(t)
	ctx := context.Background()
	if err := ix.Apply(ctx, sharedCorpus(), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	snap := snapshotOf(t, ix)
	var docs uint64
	for _, s := range snap.Segments() {
		docs += s.Segment().Count()
	}
	words := []string{"python", "rout", "network"}
	var leaves []query.Query
	for _, w := range words {
		for _, field := range []string{fieldTitle, fieldAbstract} {
			tq := query.NewTermQuery(w)
			tq.SetField(field)
			leaves = append(leaves, tq)
		}
	}
	excluded := exclusion{q: query.NewDisjunctionQuery(leaves)}
	whole := excludedDocs(t, ctx, ix, snap, excluded)
	if len(whole) == 0 {
		t.Fatal("the exclusion matches nothing: the test compares nothing")
	}
	var union []uint64
	for p := range uint64(3) {
		part := &partReader{IndexSnapshot: snap, lo: docs * p / 3, hi: docs * (p + 1) / 3}
		if p == 2 {
			part.hi = math.MaxUint64
		}
		s, err := excluded.Searcher(ctx, part, ix.bi.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, combined := s.(*searcher.TermSearcher); !combined {
			t.Errorf("part %d: the exclusion is searched by a %T, not one combined list", p, s)
		}
		s.Close()
		found := excludedDocs(t, ctx, ix, part, excluded)
		for _, d := range found {
			if d < part.lo || d >= part.hi {
				t.Fatalf("part %d (%d to %d) yields talk number %d", p, part.lo, part.hi, d)
			}
		}
		union = append(union, found...)
	}
	if !slices.Equal(union, whole) {
		t.Fatalf("the parts yield %d talks, the whole index %d", len(union), len(whole))
	}
}

// excludedDocs lists the document numbers e matches in r, in order.
func excludedDocs(t *testing.T, ctx context.Context, ix *Index, r bleveindex.IndexReader, e exclusion) []uint64 {
	t.Helper()
	s, err := e.Searcher(ctx, r, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var out []uint64
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if dm == nil {
			return out
		}
		out = append(out, dm.IndexInternalID.Value())
		sctx.DocumentMatchPool.Put(dm)
	}
}
