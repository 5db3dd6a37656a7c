package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// exclusion is the excluded part of a query ("-python"): the talks it
// matches are left out, and nothing else of them matters. Bleve searches a
// must-not part as it searches the rest: it decodes the frequencies of its
// words, scores every talk it walks past, and advances each word field by
// field at every talk the rest finds. "-python" took 20 ms at 100k talks.
//
// Searched without scores, a disjunction of plain terms is read as one
// list, the OR of their postings bitmaps (Bleve's "unadorned"
// disjunction). A match query is a conjunction of its analysed words, even
// of one word, which Bleve cannot fold in; so the excluded part is first
// lowered to its terms.
type exclusion struct {
	q query.Query
}

func (e exclusion) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	var terms, others []query.Query
	for _, leaf := range excludedLeaves(e.q, m, nil) {
		if _, ok := leaf.(*query.TermQuery); ok {
			terms = append(terms, leaf)
		} else {
			others = append(others, leaf)
		}
	}
	var lowered query.Query = query.NewDisjunctionQuery(terms)
	if len(others) > 0 {
		lowered = query.NewDisjunctionQuery(append(others, lowered))
	}
	return lowered.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
}

// excludedLeaves appends to out the alternatives of q, any one of which
// excludes a talk: the disjuncts of its disjunctions, and each match query
// of plain words as its one term or its conjunction of terms.
func excludedLeaves(q query.Query, m mapping.IndexMapping, out []query.Query) []query.Query {
	switch q := q.(type) {
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return append(out, q)
		}
		for _, d := range q.Disjuncts {
			out = excludedLeaves(d, m, out)
		}
		return out
	case *query.MatchQuery:
		if q.Fuzziness != 0 || (q.Operator != query.MatchQueryOperatorAnd && q.Operator != query.MatchQueryOperatorOr) {
			return append(out, q)
		}
		a := analyzerFor(m, q.Analyzer, q.FieldVal)
		if a == nil {
			return append(out, q) // Bleve reports it
		}
		var terms []query.Query
		for _, tok := range a.Analyze([]byte(q.Match)) {
			terms = append(terms, fieldTerm(q.FieldVal, string(tok.Term)))
		}
		switch {
		case len(terms) == 0: // only stop words: matches nothing
			return out
		case len(terms) == 1:
			return append(out, terms[0])
		case q.Operator == query.MatchQueryOperatorOr:
			return append(out, terms...)
		default:
			return append(out, query.NewConjunctionQuery(terms))
		}
	default:
		return append(out, q)
	}
}
