package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func facetValue(res *catalog.SearchResult, facet, value string) int {
	for _, v := range res.Facets[facet] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

// TestFacetsFollowWrites checks that cached facets never outlive a write.
func TestFacetsFollowWrites(t *testing.T) {
	ctx := context.Background()
	ix := loadSample(t)
	steps := []struct {
		name  string
		write func() error
		nanog int // talks in series NANOG
		five  int // talks rated 5
	}{
		{"initial", func() error { return nil }, 2, 2},
		{"upsert", func() error {
			return ix.Apply(ctx, []*catalog.Talk{{ID: 20, Series: "NANOG", Event: "NANOG 90", Title: "New", Rating: 5}}, nil)
		}, 3, 3},
		{"delete", func() error { return ix.Apply(ctx, nil, []int64{1}) }, 2, 2},
		{"rebuild", func() error { return ix.Rebuild(ctx, feedOf(sampleTalks()[1:3])) }, 0, 0},
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		// Twice: the second search is answered from the cache.
		for range 2 {
			res := runSearch(t, ix, catalog.SearchRequest{})
			if got := facetValue(res, catalog.FacetSeries, "NANOG"); got != step.nanog {
				t.Errorf("after %s: NANOG count %d, want %d", step.name, got, step.nanog)
			}
			if got := facetValue(res, catalog.FacetRating, "5"); got != step.five {
				t.Errorf("after %s: rating 5 count %d, want %d", step.name, got, step.five)
			}
		}
	}
}

func TestFacetsDependOnQueryAndFiltersNotSortOrPage(t *testing.T) {
	ix := loadSample(t)
	base := runSearch(t, ix, catalog.SearchRequest{Query: "route"})
	for _, req := range []catalog.SearchRequest{
		{Query: "route", Sort: catalog.SortNewest},
		{Query: "route", Page: 2, PerPage: 1},
	} {
		if got := runSearch(t, ix, req); !equalFacets(got.Facets, base.Facets) {
			t.Errorf("%+v: facets %v, want %v", req, got.Facets, base.Facets)
		}
	}
	for _, req := range []catalog.SearchRequest{
		{Query: "-route"},
		{Query: "abstract:route"},
		{Query: `"route"`, Filter: catalog.TalkFilter{Series: []string{"RIPE"}}},
		{Query: "route", Filter: catalog.TalkFilter{Watched: ptr(false)}},
		{Query: "route", Filter: catalog.TalkFilter{Watched: ptr(true)}},
	} {
		got := runSearch(t, ix, req)
		if equalFacets(got.Facets, base.Facets) {
			t.Errorf("%+v: same facets as query route: %v", req, got.Facets)
		}
		if len(got.Facets[catalog.FacetSeries]) == 0 && got.Total > 0 {
			t.Errorf("%+v: %d hits but no series facet", req, got.Total)
		}
	}
}

func TestFacetsAreCopies(t *testing.T) {
	ix := loadSample(t)
	first := runSearch(t, ix, catalog.SearchRequest{})
	first.Facets[catalog.FacetSeries][0].Count = 999
	first.Facets[catalog.FacetYear] = nil
	second := runSearch(t, ix, catalog.SearchRequest{})
	if second.Facets[catalog.FacetSeries][0].Count == 999 || second.Facets[catalog.FacetYear] == nil {
		t.Errorf("changing one result's facets changed the next: %v", second.Facets)
	}
}

func TestFacetSizes(t *testing.T) {
	ix, _ := openTemp(t)
	var talks []*catalog.Talk
	for i := range 40 {
		talks = append(talks, &catalog.Talk{
			ID: int64(i + 1), Series: fmt.Sprintf("S%02d", i), Event: fmt.Sprintf("E%02d", i),
			Year: 1980 + i, Title: "talk", Speakers: speakers(fmt.Sprintf("Speaker %02d", i)),
			Tags: []string{fmt.Sprintf("t%02d", i)}, Rating: 1 + i%5,
			MyTags: []string{fmt.Sprintf("m%02d", i)}, Watch: []string{catalog.WatchToWatch, catalog.WatchWatched}[i%2],
		})
	}
	if err := ix.Apply(context.Background(), talks, nil); err != nil {
		t.Fatal(err)
	}
	res := runSearch(t, ix, catalog.SearchRequest{})
	for _, name := range catalog.FacetNames() {
		want := min(40, facetSize(name))
		if got := len(res.Facets[name]); got != want {
			t.Errorf("facet %s has %d values, want %d", name, got, want)
		}
	}
	// Equal counts order by value.
	if got := res.Facets[catalog.FacetSeries][:3]; !slices.Equal(got, []catalog.FacetValue{{Value: "S00", Count: 1}, {Value: "S01", Count: 1}, {Value: "S02", Count: 1}}) {
		t.Errorf("series facet starts %v", got)
	}
	if got := res.Facets[catalog.FacetRating]; len(got) != 5 || got[0] != (catalog.FacetValue{Value: "1", Count: 8}) {
		t.Errorf("rating facet %v", got)
	}
}

func TestFacetKeyIsCanonical(t *testing.T) {
	a := catalog.TalkFilter{Series: []string{"B", "A"}, Year: []int{2020, 2019}, Watched: ptr(true)}
	b := catalog.TalkFilter{Series: []string{"A", "B"}, Year: []int{2019, 2020}, Watched: ptr(true)}
	if facetKey(nil, false, a) != facetKey(nil, false, b) {
		t.Error("filter value order changes the key")
	}
	distinct := []catalog.TalkFilter{
		{}, {Watched: ptr(true)}, {Watched: ptr(false)}, {MinRating: 3},
		{Series: []string{"A"}}, {Event: []string{"A"}}, {Speaker: []string{"A"}}, {Tag: []string{"A"}},
		{Has: []string{catalog.LinkVideo}}, {Year: []int{2019}}, {Series: []string{"A B"}}, {Series: []string{"A", "B"}},
	}
	seen := map[string]int{}
	for i, f := range distinct {
		k := facetKey(nil, false, f)
		if j, dup := seen[k]; dup {
			t.Errorf("filters %d and %d share key %q", j, i, k)
		}
		seen[k] = i
	}
	queries := []string{"a b", `"a b"`, "-a b", "title:a b", "a", "+a"}
	keys := map[string]string{}
	for _, q := range queries {
		clauses, err := parseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		k := facetKey(clauses, false, catalog.TalkFilter{})
		if other, dup := keys[k]; dup && !(q == "+a" && other == "a") {
			t.Errorf("queries %q and %q share a key", q, other)
		}
		keys[k] = q
	}
}

func equalFacets(a, b map[string][]catalog.FacetValue) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
