package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/index"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/sqlite"
)

func sampleTalks() []*catalog.Talk {
	return []*catalog.Talk{
		{Series: "Example NOG", Event: "Example NOG 2024", Title: "Route Reflectors at Scale", Speakers: []catalog.Speaker{{Name: "Ada Example"}}},
		{Series: "Example NOG", Event: "Example NOG 2024", Title: "Measuring Anycast Catchments"},
		{Series: "Other Meeting", Event: "Other Meeting 2019", Title: "Optical Transport Basics"},
	}
}

func sliceSource(talks []*catalog.Talk) Source {
	return func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		for _, t := range talks {
			if err := emit(t); err != nil {
				return nil, err
			}
		}
		return []catalog.Skip{{Ref: "line 9", Reason: "bad JSON"}}, nil
	}
}

func openWith(t *testing.T, dir string) *Catalog {
	t.Helper()
	c, err := Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func search(t *testing.T, c *Catalog, q string) *catalog.SearchResult {
	t.Helper()
	res, err := c.SearchTalks(context.Background(), catalog.SearchRequest{Query: q})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res
}

func TestImportReportsAndIndexes(t *testing.T) {
	c := openWith(t, t.TempDir())
	report, err := c.Import(context.Background(), sliceSource(sampleTalks()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if report.Inserted != 3 || report.Skipped != 1 || len(report.Skips) != 1 || report.Skips[0].Reason != "bad JSON" {
		t.Errorf("report %+v", report)
	}
	res := search(t, c, "anycast")
	if res.Total != 1 || res.Hits[0].Talk == nil || res.Hits[0].Talk.Title != "Measuring Anycast Catchments" {
		t.Fatalf("search after import: %+v", res)
	}
	st, err := c.Stats(context.Background())
	if err != nil || st.Talks != 3 || st.IndexedDocs != 3 || st.IndexPending != 0 {
		t.Errorf("stats %+v %v", st, err)
	}
}

// TestOutboxDrainedAtOpen: writes that reached SQLite but not the index
// (the process died between the two) are indexed at the next start.
func TestOutboxDrainedAtOpen(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(context.Background(), sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	c.Close()

	// Write to the store alone, as a crash right after the commit leaves it.
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	talks, _ := store.TalksByIDs(context.Background(), []int64{1, 2, 3})
	var id int64
	for _, talk := range talks {
		if talk.Title == "Optical Transport Basics" {
			id = talk.ID
		}
	}
	if err := store.SetNote(context.Background(), id, "remember the echidna"); err != nil {
		t.Fatal(err)
	}
	store.Close()

	c = openWith(t, dir)
	if res := search(t, c, "echidna"); res.Total != 1 || res.Hits[0].Talk.ID != id {
		t.Errorf("note written before the restart is not searchable: %+v", res)
	}
}

func TestMissingIndexIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(context.Background(), sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := os.RemoveAll(filepath.Join(dir, IndexDir)); err != nil {
		t.Fatal(err)
	}
	c = openWith(t, dir)
	if res := search(t, c, ""); res.Total != 3 {
		t.Errorf("after deleting the index: %d talks searchable, want 3", res.Total)
	}
}

// TestSecondProcessDefersToOwner: while one catalog owns the index, a second
// one on the same dir writes to SQLite only, and the owner indexes the write
// on its next Sync.
func TestSecondProcessDefersToOwner(t *testing.T) {
	dir := t.TempDir()
	owner := openWith(t, dir)
	if _, err := owner.Import(context.Background(), sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	id := search(t, owner, "optical").Hits[0].Talk.ID

	second := openWith(t, dir)
	if second.OwnsIndex() || !owner.OwnsIndex() {
		t.Fatalf("owner %v, second %v", owner.OwnsIndex(), second.OwnsIndex())
	}
	if err := second.SetRating(context.Background(), id, 5); err != nil {
		t.Fatal(err)
	}
	if err := second.Reindex(context.Background()); catalog.ErrorCode(err) != catalog.ECONFLICT {
		t.Errorf("reindex from a second process: %v, want conflict", err)
	}
	if _, err := second.SearchTalks(context.Background(), catalog.SearchRequest{Query: "x"}); catalog.ErrorCode(err) != catalog.ECONFLICT {
		t.Errorf("search with no server to ask: %v, want conflict", err)
	}
	if err := owner.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := owner.SearchTalks(context.Background(), catalog.SearchRequest{Filter: catalog.TalkFilter{MinRating: 5}})
	if err != nil || res.Total != 1 || res.Hits[0].Talk.ID != id {
		t.Errorf("owner does not see the second process's rating: %+v %v", res, err)
	}
}

func TestSearchParamsRoundTrip(t *testing.T) {
	watched := true
	req := catalog.SearchRequest{
		Query: "bgp -evpn", Sort: catalog.SortNewest, Page: 2, PerPage: 5,
		Filter: catalog.TalkFilter{Series: []string{"A", "B"}, Year: []int{2019}, MinRating: 3, Watched: &watched, Has: []string{"video"}},
	}
	v := searchParams(req)
	want := "has=video&min_rating=3&page=2&per_page=5&q=bgp+-evpn&series=A&series=B&sort=newest&watched=true&year=2019"
	if got := v.Encode(); got != want {
		t.Errorf("params\n got %s\nwant %s", got, want)
	}
}

// TestInterruptedRebuildIsRedone: a rebuild cut short leaves an index that
// carries the current mapping version but lacks talks; the next Open must
// notice and rebuild.
func TestInterruptedRebuildIsRedone(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(context.Background(), sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	c.Close()
	// What a killed first build leaves: a fresh, stamped, empty index.
	path := filepath.Join(dir, IndexDir)
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()

	c = openWith(t, dir)
	if res := search(t, c, ""); res.Total != 3 {
		t.Errorf("after an interrupted rebuild: %d talks searchable, want 3", res.Total)
	}
}

func TestDuplicateKeysAcrossBatches(t *testing.T) {
	var talks []*catalog.Talk
	for i := range importBatch + 100 {
		talks = append(talks, &catalog.Talk{Series: "S", Event: "E", Title: fmt.Sprintf("Talk %d", i),
			Source: catalog.Source{Key: fmt.Sprintf("k%d", i)}})
	}
	dup := *talks[0]
	dup.Title = "Talk 0 again"
	talks[importBatch+50] = &dup // same key as the first, in a later batch
	c := openWith(t, t.TempDir())
	report, err := c.Import(context.Background(), sliceSource(talks), nil)
	if err != nil {
		t.Fatal(err)
	}
	// sliceSource adds one skip of its own ("bad JSON").
	if report.Inserted != len(talks)-1 || report.Updated != 0 || report.Skipped != 2 {
		t.Fatalf("report %d inserted, %d updated, %d skipped", report.Inserted, report.Updated, report.Skipped)
	}
	found := false
	for _, s := range report.Skips {
		if s.Ref == "Talk 0 again" && strings.Contains(s.Reason, `duplicate source key "k0"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("duplicate not named: %+v", report.Skips)
	}
	err = c.Store().EachTalk(context.Background(), func(talk *catalog.Talk) error {
		if talk.Title == "Talk 0 again" {
			t.Errorf("the later duplicate overwrote the first record")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteIsSearchableAtOnce(t *testing.T) {
	c := openWith(t, t.TempDir())
	if _, err := c.Import(context.Background(), sliceSource(sampleTalks()), nil); err != nil {
		t.Fatal(err)
	}
	id := search(t, c, "optical").Hits[0].Talk.ID
	if err := c.SetNote(context.Background(), id, "a bilby in the rack"); err != nil {
		t.Fatal(err)
	}
	if res := search(t, c, "bilby"); res.Total != 1 {
		t.Errorf("a note is not searchable right after the write: total %d", res.Total)
	}
	// The write stays in the outbox for the poller: applying it again is
	// harmless and leaves the index as it was.
	if err := c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res := search(t, c, "bilby"); res.Total != 1 {
		t.Errorf("after Sync: total %d", res.Total)
	}
}
