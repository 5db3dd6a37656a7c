package index

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// orderKey is one level of a sort by columns: a key of segmentColumns (or
// keyScore) and its direction. Talks without the key sort last either way.
type orderKey struct {
	key  int
	desc bool
}

// columnOrder is how a search sorts its hits when not by score alone, or
// nil when Bleve's order by score is the order: a relevance search with
// text. Every order ends in the talk id, so that equal talks keep one order
// across merges and between the pages of a result.
func columnOrder(sort string, hasText bool) []orderKey {
	score := orderKey{keyScore, true}
	newest, talk := orderKey{keyStart, true}, orderKey{keyTalk, true}
	switch sort {
	case catalog.SortAdded:
		return []orderKey{{keyAdded, true}, score, talk}
	case catalog.SortNewest:
		return []orderKey{newest, score, talk}
	case catalog.SortOldest:
		return []orderKey{{keyStart, false}, score, {keyTalk, false}}
	case catalog.SortRating:
		return []orderKey{{keyRating, true}, score, newest, talk}
	default:
		if hasText {
			return nil
		}
		return []orderKey{newest, score, talk}
	}
}

// hitWants says what a search collects from the columns.
type hitWants struct {
	facets bool
	order  []orderKey // nil: no sorting by columns
	top    int        // how many of the first hits in order to keep
}

// any reports whether a search wants anything from the columns.
func (w hitWants) any() bool { return w.facets || w.order != nil }

// hitCollector collects, beside Bleve's own collecting, what a search reads
// from the columns: the facet counts of all hits and the first hits of a
// sort by columns. Hits in segments without columns yet are read from their
// doc values.
type hitCollector struct {
	wants hitWants
	view  snapshotView
	snap  *scorch.IndexSnapshot
	cs    *columns

	// tally holds the counts by term number and the term numbers counted
	// at least once; hits of segments without columns are counted by term.
	tally
	byTerm map[string]uint32

	best *bestOf[rankedHit]

	docValues bleveindex.DocValueReader
	docID     bleveindex.IndexInternalID
	err       error // of the first read of a hit that failed
}

// rankedHit is a hit with its values of the order's keys.
type rankedHit struct {
	values [numKeys + 1]float64
	talk   float64
	score  float64
}

func (cs *columns) collector(snap *scorch.IndexSnapshot, wants hitWants) (*hitCollector, error) {
	c := &hitCollector{wants: wants, view: cs.view(snap), snap: snap, cs: cs}
	if wants.facets {
		c.tally = cs.newTally(len(c.view.terms))
		c.byTerm = map[string]uint32{}
	}
	if wants.order != nil {
		c.best = &bestOf[rankedHit]{k: wants.top, before: ranks(wants.order).before}
	}
	if c.view.missing {
		dv, err := snap.DocValueReader(columnFields())
		if err != nil {
			return nil, fmt.Errorf("read hits: %w", err)
		}
		c.docValues = dv
	}
	return c, nil
}

// collecting returns a context that makes a Bleve search on it pass every
// hit through a hitCollector before collecting it as usual. found gets the
// collector of the snapshot searched, once, before the first hit.
func (cs *columns) collecting(ctx context.Context, wants hitWants, found func(*hitCollector)) context.Context {
	var maker search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		collect, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || collect == nil {
			return collect, loadID, err
		}
		snap, ok := sctx.IndexReader.(*scorch.IndexSnapshot)
		if part, isPart := sctx.IndexReader.(*partReader); isPart {
			snap, ok = part.IndexSnapshot, true
		}
		if !ok {
			return nil, false, fmt.Errorf("read hits: the index reader is a %T, not a scorch snapshot", sctx.IndexReader)
		}
		c, err := cs.collector(snap, wants)
		if err != nil {
			return nil, false, err
		}
		found(c)
		return func(d *search.DocumentMatch) error {
			if d != nil {
				c.add(d.IndexInternalID.Value(), d.Score)
			}
			return collect(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker)
}

// add takes the hit with global document number doc.
func (c *hitCollector) add(doc uint64, score float64) {
	i, local := c.view.segmentOf(doc)
	if i < 0 {
		return
	}
	col := c.view.cols[i]
	if col == nil {
		c.addFromDocValues(doc, score)
		return
	}
	if local+1 >= uint64(len(col.facetStarts)) {
		return
	}
	if c.wants.facets {
		for _, n := range col.facetValues[col.facetStarts[local]:col.facetStarts[local+1]] {
			if c.counts[n] == 0 {
				c.touched = append(c.touched, n)
			}
			c.counts[n]++
		}
	}
	if c.wants.order != nil {
		var keys [numKeys]float64
		for k := range keys {
			keys[k] = col.keys[k][local]
		}
		c.rank(keys, score)
	}
}

// addFromDocValues takes a hit of a segment without columns yet.
func (c *hitCollector) addFromDocValues(doc uint64, score float64) {
	if c.err != nil {
		return
	}
	var keys [numKeys]float64
	for k := range keys {
		keys[k] = math.NaN()
	}
	c.docID = bleveindex.NewIndexInternalID(c.docID, doc)
	c.err = c.docValues.VisitDocValues(c.docID, func(field string, term []byte) {
		if field == fieldFacet {
			if c.wants.facets {
				c.byTerm[string(term)]++
			}
		} else if k := keyOf(field); k >= 0 {
			keys[k] = keyValue(term)
		}
	})
	if c.err != nil || c.wants.order == nil || !c.couldRank(keys, score) {
		return
	}
	id, err := c.snap.ExternalID(c.docID)
	if err != nil {
		c.err = err
		return
	}
	keys[keyTalk] = talkKey([]byte(id))
	c.rank(keys, score)
}

// rank offers a hit to the first wants.top in order.
func (c *hitCollector) rank(keys [numKeys]float64, score float64) {
	c.best.offer(c.ranked(keys, score))
}

func (c *hitCollector) ranked(keys [numKeys]float64, score float64) rankedHit {
	h := rankedHit{talk: keys[keyTalk], score: score}
	for i, o := range c.wants.order {
		if o.key == keyScore {
			h.values[i] = score
		} else {
			h.values[i] = keys[o.key]
		}
	}
	return h
}

// couldRank reports whether a hit whose talk id is not known yet might
// make the first wants.top. Every order ends in the talk id, which only
// breaks ties; reading it is the dearest part of a hit read from doc values
// (a third of a second for all 100k talks newest first), so only hits that
// tie with or beat the last kept on the other keys get it read.
func (c *hitCollector) couldRank(keys [numKeys]float64, score float64) bool {
	if len(c.best.items) < c.best.k {
		return true
	}
	others := ranks(c.wants.order[:len(c.wants.order)-1])
	return !others.before(c.best.items[0], c.ranked(keys, score))
}

// page returns the hits from..from+size of the order, as Bleve would.
func (c *hitCollector) page(from, size int) (search.DocumentMatchCollection, error) {
	if c.err != nil {
		return nil, fmt.Errorf("read hits: %w", c.err)
	}
	ranked := c.best.sorted()
	ranked = ranked[min(from, len(ranked)):min(from+size, len(ranked))]
	out := make(search.DocumentMatchCollection, 0, len(ranked))
	for _, h := range ranked {
		if math.IsNaN(h.talk) {
			return nil, fmt.Errorf("read hits: a hit has no talk id")
		}
		out = append(out, &search.DocumentMatch{ID: strconv.FormatInt(int64(h.talk), 10), Score: h.score})
	}
	return out, nil
}

// ranks is the order of a sort by columns.
type ranks []orderKey

// before reports whether a comes before b in the order.
func (order ranks) before(a, b rankedHit) bool {
	for i, o := range order {
		x, y := a.values[i], b.values[i]
		xMissing, yMissing := math.IsNaN(x), math.IsNaN(y)
		switch {
		case xMissing && yMissing, x == y:
			continue
		case xMissing:
			return false
		case yMissing:
			return true
		case o.desc:
			return x > y
		default:
			return x < y
		}
	}
	return false
}

// bestOf keeps the first k of the items offered to it, in the order
// before: a heap with the last of them on top, so that an item that cannot
// make the cut costs one comparison.
type bestOf[T any] struct {
	k      int
	before func(a, b T) bool
	items  []T
}

func (b *bestOf[T]) offer(x T) {
	switch {
	case len(b.items) < b.k:
		heap.Push(b, x)
	case b.k > 0 && b.before(x, b.items[0]):
		b.items[0] = x
		heap.Fix(b, 0)
	}
}

// sorted returns the items kept, first first.
func (b *bestOf[T]) sorted() []T {
	out := slices.Clone(b.items)
	slices.SortFunc(out, func(x, y T) int {
		switch {
		case b.before(x, y):
			return -1
		case b.before(y, x):
			return 1
		}
		return 0
	})
	return out
}

func (b *bestOf[T]) Len() int           { return len(b.items) }
func (b *bestOf[T]) Less(i, j int) bool { return b.before(b.items[j], b.items[i]) }
func (b *bestOf[T]) Swap(i, j int)      { b.items[i], b.items[j] = b.items[j], b.items[i] }
func (b *bestOf[T]) Push(x any)         { b.items = append(b.items, x.(T)) }
func (b *bestOf[T]) Pop() any {
	last := b.items[len(b.items)-1]
	b.items = b.items[:len(b.items)-1]
	return last
}

// absorb adds the facet counts and first hits of o, which collected other
// hits of the same snapshot for the same wants, and returns the collector
// holding both: the one whose view numbers more terms (numbers are only
// appended, so the other's are the same there).
func (c *hitCollector) absorb(o *hitCollector) *hitCollector {
	if len(o.counts) > len(c.counts) {
		c, o = o, c
	}
	if c.err == nil {
		c.err = o.err
	}
	if c.best != nil && o.best != nil {
		// Every order ends in the talk id, so no two hits tie and the
		// first of both are those of one collector that saw all hits.
		for _, h := range o.best.items {
			c.best.offer(h)
		}
	}
	for _, n := range o.touched {
		if c.counts[n] == 0 {
			c.touched = append(c.touched, n)
		}
		c.counts[n] += o.counts[n]
	}
	for term, count := range o.byTerm {
		c.byTerm[term] += count
	}
	o.release()
	return c
}

// release gives the collector's counts back for another search; it must
// not be used after.
func (c *hitCollector) release() {
	if c.counts != nil {
		c.cs.putTally(c.tally)
		c.tally = tally{}
	}
}

// facets returns every facet of catalog.FacetNames, each ordered by count,
// then value, and cut to its size; a facet nothing matched is empty.
func (c *hitCollector) facets() (map[string][]catalog.FacetValue, error) {
	if c.err != nil {
		return nil, fmt.Errorf("count facets: %w", c.err)
	}
	terms, facetOf := c.view.terms, c.view.facetOf
	if len(c.byTerm) > 0 {
		terms, facetOf = c.mergeTermCounts()
	}
	names := catalog.FacetNames()
	// One pass keeps each facet's first values: a broad search touches
	// tens of thousands of terms, mostly speakers.
	best := make([]*bestOf[uint32], len(names))
	for f, name := range names {
		best[f] = topTerms(facetSize(name), c.counts, terms)
	}
	for _, n := range c.touched {
		if f := facetOf[n]; f >= 0 {
			best[f].offer(n)
		}
	}
	out := make(map[string][]catalog.FacetValue, len(names))
	for f, name := range names {
		numbers := best[f].sorted()
		values := make([]catalog.FacetValue, 0, len(numbers))
		for _, n := range numbers {
			values = append(values, catalog.FacetValue{
				Value: strings.TrimPrefix(terms[n], facetCode(name)),
				Count: int(c.counts[n]),
			})
		}
		out[name] = values
	}
	return out, nil
}

// mergeTermCounts adds the counts of hits counted by term to those counted
// by number, giving terms of no column numbers of this search's own, and
// returns the terms and facets of all numbers.
func (c *hitCollector) mergeTermCounts() ([]string, []int8) {
	index := make(map[string]uint32, len(c.touched))
	for _, n := range c.touched {
		index[c.view.terms[n]] = n
	}
	// Own copies: the shared slices may not be appended to.
	terms, facetOf := slices.Clip(c.view.terms), slices.Clip(c.view.facetOf)
	for term, count := range c.byTerm {
		n, ok := index[term]
		if !ok {
			n = uint32(len(terms))
			terms = append(terms, term)
			facetOf = append(facetOf, facetIndex(term))
			c.counts = append(c.counts, 0)
			c.touched = append(c.touched, n)
		}
		c.counts[n] += count
	}
	c.byTerm = nil
	return terms, facetOf
}

// topTerms keeps the k term numbers offered that come first by count, then
// term. A broad search touches tens of thousands of speakers and sorting
// them all took longer than counting them, so only the terms that can
// still make the cut are kept.
func topTerms(k int, counts []uint32, terms []string) *bestOf[uint32] {
	return &bestOf[uint32]{k: k, before: func(a, b uint32) bool {
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		return terms[a] < terms[b]
	}}
}
