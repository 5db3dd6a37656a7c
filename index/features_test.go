package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// loadTalks returns a new index holding talks (normalised first).
func loadTalks(t testing.TB, talks []*catalog.Talk) *Index {
	t.Helper()
	ix, _ := openTemp(t)
	for _, talk := range talks {
		talk.Normalize()
	}
	if err := ix.Apply(context.Background(), talks, nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return ix
}

// rankOf is the 1-based rank of id among the hits, 0 if absent.
func rankOf(res *catalog.SearchResult, id int64) int {
	return slices.Index(hitIDs(res), id) + 1
}

// typoCatalog has a talk per distinctive word, plus many talks saying
// "flowspec" and one saying "flowspek", so that a correction of the rare
// spelling towards the common one is offered and the exact one still wins.
func typoCatalog() []*catalog.Talk {
	talks := []*catalog.Talk{
		{ID: 1, Series: "RIPE", Event: "RIPE 86", Title: "Segment Routing in Practice", Speakers: speakers("Ana Lopez")},
		{ID: 2, Series: "NANOG", Event: "NANOG 80", Title: "Measuring IPv6 Adoption", Speakers: speakers("Geoff Huston")},
		{ID: 3, Series: "AusNOG", Event: "AusNOG 2023", Title: "Running Kubernetes on bare metal", Speakers: speakers("Kim Tan")},
		{ID: 4, Series: "DENOG", Event: "DENOG9", Title: "Route origin validation", Speakers: speakers("Job Snijders"),
			Abstract: "RPKI at scale with a single validator."},
		{ID: 5, Series: "NANOG", Event: "NANOG 81", Title: "Flowspek is not a word", Speakers: speakers("Eve Typo")},
	}
	for i := range 25 {
		talks = append(talks, &catalog.Talk{ID: int64(100 + i), Series: "UKNOF", Event: "UKNOF 50",
			Title: fmt.Sprintf("Flowspec war story %d", i), Speakers: speakers("Sam Berg")})
	}
	return talks
}

func TestTypoTolerance(t *testing.T) {
	ix := loadTalks(t, typoCatalog())
	tests := []struct {
		query string
		want  int64
	}{
		{"segmnt routing", 1},        // one typo in a 7-letter word
		{"hustn", 2},                 // a misspelled speaker
		{"speaker:hustn", 2},         // also within a field
		{"kubernetis", 3},            // 10 letters: two typos allowed
		{"kuberentes", 3},            // a transposition (two edits)
		{"valdation origin", 4},      // a typo next to a correct word
		{"singel validator rpki", 4}, // in the abstract only
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query + " "})
			if r := rankOf(res, tt.want); r < 1 || r > 3 {
				t.Errorf("query %q: talk %d at rank %d, want 1..3; hits %v", tt.query, tt.want, r, hitIDs(res))
			}
		})
	}
}

func TestTypoToleranceLimits(t *testing.T) {
	ix := loadTalks(t, typoCatalog())
	tests := []struct {
		query string
		why   string
	}{
		{"ipv7 ", "four letters allow no typo"},
		{"kubxrnxtxs ", "three typos are too many for ten letters"},
		{"-kubernetis ", "exclusions are taken as typed"}, // must not exclude talk 3
		{`"segmnt routing"`, "phrases are taken as typed"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query, PerPage: catalog.MaxPerPage})
			switch tt.query {
			case "-kubernetis ":
				if rankOf(res, 3) == 0 {
					t.Errorf("%s: talk 3 excluded by a typo of its word", tt.why)
				}
			default:
				if res.Total != 0 {
					t.Errorf("%s: query %q found %v", tt.why, tt.query, hitIDs(res))
				}
			}
		})
	}
}

func TestExactMatchBeatsTypoCorrection(t *testing.T) {
	ix := loadTalks(t, typoCatalog())
	res := runSearch(t, ix, catalog.SearchRequest{Query: "flowspek ", PerPage: 50})
	if got := hitIDs(res); len(got) == 0 || got[0] != 5 {
		t.Fatalf("query flowspek: hits %v, want talk 5 (the exact spelling) first", got)
	}
	if res.Total < 2 {
		t.Errorf("query flowspek: total %d; the common spelling flowspec should be found too", res.Total)
	}
	// The common spelling does not pull in the rare one: it is the word
	// people mean, and it is in the index.
	res = runSearch(t, ix, catalog.SearchRequest{Query: "flowspec "})
	if rankOf(res, 5) != 0 {
		t.Errorf("query flowspec found the talk saying flowspek: %v", hitIDs(res))
	}
}

func TestAsYouTypePrefix(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		query string
		want  []int64 // sorted
	}{
		{"snij", []int64{7}},         // the last word completes
		{"snij ", []int64{7}},        // a finished word no talk has is taken as cut short too
		{"origin valid", []int64{7}}, // after a complete word
		{"speaker:snij", []int64{7}}, // within a field
		{"aut", []int64{8}},          // "automation" is only in title and abstract
		{"ansib", []int64{8}},        // abstract only
		{"snij -route", nil},         // the last word is an exclusion: no prefix
		{"origi -route", nil},        // ... and a word before it is not the last
		{`"snij"`, nil},              // phrases are exact
		{"s", allSampleIDs()},        // one letter completes nothing (and is a stop word)
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			if got := sortedIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("query %q: got %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestSynonyms(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "S", Event: "E", Title: "Border Gateway Protocol security in 2024"},
		{ID: 2, Series: "S", Event: "E", Title: "BGP communities explained"},
		{ID: 3, Series: "S", Event: "E", Title: "Cooling the DC"},
		{ID: 4, Series: "S", Event: "E", Title: "Building a data centre fabric"},
		{ID: 5, Series: "S", Event: "E", Title: "Data for the center of the network"},
		{ID: 6, Series: "S", Event: "E", Title: "RoCE for storage"},
		{ID: 7, Series: "S", Event: "E", Title: "Traffic engineering with TE tunnels"},
		{ID: 8, Series: "S", Event: "E", Title: "Zebra crossings", Abstract: "A striped horse talk."},
	}
	path := filepath.Join(t.TempDir(), "synonyms.txt")
	if err := os.WriteFile(path, []byte("# mine\nzebra, striped horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ix, err := OpenWith(filepath.Join(t.TempDir(), "index.bleve"), Options{SynonymsFile: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	for _, talk := range talks {
		talk.Normalize()
	}
	if err := ix.Apply(context.Background(), talks, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []int64 // sorted
	}{
		{"bgp ", []int64{1, 2}},
		{"border gateway protocol ", []int64{1, 2}},
		{`"border gateway protocol"`, []int64{1, 2}},
		{"dc ", []int64{3, 4}},
		{"data center ", []int64{3, 4, 5}}, // talk 5 has both words, apart
		{`"data center"`, []int64{3, 4}},
		{"rdma over converged ethernet ", []int64{6}},
		{"te ", []int64{7}},
		{"bgp security ", []int64{1}},
		{"striped horse ", []int64{8}}, // the user's file
		{"zebra ", []int64{8}},
		{"-bgp ", []int64{3, 4, 5, 6, 7, 8}}, // exclusions exclude the synonyms too
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			if got := sortedIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("query %q: got %v, want %v", tt.query, got, tt.want)
			}
		})
	}
	// What was typed ranks above its synonyms.
	res := runSearch(t, ix, catalog.SearchRequest{Query: "bgp "})
	if got := hitIDs(res); len(got) == 0 || got[0] != 2 {
		t.Errorf("query bgp: order %v, want talk 2 (which says bgp) first", got)
	}
}

func TestSynonymsFileErrors(t *testing.T) {
	for name, content := range map[string]string{
		"one entry":  "bgp\n",
		"long entry": "x, a b c d e f g h i\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "synonyms.txt")
			if err := os.WriteFile(path, []byte("# ok\n"+content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := OpenWith(filepath.Join(t.TempDir(), "index.bleve"), Options{SynonymsFile: path})
			if catalog.ErrorCode(err) != catalog.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			if msg := catalog.ErrorMessage(err); !containsAll(msg, path, "line 2") {
				t.Errorf("message %q does not name the file and line", msg)
			}
		})
	}
	// A missing file is no error: the curated list applies alone.
	ix, err := OpenWith(filepath.Join(t.TempDir(), "index.bleve"), Options{SynonymsFile: filepath.Join(t.TempDir(), "none.txt")})
	if err != nil {
		t.Fatalf("missing synonyms file: %v", err)
	}
	_ = ix.Close()
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
