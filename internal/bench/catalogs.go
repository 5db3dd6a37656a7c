package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/demo"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/sqlite"
)

// fts5File is the baseline's database inside a bench data directory, apart
// from talkdex.db.
const fts5File = "fts5-baseline.db"

// fts5Batch is how many talks one baseline transaction inserts while the
// catalog is copied over, so that 200k talks never sit in memory at once.
const fts5Batch = 5000

// DemoSource reads the embedded demo catalog.
func DemoSource() app.Source {
	return func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		return formats.Read(ctx, demo.Catalog(), formats.Options{Format: formats.FormatJSONL, Name: "demo catalog"}, emit)
	}
}

// PyvideoSource reads pyvideo's catalog file (talks.jsonl.gz, with the
// events.jsonl beside it naming the events).
func PyvideoSource(path string) app.Source {
	return func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		return formats.ReadFile(ctx, path, formats.Options{Format: formats.FormatPyvideo}, emit)
	}
}

// Built is a catalog imported for measuring, and the FTS5 baseline holding
// the same talks.
type Built struct {
	Dir     string
	Catalog *app.Catalog
	FTS5    *sqlite.FTS5
	Talks   int
	// Import is the time app.Import took: SQLite upserts plus indexing.
	Import time.Duration
	// FTS5Load is the time the baseline took to index the same talks.
	FTS5Load time.Duration
}

// Build imports src into a new catalog in dir through app.Open and
// app.Import, as `talkdex import` does, then copies the stored talks (what
// the catalog holds after normalising and de-duplicating) into the FTS5
// baseline.
func Build(ctx context.Context, dir string, src app.Source) (*Built, error) {
	cat, err := app.Open(ctx, dir, nil)
	if err != nil {
		return nil, fmt.Errorf("open bench catalog: %w", err)
	}
	b := &Built{Dir: dir, Catalog: cat}
	started := time.Now()
	if _, err := cat.Import(ctx, src, nil); err != nil {
		b.Close()
		return nil, fmt.Errorf("import bench catalog: %w", err)
	}
	b.Import = time.Since(started)
	if err := b.loadFTS5(ctx); err != nil {
		b.Close()
		return nil, err
	}
	if err := waitWarm(ctx, cat); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// warmTimeout bounds the wait for the index to read its segments' columns
// and word lists.
const warmTimeout = 2 * time.Minute

// waitWarm waits until cat's index has read what searches need of each of
// its segments, as a running server's has: the searches measured are
// those of a server at work, not of its first second (the cold start is
// measured apart).
func waitWarm(ctx context.Context, cat *app.Catalog) error {
	cat.WarmIndex()
	deadline := time.Now().Add(warmTimeout)
	for !cat.IndexWarmed() {
		if time.Now().After(deadline) {
			return fmt.Errorf("the bench index was not warm after %s", warmTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}

func (b *Built) loadFTS5(ctx context.Context) error {
	fts, err := sqlite.NewFTS5Baseline(ctx, filepath.Join(b.Dir, fts5File))
	if err != nil {
		return err
	}
	b.FTS5 = fts
	started := time.Now()
	batch := make([]*catalog.Talk, 0, fts5Batch)
	err = b.Catalog.Store().EachTalk(ctx, func(t *catalog.Talk) error {
		b.Talks++
		batch = append(batch, t)
		if len(batch) < fts5Batch {
			return nil
		}
		err := fts.Add(ctx, batch)
		batch = batch[:0]
		return err
	})
	if err == nil {
		err = fts.Add(ctx, batch)
	}
	if err != nil {
		return fmt.Errorf("load FTS5 baseline: %w", err)
	}
	b.FTS5Load = time.Since(started)
	return nil
}

// Close closes the baseline and the catalog (releasing the index lock, so
// that a child process can open the same directory).
func (b *Built) Close() error {
	var err error
	if b.FTS5 != nil {
		err = b.FTS5.Close()
		b.FTS5 = nil
	}
	if b.Catalog != nil {
		if cerr := b.Catalog.Close(); err == nil {
			err = cerr
		}
		b.Catalog = nil
	}
	return err
}
