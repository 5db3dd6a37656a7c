package app

import (
	"context"
	"fmt"
)

// WithdrawMissing marks the talks of an event from sourceName that a
// re-scrape no longer found (their keys are not in keep) as withdrawn, and
// brings the index up to date. It returns the withdrawn talks' titles. It
// deletes nothing and leaves personal data alone (see the store).
func (c *Catalog) WithdrawMissing(ctx context.Context, series, event, sourceName string, keep []string) ([]string, error) {
	withdrawn, err := c.store.WithdrawMissing(ctx, series, event, sourceName, keep)
	if err != nil {
		return nil, fmt.Errorf("withdraw talks missing from %s %s: %w", series, event, err)
	}
	if err := c.Sync(ctx); err != nil {
		return withdrawn, err
	}
	return withdrawn, nil
}

// EventTalkKeys returns the source keys of an event's talks from
// sourceName, each mapped to whether it is withdrawn, for dry-run diffs.
func (c *Catalog) EventTalkKeys(ctx context.Context, series, event, sourceName string) (map[string]bool, error) {
	return c.store.EventTalkKeys(ctx, series, event, sourceName)
}

// EventTalkTitles returns the titles of an event's talks from sourceName
// that are not withdrawn, by source key.
func (c *Catalog) EventTalkTitles(ctx context.Context, series, event, sourceName string) (map[string]string, error) {
	return c.store.EventTalkTitles(ctx, series, event, sourceName)
}
