package index

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestSearchQueries(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		name  string
		query string
		want  []int64
	}{
		{"empty query matches all", "", allSampleIDs()},
		{"blank query matches all", "   ", allSampleIDs()},
		{"word in title, abstract and tags", "bgp", []int64{1, 7}},
		{"word is case-insensitive", "BGP", []int64{1, 7}},
		{"word is stemmed", "measurements", []int64{2}},
		{"stemming joins route and routing", "route", []int64{1, 6, 7}},
		{"all words are required", "route origin", []int64{7}},
		{"word only in a note", "zebra", []int64{6}},
		{"word in a speaker name", "snijders", []int64{7}},
		{"word in series name", "nznog", []int64{8}},
		{"phrase", `"route reflector"`, []int64{1}},
		{"phrase is not just both words", `"validation origin"`, nil},
		{"explicit must", "+ipv6 +measuring", []int64{2}},
		{"exclude", "route -reflector", []int64{6, 7}},
		{"exclude phrase", `route -"origin validation"`, []int64{1, 6}},
		{"only exclusions", "-bgp", without(allSampleIDs(), 1, 7)},
		{"title prefix", "title:peering", []int64{4}},
		{"title prefix does not search abstracts", "title:rdma", nil},
		{"prefix is case-insensitive", "TITLE:Peering", []int64{4}},
		{"speaker prefix", "speaker:huston", []int64{1, 2}},
		{"speaker phrase", `speaker:"ana lopez"`, []int64{2, 6}},
		{"speaker prefix does not search titles", "speaker:bgp", nil},
		{"abstract prefix", "abstract:rdma", []int64{3}},
		{"note prefix", "note:zebra", []int64{6}},
		{"note prefix misses title words", "note:peering", nil},
		{"tag prefix", "tag:peering", []int64{4}},
		{"tag phrase", `tag:"segment routing"`, []int64{6}},
		{"series prefix", "series:nanog", []int64{1, 5}},
		{"series prefix is case-insensitive", "series:NaNoG", []int64{1, 5}},
		{"event prefix phrase", `event:"ausnog 2023"`, []int64{3}},
		{"event prefix word", "event:denog9", []int64{4}},
		{"year prefix", "year:2019", []int64{1, 6}},
		{"year prefix with a word", "year:2019 bgp", []int64{1}},
		{"excluded year", "-year:2019", without(allSampleIDs(), 1, 6)},
		{"excluded field", "route -speaker:huston", []int64{6, 7}},
		{"stop word alone matches all", "the", allSampleIDs()},
		{"stop words are ignored next to words", "the bgp", []int64{1, 7}},
		{"wildcard star is plain text", "bgp*", []int64{1, 7}},
		{"wildcard is not expanded", "bg*", nil},
		{"question mark is not expanded", "bg?", nil},
		{"regexp slashes are plain text", "/bgp/", []int64{1, 7}},
		{"regexp is not evaluated", "/b.p/", nil},
		{"fuzzy tilde is not fuzzy", "bgq~", nil},
		{"lone punctuation is ignored", "* bgp", []int64{1, 7}},
		{"html in a query is plain text", "<script>", []int64{5}},
		{"no match", "nonexistentword", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			if got := sortedIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("query %q: got ids %v, want %v", tt.query, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("query %q: total %d, want %d", tt.query, res.Total, len(tt.want))
			}
		})
	}
}

func TestSearchRejectsBadQueries(t *testing.T) {
	ix := loadSample(t)
	for _, q := range []string{`foo:bar`, `"open`, `title:`, `-`, `year:soon`} {
		req := catalog.SearchRequest{Query: q}
		if err := req.Normalize(); err != nil {
			t.Fatal(err)
		}
		_, err := ix.Search(context.Background(), req)
		if code := catalog.ErrorCode(err); code != catalog.EINVALID {
			t.Errorf("query %q: error %v (code %q), want %s", q, err, code, catalog.EINVALID)
		}
	}
}

func TestSearchFilters(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		name   string
		query  string
		filter catalog.TalkFilter
		want   []int64
	}{
		{"series", "", catalog.TalkFilter{Series: []string{"NANOG"}}, []int64{1, 5}},
		{"series alternatives", "", catalog.TalkFilter{Series: []string{"NANOG", "RIPE"}}, []int64{1, 2, 5, 7}},
		{"series ignores case", "", catalog.TalkFilter{Series: []string{"nanog"}}, []int64{1, 5}},
		{"series is whole", "", catalog.TalkFilter{Series: []string{"NANO"}}, nil},
		{"event", "", catalog.TalkFilter{Event: []string{"RIPE 80"}}, []int64{2}},
		{"year", "", catalog.TalkFilter{Year: []int{2019}}, []int64{1, 6}},
		{"year alternatives", "", catalog.TalkFilter{Year: []int{2019, 2023}}, []int64{1, 3, 6, 7}},
		{"speaker", "", catalog.TalkFilter{Speaker: []string{"Geoff Huston"}}, []int64{1, 2}},
		{"speaker among several", "", catalog.TalkFilter{Speaker: []string{"Ana Lopez"}}, []int64{2, 6}},
		{"tag", "", catalog.TalkFilter{Tag: []string{"ipv6"}}, []int64{2}},
		{"tag with a space", "", catalog.TalkFilter{Tag: []string{"segment routing"}}, []int64{6}},
		{"min rating", "", catalog.TalkFilter{MinRating: 4}, []int64{1, 2, 7}},
		{"min rating 1 means rated", "", catalog.TalkFilter{MinRating: 1}, []int64{1, 2, 3, 6, 7}},
		{"watched", "", catalog.TalkFilter{Watched: ptr(true)}, []int64{1, 7}},
		{"not watched", "", catalog.TalkFilter{Watched: ptr(false)}, []int64{2, 3, 4, 5, 6, 8}},
		{"has video", "", catalog.TalkFilter{Has: []string{catalog.LinkVideo}}, []int64{1, 3, 7}},
		{"has slides", "", catalog.TalkFilter{Has: []string{catalog.LinkSlides}}, []int64{2, 3}},
		{"has video or slides", "", catalog.TalkFilter{Has: []string{catalog.LinkVideo, catalog.LinkSlides}}, []int64{1, 2, 3, 7}},
		{"fields combine with and", "", catalog.TalkFilter{Series: []string{"RIPE"}, Year: []int{2023}}, []int64{7}},
		{"filter and query", "bgp", catalog.TalkFilter{Series: []string{"RIPE"}}, []int64{7}},
		{"filter and exclusion", "-bgp", catalog.TalkFilter{Watched: ptr(true)}, nil},
		{"filter and year prefix", "year:2020", catalog.TalkFilter{Has: []string{catalog.LinkSlides}}, []int64{2}},
		{"nothing matches both", "peering", catalog.TalkFilter{Series: []string{"NANOG"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, Filter: tt.filter})
			if got := sortedIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("got ids %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchSort(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		name  string
		query string
		sort  string
		want  []int64
	}{
		// Talk 4 has no start: last in both directions.
		{"newest", "", catalog.SortNewest, []int64{3, 7, 5, 2, 8, 6, 1, 4}},
		{"oldest", "", catalog.SortOldest, []int64{1, 6, 8, 2, 5, 7, 3, 4}},
		// Equal ratings fall back to newest; unrated talks come last.
		{"rating", "", catalog.SortRating, []int64{7, 1, 2, 3, 6, 5, 8, 4}},
		// With nothing to rank by, relevance is newest first.
		{"relevance without text", "", catalog.SortRelevance, []int64{3, 7, 5, 2, 8, 6, 1, 4}},
		// A title match outranks an abstract match.
		{"relevance", "bgp", catalog.SortRelevance, []int64{1, 7}},
		{"newest with text", "route", catalog.SortNewest, []int64{7, 6, 1}},
		{"oldest with text", "route", catalog.SortOldest, []int64{1, 6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, Sort: tt.sort})
			if got := hitIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("got order %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchRelevanceBoostsTitleOverAbstract(t *testing.T) {
	ix, _ := openTemp(t)
	talks := []*catalog.Talk{
		{ID: 1, Series: "S", Event: "E", Title: "Notes from the field", Abstract: "All about multicast in campus networks."},
		{ID: 2, Series: "S", Event: "E", Title: "Multicast in campus networks", Abstract: "Notes from the field."},
		{ID: 3, Series: "S", Event: "E", Title: "Something else", Speakers: speakers("Multicast Jones")},
	}
	if err := ix.Apply(context.Background(), talks, nil); err != nil {
		t.Fatal(err)
	}
	res := runSearch(t, ix, catalog.SearchRequest{Query: "multicast"})
	if got, want := hitIDs(res), []int64{2, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("got order %v, want %v (title > speakers > abstract)", got, want)
	}
}

func TestSearchPagination(t *testing.T) {
	ix := loadSample(t)
	var seen []int64
	for page, want := range []int{3, 3, 2, 0} {
		res := runSearch(t, ix, catalog.SearchRequest{Sort: catalog.SortNewest, Page: page + 1, PerPage: 3})
		if res.Total != 8 {
			t.Errorf("page %d: total %d, want 8", page+1, res.Total)
		}
		if res.Page != page+1 || res.PerPage != 3 {
			t.Errorf("page %d: result says page %d per_page %d", page+1, res.Page, res.PerPage)
		}
		if len(res.Hits) != want {
			t.Errorf("page %d: %d hits, want %d", page+1, len(res.Hits), want)
		}
		for _, id := range hitIDs(res) {
			if slices.Contains(seen, id) {
				t.Errorf("page %d repeats talk %d", page+1, id)
			}
			seen = append(seen, id)
		}
	}
	if want := []int64{3, 7, 5, 2, 8, 6, 1, 4}; !slices.Equal(seen, want) {
		t.Errorf("pages together give %v, want %v", seen, want)
	}
}

func TestSearchFacets(t *testing.T) {
	ix := loadSample(t)
	fv := func(pairs ...any) []catalog.FacetValue {
		out := []catalog.FacetValue{}
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, catalog.FacetValue{Value: pairs[i].(string), Count: pairs[i+1].(int)})
		}
		return out
	}
	tests := []struct {
		name   string
		query  string
		filter catalog.TalkFilter
		want   map[string][]catalog.FacetValue
	}{
		{"all talks", "", catalog.TalkFilter{}, map[string][]catalog.FacetValue{
			catalog.FacetSeries: fv("AusNOG", 2, "NANOG", 2, "RIPE", 2, "DENOG", 1, "NZNOG", 1),
			catalog.FacetYear:   fv("2020", 3, "2019", 2, "2023", 2, "2017", 1),
			catalog.FacetEvent: fv("AusNOG 2019", 1, "AusNOG 2023", 1, "DENOG9", 1, "NANOG 76", 1,
				"NANOG 80", 1, "NZNOG 2020", 1, "RIPE 80", 1, "RIPE 86", 1),
			catalog.FacetSpeaker: fv("Ana Lopez", 2, "Geoff Huston", 2, "Arnold Nipper", 1, "Eve Hacker", 1,
				"Job Snijders", 1, "Kim Tan", 1, "Mark Smith", 1),
			catalog.FacetTag:    fv("bgp", 1, "ipv6", 1, "measurement", 1, "peering", 1, "routing", 1, "segment routing", 1),
			catalog.FacetRating: fv("5", 2, "2", 1, "3", 1, "4", 1),
			catalog.FacetWatch:  fv("watched", 2),
		}},
		{"facets follow the query", "bgp", catalog.TalkFilter{}, map[string][]catalog.FacetValue{
			catalog.FacetSeries:  fv("NANOG", 1, "RIPE", 1),
			catalog.FacetYear:    fv("2019", 1, "2023", 1),
			catalog.FacetEvent:   fv("NANOG 76", 1, "RIPE 86", 1),
			catalog.FacetSpeaker: fv("Geoff Huston", 1, "Job Snijders", 1),
			catalog.FacetTag:     fv("bgp", 1, "routing", 1),
			catalog.FacetRating:  fv("5", 2),
			catalog.FacetWatch:   fv("watched", 2),
		}},
		{"facets follow the filters", "", catalog.TalkFilter{Year: []int{2020}}, map[string][]catalog.FacetValue{
			catalog.FacetSeries:  fv("NANOG", 1, "NZNOG", 1, "RIPE", 1),
			catalog.FacetYear:    fv("2020", 3),
			catalog.FacetEvent:   fv("NANOG 80", 1, "NZNOG 2020", 1, "RIPE 80", 1),
			catalog.FacetSpeaker: fv("Ana Lopez", 1, "Eve Hacker", 1, "Geoff Huston", 1, "Kim Tan", 1),
			catalog.FacetTag:     fv("ipv6", 1, "measurement", 1),
			catalog.FacetRating:  fv("4", 1),
		}},
		{"no hits still lists every facet", "nonexistentword", catalog.TalkFilter{}, map[string][]catalog.FacetValue{
			catalog.FacetSeries: fv(), catalog.FacetYear: fv(), catalog.FacetEvent: fv(),
			catalog.FacetSpeaker: fv(), catalog.FacetTag: fv(), catalog.FacetRating: fv(),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, Filter: tt.filter})
			if len(res.Facets) != len(catalog.FacetNames()) {
				t.Errorf("got %d facets, want %d", len(res.Facets), len(catalog.FacetNames()))
			}
			for _, name := range catalog.FacetNames() {
				got, ok := res.Facets[name]
				if !ok || got == nil {
					t.Errorf("facet %s missing or nil", name)
					continue
				}
				if !slices.Equal(got, tt.want[name]) {
					t.Errorf("facet %s = %v, want %v", name, got, tt.want[name])
				}
			}
			// Empty facets serialise as [] rather than null.
			b, err := json.Marshal(res.Facets)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "null") {
				t.Errorf("facets JSON contains null: %s", b)
			}
		})
	}
}

func TestSearchHighlights(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		name      string
		query     string
		id        int64
		field     string
		contains  []string
		forbidden []string
	}{
		{"title is escaped around a match", "alert", 5, fieldTitle,
			[]string{"&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"}, []string{"<script>"}},
		{"abstract is escaped", "ampersands", 5, fieldAbstract,
			[]string{"&lt;b&gt;tags&lt;/b&gt; &amp; <mark>ampersands</mark>"}, []string{"<b>"}},
		{"match inside markup is escaped", "script", 5, fieldTitle,
			[]string{"&lt;<mark>script</mark>&gt;"}, []string{"<script>", "</script>"}},
		{"note", "zebra", 6, fieldNote, []string{"<mark>zebra</mark>"}, nil},
		{"speaker keeps its case", "huston", 2, fieldSpeakers, []string{"Geoff <mark>Huston</mark>"}, nil},
		{"stemmed match", "reflectors", 1, fieldTitle, []string{"<mark>Reflector</mark>"}, nil},
		{"phrase", `"data center"`, 3, fieldTitle, []string{"<mark>Data</mark> <mark>Center</mark>"}, nil},
		{"field prefix", "abstract:rdma", 3, fieldAbstract, []string{"<mark>RDMA</mark>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runSearchOver(t, ix, sampleTalks(), catalog.SearchRequest{Query: tt.query})
			var hit *catalog.SearchHit
			for i := range res.Hits {
				if res.Hits[i].ID == tt.id {
					hit = &res.Hits[i]
				}
			}
			if hit == nil {
				t.Fatalf("talk %d not among hits %v", tt.id, hitIDs(res))
			}
			frags := hit.Highlights[tt.field]
			if len(frags) == 0 {
				t.Fatalf("no %s highlight; highlights: %v", tt.field, hit.Highlights)
			}
			joined := strings.Join(frags, " ")
			for _, s := range tt.contains {
				if !strings.Contains(joined, s) {
					t.Errorf("%s highlight %q lacks %q", tt.field, joined, s)
				}
			}
			for _, s := range tt.forbidden {
				if strings.Contains(joined, s) {
					t.Errorf("%s highlight %q contains unescaped %q", tt.field, joined, s)
				}
			}
			for field, frags := range hit.Highlights {
				for _, f := range frags {
					if !strings.Contains(f, "<mark>") {
						t.Errorf("%s fragment %q highlights nothing", field, f)
					}
				}
			}
		})
	}
}

func TestSearchHighlightsOnlyMatchedFields(t *testing.T) {
	ix := loadSample(t)
	res := runSearchOver(t, ix, sampleTalks(), catalog.SearchRequest{Query: "bgp"})
	for _, h := range res.Hits {
		if h.ID != 1 {
			continue
		}
		if _, ok := h.Highlights[fieldTitle]; !ok {
			t.Errorf("talk 1: no title highlight: %v", h.Highlights)
		}
		// "iBGP" in the abstract is a different word.
		if f, ok := h.Highlights[fieldAbstract]; ok {
			t.Errorf("talk 1: unexpected abstract highlight %v", f)
		}
	}
}

func TestSearchWithoutTextHasNoHighlights(t *testing.T) {
	ix := loadSample(t)
	for _, q := range []string{"", "year:2019", "-bgp"} {
		res := runSearchOver(t, ix, sampleTalks(), catalog.SearchRequest{Query: q, Filter: catalog.TalkFilter{Series: []string{"AusNOG"}}})
		if len(res.Hits) == 0 {
			t.Fatalf("query %q: no hits", q)
		}
		for _, h := range res.Hits {
			if h.Highlights != nil {
				t.Errorf("query %q: talk %d has highlights %v", q, h.ID, h.Highlights)
			}
		}
	}
}

func TestSearchResultShape(t *testing.T) {
	ix := loadSample(t)
	res := runSearch(t, ix, catalog.SearchRequest{Query: "bgp"})
	for _, h := range res.Hits {
		if h.Talk != nil {
			t.Errorf("hit %d: Talk is set; the caller hydrates it", h.ID)
		}
		if h.Score <= 0 {
			t.Errorf("hit %d: score %v, want > 0", h.ID, h.Score)
		}
	}
	if res.Took <= 0 || res.TookMS <= 0 {
		t.Errorf("took %v / %v ms, want both > 0", res.Took, res.TookMS)
	}
}

func TestSearchRespectsContext(t *testing.T) {
	ix := loadSample(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := catalog.SearchRequest{Query: "bgp"}
	if err := req.Normalize(); err != nil {
		t.Fatal(err)
	}
	_, err := ix.Search(ctx, req)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("search with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestApplyUpdatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	ix := loadSample(t)

	if err := ix.Apply(ctx, nil, []int64{1}); err != nil {
		t.Fatal(err)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "bgp"})); !slices.Equal(got, []int64{7}) {
		t.Errorf("after deleting talk 1, bgp finds %v, want [7]", got)
	}
	if n, err := ix.DocCount(); err != nil || n != 7 {
		t.Errorf("DocCount = %d, %v; want 7", n, err)
	}

	updated := sampleTalks()[3] // talk 4
	updated.Title = "PeeringDB Roadmap"
	updated.Rating = 5
	if err := ix.Apply(ctx, []*catalog.Talk{updated}, nil); err != nil {
		t.Fatal(err)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "roadmap"})); !slices.Equal(got, []int64{4}) {
		t.Errorf("updated title: roadmap finds %v, want [4]", got)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "title:update"})); len(got) != 0 {
		t.Errorf("old title still found: %v", got)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Filter: catalog.TalkFilter{MinRating: 5}})); !slices.Equal(got, []int64{4, 7}) {
		t.Errorf("rating 5 finds %v, want [4 7]", got)
	}

	// An id both upserted and deleted in one call ends up deleted.
	if err := ix.Apply(ctx, []*catalog.Talk{sampleTalks()[1]}, []int64{2}); err != nil {
		t.Fatal(err)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "ipv6"})); len(got) != 0 {
		t.Errorf("talk 2 upserted and deleted is still found: %v", got)
	}

	if err := ix.Apply(ctx, []*catalog.Talk{{Title: "no id"}}, nil); err == nil {
		t.Error("Apply accepted a talk without an id")
	}
}

// TestApplyKeepsOrderAcrossBatches writes several batches at once while the
// same talks change in more than one of them: the last change must win.
func TestApplyKeepsOrderAcrossBatches(t *testing.T) {
	ctx := context.Background()
	ix, _ := openTemp(t)
	gen := newTalkGen()
	titled := func(id int64, title string) change {
		talk := gen.talk(id)
		talk.Title = title
		return change{id: id, doc: newTalkDocument(talk)}
	}
	var changes []change
	changes = append(changes, titled(1, "first version"), titled(2, "doomed talk"))
	for id := int64(10); id < 10+2*batchSize; id++ {
		changes = append(changes, change{id: id, doc: newTalkDocument(gen.talk(id))})
	}
	changes = append(changes, titled(1, "second version"), change{id: 2})
	for id := int64(10 + 2*batchSize); id < 10+3*batchSize; id++ {
		changes = append(changes, change{id: id, doc: newTalkDocument(gen.talk(id))})
	}
	changes = append(changes, titled(1, "third version zeppelin"))

	if err := applyChanges(ctx, ix.bi, changes); err != nil {
		t.Fatal(err)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "title:zeppelin"})); !slices.Equal(got, []int64{1}) {
		t.Errorf("latest title finds %v, want [1]", got)
	}
	for _, q := range []string{`title:"first version"`, `title:"second version"`, `title:doomed`} {
		if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: q})); len(got) != 0 {
			t.Errorf("%s finds %v, want nothing", q, got)
		}
	}
	if n, err := ix.DocCount(); err != nil || n != 1+3*batchSize {
		t.Errorf("DocCount = %d, %v; want %d", n, err, 1+3*batchSize)
	}
}

func TestApplyStopsOnCancelledContext(t *testing.T) {
	ix, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ix.Apply(ctx, newTalkGen().talks(10), nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Apply with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestSafeFragment(t *testing.T) {
	tests := []struct {
		fragment string
		safe     bool
	}{
		{"plain text", true},
		{"a <mark>match</mark> here", true},
		{"&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;", true},
		{"<script><mark>alert</mark>(1)</script>", false},
		{"<mark>x</mark> <b>bold</b>", false},
		{"1 < 2 <mark>x</mark>", false},
		{"<mark onclick=x>y</mark>", false},
		{"<markx>", false},
	}
	for _, tt := range tests {
		if got := safeFragment(tt.fragment); got != tt.safe {
			t.Errorf("safeFragment(%q) = %v, want %v", tt.fragment, got, tt.safe)
		}
	}
}

func TestFiltersIgnoreCase(t *testing.T) {
	ix := loadTalks(t, []*catalog.Talk{
		{ID: 1, Series: "DENOG", Event: "DENOG9", Title: "Peering DB Update", Speakers: []catalog.Speaker{{Name: "Arnold Nipper"}}, Tags: []string{"Peering"}},
		{ID: 2, Series: "NZNOG", Event: "NZNOG 2024", Title: "Starlink", Speakers: []catalog.Speaker{{Name: "Geoff Huston"}}},
	})
	tests := []struct {
		name   string
		filter catalog.TalkFilter
		want   int64
	}{
		{"series", catalog.TalkFilter{Series: []string{"denog"}}, 1},
		{"event", catalog.TalkFilter{Event: []string{"nznog 2024"}}, 2},
		{"speaker", catalog.TalkFilter{Speaker: []string{"ARNOLD NIPPER"}}, 1},
		{"tag", catalog.TalkFilter{Tag: []string{"peering"}}, 1},
	}
	for _, tt := range tests {
		res := runSearch(t, ix, catalog.SearchRequest{Filter: tt.filter})
		if res.Total != 1 || res.Hits[0].ID != tt.want {
			t.Errorf("%s: total %d, want talk %d", tt.name, res.Total, tt.want)
		}
	}
	// Facets keep the spelling of the source.
	res := runSearch(t, ix, catalog.SearchRequest{})
	if got := res.Facets[catalog.FacetSeries]; len(got) == 0 || (got[0].Value != "DENOG" && got[0].Value != "NZNOG") {
		t.Errorf("series facet lost its case: %+v", got)
	}
}

// A quoted phrase of which a language drops all but one word ("los" is a
// Spanish stop word) still means the phrase: the lone word matches only in
// the talks of that language.
func TestPhraseWithAnotherLanguagesStopWord(t *testing.T) {
	ix := loadTalks(t, []*catalog.Talk{
		{ID: 1, Series: "NANOG", Event: "NANOG 90", Title: "Angeles alone in the datacenter"},
		{ID: 2, Series: "ESNOG", Event: "ESNOG 30", Title: "Interconexión en Los Angeles", Language: "es"},
		{ID: 3, Series: "NANOG", Event: "NANOG 91", Title: "Peering in Los Angeles"},
		{ID: 4, Series: "DENOG", Event: "DENOG15", Title: "Die harte Wahrheit über Glasfaser", Language: "de"},
		{ID: 5, Series: "NANOG", Event: "NANOG 92", Title: "Hard lessons from fiber cuts"},
	})
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{`"los angeles"`, []int64{2, 3}},
		{`"die harte"`, []int64{4}},
	} {
		res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, PerPage: 20})
		if got := sortedIDs(res); !slices.Equal(got, tt.want) {
			t.Errorf("%s found %v, want %v", tt.query, got, tt.want)
		}
	}
}
