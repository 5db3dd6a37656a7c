package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/talkdex/talkdex/internal/catalog"
)

// savedSearchNotFound is the ENOTFOUND for an unknown saved search name.
func savedSearchNotFound(name string) error {
	return catalog.Errorf(catalog.ENOTFOUND, "no saved search is named %q", name)
}

// CreateSavedSearch stores a new saved search; a name in use (compared
// without case) is ECONFLICT.
func (s *Store) CreateSavedSearch(ctx context.Context, ss *catalog.SavedSearch) error {
	if err := ss.Validate(); err != nil {
		return err
	}
	filter, err := json.Marshal(ss.Filter)
	if err != nil {
		return fmt.Errorf("save search %q: encode filters: %w", ss.Name, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		at := now()
		res, err := tx.ExecContext(ctx, `INSERT INTO saved_searches (name, query, filter, sort, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, ss.Name, ss.Query, string(filter), ss.Sort, at, at)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return catalog.Errorf(catalog.ECONFLICT, "a saved search named %q exists already", ss.Name)
		}
		ss.ID, err = res.LastInsertId()
		ss.CreatedAt, ss.UpdatedAt = parseStamp(at), parseStamp(at)
		return err
	})
	if err != nil {
		return fmt.Errorf("save search %q: %w", ss.Name, err)
	}
	return nil
}

// UpdateSavedSearch replaces the query, filters and sort of the saved
// search called name, and renames it to ss.Name.
func (s *Store) UpdateSavedSearch(ctx context.Context, name string, ss *catalog.SavedSearch) error {
	if err := ss.Validate(); err != nil {
		return err
	}
	filter, err := json.Marshal(ss.Filter)
	if err != nil {
		return fmt.Errorf("update saved search %q: encode filters: %w", name, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE saved_searches SET name = ?, query = ?, filter = ?, sort = ?, updated_at = ?
			WHERE name = ?`, ss.Name, ss.Query, string(filter), ss.Sort, at, name)
		if err != nil {
			var sqlErr *msqlite.Error
			if errors.As(err, &sqlErr) && sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
				return catalog.Errorf(catalog.ECONFLICT, "a saved search named %q exists already", ss.Name)
			}
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return savedSearchNotFound(name)
		}
		found, err := findSavedSearch(ctx, tx, ss.Name)
		if err != nil {
			return err
		}
		*ss = *found
		return nil
	})
	if err != nil {
		return fmt.Errorf("update saved search %q: %w", name, err)
	}
	return nil
}

// DeleteSavedSearch removes the saved search called name.
func (s *Store) DeleteSavedSearch(ctx context.Context, name string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM saved_searches WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return savedSearchNotFound(name)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete saved search %q: %w", name, err)
	}
	return nil
}

// FindSavedSearch returns the saved search called name (any case).
func (s *Store) FindSavedSearch(ctx context.Context, name string) (*catalog.SavedSearch, error) {
	var ss *catalog.SavedSearch
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		ss, err = findSavedSearch(ctx, tx, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find saved search %q: %w", name, err)
	}
	return ss, nil
}

// ListSavedSearches returns every saved search by name.
func (s *Store) ListSavedSearches(ctx context.Context) ([]*catalog.SavedSearch, error) {
	out := []*catalog.SavedSearch{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, tx, nil, savedSearchColumns+` ORDER BY name`, nil, func(rows *sql.Rows) error {
			ss, err := scanSavedSearch(rows)
			if err != nil {
				return err
			}
			out = append(out, ss)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list saved searches: %w", err)
	}
	return out, nil
}

const savedSearchColumns = `SELECT id, name, query, filter, sort, created_at, updated_at FROM saved_searches`

func findSavedSearch(ctx context.Context, tx *sql.Tx, name string) (*catalog.SavedSearch, error) {
	rows, err := tx.QueryContext(ctx, savedSearchColumns+` WHERE name = ?`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, savedSearchNotFound(name)
	}
	return scanSavedSearch(rows)
}

type rowScanner interface{ Scan(dest ...any) error }

func scanSavedSearch(rows rowScanner) (*catalog.SavedSearch, error) {
	var (
		ss                 catalog.SavedSearch
		filter, created, u string
	)
	if err := rows.Scan(&ss.ID, &ss.Name, &ss.Query, &filter, &ss.Sort, &created, &u); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filter), &ss.Filter); err != nil {
		return nil, fmt.Errorf("saved search %q: stored filters do not parse: %w", ss.Name, err)
	}
	ss.CreatedAt, ss.UpdatedAt = parseStamp(created), parseStamp(u)
	return &ss, nil
}
