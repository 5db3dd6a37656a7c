// Package app joins the store (the truth) and the index (derived from it)
// into the catalog service that the CLI and the HTTP server use. It owns the
// data directory's layout, keeps the index in step with the store's outbox,
// and runs imports and rebuilds.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/talkdex/talkdex/index"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/sqlite"
)

// File names inside a data directory (DESIGN "Contracts").
const (
	DatabaseFile = "talkdex.db"
	IndexDir     = "index.bleve"
	lockFile     = "index.lock"
	serverFile   = "server.addr"
	// SynonymsFile holds the user's synonym sets, one a line, added to the
	// curated list (index/synonyms.txt) at the next start.
	SynonymsFile = "synonyms.txt"
)

// syncBatch is how many outbox rows one index Apply takes. It bounds the
// talks a large import holds in memory at once, and lets the index write
// all its batches at once (index.ApplyChunk): with a single batch of 1,000,
// a 100k-talk import took 52–60 s here against 45–51 s, for 390 against
// 530–560 MB at its peak.
const syncBatch = index.ApplyChunk

// Catalog implements catalog.TalkService over SQLite and Bleve.
//
// Only one process may write a data directory's index at a time. The first
// process to open the directory takes the index lock; a second one (say the
// CLI while `talkdex serve` runs) writes only to SQLite, leaves the outbox
// for the lock holder to apply, and sends searches to the holder's API.
type Catalog struct {
	dir    string
	store  *sqlite.Store
	lock   *os.File     // nil without the index (see below)
	index  *index.Index // nil when another process owns it, or after OpenStore
	logger *slog.Logger

	advertised bool // this process wrote serverFile
	remote     bool // opened with Open, but another process owns the index

	rebuild       rebuilder
	completions   completions
	suggestCancel atomic.Pointer[context.CancelFunc]

	// syncMu serialises outbox draining and rebuilds, so that two batches
	// never apply the same changes out of order.
	syncMu sync.Mutex
}

// Open opens (creating if needed) the catalog in dir, with its index. A
// missing, incompatible or incomplete index is rebuilt from SQLite before
// Open returns; otherwise whatever the outbox still holds from an earlier
// run is applied. If another process owns the index, the catalog works
// without it (see Catalog).
func Open(ctx context.Context, dir string, logger *slog.Logger) (*Catalog, error) {
	return OpenWith(ctx, dir, logger, Options{})
}

// OpenWith is Open with options (see Options).
func OpenWith(ctx context.Context, dir string, logger *slog.Logger, opts Options) (*Catalog, error) {
	c, err := OpenStore(ctx, dir, logger)
	if err != nil {
		return nil, err
	}
	lock, err := lockIndex(filepath.Join(dir, lockFile))
	if err != nil {
		c.Close()
		return nil, err
	}
	if lock == nil {
		// Bleve keeps an exclusive lock on its files while open, so this
		// process works without the index: writes go to SQLite and the
		// outbox, and searches go to the owner's API (see remote.go).
		c.logger.Debug("another talkdex process owns the index", "dir", dir)
		c.remote = true
		return c, nil
	}
	c.lock = lock
	// Whoever wrote a server address before us is gone: we hold the lock.
	if err := os.Remove(filepath.Join(dir, serverFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.Close()
		return nil, fmt.Errorf("remove stale server address: %w", err)
	}
	// The user's own synonym sets, if any, join the curated list. A broken
	// file costs the user's sets, not the catalog: it is reported and the
	// curated list serves alone (synonyms load before the index opens).
	c.index, err = index.OpenWith(filepath.Join(dir, IndexDir), index.Options{SynonymsFile: filepath.Join(dir, SynonymsFile)})
	if catalog.ErrorCode(err) == catalog.EINVALID {
		c.logger.Warn("ignoring the data dir's synonyms file; fix it and restart", "err", err)
		c.index, err = index.OpenWith(filepath.Join(dir, IndexDir), index.Options{})
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("open index: %w", err)
	}
	if opts.Completions {
		c.startSuggest()
	}
	if opts.WarmIndex {
		c.index.Warm()
	}
	if opts.BackgroundRebuild {
		reason, err := c.rebuildReason(ctx)
		if err != nil {
			c.Close()
			return nil, err
		}
		if reason != "" {
			c.rebuild.hold = opts.holdRebuild
			c.startRebuild(reason)
		}
		return c, nil
	}
	if err := c.catchUp(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// rebuildReason drains the outbox into a usable index and says why the
// index must be rebuilt, or "" when it is level with SQLite.
func (c *Catalog) rebuildReason(ctx context.Context) (string, error) {
	if c.index.NeedsRebuild() {
		return "new, missing, damaged or older index", nil
	}
	if err := c.Sync(ctx); err != nil {
		// An index that cannot take the outbox is as good as damaged.
		c.logger.Warn("applying the outbox to the index failed", "err", err)
		return "the index refused the outbox", nil
	}
	st, err := c.store.Stats(ctx)
	if err != nil {
		return "", err
	}
	n, err := c.index.DocCount()
	if err != nil || int(n) != st.Talks {
		return "index out of step with the database", nil
	}
	return "", nil
}

// OpenStore opens the catalog's database only. Commands that never search
// (show, export, backup, rate, note, watched) use it, so that they work
// while another process owns the index, and even when the index is broken:
// their writes reach the index through the outbox later.
func OpenStore(ctx context.Context, dir string, logger *slog.Logger) (*Catalog, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", dir, err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(dir, DatabaseFile))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return &Catalog{dir: dir, store: store, logger: logger}, nil
}

// catchUp brings a freshly opened index level with SQLite.
//
// With the outbox drained the index must hold every talk: a rebuild cut
// short (Ctrl-C, kill -9) leaves a stamped but incomplete index that
// nothing else would notice, so the counts are compared too.
func (c *Catalog) catchUp(ctx context.Context) error {
	if c.index.NeedsRebuild() {
		c.logger.Info("building the search index from the database (new, missing, damaged or older index)")
		return c.Reindex(ctx)
	}
	if err := c.Sync(ctx); err != nil {
		return err
	}
	st, err := c.store.Stats(ctx)
	if err != nil {
		return err
	}
	n, err := c.index.DocCount()
	if err != nil {
		return fmt.Errorf("count indexed talks: %w", err)
	}
	if int(n) != st.Talks {
		c.logger.Warn("search index out of step with the database; rebuilding", "indexed", n, "talks", st.Talks)
		return c.Reindex(ctx)
	}
	return nil
}

// Close releases the store, the index and the lock.
func (c *Catalog) Close() error {
	if cancel := c.suggestCancel.Load(); cancel != nil {
		(*cancel)()
	}
	c.stopRebuild()
	var errs []error
	if c.advertised {
		errs = append(errs, os.Remove(filepath.Join(c.dir, serverFile)))
	}
	if c.index != nil {
		errs = append(errs, c.index.Close())
	}
	errs = append(errs, c.closeFiles())
	return errors.Join(errs...)
}

func (c *Catalog) closeFiles() error {
	err := c.store.Close()
	if c.lock != nil {
		err = errors.Join(err, c.lock.Close())
	}
	return err
}

// HasIndex reports whether this process has the search index open.
func (c *Catalog) HasIndex() bool { return c.index != nil }

// WarmIndex has the search index read what searches need of each of its
// segments now, and again after each write, as a server's does (see
// Options.WarmIndex), in a catalog opened without.
func (c *Catalog) WarmIndex() {
	if c.index != nil {
		c.index.Warm()
	}
}

// IndexWarmed reports whether the search index has read what searches
// need of each of its segments (see index.Warmed), starting what is
// missing; true when this process has no index.
func (c *Catalog) IndexWarmed() bool { return c.index == nil || c.index.Warmed() }

// Dir is the data directory.
func (c *Catalog) Dir() string { return c.dir }

// OwnsIndex reports whether this process maintains the index. When false,
// writes reach the index only once the owning process drains the outbox.
func (c *Catalog) OwnsIndex() bool { return c.lock != nil }

// Store exposes the store for maintenance commands (backup, integrity check).
func (c *Catalog) Store() *sqlite.Store { return c.store }

// Sync applies the outbox to the index. It is a no-op for a process that
// does not own the index.
func (c *Catalog) Sync(ctx context.Context) error {
	if c.lock == nil {
		return nil
	}
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	for {
		changes, err := c.store.PendingIndexChanges(ctx, syncBatch)
		if err != nil {
			return fmt.Errorf("read index outbox: %w", err)
		}
		if len(changes) == 0 {
			return nil
		}
		ids := make([]int64, 0, len(changes))
		seen := make(map[int64]bool, len(changes))
		for _, ch := range changes {
			if !seen[ch.TalkID] {
				seen[ch.TalkID] = true
				ids = append(ids, ch.TalkID)
			}
		}
		talks, err := c.store.TalksByIDs(ctx, ids)
		if err != nil {
			return fmt.Errorf("load talks for the index: %w", err)
		}
		upserts := make([]*catalog.Talk, 0, len(talks))
		var deletes []int64
		for _, id := range ids {
			t, ok := talks[id]
			if ok {
				upserts = append(upserts, t)
			} else {
				deletes = append(deletes, id)
			}
			c.suggestChanged(id, t)
		}
		if err := c.index.Apply(ctx, upserts, deletes); err != nil {
			return fmt.Errorf("apply %d changes to the index: %w", len(ids), err)
		}
		if err := c.store.AckIndexChanges(ctx, changes[len(changes)-1].Seq); err != nil {
			return fmt.Errorf("acknowledge index outbox: %w", err)
		}
	}
}

// Reindex rebuilds the whole index from SQLite while searches keep using
// the old one.
func (c *Catalog) Reindex(ctx context.Context) error {
	if c.lock == nil {
		return catalog.Errorf(catalog.ECONFLICT, "another talkdex process (a running server?) owns the index in %s; stop it or run reindex there", c.dir)
	}
	c.syncMu.Lock()
	// Every change up to seq is committed before the rebuild starts reading,
	// so the rebuild sees it; later changes stay queued for Sync.
	seq, err := c.store.LastIndexSeq(ctx)
	if err == nil {
		err = c.index.Rebuild(ctx, func(emit func(*catalog.Talk) error) error {
			return c.store.EachTalk(ctx, emit)
		})
	}
	if err == nil {
		err = c.store.AckIndexChanges(ctx, seq)
	}
	c.syncMu.Unlock()
	if err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	// A rebuilt index is written in many segments; one answers faster.
	if cerr := c.index.Compact(ctx); cerr != nil {
		c.logger.Warn("merge index segments after the rebuild", "err", cerr)
	}
	// The completion index is derived the same way; a reindex refreshes it
	// (once one was built: a CLI reindex needs none).
	if c.completions.started.Load() {
		c.buildSuggest(ctx)
	}
	return c.Sync(ctx)
}

// afterWrite shows a committed write in search at once by indexing that
// talk alone. Its outbox row stays queued: draining a backlog (say, a large
// import by another process) must not hold up the request, and the poller or
// the next Sync applies the row again, which is harmless. A failure here is
// logged, not returned: the write itself succeeded and its row is durable.
func (c *Catalog) afterWrite(ctx context.Context, id int64) {
	if c.index == nil {
		return
	}
	t, err := c.store.FindTalkByID(ctx, id)
	if err == nil {
		c.suggestChanged(id, t)
		err = c.index.Apply(ctx, []*catalog.Talk{t}, nil)
	}
	if err != nil {
		c.logger.Error("index a written talk; the outbox will retry", "talk", id, "err", err)
	}
}
