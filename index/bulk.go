package index

import (
	"context"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// batchSize is how many documents go into one Bleve batch: large enough to
// amortise segment creation, small enough to bound memory.
const batchSize = 1000

// bulkWorkers is how many batches may be written at once. Scorch analyses a
// batch in parallel but then builds its segment on the calling goroutine, so
// with one batch at a time a 2-core machine idles half the time; two in
// flight keep both cores busy (bulk indexing ~1.5x faster here).
const bulkWorkers = 2

// ApplyChunk is how many changes one Apply needs for all of its batches to
// be written at once. A caller feeding the index in chunks (the outbox
// sync) gives it chunks of this size: with one batch per Apply, one core
// idles while the batch's segment is built.
const ApplyChunk = batchSize * bulkWorkers

// bulkWriter writes changes to an index in batches of batchSize, up to
// bulkWorkers batches at a time, while keeping the order of changes to any
// one document: a batch touching a document that a submitted batch also
// touched is not submitted before every batch in flight has finished.
type bulkWriter struct {
	ctx   context.Context
	bi    bleve.Index
	batch *bleve.Batch
	ids   []string // ids in batch, in order

	// submitted holds the ids of the batches submitted since the last drain;
	// mustDrain says the current batch shares an id with one of them.
	submitted map[string]struct{}
	mustDrain bool

	slots chan struct{} // one per batch in flight
	wg    sync.WaitGroup

	errMu sync.Mutex
	err   error // of the first failed batch
}

func newBulkWriter(ctx context.Context, bi bleve.Index) *bulkWriter {
	return &bulkWriter{
		ctx:       ctx,
		bi:        bi,
		batch:     bi.NewBatch(),
		submitted: map[string]struct{}{},
		slots:     make(chan struct{}, bulkWorkers),
	}
}

// add queues one change and submits the batch once it is full. It reports
// the first failure of any batch so far, so that callers stop early.
func (w *bulkWriter) add(c change) error {
	if err := w.failure(); err != nil {
		return err
	}
	id := docID(c.id)
	if c.doc != nil {
		if err := w.batch.Index(id, c.doc); err != nil {
			return fmt.Errorf("map talk %d: %w", c.id, err)
		}
	} else {
		w.batch.Delete(id)
	}
	if _, ok := w.submitted[id]; ok {
		w.mustDrain = true
	}
	w.ids = append(w.ids, id)
	if w.batch.Size() >= batchSize {
		return w.submit()
	}
	return nil
}

// submit hands the current batch to a goroutine of its own.
func (w *bulkWriter) submit() error {
	if w.batch.Size() == 0 {
		return w.failure()
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if w.mustDrain {
		w.wg.Wait()
		clear(w.submitted)
		w.mustDrain = false
	}
	for _, id := range w.ids {
		w.submitted[id] = struct{}{}
	}
	batch := w.batch
	w.batch, w.ids = w.bi.NewBatch(), nil

	w.slots <- struct{}{}
	w.wg.Add(1)
	go func() {
		defer func() {
			<-w.slots
			w.wg.Done()
		}()
		if err := w.bi.Batch(batch); err != nil {
			w.fail(fmt.Errorf("write batch of %d: %w", batch.Size(), err))
		}
	}()
	return w.failure()
}

// finish submits what is left, waits for every batch and reports the first
// failure.
func (w *bulkWriter) finish() error {
	err := w.submit()
	w.wg.Wait()
	if err != nil {
		return err
	}
	return w.failure()
}

// abandon waits for the batches in flight and drops the rest.
func (w *bulkWriter) abandon() {
	w.wg.Wait()
}

func (w *bulkWriter) fail(err error) {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *bulkWriter) failure() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.err
}
