package app

import (
	"context"

	"github.com/talkdex/talkdex/internal/catalog"
)

// personal runs a write to one talk's personal data and shows it in search
// at once (see afterWrite).
func (c *Catalog) personal(ctx context.Context, id int64, write func() error) error {
	if err := write(); err != nil {
		return err
	}
	c.afterWrite(ctx, id)
	return nil
}

// SetWatch sets a talk's place on the watch list.
func (c *Catalog) SetWatch(ctx context.Context, id int64, state string) error {
	return c.personal(ctx, id, func() error { return c.store.SetWatch(ctx, id, state) })
}

// AddMyTags gives a talk personal tags.
func (c *Catalog) AddMyTags(ctx context.Context, id int64, tags []string) error {
	return c.personal(ctx, id, func() error { return c.store.AddMyTags(ctx, id, tags) })
}

// RemoveMyTags takes personal tags off a talk.
func (c *Catalog) RemoveMyTags(ctx context.Context, id int64, tags []string) error {
	return c.personal(ctx, id, func() error { return c.store.RemoveMyTags(ctx, id, tags) })
}

// SetMyTags replaces a talk's personal tags.
func (c *Catalog) SetMyTags(ctx context.Context, id int64, tags []string) error {
	return c.personal(ctx, id, func() error { return c.store.SetMyTags(ctx, id, tags) })
}

// ListMyTags lists the personal tags in use with their counts.
func (c *Catalog) ListMyTags(ctx context.Context) ([]catalog.TagCount, error) {
	return c.store.ListMyTags(ctx)
}

// NoteHistory returns a talk's note and the bodies it replaced.
func (c *Catalog) NoteHistory(ctx context.Context, id int64) (*catalog.NoteHistory, error) {
	return c.store.NoteHistory(ctx, id)
}

// RevertNote makes an earlier body the talk's note again.
func (c *Catalog) RevertNote(ctx context.Context, id, revision int64) error {
	return c.personal(ctx, id, func() error { return c.store.RevertNote(ctx, id, revision) })
}

// AppendNote adds text below a talk's note, once per text, recording where
// it came from; it reports whether it appended anything.
func (c *Catalog) AppendNote(ctx context.Context, id int64, text, source string) (bool, error) {
	appended := false
	err := c.personal(ctx, id, func() error {
		var err error
		appended, err = c.store.AppendNote(ctx, id, text, source)
		return err
	})
	return appended, err
}

// WatchList returns the talks to watch and the talks watched.
func (c *Catalog) WatchList(ctx context.Context) ([]*catalog.Talk, error) {
	return c.store.WatchList(ctx)
}

// CreateSavedSearch stores a new saved search.
func (c *Catalog) CreateSavedSearch(ctx context.Context, s *catalog.SavedSearch) error {
	return c.store.CreateSavedSearch(ctx, s)
}

// UpdateSavedSearch replaces a saved search.
func (c *Catalog) UpdateSavedSearch(ctx context.Context, name string, s *catalog.SavedSearch) error {
	return c.store.UpdateSavedSearch(ctx, name, s)
}

// DeleteSavedSearch removes a saved search.
func (c *Catalog) DeleteSavedSearch(ctx context.Context, name string) error {
	return c.store.DeleteSavedSearch(ctx, name)
}

// FindSavedSearch returns one saved search by name.
func (c *Catalog) FindSavedSearch(ctx context.Context, name string) (*catalog.SavedSearch, error) {
	return c.store.FindSavedSearch(ctx, name)
}

// ListSavedSearches lists the saved searches by name.
func (c *Catalog) ListSavedSearches(ctx context.Context) ([]*catalog.SavedSearch, error) {
	return c.store.ListSavedSearches(ctx)
}

// CreateTalk adds one talk (say, one a user's notes name and the catalog
// lacks) the way an import would, and returns its id. A talk with the same
// source key is updated instead, so creating twice makes one talk.
func (c *Catalog) CreateTalk(ctx context.Context, t *catalog.Talk) (int64, error) {
	t.Normalize()
	if err := t.Validate(); err != nil {
		return 0, err
	}
	report, err := c.Import(ctx, func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		return nil, emit(t)
	}, nil)
	if err != nil {
		return 0, err
	}
	if report.Skipped > 0 && len(report.Skips) > 0 {
		return 0, catalog.Errorf(catalog.EINVALID, "talk %q: %s", t.Title, report.Skips[0].Reason)
	}
	return c.store.TalkIDBySourceKey(ctx, t.Source.Key)
}

// SuggestRating rates a talk only if the user never rated it nor cleared
// its rating; it reports whether it did.
func (c *Catalog) SuggestRating(ctx context.Context, id int64, stars int) (bool, error) {
	rated := false
	err := c.personal(ctx, id, func() error {
		var err error
		rated, err = c.store.SuggestRating(ctx, id, stars)
		return err
	})
	return rated, err
}
