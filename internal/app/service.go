package app

import (
	"context"
	"fmt"

	"github.com/talkdex/talkdex/internal/catalog"
)

var _ catalog.TalkService = (*Catalog)(nil)

// SearchTalks searches the index and hydrates the hits from SQLite, which
// holds the current record (the index may be a moment behind a write).
func (c *Catalog) SearchTalks(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	if c.index == nil {
		return c.remoteSearch(ctx, req)
	}
	if c.rebuild.get() != IndexReady {
		return c.store.SearchFallback(ctx, req)
	}
	var talks map[int64]*catalog.Talk
	res, err := c.index.SearchLoading(ctx, req, func(ctx context.Context, ids []int64) (map[int64]*catalog.Talk, error) {
		var err error
		if talks, err = c.store.TalksByIDs(ctx, ids); err != nil {
			return nil, fmt.Errorf("load search hits: %w", err)
		}
		return talks, nil
	})
	if err != nil {
		return nil, err
	}
	hits := res.Hits[:0]
	for _, h := range res.Hits {
		// A talk deleted since the index saw it is simply left out.
		if t, ok := talks[h.ID]; ok {
			h.Talk = t
			hits = append(hits, h)
		}
	}
	res.Hits = hits
	if req.Sort == catalog.SortRelevance {
		catalog.SortTiesNewest(res.Hits)
	}
	return res, nil
}

// FindTalkByID returns one talk with its personal data.
func (c *Catalog) FindTalkByID(ctx context.Context, id int64) (*catalog.Talk, error) {
	return c.store.FindTalkByID(ctx, id)
}

// SetRating rates a talk 1..5 stars.
func (c *Catalog) SetRating(ctx context.Context, id int64, stars int) error {
	if err := c.store.SetRating(ctx, id, stars); err != nil {
		return err
	}
	c.afterWrite(ctx, id)
	return nil
}

// ClearRating removes a talk's rating.
func (c *Catalog) ClearRating(ctx context.Context, id int64) error {
	if err := c.store.ClearRating(ctx, id); err != nil {
		return err
	}
	c.afterWrite(ctx, id)
	return nil
}

// SetNote replaces a talk's note; empty text clears it.
func (c *Catalog) SetNote(ctx context.Context, id int64, text string) error {
	if err := c.store.SetNote(ctx, id, text); err != nil {
		return err
	}
	c.afterWrite(ctx, id)
	return nil
}

// SetWatched marks a talk watched or not.
func (c *Catalog) SetWatched(ctx context.Context, id int64, watched bool) error {
	if err := c.store.SetWatched(ctx, id, watched); err != nil {
		return err
	}
	c.afterWrite(ctx, id)
	return nil
}

// ListSeries lists every series with counts.
func (c *Catalog) ListSeries(ctx context.Context) ([]*catalog.Series, error) {
	return c.store.ListSeries(ctx)
}

// ListEvents lists events, newest first.
func (c *Catalog) ListEvents(ctx context.Context, f catalog.EventFilter) ([]*catalog.Event, error) {
	return c.store.ListEvents(ctx, f)
}

// FindEventByID returns one event.
func (c *Catalog) FindEventByID(ctx context.Context, id int64) (*catalog.Event, error) {
	return c.store.FindEventByID(ctx, id)
}

// Stats summarises the store and the index.
func (c *Catalog) Stats(ctx context.Context) (*catalog.Stats, error) {
	st, err := c.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	st.Index = c.IndexState()
	if c.index == nil || st.Index != IndexReady {
		// The owning process knows; this one cannot look. A rebuilding
		// index's count means nothing yet.
		return st, nil
	}
	n, err := c.index.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count indexed talks: %w", err)
	}
	st.IndexedDocs = int(n)
	return st, nil
}

// RelatedTalks returns up to n talks like talk id (more-like-this on its
// title, abstract, speakers and tags), most alike first. Without a ready
// index (another process owns it, or it is being rebuilt) there are none.
func (c *Catalog) RelatedTalks(ctx context.Context, id int64, n int) ([]*catalog.Talk, error) {
	t, err := c.store.FindTalkByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.index == nil || c.rebuild.get() != IndexReady {
		return []*catalog.Talk{}, nil
	}
	ids, err := c.index.Related(ctx, t, n)
	if err != nil {
		return nil, fmt.Errorf("related talks of %d: %w", id, err)
	}
	found, err := c.store.TalksByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load related talks of %d: %w", id, err)
	}
	out := make([]*catalog.Talk, 0, len(ids))
	for _, rid := range ids {
		if r, ok := found[rid]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
