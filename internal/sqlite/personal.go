package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// personalWrite validates nothing itself: callers check their input first so
// that bad input never opens a transaction. It checks the talk exists, runs
// fn and records an outbox row, all in one transaction.
func (s *Store) personalWrite(ctx context.Context, id int64, what string, fn func(tx *sql.Tx, at string) error) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM talks WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return talkNotFound(id)
		}
		if err != nil {
			return err
		}
		at := now()
		if err := fn(tx, at); err != nil {
			return err
		}
		return recordChange(ctx, tx, id, at)
	})
	if err != nil {
		return fmt.Errorf("%s of talk %d: %w", what, id, err)
	}
	return nil
}

// SetRating sets a talk's rating to stars (1..5).
func (s *Store) SetRating(ctx context.Context, id int64, stars int) error {
	if stars < catalog.MinStars || stars > catalog.MaxStars {
		return catalog.Errorf(catalog.EINVALID, "rating %d is out of range %d..%d", stars, catalog.MinStars, catalog.MaxStars)
	}
	return s.personalWrite(ctx, id, "set rating", func(tx *sql.Tx, at string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ratings (talk_id, stars, rated_at) VALUES (?, ?, ?)
			ON CONFLICT (talk_id) DO UPDATE SET stars = excluded.stars, rated_at = excluded.rated_at`, id, stars, at)
		return err
	})
}

// ClearRating removes a talk's rating. It leaves a tombstone row so that a
// later import of an old export does not bring the rating back.
func (s *Store) ClearRating(ctx context.Context, id int64) error {
	return s.personalWrite(ctx, id, "clear rating", func(tx *sql.Tx, at string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ratings (talk_id, stars, rated_at) VALUES (?, NULL, ?)
			ON CONFLICT (talk_id) DO UPDATE SET stars = NULL, rated_at = excluded.rated_at`, id, at)
		return err
	})
}

// SetNote replaces a talk's note; empty or blank text clears it. The body
// it replaces is kept in note_revisions so the change can be undone. A
// cleared note stays as an empty row, a tombstone that imports respect.
func (s *Store) SetNote(ctx context.Context, id int64, text string) error {
	if len(text) > catalog.MaxNoteBytes {
		return catalog.Errorf(catalog.EINVALID, "note is %d bytes; the limit is %d bytes", len(text), catalog.MaxNoteBytes)
	}
	if strings.TrimSpace(text) == "" {
		text = ""
	}
	return s.personalWrite(ctx, id, "set note", func(tx *sql.Tx, at string) error {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT body FROM notes WHERE talk_id = ?`, id).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old != "" && old != text {
			if _, err := tx.ExecContext(ctx, `INSERT INTO note_revisions (talk_id, body, replaced_at) VALUES (?, ?, ?)`,
				id, old, at); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notes (talk_id, body, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (talk_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, id, text, at)
		return err
	})
}

// SetWatched marks a talk watched or not. watched_at keeps the first time it
// was marked watched, until it is unmarked.
func (s *Store) SetWatched(ctx context.Context, id int64, watched bool) error {
	return s.personalWrite(ctx, id, "set watched", func(tx *sql.Tx, at string) error {
		var watchedAt sql.NullString
		if watched {
			watchedAt = sql.NullString{String: at, Valid: true}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO watch (talk_id, watched, updated_at, watched_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (talk_id) DO UPDATE SET watched = excluded.watched, updated_at = excluded.updated_at,
				watched_at = CASE WHEN excluded.watched = 1 THEN COALESCE(watch.watched_at, excluded.watched_at) END`,
			id, watched, at, watchedAt)
		return err
	})
}
