package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
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
		return replaceNote(ctx, tx, id, text, "", at)
	})
}

// SetWatched marks a talk watched, or takes the mark away. A talk that was
// on the to-watch list before it was watched goes back to the list.
func (s *Store) SetWatched(ctx context.Context, id int64, watched bool) error {
	if watched {
		return s.SetWatch(ctx, id, catalog.WatchWatched)
	}
	return s.personalWrite(ctx, id, "set watched", func(tx *sql.Tx, at string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO watch (talk_id, watched, updated_at) VALUES (?, 0, ?)
			ON CONFLICT (talk_id) DO UPDATE SET watched = 0, watched_at = NULL, updated_at = excluded.updated_at`, id, at)
		return err
	})
}

// SetWatch puts a talk on the to-watch list, marks it watched, or takes it
// off the list (catalog.WatchNone). Each state keeps the date it began:
// watched_at the first time it was marked watched, to_watch_at the time it
// was put on the list.
func (s *Store) SetWatch(ctx context.Context, id int64, state string) error {
	if !catalog.ValidWatchState(state) {
		return catalog.Errorf(catalog.EINVALID, "unknown watch state %q; use %s, %s or %s",
			state, catalog.WatchToWatch, catalog.WatchWatched, catalog.WatchNone)
	}
	return s.personalWrite(ctx, id, "set watch state", func(tx *sql.Tx, at string) error {
		var q string
		switch state {
		case catalog.WatchWatched:
			q = `INSERT INTO watch (talk_id, watched, updated_at, watched_at) VALUES (?1, 1, ?2, ?2)
				ON CONFLICT (talk_id) DO UPDATE SET watched = 1, updated_at = ?2,
					watched_at = CASE WHEN watch.watched = 1 THEN COALESCE(watch.watched_at, ?2) ELSE ?2 END`
		case catalog.WatchToWatch:
			q = `INSERT INTO watch (talk_id, watched, updated_at, to_watch_at) VALUES (?1, 0, ?2, ?2)
				ON CONFLICT (talk_id) DO UPDATE SET watched = 0, watched_at = NULL, updated_at = ?2,
					to_watch_at = COALESCE(watch.to_watch_at, ?2)`
		default:
			q = `INSERT INTO watch (talk_id, watched, updated_at) VALUES (?1, 0, ?2)
				ON CONFLICT (talk_id) DO UPDATE SET watched = 0, watched_at = NULL, to_watch_at = NULL, updated_at = ?2`
		}
		_, err := tx.ExecContext(ctx, q, id, at)
		return err
	})
}

// AddMyTags gives a talk personal tags; tags it has already are kept once.
func (s *Store) AddMyTags(ctx context.Context, id int64, tags []string) error {
	return s.tagWrite(ctx, id, "add tags", tags, func(tx *sql.Tx, clean []string, at string) error {
		if err := insertTags(ctx, tx, id, clean, at); err != nil {
			return err
		}
		return checkTagCount(ctx, tx, id)
	})
}

// RemoveMyTags takes personal tags off a talk; tags it does not have are
// ignored.
func (s *Store) RemoveMyTags(ctx context.Context, id int64, tags []string) error {
	return s.tagWrite(ctx, id, "remove tags", tags, func(tx *sql.Tx, clean []string, _ string) error {
		return deleteTags(ctx, tx, id, clean)
	})
}

// SetMyTags replaces a talk's personal tags; tags it keeps keep their date.
func (s *Store) SetMyTags(ctx context.Context, id int64, tags []string) error {
	return s.tagWrite(ctx, id, "set tags", tags, func(tx *sql.Tx, clean []string, at string) error {
		var drop []string
		err := eachRow(ctx, tx, nil, `SELECT tag FROM personal_tags WHERE talk_id = ?`, []any{id}, func(rows *sql.Rows) error {
			var tag string
			if err := rows.Scan(&tag); err != nil {
				return err
			}
			if !slices.Contains(clean, tag) {
				drop = append(drop, tag)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := deleteTags(ctx, tx, id, drop); err != nil {
			return err
		}
		return insertTags(ctx, tx, id, clean, at)
	})
}

// tagWrite normalises tags before any transaction opens, so that a bad tag
// is reported and nothing is written.
func (s *Store) tagWrite(ctx context.Context, id int64, what string, tags []string, fn func(tx *sql.Tx, clean []string, at string) error) error {
	clean, err := catalog.NormalizeTags(tags)
	if err != nil {
		return err
	}
	return s.personalWrite(ctx, id, what, func(tx *sql.Tx, at string) error { return fn(tx, clean, at) })
}

func insertTags(ctx context.Context, tx *sql.Tx, id int64, tags []string, at string) error {
	for _, tag := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO personal_tags (talk_id, tag, added_at) VALUES (?, ?, ?)
			ON CONFLICT (talk_id, tag) DO NOTHING`, id, tag, at); err != nil {
			return err
		}
	}
	return nil
}

func deleteTags(ctx context.Context, tx *sql.Tx, id int64, tags []string) error {
	for _, tag := range tags {
		if _, err := tx.ExecContext(ctx, `DELETE FROM personal_tags WHERE talk_id = ? AND tag = ?`, id, tag); err != nil {
			return err
		}
	}
	return nil
}

func checkTagCount(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM personal_tags WHERE talk_id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n > catalog.MaxTagsOnTalk {
		return catalog.Errorf(catalog.EINVALID, "talk %d would have %d tags; a talk holds at most %d", id, n, catalog.MaxTagsOnTalk)
	}
	return nil
}

// ListMyTags returns every personal tag with its number of talks, most used
// first.
func (s *Store) ListMyTags(ctx context.Context) ([]catalog.TagCount, error) {
	out := []catalog.TagCount{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, tx, nil, `SELECT tag, count(*) FROM personal_tags GROUP BY tag ORDER BY count(*) DESC, tag`, nil,
			func(rows *sql.Rows) error {
				var tc catalog.TagCount
				if err := rows.Scan(&tc.Tag, &tc.Count); err != nil {
					return err
				}
				out = append(out, tc)
				return nil
			})
	})
	if err != nil {
		return nil, fmt.Errorf("list personal tags: %w", err)
	}
	return out, nil
}

// NoteHistory returns a talk's note and the bodies it replaced, newest
// first.
func (s *Store) NoteHistory(ctx context.Context, id int64) (*catalog.NoteHistory, error) {
	h := &catalog.NoteHistory{TalkID: id, Revisions: []catalog.NoteRevision{}}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM talks WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return talkNotFound(id)
		}
		if err != nil {
			return err
		}
		var updated string
		err = tx.QueryRowContext(ctx, `SELECT body, updated_at FROM notes WHERE talk_id = ?`, id).Scan(&h.Current, &updated)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		h.UpdatedAt = parseStamp(updated)
		return eachRow(ctx, tx, nil, `SELECT id, body, replaced_at, source FROM note_revisions WHERE talk_id = ? ORDER BY id DESC`,
			[]any{id}, func(rows *sql.Rows) error {
				var r catalog.NoteRevision
				var at string
				if err := rows.Scan(&r.ID, &r.Body, &at, &r.Source); err != nil {
					return err
				}
				r.ReplacedAt = parseStamp(at)
				h.Revisions = append(h.Revisions, r)
				return nil
			})
	})
	if err != nil {
		return nil, fmt.Errorf("note history of talk %d: %w", id, err)
	}
	return h, nil
}

// RevertNote makes revision rev the talk's note again. The body it replaces
// goes into the history, so a revert can itself be undone.
func (s *Store) RevertNote(ctx context.Context, id, rev int64) error {
	return s.personalWrite(ctx, id, "revert note", func(tx *sql.Tx, at string) error {
		var body string
		err := tx.QueryRowContext(ctx, `SELECT body FROM note_revisions WHERE id = ? AND talk_id = ?`, rev, id).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) {
			return catalog.Errorf(catalog.ENOTFOUND, "talk %d has no note revision %d", id, rev)
		}
		if err != nil {
			return err
		}
		return replaceNote(ctx, tx, id, body, fmt.Sprintf("revert to revision %d", rev), at)
	})
}

// AppendNote adds text below a talk's note, never replacing it, and records
// source (say, the blog post it came from). The same text from the same
// talk is appended once however often an import runs: it reports false
// when it was there already.
func (s *Store) AppendNote(ctx context.Context, id int64, text, source string) (bool, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return false, catalog.Errorf(catalog.EINVALID, "nothing to append to the note of talk %d", id)
	}
	sum := sha256.Sum256([]byte(text))
	digest := hex.EncodeToString(sum[:])
	appended := false
	err := s.personalWrite(ctx, id, "append note", func(tx *sql.Tx, at string) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM note_imports WHERE talk_id = ? AND digest = ?`, id, digest).Scan(&one)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT body FROM notes WHERE talk_id = ?`, id).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		body := text
		if strings.TrimSpace(old) != "" {
			body = strings.TrimRight(old, "\n") + "\n\n" + text
		}
		if len(body) > catalog.MaxNoteBytes {
			return catalog.Errorf(catalog.EINVALID, "the note would be %d bytes; the limit is %d bytes", len(body), catalog.MaxNoteBytes)
		}
		if err := replaceNote(ctx, tx, id, body, source, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO note_imports (talk_id, digest, source, imported_at) VALUES (?, ?, ?, ?)`,
			id, digest, source, at); err != nil {
			return err
		}
		appended = true
		return nil
	})
	return appended, err
}

// replaceNote writes body as the note, keeping the old body as a revision
// marked with what replaced it (source; empty for the user's own edit).
func replaceNote(ctx context.Context, tx *sql.Tx, id int64, body, source, at string) error {
	var old string
	err := tx.QueryRowContext(ctx, `SELECT body FROM notes WHERE talk_id = ?`, id).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if old != "" && old != body {
		if _, err := tx.ExecContext(ctx, `INSERT INTO note_revisions (talk_id, body, replaced_at, source) VALUES (?, ?, ?, ?)`,
			id, old, at, source); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO notes (talk_id, body, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (talk_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, id, body, at)
	return err
}

// WatchList returns the talks to watch and the talks watched, in id order.
func (s *Store) WatchList(ctx context.Context) ([]*catalog.Talk, error) {
	var talks []*catalog.Talk
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		talks, err = loadTalks(ctx, tx, s.readStmts, talkSet{ids: watchListed})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load watch list: %w", err)
	}
	return talks, nil
}

// SuggestRating rates a talk stars only when it has never been rated and
// its rating was never cleared: a suggestion (say, from a note's verdict)
// must not override what the user decided. It reports whether it rated.
func (s *Store) SuggestRating(ctx context.Context, id int64, stars int) (bool, error) {
	if stars < catalog.MinStars || stars > catalog.MaxStars {
		return false, catalog.Errorf(catalog.EINVALID, "rating %d is out of range %d..%d", stars, catalog.MinStars, catalog.MaxStars)
	}
	rated := false
	err := s.personalWrite(ctx, id, "suggest rating", func(tx *sql.Tx, at string) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO ratings (talk_id, stars, rated_at) VALUES (?, ?, ?)
			ON CONFLICT (talk_id) DO NOTHING`, id, stars, at)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		rated = n > 0
		return err
	})
	return rated, err
}
