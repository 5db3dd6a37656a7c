package formats

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// csvHeader is the CSV export's first row, one column per field of the talk
// record.
func csvHeader() []string {
	return []string{
		"id", "series", "event", "year", "title", "speakers", "affiliations",
		"abstract", "start", "duration_minutes", "track", "room", "language",
		"tags", "links", "source_name", "source_url", "source_key",
		"rating", "note", "watched",
		"rated_at", "note_updated_at", "watch", "to_watch_at", "watched_at", "my_tags", "added",
	}
}

// csvExporter writes RFC 4180 CSV with a header row and one row a talk,
// carrying every field of the record, personal data included.
//
// Multi-valued fields put one value a line inside their (quoted) cell:
// speakers holds the names; affiliations holds the matching affiliations
// line for line (empty when no speaker has one); tags one tag a line; links
// one "kind URL" a line. A line break is a safe separator because talk
// records never keep one inside a name, affiliation, tag or URL (Normalize
// folds white space), and spreadsheets show such cells as multi-line text.
//
// start and the *_at dates are RFC 3339 (with fractions of a second only
// if they have them), watched is true or false, my_tags one tag a line, and
// zero numbers (no year, duration, rating or id) are empty cells.
type csvExporter struct {
	w *csv.Writer
}

func newCSVExporter(w io.Writer) (*csvExporter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return nil, fmt.Errorf("export CSV header: %w", err)
	}
	return &csvExporter{w: cw}, nil
}

func (e *csvExporter) Write(t *catalog.Talk) error {
	row := csvRow(t)
	for i, cell := range row {
		row[i] = defuseFormula(cell)
	}
	if err := e.w.Write(row); err != nil {
		return fmt.Errorf("export talk %q as CSV: %w", t.Title, err)
	}
	return nil
}

func (e *csvExporter) Close() error {
	e.w.Flush()
	if err := e.w.Error(); err != nil {
		return fmt.Errorf("export CSV: %w", err)
	}
	return nil
}

func csvRow(t *catalog.Talk) []string {
	names := make([]string, len(t.Speakers))
	affiliations := make([]string, len(t.Speakers))
	anyAffiliation := false
	for i, s := range t.Speakers {
		names[i], affiliations[i] = s.Name, s.Affiliation
		anyAffiliation = anyAffiliation || s.Affiliation != ""
	}
	if !anyAffiliation {
		affiliations = nil
	}
	links := make([]string, len(t.Links))
	for i, l := range t.Links {
		links[i] = l.Kind + " " + l.URL
	}
	start := ""
	if !t.Start.IsZero() {
		start = t.Start.Format(time.RFC3339Nano)
	}
	return []string{
		idCell(t.ID), t.Series, t.Event, intCell(t.Year), t.Title,
		strings.Join(names, "\n"), strings.Join(affiliations, "\n"),
		t.Abstract, start, intCell(t.DurationMinutes), t.Track, t.Room, t.Language,
		strings.Join(t.Tags, "\n"), strings.Join(links, "\n"),
		t.Source.Name, t.Source.URL, t.Source.Key,
		intCell(t.Rating), t.Note, strconv.FormatBool(t.Watched),
		timeCell(t.RatedAt), timeCell(t.NoteUpdatedAt), t.Watch, timeCell(t.ToWatchAt), timeCell(t.WatchedAt),
		strings.Join(t.MyTags, "\n"), timeCell(t.Added),
	}
}

// timeCell is an RFC 3339 time, empty for none.
func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func intCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func idCell(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// defuseFormula keeps spreadsheets from running a cell as a formula: a cell
// that starts with = + - @ or a control character gets a leading apostrophe,
// which spreadsheet programs show as text (OWASP's advice for CSV export).
// Talk titles and notes come from the web, so they can start that way.
func defuseFormula(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
