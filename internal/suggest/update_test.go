package suggest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestUpdates(t *testing.T) {
	tests := []struct {
		name   string
		update func(ix *Index)
		query  string
		want   []Suggestion
	}{
		{"a renamed title is found by its new words", func(ix *Index) {
			ix.Upsert(Talk{ID: 1, Title: "SRv6 in Production", Speakers: []string{"Zoë Durand"}, Series: "DENOG", Event: "DENOG9"})
		}, "srv", []Suggestion{title("SRv6 in Production", 1)}},
		{"a renamed title is gone under its old words", func(ix *Index) {
			ix.Upsert(Talk{ID: 1, Title: "SRv6 in Production", Speakers: []string{"Zoë Durand"}, Series: "DENOG", Event: "DENOG9"})
		}, "segment rou", []Suggestion{}},
		{"a removed talk takes one from its speaker's count", func(ix *Index) {
			ix.Remove(3)
		}, "huston", []Suggestion{speaker("Geoff Huston", 1)}},
		{"a speaker with no talk left is gone", func(ix *Index) {
			ix.Remove(2)
		}, "muller", []Suggestion{}},
		{"a speaker dropped from a talk loses it", func(ix *Index) {
			ix.Upsert(Talk{ID: 4, Title: "Routing Security with RPKI", Speakers: []string{"Zoe Durand"}, Series: "RIPE", Event: "RIPE 87"})
		}, "geoff", []Suggestion{speaker("Geoff Huston", 1)}},
		{"the most used spelling is shown", func(ix *Index) {
			ix.Upsert(Talk{ID: 7, Title: "Anycast", Speakers: []string{"Zoe Durand"}})
		}, "zoe", []Suggestion{speaker("Zoe Durand", 3)}},
		{"a talk that moves event moves its count", func(ix *Index) {
			ix.Upsert(Talk{ID: 2, Title: "Segmentation Offload on Linux", Speakers: []string{"Jürgen Müller"}, Series: "DENOG", Event: "DENOG10"})
		}, "denog", []Suggestion{series("DENOG", 3), event("DENOG10", 2), event("DENOG9", 1)}},
		{"an event whose talks all left is gone", func(ix *Index) {
			ix.Remove(3)
			ix.Remove(4)
		}, "ripe", []Suggestion{}},
		{"upserting an unchanged talk changes nothing", func(ix *Index) {
			for _, tk := range sampleTalks() {
				ix.Upsert(tk)
			}
		}, "denog", []Suggestion{series("DENOG", 3), event("DENOG9", 2), event("DENOG10", 1)}},
		{"a rating lifts a title above its peers", func(ix *Index) {
			ix.Upsert(Talk{ID: 5, Title: "Intro to BGP", Speakers: []string{"Anna Schmidt"}, Series: "DENOG", Event: "DENOG10", TitleWeight: 9})
		}, "bgp", []Suggestion{title("BGP Route Reflection at Scale", 3), title("Intro to BGP", 5), title("Advanced BGP", 6)}},
		{"removing an unknown talk does nothing", func(ix *Index) {
			ix.Remove(999)
		}, "hus", []Suggestion{speaker("Geoff Huston", 2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := Build(sampleTalks())
			tt.update(ix)
			if got := ix.Suggest(tt.query, 0); !slices.Equal(got, tt.want) {
				t.Errorf("Suggest(%q) =\n  %v\nwant\n  %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestSharedTitle(t *testing.T) {
	ix := New()
	ix.Upsert(Talk{ID: 10, Title: "Lightning Talks"})
	ix.Upsert(Talk{ID: 11, Title: "Lightning talks", TitleWeight: 3})
	ix.Upsert(Talk{ID: 12, Title: "LIGHTNING TALKS"})

	// One entry for the three talks, opening the heaviest, spelled its way.
	want := []Suggestion{{Kind: KindTitle, Text: "Lightning talks", TalkID: 11, Count: 3}}
	if got := ix.Suggest("lightning", 0); !slices.Equal(got, want) {
		t.Errorf("with three talks: %v, want %v", got, want)
	}
	// Without it, the newest of equal weight.
	ix.Remove(11)
	want = []Suggestion{{Kind: KindTitle, Text: "LIGHTNING TALKS", TalkID: 12, Count: 2}}
	if got := ix.Suggest("lightning", 0); !slices.Equal(got, want) {
		t.Errorf("after removing 11: %v, want %v", got, want)
	}
	ix.Remove(12)
	want = []Suggestion{title("Lightning Talks", 10)}
	if got := ix.Suggest("lightning", 0); !slices.Equal(got, want) {
		t.Errorf("after removing 12: %v, want %v", got, want)
	}
}

// TestUpdatesLeaveNoTrace removes, one by one in random order, talks
// upserted and then changed: nothing may remain, not an entry, not a word.
func TestUpdatesLeaveNoTrace(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	talks := randomTalks(rng, 400)
	ix := Build(talks)
	for _, tk := range randomTalks(rng, 400) { // the same ids, other content
		ix.Upsert(tk)
	}
	if s := ix.Stats(); s.Talks != 400 || s.Titles == 0 || s.Words == 0 {
		t.Fatalf("after the build: %+v", s)
	}
	for _, i := range rng.Perm(len(talks)) {
		ix.Remove(talks[i].ID)
	}
	if s := ix.Stats(); s != (Stats{}) {
		t.Errorf("after removing every talk: %+v, want all zero", s)
	}
	if got := ix.Suggest("a", MaxLimit); len(got) != 0 {
		t.Errorf("after removing every talk: %v", got)
	}
}

// TestIncrementalMatchesBuild: an index fed talk by talk, with changes
// and removals along the way, answers like one built from the end state.
func TestIncrementalMatchesBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	final := map[int64]Talk{}
	ix := New()
	for round := range 3 {
		for _, tk := range randomTalks(rng, 300) {
			if round > 0 && tk.ID%5 == 0 {
				ix.Remove(tk.ID)
				delete(final, tk.ID)
				continue
			}
			ix.Upsert(tk)
			final[tk.ID] = tk
		}
	}
	var talks []Talk
	for _, tk := range final {
		talks = append(talks, tk)
	}
	built := Build(talks)
	if ix.Stats() != built.Stats() {
		t.Errorf("stats: incremental %+v, built %+v", ix.Stats(), built.Stats())
	}
	for _, q := range []string{"a", "ro", "sec p", "b", "z", "peer", "ipv6 r", "an", "mu"} {
		got, want := ix.Suggest(q, MaxLimit), built.Suggest(q, MaxLimit)
		// Equal ranks may tie-break differently (by internal id), so
		// compare as sets when the lists are not cut short.
		if len(want) < MaxLimit {
			slices.SortFunc(got, compareSuggestions)
			slices.SortFunc(want, compareSuggestions)
		}
		if len(want) < MaxLimit && !slices.Equal(got, want) || len(got) != len(want) {
			t.Errorf("Suggest(%q): incremental %v\nbuilt %v", q, got, want)
		}
	}
}

func compareSuggestions(a, b Suggestion) int {
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// randomTalks makes n talks with ids 1..n from a small vocabulary, so
// that entries and words are shared a lot.
func randomTalks(rng *rand.Rand, n int) []Talk {
	words := []string{"anycast", "routing", "security", "peering", "policy", "ipv6", "bgp", "rpki", "müller", "zoë", "automation", "resilience"}
	names := []string{"Zoë Durand", "Zoe Durand", "Jürgen Müller", "Geoff Huston", "Ana Silva", "Bo Li"}
	talks := make([]Talk, n)
	for i := range talks {
		title := make([]string, 1+rng.IntN(4))
		for j := range title {
			title[j] = words[rng.IntN(len(words))]
		}
		speakers := make([]string, rng.IntN(3))
		for j := range speakers {
			speakers[j] = names[rng.IntN(len(names))]
		}
		talks[i] = Talk{
			ID:          int64(i + 1),
			Title:       strings.Join(title, " "),
			Speakers:    speakers,
			Series:      []string{"", "RIPE", "DENOG", "NANOG"}[rng.IntN(4)],
			Event:       fmt.Sprintf("Meeting %d", rng.IntN(20)),
			TitleWeight: rng.IntN(3),
		}
	}
	return talks
}

// TestLongTitlesStayApart: only the first maxEntryWords words of a title
// are indexed, but titles that differ after them are still two entries.
func TestLongTitlesStayApart(t *testing.T) {
	long := strings.Repeat("network ", maxEntryWords+5)
	ix := Build([]Talk{{ID: 1, Title: long + "alpha"}, {ID: 2, Title: long + "beta"}})
	if got := ix.Suggest("network", 0); len(got) != 2 {
		t.Errorf("Suggest(network) = %v, want both titles", got)
	}
}
