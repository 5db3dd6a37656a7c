package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// perSegment keeps something read from each index segment (columns, word
// lists), read in the background. Segments never change once written, so
// what is read of one serves every search until a merge replaces it; a
// search never waits for a read, and goes without until it is done.
type perSegment[T any] struct {
	read func(segment.Segment) (*T, error)

	mu      sync.Mutex
	values  map[segment.Segment]*T
	reading map[segment.Segment]bool
}

func newPerSegment[T any](read func(segment.Segment) (*T, error)) *perSegment[T] {
	return &perSegment[T]{read: read, values: map[segment.Segment]*T{}, reading: map[segment.Segment]bool{}}
}

// get returns what was read of each of segs, in order: nil for a segment
// not read yet, whose read it starts; missing says some are nil. Values
// of segments no longer among segs (merged away) are dropped.
func (ps *perSegment[T]) get(segs []*scorch.SegmentSnapshot) (values []*T, missing bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	values = make([]*T, len(segs))
	live := make(map[segment.Segment]bool, len(segs))
	for i, ss := range segs {
		seg := ss.Segment()
		live[seg] = true
		values[i] = ps.values[seg]
		if values[i] != nil {
			continue
		}
		missing = true
		if !ps.reading[seg] {
			ps.reading[seg] = true
			seg.AddRef() // kept open for the read, even if merged away
			go ps.readInBackground(seg)
		}
	}
	for seg := range ps.values {
		if !live[seg] {
			delete(ps.values, seg)
		}
	}
	return values, missing
}

// readInBackground reads seg and releases it.
func (ps *perSegment[T]) readInBackground(seg segment.Segment) {
	v, err := ps.read(seg)
	_ = seg.DecRef()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	delete(ps.reading, seg)
	// A failed read leaves the segment without; the next search tries
	// again.
	if err == nil {
		ps.values[seg] = v
	}
}

// held is how many segments' values are kept.
func (ps *perSegment[T]) held() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.values)
}
