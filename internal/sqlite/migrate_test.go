package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talkdex/talkdex/schema"
)

func TestMigrationsApplyOnceAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "dir", "talkdex.db")
	files, err := loadMigrations(schema.FS())
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || files[0].name != "0001_init.sql" {
		t.Fatalf("migrations = %+v, want 0001_init.sql first", files)
	}

	type row struct {
		version       int
		name, sum, at string
	}
	readRows := func(s *Store) []row {
		rows, err := s.reader.Query(`SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.version, &r.name, &r.sum, &r.at); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}

	var first []row
	for open := 1; open <= 3; open++ {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", open, err)
		}
		got := readRows(s)
		if len(got) != len(files) {
			t.Fatalf("open #%d: %d migration rows, want %d", open, len(got), len(files))
		}
		for i, r := range got {
			if r.version != files[i].version || r.name != files[i].name || r.sum != files[i].sum {
				t.Errorf("open #%d: row %+v, want file %s with sum %s", open, r, files[i].name, files[i].sum)
			}
		}
		if open == 1 {
			first = got
		} else if got[0].at != first[0].at {
			t.Errorf("open #%d re-applied 0001: applied_at %s, first %s", open, got[0].at, first[0].at)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrationsRefuseMismatch(t *testing.T) {
	tests := []struct {
		name    string
		tamper  string // SQL run on a migrated database before reopening
		wantErr string
	}{
		{"edited applied file", `UPDATE schema_migrations SET sha256 = 'deadbeef' WHERE version = 1`, "was edited after it was applied"},
		{"unknown newer migration", `INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'x', 'now')`, "does not know"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "talkdex.db")
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.writer.Exec(tt.tamper); err != nil {
				t.Fatal(err)
			}
			s.Close()
			s, err = Open(ctx, path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded, want refusal")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestMigrationsApplyNewFileInItsOwnTransaction(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	base := fstest.MapFS{}
	files, err := loadMigrations(schema.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range files {
		base[m.name] = &fstest.MapFile{Data: []byte(m.sql)}
	}

	// A broken second migration rolls back entirely and is not recorded.
	broken := fstest.MapFS{"9000_broken.sql": {Data: []byte("CREATE TABLE extra (x INTEGER); INSERT INTO nosuchtable VALUES (1);")}}
	for k, v := range base {
		broken[k] = v
	}
	if err := s.migrate(ctx, broken); err == nil || !strings.Contains(err.Error(), "9000_broken.sql") {
		t.Fatalf("migrate broken = %v, want an error naming the file", err)
	}
	var n int
	s.writer.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'`).Scan(&n)
	if n != 0 {
		t.Fatal("table from the failed migration exists; it was not rolled back")
	}

	good := fstest.MapFS{"9000_extra.sql": {Data: []byte("CREATE TABLE extra (x INTEGER);")}}
	for k, v := range base {
		good[k] = v
	}
	for range 2 {
		if err := s.migrate(ctx, good); err != nil {
			t.Fatal(err)
		}
	}
	s.writer.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE version = 9000`).Scan(&n)
	if n != 1 {
		t.Fatalf("9000 recorded %d times, want 1", n)
	}
}
