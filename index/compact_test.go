package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// rootSegments counts the segments a search of ix visits.
func rootSegments(t *testing.T, ix *Index) uint64 {
	t.Helper()
	stats, ok := ix.bi.StatsMap()["index"].(map[string]interface{})
	if !ok {
		t.Fatalf("no scorch stats in %v", ix.bi.StatsMap())
	}
	files, _ := stats["num_root_filesegments"].(uint64)
	memory, _ := stats["num_root_memorysegments"].(uint64)
	return files + memory
}

// An index written in many batches ends up in fewer segments, and keeps
// every talk.
func TestCompactLeavesOneSegment(t *testing.T) {
	ix, _ := openTemp(t)
	ctx := context.Background()
	for i := range 25 {
		talk := &catalog.Talk{ID: int64(i + 1), Series: "RIPE", Event: "RIPE 90", Title: fmt.Sprintf("Talk number %d", i)}
		talk.Normalize()
		if err := ix.Apply(ctx, []*catalog.Talk{talk}, nil); err != nil {
			t.Fatal(err)
		}
	}
	before := rootSegments(t, ix)
	if before < 2 {
		t.Skipf("only %d segment before compaction: Bleve merged them already", before)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if after := rootSegments(t, ix); after >= before || after > (before+9)/10 {
		t.Errorf("%d segments after Compact, from %d", after, before)
	}
	if res := runSearch(t, ix, catalog.SearchRequest{Query: "talk", PerPage: 50}); res.Total != 25 {
		t.Errorf("%d talks found after Compact, want 25", res.Total)
	}
}
