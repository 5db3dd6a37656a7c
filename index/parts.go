package index

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Bleve matches and scores a query's hits on one goroutine: "python" has
// 55k talks at 100k and took 9 ms, while the second core idled. A search
// is therefore run over parts of the index's document numbers at once,
// each part reading only its own numbers through a partReader, and the
// parts' pages (or first hits in a column order) and facet counts are
// merged. Scores do not change: a part reads the same term statistics
// (document counts, field lengths) as the whole.

// searchParts is how many parts a search is split into.
func searchParts(cpus int) int { return min(cpus, 2) }

// partReader is an index snapshot whose terms and document lists yield
// only the documents numbered lo (included) to hi (excluded). Everything
// else, statistics included, is the snapshot's.
type partReader struct {
	*scorch.IndexSnapshot
	lo, hi uint64
	// dense has the snapshot's held lists, which scoring readers read.
	dense *denseView
	// phrases says the readers asked for positions are a phrase's, which
	// need no byte offsets and may read lists held with positions.
	phrases bool
}

// forPhrases returns r for the term readers of a phrase (see fastPhrase).
func (r *partReader) forPhrases() *partReader {
	c := *r
	c.phrases = true
	return &c
}

func (r *partReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bleveindex.TermFieldReader, error) {
	// Scoring readers read held lists: those without positions, and a
	// phrase's from lists held with positions.
	positions := vectors && r.phrases && positionsHeld(field)
	scoring := (!vectors || positions) && (freq || norm)
	if scoring {
		dr, err := r.dense.reader(term, field, freq, norm, positions)
		if err != nil {
			return nil, err
		}
		if dr != nil {
			return &partTermReader{TermFieldReader: dr, part: r.span()}, nil
		}
	}
	tfr, err := r.IndexSnapshot.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	if scoring {
		r.dense.wantIfDense(denseKey{field: field, term: string(term), positions: positions}, tfr.Count())
	}
	return &partTermReader{TermFieldReader: tfr, part: r.span()}, nil
}

func (r *partReader) DocIDReaderAll() (bleveindex.DocIDReader, error) {
	all, err := r.IndexSnapshot.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	return &partDocReader{DocIDReader: all, part: r.span()}, nil
}

// span is the part's range, not yet read.
func (r *partReader) span() docRange { return docRange{lo: r.lo, hi: r.hi} }

// DocIDReaderOnly is restricted too, though only exclusions use it (a
// talk's related talks leave the talk out): a part must never yield a
// document of another.
func (r *partReader) DocIDReaderOnly(ids []string) (bleveindex.DocIDReader, error) {
	only, err := r.IndexSnapshot.DocIDReaderOnly(ids)
	if err != nil {
		return nil, err
	}
	return &partDocReader{DocIDReader: only, part: r.span()}, nil
}

// docRange is the document numbers of a part, and where a reader of it
// stands.
type docRange struct {
	lo, hi  uint64
	started bool
	done    bool
}

// target returns where a reader asked for id (nil: the next document)
// must go: the part's first number when it has not started yet, or
// when id is before the part.
func (d *docRange) target(id bleveindex.IndexInternalID) bleveindex.IndexInternalID {
	first := !d.started
	d.started = true
	if (id == nil && first && d.lo > 0) || (id != nil && id.Value() < d.lo) {
		return bleveindex.NewIndexInternalID(nil, d.lo)
	}
	return id
}

// past reports whether id is beyond the part, which ends the reader.
func (d *docRange) past(id bleveindex.IndexInternalID) bool {
	if id != nil && id.Value() >= d.hi {
		d.done = true
	}
	return d.done
}

type partTermReader struct {
	bleveindex.TermFieldReader
	part docRange
}

func (r *partTermReader) Next(pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if r.part.done {
		return nil, nil
	}
	if id := r.part.target(nil); id != nil {
		return r.clip(r.TermFieldReader.Advance(id, pre))
	}
	return r.clip(r.TermFieldReader.Next(pre))
}

func (r *partTermReader) Advance(id bleveindex.IndexInternalID, pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	if r.part.done {
		return nil, nil
	}
	return r.clip(r.TermFieldReader.Advance(r.part.target(id), pre))
}

func (r *partTermReader) clip(d *bleveindex.TermFieldDoc, err error) (*bleveindex.TermFieldDoc, error) {
	if err != nil || d == nil || !r.part.past(d.ID) {
		return d, err
	}
	return nil, nil
}

// Optimize lets Bleve read several terms' postings as one, the AND or OR
// of their bitmaps, as it does over a whole snapshot (see exclusion): the
// snapshot's readers under the parts' are combined, and a combined reader
// is restricted to the part again.
func (r *partTermReader) Optimize(kind string, octx bleveindex.OptimizableContext) (bleveindex.OptimizableContext, error) {
	o, ok := r.TermFieldReader.(bleveindex.Optimizable)
	if !ok {
		return nil, nil
	}
	var under bleveindex.OptimizableContext
	if octx != nil {
		p, ok := octx.(*partOptimizing)
		if !ok {
			return nil, nil // begun by a reader of no part: leave both be
		}
		under = p.under
	}
	next, err := o.Optimize(kind, under)
	if err != nil || next == nil {
		return nil, err
	}
	return &partOptimizing{under: next, span: docRange{lo: r.part.lo, hi: r.part.hi}}, nil
}

// partOptimizing is the combining of the snapshot readers under the
// readers of one part, whose range, not yet read, is span.
type partOptimizing struct {
	under bleveindex.OptimizableContext
	span  docRange
}

func (p *partOptimizing) Finish() (bleveindex.Optimized, error) {
	done, err := p.under.Finish()
	if err != nil || done == nil {
		return done, err
	}
	if tfr, ok := done.(bleveindex.TermFieldReader); ok {
		return &partTermReader{TermFieldReader: tfr, part: p.span}, nil
	}
	return done, nil
}

type partDocReader struct {
	bleveindex.DocIDReader
	part docRange
}

func (r *partDocReader) Next() (bleveindex.IndexInternalID, error) {
	if r.part.done {
		return nil, nil
	}
	if id := r.part.target(nil); id != nil {
		return r.clip(r.DocIDReader.Advance(id))
	}
	return r.clip(r.DocIDReader.Next())
}

func (r *partDocReader) Advance(id bleveindex.IndexInternalID) (bleveindex.IndexInternalID, error) {
	if r.part.done {
		return nil, nil
	}
	return r.clip(r.DocIDReader.Advance(r.part.target(id)))
}

func (r *partDocReader) clip(id bleveindex.IndexInternalID, err error) (bleveindex.IndexInternalID, error) {
	if err != nil || id == nil || !r.part.past(id) {
		return id, err
	}
	return nil, nil
}

// partResult is what one part of a search found.
type partResult struct {
	hits  search.DocumentMatchCollection
	total uint64
	max   float64
	hc    *hitCollector
	err   error
}

// runInParts runs top over parts of the index at once and returns what one
// search would: ranked by score, the page from..from+size of the merged
// hits; with wants.order, no hits but a collector that keeps the first
// wants.top of all parts in that order (see hitCollector.page). The
// collector also has the facet counts of all hits when wants.facets.
func (ix *Index) runInParts(ctx context.Context, top query.Query, size, from int, wants hitWants) (*bleve.SearchResult, *hitCollector, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil, fmt.Errorf("search in parts: the index reader is a %T, not a scorch snapshot", r)
	}
	var docs uint64
	for _, s := range snap.Segments() {
		docs += s.Segment().Count()
	}
	// Bleve's own search tells the term searchers the scoring model this
	// way; without it they score by TF-IDF.
	model := bleveindex.DefaultScoringModel
	if im, ok := ix.bi.Mapping().(*mapping.IndexMappingImpl); ok && im.ScoringModel == bleveindex.BM25Scoring {
		model = bleveindex.BM25Scoring
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return model }))
	view := ix.dense.view(snap)
	parts := ix.parts
	results := make([]partResult, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := docs*uint64(p)/uint64(parts), docs*uint64(p+1)/uint64(parts)
		if p == parts-1 {
			hi = math.MaxUint64
		}
		wg.Go(func() {
			results[p] = ix.searchPart(ctx, &partReader{IndexSnapshot: snap, lo: lo, hi: hi, dense: view}, top, from+size, wants)
		})
	}
	wg.Wait()
	res := &bleve.SearchResult{Status: &bleve.SearchStatus{Total: 1, Successful: 1}}
	var hc *hitCollector
	lists := make([]search.DocumentMatchCollection, parts)
	for p, pr := range results {
		if pr.err != nil {
			return nil, nil, pr.err
		}
		res.Total += pr.total
		res.MaxScore = max(res.MaxScore, pr.max)
		lists[p] = pr.hits
		if hc == nil {
			hc = pr.hc
		} else if pr.hc != nil {
			hc = hc.absorb(pr.hc)
		}
	}
	merged := mergeByScore(lists)
	res.Hits = merged[min(from, len(merged)):min(from+size, len(merged))]
	return res, hc, nil
}

// searchPart collects the first n hits by score of one part, and what
// wants from the columns.
func (ix *Index) searchPart(ctx context.Context, r *partReader, top query.Query, n int, wants hitWants) (out partResult) {
	if wants.any() {
		ctx = ix.columns.collecting(ctx, wants, func(c *hitCollector) { out.hc = c })
	}
	s, err := top.Searcher(ctx, r, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		return partResult{err: err}
	}
	defer s.Close()
	coll := collector.NewTopNCollector(n, 0, search.SortOrder{&search.SortScore{Desc: true}})
	if err := coll.Collect(ctx, s, r); err != nil {
		return partResult{err: err}
	}
	out.hits, out.total, out.max = coll.Results(), coll.Total(), coll.MaxScore()
	return out
}

// mergeByScore merges lists, each ordered by score, into one: on equal
// scores the earlier list's hit first, as one search finds the lower
// document number first.
func mergeByScore(lists []search.DocumentMatchCollection) search.DocumentMatchCollection {
	var out search.DocumentMatchCollection
	at := make([]int, len(lists))
	for {
		best := -1
		for l, hits := range lists {
			if at[l] < len(hits) && (best < 0 || hits[at[l]].Score > lists[best][at[best]].Score) {
				best = l
			}
		}
		if best < 0 {
			return out
		}
		out = append(out, lists[best][at[best]])
		at[best]++
	}
}
