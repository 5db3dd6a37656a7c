package index

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/talkdex/talkdex/internal/catalog"
)

// naiveFacets counts the facets of talks the way a reader of the talks
// would: how many talks have each series, event, year, speaker and tag.
func naiveFacets(talks []*catalog.Talk) map[string]map[string]int {
	out := map[string]map[string]int{}
	var seen map[string]bool
	add := func(facet, value string) {
		if seen[facet+"\x00"+value] {
			return // a talk counts once, however often it names a value
		}
		seen[facet+"\x00"+value] = true
		if out[facet] == nil {
			out[facet] = map[string]int{}
		}
		out[facet][value]++
	}
	for _, t := range talks {
		seen = map[string]bool{}
		add(catalog.FacetSeries, t.Series)
		add(catalog.FacetEvent, t.Event)
		if t.Year > 0 {
			add(catalog.FacetYear, strconv.Itoa(t.Year))
		}
		for _, s := range t.Speakers {
			add(catalog.FacetSpeaker, s.Name)
		}
		for _, tag := range t.Tags {
			add(catalog.FacetTag, tag)
		}
	}
	return out
}

// TestFacetCountsAcrossSegmentsAndWrites checks the facet counts of
// searches against counting the matching talks by hand, on an index written
// in many batches (so many segments, merged or not) with talks replaced and
// deleted on the way: the counts come from per-segment columns, and a talk
// replaced or deleted in a later segment must count once, or not at all.
func TestFacetCountsAcrossSegmentsAndWrites(t *testing.T) {
	ctx := context.Background()
	ix, _ := openTemp(t)
	talks := newTalkGen().talks(3000)
	live := applyInBatches(t, ix, talks, 250)
	// Replace every tenth talk with a talk of another series and speaker,
	// and delete every seventh.
	var changed []*catalog.Talk
	var deleted []int64
	for _, tk := range talks {
		switch {
		case tk.ID%7 == 0:
			deleted = append(deleted, tk.ID)
			delete(live, tk.ID)
		case tk.ID%10 == 0:
			c := *tk
			c.Series, c.Event = "Replaced", "Replaced 1"
			c.Speakers = speakers("Replacement Speaker")
			changed = append(changed, &c)
			live[c.ID] = &c
		}
	}
	if err := ix.Apply(ctx, changed, deleted); err != nil {
		t.Fatal(err)
	}
	// Right after a write the new segments have no columns yet and their
	// hits are counted from doc values; once built, from the columns.
	t.Run("just written", func(t *testing.T) { checkFacetCounts(t, ix, live) })
	settleColumns(t, ix)
	t.Run("columns built", func(t *testing.T) { checkFacetCounts(t, ix, live) })
}

// settleColumns waits until every segment of ix has its facet column.
func settleColumns(t *testing.T, ix *Index) {
	t.Helper()
	waitUntil(t, "every segment's facet columns", func() bool {
		r, err := ix.reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return ix.columns.ready(r.(*scorch.IndexSnapshot))
	})
}

func checkFacetCounts(t *testing.T, ix *Index, live map[int64]*catalog.Talk) {
	t.Helper()
	for _, q := range []string{"", "network", "routing security", "series:replaced", "peering -bgp"} {
		ix.invalidateCaches()
		// The facets of the whole result: every matching talk.
		res := runSearch(t, ix, catalog.SearchRequest{Query: q, PerPage: catalog.MaxPerPage})
		matched := live // the empty query matches every talk
		if q != "" {
			matched = allMatches(t, ix, q, live)
		}
		if len(matched) != res.Total || res.Total == 0 {
			t.Fatalf("q=%q: paged through %d hits of a total of %d", q, len(matched), res.Total)
		}
		want := naiveFacets(slices.Collect(maps.Values(matched)))
		for _, facet := range []string{catalog.FacetSeries, catalog.FacetEvent, catalog.FacetYear, catalog.FacetSpeaker, catalog.FacetTag} {
			got := res.Facets[facet]
			if len(got) == 0 && len(want[facet]) > 0 {
				t.Errorf("q=%q: facet %s is empty, want %d values", q, facet, len(want[facet]))
			}
			for i, v := range got {
				if n := want[facet][v.Value]; n != v.Count {
					t.Errorf("q=%q: %s %q counts %d, want %d", q, facet, v.Value, v.Count, n)
				}
				if i > 0 && (got[i-1].Count < v.Count || got[i-1].Count == v.Count && got[i-1].Value > v.Value) {
					t.Errorf("q=%q: %s out of order at %d: %v", q, facet, i, got[i-1:i+1])
				}
			}
			// The values shown are the most counted: none left out counts more.
			if len(got) == facetSize(facet) {
				lowest := got[len(got)-1].Count
				for _, value := range slices.Sorted(maps.Keys(want[facet])) {
					if want[facet][value] > lowest && !slices.ContainsFunc(got, func(v catalog.FacetValue) bool { return v.Value == value }) {
						t.Errorf("q=%q: %s %q (%d) left out of the top %d (lowest %d)", q, facet, value, want[facet][value], len(got), lowest)
					}
				}
			}
		}
		if q == "series:replaced" && !strings.EqualFold(firstValue(res, catalog.FacetSpeaker), "Replacement Speaker") {
			t.Errorf("replaced talks: speakers %v", res.Facets[catalog.FacetSpeaker])
		}
	}
}

// allMatches pages through every hit of q. Equal-ranked hits are in index
// order, which a background merge may change between two pages, so the
// paging starts over when pages overlapped.
func allMatches(t *testing.T, ix *Index, q string, live map[int64]*catalog.Talk) map[int64]*catalog.Talk {
	t.Helper()
	for range 5 {
		matched := map[int64]*catalog.Talk{}
		total, overlapped := 1, false
		for page := 1; (page-1)*catalog.MaxPerPage < total; page++ {
			p := runSearch(t, ix, catalog.SearchRequest{Query: q, PerPage: catalog.MaxPerPage, Page: page})
			total = p.Total
			for _, h := range p.Hits {
				tk, ok := live[h.ID]
				if !ok {
					t.Fatalf("q=%q: hit %d was deleted", q, h.ID)
				}
				overlapped = overlapped || matched[h.ID] != nil
				matched[h.ID] = tk
			}
		}
		if !overlapped {
			return matched
		}
	}
	t.Fatalf("q=%q: pages kept overlapping", q)
	return nil
}

func firstValue(res *catalog.SearchResult, facet string) string {
	if len(res.Facets[facet]) == 0 {
		return ""
	}
	return res.Facets[facet][0].Value
}

// TestSearchesWithoutTextShareResultsUntilAWrite covers the cache of
// searches with nothing to score: queries of stop words only are the same
// search as the empty query, a filter or sort still tells them apart, and a
// write shows at once.
func TestSearchesWithoutTextShareResultsUntilAWrite(t *testing.T) {
	ctx := context.Background()
	ix := loadSample(t)
	empty := runSearch(t, ix, catalog.SearchRequest{})
	if empty.Total != 8 {
		t.Fatalf("empty query: %d talks, want 8", empty.Total)
	}
	for _, q := range []string{"the", "about", "with the"} {
		res := runSearch(t, ix, catalog.SearchRequest{Query: q})
		if !slices.Equal(hitIDs(res), hitIDs(empty)) || !maps.EqualFunc(res.Facets, empty.Facets, slices.Equal) {
			t.Errorf("q=%q: %v, want the empty query's %v", q, hitIDs(res), hitIDs(empty))
		}
	}
	oldest := runSearch(t, ix, catalog.SearchRequest{Query: "about", Sort: catalog.SortOldest})
	if slices.Equal(hitIDs(oldest), hitIDs(empty)) {
		t.Errorf("oldest first gave the newest-first order %v", hitIDs(oldest))
	}
	ripe := runSearch(t, ix, catalog.SearchRequest{Query: "about", Filter: catalog.TalkFilter{Series: []string{"RIPE"}}})
	if got := sortedIDs(ripe); !slices.Equal(got, []int64{2, 7}) {
		t.Errorf("series RIPE: %v, want [2 7]", got)
	}
	// A result handed out may be changed by the caller (the service fills
	// in the talks); the cache keeps its own.
	for _, res := range []*catalog.SearchResult{empty, runSearch(t, ix, catalog.SearchRequest{})} {
		want := hitIDs(res)
		res.Hits[0].ID = 999
		res.Facets[catalog.FacetSeries] = nil
		again := runSearch(t, ix, catalog.SearchRequest{})
		if !slices.Equal(hitIDs(again), want) || len(again.Facets[catalog.FacetSeries]) == 0 {
			t.Errorf("a caller's change to a result reached the cache: %v, series %v", hitIDs(again), again.Facets[catalog.FacetSeries])
		}
	}

	talk := sampleTalks()[3] // unrated
	talk.Rating = 1
	if err := ix.Apply(ctx, []*catalog.Talk{talk}, []int64{8}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "with the"} {
		res := runSearch(t, ix, catalog.SearchRequest{Query: q})
		if res.Total != 7 || slices.Contains(hitIDs(res), 8) || slices.Contains(hitIDs(res), 999) {
			t.Errorf("q=%q after deleting talk 8: %d talks %v", q, res.Total, hitIDs(res))
		}
		if got := facetValue(res, catalog.FacetRating, "1"); got != 1 {
			t.Errorf("q=%q after rating talk 4: rating 1 counts %d, want 1", q, got)
		}
		if len(res.Facets[catalog.FacetSeries]) == 0 {
			t.Errorf("q=%q: series facet lost", q)
		}
	}
}

// TestSortsByColumns pages through searches sorted by date, rating and
// addition, before and after the columns are read, and checks the order
// against sorting the talks by hand: by the key (talks without it last),
// then newest, then talk id, the newest or highest first except for
// "oldest". Without text every score is equal, so the order is exact;
// with text only the key order is checked.
func TestSortsByColumns(t *testing.T) {
	ix, _ := openTemp(t)
	talks := newTalkGen().talks(1500)
	for i, tk := range talks {
		tk.Added = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%400) * time.Hour)
	}
	byID := applyInBatches(t, ix, talks, 300)
	// key returns a talk's sort key and whether it has one.
	key := func(sort string, tk *catalog.Talk) (int64, bool) {
		switch sort {
		case catalog.SortRating:
			return int64(tk.Rating), tk.Rating > 0
		case catalog.SortAdded:
			return tk.Added.Unix(), !tk.Added.IsZero()
		default:
			return tk.Start.Unix(), !tk.Start.IsZero()
		}
	}
	compare := func(sort string, a, b *catalog.Talk) int {
		ka, hasA := key(sort, a)
		kb, hasB := key(sort, b)
		switch {
		case hasA != hasB && hasA:
			return -1
		case hasA != hasB:
			return 1
		case ka != kb && sort == catalog.SortOldest:
			return cmp.Compare(ka, kb)
		case ka != kb:
			return cmp.Compare(kb, ka)
		}
		if sort == catalog.SortRating {
			sa, hasSA := a.Start.Unix(), !a.Start.IsZero()
			sb, hasSB := b.Start.Unix(), !b.Start.IsZero()
			switch {
			case hasSA != hasSB && hasSA:
				return -1
			case hasSA != hasSB:
				return 1
			case sa != sb:
				return cmp.Compare(sb, sa)
			}
		}
		if sort == catalog.SortOldest {
			return cmp.Compare(a.ID, b.ID)
		}
		return cmp.Compare(b.ID, a.ID)
	}
	check := func(t *testing.T) {
		for _, sort := range []string{catalog.SortNewest, catalog.SortOldest, catalog.SortRating, catalog.SortAdded} {
			for _, req := range []catalog.SearchRequest{
				{Sort: sort},
				{Sort: sort, Filter: catalog.TalkFilter{Series: []string{talks[0].Series}}},
				{Sort: sort, Query: "network"},
			} {
				ix.invalidateCaches()
				var got []*catalog.Talk
				total := 1
				for page := 1; (page-1)*catalog.MaxPerPage < total; page++ {
					req.Page, req.PerPage = page, catalog.MaxPerPage
					res := runSearch(t, ix, req)
					total = res.Total
					for _, h := range res.Hits {
						got = append(got, byID[h.ID])
					}
				}
				if len(got) != total || total == 0 {
					t.Fatalf("%+v: paged through %d hits of %d", req, len(got), total)
				}
				if req.Query != "" {
					for i := 1; i < len(got); i++ {
						ka, hasA := key(sort, got[i-1])
						kb, hasB := key(sort, got[i])
						if !hasA && hasB || hasA && hasB && ka != kb && (ka < kb) != (sort == catalog.SortOldest) {
							t.Errorf("%+v: talk %d before talk %d", req, got[i-1].ID, got[i].ID)
						}
					}
					continue
				}
				want := slices.Clone(got)
				slices.SortFunc(want, func(a, b *catalog.Talk) int { return compare(sort, a, b) })
				if !slices.Equal(got, want) {
					t.Errorf("%+v: order differs from sorting by hand", req)
				}
			}
		}
	}
	t.Run("just written", check)
	settleColumns(t, ix)
	t.Run("columns built", check)
}

// TestWarmReadsColumnsBeforeAnySearch: a server's index reads its columns
// and word lists at once; writes alone do not start reading them.
func TestWarmReadsColumnsBeforeAnySearch(t *testing.T) {
	ix := loadSample(t)
	read := func() (columns, lists int) { return ix.columns.segments.held(), ix.wordLists.segments.held() }
	time.Sleep(50 * time.Millisecond)
	if c, l := read(); c != 0 || l != 0 {
		t.Fatalf("%d segments' columns and %d word lists read before Warm and any search", c, l)
	}
	ix.Warm()
	waitUntil(t, "columns and word lists read by Warm", func() bool {
		c, l := read()
		return c > 0 && l > 0
	})
}

// TestSearchesWhileWriting runs searches with facets and sorts while
// writes add, replace and delete talks (so segments appear, merge and have
// their columns read meanwhile): every search succeeds, and its year
// counts, one year a talk, add up to its total.
func TestSearchesWhileWriting(t *testing.T) {
	ctx := context.Background()
	ix, _ := openTemp(t)
	gen := newTalkGen()
	if err := ix.Apply(ctx, gen.talks(1000), nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	writeErr := make(chan error, 1)
	go func() {
		defer close(writeErr)
		for round := int64(0); ; round++ {
			select {
			case <-done:
				return
			default:
			}
			batch := []*catalog.Talk{gen.talk(1001 + round), gen.talk(1 + round%1000)}
			if err := ix.Apply(ctx, batch, []int64{1 + (round+500)%1000}); err != nil {
				writeErr <- err
				return
			}
		}
	}()
	reqs := []catalog.SearchRequest{
		{}, {Query: "network"}, {Query: "routing", Sort: catalog.SortNewest},
		{Sort: catalog.SortRating}, {Query: "peering -bgp", Sort: catalog.SortOldest},
	}
	for i := range 200 {
		req := reqs[i%len(reqs)]
		ix.invalidateCaches() // every search counts its facets
		res := runSearch(t, ix, req)
		// Every talk has one year, and the 20 years fit the facet.
		sum := 0
		for _, v := range res.Facets[catalog.FacetYear] {
			sum += v.Count
		}
		if sum != res.Total || res.Total == 0 {
			t.Fatalf("%+v: year counts add up to %d, total %d", req, sum, res.Total)
		}
	}
	close(done)
	if err := <-writeErr; err != nil {
		t.Fatal(err)
	}
}

// applyInBatches indexes talks in batches of size, each a segment of its
// own until Bleve merges them, and returns them by id.
func applyInBatches(t *testing.T, ix *Index, talks []*catalog.Talk, size int) map[int64]*catalog.Talk {
	t.Helper()
	byID := map[int64]*catalog.Talk{}
	for start := 0; start < len(talks); start += size {
		if err := ix.Apply(context.Background(), talks[start:min(start+size, len(talks))], nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, tk := range talks {
		byID[tk.ID] = tk
	}
	return byID
}

// TestWarmedWaitsForEverySegment: Warmed is false until every segment has
// its columns and word lists, true after, and false again once a write
// adds a segment not read yet.
func TestWarmedWaitsForEverySegment(t *testing.T) {
	ix := loadSample(t)
	if ix.Warmed() {
		t.Fatal("warmed before anything was read")
	}
	waitWarmed := func() {
		t.Helper()
		waitUntil(t, "Warmed", ix.Warmed)
		if ix.columns.segments.held() == 0 || ix.wordLists.segments.held() == 0 {
			t.Fatal("warmed with no columns or word lists read")
		}
	}
	waitWarmed()
	extra := &catalog.Talk{ID: 99, Series: "NOG", Event: "NOG 1", Year: 2021, Title: "Warming up"}
	extra.Normalize()
	if err := ix.Apply(context.Background(), []*catalog.Talk{extra}, nil); err != nil {
		t.Fatal(err)
	}
	if ix.Warmed() {
		t.Fatal("warmed at once after a write added a segment")
	}
	waitWarmed()
}
