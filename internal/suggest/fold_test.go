package suggest

import (
	"slices"
	"testing"
)

func TestFoldWords(t *testing.T) {
	tests := []struct {
		in         string
		words      []string
		alternates []string // German spellings, "" where none
	}{
		{"Segment Routing in Practice", []string{"segment", "routing", "in", "practice"}, []string{"", "", "", ""}},
		{"  BGP/MPLS-VPNs, 2019!", []string{"bgp", "mpls", "vpns", "2019"}, []string{"", "", "", ""}},
		{"Zoë Durand", []string{"zoe", "durand"}, []string{"", ""}},
		{"Jürgen MÜLLER", []string{"jurgen", "muller"}, []string{"juergen", "mueller"}},
		{"Straße Øresund Łódź", []string{"strasse", "oresund", "lodz"}, []string{"", "", ""}},
		{"ﬁnding ＩＰｖ６", []string{"finding", "ipv6"}, []string{"", ""}},
		{"São Paulo 東京", []string{"sao", "paulo", "東京"}, []string{"", "", ""}},
		{"--- ...", nil, nil},
		{"", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var words, alts []string
			foldWords(tt.in, func(w, alt string) bool {
				words = append(words, w)
				alts = append(alts, alt)
				return true
			})
			if !slices.Equal(words, tt.words) || !slices.Equal(alts, tt.alternates) {
				t.Errorf("foldWords(%q) = %q, %q; want %q, %q", tt.in, words, alts, tt.words, tt.alternates)
			}
		})
	}
}

func TestQueryWordsBounds(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  int
	}{
		{"words beyond the eighth are ignored", "a b c d e f g h i j k", maxQueryWords},
		{"runes beyond the 200th are ignored", string(make([]byte, 300)) + " late", 0},
		{"a long word is kept whole within the cap", "x" + string(slices.Repeat([]byte("y"), 150)), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := queryWords(tt.query); len(got) != tt.want {
				t.Errorf("queryWords gave %d words %q, want %d", len(got), got, tt.want)
			}
		})
	}
}
