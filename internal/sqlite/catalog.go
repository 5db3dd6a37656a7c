package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// ListSeries returns every series with its event and talk counts, by name.
func (s *Store) ListSeries(ctx context.Context) ([]*catalog.Series, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT s.id, s.name,
		(SELECT COUNT(*) FROM events e WHERE e.series_id = s.id),
		(SELECT COUNT(*) FROM events e JOIN talks t ON t.event_id = e.id WHERE e.series_id = s.id)
		FROM series s ORDER BY s.name COLLATE NOCASE, s.name`)
	if err != nil {
		return nil, fmt.Errorf("list series: %w", err)
	}
	defer rows.Close()
	list := []*catalog.Series{}
	for rows.Next() {
		var sr catalog.Series
		if err := rows.Scan(&sr.ID, &sr.Name, &sr.EventCount, &sr.TalkCount); err != nil {
			return nil, fmt.Errorf("list series: %w", err)
		}
		list = append(list, &sr)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list series: %w", err)
	}
	return list, nil
}

const eventColumns = `SELECT e.id, s.name, e.name, e.year, e.start_at, e.end_at,
	(SELECT COUNT(*) FROM talks t WHERE t.event_id = e.id)
FROM events e JOIN series s ON s.id = e.series_id`

// Newest first; events of unknown year last; then by start, then by name.
const eventOrder = ` ORDER BY e.year = 0, e.year DESC, e.start_unix IS NULL, e.start_unix DESC, s.name, e.name`

func (s *Store) queryEvents(ctx context.Context, where string, args ...any) ([]*catalog.Event, error) {
	rows, err := s.reader.QueryContext(ctx, eventColumns+where+eventOrder, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []*catalog.Event{}
	for rows.Next() {
		var ev catalog.Event
		var start, end sql.NullString
		if err := rows.Scan(&ev.ID, &ev.Series, &ev.Name, &ev.Year, &start, &end, &ev.TalkCount); err != nil {
			return nil, err
		}
		if ev.Start, err = parseStart(start); err != nil {
			return nil, err
		}
		if ev.End, err = parseStart(end); err != nil {
			return nil, err
		}
		list = append(list, &ev)
	}
	return list, rows.Err()
}

// ListEvents returns events newest first, with talk counts. The series
// filter ignores case, as users type series names from memory.
func (s *Store) ListEvents(ctx context.Context, f catalog.EventFilter) ([]*catalog.Event, error) {
	var conds []string
	var args []any
	if f.Series != "" {
		conds = append(conds, "s.name = ? COLLATE NOCASE")
		args = append(args, strings.TrimSpace(f.Series))
	}
	if f.Year != 0 {
		conds = append(conds, "e.year = ?")
		args = append(args, f.Year)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	list, err := s.queryEvents(ctx, where, args...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return list, nil
}

// FindEventByID returns one event with its talk count, or ENOTFOUND.
func (s *Store) FindEventByID(ctx context.Context, id int64) (*catalog.Event, error) {
	list, err := s.queryEvents(ctx, " WHERE e.id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("find event %d: %w", id, err)
	}
	if len(list) == 0 {
		return nil, catalog.Errorf(catalog.ENOTFOUND, "event %d not found", id)
	}
	return list[0], nil
}

// Stats counts the catalog, the personal data and the pending index changes.
// IndexedDocs is the index's to fill.
func (s *Store) Stats(ctx context.Context) (*catalog.Stats, error) {
	var st catalog.Stats
	err := s.reader.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM series),
		(SELECT COUNT(*) FROM events),
		(SELECT COUNT(*) FROM talks),
		(SELECT COUNT(*) FROM speakers),
		(SELECT COUNT(*) FROM ratings WHERE stars IS NOT NULL),
		(SELECT COUNT(*) FROM notes WHERE body <> ''),
		(SELECT COUNT(*) FROM watch WHERE watched = 1),
		(SELECT COUNT(*) FROM index_outbox)`).Scan(
		&st.Series, &st.Events, &st.Talks, &st.Speakers, &st.Rated, &st.Noted, &st.Watched, &st.IndexPending)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return &st, nil
}
