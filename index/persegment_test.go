package index

import (
	"sync/atomic"
	"testing"
	"time"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// TestBackgroundReadsTakeTurns reads two values of every segment, each
// read taking a while, and requires that no two reads overlap, that every
// segment gets both values, and that a segment's value is read once.
func TestBackgroundReadsTakeTurns(t *testing.T) {
	_, snap := wordListsCorpus(t)
	segs := snap.Segments()
	if len(segs) < 2 {
		t.Fatalf("%d segment(s): the test needs several", len(segs))
	}
	var running, most, reads atomic.Int32
	read := func(segment.Segment) (*int, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		reads.Add(1)
		time.Sleep(5 * time.Millisecond)
		v := 1
		return &v, nil
	}
	shared := newBackgroundReads()
	a, b := newPerSegment(read, shared), newPerSegment(read, shared)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		_, aMissing := a.get(segs)
		_, bMissing := b.get(segs)
		if !aMissing && !bMissing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not every segment was read in 10s")
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d reads ran at once, want 1", m)
	}
	if n := int(reads.Load()); n != 2*len(segs) {
		t.Errorf("%d reads for %d segments and two values", n, len(segs))
	}
}
