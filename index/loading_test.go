package index

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/talkdex/talkdex/internal/catalog"
)

// recordingLoader is a PageLoader that remembers every page it was given.
type recordingLoader struct {
	pages [][]int64
	err   error
}

func (l *recordingLoader) load(_ context.Context, ids []int64) (map[int64]*catalog.Talk, error) {
	l.pages = append(l.pages, slices.Clone(ids))
	return nil, l.err
}

// The loader gets the page shown, in rank order, once per search: for a
// scored search, for a browse answered from the cache and for a page of
// close matches.
func TestSearchLoadingLoadsThePageShown(t *testing.T) {
	ix := loadSample(t)
	ctx := context.Background()
	tests := []struct {
		name string
		req  catalog.SearchRequest
	}{
		{"words", catalog.SearchRequest{Query: "huston", PerPage: 20}},
		{"second page", catalog.SearchRequest{Query: "bgp OR ipv6 OR roce", PerPage: 1, Page: 2}},
		{"browse", catalog.SearchRequest{Sort: catalog.SortNewest, PerPage: 2}},
		{"browse again, cached", catalog.SearchRequest{Sort: catalog.SortNewest, PerPage: 2}},
		{"typo", catalog.SearchRequest{Query: "reflectr", PerPage: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l recordingLoader
			res, err := ix.SearchLoading(ctx, tt.req, l.load)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatalf("no hits for %+v", tt.req)
			}
			if len(l.pages) != 1 || !slices.Equal(l.pages[0], hitIDs(res)) {
				t.Errorf("loaded %v, want one page %v", l.pages, hitIDs(res))
			}
		})
	}
}

// A page that cannot be loaded fails the search with the loader's error,
// whether or not the search itself was cached.
func TestSearchLoadingFailsWithTheLoader(t *testing.T) {
	ix := loadSample(t)
	ctx := context.Background()
	gone := errors.New("database file gone")
	for _, req := range []catalog.SearchRequest{
		{Query: "bgp", PerPage: 20},
		{Sort: catalog.SortNewest, PerPage: 20},
		{Sort: catalog.SortNewest, PerPage: 20}, // now from the cache
	} {
		l := recordingLoader{err: gone}
		res, err := ix.SearchLoading(ctx, req, l.load)
		if !errors.Is(err, gone) || res != nil {
			t.Errorf("%+v: got %v, %v; want the loader's error and no result", req, res, err)
		}
	}
}

// On a page that mixes talks matched as typed with close matches, each is
// highlighted by what matched it: the exact talk by the word typed, the
// close one by the talk's own spelling.
func TestCloseMatchesAreHighlighted(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "RIPE", Event: "RIPE 90", Title: "Zebrafish routing labs"},
		{ID: 2, Series: "RIPE", Event: "RIPE 91", Title: "Zebrafsh routing labs"},
	}
	ix := loadTalks(t, talks)
	res := runSearchOver(t, ix, talks, catalog.SearchRequest{Query: "zebrafish", PerPage: 20})
	if !res.CloseMatches || !slices.Equal(hitIDs(res), []int64{1, 2}) {
		t.Fatalf("close %v, hits %v; want the exact talk 1 then the close talk 2", res.CloseMatches, hitIDs(res))
	}
	for i, want := range []string{"<mark>Zebrafish</mark>", "<mark>Zebrafsh</mark>"} {
		titles := res.Hits[i].Highlights[fieldTitle]
		if !slices.ContainsFunc(titles, func(f string) bool { return strings.Contains(f, want) }) {
			t.Errorf("talk %d: title highlights %q, want %s", res.Hits[i].ID, titles, want)
		}
	}
}

// Typo corrections are remembered between searches only until the index
// changes: a word a new talk brings corrects the same typo at once.
func TestWordLookupsFollowWrites(t *testing.T) {
	ctx := context.Background()
	ix := loadTalks(t, []*catalog.Talk{{ID: 1, Series: "RIPE", Event: "RIPE 90", Title: "Kubernetes networking"}})
	typo := catalog.SearchRequest{Query: "zebrafsh", PerPage: 20}
	for range 2 { // the second time from the cache
		if res := runSearch(t, ix, typo); res.Total != 0 {
			t.Fatalf("before the talk: %v", hitIDs(res))
		}
	}
	talk := &catalog.Talk{ID: 2, Series: "RIPE", Event: "RIPE 91", Title: "Zebrafish labs"}
	talk.Normalize()
	if err := ix.Apply(ctx, []*catalog.Talk{talk}, nil); err != nil {
		t.Fatal(err)
	}
	if res := runSearch(t, ix, typo); !slices.Equal(hitIDs(res), []int64{2}) {
		t.Errorf("after the talk: %v, want [2]", hitIDs(res))
	}
	if err := ix.Apply(ctx, nil, []int64{2}); err != nil {
		t.Fatal(err)
	}
	if res := runSearch(t, ix, typo); res.Total != 0 {
		t.Errorf("after deleting the talk: %v", hitIDs(res))
	}
}

// A filter only narrows a search: the talks it keeps come in the order,
// and with the scores, they have without it.
func TestFiltersNarrowWithoutRescoring(t *testing.T) {
	ix := loadSample(t)
	talks := map[int64]*catalog.Talk{}
	for _, talk := range sampleTalks() {
		talks[talk.ID] = talk
	}
	tests := []struct {
		query  string
		filter catalog.TalkFilter
		keep   func(*catalog.Talk) bool
	}{
		{"routing OR ipv6 OR python", catalog.TalkFilter{Series: []string{"nanog", "AusNOG"}},
			func(t *catalog.Talk) bool { return t.Series == "NANOG" || t.Series == "AusNOG" }},
		{"huston", catalog.TalkFilter{Year: []int{2020}}, func(t *catalog.Talk) bool { return t.Year == 2020 }},
		{"bgp OR security OR segment", catalog.TalkFilter{MinRating: 4}, func(t *catalog.Talk) bool { return t.Rating >= 4 }},
		{"", catalog.TalkFilter{Speaker: []string{"Ana Lopez"}, Year: []int{2019, 2020}},
			func(t *catalog.Talk) bool {
				return slices.Contains(t.SpeakerNames(), "Ana Lopez") && (t.Year == 2019 || t.Year == 2020)
			}},
	}
	for _, tt := range tests {
		all := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, PerPage: catalog.MaxPerPage})
		var want []catalog.SearchHit
		for _, h := range all.Hits {
			if tt.keep(talks[h.ID]) {
				want = append(want, h)
			}
		}
		if len(want) == 0 || len(want) == len(all.Hits) {
			t.Fatalf("%q: the filter keeps %d of %d hits; the case tests nothing", tt.query, len(want), len(all.Hits))
		}
		got := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, Filter: tt.filter, PerPage: catalog.MaxPerPage})
		if got.Total != len(want) || len(got.Hits) != len(want) {
			t.Errorf("%q %+v: %v, want %v", tt.query, tt.filter, hitIDs(got), pageIDs(want))
			continue
		}
		for i, h := range got.Hits {
			if h.ID != want[i].ID || math.Abs(h.Score-want[i].Score) > 1e-9 {
				t.Errorf("%q %+v: hit %d is talk %d scored %g, want talk %d scored %g",
					tt.query, tt.filter, i, h.ID, h.Score, want[i].ID, want[i].Score)
			}
		}
	}
}

// countedWords is a word list that knows only how many talks have each word.
type countedWords map[string]uint64

func (w countedWords) corrections(string, int) []dictWord { return nil }
func (w countedWords) neighbours(string, int) []dictWord  { return nil }
func (w countedWords) completions(string, int) []dictWord { return nil }
func (w countedWords) count(word string) uint64           { return w[word] }

// The proximity bonus checks abstracts only when few talks can have every
// word: two common words are rewarded for standing together in a title.
func TestProximityChecksAbstractsOfFewTalks(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		counts countedWords
		want   []string
	}{
		{countedWords{"python": 50000, "talk": 40000}, []string{fieldTitle}},
		{countedWords{"python": 50000, "talk": 40}, []string{fieldAbstract, fieldTitle}},
		{countedWords{"python": 3, "talk": 4}, []string{fieldAbstract, fieldTitle}},
	}
	for _, tt := range tests {
		clauses, err := parseQuery("python talk")
		if err != nil {
			t.Fatal(err)
		}
		comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: tt.counts}
		top, _ := comp.compile(clauses)
		if got := phraseFields(top.Should); !slices.Equal(got, tt.want) {
			t.Errorf("counts %v: proximity phrases in %v, want %v", tt.counts, got, tt.want)
		}
	}
}

// phraseFields lists the fields q matches phrases in, sorted, once each.
func phraseFields(q query.Query) []string {
	var fields []string
	var walk func(query.Query)
	walk = func(q query.Query) {
		switch q := q.(type) {
		case *query.MatchPhraseQuery:
			if !slices.Contains(fields, q.FieldVal) {
				fields = append(fields, q.FieldVal)
			}
		case *query.DisjunctionQuery:
			for _, d := range q.Disjuncts {
				walk(d)
			}
		}
	}
	walk(q)
	slices.Sort(fields)
	return fields
}

// The highlighter cuts fragments out of highlightDocument's texts at the
// offsets the index recorded for newTalkDocument's: the two must hold the
// same values at the same array positions.
func TestHighlightDocumentMatchesTheIndexedOne(t *testing.T) {
	talk := &catalog.Talk{ID: 7, Series: "DENOG", Event: "DENOG15", Title: "Glasfaser \xffim Ring",
		Abstract: "Über Ringe.", Note: "zu lesen",
		Speakers: []catalog.Speaker{{Name: "Ulrike Weiß"}, {Name: " "}, {Name: "Jan Čermák"}}}
	talk.Normalize()
	indexed := newTalkDocument(talk)
	got := map[string][]string{}
	highlightDocument(talk).VisitFields(func(f bleveindex.Field) {
		// Bleve gives a string no array position and the i-th string
		// of a list the position i.
		_, isList := indexed[f.Name()].([]string)
		ap := f.ArrayPositions()
		if isList != (len(ap) == 1) || len(ap) > 1 {
			t.Errorf("%s %q: array positions %v, indexed as %T", f.Name(), f.Value(), ap, indexed[f.Name()])
			return
		}
		pos := 0
		if isList {
			pos = int(ap[0])
		}
		vals := got[f.Name()]
		for len(vals) <= pos {
			vals = append(vals, "")
		}
		vals[pos] = string(f.Value())
		got[f.Name()] = vals
	})
	for _, field := range highlightFields() {
		var want []string
		switch v := indexed[field].(type) {
		case string:
			want = []string{v}
		case []string:
			want = v
		}
		if !slices.Equal(got[field], want) {
			t.Errorf("%s: highlighted %q, indexed %q", field, got[field], want)
		}
	}
}

// Highlights are cut from the talks the loader returns. A talk whose text
// changed since the index saw it (for a moment, until the index catches
// up) is shown without highlights, even when the new text is long enough
// for the old offsets: they would mark other words.
func TestHighlightsComeFromTheLoadedText(t *testing.T) {
	talks := []*catalog.Talk{{ID: 1, Series: "RIPE", Event: "RIPE 90", Title: "Zebrafish routing",
		Abstract: "A long abstract about how zebrafish route packets between reefs.",
		Speakers: []catalog.Speaker{{Name: "Anna Berg"}, {Name: "Karl Marx"}}}}
	ix := loadTalks(t, talks)
	req := catalog.SearchRequest{Query: "zebrafish anna", PerPage: 20}

	// The checksums are read from doc values until the segment's columns
	// are built, then from the columns.
	check := func(t *testing.T) {
		if res := runSearch(t, ix, req); len(res.Hits) != 1 || res.Hits[0].Highlights != nil {
			t.Fatalf("without a loader: hits %v, highlights %v; want one hit, no highlights", hitIDs(res), res.Hits)
		}
		res := runSearchOver(t, ix, talks, req)
		if len(res.Hits) != 1 {
			t.Fatalf("hits %v", hitIDs(res))
		}
		h := res.Hits[0].Highlights
		for field, want := range map[string]string{fieldTitle: "<mark>Zebrafish</mark>", fieldAbstract: "<mark>zebrafish</mark>", fieldSpeakers: "<mark>Anna</mark> Berg"} {
			if !slices.ContainsFunc(h[field], func(f string) bool { return strings.Contains(f, want) }) {
				t.Errorf("%s highlights %q, want %s", field, h[field], want)
			}
		}

		changes := map[string]func(*catalog.Talk){
			"title reworded":     func(c *catalog.Talk) { c.Title = "Routing zebrafish" },
			"abstract shortened": func(c *catalog.Talk) { c.Abstract = "Shorter now." },
			"speakers reordered": func(c *catalog.Talk) {
				c.Speakers = []catalog.Speaker{{Name: "Karl Marx"}, {Name: "Anna Berg"}}
			},
		}
		for name, change := range changes {
			changed := *talks[0]
			change(&changed)
			res = runSearchOver(t, ix, []*catalog.Talk{&changed}, req)
			if len(res.Hits) != 1 || res.Hits[0].Highlights != nil {
				t.Errorf("%s: hits %v, highlights %v; want the hit without highlights", name, hitIDs(res), res.Hits)
			}
		}

		// A talk gone from the database is shown without highlights.
		res = runSearchOver(t, ix, []*catalog.Talk{}, req)
		if len(res.Hits) != 1 || res.Hits[0].Highlights != nil {
			t.Errorf("talk missing from the page: %v", res.Hits)
		}
	}
	t.Run("as written", check)
	settleColumns(t, ix)
	t.Run("columns built", check)
}

// A phrase is highlighted where its words stand together, not wherever
// either word is, in every field; a word also asked for on its own is
// marked everywhere.
func TestPhraseHighlightsMarkThePhraseOnly(t *testing.T) {
	talks := []*catalog.Talk{{ID: 1, Series: "RIPE", Event: "RIPE 90", Title: "Center of data",
		Abstract: "The data we keep sits in the center of town. Our data center runs hot."}}
	ix := loadTalks(t, talks)
	marksIn := func(fragments []string) int {
		n := 0
		for _, f := range fragments {
			n += strings.Count(f, markOpen)
		}
		return n
	}
	res := runSearchOver(t, ix, talks, catalog.SearchRequest{Query: `"data center"`, PerPage: 20})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", hitIDs(res))
	}
	h := res.Hits[0].Highlights
	if got := strings.Join(h[fieldAbstract], " "); marksIn(h[fieldAbstract]) != 2 || !strings.Contains(got, "<mark>data</mark> <mark>center</mark>") {
		t.Errorf("abstract highlight %q; want the phrase marked and nothing else", got)
	}
	if f, ok := h[fieldTitle]; ok {
		t.Errorf("title highlighted %q, though the phrase is not in it", f)
	}

	res = runSearchOver(t, ix, talks, catalog.SearchRequest{Query: `town "data center"`, PerPage: 20})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", hitIDs(res))
	}
	if got := res.Hits[0].Highlights[fieldAbstract]; marksIn(got) != 3 || !strings.Contains(strings.Join(got, " "), "<mark>town</mark>") {
		t.Errorf("abstract highlight %q; want the phrase and town", got)
	}
}

// Phrases across a dropped stop word, with a word twice, and in a list of
// speakers are marked where they stand, and nowhere else.
func TestPhraseHighlightsInEveryShape(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "RIPE", Event: "RIPE 90", Title: "State of the art routing",
			Abstract: "The state we are in: art of routing, state of art, and the state of the art."},
		{ID: 2, Series: "NANOG", Event: "NANOG 90", Title: "New York new peering",
			Abstract: "A new exchange in New York, new again."},
		{ID: 3, Series: "CSNOG", Event: "CSNOG 2024", Title: "Three operators",
			Speakers: []catalog.Speaker{{Name: "Jan Novak"}, {Name: "Petr Cermak"}, {Name: "Jan Čermák"}}},
	}
	ix := loadTalks(t, talks)
	tests := []struct {
		query, field string
		id           int64
		want         []string // the marked runs, in order
	}{
		{`"state of the art"`, fieldAbstract, 1, []string{"<mark>state</mark> of the <mark>art</mark>."}},
		{`"state of the art"`, fieldTitle, 1, []string{"<mark>State</mark> of the <mark>art</mark>"}},
		{`"new york new"`, fieldTitle, 2, []string{"<mark>New</mark> <mark>York</mark> <mark>new</mark> peering"}},
		{`"new york new"`, fieldAbstract, 2, []string{"in <mark>New</mark> <mark>York</mark>, <mark>new</mark> again"}},
		{`"jan cermak"`, fieldSpeakers, 3, []string{"<mark>Jan</mark> <mark>Čermák</mark>"}},
		{`speaker:"jan cermak"`, fieldSpeakers, 3, []string{"<mark>Jan</mark> <mark>Čermák</mark>"}},
	}
	for _, tt := range tests {
		res := runSearchOver(t, ix, talks, catalog.SearchRequest{Query: tt.query, PerPage: 20})
		var frags []string
		for _, h := range res.Hits {
			if h.ID == tt.id {
				frags = h.Highlights[tt.field]
			}
		}
		joined := strings.Join(frags, " | ")
		marks := 0
		for _, w := range tt.want {
			marks += strings.Count(w, markOpen)
			if !strings.Contains(joined, w) {
				t.Errorf("%s in talk %d's %s: highlight %q lacks %q", tt.query, tt.id, tt.field, joined, w)
			}
		}
		if got := strings.Count(joined, markOpen); got != marks {
			t.Errorf("%s in talk %d's %s: %d marks in %q, want %d", tt.query, tt.id, tt.field, got, joined, marks)
		}
	}
}
