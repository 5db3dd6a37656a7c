package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// openWarmShared indexes sharedCorpus in one segment and waits until its
// columns are read, as a running server's are.
func openWarmShared(t *testing.T) *Index {
	t.Helper()
	ix, _ := openTemp(t)
	ctx := context.Background()
	if err := ix.Apply(ctx, sharedCorpus(), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	waitUntil(t, "Warmed", ix.Warmed)
	return ix
}

// keptAnswer runs q's compiled form through complement, as run would, and
// reports whether it answered from all talks kept.
func keptAnswer(t *testing.T, ix *Index, q, sort string, page, perPage int) bool {
	t.Helper()
	clauses, err := parseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: &dictionary{ctx: context.Background(), r: r}}
	top, hasText := comp.compile(clauses)
	excluded, ok := fromAllTalks(shareLeaves(top, comp.keys))
	if hasText || !ok {
		t.Fatalf("%q is not a search of all talks but excluded ones", q)
	}
	found, err := ix.complement(context.Background(), excluded, columnOrder(sort, false), (page-1)*perPage, perPage, true)
	if err != nil {
		t.Fatalf("complement of %q: %v", q, err)
	}
	return found != nil
}

// TestComplementFindsWhatTheWholeSearchFinds: a search that only excludes
// words, answered from all talks less the excluded ones, finds the same
// page, total, scores and facets as walking every talk, in every order;
// a page beyond the talks kept is searched whole. So do a search of stop
// words alone and the empty search, answered from all talks.
func TestComplementFindsWhatTheWholeSearchFinds(t *testing.T) {
	ix := openWarmShared(t)
	queries := []string{"-python", "the -routing", "-python -rout", "-zzzzqx", "-network -bgp -dns", "the", ""}
	sorts := []string{catalog.SortRelevance, catalog.SortNewest, catalog.SortOldest, catalog.SortRating, catalog.SortAdded}
	for _, parts := range []int{1, 3} {
		ix.parts = parts
		ix.everything.invalidate()
		for _, q := range queries {
			for _, sort := range sorts {
				for _, page := range []int{1, 2, 7, 150} {
					compareComplement(t, ix, catalog.SearchRequest{Query: q, Sort: sort, Page: page, PerPage: 10})
				}
			}
		}
	}
}

// compareComplement runs req answered from all talks kept and walking
// every talk, and fails unless both find the same.
func compareComplement(t *testing.T, ix *Index, req catalog.SearchRequest) {
	t.Helper()
	what := fmt.Sprintf("%q by %s page %d in %d parts", req.Query, req.Sort, req.Page, ix.parts)
	kept := keptAnswer(t, ix, req.Query, req.Sort, req.Page, req.PerPage)
	if want := req.Page*req.PerPage <= allRanked/2; kept != want {
		t.Fatalf("%s: answered from all talks kept: %v, want %v", what, kept, want)
	}
	ix.wholeSearches = true
	ix.facets.invalidate()
	ix.browsing.invalidate()
	whole := runSearch(t, ix, req)
	ix.wholeSearches = false
	ix.facets.invalidate()
	ix.browsing.invalidate()
	got := runSearch(t, ix, req)
	if whole.Total == 0 || (kept && len(whole.Hits) == 0) {
		t.Fatalf("%s: nothing found", what)
	}
	compareResults(t, what, whole, got, true)
	// Again with the facets cached, as for the next page of a search:
	// only the page is cut then.
	ix.browsing.invalidate()
	compareResults(t, what+" with facets cached", whole, runSearch(t, ix, req), true)
}

// TestComplementOfFewTalks: with fewer talks than are kept, every page,
// the last one short, is cut from all talks, and a page beyond them is
// empty.
func TestComplementOfFewTalks(t *testing.T) {
	ix := loadSample(t)
	waitUntil(t, "Warmed", ix.Warmed)
	for _, req := range []catalog.SearchRequest{
		{Query: "-python", Sort: catalog.SortNewest, PerPage: 5},
		{Query: "-python", Sort: catalog.SortNewest, Page: 2, PerPage: 5},
		{Query: "-bgp -ipv6", Sort: catalog.SortRating, PerPage: 3},
		{Query: "-bgp", Sort: catalog.SortOldest, Page: 2, PerPage: 3},
	} {
		if !keptAnswer(t, ix, req.Query, req.Sort, max(req.Page, 1), req.PerPage) {
			t.Fatalf("%q page %d was not cut from all talks", req.Query, req.Page)
		}
		compareComplement(t, ix, req)
	}
	res := runSearch(t, ix, catalog.SearchRequest{Query: "-python", Sort: catalog.SortNewest, Page: 2, PerPage: 5})
	if res.Total != 7 || len(res.Hits) != 2 {
		t.Errorf("\"-python\" page 2 of 5: total %d, %d hits; want 7 and the last 2", res.Total, len(res.Hits))
	}
	beyond := catalog.SearchRequest{Query: "-python", Sort: catalog.SortNewest, Page: 3, PerPage: 5}
	if !keptAnswer(t, ix, beyond.Query, beyond.Sort, beyond.Page, beyond.PerPage) {
		t.Fatal("a page beyond all talks was not cut from them")
	}
	if res := runSearch(t, ix, beyond); res.Total != 7 || len(res.Hits) != 0 {
		t.Errorf("\"-python\" page 3 of 5: total %d, %d hits; want 7 and none", res.Total, len(res.Hits))
	}
}

// TestComplementDuringAWrite: between a write's batches and the clearing
// of the caches that ends it, all talks as kept are of the index before
// the write; a search that only excludes then searches all talks again,
// rather than subtract talks of the new index from them.
func TestComplementDuringAWrite(t *testing.T) {
	ix := openWarmShared(t)
	ctx := context.Background()
	req := catalog.SearchRequest{Query: "-python", Sort: catalog.SortNewest, PerPage: 10}
	before := runSearch(t, ix, req)
	if !keptAnswer(t, ix, req.Query, req.Sort, 1, req.PerPage) {
		t.Fatal("not answered from all talks before the write")
	}
	// Of an event and year the index has, so that no facet count gives
	// the new index away.
	added := &catalog.Talk{ID: 90002, Series: "NANOG", Event: "NANOG 90", Year: 2024, Title: "Python in the future",
		Start: at("2031-05-01T09:00:00Z")}
	kept := &catalog.Talk{ID: 90003, Series: "NANOG", Event: "NANOG 90", Year: 2024, Title: "Peering in the future",
		Start: at("2031-05-02T09:00:00Z")}
	added.Normalize()
	kept.Normalize()
	// Apply's batches, without the clearing of the caches that follows.
	if err := applyChanges(ctx, ix.bi, []change{{id: added.ID, doc: newTalkDocument(added)}, {id: kept.ID, doc: newTalkDocument(kept)}}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "Warmed", ix.Warmed)
	ix.facets.invalidate()
	ix.browsing.invalidate()
	during := runSearch(t, ix, req)
	if during.Total != before.Total+1 || during.Hits[0].ID != kept.ID {
		t.Fatalf("during the write: total %d (was %d), first %v; want talk %d first", during.Total, before.Total, hitIDs(during), kept.ID)
	}
	compareComplement(t, ix, req)
	ix.invalidateCaches()
	if !keptAnswer(t, ix, req.Query, req.Sort, 1, req.PerPage) {
		t.Fatal("not answered from all talks after the write")
	}
	compareComplement(t, ix, req)
}

// TestComplementFollowsWrites: all talks are searched again after the
// index changes, so a new talk heads "-python" newest first at once, and
// a deleted one leaves it.
func TestComplementFollowsWrites(t *testing.T) {
	ix := openWarmShared(t)
	ctx := context.Background()
	req := catalog.SearchRequest{Query: "-python", Sort: catalog.SortNewest, PerPage: 10}
	before := runSearch(t, ix, req)
	added := &catalog.Talk{ID: 90001, Series: "RIPE", Event: "RIPE 99", Year: 2031, Title: "Peering in the future",
		Start: at("2031-05-01T09:00:00Z"), Speakers: speakers("New Speaker")}
	added.Normalize()
	if err := ix.Apply(ctx, []*catalog.Talk{added}, nil); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "Warmed", ix.Warmed)
	if !keptAnswer(t, ix, req.Query, req.Sort, 1, req.PerPage) {
		t.Fatal("not answered from all talks after the write")
	}
	after := runSearch(t, ix, req)
	if after.Total != before.Total+1 || len(after.Hits) == 0 || after.Hits[0].ID != added.ID {
		t.Fatalf("after adding talk %d: total %d (was %d), first %v", added.ID, after.Total, before.Total, hitIDs(after))
	}
	if !hasFacetValue(after.Facets[catalog.FacetYear], "2031") {
		t.Errorf("the new talk's year is not among the facets: %v", after.Facets[catalog.FacetYear])
	}
	if err := ix.Apply(ctx, nil, []int64{added.ID}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "Warmed", ix.Warmed)
	gone := runSearch(t, ix, req)
	if gone.Total != before.Total || hitIDs(gone)[0] == added.ID {
		t.Fatalf("after deleting talk %d: total %d, first %v", added.ID, gone.Total, hitIDs(gone))
	}
}

func hasFacetValue(values []catalog.FacetValue, v string) bool {
	for _, fv := range values {
		if fv.Value == v {
			return true
		}
	}
	return false
}

// TestComplementFollowsMerges: a merge changes the index's segments
// without clearing any cache; all talks are then searched again, and
// searches that only exclude go on being answered from them.
func TestComplementFollowsMerges(t *testing.T) {
	ix, _ := openTemp(t)
	ctx := context.Background()
	talks := sharedCorpus()
	half := len(talks) / 2
	for _, part := range [][]*catalog.Talk{talks[:half], talks[half:]} {
		if err := ix.Apply(ctx, part, nil); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	waitUntil(t, "Warmed", ix.Warmed)
	req := catalog.SearchRequest{Query: "-python", Sort: catalog.SortNewest, PerPage: 10}
	if !keptAnswer(t, ix, req.Query, req.Sort, 1, req.PerPage) {
		t.Fatal("not answered from all talks before the merge")
	}
	before := len(snapshotOf(t, ix).Segments())
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "Warmed", ix.Warmed)
	if after := len(snapshotOf(t, ix).Segments()); after >= before {
		t.Fatalf("the merge left %d segments of %d", after, before)
	}
	if !keptAnswer(t, ix, req.Query, req.Sort, 1, req.PerPage) {
		t.Fatal("not answered from all talks after the merge")
	}
	compareComplement(t, ix, req)
}

// keptNow returns how many talks the search of all talks newest first, as
// kept, found, and whether it is of the index as it is now.
func keptNow(t *testing.T, ix *Index) (*allTalks, bool) {
	t.Helper()
	all, ok := ix.everything.get(fmt.Sprint(allTalksOrder(columnOrder(catalog.SortRelevance, false))))
	segments, _, err := ix.currentSegments()
	if err != nil {
		t.Fatalf("segments: %v", err)
	}
	return all, ok && slices.Equal(all.segments, segments)
}

// readsIdle reports whether the index's background reads are all done.
func readsIdle(ix *Index) bool {
	ix.reads.mu.Lock()
	defer ix.reads.mu.Unlock()
	return !ix.reads.busy
}

// TestServerKeepsAllTalksReady: a warm index (a server's) searches all
// talks in the background after it starts and after every write, so that
// the search page's first view and searches that only exclude find them
// kept; a search then answers from them without searching all talks again.
func TestServerKeepsAllTalksReady(t *testing.T) {
	ix := loadSample(t)
	talks := sampleTalks()
	// Columns read before the server warms the index are not read again.
	runSearch(t, ix, catalog.SearchRequest{Query: "bgp"})
	waitUntil(t, "background reads done", func() bool { return readsIdle(ix) })
	ix.Warm()
	wantKept := func(what string, total int) *allTalks {
		t.Helper()
		var all *allTalks
		waitUntil(t, what, func() bool {
			kept, current := keptNow(t, ix)
			all = kept
			return current && kept.total == uint64(total)
		})
		return all
	}
	wantKept("all talks kept after the start", len(talks))

	added := *talks[0]
	added.ID = 9001
	if err := ix.Apply(context.Background(), []*catalog.Talk{&added}, nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	wantKept("all talks kept after a talk was added", len(talks)+1)
	if err := ix.Apply(context.Background(), nil, []int64{talks[1].ID, talks[2].ID}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	kept := wantKept("all talks kept after two were deleted", len(talks)-1)

	for _, q := range []string{"", "-zzzzqx"} {
		res := runSearch(t, ix, catalog.SearchRequest{Query: q, Sort: catalog.SortRelevance})
		if res.Total != len(talks)-1 {
			t.Errorf("%q: %d talks, want %d", q, res.Total, len(talks)-1)
		}
		if again, _ := keptNow(t, ix); again != kept {
			t.Errorf("%q searched all talks again", q)
		}
	}
}

// TestKeptAfterColumnsOfANewSegment: when a search meets a segment it has
// no columns of (a merge's), their read is followed by the search of all
// talks, in a warm index only.
func TestKeptAfterColumnsOfANewSegment(t *testing.T) {
	for _, warm := range []bool{false, true} {
		ix := loadSample(t)
		// Warm's own reads are left out: only the search reads columns.
		ix.warm.Store(warm)
		runSearch(t, ix, catalog.SearchRequest{Query: "bgp"})
		waitUntil(t, "background reads done", func() bool { return readsIdle(ix) })
		if _, current := keptNow(t, ix); current != warm {
			t.Errorf("warm %v: all talks kept: %v", warm, current)
		}
	}
}
