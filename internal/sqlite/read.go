package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// talkPageSize is how many talks one page of EachTalk loads.
const talkPageSize = 500

// talkColumns selects a talk row with its event, series, personal data and
// card (speakers, links and tags); scanTalk reads it.
const talkColumns = `SELECT t.id, t.event_id, s.name, e.name,
	CASE WHEN t.year <> 0 THEN t.year ELSE e.year END,
	t.title, t.abstract, t.start_at, t.duration_minutes, t.track, t.room, t.language,
	t.source_name, t.source_url, t.source_key, t.withdrawn,
	r.stars, r.rated_at, n.body, n.updated_at, w.watched, w.watched_at, w.to_watch_at, t.created_at, t.card
FROM talks t
JOIN events e ON e.id = t.event_id
JOIN series s ON s.id = e.series_id
LEFT JOIN ratings r ON r.talk_id = t.id
LEFT JOIN notes n ON n.talk_id = t.id
LEFT JOIN watch w ON w.talk_id = t.id`

// scanTalk reads a row of talkColumns, and its card into the talk's
// speakers, links and tags; fromCard is false when the card could not be
// read and the talk still lacks them.
func scanTalk(rows *sql.Rows) (t *catalog.Talk, fromCard bool, err error) {
	t = &catalog.Talk{}
	var (
		card                                         []byte
		start, ratedAt, noteAt, watchedAt, toWatchAt sql.NullString
		stars                                        sql.NullInt64
		note                                         sql.NullString
		watched                                      sql.NullBool
		added                                        string
	)
	err = rows.Scan(&t.ID, &t.EventID, &t.Series, &t.Event, &t.Year,
		&t.Title, &t.Abstract, &start, &t.DurationMinutes, &t.Track, &t.Room, &t.Language,
		&t.Source.Name, &t.Source.URL, &t.Source.Key, &t.Withdrawn,
		&stars, &ratedAt, &note, &noteAt, &watched, &watchedAt, &toWatchAt, &added, &card)
	if err != nil {
		return nil, false, err
	}
	if t.Start, err = parseStart(start); err != nil {
		return nil, false, fmt.Errorf("talk %d: %w", t.ID, err)
	}
	t.Rating = int(stars.Int64)
	if t.Rating > 0 {
		t.RatedAt = parseStamp(ratedAt.String)
	}
	t.Note = note.String
	if t.Note != "" {
		t.NoteUpdatedAt = parseStamp(noteAt.String)
	}
	t.Watched = watched.Bool
	switch {
	case t.Watched:
		t.Watch = catalog.WatchWatched
		t.WatchedAt = parseStamp(watchedAt.String)
		t.ToWatchAt = parseStamp(toWatchAt.String)
	case toWatchAt.Valid:
		t.Watch = catalog.WatchToWatch
		t.ToWatchAt = parseStamp(toWatchAt.String)
	}
	t.Added = parseStamp(added)
	return t, fillFromCard(t, card), nil
}

// talkSet names the talks loadTalks loads: a subquery yielding their ids,
// with its arguments. Its text is fixed per kind of caller, so that the
// queries built on it are prepared once (see statements).
type talkSet struct {
	ids  string
	args []any
}

// The subqueries of the talk sets the store loads.
const (
	oneID       = "?"
	listedIDs   = "SELECT value FROM json_each(?)"
	idsAfter    = "SELECT id FROM talks WHERE id > ? ORDER BY id LIMIT ?"
	watchListed = "SELECT talk_id FROM watch WHERE watched = 1 OR to_watch_at IS NOT NULL"
)

// oneTalk is the talk with id.
func oneTalk(id int64) talkSet { return talkSet{ids: oneID, args: []any{id}} }

// talksWithIDs is the talks whose ids are listed, in one bound parameter.
func talksWithIDs(ids []int64) talkSet {
	return talkSet{ids: listedIDs, args: []any{jsonIDs(ids)}}
}

// readStatementTexts are the queries the reader pool prepares at open:
// loadTalks's, for every set the store loads through it.
func readStatementTexts() []string {
	var texts []string
	for _, ids := range []string{oneID, listedIDs, idsAfter, watchListed} {
		q := talkQueries(ids)
		texts = append(texts, q[:]...)
	}
	return texts
}

// talkQueries are the queries loadTalks runs for the talks whose ids
// subquery ids yields: the talks with their cards, then their personal
// tags, in talk order.
func talkQueries(ids string) [2]string {
	in := " IN (" + ids + ")"
	return [2]string{
		talkColumns + " WHERE t.id" + in + " ORDER BY t.id",
		`SELECT talk_id, tag FROM personal_tags
		WHERE talk_id` + in + ` ORDER BY talk_id, tag`,
	}
}

// loadTalks loads complete talk records for the talks of set that exist, in
// id order. Speakers, links and tags come with each talk's row (its card);
// personal tags in one query for the whole set, never one per talk. stmts
// may be nil (a transaction of the writer).
func loadTalks(ctx context.Context, tx *sql.Tx, stmts *statements, set talkSet) ([]*catalog.Talk, error) {
	queries := talkQueries(set.ids)
	rows, err := stmts.query(ctx, tx, queries[0], set.args...)
	if err != nil {
		return nil, fmt.Errorf("query talks: %w", err)
	}
	defer rows.Close()
	var talks []*catalog.Talk
	byID := map[int64]*catalog.Talk{}
	var cardless map[int64]*catalog.Talk
	for rows.Next() {
		t, fromCard, err := scanTalk(rows)
		if err != nil {
			return nil, fmt.Errorf("read talk: %w", err)
		}
		talks = append(talks, t)
		byID[t.ID] = t
		if !fromCard {
			if cardless == nil {
				cardless = map[int64]*catalog.Talk{}
			}
			cardless[t.ID] = t
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query talks: %w", err)
	}
	rows.Close()
	if len(talks) == 0 {
		return talks, nil
	}
	if len(cardless) > 0 {
		if err := childrenFromTables(ctx, tx, cardless); err != nil {
			return nil, err
		}
	}

	// The personal tags are selected by the same set in the same
	// transaction, so they are exactly those of the talks read above.
	err = eachRow(ctx, tx, stmts, queries[1], set.args,
		func(rows *sql.Rows) error {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				return err
			}
			byID[id].MyTags = append(byID[id].MyTags, tag)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("query personal tags: %w", err)
	}
	return talks, nil
}

func eachRow(ctx context.Context, tx *sql.Tx, stmts *statements, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := stmts.query(ctx, tx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// FindTalkByID returns the complete talk record, or ENOTFOUND.
func (s *Store) FindTalkByID(ctx context.Context, id int64) (*catalog.Talk, error) {
	var talks []*catalog.Talk
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		talks, err = loadTalks(ctx, tx, s.readStmts, oneTalk(id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find talk %d: %w", id, err)
	}
	if len(talks) == 0 {
		return nil, talkNotFound(id)
	}
	return talks[0], nil
}

// TalksByIDs returns the talks with the given ids; ids that do not exist are
// absent from the map, and an id listed twice is loaded once. It runs the
// same two prepared queries however many ids there are, as it hydrates
// every page of search results.
func (s *Store) TalksByIDs(ctx context.Context, ids []int64) (map[int64]*catalog.Talk, error) {
	out := make(map[int64]*catalog.Talk, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		talks, err := loadTalks(ctx, tx, s.readStmts, talksWithIDs(ids))
		for _, t := range talks {
			out[t.ID] = t
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load talks by id: %w", err)
	}
	return out, nil
}

// EachTalk calls fn with every talk, in id order, personal data merged. It
// loads talkPageSize talks at a time and holds no transaction or connection
// while fn runs, so fn may use the store, and a long run (a reindex) does not
// pin a snapshot. A talk changed during the run is seen either before or
// after the change; the outbox covers the difference.
func (s *Store) EachTalk(ctx context.Context, fn func(*catalog.Talk) error) error {
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var page []*catalog.Talk
		err := s.read(ctx, func(tx *sql.Tx) error {
			var err error
			page, err = loadTalks(ctx, tx, s.readStmts, talkSet{ids: idsAfter, args: []any{after, talkPageSize}})
			return err
		})
		if err != nil {
			return fmt.Errorf("load talks after id %d: %w", after, err)
		}
		if len(page) == 0 {
			return nil
		}
		for _, t := range page {
			if err := fn(t); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

// TalkIDBySourceKey returns the id of the talk with the given source key,
// or ENOTFOUND.
func (s *Store) TalkIDBySourceKey(ctx context.Context, key string) (int64, error) {
	var id int64
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT id FROM talks WHERE source_key = ?`, key).Scan(&id)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, catalog.Errorf(catalog.ENOTFOUND, "no talk has source key %q", key)
	}
	if err != nil {
		return 0, fmt.Errorf("find talk by source key %q: %w", key, err)
	}
	return id, nil
}
