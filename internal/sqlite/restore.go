package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// CheckBackup reports whether path is a talkdex database that restore can
// install: an SQLite file that passes integrity_check and holds talkdex's
// migrations table and talks. It opens the file read-only and changes
// nothing.
func CheckBackup(ctx context.Context, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return catalog.Errorf(catalog.ENOTFOUND, "backup %s does not exist", path)
		}
		return fmt.Errorf("check backup %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return catalog.Errorf(catalog.EINVALID, "backup %s is not a file", path)
	}
	// The path goes into a file: URI, where these would be read as syntax.
	if strings.ContainsAny(path, "?#%") {
		return catalog.Errorf(catalog.EINVALID, "backup path %q must not contain '?', '#' or '%%'", path)
	}
	db, err := sql.Open(driverName, "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("check backup %s: %w", path, err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return catalog.Errorf(catalog.EINVALID, "%s is not a readable SQLite database: %v", path, err)
	}
	if result != "ok" {
		return catalog.Errorf(catalog.EINVALID, "%s fails SQLite's integrity check: %s", path, result)
	}
	for _, table := range []string{"schema_migrations", "talks", "ratings", "notes"} {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n)
		if err != nil {
			return fmt.Errorf("check backup %s: %w", path, err)
		}
		if n == 0 {
			return catalog.Errorf(catalog.EINVALID, "%s is an SQLite database but not a talkdex one (it has no %s table)", path, table)
		}
	}
	return nil
}
