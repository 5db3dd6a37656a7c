package suggest

import (
	"slices"
	"strings"
	"testing"
)

// FuzzSuggest feeds arbitrary text as a title, a speaker and a query: no
// input may panic, every suggestion must be well formed and hold every
// query word, and removing the talk must leave the index empty.
func FuzzSuggest(f *testing.F) {
	for _, seed := range []struct{ title, speaker, query string }{
		{"Segment Routing in Practice", "Zoë Durand", "seg rou"},
		{"Jürgen Müller über Straße", "ÆØÅ ǅ ﬁ", "mueller"},
		{"", "", ""},
		{"\xff\xfe broken utf-8", "\u0308\u0308", "\u0308"},
		{strings.Repeat("word ", 100), "a", strings.Repeat("w ", 30)},
		{"東京 インターネット", "李", "東"},
	} {
		f.Add(seed.title, seed.speaker, seed.query, 8)
	}
	f.Fuzz(func(t *testing.T, title, speaker, query string, limit int) {
		ix := New()
		ix.Upsert(Talk{ID: 1, Title: title, Speakers: []string{speaker, speaker}, Series: speaker, Event: title})
		ix.Upsert(Talk{ID: 2, Title: speaker, Speakers: []string{title}, Series: title, Event: speaker})
		got := ix.Suggest(query, limit)
		if len(got) > max(limit, DefaultLimit) || len(got) > MaxLimit {
			t.Fatalf("Suggest(limit %d) gave %d", limit, len(got))
		}
		qw := queryWords(query)
		for _, s := range got {
			if !slices.Contains([]Kind{KindTitle, KindSpeaker, KindSeries, KindEvent}, s.Kind) || s.Text == "" {
				t.Fatalf("malformed suggestion %+v", s)
			}
			if len(scanMatches([]Talk{{Title: s.Text}}, query)) == 0 {
				t.Fatalf("suggestion %q does not hold every word of %q (%q)", s.Text, query, qw)
			}
		}
		ix.Remove(1)
		ix.Remove(2)
		if s := ix.Stats(); s != (Stats{}) {
			t.Fatalf("after removing both talks: %+v", s)
		}
	})
}
