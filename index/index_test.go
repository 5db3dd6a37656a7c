package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestOpenCreatesThenReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.bleve")

	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// A new index is empty while SQLite may not be: it asks for a rebuild.
	if !ix.NeedsRebuild() {
		t.Error("new index: NeedsRebuild = false, want true")
	}
	if n, err := ix.DocCount(); err != nil || n != 0 {
		t.Errorf("new index: DocCount = %d, %v; want 0", n, err)
	}
	if err := ix.Apply(ctx, sampleTalks(), nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := ix.DocCount(); err == nil {
		t.Error("DocCount after Close succeeded")
	}

	ix, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.NeedsRebuild() {
		t.Error("reopened index: NeedsRebuild = true, want false")
	}
	if n, err := ix.DocCount(); err != nil || n != 8 {
		t.Errorf("reopened index: DocCount = %d, %v; want 8", n, err)
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "speaker:huston"})); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("reopened index: speaker:huston finds %v, want [1 2]", got)
	}
}

// TestIndexIsForcedToZapV16 checks the segment format is pinned in the
// index's own metadata, so that every segment scorch writes or merges is zap
// v16 and the zapx/v17 stand-in in go.mod is never used.
func TestIndexIsForcedToZapV16(t *testing.T) {
	_, path := openTemp(t)
	raw, err := os.ReadFile(filepath.Join(path, "index_meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Storage string                 `json:"storage"`
		Config  map[string]interface{} `json:"config"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Storage != scorch.Name {
		t.Errorf("storage %q, want %q", meta.Storage, scorch.Name)
	}
	if meta.Config["forceSegmentType"] != "zap" || meta.Config["forceSegmentVersion"] != float64(16) {
		t.Errorf("segment config %v, want zap v16 forced", meta.Config)
	}
}

// TestManySmallBatchesSurviveMergesAndReopen writes the way the outbox does
// (many tiny batches, updates and deletes among them), lets scorch merge
// segments, forces a full merge, and checks counts before and after reopen.
func TestManySmallBatchesSurviveMergesAndReopen(t *testing.T) {
	ctx := context.Background()
	ix, path := openTemp(t)

	const batches, perBatch = 150, 6
	gen := newTalkGen()
	next := int64(1)
	for b := range batches {
		var talks []*catalog.Talk
		for range perBatch {
			talks = append(talks, gen.talk(next))
			next++
		}
		var deletes []int64
		if b%10 == 9 {
			deletes = []int64{next - 1} // the last talk of every tenth batch
		}
		if b%7 == 6 {
			// Re-index an earlier talk with a new series.
			moved := gen.talk(int64(b + 1))
			moved.Series = "Moved"
			talks = append(talks, moved)
		}
		if err := ix.Apply(ctx, talks, deletes); err != nil {
			t.Fatalf("batch %d: %v", b, err)
		}
	}
	total := batches*perBatch - batches/10
	moved := batches / 7

	check := func(when string) {
		t.Helper()
		if n, err := ix.DocCount(); err != nil || n != uint64(total) {
			t.Errorf("%s: DocCount = %d, %v; want %d", when, n, err, total)
		}
		res := runSearch(t, ix, catalog.SearchRequest{Filter: catalog.TalkFilter{Series: []string{"Moved"}}})
		if res.Total != moved {
			t.Errorf("%s: %d talks in series Moved, want %d", when, res.Total, moved)
		}
		res = runSearch(t, ix, catalog.SearchRequest{PerPage: 1})
		if res.Total != total {
			t.Errorf("%s: match-all total %d, want %d", when, res.Total, total)
		}
	}
	check("before merge")

	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		t.Fatalf("index is %T, want scorch", adv)
	}
	if err := sc.ForceMerge(ctx, nil); err != nil {
		t.Fatalf("ForceMerge: %v", err)
	}
	stats := sc.StatsMap()
	fileMerges, _ := stats["TotFileMergeZapEnd"].(uint64)
	memMerges, _ := stats["TotMemMergeZapEnd"].(uint64)
	if fileMerges+memMerges == 0 {
		t.Error("no segment merge happened")
	}
	t.Logf("merges: file %v, in-memory %v", stats["TotFileMergeZapEnd"], stats["TotMemMergeZapEnd"])
	check("after merge")

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reopened.Close() })
	if reopened.NeedsRebuild() {
		t.Error("reopened index: NeedsRebuild = true")
	}
	ix = reopened
	check("after reopen")
}

func TestOpenDiscardsOtherMappingVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.bleve")
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), sampleTalks(), nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.bi.SetInternal([]byte(mappingVersionKey), []byte(fmt.Sprint(MappingVersion-1))); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.NeedsRebuild() {
		t.Error("NeedsRebuild = false after a mapping version change")
	}
	if n, err := ix.DocCount(); err != nil || n != 0 {
		t.Errorf("DocCount = %d, %v; want an empty index", n, err)
	}
}

func TestOpenRecoversFromDamage(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"junk metadata", func(t *testing.T, path string) {
			writeJunk(t, filepath.Join(path, "index_meta.json"))
		}},
		{"junk root bolt", func(t *testing.T, path string) {
			writeJunk(t, filepath.Join(path, "store", "root.bolt"))
		}},
		{"truncated root bolt", func(t *testing.T, path string) {
			if err := os.Truncate(filepath.Join(path, "store", "root.bolt"), 100); err != nil {
				t.Fatal(err)
			}
		}},
		{"junk segments", func(t *testing.T, path string) {
			segs, _ := filepath.Glob(filepath.Join(path, "store", "*.zap"))
			if len(segs) == 0 {
				t.Fatal("no segment files to damage")
			}
			for _, s := range segs {
				writeJunk(t, s)
			}
		}},
		{"store missing", func(t *testing.T, path string) {
			if err := os.RemoveAll(filepath.Join(path, "store")); err != nil {
				t.Fatal(err)
			}
		}},
		{"only junk files", func(t *testing.T, path string) {
			if err := os.RemoveAll(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
			writeJunk(t, filepath.Join(path, "junk1"))
			writeJunk(t, filepath.Join(path, "junk2"))
		}},
		{"a file instead of a directory", func(t *testing.T, path string) {
			if err := os.RemoveAll(path); err != nil {
				t.Fatal(err)
			}
			writeJunk(t, path)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "index.bleve")
			ix, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := ix.Apply(ctx, sampleTalks(), nil); err != nil {
				t.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, path)

			ix, err = Open(path)
			if err != nil {
				t.Fatalf("Open after damage: %v", err)
			}
			defer ix.Close()
			if !ix.NeedsRebuild() {
				t.Error("NeedsRebuild = false after damage")
			}
			if n, err := ix.DocCount(); err != nil || n != 0 {
				t.Errorf("DocCount = %d, %v; want a fresh empty index", n, err)
			}
			// The fresh index works.
			if err := ix.Apply(ctx, sampleTalks(), nil); err != nil {
				t.Fatal(err)
			}
			if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "bgp"})); !slices.Equal(got, []int64{1, 7}) {
				t.Errorf("bgp finds %v in the recovered index, want [1 7]", got)
			}
		})
	}
}

func writeJunk(t *testing.T, path string) {
	t.Helper()
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, junk, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRemovesRebuildLeftovers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index.bleve")
	for _, leftover := range []string{path + newSuffix, path + oldSuffix} {
		if err := os.MkdirAll(filepath.Join(leftover, "store"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeJunk(t, filepath.Join(leftover, "store", "root.bolt"))
	}
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, leftover := range []string{path + newSuffix, path + oldSuffix} {
		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Errorf("%s still exists (%v)", leftover, err)
		}
	}
}

// TestOpenInUseIsAConflict checks that an index locked by another opener is
// reported, not mistaken for damage and wiped.
func TestOpenInUseIsAConflict(t *testing.T) {
	ix := loadSample(t)
	second, err := Open(ix.path)
	if err == nil {
		_ = second.Close()
		t.Fatal("second Open of a locked index succeeded")
	}
	if code := catalog.ErrorCode(err); code != catalog.ECONFLICT {
		t.Errorf("second Open: %v (code %q), want %s", err, code, catalog.ECONFLICT)
	}
	if n, err := ix.DocCount(); err != nil || n != 8 {
		t.Errorf("first opener: DocCount = %d, %v; want 8", n, err)
	}
}
