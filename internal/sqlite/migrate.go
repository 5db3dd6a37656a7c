package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migration is one numbered schema file.
type migration struct {
	version int
	name    string // file name, e.g. "0001_init.sql"
	sql     string
	sum     string // hex sha256 of the file
}

// loadMigrations reads NNNN_description.sql files from fsys, in version order.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		prefix, _, ok := strings.Cut(path.Base(name), "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_', like 0001_init.sql", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, name, version)
		}
		seen[version] = name
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		ms = append(ms, migration{version: version, name: name, sql: string(body), sum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies every migration in fsys that the database has not seen,
// each in its own transaction. It refuses to go on when an applied file has
// changed since it was applied, or when the database knows migrations this
// build does not: in both cases the schema is not what the code expects.
func (s *Store) migrate(ctx context.Context, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		sha256     TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}

	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
		rec, ok := applied[m.version]
		if ok && rec.sum != m.sum {
			return fmt.Errorf("migration %s was edited after it was applied to %s (recorded sha256 %s, file has %s); an applied migration must never change, so put schema changes in a new numbered file",
				m.name, s.path, rec.sum, m.sum)
		}
	}
	for version, rec := range applied {
		if !known[version] {
			return fmt.Errorf("database %s has migration %s, which this build of talkdex does not know; use a newer talkdex", s.path, rec.name)
		}
	}

	for _, m := range ms {
		if _, ok := applied[m.version]; ok {
			continue
		}
		if err := s.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

type appliedMigration struct {
	name string
	sum  string
}

func (s *Store) appliedMigrations(ctx context.Context) (map[int]appliedMigration, error) {
	rows, err := s.writer.QueryContext(ctx, `SELECT version, name, sha256 FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]appliedMigration{}
	for rows.Next() {
		var version int
		var rec appliedMigration
		if err := rows.Scan(&version, &rec.name, &rec.sum); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		applied[version] = rec
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return applied, nil
}

func (s *Store) applyMigration(ctx context.Context, m migration) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		// Another process may have applied it since we looked; the write
		// lock we now hold makes this check final.
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM schema_migrations WHERE version = ?`, m.version).Scan(&one)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)`,
			m.version, m.name, m.sum, now())
		return err
	})
	if err != nil {
		return fmt.Errorf("apply migration %s: %w", m.name, err)
	}
	return nil
}
