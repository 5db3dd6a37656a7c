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
	// reads runs the reads, shared with the index's other per-segment
	// values, so that they take turns on one core and leave the other to
	// the searches: a server's first search after it starts ran beside
	// every read at once, and took twice as long.
	reads *backgroundReads

	// done, if not nil, is called after each successful read.
	done func()

	mu      sync.Mutex
	values  map[segment.Segment]*T
	reading map[segment.Segment]bool
}

// backgroundReads runs reads of per-segment values one at a time, on a
// goroutine of its own, in the order they were asked for: a server asks
// for its columns first, without which facets are read from doc values
// (tens of ms for a broad search), then for its word lists.
type backgroundReads struct {
	mu      sync.Mutex
	pending []func()
	busy    bool // a goroutine is running the pending reads
}

func newBackgroundReads() *backgroundReads { return &backgroundReads{} }

// start queues read, starting the goroutine if none is running.
func (b *backgroundReads) start(read func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, read)
	if !b.busy {
		b.busy = true
		go b.run()
	}
}

// run runs the pending reads until there are none.
func (b *backgroundReads) run() {
	for {
		b.mu.Lock()
		if len(b.pending) == 0 {
			b.busy = false
			b.mu.Unlock()
			return
		}
		read := b.pending[0]
		b.pending = b.pending[1:]
		b.mu.Unlock()
		read()
	}
}

func newPerSegment[T any](read func(segment.Segment) (*T, error), reads *backgroundReads) *perSegment[T] {
	return &perSegment[T]{read: read, reads: reads, values: map[segment.Segment]*T{}, reading: map[segment.Segment]bool{}}
}

// get returns what was read of each of segs, in order: nil for a segment
// not read yet, whose read it starts; missing says some are nil. Values
// of segments no longer among segs (merged away) are dropped.
func (ps *perSegment[T]) get(segs []*scorch.SegmentSnapshot) (values []*T, missing bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	values = make([]*T, len(segs))
	found := 0
	for i, ss := range segs {
		seg := ss.Segment()
		values[i] = ps.values[seg]
		if values[i] != nil {
			found++
			continue
		}
		missing = true
		if !ps.reading[seg] {
			ps.reading[seg] = true
			seg.AddRef() // kept open for the read, even if merged away
			ps.reads.start(func() { ps.readInBackground(seg) })
		}
	}
	// Every search calls get, so the segments are gone through again only
	// when some value is not among theirs.
	if len(ps.values) > found {
		forgetMergedAway(ps.values, segs)
	}
	return values, missing
}

// forgetMergedAway deletes from held the segments not among segs.
func forgetMergedAway[T any](held map[segment.Segment]T, segs []*scorch.SegmentSnapshot) {
	live := make(map[segment.Segment]bool, len(segs))
	for _, ss := range segs {
		live[ss.Segment()] = true
	}
	for seg := range held {
		if !live[seg] {
			delete(held, seg)
		}
	}
}

// readInBackground reads seg and releases it.
func (ps *perSegment[T]) readInBackground(seg segment.Segment) {
	v, err := ps.read(seg)
	_ = seg.DecRef()
	ps.mu.Lock()
	delete(ps.reading, seg)
	// A failed read leaves the segment without; the next search tries
	// again.
	if err == nil {
		ps.values[seg] = v
	}
	ps.mu.Unlock()
	if err == nil && ps.done != nil {
		ps.done()
	}
}
