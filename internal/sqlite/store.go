// Package sqlite is talkdex's source of truth: the catalog, the user's
// personal data and the outbox that feeds the search index, in one SQLite
// file. It is the only importer of modernc.org/sqlite and owns all SQL.
//
// Writes go through a single connection, so write transactions serialise in
// the process instead of contending for SQLite's lock; reads use a separate
// pool and, thanks to WAL, never wait for the writer.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/schema"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

const driverName = "sqlite"

// Pragmas every pooled connection gets. They go in the DSN because a PRAGMA
// run once through database/sql would reach only one of the pool's
// connections. synchronous=NORMAL is durable across process crashes in WAL
// mode; only a power loss can drop the last commits.
const connPragmas = "_pragma=busy_timeout(5000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(NORMAL)"

// timestampLayout is fixed-width so that stored timestamps sort as text.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// Store is the SQLite-backed catalog. It is safe for concurrent use.
type Store struct {
	path   string
	writer *sql.DB // one connection: every write transaction
	reader *sql.DB // a pool, read-only
	// readStmts holds the reader's prepared statements for the queries
	// run on every search.
	readStmts *statements
}

// Open opens (creating if needed) the database at path, creating its parent
// directory, and applies any pending schema migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	return openWith(ctx, path, schema.FS())
}

// openWith opens the database and applies the migrations of fsys; tests
// pass an older set to build a database as an earlier release left it.
func openWith(ctx context.Context, path string, migrations fs.FS) (*Store, error) {
	if path == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "database path is empty")
	}
	// The driver splits its DSN at the first '?', so such a path would be
	// silently truncated.
	if strings.ContainsAny(path, "?#") {
		return nil, catalog.Errorf(catalog.EINVALID, "database path %q must not contain '?' or '#'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}

	// BEGIN IMMEDIATE takes the write lock up front: a deferred transaction
	// that reads first and writes later could fail with SQLITE_BUSY when
	// another process wrote in between, and busy_timeout cannot save it.
	writer, err := sql.Open(driverName, path+"?"+connPragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)

	s := &Store{path: path, writer: writer}
	if err := writer.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := s.migrate(ctx, migrations); err != nil {
		s.Close()
		return nil, err
	}

	// query_only guards against a write slipping onto a reader connection,
	// where it would bypass the single-writer discipline.
	reader, err := sql.Open(driverName, path+"?"+connPragmas+"&_pragma=query_only(1)")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	readers := max(4, 2*runtime.NumCPU())
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	s.reader = reader
	if err := reader.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	if s.readStmts, err = prepareStatements(ctx, reader, readStatementTexts()); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	return s, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	if s.readStmts != nil {
		errs = append(errs, s.readStmts.close())
	}
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	return nil
}

// write runs fn in a write transaction and commits it if fn succeeds.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// read runs fn in a read transaction, so that its queries see one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// now is the timestamp written into *_at columns.
func now() string { return time.Now().UTC().Format(timestampLayout) }

// stampOr formats t like now() does, or returns fallback for a zero t.
func stampOr(t time.Time, fallback string) string {
	if t.IsZero() {
		return fallback
	}
	return t.UTC().Format(timestampLayout)
}

// parseStamp reads a *_at column written by now(). Timestamps are the
// store's own, so one that does not parse is shown as unknown rather than
// failing a read of the user's data.
func parseStamp(text string) time.Time {
	if text == "" {
		return time.Time{}
	}
	t, err := time.Parse(timestampLayout, text)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, text); err != nil {
			return time.Time{}
		}
	}
	return t.UTC()
}

// recordChange adds an outbox row for talkID; callers do it in the same
// transaction as the change so the index can never miss one.
func recordChange(ctx context.Context, tx *sql.Tx, talkID int64, at string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO index_outbox (talk_id, created_at) VALUES (?, ?)`, talkID, at); err != nil {
		return fmt.Errorf("record index change for talk %d: %w", talkID, err)
	}
	return nil
}

// formatStart stores a start time as RFC 3339 with its own UTC offset, and
// its unix seconds for sorting. A zero time is stored as NULLs.
func formatStart(t time.Time) (text sql.NullString, unix sql.NullInt64) {
	if t.IsZero() {
		return text, unix
	}
	return sql.NullString{String: t.Format(time.RFC3339Nano), Valid: true},
		sql.NullInt64{Int64: t.Unix(), Valid: true}
}

// parseStart reverses formatStart. The result's zone is a fixed zone at the
// stored offset (or UTC), never the machine's local zone, which time.Parse
// would substitute when the offsets happen to match.
func parseStart(text sql.NullString) (time.Time, error) {
	if !text.Valid || text.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, text.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", text.String, err)
	}
	_, offset := t.Zone()
	if offset == 0 {
		return t.UTC(), nil
	}
	return t.In(time.FixedZone("", offset)), nil
}

func talkNotFound(id int64) error {
	return catalog.Errorf(catalog.ENOTFOUND, "talk %d not found", id)
}
