package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

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
	terms, err := fallbackTerms(req.Query)
	if err != nil {
		return nil, err
	}
	var w whereBuilder
	for _, group := range orGroups(terms) {
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
		return eachRow(ctx, tx, `SELECT t.id `+from+where+` ORDER BY `+fallbackOrder(req.Sort)+` LIMIT ? OFFSET ?`, args,
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

// fallbackTerm is one word or phrase of a degraded search, or a year or
// rating range.
type fallbackTerm struct {
	exclude bool
	or      bool   // joined to the term before by OR
	field   string // "" for any text field
	text    string
	lo, hi  int // the range of a year: or rating: term
}

// isFallbackField reports the field prefixes the degraded search
// understands: those of the index's query syntax.
func isFallbackField(name string) bool {
	switch name {
	case "title", "speaker", "abstract", "note", "tag", "mytag", "series", "event", "year", "rating":
		return true
	}
	return false
}

// fallbackTerms splits a query the way the index's parser does, loosely: it
// only needs words, phrases, exclusions and field prefixes.
func fallbackTerms(q string) ([]fallbackTerm, error) {
	var terms []fallbackTerm
	or := false
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var t fallbackTerm
		if rs[i] == '-' || rs[i] == '+' {
			t.exclude = rs[i] == '-'
			i++
		}
		start := i
		for i < len(rs) && rs[i] != ':' && rs[i] != '"' && !unicode.IsSpace(rs[i]) {
			i++
		}
		if i < len(rs) && rs[i] == ':' && isFallbackField(strings.ToLower(string(rs[start:i]))) {
			t.field = strings.ToLower(string(rs[start:i]))
			i++
		} else {
			i = start
		}
		if i < len(rs) && rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end == len(rs) {
				return nil, catalog.Errorf(catalog.EINVALID, "unclosed quote at character %d", i+1)
			}
			t.text = string(rs[i+1 : end])
			i = end + 1
		} else {
			start = i
			for i < len(rs) && !unicode.IsSpace(rs[i]) {
				i++
			}
			t.text = string(rs[start:i])
		}
		t.text = strings.TrimSpace(t.text)
		switch {
		case t.text == "":
		case t.text == "OR" && t.field == "" && !t.exclude:
			or = len(terms) > 0
		default:
			if t.field == "year" || t.field == "rating" {
				var ok bool
				if t.lo, t.hi, ok = parseRange(t.text); !ok {
					return nil, catalog.Errorf(catalog.EINVALID, "%s:%s is not a number or a range (2019, 2019..2023, >=4)", t.field, t.text)
				}
			}
			t.or, or = or, false
			terms = append(terms, t)
		}
	}
	return terms, nil
}

// parseRange reads N, A..B, A.., ..B, >=N, >N, <=N or <N as an inclusive
// range; an open end is 0 (low) or a large number (high).
func parseRange(s string) (lo, hi int, ok bool) {
	const open = 1 << 30
	num := func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	switch {
	case strings.Contains(s, ".."):
		a, b, _ := strings.Cut(s, "..")
		lo, hi = 0, open
		if a != "" {
			if lo, ok = num(a); !ok {
				return 0, 0, false
			}
		}
		if b != "" {
			if hi, ok = num(b); !ok {
				return 0, 0, false
			}
		}
		return lo, hi, lo <= hi
	case strings.HasPrefix(s, ">="):
		lo, ok = num(s[2:])
		return lo, open, ok
	case strings.HasPrefix(s, "<="):
		hi, ok = num(s[2:])
		return 0, hi, ok
	case strings.HasPrefix(s, ">"):
		lo, ok = num(s[1:])
		return lo + 1, open, ok
	case strings.HasPrefix(s, "<"):
		hi, ok = num(s[1:])
		return 0, hi - 1, ok
	default:
		lo, ok = num(s)
		return lo, lo, ok
	}
}

// orGroups splits terms into groups joined by OR; each group must match.
func orGroups(terms []fallbackTerm) [][]fallbackTerm {
	var groups [][]fallbackTerm
	for _, t := range terms {
		if t.or && len(groups) > 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], t)
			continue
		}
		groups = append(groups, []fallbackTerm{t})
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

// fieldConditions are the SQL conditions for one text field, each taking
// one LIKE pattern.
func fieldCondition(field string) string {
	switch field {
	case "title":
		return `t.title LIKE ? ESCAPE '\'`
	case "abstract":
		return `t.abstract LIKE ? ESCAPE '\'`
	case "note":
		return `n.body LIKE ? ESCAPE '\'`
	case "speaker":
		return `EXISTS (SELECT 1 FROM talk_speakers ts JOIN speakers sp ON sp.id = ts.speaker_id WHERE ts.talk_id = t.id AND sp.name LIKE ? ESCAPE '\')`
	case "tag":
		return `EXISTS (SELECT 1 FROM talk_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.talk_id = t.id AND tg.name LIKE ? ESCAPE '\')`
	case "mytag":
		return `EXISTS (SELECT 1 FROM personal_tags pt WHERE pt.talk_id = t.id AND pt.tag LIKE ? ESCAPE '\')`
	case "series":
		return `s.name LIKE ? ESCAPE '\'`
	case "event":
		return `e.name LIKE ? ESCAPE '\'`
	}
	return ""
}

// group adds one required condition: any of the group's terms.
func (w *whereBuilder) group(terms []fallbackTerm) {
	var alts []string
	for _, t := range terms {
		alts = append(alts, w.term(t))
	}
	w.conds = append(w.conds, "("+strings.Join(alts, " OR ")+")")
}

// term returns one term's condition, its arguments added to w.
func (w *whereBuilder) term(t fallbackTerm) string {
	var cond string
	switch t.field {
	case "year":
		cond = "(CASE WHEN t.year <> 0 THEN t.year ELSE e.year END) BETWEEN ? AND ?"
		w.args = append(w.args, t.lo, t.hi)
	case "rating":
		cond = "COALESCE(r.stars, 0) BETWEEN ? AND ?"
		w.args = append(w.args, t.lo, t.hi)
	default:
		fields := []string{t.field}
		if t.field == "" {
			fields = []string{"title", "abstract", "speaker", "note", "tag", "mytag", "series", "event"}
		}
		var alts []string
		for _, f := range fields {
			alts = append(alts, fieldCondition(f))
			w.args = append(w.args, like(t.text))
		}
		cond = "(" + strings.Join(alts, " OR ") + ")"
	}
	if t.exclude {
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
