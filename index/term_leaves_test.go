package index

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestOneWordLeavesScoreAsMatchQueries: a word compiles to a term query on
// each field, where Bleve's match query would wrap it in a conjunction of
// one. Each query is searched as compiled and with every term of a text
// field turned back into a match query of that one term; the hits and
// their scores must be the same.
func TestOneWordLeavesScoreAsMatchQueries(t *testing.T) {
	ix, reader := openShared(t)
	ctx := context.Background()
	inputs := []string{
		"python", "pyth", "routing servers", "rutas", "pythn", "speaker:huston", "title:python",
		"python OR bgp", "rout -python", `"route servers" python`, "network automation", "year:2015..2016 bgp",
	}
	terms := 0
	for _, in := range inputs {
		clauses, err := parseQuery(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: &dictionary{ctx: ctx, r: reader}, partial: lastWordIsPartial(in, clauses)}
		top, _ := comp.compile(clauses)
		asMatches := asMatchQueries(top, &terms)
		compareScores(t, in, scoresOf(t, ix, reader, asMatches), scoresOf(t, ix, reader, top))
	}
	if terms < len(inputs) {
		t.Fatalf("%d term leaves in %d queries: words no longer compile to terms", terms, len(inputs))
	}
}

// asMatchQueries copies q with each term query on a text field replaced by
// a match query of its term, which the keyword analyzer keeps whole; n
// counts the replacements.
func asMatchQueries(q query.Query, n *int) query.Query {
	switch q := q.(type) {
	case *query.BooleanQuery:
		out := *q
		out.Must, out.Should, out.MustNot = asMatchQueries(q.Must, n), asMatchQueries(q.Should, n), asMatchQueries(q.MustNot, n)
		return &out
	case *query.ConjunctionQuery:
		out := *q
		out.Conjuncts = eachAsMatchQueries(q.Conjuncts, n)
		return &out
	case *query.DisjunctionQuery:
		out := *q
		out.Disjuncts = eachAsMatchQueries(q.Disjuncts, n)
		return &out
	case *query.TermQuery:
		textFields := append(highlightFields(), fieldTags, fieldMyTags, fieldSeriesText, fieldEventText)
		if !slices.Contains(textFields, q.FieldVal) {
			return q
		}
		*n++
		return matchText(q.FieldVal, keyword.Name, q.Term, false, q.Boost())
	}
	return q
}

func eachAsMatchQueries(qs []query.Query, n *int) []query.Query {
	out := make([]query.Query, len(qs))
	for i, q := range qs {
		out[i] = asMatchQueries(q, n)
	}
	return out
}
