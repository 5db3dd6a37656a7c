package index

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/talkdex/talkdex/internal/catalog"
)

// columns holds, for every index segment, what a search reads of each of
// its hits: the facet terms as numbers, and the keys talks are sorted by.
//
// Why not let Bleve read them: Bleve reads every hit's doc values for its
// facets and for any sort but by score, and a CPU profile of mixed searches
// over 100k talks spent two thirds of the search time there (decompressing
// doc-value chunks, then counting terms in a map of strings). Segments never
// change once written, so a segment's columns are read once, in document
// order, and serve every search until a merge replaces the segment.
//
// Reading the columns of a segment of 100k talks takes about a tenth of a
// second, so it happens in the background: until a segment's columns are
// ready, its hits are read from their doc values, as Bleve would. A search
// never waits for a column, which keeps the first search after a start or a
// merge as quick as it was.
type columns struct {
	// segments are the columns of the segments searched lately.
	segments *perSegment[segmentColumns]

	// mu guards the term numbers. values numbers every fieldFacet term
	// seen: terms[n] is term number n and facetOf[n] the index of its
	// facet in catalog.FacetNames (-1 for a term of no known facet).
	// Numbers are only ever appended.
	mu      sync.Mutex
	values  map[string]uint32
	terms   []string
	facetOf []int8
	// tallies are facet counts of finished searches, all zero again: an
	// array by term number is hundreds of kilobytes at 100k talks, which
	// every search allocated and cleared twice (once per part) and the
	// collector then freed.
	tallies sync.Pool
}

// tally is a search's facet counts by term number, and the numbers it
// counted; returned to the pool with only those cleared.
type tally struct {
	counts  []uint32
	touched []uint32
}

// newTally returns zero counts for n term numbers.
func (cs *columns) newTally(n int) tally {
	if t, ok := cs.tallies.Get().(*tally); ok && cap(t.counts) >= n {
		return tally{counts: t.counts[:n], touched: t.touched}
	}
	return tally{counts: make([]uint32, n)}
}

// putTally clears what t counted and keeps it for another search. Every
// count it holds is at a number of touched.
func (cs *columns) putTally(t tally) {
	for _, n := range t.touched {
		t.counts[n] = 0
	}
	cs.tallies.Put(&tally{counts: t.counts, touched: t.touched[:0]})
}

// Sort keys of a talk, as kept in segmentColumns.keys.
const (
	keyStart  = iota // fieldStart as YYYYMMDDhhmmss
	keyAdded         // fieldAdded, the same way
	keyRating        // 1..5
	keyTalk          // the talk id
	numKeys
	keyScore = -1 // not a column: the hit's score
)

// columnFields are the doc-value fields the columns are read from.
func columnFields() []string { return []string{fieldFacet, fieldStart, fieldAdded, fieldRating} }

// segmentColumns are one segment's columns, by local document number d:
// its facet term numbers are facetValues[facetStarts[d]:facetStarts[d+1]],
// its sort keys keys[k][d], NaN where the talk has no such value.
type segmentColumns struct {
	facetStarts []uint32
	facetValues []uint32
	keys        [numKeys][]float64
	// sums are the checksums of the talks' highlighted texts (fieldTextSum),
	// which every highlighted hit is checked against.
	sums []uint64
}

// newColumns returns columns read by reads; read, if not nil, is called
// on reads' goroutine after each segment's columns are read.
func newColumns(reads *backgroundReads, read func()) *columns {
	cs := &columns{values: map[string]uint32{}}
	cs.segments = newPerSegment(cs.build, reads)
	cs.segments.done = read
	return cs
}

// snapshotView is the columns of the segments of one index snapshot.
type snapshotView struct {
	offsets []uint64          // first global document number of each segment
	cols    []*segmentColumns // nil for a segment whose columns are not ready
	missing bool              // some segment has no columns yet
	terms   []string          // the term numbers' terms when the view was taken
	facetOf []int8
}

// view returns the columns of snap's segments and starts reading those of
// segments it has not seen. Columns of segments snap no longer has (merged
// away) are dropped.
func (cs *columns) view(snap *scorch.IndexSnapshot) snapshotView {
	segs := snap.Segments()
	var v snapshotView
	v.cols, v.missing = cs.segments.get(segs)
	v.offsets = segmentOffsets(segs)
	// Numbers are only ever appended, and a segment's columns are kept
	// only once its terms have numbers, so these views stay valid for
	// every number the columns above hold.
	cs.mu.Lock()
	defer cs.mu.Unlock()
	v.terms, v.facetOf = cs.terms, cs.facetOf
	return v
}

// segmentOffsets returns the global number of each segment's first
// document. Global document numbers run through the segments in order,
// each taking as many numbers as it has documents, deleted ones included
// (as scorch numbers them).
func segmentOffsets(segs []*scorch.SegmentSnapshot) []uint64 {
	offsets := make([]uint64, len(segs))
	var offset uint64
	for i, ss := range segs {
		offsets[i] = offset
		offset += ss.Segment().Count()
	}
	return offsets
}

// segmentOf returns the segment of the document with global number doc:
// its index among the view's segments and the document's number within it,
// or -1 when doc is beyond them.
func (v snapshotView) segmentOf(doc uint64) (seg int, local uint64) {
	i := sort.Search(len(v.offsets), func(i int) bool { return v.offsets[i] > doc }) - 1
	if i < 0 {
		return -1, 0
	}
	return i, doc - v.offsets[i]
}

// textSum returns the checksum of the highlighted texts of the document
// with global number doc, if its segment's columns are ready.
func (v snapshotView) textSum(doc uint64) (uint64, bool) {
	i, local := v.segmentOf(doc)
	if i < 0 || v.cols[i] == nil || local >= uint64(len(v.cols[i].sums)) {
		return 0, false
	}
	return v.cols[i].sums[local], true
}

// ready reports whether every segment of snap has its columns, starting
// to read those that have not.
func (cs *columns) ready(snap *scorch.IndexSnapshot) bool { return !cs.view(snap).missing }

// build reads one segment's columns from its doc values and stored ids,
// document by document (each compressed chunk of doc values is then read
// once). Facet terms get numbers of the segment's own first, so that
// searches are held up only while the few distinct terms get their shared
// numbers.
func (cs *columns) build(seg segment.Segment) (*segmentColumns, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("read columns: a %T segment has no doc values", seg)
	}
	docs := seg.Count()
	col := &segmentColumns{facetStarts: make([]uint32, docs+1), sums: make([]uint64, docs)}
	for k := range col.keys {
		col.keys[k] = make([]float64, docs)
	}
	local := map[string]uint32{}
	var localTerms []string
	var values []uint32
	var state segment.DocVisitState
	fields := append(columnFields(), fieldTextSum)
	for d := range docs {
		for k := range col.keys {
			col.keys[k][d] = math.NaN()
		}
		var err error
		state, err = dv.VisitDocValues(d, fields, func(field string, term []byte) {
			if field == fieldTextSum {
				col.sums[d], _ = parseTextSum(term)
				return
			}
			if field != fieldFacet {
				if k := keyOf(field); k >= 0 {
					col.keys[k][d] = keyValue(term)
				}
				return
			}
			n, ok := local[string(term)]
			if !ok {
				n = uint32(len(localTerms))
				local[string(term)] = n
				localTerms = append(localTerms, string(term))
			}
			values = append(values, n)
		}, state)
		if err != nil {
			return nil, fmt.Errorf("read doc values of document %d: %w", d, err)
		}
		col.facetStarts[d+1] = uint32(len(values))
		id, err := seg.DocID(d)
		if err != nil {
			return nil, fmt.Errorf("read id of document %d: %w", d, err)
		}
		col.keys[keyTalk][d] = talkKey(id)
	}
	shared := cs.numbers(localTerms)
	for i, n := range values {
		values[i] = shared[n]
	}
	col.facetValues = values
	return col, nil
}

// keyOf is the sort key a doc-value field holds, or -1.
func keyOf(field string) int {
	switch field {
	case fieldStart:
		return keyStart
	case fieldAdded:
		return keyAdded
	case fieldRating:
		return keyRating
	}
	return -1
}

// keyValue turns a sort field's term into a number in the same order: the
// digits of a fixed-width UTC time (startLayout) or of a rating. It fits a
// float64 exactly (14 digits).
func keyValue(term []byte) float64 {
	var n float64
	digits := 0
	for _, b := range term {
		if b >= '0' && b <= '9' {
			n = n*10 + float64(b-'0')
			digits++
		}
	}
	if digits == 0 {
		return math.NaN()
	}
	return n
}

// talkKey is a document id (a talk id in decimal) as a sort key.
func talkKey(id []byte) float64 {
	n, err := strconv.ParseInt(string(id), 10, 64)
	if err != nil {
		return math.NaN()
	}
	return float64(n)
}

// numbers returns the shared numbers of terms, giving new ones to terms
// not seen before.
func (cs *columns) numbers(terms []string) []uint32 {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make([]uint32, len(terms))
	for i, term := range terms {
		n, ok := cs.values[term]
		if !ok {
			n = uint32(len(cs.terms))
			cs.values[term] = n
			cs.terms = append(cs.terms, term)
			cs.facetOf = append(cs.facetOf, facetIndex(term))
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
