package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/talkdex/talkdex/internal/catalog"
)

// importBatch is how many talks one store transaction upserts: large enough
// to amortise the commit, small enough that a failure loses little work.
const importBatch = 500

// Source feeds talks to emit and returns the records it had to skip.
// formats.Read fits it once its reader and options are bound.
type Source func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error)

// Import upserts every talk src yields, in batches, and brings the index up
// to date. progress, if not nil, is called with the number of talks read so
// far. Each batch commits on its own: an error stops the import and leaves
// the earlier batches in place, whole, with the report saying how far it got.
func (c *Catalog) Import(ctx context.Context, src Source, progress func(read int)) (catalog.ImportReport, error) {
	var (
		report catalog.ImportReport
		batch  = make([]*catalog.Talk, 0, importBatch)
		read   int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		r, err := c.store.UpsertTalks(ctx, batch)
		if err != nil {
			return fmt.Errorf("store talks: %w", err)
		}
		report.Add(r)
		batch = batch[:0]
		return nil
	}
	bg := c.startBackgroundSync(ctx)
	skips, err := UniqueKeys(src)(ctx, func(t *catalog.Talk) error {
		if err := bg.failure(); err != nil {
			return err
		}
		batch = append(batch, t)
		read++
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
			if progress != nil {
				progress(read)
			}
			// Keep the outbox short during long imports, so that a crash
			// leaves little to catch up and searches see talks as they land.
			if read%(importBatch*10) == 0 {
				bg.kick()
			}
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if progress != nil {
		progress(read)
	}
	report.Skipped += catalog.CountSkips(skips)
	report.Skips = append(skips, report.Skips...)
	if syncErr := bg.stop(); err == nil {
		err = syncErr
	}
	if syncErr := c.Sync(ctx); err == nil {
		err = syncErr
	}
	// A large import leaves the index in many segments, each of which every
	// search then visits; merging them now makes the searches that follow
	// faster. A failure only costs that speed.
	if err == nil && c.index != nil && report.Inserted+report.Updated >= compactAfter {
		if cerr := c.index.Compact(ctx); cerr != nil {
			c.logger.Warn("merge index segments after the import", "err", cerr)
		}
	}
	return report, err
}

// compactAfter is how many talks an import must write for the index to be
// merged into one segment after it.
const compactAfter = 5000

// UniqueKeys passes on only the first talk of each source key. A later record
// with the same key (a source listing a talk twice) is skipped with a reason,
// wherever it stands in the input, so that an import and its dry run report
// the same thing and no record is overwritten silently.
func UniqueKeys(src Source) Source {
	return func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		first := make(map[string]string) // source key -> title of its first record
		var dups []catalog.Skip
		skips, err := src(ctx, func(t *catalog.Talk) error {
			key := catalog.SourceKey(t)
			if title, seen := first[key]; seen {
				dups = append(dups, catalog.Skip{
					Ref:    t.Title,
					Reason: fmt.Sprintf("duplicate source key %q; the first record with it (%q) was kept", key, title),
				})
				return nil
			}
			first[key] = t.Title
			return emit(t)
		})
		return append(skips, dups...), err
	}
}

// backgroundSync brings the index up to date on a goroutine of its own
// while an import goes on writing to the database: the database and the
// index each keep a core busy, where taking turns left one idle.
type backgroundSync struct {
	kicks chan struct{}
	done  chan struct{}

	mu  sync.Mutex
	err error
}

func (c *Catalog) startBackgroundSync(ctx context.Context) *backgroundSync {
	bg := &backgroundSync{kicks: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(bg.done)
		// After a failure the kicks are only drained, until stop.
		for range bg.kicks {
			if bg.failure() != nil {
				continue
			}
			if err := c.Sync(ctx); err != nil {
				bg.mu.Lock()
				bg.err = err
				bg.mu.Unlock()
			}
		}
	}()
	return bg
}

// kick asks for a sync; one already asked for and not begun covers it.
func (bg *backgroundSync) kick() {
	select {
	case bg.kicks <- struct{}{}:
	default:
	}
}

// failure is the error that stopped the background sync, if any.
func (bg *backgroundSync) failure() error {
	bg.mu.Lock()
	defer bg.mu.Unlock()
	return bg.err
}

// stop waits for the sync under way and returns its error.
func (bg *backgroundSync) stop() error {
	close(bg.kicks)
	<-bg.done
	return bg.failure()
}
