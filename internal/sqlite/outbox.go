package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// PendingIndexChanges returns up to limit outbox rows, oldest first; a limit
// of 0 or less returns them all.
func (s *Store) PendingIndexChanges(ctx context.Context, limit int) ([]catalog.IndexChange, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT seq, talk_id FROM index_outbox ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read index outbox: %w", err)
	}
	defer rows.Close()
	changes := []catalog.IndexChange{}
	for rows.Next() {
		var c catalog.IndexChange
		if err := rows.Scan(&c.Seq, &c.TalkID); err != nil {
			return nil, fmt.Errorf("read index outbox: %w", err)
		}
		changes = append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read index outbox: %w", err)
	}
	return changes, nil
}

// AckIndexChanges deletes the outbox rows up to and including uptoSeq, once
// the index has applied them.
func (s *Store) AckIndexChanges(ctx context.Context, uptoSeq int64) error {
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM index_outbox WHERE seq <= ?`, uptoSeq); err != nil {
		return fmt.Errorf("acknowledge index changes up to %d: %w", uptoSeq, err)
	}
	return nil
}

// LastIndexSeq returns the newest outbox seq, or 0 when the outbox is empty.
// A full reindex reads it first and acknowledges up to it afterwards.
func (s *Store) LastIndexSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.reader.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM index_outbox`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read last index seq: %w", err)
	}
	return seq, nil
}

// Backup writes a consistent copy of the database to path while it stays in
// use. It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if path == "" {
		return catalog.Errorf(catalog.EINVALID, "backup path is empty")
	}
	if _, err := os.Stat(path); err == nil {
		return catalog.Errorf(catalog.ECONFLICT, "backup file %s already exists; choose a new name", path)
	} else if !os.IsNotExist(err) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	// VACUUM INTO reads one snapshot and itself refuses a non-empty target,
	// which closes the race with the Stat above. It needs a connection that
	// may write (the reader pool is query_only), and a connection of its own
	// keeps the single writer free for the writes that go on meanwhile.
	db, err := sql.Open(driverName, s.path+"?"+connPragmas)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity_check and reports what it found.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.reader.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		problems = append(problems, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) == 1 && problems[0] == "ok" {
		return nil
	}
	return fmt.Errorf("integrity check of %s failed: %s", s.path, strings.Join(problems, "; "))
}
