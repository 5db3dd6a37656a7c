package app

import (
	"context"
	"fmt"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// numberedTalks are n talks, each with a word of its own ("w17x").
func numberedTalks(n int) []*catalog.Talk {
	talks := make([]*catalog.Talk, n)
	for i := range talks {
		talks[i] = &catalog.Talk{
			Series: "Load NOG", Event: fmt.Sprintf("Load NOG %d", 2000+i%20),
			Title: fmt.Sprintf("Talk number %d about w%dx", i, i),
		}
	}
	return talks
}

// An import long enough to be indexed while it is written ends with every
// talk searchable and nothing left in the outbox.
func TestLongImportIndexesEveryTalk(t *testing.T) {
	ctx := context.Background()
	c := openWith(t, t.TempDir())
	n := importBatch*10*2 + importBatch*3 // two background syncs and a tail
	if _, err := c.Import(ctx, sliceSource(numberedTalks(n)), nil); err != nil {
		t.Fatal(err)
	}
	st, err := c.Stats(ctx)
	if err != nil || st.Talks != n || st.IndexedDocs != n || st.IndexPending != 0 {
		t.Fatalf("stats %+v, %v; want %d talks, all indexed", st, err, n)
	}
	for _, i := range []int{0, importBatch * 10, n - 1} {
		res := search(t, c, fmt.Sprintf("w%dx", i))
		// Close matches ("w1000x" for "w5000x") may follow; the talk comes first.
		if res.Total == 0 || res.Hits[0].Talk.Title != fmt.Sprintf("Talk number %d about w%dx", i, i) {
			t.Errorf("talk %d: %+v", i, res)
		}
	}
}

// An index that fails during an import stops it with the error; what was
// written stays in the database and its outbox, for the next sync.
func TestImportStopsWhenTheIndexFails(t *testing.T) {
	ctx := context.Background()
	c := openWith(t, t.TempDir())
	talks := numberedTalks(importBatch * 10 * 3)
	src := func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		for i, talk := range talks {
			if i == importBatch*10+importBatch/2 {
				if err := c.index.Close(); err != nil {
					return nil, err
				}
			}
			if err := emit(talk); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	report, err := c.Import(ctx, src, nil)
	if err == nil {
		t.Fatalf("import went on after the index failed: %+v", report)
	}
	if report.Inserted == 0 || report.Inserted >= len(talks) {
		t.Errorf("inserted %d of %d talks; want the import stopped part way", report.Inserted, len(talks))
	}
	pending, err := c.store.PendingIndexChanges(ctx, len(talks))
	if err != nil || len(pending) == 0 {
		t.Errorf("outbox: %d changes, %v; want the unindexed talks kept for the next sync", len(pending), err)
	}
}
