package app

import (
	"context"
	"sync"
	"sync/atomic"
)

// Index states, as Stats and /healthz report them.
const (
	IndexReady      = "ready"      // searches use the index
	IndexRebuilding = "rebuilding" // the index is being built; searches are answered from SQLite
	IndexFailed     = "failed"     // the rebuild failed; searches stay on SQLite until a restart
	IndexRemote     = "remote"     // another process owns the index; searches go to its API
	IndexNone       = "none"       // opened without the index (OpenStore)
)

// Options tune Open.
type Options struct {
	// BackgroundRebuild makes Open return at once when the index must be
	// rebuilt (missing, damaged, of an older mapping, or out of step), and
	// rebuild it in the background while searches are answered from SQLite.
	// A server wants this: it starts in well under its 2 s budget whatever
	// state the index is in. Without it Open rebuilds before returning.
	BackgroundRebuild bool
	// Completions builds the as-you-type completion index in the
	// background at once; otherwise the first Suggest starts it.
	Completions bool
	// WarmIndex reads what searches read of every hit into memory in the
	// background at once (index.Warm), as a server wants.
	WarmIndex bool

	// holdRebuild, set only by tests, runs before a background rebuild
	// starts, so that a test can look at the catalog meanwhile.
	holdRebuild func()
}

// rebuilder runs the background rebuild and tracks the index state.
type rebuilder struct {
	state  atomic.Value // string: one of the Index* states
	err    atomic.Value // string: why the last rebuild failed
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// hold, when set by a test, runs before the rebuild starts, so that the
	// test can look at the catalog while the rebuild is pending.
	hold func()
}

func (r *rebuilder) set(state string) { r.state.Store(state) }

func (r *rebuilder) get() string {
	if s, ok := r.state.Load().(string); ok {
		return s
	}
	return IndexReady
}

// startRebuild rebuilds the index in the background. Close cancels it and
// waits; a cancelled rebuild leaves the old index, which the next Open
// rebuilds again.
func (c *Catalog) startRebuild(reason string) {
	ctx, cancel := context.WithCancel(context.Background())
	c.rebuild.cancel = cancel
	c.rebuild.set(IndexRebuilding)
	c.rebuild.wg.Add(1)
	go func() {
		defer c.rebuild.wg.Done()
		if c.rebuild.hold != nil {
			c.rebuild.hold()
		}
		c.logger.Info("rebuilding the search index in the background; searches use the database meanwhile", "why", reason)
		if err := c.Reindex(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			c.rebuild.err.Store(err.Error())
			c.rebuild.set(IndexFailed)
			c.logger.Error("background index rebuild failed; searches stay on the database", "err", err)
			return
		}
		c.rebuild.set(IndexReady)
		c.logger.Info("search index rebuilt")
	}()
}

// stopRebuild cancels a background rebuild and waits for it to end.
func (c *Catalog) stopRebuild() {
	if c.rebuild.cancel != nil {
		c.rebuild.cancel()
	}
	c.rebuild.wg.Wait()
}

// IndexState says how searches are answered: see the Index* constants.
func (c *Catalog) IndexState() string {
	switch {
	case c.index != nil:
		return c.rebuild.get()
	case c.lock == nil && c.dir != "" && c.remote:
		return IndexRemote
	default:
		return IndexNone
	}
}
