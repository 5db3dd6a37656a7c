package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/schema"
)

// TestUpgradeKeepsPersonalData builds a database as the first release left
// it (migration 0001 only) with a rating, a note, its history and a watched
// mark, then opens it with the current schema: every bit of it is still
// there and reads through the new model.
func TestUpgradeKeepsPersonalData(t *testing.T) {
	ctx := context.Background()
	// Raw rows: today's upsert speaks the current schema.
	const id, other = 1, 2
	path := databaseAsReleased(t, 1,
		`INSERT INTO series (id, name) VALUES (1, 'DENOG')`,
		`INSERT INTO events (id, series_id, name, year) VALUES (1, 1, 'DENOG9', 2017)`,
		`INSERT INTO talks (id, source_key, event_id, year, title, content_hash, created_at, updated_at)
			VALUES (1, 'k1', 1, 2017, 'Peering DB Update', 'h1', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
			       (2, 'k2', 1, 2017, 'Another talk', 'h2', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
		`INSERT INTO ratings (talk_id, stars, rated_at) VALUES (1, 4, '2024-01-02T03:04:05.000Z')`,
		`INSERT INTO notes (talk_id, body, updated_at) VALUES (1, 'kept through the upgrade', '2024-01-02T03:04:05.000Z')`,
		`INSERT INTO note_revisions (talk_id, body, replaced_at) VALUES (1, 'an older body', '2024-01-01T00:00:00.000Z')`,
		`INSERT INTO watch (talk_id, watched, updated_at, watched_at) VALUES (1, 1, '2024-01-03T00:00:00.000Z', '2024-01-03T00:00:00.000Z')`,
	)

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	got, err := s.FindTalkByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rating != 4 || got.Note != "kept through the upgrade" || got.Watch != catalog.WatchWatched || !got.Watched ||
		got.WatchedAt.IsZero() || got.RatedAt.IsZero() {
		t.Errorf("after the upgrade: %+v", got)
	}
	h, err := s.NoteHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Revisions) != 1 || h.Revisions[0].Body != "an older body" {
		t.Errorf("history after the upgrade: %+v", h.Revisions)
	}
	// The new parts of the model work on the upgraded file.
	if err := s.AddMyTags(ctx, id, []string{"upgraded"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatch(ctx, other, catalog.WatchToWatch); err != nil {
		t.Fatal(err)
	}
}

// databaseAsReleased builds a database file as release upTo left it (its
// migrations up to number upTo), runs the given statements on it and
// closes it, returning its path.
func databaseAsReleased(t *testing.T, upTo int, statements ...string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "talkdex.db")
	files, err := loadMigrations(schema.FS())
	if err != nil {
		t.Fatal(err)
	}
	released := fstest.MapFS{}
	for _, m := range files {
		if m.version <= upTo {
			released[m.name] = &fstest.MapFile{Data: []byte(m.sql)}
		}
	}
	if len(released) != upTo {
		t.Fatalf("want migrations 1 to %d among %d files", upTo, len(files))
	}
	old, err := openWith(ctx, path, released)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range statements {
		if _, err := old.writer.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
