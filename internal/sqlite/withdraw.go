package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/talkdex/talkdex/internal/catalog"
)

// eventTalk is one talk of an event as a re-scrape sees it.
type eventTalk struct {
	id        int64
	key       string
	title     string
	withdrawn bool
}

// eventTalks lists the talks of one event that came from sourceName, so
// that a re-scrape compares only what it owns: talks imported into the same
// event from another source are never withdrawn by it.
func eventTalks(ctx context.Context, tx *sql.Tx, series, event, sourceName string) ([]eventTalk, error) {
	rows, err := tx.QueryContext(ctx, `SELECT t.id, t.source_key, t.title, t.withdrawn
		FROM talks t
		JOIN events e ON e.id = t.event_id
		JOIN series s ON s.id = e.series_id
		WHERE s.name = ? AND e.name = ? AND t.source_name = ?
		ORDER BY t.id`, series, event, sourceName)
	if err != nil {
		return nil, fmt.Errorf("list talks of %s %s from %s: %w", series, event, sourceName, err)
	}
	defer rows.Close()
	var talks []eventTalk
	for rows.Next() {
		var et eventTalk
		if err := rows.Scan(&et.id, &et.key, &et.title, &et.withdrawn); err != nil {
			return nil, fmt.Errorf("list talks of %s %s from %s: %w", series, event, sourceName, err)
		}
		talks = append(talks, et)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list talks of %s %s from %s: %w", series, event, sourceName, err)
	}
	return talks, nil
}

// WithdrawMissing marks as withdrawn every talk of the event that came from
// sourceName and whose source key is not in keep, and returns their titles.
// It runs after a re-scrape has upserted what the page still lists: a talk
// that vanished from the program keeps its row and the user's rating, note
// and watched mark, and comes back (UpsertTalks clears the flag) if the page
// lists it again. Nothing is deleted. An empty keep is refused, since a
// scrape that found nothing must never withdraw a whole event.
func (s *Store) WithdrawMissing(ctx context.Context, series, event, sourceName string, keep []string) ([]string, error) {
	if len(keep) == 0 {
		return nil, catalog.Errorf(catalog.EINVALID, "refusing to withdraw every talk of %s %s: the scrape kept none", series, event)
	}
	kept := make(map[string]bool, len(keep))
	for _, k := range keep {
		kept[k] = true
	}
	withdrawn := []string{}
	err := s.write(ctx, func(tx *sql.Tx) error {
		talks, err := eventTalks(ctx, tx, series, event, sourceName)
		if err != nil {
			return err
		}
		at := now()
		for _, et := range talks {
			if et.withdrawn || kept[et.key] {
				continue
			}
			// updated_at is left alone: it tracks the source fields, and
			// the flag is the scraper's judgement, not the source's data.
			if _, err := tx.ExecContext(ctx, `UPDATE talks SET withdrawn = 1 WHERE id = ?`, et.id); err != nil {
				return fmt.Errorf("withdraw talk %d %q: %w", et.id, et.title, err)
			}
			if err := recordChange(ctx, tx, et.id, at); err != nil {
				return err
			}
			withdrawn = append(withdrawn, et.title)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return withdrawn, nil
}

// EventTalkKeys returns the source keys of the event's talks from
// sourceName, each mapped to whether it is already withdrawn, so that a dry
// run can tell which scraped talks would be added or changed.
func (s *Store) EventTalkKeys(ctx context.Context, series, event, sourceName string) (map[string]bool, error) {
	keys := map[string]bool{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		talks, err := eventTalks(ctx, tx, series, event, sourceName)
		for _, et := range talks {
			keys[et.key] = et.withdrawn
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// EventTalkTitles returns the titles of the event's talks from sourceName
// that are not withdrawn, by source key: what a dry run names when it says
// which talks a scrape would withdraw.
func (s *Store) EventTalkTitles(ctx context.Context, series, event, sourceName string) (map[string]string, error) {
	titles := map[string]string{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		talks, err := eventTalks(ctx, tx, series, event, sourceName)
		for _, et := range talks {
			if !et.withdrawn {
				titles[et.key] = et.title
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return titles, nil
}
