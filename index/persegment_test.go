package index

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// TestBackgroundReadsTakeTurns reads two values of every segment, each
// read taking a while, and requires that no two reads overlap, that the
// values asked for first are read first, that every segment gets both
// values, and that a segment's value is read once.
func TestBackgroundReadsTakeTurns(t *testing.T) {
	_, snap := wordListsCorpus(t)
	segs := snap.Segments()
	if len(segs) < 2 {
		t.Fatalf("%d segment(s): the test needs several", len(segs))
	}
	var running, most, reads atomic.Int32
	var mu sync.Mutex
	var order []int
	reader := func(value int) func(segment.Segment) (*int, error) {
		return func(segment.Segment) (*int, error) {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			reads.Add(1)
			mu.Lock()
			order = append(order, value)
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			return &value, nil
		}
	}
	shared := newBackgroundReads()
	a, b := newPerSegment(reader(1), shared), newPerSegment(reader(2), shared)
	waitUntil(t, "both values of every segment", func() bool {
		_, aMissing := a.get(segs)
		_, bMissing := b.get(segs)
		return !aMissing && !bMissing
	})
	if m := most.Load(); m != 1 {
		t.Errorf("%d reads ran at once, want 1", m)
	}
	if n := int(reads.Load()); n != 2*len(segs) {
		t.Errorf("%d reads for %d segments and two values", n, len(segs))
	}
	if !slices.IsSorted(order) {
		t.Errorf("read in the order %v: the values asked for first (1) were not read first", order)
	}
}
