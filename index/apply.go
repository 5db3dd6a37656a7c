package index

import (
	"context"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"

	"github.com/talkdex/talkdex/internal/catalog"
)

// change is one document write: an upsert of doc, or a delete of id when
// doc is nil. It holds the mapped document rather than the talk so that a
// change kept for a Rebuild's replay does not depend on the caller leaving
// the talk alone.
type change struct {
	id  int64
	doc talkDocument
}

// Apply indexes upserts and removes deletes, in batches. Deletes are applied
// after upserts, so an id in both ends up deleted. Talks must have an ID.
func (ix *Index) Apply(ctx context.Context, upserts []*catalog.Talk, deletes []int64) error {
	changes := make([]change, 0, len(upserts)+len(deletes))
	for _, t := range upserts {
		if t == nil || t.ID <= 0 {
			return fmt.Errorf("index talk: talk has no id")
		}
		changes = append(changes, change{id: t.ID, doc: newTalkDocument(t)})
	}
	for _, id := range deletes {
		changes = append(changes, change{id: id})
	}
	if len(changes) == 0 {
		return nil
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return err
	}
	ix.capture(changes)
	// Even a failed apply may have written some batches. A server reads
	// what searches need of the new segments now, not at its next search.
	defer func() {
		ix.invalidateCaches()
		ix.warmColumns()
	}()
	if err := applyChanges(ctx, ix.bi, changes); err != nil {
		return fmt.Errorf("apply %d index changes: %w", len(changes), err)
	}
	return nil
}

// applyChanges writes changes to bi, batchSize at a time, keeping the order
// of changes to any one talk.
func applyChanges(ctx context.Context, bi bleve.Index, changes []change) error {
	w := newBulkWriter(ctx, bi)
	for _, c := range changes {
		if err := w.add(c); err != nil {
			w.abandon()
			return err
		}
	}
	return w.finish()
}

// capture records changes for a running Rebuild. Callers hold mu (read).
func (ix *Index) capture(changes []change) {
	ix.pendingMu.Lock()
	defer ix.pendingMu.Unlock()
	if ix.capturing {
		ix.pending = append(ix.pending, changes...)
	}
}

func (ix *Index) startCapture() {
	ix.pendingMu.Lock()
	defer ix.pendingMu.Unlock()
	ix.capturing, ix.pending = true, nil
}

// stopCapture ends capturing and returns what was captured.
func (ix *Index) stopCapture() []change {
	ix.pendingMu.Lock()
	defer ix.pendingMu.Unlock()
	pending := ix.pending
	ix.capturing, ix.pending = false, nil
	return pending
}

// Rebuild builds a complete new index from feed next to the live one, while
// searches and Apply keep using the live one, then swaps it in. feed calls
// emit once per talk. Changes Apply makes meanwhile are replayed onto the new
// index before the swap, so none are lost even if feed read a talk before
// they were made. On success NeedsRebuild reports false.
func (ix *Index) Rebuild(ctx context.Context, feed func(emit func(*catalog.Talk) error) error) error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()

	ix.mu.RLock()
	err := ix.usable()
	ix.mu.RUnlock()
	if err != nil {
		return err
	}

	newPath := ix.path + newSuffix
	if err := os.RemoveAll(newPath); err != nil {
		return fmt.Errorf("rebuild index: remove stale %s: %w", newPath, err)
	}
	fresh, err := create(newPath)
	if err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	ix.startCapture()
	defer func() {
		// After a successful swap there is nothing left at newPath and
		// nothing captured; after a failure both must go.
		ix.stopCapture()
		if fresh != nil {
			_ = fresh.Close()
		}
		_ = os.RemoveAll(newPath)
	}()

	w := newBulkWriter(ctx, fresh)
	emit := func(t *catalog.Talk) error {
		if t == nil || t.ID <= 0 {
			return fmt.Errorf("emit: talk has no id")
		}
		return w.add(change{id: t.ID, doc: newTalkDocument(t)})
	}
	if err := feed(emit); err != nil {
		w.abandon()
		return fmt.Errorf("rebuild index: %w", err)
	}
	if err := w.finish(); err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}

	err = ix.swapIn(ctx, fresh)
	fresh = nil // swapIn closed it
	if err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	return nil
}

// swapIn replaces the live index with fresh, built at path.new. It holds mu
// exclusively, so no search or Apply sees a half-swapped index. It always
// closes fresh. On failure the old index is put back in service if possible.
func (ix *Index) swapIn(ctx context.Context, fresh bleve.Index) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.usable(); err != nil {
		_ = fresh.Close()
		return err
	}
	// Whatever happens next, the index searched afterwards is another one.
	defer ix.invalidateCaches()
	// Nothing can Apply while we hold mu, so the capture is complete.
	if err := applyChanges(ctx, fresh, ix.stopCapture()); err != nil {
		_ = fresh.Close()
		return fmt.Errorf("replay changes made during rebuild: %w", err)
	}
	if err := fresh.Close(); err != nil {
		return fmt.Errorf("close new index: %w", err)
	}

	// Scorch keeps writing to the directory it was opened in, so both
	// indexes are closed while their directories move.
	newPath, oldPath := ix.path+newSuffix, ix.path+oldSuffix
	err := ix.bi.Close()
	ix.bi = nil
	if err != nil {
		return ix.restore(fmt.Errorf("close old index: %w", err))
	}
	if err := os.Rename(ix.path, oldPath); err != nil {
		return ix.restore(fmt.Errorf("move old index aside: %w", err))
	}
	if err := os.Rename(newPath, ix.path); err != nil {
		if rerr := os.Rename(oldPath, ix.path); rerr != nil {
			return ix.restore(fmt.Errorf("move new index in: %w (and moving the old one back: %v)", err, rerr))
		}
		return ix.restore(fmt.Errorf("move new index in: %w", err))
	}
	bi, err := openExisting(ix.path)
	if err != nil {
		_ = os.RemoveAll(ix.path)
		if rerr := os.Rename(oldPath, ix.path); rerr != nil {
			return ix.restore(fmt.Errorf("open new index: %w (and moving the old one back: %v)", err, rerr))
		}
		return ix.restore(fmt.Errorf("open new index: %w", err))
	}
	ix.bi, ix.columns = bi, newColumns(ix.reads, ix.keepAllTalksLater)
	ix.needsRebuild.Store(false)
	ix.warmColumns()
	// A failure here only leaves a directory behind that the next Open
	// removes; the rebuild itself succeeded.
	_ = os.RemoveAll(oldPath)
	return nil
}

// restore puts an index back in service after a failed swap: the old one if
// it is still at path, else a fresh empty one flagged for rebuild. Callers
// hold mu exclusively and have closed the old index. It returns cause, for
// the caller to report.
func (ix *Index) restore(cause error) error {
	bi, fresh, err := openOrReset(ix.path)
	if err != nil {
		return fmt.Errorf("%w; the index is unavailable: %v", cause, err)
	}
	ix.bi, ix.columns = bi, newColumns(ix.reads, ix.keepAllTalksLater)
	if fresh {
		ix.needsRebuild.Store(true)
	}
	return cause
}
