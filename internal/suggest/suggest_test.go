package suggest

import (
	"fmt"
	"slices"
	"testing"
)

// sampleTalks is a small catalog whose expected completions follow from
// the ranking rules by hand.
func sampleTalks() []Talk {
	return []Talk{
		{ID: 1, Title: "Segment Routing in Practice", Speakers: []string{"Zoë Durand"}, Series: "DENOG", Event: "DENOG9"},
		{ID: 2, Title: "Segmentation Offload on Linux", Speakers: []string{"Jürgen Müller"}, Series: "DENOG", Event: "DENOG9"},
		{ID: 3, Title: "BGP Route Reflection at Scale", Speakers: []string{"Geoff Huston"}, Series: "RIPE", Event: "RIPE 86"},
		{ID: 4, Title: "Routing Security with RPKI", Speakers: []string{"Geoff Huston", "Zoe Durand"}, Series: "RIPE", Event: "RIPE 87"},
		{ID: 5, Title: "Intro to BGP", Speakers: []string{"Anna Schmidt"}, Series: "DENOG", Event: "DENOG10"},
		{ID: 6, Title: "Advanced BGP", Speakers: []string{"Anna Schmidt"}, Series: "NANOG", Event: "NANOG 90", TitleWeight: 5},
	}
}

func title(text string, id int64) Suggestion {
	return Suggestion{Kind: KindTitle, Text: text, TalkID: id}
}
func speaker(text string, n int) Suggestion {
	return Suggestion{Kind: KindSpeaker, Text: text, Count: n}
}
func series(text string, n int) Suggestion { return Suggestion{Kind: KindSeries, Text: text, Count: n} }
func event(text string, n int) Suggestion  { return Suggestion{Kind: KindEvent, Text: text, Count: n} }

func TestSuggest(t *testing.T) {
	ix := Build(sampleTalks())
	tests := []struct {
		name  string
		query string
		want  []Suggestion
	}{
		{"every word a prefix, the last partial", "seg rou", []Suggestion{title("Segment Routing in Practice", 1)}},
		{"word order does not matter", "rou seg", []Suggestion{title("Segment Routing in Practice", 1)}},
		{"case is ignored; shorter first", "SEG", []Suggestion{
			title("Segment Routing in Practice", 1), title("Segmentation Offload on Linux", 2)}},
		{"first-word matches first, then shorter", "rou", []Suggestion{
			title("Routing Security with RPKI", 4), title("Segment Routing in Practice", 1), title("BGP Route Reflection at Scale", 3)}},
		{"first word beats weight, weight beats order", "bgp", []Suggestion{
			title("BGP Route Reflection at Scale", 3), title("Advanced BGP", 6), title("Intro to BGP", 5)}},
		{"three words, all required", "routing rpki sec", []Suggestion{title("Routing Security with RPKI", 4)}},
		{"accent-free query finds the accented name", "zoe", []Suggestion{speaker("Zoë Durand", 2)}},
		{"accented query finds both spellings", "ZOË dur", []Suggestion{speaker("Zoë Durand", 2)}},
		{"umlaut typed as ue", "mueller", []Suggestion{speaker("Jürgen Müller", 1)}},
		{"umlaut typed as u", "jurgen mul", []Suggestion{speaker("Jürgen Müller", 1)}},
		{"umlaut typed as umlaut", "Müll", []Suggestion{speaker("Jürgen Müller", 1)}},
		{"speaker by surname, counted over talks", "hus", []Suggestion{speaker("Geoff Huston", 2)}},
		{"series and events with talk counts, heavier first", "denog", []Suggestion{
			series("DENOG", 3), event("DENOG9", 2), event("DENOG10", 1)}},
		{"events of equal weight and length in text order", "ripe 8", []Suggestion{event("RIPE 86", 1), event("RIPE 87", 1)}},
		{"no entry has the word", "evpn", []Suggestion{}},
		{"one word matches, the other nowhere", "segment evpn", []Suggestion{}},
		{"empty query", "", []Suggestion{}},
		{"punctuation only", "  !!! -- ", []Suggestion{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Suggest(tt.query, 0)
			if got == nil {
				t.Fatal("Suggest returned nil; want an empty slice for JSON []")
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Suggest(%q) =\n  %v\nwant\n  %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestSuggestSharesSlotsAcrossKinds(t *testing.T) {
	var talks []Talk
	for i := range 20 {
		talks = append(talks, Talk{ID: int64(i + 1), Title: fmt.Sprintf("Peering Policy %d", i), Series: "Open Peering Forum"})
	}
	talks[0].Speakers = []string{"Peter Pan"}
	ix := Build(talks)

	tests := []struct {
		name  string
		limit int
		want  map[Kind]int // how many of each kind
	}{
		// Both kinds have first-word matches: the speaker gets a slot
		// although titles alone could fill the list.
		{"a speaker among many titles", 4, map[Kind]int{KindTitle: 3, KindSpeaker: 1}},
		// The series matches only on its second word, so it waits until
		// first-word matches run out.
		{"a non-first match waits for first-word ones", 8, map[Kind]int{KindTitle: 7, KindSpeaker: 1}},
		{"room for everything", 50, map[Kind]int{KindTitle: 20, KindSpeaker: 1, KindSeries: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Suggest("pe", tt.limit)
			counts := map[Kind]int{}
			for _, s := range got {
				counts[s.Kind]++
			}
			if fmt.Sprint(counts) != fmt.Sprint(tt.want) {
				t.Errorf("kinds = %v, want %v (%v)", counts, tt.want, got)
			}
			if !slices.IsSortedFunc(got, func(a, b Suggestion) int { return kindRank(a.Kind) - kindRank(b.Kind) }) {
				t.Errorf("results not grouped by kind: %v", got)
			}
		})
	}
}

func kindRank(k Kind) int {
	return slices.Index([]Kind{KindTitle, KindSpeaker, KindSeries, KindEvent}, k)
}

func TestSuggestLimit(t *testing.T) {
	var talks []Talk
	for i := range 2 * MaxLimit {
		talks = append(talks, Talk{ID: int64(i + 1), Title: fmt.Sprintf("Network automation %d", i)})
	}
	ix := Build(talks)
	tests := []struct {
		limit, want int
	}{
		{0, DefaultLimit},
		{-3, DefaultLimit},
		{1, 1},
		{20, 20},
		{MaxLimit + 1000, MaxLimit},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.limit), func(t *testing.T) {
			if got := ix.Suggest("net", tt.limit); len(got) != tt.want {
				t.Errorf("Suggest(limit %d) gave %d, want %d", tt.limit, len(got), tt.want)
			}
		})
	}
}

// TestSuggestAgreesWithScan checks matching against a plain scan of every
// entry, on a catalog with many words in common: whatever the prefixes,
// Suggest returns exactly the entries whose words the query's words start.
func TestSuggestAgreesWithScan(t *testing.T) {
	words := []string{"bgp", "bgpsec", "route", "routing", "router", "security", "segment", "peering", "peer", "policy", "ipv6", "ip"}
	var talks []Talk
	for i := range 300 {
		talks = append(talks, Talk{
			ID:       int64(i + 1),
			Title:    fmt.Sprintf("%s %s %s", words[i%len(words)], words[(i/3)%len(words)], words[(i/7)%len(words)]),
			Speakers: []string{fmt.Sprintf("%s Speaker%d", words[(i/5)%len(words)], i%9)},
			Series:   words[i%5],
			Event:    fmt.Sprintf("%s %d", words[i%5], i%4),
		})
	}
	ix := Build(talks)
	for _, q := range []string{"b", "bgp", "bgps", "r", "rout", "route", "p pol", "se rou", "ip", "ip p", "peer peer", "s r p", "bgp sp", "speaker3"} {
		want := scanMatches(talks, q)
		got := map[string]bool{}
		for _, s := range ix.Suggest(q, MaxLimit) {
			got[string(s.Kind)+":"+s.Text] = true
		}
		if len(want) <= MaxLimit {
			if fmt.Sprint(sortedKeys(got)) != fmt.Sprint(sortedKeys(want)) {
				t.Errorf("Suggest(%q) = %v, want %v", q, sortedKeys(got), sortedKeys(want))
			}
			continue
		}
		if len(got) != MaxLimit {
			t.Errorf("Suggest(%q) gave %d of %d matches, want %d", q, len(got), len(want), MaxLimit)
		}
		for k := range got {
			if !want[k] {
				t.Errorf("Suggest(%q) gave %s, which does not match", q, k)
			}
		}
	}
}

// scanMatches folds every title, speaker, series and event and keeps those
// whose words (German spellings included) the query's words all start.
func scanMatches(talks []Talk, query string) map[string]bool {
	qw := queryWords(query)
	matches := func(text string) bool {
		var words []string
		foldWords(text, func(w, alt string) bool {
			words = append(words, w)
			if alt != "" {
				words = append(words, alt)
			}
			return true
		})
		for _, q := range qw {
			if !slices.ContainsFunc(words, func(w string) bool { return len(w) >= len(q) && w[:len(q)] == q }) {
				return false
			}
		}
		return true
	}
	out := map[string]bool{}
	add := func(k Kind, text string) {
		if matches(text) {
			out[string(k)+":"+text] = true
		}
	}
	for _, t := range talks {
		add(KindTitle, t.Title)
		for _, s := range t.Speakers {
			add(KindSpeaker, s)
		}
		add(KindSeries, t.Series)
		add(KindEvent, t.Event)
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
