package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FTS5 is the obvious alternative to talkdex's Bleve index: SQLite's own
// full-text search with bm25 ranking, over the same talks. `talkdex bench`
// and `talkdex relevance` compare the two; nothing else uses it. It lives
// here because this package is the only importer of modernc.org/sqlite.
//
// Its file is separate from talkdex.db so that a baseline never touches the
// catalog's schema or data.
type FTS5 struct {
	path string
	db   *sql.DB
}

// fts5Schema mirrors the index's text fields. Porter stemming over the
// unicode61 tokenizer is the closest FTS5 has to the index's English
// analyser; the prefix index keeps prefix queries ("pragmatic unic*") from
// scanning the whole vocabulary, as any tuned FTS5 deployment would.
const fts5Schema = `CREATE VIRTUAL TABLE IF NOT EXISTS talks_fts USING fts5(
	title, speakers, tags, abstract, event, series,
	source_key UNINDEXED, series_name UNINDEXED, year UNINDEXED,
	tokenize = 'porter unicode61 remove_diacritics 2',
	prefix = '2 3'
)`

// fts5Rank weighs the indexed columns the way the index boosts its fields
// (index.allTextTargets: title 6, speakers 4, tags 3, abstract 2, event and
// series 1); the unindexed columns carry no weight. bm25 is lower for better
// matches.
const fts5Rank = `bm25(talks_fts, 6.0, 4.0, 3.0, 2.0, 1.0, 1.0, 0.0, 0.0, 0.0)`

// fts5Columns maps talkdex's query field prefixes onto the table's columns.
// note: and mytag: have no column: the baseline holds what the sources
// said, not the user's personal layer.
func fts5Columns() map[string]string {
	return map[string]string{
		"title":    "title",
		"speaker":  "speakers",
		"abstract": "abstract",
		"tag":      "tags",
		"series":   "series",
		"event":    "event",
	}
}

// NewFTS5Baseline creates (or opens) an FTS5 baseline database at path.
func NewFTS5Baseline(ctx context.Context, path string) (*FTS5, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, catalog.Errorf(catalog.EINVALID, "FTS5 baseline path %q must be non-empty and free of '?' and '#'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create FTS5 baseline directory: %w", err)
	}
	db, err := sql.Open(driverName, path+"?"+connPragmas)
	if err != nil {
		return nil, fmt.Errorf("open FTS5 baseline %s: %w", path, err)
	}
	f := &FTS5{path: path, db: db}
	if _, err := db.ExecContext(ctx, fts5Schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create FTS5 table in %s: %w", path, err)
	}
	return f, nil
}

// Close closes the baseline's database.
func (f *FTS5) Close() error {
	if err := f.db.Close(); err != nil {
		return fmt.Errorf("close FTS5 baseline %s: %w", f.path, err)
	}
	return nil
}

// Add indexes talks, in one transaction. Each is known by its source key
// (catalog.SourceKey), the identity that survives between the two engines.
func (f *FTS5) Add(ctx context.Context, talks []*catalog.Talk) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("FTS5 baseline: begin: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO talks_fts
		(title, speakers, tags, abstract, event, series, source_key, series_name, year)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("FTS5 baseline: prepare insert: %w", err)
	}
	defer stmt.Close()
	for _, t := range talks {
		_, err := stmt.ExecContext(ctx, t.Title, strings.Join(t.SpeakerNames(), ", "), strings.Join(t.Tags, ", "),
			t.Abstract, t.Event, t.Series, catalog.SourceKey(t), t.Series, t.Year)
		if err != nil {
			return fmt.Errorf("FTS5 baseline: insert %q: %w", t.Title, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("FTS5 baseline: commit: %w", err)
	}
	return nil
}

// FTS5Query is one search on the baseline: a query in talkdex's syntax and
// the filters the benchmark uses.
type FTS5Query struct {
	Text   string
	Series string // exact series name; "" for any
	Year   int    // 0 for any
	Limit  int
	// Highlight marks matches in each hit's title, and Facets counts the
	// matches by series, year and event: the work talkdex's search does on
	// every request, so that timings compare like with like.
	Highlight bool
	Facets    bool
}

// FTS5Hit is one ranked talk.
type FTS5Hit struct {
	SourceKey string
	Score     float64 // -bm25: higher is better
	Title     string  // with <mark> around matches when highlighted
}

// FTS5Result is what a baseline search returns.
type FTS5Result struct {
	Total  int // only counted with Facets
	Hits   []FTS5Hit
	Facets map[string][]catalog.FacetValue
}

// Search runs q. A query that translates to nothing FTS5 can match (only
// stop characters, or only exclusions) lists talks by filters alone.
func (f *FTS5) Search(ctx context.Context, q FTS5Query) (*FTS5Result, error) {
	m, err := FTS5Match(q.Text)
	if err != nil {
		return nil, err
	}
	if q.Year == 0 {
		q.Year = m.Year
	}
	var where []string
	var args []any
	if m.Expr != "" {
		where = append(where, "talks_fts MATCH ?")
		args = append(args, m.Expr)
	}
	if q.Series != "" {
		where = append(where, "series_name = ?")
		args = append(args, q.Series)
	}
	if q.Year != 0 {
		where = append(where, "year = ?")
		args = append(args, q.Year)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rank, order := "0.0", "year DESC"
	if m.Expr != "" {
		rank, order = fts5Rank, fts5Rank+", year DESC"
	}
	title := "title"
	if q.Highlight && m.Expr != "" {
		title = `highlight(talks_fts, 0, '<mark>', '</mark>')`
	}
	if q.Limit <= 0 {
		q.Limit = catalog.DefaultPerPage
	}
	// Only constant SQL is concatenated here; user text goes in as
	// arguments (the MATCH expression built by FTS5Match).
	query := "SELECT source_key, -" + rank + ", " + title + " FROM talks_fts" + cond + " ORDER BY " + order + " LIMIT ?"
	rows, err := f.db.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("FTS5 baseline: search %q: %w", q.Text, err)
	}
	res := &FTS5Result{}
	for rows.Next() {
		var h FTS5Hit
		if err := rows.Scan(&h.SourceKey, &h.Score, &h.Title); err != nil {
			rows.Close()
			return nil, fmt.Errorf("FTS5 baseline: read hit: %w", err)
		}
		res.Hits = append(res.Hits, h)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("FTS5 baseline: search %q: %w", q.Text, err)
	}
	if q.Facets {
		if err := f.facets(ctx, cond, args, res); err != nil {
			return nil, fmt.Errorf("FTS5 baseline: facets for %q: %w", q.Text, err)
		}
	}
	return res, nil
}

// facetTop is how many values of each facet the baseline keeps, like the
// index's facet requests.
const facetTop = 10

// facets counts every match by series, year and event in one pass over the
// matches, which is what a facet costs FTS5: it has no doc values.
func (f *FTS5) facets(ctx context.Context, cond string, args []any, res *FTS5Result) error {
	rows, err := f.db.QueryContext(ctx, "SELECT series_name, year, event FROM talks_fts"+cond, args...)
	if err != nil {
		return err
	}
	counts := map[string]map[string]int{catalog.FacetSeries: {}, catalog.FacetYear: {}, catalog.FacetEvent: {}}
	for rows.Next() {
		var series, event string
		var year int
		if err := rows.Scan(&series, &year, &event); err != nil {
			rows.Close()
			return err
		}
		res.Total++
		counts[catalog.FacetSeries][series]++
		counts[catalog.FacetYear][fmt.Sprint(year)]++
		counts[catalog.FacetEvent][event]++
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	res.Facets = make(map[string][]catalog.FacetValue, len(counts))
	for name, byValue := range counts {
		values := make([]catalog.FacetValue, 0, len(byValue))
		for v, n := range byValue {
			values = append(values, catalog.FacetValue{Value: v, Count: n})
		}
		sort.Slice(values, func(i, j int) bool {
			if values[i].Count != values[j].Count {
				return values[i].Count > values[j].Count
			}
			return values[i].Value < values[j].Value
		})
		res.Facets[name] = values[:min(len(values), facetTop)]
	}
	return nil
}

// FTS5Expr is a talkdex query translated for FTS5.
type FTS5Expr struct {
	Expr string // the MATCH expression; "" when nothing is left to match
	Year int    // from a year: clause, applied as a filter
}

// FTS5Match translates talkdex's query syntax (words, "phrases", +must,
// -not, field: prefixes; see index/query.go) into an FTS5 MATCH expression.
// User text never reaches FTS5's syntax: every word and phrase becomes a
// double-quoted FTS5 string with its quotes doubled, so that AND, NEAR, *,
// ^, column names and parentheses typed by a user are plain text. The last
// bare word becomes a prefix query, as talkdex treats the word being typed.
func FTS5Match(query string) (FTS5Expr, error) {
	clauses, err := splitFTS5Clauses(query)
	if err != nil {
		return FTS5Expr{}, err
	}
	var out FTS5Expr
	var must, not []string
	// The word being typed is the query's last clause when that is a bare
	// word and nothing (not even a space) follows it.
	lastWord := -1
	if n := len(clauses); n > 0 && !clauses[n-1].exclude && !clauses[n-1].phrase && clauses[n-1].field != "year" {
		lastWord = n - 1
	}
	last, _ := utf8.DecodeLastRuneInString(query)
	typing := query != "" && !unicode.IsSpace(last)
	columns := fts5Columns()
	for i, c := range clauses {
		if c.field == "year" {
			var y int
			if _, err := fmt.Sscan(c.text, &y); err != nil || y < 1 || fmt.Sprint(y) != c.text {
				return FTS5Expr{}, catalog.Errorf(catalog.EINVALID, "year:%s is not a year", c.text)
			}
			out.Year = y
			continue
		}
		if !hasWordChar(c.text) {
			continue // nothing FTS5's tokenizer would keep
		}
		term := `"` + strings.ReplaceAll(c.text, `"`, `""`) + `"`
		if i == lastWord && typing && len([]rune(c.text)) >= 2 {
			term += "*"
		}
		if c.field != "" {
			col, ok := columns[c.field]
			if !ok {
				return FTS5Expr{}, catalog.Errorf(catalog.EINVALID, "the FTS5 baseline cannot search %s:; it has title, speaker, abstract, tag, series, event and year", c.field)
			}
			term = col + " : " + term
		}
		if c.exclude {
			not = append(not, term)
		} else {
			must = append(must, term)
		}
	}
	if len(must) == 0 {
		return out, nil // FTS5 cannot start an expression with NOT
	}
	out.Expr = "(" + strings.Join(must, " AND ") + ")"
	for _, n := range not {
		out.Expr += " NOT " + n
	}
	return out, nil
}

type fts5Clause struct {
	exclude bool
	phrase  bool
	field   string
	text    string
}

// splitFTS5Clauses splits a query into words and phrases with their
// +/- sign and field prefix, the way talkdex's own parser reads them.
func splitFTS5Clauses(query string) ([]fts5Clause, error) {
	rs := []rune(query)
	var out []fts5Clause
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var c fts5Clause
		if rs[i] == '-' || rs[i] == '+' {
			c.exclude = rs[i] == '-'
			i++
		}
		if colon := fieldPrefixEnd(rs, i); colon > 0 {
			c.field = strings.ToLower(string(rs[i:colon]))
			i = colon + 1
		}
		if i < len(rs) && rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end >= len(rs) {
				return nil, catalog.Errorf(catalog.EINVALID, "the phrase starting at character %d has no closing quote", i+1)
			}
			c.phrase, c.text = true, string(rs[i+1:end])
			i = end + 1
		} else {
			start := i
			for i < len(rs) && !unicode.IsSpace(rs[i]) {
				i++
			}
			c.text = string(rs[start:i])
		}
		out = append(out, c)
	}
	return out, nil
}

// fieldPrefixEnd returns the index of the colon ending one of talkdex's
// field prefixes at i, or -1. Anything else with a colon ("3:30",
// "http://x") stays a word.
func fieldPrefixEnd(rs []rune, i int) int {
	j := i
	for j < len(rs) && unicode.IsLetter(rs[j]) {
		j++
	}
	if j == i || j+1 >= len(rs) || rs[j] != ':' || unicode.IsSpace(rs[j+1]) {
		return -1
	}
	switch strings.ToLower(string(rs[i:j])) {
	case "title", "speaker", "abstract", "note", "tag", "mytag", "series", "event", "year":
		return j
	}
	return -1
}

func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
