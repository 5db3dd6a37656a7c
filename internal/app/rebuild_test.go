package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// damageIndex breaks the index directory of dir in one of the ways a disk,
// a crash or a user can.
func damageIndex(t *testing.T, dir, how string) {
	t.Helper()
	ix := filepath.Join(dir, IndexDir)
	switch how {
	case "deleted":
		if err := os.RemoveAll(ix); err != nil {
			t.Fatal(err)
		}
	case "truncated", "garbled":
		err := filepath.Walk(ix, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			if how == "truncated" {
				return os.Truncate(path, info.Size()/3)
			}
			junk := make([]byte, info.Size())
			for i := range junk {
				junk[i] = byte(i*7 + 13)
			}
			return os.WriteFile(path, junk, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	case "not a directory":
		if err := os.RemoveAll(ix); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(ix, []byte("not an index"), 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("unknown damage %q", how)
	}
}

// TestDamagedIndexServesFromDatabase: whatever happened to the index, a
// catalog opened for serving opens at once, answers searches from SQLite
// (marked degraded) while the index is rebuilt in the background, keeps
// accepting writes, and then answers from the rebuilt index.
func TestDamagedIndexServesFromDatabase(t *testing.T) {
	for _, how := range []string{"deleted", "truncated", "garbled", "not a directory"} {
		t.Run(how, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			c, err := Open(ctx, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Import(ctx, sliceSource(sampleTalks()), nil); err != nil {
				t.Fatal(err)
			}
			c.Close()
			damageIndex(t, dir, how)

			release := make(chan struct{})
			c, err = OpenWith(ctx, dir, nil, Options{BackgroundRebuild: true, holdRebuild: func() { <-release }})
			if err != nil {
				t.Fatalf("open with a %s index: %v", how, err)
			}
			defer c.Close()
			if got := c.IndexState(); got != IndexRebuilding {
				t.Fatalf("index state %q, want %q", got, IndexRebuilding)
			}
			st, err := c.Stats(ctx)
			if err != nil || st.Index != IndexRebuilding {
				t.Fatalf("stats %+v, %v", st, err)
			}
			res := search(t, c, "anycast")
			if !res.Degraded || res.Total != 1 || res.Hits[0].Talk.Title != "Measuring Anycast Catchments" {
				t.Fatalf("degraded search: %+v", res)
			}
			id := res.Hits[0].Talk.ID
			// Writes go on while the index is rebuilt, and are in it after.
			if err := c.SetNote(ctx, id, "a numbat crossed the stage"); err != nil {
				t.Fatal(err)
			}
			if res := search(t, c, "numbat"); res.Total != 1 {
				t.Errorf("degraded search misses a note written meanwhile: %d hits", res.Total)
			}

			close(release)
			deadline := time.Now().Add(30 * time.Second)
			for c.IndexState() != IndexReady && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if got := c.IndexState(); got != IndexReady {
				t.Fatalf("index state %q after the rebuild", got)
			}
			res = search(t, c, "numbat")
			if res.Degraded || res.Total != 1 || res.Hits[0].Talk.ID != id {
				t.Errorf("after the rebuild: degraded %v, %d hits", res.Degraded, res.Total)
			}
			if res := search(t, c, ""); res.Total != len(sampleTalks()) {
				t.Errorf("rebuilt index holds %d talks, want %d", res.Total, len(sampleTalks()))
			}
		})
	}
}

// TestHealthyIndexNeedsNoRebuild: a sound index opens ready, with no
// background work.
func TestHealthyIndexNeedsNoRebuild(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openWith(t, dir)
	if _, err := c.Import(ctx, sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c, err := OpenWith(ctx, dir, nil, Options{BackgroundRebuild: true, holdRebuild: func() { t.Error("a sound index was rebuilt") }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.IndexState(); got != IndexReady {
		t.Errorf("state %q", got)
	}
	if res := search(t, c, ""); res.Degraded || res.Total != 3 {
		t.Errorf("search: degraded %v total %d", res.Degraded, res.Total)
	}
}

// TestCloseStopsBackgroundRebuild: closing while a rebuild is pending
// neither hangs nor leaves the data dir unusable.
func TestCloseStopsBackgroundRebuild(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openWith(t, dir)
	if _, err := c.Import(ctx, sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	damageIndex(t, dir, "deleted")
	c, err := OpenWith(ctx, dir, nil, Options{BackgroundRebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close during a rebuild: %v", err)
	}
	c = openWith(t, dir)
	if res := search(t, c, ""); res.Total != 3 {
		t.Errorf("after reopening: %d talks", res.Total)
	}
}

// TestSuggestFollowsTheCatalog: completions cover the talks at open and
// follow imports.
func TestSuggestFollowsTheCatalog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := openWith(t, dir)
	if _, err := c.Import(ctx, sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	suggestions := func(q string) []string {
		var out []string
		deadline := time.Now().Add(10 * time.Second)
		for {
			found, err := c.Suggest(ctx, q, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(found) > 0 || time.Now().After(deadline) {
				for _, s := range found {
					out = append(out, s.Kind+":"+s.Text)
				}
				return out
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if got := suggestions("anyc"); len(got) != 1 || got[0] != "title:Measuring Anycast Catchments" {
		t.Errorf("anyc: %v", got)
	}
	more := []*catalog.Talk{{Series: "Example NOG", Event: "Example NOG 2025", Title: "Anycast Everywhere"}}
	if _, err := c.Import(ctx, sliceSource(more), nil); err != nil {
		t.Fatal(err)
	}
	if got := suggestions("anycast ev"); len(got) != 1 || got[0] != "title:Anycast Everywhere" {
		t.Errorf("after an import, anycast ev: %v", got)
	}
}

// TestBrokenSynonymsFileIsNotFatal: a malformed user synonyms file is
// reported and skipped; the catalog opens and searches.
func TestBrokenSynonymsFileIsNotFatal(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, SynonymsFile), []byte("onlyone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := openWith(t, dir)
	if _, err := c.Import(context.Background(), sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	if res := search(t, c, "anycast"); res.Total != 1 {
		t.Errorf("search with a broken synonyms file: %d hits", res.Total)
	}
}
