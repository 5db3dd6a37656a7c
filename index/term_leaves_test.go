package index

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
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
	textFields := append(highlightFields(), fieldTags, fieldMyTags, fieldSeriesText, fieldEventText)
	return rewriteQuery(q, func(q query.Query) query.Query {
		tq, ok := q.(*query.TermQuery)
		if !ok || !slices.Contains(textFields, tq.FieldVal) {
			return nil
		}
		*n++
		return matchText(tq.FieldVal, keyword.Name, tq.Term, false, tq.Boost())
	})
}

// rewriteQuery copies q with every query that rewrite replaces (returns
// not nil for) replaced, through boolean queries, conjunctions and
// disjunctions.
func rewriteQuery(q query.Query, rewrite func(query.Query) query.Query) query.Query {
	if q == nil {
		return nil
	}
	if r := rewrite(q); r != nil {
		return r
	}
	each := func(qs []query.Query) []query.Query {
		out := make([]query.Query, len(qs))
		for i, q := range qs {
			out[i] = rewriteQuery(q, rewrite)
		}
		return out
	}
	switch q := q.(type) {
	case *query.BooleanQuery:
		out := *q
		out.Must, out.Should, out.MustNot = rewriteQuery(q.Must, rewrite), rewriteQuery(q.Should, rewrite), rewriteQuery(q.MustNot, rewrite)
		return &out
	case *query.ConjunctionQuery:
		out := *q
		out.Conjuncts = each(q.Conjuncts)
		return &out
	case *query.DisjunctionQuery:
		out := *q
		out.Disjuncts = each(q.Disjuncts)
		return &out
	}
	return q
}

// TestPhraseLeftOneWordExcludesOtherLanguages: a phrase of which a
// language's analysis keeps one word ("python with" in English) matches
// that word in the talks of no other language. Each query is searched as
// compiled (excluding the others) and with that part rewritten as
// requiring the language; the hits and scores must be the same.
func TestPhraseLeftOneWordExcludesOtherLanguages(t *testing.T) {
	ix, reader := openShared(t)
	ctx := context.Background()
	inputs := []string{`"python with"`, `"rutas y enrutamiento"`, `"die python"`, `"route servers" "with bgp"`, `"python for network automation"`}
	rewritten := 0
	for _, in := range inputs {
		clauses, err := parseQuery(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: &dictionary{ctx: ctx, r: reader}}
		top, _ := comp.compile(clauses)
		asRequired := requiringLanguages(top, &rewritten)
		compareScores(t, in, scoresOf(t, ix, reader, asRequired), scoresOf(t, ix, reader, top))
	}
	if rewritten == 0 {
		t.Fatal("no phrase left one word: the test compares nothing")
	}

	// English keeps "python" of "python with", Spanish both words: an
	// English talk with "python" matches, the Spanish one does not.
	clauses, err := parseQuery(`"python with"`)
	if err != nil {
		t.Fatal(err)
	}
	comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: &dictionary{ctx: ctx, r: reader}}
	top, _ := comp.compile(clauses)
	found := map[string]bool{}
	for doc := range scoresOf(t, ix, reader, top) {
		id, err := reader.ExternalID(bleveindex.IndexInternalID(binary.BigEndian.AppendUint64(nil, doc)))
		if err != nil {
			t.Fatal(err)
		}
		found[id] = true
	}
	var english, spanish string
	for _, tk := range sharedCorpus() {
		switch tk.Title {
		case "Python routers":
			english = docID(tk.ID)
		case "Rutas y enrutamiento":
			spanish = docID(tk.ID)
		}
	}
	if !found[english] || found[spanish] {
		t.Errorf(`"python with" found the English talk: %v, the Spanish one: %v; want true, false`, found[english], found[spanish])
	}
}

// requiringLanguages copies q with each boolean query that excludes
// languages rewritten as a conjunction requiring the others; n counts
// them.
func requiringLanguages(q query.Query, n *int) query.Query {
	return rewriteQuery(q, func(q query.Query) query.Query {
		bq, ok := q.(*query.BooleanQuery)
		if !ok || bq.Should != nil {
			return nil
		}
		codes := excludedLanguages(bq.MustNot)
		if len(codes) == 0 {
			return nil
		}
		*n++
		return query.NewConjunctionQuery([]query.Query{bq.Must, languageFilter(otherLanguages(codes))})
	})
}

// excludedLanguages returns the language codes q matches, if it is
// nothing but language terms.
func excludedLanguages(q query.Query) []string {
	var codes []string
	only := q != nil
	eachLeaf(q, func(leaf query.Query) {
		if tq, ok := leaf.(*query.TermQuery); ok && tq.FieldVal == fieldLang {
			codes = append(codes, tq.Term)
		} else {
			only = false
		}
	})
	if !only {
		return nil
	}
	return codes
}
