package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// SearchFallback answers a search from SQLite alone, for the time the
// search index is being rebuilt: every word must appear (as a substring,
// case-insensitively for ASCII) in the talk's title, abstract, speakers,
// note, tags, series or event; -word excludes; "a phrase" is one substring;
// field:word limits a word to that field; A OR B takes either; year: and
// rating: take numbers and ranges. Filters and sorts are those of
// the index; relevance sorts newest first, as nothing is scored. It returns
// no facets or highlights, and marks the result degraded.
func (s *Store) SearchFallback(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	started := time.Now()
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	// The index's own parser: the same syntax, the same errors.
	clauses, err := catalog.ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	var w whereBuilder
	for _, group := range orGroups(clauses) {
		w.group(group)
	}
	w.filter(req.Filter)

	from := `FROM talks t JOIN events e ON e.id = t.event_id JOIN series s ON s.id = e.series_id
		LEFT JOIN ratings r ON r.talk_id = t.id LEFT JOIN notes n ON n.talk_id = t.id
		LEFT JOIN watch w ON w.talk_id = t.id`
	where := w.sql()
	out := &catalog.SearchResult{Page: req.Page, PerPage: req.PerPage, Hits: []catalog.SearchHit{}, Degraded: true,
		Facets: map[string][]catalog.FacetValue{}}
	for _, name := range catalog.FacetNames() {
		out.Facets[name] = []catalog.FacetValue{}
	}
	var ids []int64
	err = s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) `+from+where, w.args...).Scan(&out.Total); err != nil {
			return err
		}
		args := append(w.args, req.PerPage, (req.Page-1)*req.PerPage)
		return eachRow(ctx, tx, nil, `SELECT t.id `+from+where+` ORDER BY `+fallbackOrder(req.Sort)+` LIMIT ? OFFSET ?`, args,
			func(rows *sql.Rows) error {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			})
	})
	if err != nil {
		return nil, fmt.Errorf("search the database for %q: %w", req.Query, err)
	}
	talks, err := s.TalksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if t, ok := talks[id]; ok {
			out.Hits = append(out.Hits, catalog.SearchHit{ID: id, Talk: t})
		}
	}
	out.Took = time.Since(started)
	out.TookMS = float64(out.Took.Microseconds()) / 1000
	return out, nil
}

func fallbackOrder(sort string) string {
	switch sort {
	case catalog.SortOldest:
		return `t.start_unix IS NULL, t.start_unix, t.id`
	case catalog.SortRating:
		return `r.stars IS NULL, r.stars DESC, t.start_unix IS NULL, t.start_unix DESC, t.id`
	case catalog.SortAdded:
		return `t.created_at DESC, t.id DESC`
	default: // newest, and relevance, which nothing here can score
		return `t.start_unix IS NULL, t.start_unix DESC, t.id`
	}
}

// orGroups splits a parsed query into groups of clauses joined by OR; each
// group must match.
func orGroups(clauses []catalog.QueryClause) [][]catalog.QueryClause {
	var groups [][]catalog.QueryClause
	for _, c := range clauses {
		if c.Or && len(groups) > 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], c)
			continue
		}
		groups = append(groups, []catalog.QueryClause{c})
	}
	return groups
}

// whereBuilder collects the conditions and arguments of a degraded search.
type whereBuilder struct {
	conds []string
	args  []any
}

func (w *whereBuilder) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// like is a LIKE pattern matching text anywhere, with LIKE's own wildcards
// in the text escaped.
func like(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}

// fieldCondition is the SQL condition for one text field, taking one LIKE
// pattern; "" for a field that is no text (year:, rating:).
func fieldCondition(field string) string {
	switch field {
	case catalog.PrefixTitle:
		return `t.title LIKE ? ESCAPE '\'`
	case catalog.PrefixAbstract:
		return `t.abstract LIKE ? ESCAPE '\'`
	case catalog.PrefixNote:
		return `n.body LIKE ? ESCAPE '\'`
	case catalog.PrefixSpeaker:
		return `EXISTS (SELECT 1 FROM talk_speakers ts JOIN speakers sp ON sp.id = ts.speaker_id WHERE ts.talk_id = t.id AND sp.name LIKE ? ESCAPE '\')`
	case catalog.PrefixTag:
		return `EXISTS (SELECT 1 FROM talk_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.talk_id = t.id AND tg.name LIKE ? ESCAPE '\')`
	case catalog.PrefixMyTag:
		return `EXISTS (SELECT 1 FROM personal_tags pt WHERE pt.talk_id = t.id AND pt.tag LIKE ? ESCAPE '\')`
	case catalog.PrefixSeries:
		return `s.name LIKE ? ESCAPE '\'`
	case catalog.PrefixEvent:
		return `e.name LIKE ? ESCAPE '\'`
	}
	return ""
}

// group adds one required condition: any of the group's clauses.
func (w *whereBuilder) group(clauses []catalog.QueryClause) {
	var alts []string
	for _, c := range clauses {
		alts = append(alts, w.clause(c))
	}
	w.conds = append(w.conds, "("+strings.Join(alts, " OR ")+")")
}

// clause returns one clause's condition, its arguments added to w.
func (w *whereBuilder) clause(c catalog.QueryClause) string {
	var cond string
	switch c.Field {
	case catalog.PrefixYear:
		cond = "(CASE WHEN t.year <> 0 THEN t.year ELSE e.year END) BETWEEN ? AND ?"
		w.args = append(w.args, c.Lo, c.Hi)
	case catalog.PrefixRating:
		cond = "COALESCE(r.stars, 0) BETWEEN ? AND ?"
		w.args = append(w.args, c.Lo, c.Hi)
	default:
		fields := []string{c.Field}
		if c.Field == "" {
			fields = catalog.QueryPrefixes()
		}
		var alts []string
		for _, f := range fields {
			if cond := fieldCondition(f); cond != "" {
				alts = append(alts, cond)
				w.args = append(w.args, like(strings.TrimSpace(c.Text)))
			}
		}
		cond = "(" + strings.Join(alts, " OR ") + ")"
	}
	if c.Exclude {
		// A NULL note must count as "does not contain".
		cond = "NOT COALESCE(" + cond + ", 0)"
	}
	return cond
}

// in adds "expr IN (...)" over lower-cased values, as the index compares
// filter values without case.
func (w *whereBuilder) in(expr string, values []string) {
	if len(values) == 0 {
		return
	}
	w.conds = append(w.conds, "lower("+expr+") IN ("+placeholders(len(values))+")")
	for _, v := range values {
		w.args = append(w.args, strings.ToLower(v))
	}
}

func (w *whereBuilder) exists(query string, values []string) {
	if len(values) == 0 {
		return
	}
	w.conds = append(w.conds, "EXISTS ("+query+" IN ("+placeholders(len(values))+"))")
	for _, v := range values {
		w.args = append(w.args, strings.ToLower(v))
	}
}

func (w *whereBuilder) filter(f catalog.TalkFilter) {
	w.in("s.name", f.Series)
	w.in("e.name", f.Event)
	if len(f.Year) > 0 {
		years := make([]string, len(f.Year))
		for i, y := range f.Year {
			years[i] = strconv.Itoa(y)
		}
		w.in("CASE WHEN t.year <> 0 THEN t.year ELSE e.year END", years)
	}
	w.exists(`SELECT 1 FROM talk_speakers ts JOIN speakers sp ON sp.id = ts.speaker_id WHERE ts.talk_id = t.id AND lower(sp.name)`, f.Speaker)
	w.exists(`SELECT 1 FROM talk_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.talk_id = t.id AND lower(tg.name)`, f.Tag)
	w.exists(`SELECT 1 FROM personal_tags pt WHERE pt.talk_id = t.id AND lower(pt.tag)`, f.MyTag)
	w.exists(`SELECT 1 FROM links l WHERE l.talk_id = t.id AND lower(l.kind)`, f.Has)
	if f.MinRating > 0 {
		w.conds = append(w.conds, "r.stars >= ?")
		w.args = append(w.args, f.MinRating)
	}
	if f.Watched != nil {
		if *f.Watched {
			w.conds = append(w.conds, "w.watched = 1")
		} else {
			w.conds = append(w.conds, "COALESCE(w.watched, 0) = 0")
		}
	}
	var states []string
	for _, st := range f.Watch {
		switch st {
		case catalog.WatchWatched:
			states = append(states, "w.watched = 1")
		case catalog.WatchToWatch:
			states = append(states, "(w.watched = 0 AND w.to_watch_at IS NOT NULL)")
		}
	}
	if len(states) > 0 {
		w.conds = append(w.conds, "("+strings.Join(states, " OR ")+")")
	}
	if !f.WatchedSince.IsZero() {
		w.conds = append(w.conds, "w.watched = 1 AND w.watched_at >= ?")
		w.args = append(w.args, stampOr(f.WatchedSince, ""))
	}
	if !f.WatchedBefore.IsZero() {
		w.conds = append(w.conds, "w.watched = 1 AND w.watched_at < ?")
		w.args = append(w.args, stampOr(f.WatchedBefore, ""))
	}
	if f.Mine {
		w.conds = append(w.conds, `(r.stars IS NOT NULL OR COALESCE(n.body, '') <> '' OR w.watched = 1 OR w.to_watch_at IS NOT NULL
			OR EXISTS (SELECT 1 FROM personal_tags pt WHERE pt.talk_id = t.id))`)
	}
}
