package index

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	htmlhighlight "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// locate finds where the query top matched each of hits, a page it found,
// and returns those hits with their term locations. Asking Bleve for
// locations in the search itself makes it record where every term matched
// in every hit: the positions of tens of thousands of hits of a broad
// search, for one page of highlights. Instead top is run again with term
// positions, jumping from hit to hit in index order: a searcher advanced to
// a document that matches stops there, so this costs a page of documents,
// not another search. (Phrases are the exception, see highlightQuery.) r is
// a snapshot of the index; a hit it no longer has is shown without
// highlights.
func (ix *Index) locate(ctx context.Context, r bleveindex.IndexReader, top query.Query, hits search.DocumentMatchCollection) ([]located, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	targets := make([]locateTarget, 0, len(hits))
	for _, h := range hits {
		doc, err := r.InternalID(h.ID)
		if err != nil {
			return nil, fmt.Errorf("highlight talk %s: %w", h.ID, err)
		}
		if doc != nil { // nil: written or deleted meanwhile; shown unhighlighted
			targets = append(targets, locateTarget{doc: doc, hit: h})
		}
	}
	slices.SortFunc(targets, func(a, b locateTarget) int { return a.doc.Compare(b.doc) })

	hq, phrases := highlightQuery(top, ix.bi.Mapping())
	if hq == nil {
		return nil, nil
	}
	// The checksums come from the columns, read once per segment; a
	// segment's doc values would be decompressed for each hit.
	var view snapshotView
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		view = ix.columns.view(snap)
	}
	return ix.locateIn(ctx, r, hq, phrases, view, targets)
}

// locateTarget is a hit of the page and its document in the snapshot.
type locateTarget struct {
	doc bleveindex.IndexInternalID
	hit *search.DocumentMatch
}

// locateIn finds where hq matched each of targets, in document order, in
// r; view has the snapshot's columns.
func (ix *Index) locateIn(ctx context.Context, r bleveindex.IndexReader, hq query.Query, phrases phraseMarks, view snapshotView, targets []locateTarget) ([]located, error) {
	searcher, err := hq.Searcher(ctx, r, ix.bi.Mapping(), search.SearcherOptions{IncludeTermVectors: true})
	if err != nil {
		return nil, fmt.Errorf("highlight: %w", err)
	}
	defer searcher.Close()
	var sums bleveindex.DocValueReader
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize()+len(targets), 0)}
	found := make([]located, 0, len(targets))
	// A talk that matched only in fields that are never highlighted (or
	// that changed since the search) is passed by: the searcher stops at
	// a later target, which it has then already yielded, so that match is
	// kept for the target it is.
	var ahead *search.DocumentMatch
	for _, t := range targets {
		dm := ahead
		if dm == nil || dm.IndexInternalID.Compare(t.doc) < 0 {
			var err error
			if dm, err = searcher.Advance(sctx, t.doc); err != nil {
				return nil, fmt.Errorf("highlight talk %s: %w", t.hit.ID, err)
			}
			if dm == nil {
				break
			}
		}
		if !dm.IndexInternalID.Equals(t.doc) {
			ahead = dm // nothing to highlight in this talk
			continue
		}
		ahead = nil
		dm.Complete(nil) // gathers the term positions into Locations
		// The searcher reuses its buffers as it moves on: the hit keeps
		// a copy of where it matched.
		t.hit.Locations = phrases.keep(copyLocations(dm.Locations))
		l := located{hit: t.hit}
		var ok bool
		if l.sum, ok = view.textSum(dm.IndexInternalID.Value()); !ok {
			if sums == nil {
				if sums, err = r.DocValueReader([]string{fieldTextSum}); err != nil {
					return nil, fmt.Errorf("highlight: %w", err)
				}
			}
			err := sums.VisitDocValues(dm.IndexInternalID, func(_ string, term []byte) { l.sum, _ = parseTextSum(term) })
			if err != nil {
				return nil, fmt.Errorf("highlight talk %s: %w", t.hit.ID, err)
			}
		}
		found = append(found, l)
	}
	return found, nil
}

// located is a hit with its term locations, and the checksum of the texts
// they are offsets into (see highlightSum).
type located struct {
	hit *search.DocumentMatch
	sum uint64
}

// copyLocations deep-copies a hit's term locations.
func copyLocations(m search.FieldTermLocationMap) search.FieldTermLocationMap {
	out := make(search.FieldTermLocationMap, len(m))
	for field, terms := range m {
		tm := make(search.TermLocationMap, len(terms))
		for term, locs := range terms {
			cp := make(search.Locations, len(locs))
			for i, l := range locs {
				c := *l
				c.ArrayPositions = slices.Clone(l.ArrayPositions)
				cp[i] = &c
			}
			tm[term] = cp
		}
		out[field] = tm
	}
	return out
}

// cutFragments highlights each of hits (found by locate) in the text of
// its talk among talks. A hit whose talk is missing, or changed since the
// index saw it, is left without highlights.
func cutFragments(hits []located, talks map[int64]*catalog.Talk) error {
	highlighter, err := bleve.Config.Cache.HighlighterNamed(htmlhighlight.Name)
	if err != nil {
		return fmt.Errorf("highlight: %w", err)
	}
	for _, l := range hits {
		id, err := strconv.ParseInt(l.hit.ID, 10, 64)
		if err != nil {
			return fmt.Errorf("highlight: document id %q is not a talk id: %w", l.hit.ID, err)
		}
		t, ok := talks[id]
		if !ok || t == nil || highlightSum(t) != l.sum {
			continue
		}
		doc := highlightDocument(t)
		for _, field := range highlightFields() {
			if len(l.hit.Locations[field]) > 0 {
				highlighter.BestFragmentsInField(l.hit, doc, field, 1)
			}
		}
	}
	return nil
}

// highlightQuery is the part of a compiled query whose matches are
// highlighted: the required words and phrases. The hits are known to match
// the rest, and the filters, exclusions and the proximity bonus would only
// be advanced through for nothing.
//
// Its phrases are turned into their words, all required, and returned
// apart so that keep can drop the words that stand outside the phrase. A
// phrase searcher advanced to a talk that has the phrase in another field
// (its abstract, say, not its title) walks on to the next talk that has it
// in this one, checking the word positions of every talk with both words
// on the way: for two common words that was 20 ms, twice the search.
func highlightQuery(top query.Query, m mapping.IndexMapping) (query.Query, phraseMarks) {
	if b, ok := top.(*query.BooleanQuery); ok && b.Must != nil {
		top = b.Must
	}
	var ph phraseMarks
	q := ph.unphrase(top, m)
	if len(ph.phrases) > 0 {
		ph.collectWords(top, m)
	}
	return highlightLeaves(q, m), ph
}

// highlightLeaves returns one disjunction of the distinct leaves of q that
// match in a highlighted field. The hits are known to match q, so any of
// its leaves found in a hit is one that matched, whatever the structure
// around it: the conjunctions, and the leaves of fields that are never
// highlighted (tags, series and event names, a language's filter), would
// each be advanced from hit to hit for nothing. A leaf of a single term
// becomes a term query, so that the same term reached through several of
// the query's analyses is read once. nil: nothing to highlight.
func highlightLeaves(q query.Query, m mapping.IndexMapping) query.Query {
	var leaves []query.Query
	seen := map[string]bool{}
	add := func(key string, leaf query.Query) {
		if !seen[key] {
			seen[key] = true
			leaves = append(leaves, leaf)
		}
	}
	eachLeaf(q, func(q query.Query) {
		switch q := q.(type) {
		case *query.TermQuery:
			if slices.Contains(highlightFields(), q.FieldVal) {
				add(q.FieldVal+"\x00"+q.Term, q)
			}
		case *query.MatchQuery:
			if !slices.Contains(highlightFields(), q.FieldVal) {
				return
			}
			switch terms := tokenTerms(analyzeWith(m, q.Analyzer, q.FieldVal, q.Match)); len(terms) {
			case 0: // stop words only: matches nothing here
			case 1:
				add(q.FieldVal+"\x00"+terms[0], fieldTerm(q.FieldVal, terms[0]))
			default:
				// Several terms must be found together, as they were.
				if key, err := json.Marshal(q); err == nil {
					add(string(key), q)
				}
			}
		case *query.MatchPhraseQuery:
			if slices.Contains(highlightFields(), q.FieldVal) {
				if key, err := json.Marshal(q); err == nil {
					add(string(key), q)
				}
			}
		}
	})
	if len(leaves) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(leaves)
}

// phraseMarks are the phrases of a highlight query, by field, and the
// words it also matches on their own there, which are marked wherever
// they stand.
type phraseMarks struct {
	phrases map[string][][]phraseWord
	words   map[string]map[string]bool
}

// phraseWord is a term of a phrase and its position after the phrase's
// first term (more than one apart across a dropped stop word).
type phraseWord struct {
	term   string
	offset uint64
}

// unphrase returns q with every phrase of a highlighted field replaced by
// its words, all required, recording the phrase.
func (ph *phraseMarks) unphrase(q query.Query, m mapping.IndexMapping) query.Query {
	switch q := q.(type) {
	case *query.ConjunctionQuery:
		out := make([]query.Query, len(q.Conjuncts))
		for i, c := range q.Conjuncts {
			out[i] = ph.unphrase(c, m)
		}
		return query.NewConjunctionQuery(out)
	case *query.DisjunctionQuery:
		out := make([]query.Query, len(q.Disjuncts))
		for i, d := range q.Disjuncts {
			out[i] = ph.unphrase(d, m)
		}
		dq := query.NewDisjunctionQuery(out)
		dq.SetMin(q.Min)
		return dq
	case *query.MatchPhraseQuery:
		if !slices.Contains(highlightFields(), q.FieldVal) {
			return q
		}
		tokens := analyzeWith(m, q.Analyzer, q.FieldVal, q.MatchPhrase)
		if len(tokens) < 2 {
			return q
		}
		var words []phraseWord
		for _, t := range tokens {
			words = append(words, phraseWord{term: string(t.Term), offset: uint64(t.Position - tokens[0].Position)})
		}
		if ph.phrases == nil {
			ph.phrases = map[string][][]phraseWord{}
		}
		ph.phrases[q.FieldVal] = append(ph.phrases[q.FieldVal], words)
		mq := query.NewMatchQuery(q.MatchPhrase)
		mq.SetField(q.FieldVal)
		mq.Analyzer = q.Analyzer
		mq.SetOperator(query.MatchQueryOperatorAnd)
		return mq
	default:
		return q
	}
}

// collectWords records the terms q matches outside phrases in the fields
// that have phrases.
func (ph *phraseMarks) collectWords(q query.Query, m mapping.IndexMapping) {
	add := func(field string, terms ...string) {
		if _, ok := ph.phrases[field]; !ok {
			return
		}
		if ph.words == nil {
			ph.words = map[string]map[string]bool{}
		}
		if ph.words[field] == nil {
			ph.words[field] = map[string]bool{}
		}
		for _, t := range terms {
			ph.words[field][t] = true
		}
	}
	eachLeaf(q, func(q query.Query) {
		switch q := q.(type) {
		case *query.MatchQuery:
			if _, ok := ph.phrases[q.FieldVal]; ok {
				add(q.FieldVal, tokenTerms(analyzeWith(m, q.Analyzer, q.FieldVal, q.Match))...)
			}
		case *query.TermQuery:
			add(q.FieldVal, q.Term)
		}
	})
}

// eachLeaf calls visit with every query of q that is not a conjunction or
// a disjunction of others, nor a boolean query: of that, only the leaves
// of its required part, since what it excludes matches in no hit.
func eachLeaf(q query.Query, visit func(query.Query)) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		if q.Must != nil {
			eachLeaf(q.Must, visit)
		}
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			eachLeaf(c, visit)
		}
	case *query.DisjunctionQuery:
		for _, d := range q.Disjuncts {
			eachLeaf(d, visit)
		}
	default:
		visit(q)
	}
}

// analyzeWith analyses text with analyzer, or with field's own.
func analyzeWith(m mapping.IndexMapping, analyzer, field, text string) analysis.TokenStream {
	a := analyzerFor(m, analyzer, field)
	if a == nil {
		return nil
	}
	return a.Analyze([]byte(text))
}

// analyzerFor returns the analyzer named, or field's own; nil if the
// mapping has no such analyzer.
func analyzerFor(m mapping.IndexMapping, analyzer, field string) analysis.Analyzer {
	if analyzer == "" {
		analyzer = m.AnalyzerNameForPath(field)
	}
	return m.AnalyzerNamed(analyzer)
}

// keep returns the locations of a hit without the words of phrases that
// do not stand in a phrase there (and are not matched on their own).
// Talks have arrays one level deep (speakers), so a location's place is its
// first array position.
func (ph phraseMarks) keep(locs search.FieldTermLocationMap) search.FieldTermLocationMap {
	type place struct {
		term  string
		array uint64
		pos   uint64
	}
	placeOf := func(term string, l *search.Location) place {
		p := place{term: term, pos: l.Pos}
		if len(l.ArrayPositions) > 0 {
			p.array = l.ArrayPositions[0]
		}
		return p
	}
	for field, phrases := range ph.phrases {
		terms, ok := locs[field]
		if !ok {
			continue
		}
		present := map[place]*search.Location{}
		for term, ls := range terms {
			for _, l := range ls {
				present[placeOf(term, l)] = l
			}
		}
		inPhrase := map[string]bool{}
		kept := map[*search.Location]bool{}
		for _, words := range phrases {
			for _, w := range words {
				inPhrase[w.term] = true
			}
			for _, first := range terms[words[0].term] {
				start := placeOf(words[0].term, first)
				var run []*search.Location
				for _, w := range words {
					l, ok := present[place{term: w.term, array: start.array, pos: start.pos + w.offset}]
					if !ok {
						run = nil
						break
					}
					run = append(run, l)
				}
				for _, l := range run {
					kept[l] = true
				}
			}
		}
		for term, ls := range terms {
			if !inPhrase[term] || ph.words[field][term] {
				continue
			}
			ls = slices.DeleteFunc(ls, func(l *search.Location) bool { return !kept[l] })
			if len(ls) == 0 {
				delete(terms, term)
			} else {
				terms[term] = ls
			}
		}
		if len(terms) == 0 {
			delete(locs, field)
		}
	}
	return locs
}
