package index

import (
	"slices"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestForeignStopWords: a word another language drops ("die" in German)
// still narrows the search for talks in the other languages, and an
// exclusion of it still excludes; an English stop word is noise.
func TestForeignStopWords(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "S", Event: "E", Title: "When old routers die", Language: "en"},
		{ID: 2, Series: "S", Event: "E", Title: "BGP at the edge", Language: "en"},
		{ID: 3, Series: "S", Event: "E", Title: "Die Zukunft des Routings", Language: "de"},
		{ID: 4, Series: "S", Event: "E", Title: "BGP and dying sessions", Language: "en"},
	}
	ix := loadTalks(t, talks)
	tests := []struct {
		query string
		want  []int64
	}{
		{`"die"`, []int64{1, 3}},    // English talks need the word; the German one passes
		{"bgp -die", []int64{2, 4}}, // the exclusion is not ignored
		{"the bgp", []int64{2, 4}},  // "the" is noise
	}
	for _, tt := range tests {
		res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
		if got := sortedIDs(res); !slices.Equal(got, tt.want) {
			t.Errorf("query %q: got %v, want %v", tt.query, got, tt.want)
		}
	}
}
