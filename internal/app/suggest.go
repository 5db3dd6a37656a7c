package app

import (
	"context"
	"sync/atomic"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/suggest"
)

// completions keeps the as-you-type index. It is built in the background
// at Open, so that a large catalog does not hold up the first search; until
// it is ready, Suggest answers with nothing.
type completions struct {
	ix atomic.Pointer[suggest.Index]
}

// buildSuggest (re)builds the completion index from the store.
func (c *Catalog) buildSuggest(ctx context.Context) {
	var talks []suggest.Talk
	err := c.store.EachTalk(ctx, func(t *catalog.Talk) error {
		if !t.Withdrawn {
			talks = append(talks, suggest.FromCatalog(t))
		}
		return nil
	})
	if err != nil {
		c.logger.Error("build the completion index", "err", err)
		return
	}
	c.completions.ix.Store(suggest.Build(talks))
}

// startSuggest builds the completion index in the background; Close waits
// for it.
func (c *Catalog) startSuggest() {
	ctx, cancel := context.WithCancel(context.Background())
	c.suggestCancel = cancel
	c.rebuild.wg.Add(1)
	go func() {
		defer c.rebuild.wg.Done()
		c.buildSuggest(ctx)
	}()
}

// suggestChanged follows one talk's change in the completion index.
func (c *Catalog) suggestChanged(id int64, t *catalog.Talk) {
	ix := c.completions.ix.Load()
	if ix == nil {
		return // the build under way reads the store after this change
	}
	if t == nil || t.Withdrawn {
		ix.Remove(id)
		return
	}
	ix.Upsert(suggest.FromCatalog(t))
}

// Suggest completes what a user is typing: titles, speakers, series and
// events. It is empty in a process that does not own the index, and while
// the completion index is being built.
func (c *Catalog) Suggest(ctx context.Context, q string, limit int) ([]catalog.Suggestion, error) {
	ix := c.completions.ix.Load()
	if ix == nil {
		return []catalog.Suggestion{}, nil
	}
	found := ix.Suggest(q, limit)
	out := make([]catalog.Suggestion, len(found))
	for i, s := range found {
		out[i] = catalog.Suggestion{Kind: string(s.Kind), Text: s.Text, TalkID: s.TalkID, Count: s.Count}
	}
	return out, nil
}
