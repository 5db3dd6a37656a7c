package app

import (
	"context"
	"errors"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/suggest"
)

// completions keeps the as-you-type index. It is built in the background,
// at Open for a server (Options.Completions) and on the first Suggest
// otherwise, so that a large catalog holds up neither the first search nor
// a short CLI command; until it is ready, Suggest answers with nothing.
type completions struct {
	ix atomic.Pointer[suggest.Index]

	// While a build reads the store, changes to talks it may already have
	// read are noted in pending and applied to the new index once it is in
	// place; otherwise they would be lost with the snapshot.
	mu       sync.Mutex
	building bool
	pending  map[int64]bool
	started  atomic.Bool
}

// buildSuggest (re)builds the completion index from the store.
func (c *Catalog) buildSuggest(ctx context.Context) {
	cs := &c.completions
	cs.mu.Lock()
	cs.building, cs.pending = true, map[int64]bool{}
	cs.mu.Unlock()

	var talks []suggest.Talk
	err := c.store.EachTalk(ctx, func(t *catalog.Talk) error {
		if !t.Withdrawn {
			talks = append(talks, suggest.FromCatalog(t))
		}
		return nil
	})
	var ix *suggest.Index
	if err == nil {
		ix = suggest.Build(talks)
	}
	// Every talk was read to build the index, and is garbage now: at 100k
	// talks some 100 MB the process would otherwise keep resident until
	// the collector and the scavenger get to it.
	debug.FreeOSMemory()

	cs.mu.Lock()
	pending := cs.pending
	cs.building, cs.pending = false, nil
	if ix != nil {
		cs.ix.Store(ix)
	}
	cs.mu.Unlock()
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			c.logger.Error("build the completion index", "err", err)
		}
		return
	}
	for id := range pending {
		t, err := c.store.FindTalkByID(ctx, id)
		if err != nil && catalog.ErrorCode(err) != catalog.ENOTFOUND {
			c.logger.Warn("update the completion index", "talk", id, "err", err)
			continue
		}
		applySuggest(ix, id, t)
	}
}

// startSuggest builds the completion index in the background, once; Close
// waits for it.
func (c *Catalog) startSuggest() {
	if c.completions.started.Swap(true) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.suggestCancel.Store(&cancel)
	c.rebuild.wg.Add(1)
	go func() {
		defer c.rebuild.wg.Done()
		c.buildSuggest(ctx)
	}()
}

// suggestChanged follows one talk's change (t nil: deleted) in the
// completion index, and notes it for a build under way.
func (c *Catalog) suggestChanged(id int64, t *catalog.Talk) {
	cs := &c.completions
	cs.mu.Lock()
	if cs.building {
		cs.pending[id] = true
	}
	cs.mu.Unlock()
	if ix := cs.ix.Load(); ix != nil {
		applySuggest(ix, id, t)
	}
}

func applySuggest(ix *suggest.Index, id int64, t *catalog.Talk) {
	if t == nil || t.Withdrawn {
		ix.Remove(id)
		return
	}
	ix.Upsert(suggest.FromCatalog(t))
}

// Suggest completes what a user is typing: titles, speakers, series and
// events. It is empty in a process that does not own the index, and while
// the completion index is being built (the first call starts the build).
func (c *Catalog) Suggest(ctx context.Context, q string, limit int) ([]catalog.Suggestion, error) {
	ix := c.completions.ix.Load()
	if ix == nil {
		if c.index != nil {
			c.startSuggest()
		}
		return []catalog.Suggestion{}, nil
	}
	found := ix.Suggest(q, limit)
	out := make([]catalog.Suggestion, len(found))
	for i, s := range found {
		out[i] = catalog.Suggestion{Kind: string(s.Kind), Text: s.Text, TalkID: s.TalkID, Count: s.Count}
	}
	return out, nil
}
