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
	// searcher builds, so a talk scores what it would there. Their readers
	// may read word positions held in memory (see positionsHeld).
	part, inParts := r.(*partReader)
	if inParts {
		part = part.forPhrases()
		r = part
	}
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
	if inParts && positionsHeld(field) {
		if err := s.readPositions(ctx, part, field); err != nil {
			_ = s.Close()
			return nil, err
		}
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

	// readers, when set, read each word's positions, to find the talks
	// where the phrase stands before all scores them: all then only jumps
	// to those. Scoring every talk with all the words, to keep a few
	// (46 of 15k for "python talk" at 100k talks), was most of a phrase's
	// time once the positions were held in memory.
	readers []bleveindex.TermFieldReader
	docs    []*bleveindex.TermFieldDoc // each reader's last posting
	docAt   []uint64                   // and its document number
	read    []bool                     // whether it read one yet
	from    uint64                     // where the next match is looked for
	done    bool
	id      bleveindex.IndexInternalID // scratch
}

// readPositions opens the readers of the words' positions in field of part,
// a phrase's (see partReader.forPhrases).
func (s *phraseSearcher) readPositions(ctx context.Context, part *partReader, field string) error {
	for _, w := range s.words {
		tfr, err := part.TermFieldReader(ctx, []byte(w.term), field, true, false, true)
		if err != nil {
			return fmt.Errorf("phrase in %s: term %q: %w", field, w.term, err)
		}
		s.readers = append(s.readers, tfr)
		s.docs = append(s.docs, &bleveindex.TermFieldDoc{})
	}
	s.docAt, s.read = make([]uint64, len(s.words)), make([]bool, len(s.words))
	return nil
}

// nextMatch returns the first talk at or after s.from where the words
// stand in order, by their readers; ok is false when there is none.
func (s *phraseSearcher) nextMatch() (doc uint64, ok bool, err error) {
	doc = s.from
	for !s.done {
		// Every reader moves to the first talk at or after doc that all
		// have; a reader already there is not moved, as a reader moved
		// back reads again from the start.
		for i := 0; i < len(s.readers); {
			if !s.read[i] || s.docAt[i] < doc {
				s.id = bleveindex.NewIndexInternalID(s.id, doc)
				d, err := s.readers[i].Advance(s.id, s.docs[i].Reset())
				if err != nil {
					return 0, false, err
				}
				if d == nil {
					s.done = true
					return 0, false, nil
				}
				s.docs[i], s.docAt[i], s.read[i] = d, d.ID.Value(), true
			}
			if s.docAt[i] > doc {
				doc, i = s.docAt[i], 0
				continue
			}
			i++
		}
		if s.standInOrder() {
			return doc, true, nil
		}
		doc++
	}
	return 0, false, nil
}

// standInOrder reports whether the words stand in order in the talk all
// readers are at.
func (s *phraseSearcher) standInOrder() bool {
	for _, start := range s.docs[0].Vectors {
		all := true
		for i := 1; i < len(s.words) && all; i++ {
			want, found := start.Pos+s.words[i].offset, false
			for _, v := range s.docs[i].Vectors {
				if v.Pos == want {
					found = true
					break
				}
			}
			all = found
		}
		if all {
			return true
		}
	}
	return false
}

// jump moves all to the next talk where the phrase stands, by the readers.
func (s *phraseSearcher) jump(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		doc, ok, err := s.nextMatch()
		if !ok || err != nil {
			return nil, err
		}
		s.from = doc + 1
		dm, err := s.all.Advance(ctx, bleveindex.NewIndexInternalID(nil, doc))
		if dm == nil || err != nil {
			return nil, err
		}
		if s.keep(dm) {
			return dm, nil
		}
		// Not reached while both read the same index: the readers found
		// the phrase in the talk all stands on.
		ctx.DocumentMatchPool.Put(dm)
	}
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.readers != nil {
		return s.jump(ctx)
	}
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
	if s.readers != nil {
		s.from = max(s.from, id.Value())
		return s.jump(ctx)
	}
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

func (s *phraseSearcher) Close() error {
	err := s.all.Close()
	for _, r := range s.readers {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
func (s *phraseSearcher) Weight() float64            { return s.all.Weight() }
func (s *phraseSearcher) SetQueryNorm(norm float64)  { s.all.SetQueryNorm(norm) }
func (s *phraseSearcher) Count() uint64              { return s.all.Count() }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) Size() int                  { return s.all.Size() }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.all.DocumentMatchPoolSize() + 1 }
