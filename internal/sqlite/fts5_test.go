package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestFTS5Match(t *testing.T) {
	tests := []struct {
		query string
		want  string
		year  int
	}{
		{"bgp", `("bgp"*)`, 0},
		{"bgp ", `("bgp")`, 0},
		{"segment rout", `("segment" AND "rout"*)`, 0},
		{`"segment routing"`, `("segment routing")`, 0},
		{`"segment routing" evpn -mpls`, `("segment routing" AND "evpn") NOT "mpls"`, 0},
		{`bgp -evpn -"data centre"`, `("bgp") NOT "evpn" NOT "data centre"`, 0},
		{"speaker:huston dns", `(speakers : "huston" AND "dns"*)`, 0},
		{"title:bgp year:2019 ", `(title : "bgp")`, 2019},
		{"+bgp x", `("bgp" AND "x")`, 0}, // one letter is no prefix worth expanding
		// FTS5 operators and syntax typed by a user are plain text.
		{`NEAR(a b) OR c*`, `("NEAR(a" AND "b)" AND "OR" AND "c*"*)`, 0},
		{`say"hi`, `("say""hi"*)`, 0},
		{`http://example.org`, `("http://example.org"*)`, 0},
		{"* ^ -", ``, 0},
		{"-bgp", ``, 0},
		{"", ``, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := FTS5Match(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if got.Expr != tt.want || got.Year != tt.year {
				t.Errorf("FTS5Match(%q) = %q year %d, want %q year %d", tt.query, got.Expr, got.Year, tt.want, tt.year)
			}
		})
	}
}

func TestFTS5MatchErrors(t *testing.T) {
	for _, q := range []string{`"unclosed phrase`, "note:later", "mytag:x", "year:soon"} {
		t.Run(q, func(t *testing.T) {
			_, err := FTS5Match(q)
			var ce *catalog.Error
			if !errors.As(err, &ce) || ce.Code != catalog.EINVALID {
				t.Errorf("FTS5Match(%q) error = %v, want EINVALID", q, err)
			}
		})
	}
}

func fts5Talks() []*catalog.Talk {
	talk := func(key, series string, year int, title, speaker, abstract string, tags ...string) *catalog.Talk {
		return &catalog.Talk{
			Series: series, Event: series + " " + string(rune('0'+year%10)), Year: year, Title: title,
			Speakers: []catalog.Speaker{{Name: speaker}}, Abstract: abstract, Tags: tags,
			Source: catalog.Source{Name: "test", Key: key},
		}
	}
	return []*catalog.Talk{
		talk("k1", "DENOG", 2017, "Peering DB Update", "Arnold Nipper", "What changed in PeeringDB this year."),
		talk("k2", "NZNOG", 2020, "Buffers, Bufferbloat and BBR", "Geoff Huston", "Queues in routers and TCP congestion control.", "tcp"),
		talk("k3", "NZNOG", 2022, "On Routing Security", "Geoff Huston", "RPKI and BGP hijacks.", "bgp", "security"),
		talk("k4", "DENOG", 2019, "BGP communities 101", "Someone Else", "Tagging routes, and what Huston said about them."),
		talk("k5", "AusNOG", 2023, "Segment routing in practice", "Ann Operator", "Traffic engineering with segment routing and BGP."),
	}
}

func TestFTS5Search(t *testing.T) {
	ctx := context.Background()
	f, err := NewFTS5Baseline(ctx, filepath.Join(t.TempDir(), "fts5.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Add(ctx, fts5Talks()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		q     FTS5Query
		want  []string // source keys, best first; nil means no hits
		total int      // checked when Facets is set
	}{
		{name: "title outranks abstract", q: FTS5Query{Text: "bgp "}, want: []string{"k4", "k3", "k5"}},
		// k2 and k3 score the same; the newer talk comes first.
		{name: "speaker outranks abstract", q: FTS5Query{Text: "huston "}, want: []string{"k3", "k2", "k4"}},
		{name: "speaker field only", q: FTS5Query{Text: "speaker:huston "}, want: []string{"k3", "k2"}},
		{name: "prefix on the last word", q: FTS5Query{Text: "bufferbl"}, want: []string{"k2"}},
		{name: "stemming", q: FTS5Query{Text: "buffer "}, want: []string{"k2"}},
		{name: "phrase", q: FTS5Query{Text: `"segment routing"`}, want: []string{"k5"}},
		{name: "exclusion", q: FTS5Query{Text: "bgp -security "}, want: []string{"k4", "k5"}},
		{name: "series filter", q: FTS5Query{Text: "bgp ", Series: "NZNOG"}, want: []string{"k3"}},
		{name: "year clause", q: FTS5Query{Text: "year:2019 bgp"}, want: []string{"k4"}},
		{name: "filters alone, newest first", q: FTS5Query{Series: "DENOG"}, want: []string{"k4", "k1"}},
		{name: "operators are text", q: FTS5Query{Text: "bgp OR huston"}, want: nil},
		{name: "facets", q: FTS5Query{Text: "huston ", Facets: true}, want: []string{"k3", "k2", "k4"}, total: 3},
		{name: "limit", q: FTS5Query{Text: "bgp ", Limit: 1}, want: []string{"k4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.SourceKey)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("hits = %v, want %v", got, tt.want)
			}
			if tt.q.Facets {
				if res.Total != tt.total {
					t.Errorf("total = %d, want %d", res.Total, tt.total)
				}
				series := res.Facets[catalog.FacetSeries]
				if len(series) != 2 || series[0] != (catalog.FacetValue{Value: "NZNOG", Count: 2}) {
					t.Errorf("series facet = %v, want NZNOG 2 first of 2", series)
				}
			}
		})
	}
}

func TestFTS5Highlight(t *testing.T) {
	ctx := context.Background()
	f, err := NewFTS5Baseline(ctx, filepath.Join(t.TempDir(), "fts5.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Add(ctx, fts5Talks()); err != nil {
		t.Fatal(err)
	}
	res, err := f.Search(ctx, FTS5Query{Text: "peering ", Highlight: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].Title != "<mark>Peering</mark> DB Update" {
		t.Errorf("hits = %+v, want the marked Peering DB title", res.Hits)
	}
}
