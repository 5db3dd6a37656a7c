package index

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/talkdex/talkdex/internal/catalog"
)

// facetColumns holds every document's fieldFacet terms as numbers, one
// column per index segment, so that counting a search's facets is a few
// array reads per hit.
//
// Why not Bleve's own facets: they read each hit's doc values, and a CPU
// profile of mixed searches over 100k talks spent two thirds of the search
// time there (decompressing doc-value chunks, then counting terms in a map
// of strings). Segments never change once written, so a segment's column is
// built once, from the postings of its fieldFacet terms, and reused by every
// search until a merge replaces the segment.
//
// Building the column of a segment of 100k talks takes about a tenth of a
// second, so it happens in the background: until a segment's column is
// ready, its hits are counted from their doc values, as Bleve would. A
// search never waits for a column, which keeps the first search after a
// start or a merge as quick as it was.
type facetColumns struct {
	mu sync.Mutex
	// values numbers every fieldFacet term seen: terms[n] is term number n
	// and facetOf[n] the index of its facet in catalog.FacetNames (-1 for
	// a term of no known facet).
	values  map[string]uint32
	terms   []string
	facetOf []int8
	// segments are the columns of the segments searched lately, by
	// segment; building marks those whose column is being built.
	segments map[segment.Segment]*segmentColumn
	building map[segment.Segment]bool
}

// segmentColumn lists the term numbers of each document of one segment:
// those of document d are values[starts[d]:starts[d+1]].
type segmentColumn struct {
	starts []uint32
	values []uint32
}

func newFacetColumns() *facetColumns {
	return &facetColumns{
		values:   map[string]uint32{},
		segments: map[segment.Segment]*segmentColumn{},
		building: map[segment.Segment]bool{},
	}
}

// facetCounter counts the facet terms of the hits of one search on one
// index snapshot.
type facetCounter struct {
	offsets []uint64         // first global document number of each segment
	columns []*segmentColumn // nil for a segment whose column is not ready
	terms   []string
	facetOf []int8
	counts  []uint32 // by term number
	touched []uint32 // term numbers counted at least once

	// Hits in segments without a column are counted by term from their
	// doc values.
	docValues bleveindex.DocValueReader
	byTerm    map[string]uint32
	docID     bleveindex.IndexInternalID
	err       error // of the first doc-value read that failed
}

// counter returns a counter for searches on snap and starts building the
// columns of segments it has not seen. Columns of segments snap no longer
// has (merged away) are dropped.
func (fc *facetColumns) counter(snap *scorch.IndexSnapshot) (*facetCounter, error) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	segs := snap.Segments()
	c := &facetCounter{offsets: make([]uint64, len(segs)), columns: make([]*segmentColumn, len(segs))}
	live := make(map[segment.Segment]bool, len(segs))
	// Global document numbers run through the segments in order, each
	// taking as many numbers as it has documents, deleted ones included
	// (as scorch numbers them).
	var offset uint64
	missing := false
	for i, ss := range segs {
		seg := ss.Segment()
		live[seg] = true
		c.offsets[i], c.columns[i] = offset, fc.segments[seg]
		offset += seg.Count()
		if c.columns[i] == nil {
			missing = true
			if !fc.building[seg] {
				fc.building[seg] = true
				seg.AddRef() // kept open for the build, even if merged away
				go fc.buildInBackground(seg)
			}
		}
	}
	for seg := range fc.segments {
		if !live[seg] {
			delete(fc.segments, seg)
		}
	}
	if missing {
		dv, err := snap.DocValueReader([]string{fieldFacet})
		if err != nil {
			return nil, fmt.Errorf("count facets: %w", err)
		}
		c.docValues, c.byTerm = dv, map[string]uint32{}
	}
	// Numbers are only ever appended, so these views stay valid for every
	// number the columns above hold.
	c.terms, c.facetOf = fc.terms, fc.facetOf
	c.counts = make([]uint32, len(c.terms))
	return c, nil
}

// buildInBackground builds the column of seg and releases it.
func (fc *facetColumns) buildInBackground(seg segment.Segment) {
	col, err := fc.build(seg)
	_ = seg.DecRef()
	fc.mu.Lock()
	defer fc.mu.Unlock()
	delete(fc.building, seg)
	// A failed build leaves the segment to doc values; the next search
	// tries again.
	if err == nil {
		fc.segments[seg] = col
	}
}

// build reads one segment's column from the postings of its fieldFacet
// terms, numbering them on its own first so that searches are held up only
// while the few distinct terms get their shared numbers.
func (fc *facetColumns) build(seg segment.Segment) (*segmentColumn, error) {
	docs := seg.Count()
	dict, err := seg.Dictionary(fieldFacet)
	if err != nil {
		return nil, fmt.Errorf("read facet terms: %w", err)
	}
	// Pairs of (document, local term number), then a counting sort by
	// document.
	var local []string
	var pairDocs, pairValues []uint32
	perDoc := make([]uint32, docs+1)
	terms := dict.AutomatonIterator(nil, nil, nil)
	for {
		entry, err := terms.Next()
		if err != nil {
			return nil, fmt.Errorf("read facet terms: %w", err)
		}
		if entry == nil {
			break
		}
		n := uint32(len(local))
		local = append(local, entry.Term)
		postings, err := dict.PostingsList([]byte(entry.Term), nil, nil)
		if err != nil {
			return nil, fmt.Errorf("read postings of facet term %q: %w", entry.Term, err)
		}
		it := postings.Iterator(false, false, false, nil)
		for {
			p, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("read postings of facet term %q: %w", entry.Term, err)
			}
			if p == nil {
				break
			}
			doc := p.Number()
			if doc >= docs {
				return nil, fmt.Errorf("facet term %q: document %d beyond the segment's %d", entry.Term, doc, docs)
			}
			pairDocs, pairValues = append(pairDocs, uint32(doc)), append(pairValues, n)
			perDoc[doc+1]++
		}
	}
	shared := fc.numbers(local)
	for d := 1; d < len(perDoc); d++ {
		perDoc[d] += perDoc[d-1]
	}
	col := &segmentColumn{starts: perDoc, values: make([]uint32, len(pairValues))}
	next := slices.Clone(perDoc[:docs])
	for i, d := range pairDocs {
		col.values[next[d]] = shared[pairValues[i]]
		next[d]++
	}
	return col, nil
}

// numbers returns the shared numbers of terms, giving new ones to terms
// not seen before.
func (fc *facetColumns) numbers(terms []string) []uint32 {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	out := make([]uint32, len(terms))
	for i, term := range terms {
		n, ok := fc.values[term]
		if !ok {
			n = uint32(len(fc.terms))
			term = strings.Clone(term) // the dictionary's bytes belong to the segment
			fc.values[term] = n
			fc.terms = append(fc.terms, term)
			fc.facetOf = append(fc.facetOf, facetIndex(term))
		}
		out[i] = n
	}
	return out
}

// facetIndex is the index in catalog.FacetNames of the facet of a
// fieldFacet term, or -1.
func facetIndex(term string) int8 {
	for i, name := range catalog.FacetNames() {
		if strings.HasPrefix(term, facetCode(name)) {
			return int8(i)
		}
	}
	return -1
}

// add counts the facet terms of the document with global number doc.
func (c *facetCounter) add(doc uint64) {
	i := sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > doc }) - 1
	if i < 0 {
		return
	}
	col := c.columns[i]
	if col == nil {
		c.addFromDocValues(doc)
		return
	}
	local := doc - c.offsets[i]
	if local+1 >= uint64(len(col.starts)) {
		return
	}
	for _, n := range col.values[col.starts[local]:col.starts[local+1]] {
		if c.counts[n] == 0 {
			c.touched = append(c.touched, n)
		}
		c.counts[n]++
	}
}

// addFromDocValues counts a hit of a segment without a column yet.
func (c *facetCounter) addFromDocValues(doc uint64) {
	if c.err != nil {
		return
	}
	c.docID = bleveindex.NewIndexInternalID(c.docID, doc)
	c.err = c.docValues.VisitDocValues(c.docID, func(_ string, term []byte) {
		c.byTerm[string(term)]++
	})
}

// facets returns every facet of catalog.FacetNames, each ordered by count,
// then value, and cut to its size; a facet nothing matched is empty.
func (c *facetCounter) facets() (map[string][]catalog.FacetValue, error) {
	if c.err != nil {
		return nil, fmt.Errorf("count facets: %w", c.err)
	}
	if len(c.byTerm) > 0 {
		c.mergeTermCounts()
	}
	names := catalog.FacetNames()
	byFacet := make([][]uint32, len(names))
	for _, n := range c.touched {
		if f := c.facetOf[n]; f >= 0 {
			byFacet[f] = append(byFacet[f], n)
		}
	}
	out := make(map[string][]catalog.FacetValue, len(names))
	for f, name := range names {
		numbers := c.top(byFacet[f], facetSize(name))
		values := make([]catalog.FacetValue, 0, len(numbers))
		for _, n := range numbers {
			values = append(values, catalog.FacetValue{
				Value: strings.TrimPrefix(c.terms[n], facetCode(name)),
				Count: int(c.counts[n]),
			})
		}
		out[name] = values
	}
	return out, nil
}

// mergeTermCounts adds the counts of hits counted by term to those counted
// by number, giving the terms no column has numbers of this search's own.
func (c *facetCounter) mergeTermCounts() {
	index := make(map[string]uint32, len(c.touched))
	for _, n := range c.touched {
		index[c.terms[n]] = n
	}
	// Own copies: the shared slices may not be appended to.
	c.terms, c.facetOf = slices.Clip(c.terms), slices.Clip(c.facetOf)
	for term, count := range c.byTerm {
		n, ok := index[term]
		if !ok {
			n = uint32(len(c.terms))
			c.terms = append(c.terms, term)
			c.facetOf = append(c.facetOf, facetIndex(term))
			c.counts = append(c.counts, 0)
			c.touched = append(c.touched, n)
		}
		c.counts[n] += count
	}
	c.byTerm = nil
}

// withFacetCounting returns a context that makes a Bleve search on it count
// the facets of every hit before collecting the hit as usual. found gets the
// counter of the snapshot searched, once, before the first hit.
func (fc *facetColumns) withFacetCounting(ctx context.Context, found func(*facetCounter)) context.Context {
	var maker search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		collect, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || collect == nil {
			return collect, loadID, err
		}
		snap, ok := sctx.IndexReader.(*scorch.IndexSnapshot)
		if !ok {
			return nil, false, fmt.Errorf("count facets: the index reader is a %T, not a scorch snapshot", sctx.IndexReader)
		}
		counter, err := fc.counter(snap)
		if err != nil {
			return nil, false, err
		}
		found(counter)
		return func(d *search.DocumentMatch) error {
			if d != nil {
				counter.add(d.IndexInternalID.Value())
			}
			return collect(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker)
}

// top returns the k term numbers of numbers that come first by count, then
// term, in that order. A broad search touches tens of thousands of speakers
// and sorting them all took longer than counting them, so only the terms
// that can still make the cut are kept: a bounded heap of the best k.
func (c *facetCounter) top(numbers []uint32, k int) []uint32 {
	before := func(a, b uint32) bool {
		if c.counts[a] != c.counts[b] {
			return c.counts[a] > c.counts[b]
		}
		return c.terms[a] < c.terms[b]
	}
	best := &facetHeap{before: before}
	for _, n := range numbers {
		if best.Len() < k {
			heap.Push(best, n)
		} else if k > 0 && before(n, best.numbers[0]) {
			best.numbers[0] = n
			heap.Fix(best, 0)
		}
	}
	out := best.numbers
	slices.SortFunc(out, func(a, b uint32) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	})
	return out
}

// facetHeap keeps the worst of the best term numbers so far on top.
type facetHeap struct {
	numbers []uint32
	before  func(a, b uint32) bool
}

func (h *facetHeap) Len() int           { return len(h.numbers) }
func (h *facetHeap) Less(i, j int) bool { return h.before(h.numbers[j], h.numbers[i]) }
func (h *facetHeap) Swap(i, j int)      { h.numbers[i], h.numbers[j] = h.numbers[j], h.numbers[i] }
func (h *facetHeap) Push(x any)         { h.numbers = append(h.numbers, x.(uint32)) }
func (h *facetHeap) Pop() any {
	last := h.numbers[len(h.numbers)-1]
	h.numbers = h.numbers[:len(h.numbers)-1]
	return last
}
