package index

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestPersonalFilters covers the personal layer's filters, facets and the
// "added" sort: they are typed queries over fields only user actions fill.
func TestPersonalFilters(t *testing.T) {
	ix, _ := openTemp(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	talks := []*catalog.Talk{
		{ID: 1, Series: "NANOG", Event: "NANOG 90", Title: "Route leaks", Added: day(1),
			MyTags: []string{"to share"}, Watch: catalog.WatchWatched, WatchedAt: day(3)},
		{ID: 2, Series: "NANOG", Event: "NANOG 90", Title: "Peering at scale", Added: day(5),
			MyTags: []string{"to share", "bgp"}, Watch: catalog.WatchToWatch, ToWatchAt: day(2)},
		{ID: 3, Series: "RIPE", Event: "RIPE 91", Title: "RPKI in practice", Added: day(3),
			Watch: catalog.WatchWatched, WatchedAt: time.Date(2026, 10, 30, 9, 0, 0, 0, time.UTC)},
		{ID: 4, Series: "RIPE", Event: "RIPE 91", Title: "DNS privacy", Added: day(4)},
	}
	if err := ix.Apply(context.Background(), talks, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  catalog.SearchRequest
		want []int64
	}{
		{"my tag filter", catalog.SearchRequest{Filter: catalog.TalkFilter{MyTag: []string{"To Share"}}, Sort: catalog.SortAdded}, []int64{2, 1}},
		{"my tag words are searchable", catalog.SearchRequest{Query: "mytag:bgp"}, []int64{2}},
		{"to-watch list", catalog.SearchRequest{Filter: catalog.TalkFilter{Watch: []string{catalog.WatchToWatch}}}, []int64{2}},
		{"watched this month", catalog.SearchRequest{Filter: catalog.TalkFilter{
			WatchedSince: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), WatchedBefore: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}, []int64{1}},
		{"watched since, open ended", catalog.SearchRequest{Filter: catalog.TalkFilter{
			WatchedSince: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}, Sort: catalog.SortAdded}, []int64{3, 1}},
		{"mine: what the user touched", catalog.SearchRequest{Filter: catalog.TalkFilter{Mine: true}}, []int64{1, 2, 3}},
		{"added sort, newest addition first", catalog.SearchRequest{Sort: catalog.SortAdded}, []int64{2, 4, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSearch(t, ix, tt.req)
			got := hitIDs(res)
			if tt.req.Sort == "" {
				slices.Sort(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("hits %v, want %v", got, tt.want)
			}
		})
	}
	res := runSearch(t, ix, catalog.SearchRequest{})
	if got, want := res.Facets[catalog.FacetMyTag], []catalog.FacetValue{{Value: "to share", Count: 2}, {Value: "bgp", Count: 1}}; !slices.Equal(got, want) {
		t.Errorf("my_tag facet %v, want %v", got, want)
	}
	if got, want := res.Facets[catalog.FacetWatch], []catalog.FacetValue{{Value: "watched", Count: 2}, {Value: "to_watch", Count: 1}}; !slices.Equal(got, want) {
		t.Errorf("watch facet %v, want %v", got, want)
	}
}

// TestFacetKeyCoversEveryFilter sets each TalkFilter field in turn: each
// must change the facet cache key, or a new filter would silently share the
// facet counts of the unfiltered search.
func TestFacetKeyCoversEveryFilter(t *testing.T) {
	empty := facetKey(nil, false, catalog.TalkFilter{})
	typ := reflect.TypeOf(catalog.TalkFilter{})
	for i := range typ.NumField() {
		var f catalog.TalkFilter
		v := reflect.ValueOf(&f).Elem().Field(i)
		switch v.Interface().(type) {
		case []string:
			v.Set(reflect.ValueOf([]string{"x"}))
		case []int:
			v.Set(reflect.ValueOf([]int{2020}))
		case int:
			v.SetInt(3)
		case bool:
			v.SetBool(true)
		case *bool:
			yes := true
			v.Set(reflect.ValueOf(&yes))
		case time.Time:
			v.Set(reflect.ValueOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
		default:
			t.Fatalf("field %s has a type this test does not know; teach it and facetKey", typ.Field(i).Name)
		}
		if facetKey(nil, false, f) == empty {
			t.Errorf("filter field %s does not change the facet key", typ.Field(i).Name)
		}
	}
}
