package index

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// fastPhrase finds the talks of a phrase as Bleve's phrase searcher does,
// with the same scores, but checks each candidate's word positions in the
// list the index reads them into. Bleve first turns that list into maps
// of maps for every talk that has all the phrase's words: for two common
// words ("python talk", also the proximity bonus of every two-word query)
// that is tens of thousands of talks, and half of the search.
//
// It finds talks only: a search that wants where they matched (the
// highlighting of a page) gets Bleve's own phrase searcher.
type fastPhrase struct {
	phrase *query.MatchPhraseQuery
}

func (q *fastPhrase) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	p := q.phrase
	if options.IncludeTermVectors || p.Fuzziness != 0 {
		return p.Searcher(ctx, r, m, options)
	}
	field := p.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	name := p.Analyzer
	if name == "" {
		name = m.AnalyzerNameForPath(field)
	}
	analyzer := m.AnalyzerNamed(name)
	if analyzer == nil {
		return nil, fmt.Errorf("phrase in %s: no analyzer named %q", field, name)
	}
	words, ok := phraseWords(analyzer.Analyze([]byte(p.MatchPhrase)))
	if !ok {
		// Two words at one position: Bleve's searcher handles that.
		return p.Searcher(ctx, r, m, options)
	}
	if len(words) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	// The term searchers and their conjunction are the ones Bleve's phrase
	// searcher builds, so a talk scores what it would there.
	withPositions := options
	withPositions.IncludeTermVectors = true
	terms := make([]search.Searcher, 0, len(words))
	for _, w := range words {
		ts, err := searcher.NewTermSearcher(ctx, r, w.term, field, p.Boost(), withPositions)
		if err != nil {
			for _, open := range terms {
				_ = open.Close()
			}
			return nil, fmt.Errorf("phrase in %s: term %q: %w", field, w.term, err)
		}
		terms = append(terms, ts)
	}
	all, err := searcher.NewConjunctionSearcher(ctx, r, terms, withPositions)
	if err != nil {
		for _, open := range terms {
			_ = open.Close()
		}
		return nil, fmt.Errorf("phrase in %s: %w", field, err)
	}
	s := &phraseSearcher{all: all, words: words}
	if w := all.Weight(); w > 0 {
		all.SetQueryNorm(1 / math.Sqrt(w))
	}
	return s, nil
}

// phraseWords lists the terms of an analysed phrase with their positions
// after the first; ok is false when two terms share a position.
func phraseWords(tokens analysis.TokenStream) (words []phraseWord, ok bool) {
	if len(tokens) == 0 {
		return nil, true
	}
	first := tokens[0].Position
	for _, t := range tokens {
		first = min(first, t.Position)
	}
	seen := map[int]bool{}
	for _, t := range tokens {
		if seen[t.Position] {
			return nil, false
		}
		seen[t.Position] = true
		words = append(words, phraseWord{term: string(t.Term), offset: uint64(t.Position - first)})
	}
	return words, true
}

// phraseSearcher walks the talks with all the words of a phrase and keeps
// those where they stand in order.
type phraseSearcher struct {
	all   search.Searcher
	words []phraseWord
	// at is, per word, the positions (and array positions) of its term in
	// the current talk; reused from talk to talk.
	at [][]search.Location
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		dm, err := s.all.Next(ctx)
		if dm == nil || err != nil {
			return nil, err
		}
		if s.keep(dm) {
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.all.Advance(ctx, id)
	if dm == nil || err != nil {
		return nil, err
	}
	if s.keep(dm) {
		return dm, nil
	}
	ctx.DocumentMatchPool.Put(dm)
	return s.Next(ctx)
}

// keep reports whether the words stand in order in dm, and drops dm's
// word positions, which no caller asked for.
func (s *phraseSearcher) keep(dm *search.DocumentMatch) bool {
	if s.at == nil {
		s.at = make([][]search.Location, len(s.words))
	}
	for i := range s.at {
		s.at[i] = s.at[i][:0]
	}
	for _, ftl := range dm.FieldTermLocations {
		for i, w := range s.words {
			if w.term == ftl.Term {
				s.at[i] = append(s.at[i], ftl.Location)
			}
		}
	}
	dm.FieldTermLocations = dm.FieldTermLocations[:0]
	for _, start := range s.at[0] {
		if s.followedAt(start) {
			return true
		}
	}
	return false
}

// followedAt reports whether every word after the first stands at its
// offset from start, in the same array element.
func (s *phraseSearcher) followedAt(start search.Location) bool {
	for i := 1; i < len(s.words); i++ {
		want := start.Pos + s.words[i].offset
		found := false
		for _, loc := range s.at[i] {
			if loc.Pos == want && loc.ArrayPositions.Equals(start.ArrayPositions) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *phraseSearcher) Close() error               { return s.all.Close() }
func (s *phraseSearcher) Weight() float64            { return s.all.Weight() }
func (s *phraseSearcher) SetQueryNorm(norm float64)  { s.all.SetQueryNorm(norm) }
func (s *phraseSearcher) Count() uint64              { return s.all.Count() }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) Size() int                  { return s.all.Size() }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.all.DocumentMatchPoolSize() + 1 }
