package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// personalState is everything the personal layer holds for one talk.
type personalState struct {
	rating  int
	note    string
	watch   string
	myTags  []string
	history int // earlier note bodies
}

func readPersonal(t *testing.T, dir string, id int64) personalState {
	t.Helper()
	talk := showJSON(t, dir, id)
	hist := mustRun(t, dir, "note", "--history", fmt.Sprint(id))
	return personalState{
		rating: talk.Rating, note: talk.Note, watch: talk.Watch, myTags: talk.MyTags,
		history: strings.Count(hist.stdout, "\n") - 1,
	}
}

// TestPersonalLayerSurvives: rating, note (with its history), personal tags
// and the watch list survive re-import, reindex, backup → restore and
// export → import, and each stays findable by search.
func TestPersonalLayerSurvives(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	anycast := findID(t, dir, "anycast catchments")
	reflectors := findID(t, dir, "route reflectors")
	mustRun(t, dir, "rate", fmt.Sprint(anycast), "5")
	mustRun(t, dir, "note", fmt.Sprint(anycast), "first draft about wombats")
	mustRun(t, dir, "note", fmt.Sprint(anycast), "final words about wombats")
	if out := mustRun(t, dir, "tag", fmt.Sprint(anycast), "To Share,dns", "later").stdout; out != "dns\nlater\nto share\n" {
		t.Errorf("tag prints %q", out)
	}
	mustRun(t, dir, "tag", "--rm", fmt.Sprint(anycast), "later")
	mustRun(t, dir, "watched", fmt.Sprint(anycast))
	mustRun(t, dir, "towatch", fmt.Sprint(reflectors))

	want := personalState{rating: 5, note: "final words about wombats", watch: catalog.WatchWatched, myTags: []string{"dns", "to share"}, history: 1}
	check := func(stage, dir string) {
		t.Helper()
		id := findID(t, dir, "anycast catchments")
		got := readPersonal(t, dir, id)
		if got.rating != want.rating || got.note != want.note || got.watch != want.watch || !slices.Equal(got.myTags, want.myTags) {
			t.Errorf("%s: personal data %+v, want %+v", stage, got, want)
		}
		if res := searchJSON(t, dir, "--my-tag", "to share", "wombats"); res.Total != 1 {
			t.Errorf("%s: search by note word and personal tag found %d talks", stage, res.Total)
		}
		if res := searchJSON(t, dir, "--watch", "to_watch", ""); res.Total != 1 || res.Hits[0].Talk.Title != "Route Reflectors at Scale" {
			t.Errorf("%s: to-watch list: %d talks", stage, res.Total)
		}
		r := mustRun(t, dir, "watchlist", "--watched", "--since", "this-month")
		if !strings.Contains(r.stdout, "Measuring Anycast Catchments") || strings.Contains(r.stdout, "Route Reflectors") {
			t.Errorf("%s: watched this month:\n%s", stage, r.stdout)
		}
	}
	check("after writes", dir)
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	check("after re-import", dir)
	mustRun(t, dir, "reindex")
	check("after reindex", dir)

	backup := filepath.Join(t.TempDir(), "backup.db")
	mustRun(t, dir, "backup", backup)
	// Change things after the backup: restore must bring back the backup's state.
	mustRun(t, dir, "rate", fmt.Sprint(anycast), "1")
	mustRun(t, dir, "note", fmt.Sprint(anycast), "")
	r := mustRun(t, dir, "restore", backup)
	if !strings.Contains(r.stderr, "index rebuilt") || !strings.Contains(r.stderr, "before-restore") {
		t.Errorf("restore says %q", r.stderr)
	}
	check("after backup and restore", dir)
	if h := readPersonal(t, dir, anycast); h.history != 1 {
		t.Errorf("note history after restore: %d earlier bodies, want 1", h.history)
	}
	copies, _ := filepath.Glob(filepath.Join(dir, "talkdex.db.before-restore-*"))
	if len(copies) != 1 {
		t.Errorf("safety copies %v", copies)
	}

	export := filepath.Join(t.TempDir(), "export.jsonl")
	mustRun(t, dir, "export", "--output", export)
	fresh := t.TempDir()
	mustRun(t, fresh, "import", export)
	want.history = 0 // an export carries the note, not its history
	check("after export and import", fresh)
}

func TestExportCarriesPersonalData(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	id := findID(t, dir, "anycast catchments")
	mustRun(t, dir, "rate", fmt.Sprint(id), "4")
	mustRun(t, dir, "note", fmt.Sprint(id), "- point one\n- point two")
	mustRun(t, dir, "tag", fmt.Sprint(id), "share")
	mustRun(t, dir, "towatch", fmt.Sprint(id))

	rows, err := csv.NewReader(strings.NewReader(mustRun(t, dir, "export", "--format", "csv").stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	for _, row := range rows[1:] {
		if row[col("id")] != fmt.Sprint(id) {
			continue
		}
		if row[col("rating")] != "4" || row[col("my_tags")] != "share" || row[col("watch")] != "to_watch" ||
			row[col("to_watch_at")] == "" || row[col("rated_at")] == "" || !strings.Contains(row[col("note")], "point two") {
			t.Errorf("CSV row lacks personal data: %q", row)
		}
	}

	// md: one blog-ready post per event, only rated talks with --rated.
	md := mustRun(t, dir, "export", "--format", "md", "--rated").stdout
	if !strings.HasPrefix(md, "# Example NOG 2024\n") || !strings.Contains(md, "★★★★☆") ||
		!strings.Contains(md, "- point two") || strings.Contains(md, "Route Reflectors") {
		t.Errorf("md --rated:\n%s", md)
	}
	posts := t.TempDir()
	mustRun(t, dir, "export", "--format", "md", "-o", posts)
	files, _ := filepath.Glob(filepath.Join(posts, "*.md"))
	if len(files) != 2 {
		t.Fatalf("md into a directory wrote %v, want a post per event (2)", files)
	}
	body, _ := os.ReadFile(filepath.Join(posts, "example-nog-2024.md"))
	if !strings.Contains(string(body), "Measuring Anycast Catchments") {
		t.Errorf("post of Example NOG 2024:\n%s", body)
	}
	if out := mustRun(t, dir, "export", "--format", "md", "--event", "no such event").stderr; !strings.Contains(out, "no talk matches") {
		t.Errorf("an empty selection says %q", out)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte("this is not a database"), 0o644)
	for _, file := range []string{junk, filepath.Join(t.TempDir(), "missing.db")} {
		r := talkdex(t, dir, "", "restore", file)
		if r.code == 0 || !strings.Contains(r.stderr, filepath.Base(file)) {
			t.Errorf("restore %s: exit %d, %q", file, r.code, r.stderr)
		}
	}
	if res := searchJSON(t, dir, "reflector"); res.Total != 1 {
		t.Errorf("a refused restore changed the catalog: %d hits", res.Total)
	}
	startServer(t, dir)
	backup := filepath.Join(t.TempDir(), "b.db")
	mustRun(t, dir, "backup", backup)
	if r := talkdex(t, dir, "", "restore", backup); r.code == 0 || !strings.Contains(r.stderr, "stop it") {
		t.Errorf("restore while serving: exit %d, %q", r.code, r.stderr)
	}
}

func TestSavedSearchesCLI(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	mustRun(t, dir, "searches", "save", "dns talks", "--series", "Example NOG", "anycast")
	if r := talkdex(t, dir, "", "searches", "save", "DNS talks", "x"); r.code == 0 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("saving a taken name: exit %d %q", r.code, r.stderr)
	}
	if out := mustRun(t, dir, "searches").stdout; !strings.Contains(out, "dns talks\t") || !strings.Contains(out, "series=Example+NOG") {
		t.Errorf("searches lists %q", out)
	}
	if out := mustRun(t, dir, "searches", "run", "dns talks").stdout; !strings.Contains(out, "Measuring Anycast Catchments") || strings.Contains(out, "Reflectors") {
		t.Errorf("searches run prints %q", out)
	}
	mustRun(t, dir, "searches", "rm", "dns talks")
	if r := talkdex(t, dir, "", "searches", "run", "dns talks"); r.code == 0 {
		t.Errorf("a deleted search still runs")
	}
}

// TestRestoreOverADamagedDatabase: a damaged database is the main reason
// to restore; restore keeps its files and installs the backup.
func TestRestoreOverADamagedDatabase(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	backup := filepath.Join(t.TempDir(), "good.db")
	mustRun(t, dir, "backup", backup)
	if err := os.WriteFile(filepath.Join(dir, "talkdex.db"), []byte(strings.Repeat("garbage ", 4096)), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "talkdex.db-wal"))
	os.Remove(filepath.Join(dir, "talkdex.db-shm"))
	mustRun(t, dir, "restore", backup)
	if res := searchJSON(t, dir, "reflector"); res.Total != 1 {
		t.Errorf("after restoring over a damaged database: %d hits", res.Total)
	}
	if copies, _ := filepath.Glob(filepath.Join(dir, "talkdex.db.before-restore-*")); len(copies) == 0 {
		t.Errorf("the damaged database was not kept")
	}
}
