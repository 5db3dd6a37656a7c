package sqlite

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestSearchFallback(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := []*catalog.Talk{
		{Series: "NANOG", Event: "NANOG 90", Title: "Route leaks in 2024", Abstract: "What 100% of operators miss.",
			Speakers: []catalog.Speaker{{Name: "Geoff Huston"}}, Tags: []string{"bgp"}, Start: time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC),
			Links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://v.example/1"}}},
		{Series: "NANOG", Event: "NANOG 91", Title: "EVPN at an IXP", Abstract: "BUM traffic and proxy ARP.",
			Speakers: []catalog.Speaker{{Name: "Ana Lopez"}}, Start: time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)},
		{Series: "RIPE", Event: "RIPE 88", Title: "RPKI route origin validation", Abstract: "Route leaks and hijacks.",
			Speakers: []catalog.Speaker{{Name: "Job Snijders"}}, Start: time.Date(2023, 5, 1, 9, 0, 0, 0, time.UTC)},
		{Series: "RIPE", Event: "RIPE 88", Title: "DNS_privacy under_scores", Abstract: "Unrelated."},
	}
	mustUpsert(t, s, talks)
	if err := s.SetRating(ctx, talks[2].ID, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, talks[1].ID, "Ask about the wombat migration"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatch(ctx, talks[1].ID, catalog.WatchToWatch); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMyTags(ctx, talks[0].ID, []string{"share"}); err != nil {
		t.Fatal(err)
	}
	id := func(i int) int64 { return talks[i].ID }
	tests := []struct {
		name string
		req  catalog.SearchRequest
		want []int64
	}{
		{"word in title or abstract, newest first", catalog.SearchRequest{Query: "route leaks"}, []int64{id(0), id(2)}},
		{"case does not matter", catalog.SearchRequest{Query: "ROUTE"}, []int64{id(0), id(2)}},
		{"exclusion", catalog.SearchRequest{Query: "route -rpki"}, []int64{id(0)}},
		{"phrase", catalog.SearchRequest{Query: `"route origin"`}, []int64{id(2)}},
		{"field prefix", catalog.SearchRequest{Query: "speaker:huston"}, []int64{id(0)}},
		{"a note word", catalog.SearchRequest{Query: "wombat"}, []int64{id(1)}},
		{"a note word excluded keeps talks without notes", catalog.SearchRequest{Query: "-wombat", Filter: catalog.TalkFilter{Series: []string{"nanog"}}}, []int64{id(0)}},
		{"LIKE wildcards are text", catalog.SearchRequest{Query: "100%"}, []int64{id(0)}},
		{"underscore is text", catalog.SearchRequest{Query: "dns_privacy"}, []int64{id(3)}},
		{"series and year filters", catalog.SearchRequest{Filter: catalog.TalkFilter{Series: []string{"NANOG"}, Year: []int{2024}}}, []int64{id(1), id(0)}},
		{"min rating", catalog.SearchRequest{Filter: catalog.TalkFilter{MinRating: 4}}, []int64{id(2)}},
		{"to watch", catalog.SearchRequest{Filter: catalog.TalkFilter{Watch: []string{catalog.WatchToWatch}}}, []int64{id(1)}},
		{"my tag", catalog.SearchRequest{Filter: catalog.TalkFilter{MyTag: []string{"Share"}}}, []int64{id(0)}},
		{"has video", catalog.SearchRequest{Filter: catalog.TalkFilter{Has: []string{catalog.LinkVideo}}}, []int64{id(0)}},
		{"mine", catalog.SearchRequest{Filter: catalog.TalkFilter{Mine: true}, Sort: catalog.SortOldest}, []int64{id(2), id(0), id(1)}},
		{"speaker filter", catalog.SearchRequest{Filter: catalog.TalkFilter{Speaker: []string{"ana lopez"}}}, []int64{id(1)}},
		{"rating sort", catalog.SearchRequest{Sort: catalog.SortRating, PerPage: 1}, []int64{id(2)}},
		{"second page", catalog.SearchRequest{PerPage: 2, Page: 2}, []int64{id(2), id(3)}},
		{"OR", catalog.SearchRequest{Query: "evpn OR rpki"}, []int64{id(1), id(2)}},
		{"OR next to a required word", catalog.SearchRequest{Query: "route leaks OR hijacks year:2023"}, []int64{id(2)}},
		{"year range", catalog.SearchRequest{Query: "year:2024..2025"}, []int64{id(1), id(0)}},
		{"rating", catalog.SearchRequest{Query: "rating:>=4"}, []int64{id(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.SearchFallback(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, h := range res.Hits {
				got = append(got, h.Talk.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("hits %v, want %v", got, tt.want)
			}
			if !res.Degraded || len(res.Facets) != len(catalog.FacetNames()) {
				t.Errorf("degraded %v, %d facets", res.Degraded, len(res.Facets))
			}
		})
	}
	res, _ := s.SearchFallback(ctx, catalog.SearchRequest{PerPage: 2})
	if res.Total != 4 || len(res.Hits) != 2 {
		t.Errorf("total %d with %d hits on the page", res.Total, len(res.Hits))
	}
	for _, q := range []string{`"unclosed`, `speaker:"open`, "year:soon", "rating:4..2"} {
		if _, err := s.SearchFallback(ctx, catalog.SearchRequest{Query: q}); catalog.ErrorCode(err) != catalog.EINVALID {
			t.Errorf("%q: %v, want EINVALID", q, err)
		}
	}
}
