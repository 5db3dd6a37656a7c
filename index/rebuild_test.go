package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// feedOf returns a Rebuild feed emitting talks.
func feedOf(talks []*catalog.Talk) func(emit func(*catalog.Talk) error) error {
	return func(emit func(*catalog.Talk) error) error {
		for _, t := range talks {
			if err := emit(t); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestRebuildReplacesContentAndClearsNeedsRebuild(t *testing.T) {
	ctx := context.Background()
	ix, path := openTemp(t)
	if !ix.NeedsRebuild() {
		t.Fatal("new index does not ask for a rebuild")
	}
	// Talks only the old index has must be gone afterwards.
	if err := ix.Apply(ctx, []*catalog.Talk{{ID: 99, Series: "Old", Event: "Old 1", Title: "Stale talk"}}, nil); err != nil {
		t.Fatal(err)
	}
	talks := newTalkGen().talks(2500) // more than two batches
	if err := ix.Rebuild(ctx, feedOf(talks)); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if ix.NeedsRebuild() {
		t.Error("NeedsRebuild still true after Rebuild")
	}
	if n, err := ix.DocCount(); err != nil || n != 2500 {
		t.Errorf("DocCount = %d, %v; want 2500", n, err)
	}
	// Quoted: a phrase is matched as typed, without typo corrections
	// ("scale" is a word of the new catalog).
	if res := runSearch(t, ix, catalog.SearchRequest{Query: `"stale"`}); res.Total != 0 {
		t.Errorf("talk of the old index survived the rebuild: %v", hitIDs(res))
	}
	for _, p := range []string{path + newSuffix, path + oldSuffix} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind (%v)", p, err)
		}
	}

	// The swapped-in index is the one on disk at path.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	if reopened.NeedsRebuild() {
		t.Error("reopened rebuilt index asks for a rebuild")
	}
	if n, err := reopened.DocCount(); err != nil || n != 2500 {
		t.Errorf("reopened: DocCount = %d, %v; want 2500", n, err)
	}
}

func TestRebuildWhileSearching(t *testing.T) {
	ctx := context.Background()
	ix := loadSample(t)

	var (
		wg       sync.WaitGroup
		stop     atomic.Bool
		searches atomic.Int64
		failures = make(chan error, 1)
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			req := catalog.SearchRequest{Query: "bgp"}
			if err := req.Normalize(); err != nil {
				failures <- err
				return
			}
			res, err := ix.Search(ctx, req)
			if err != nil {
				failures <- err
				return
			}
			// Either the old index (talks 1, 7) or the new one (only 1).
			if got := sortedIDs(res); !slices.Equal(got, []int64{1, 7}) && !slices.Equal(got, []int64{1}) {
				failures <- errors.New("unexpected hits during rebuild")
				return
			}
			searches.Add(1)
		}
	}()

	// The feed waits until searches are running against the old index.
	var newTalks []*catalog.Talk
	for _, talk := range sampleTalks() {
		if talk.ID != 7 {
			newTalks = append(newTalks, talk)
		}
	}
	feed := func(emit func(*catalog.Talk) error) error {
		for searches.Load() < 20 {
			select {
			case err := <-failures:
				return err
			default:
				runtime.Gosched()
			}
		}
		return feedOf(newTalks)(emit)
	}
	err := ix.Rebuild(ctx, feed)
	// Keep searching a little on the new index before stopping.
	for before := searches.Load(); searches.Load() < before+20 && len(failures) == 0; {
		runtime.Gosched()
	}
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	select {
	case err := <-failures:
		t.Fatalf("search during rebuild: %v", err)
	default:
	}
	if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: "bgp"})); !slices.Equal(got, []int64{1}) {
		t.Errorf("after rebuild bgp finds %v, want [1]", got)
	}
}

// TestRebuildKeepsChangesAppliedMeanwhile applies changes while the feed is
// running, as the outbox would, and checks none are lost in the swap.
func TestRebuildKeepsChangesAppliedMeanwhile(t *testing.T) {
	ctx := context.Background()
	ix := loadSample(t)
	talks := sampleTalks()
	feed := func(emit func(*catalog.Talk) error) error {
		for i, talk := range talks {
			if i == 4 {
				// Talk 2 (already emitted) is deleted, talk 7 (not yet
				// emitted) is renamed, and a new talk 9 appears.
				renamed := sampleTalks()[6]
				renamed.Title = "Route Origin Validation Revisited"
				added := &catalog.Talk{ID: 9, Series: "UKNOF", Event: "UKNOF 50", Title: "Fresh talk about zeppelins"}
				if err := ix.Apply(ctx, []*catalog.Talk{renamed, added}, []int64{2}); err != nil {
					return err
				}
			}
			if err := emit(talk); err != nil {
				return err
			}
		}
		return nil
	}
	if err := ix.Rebuild(ctx, feed); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	tests := []struct {
		query string
		want  []int64
	}{
		{"ipv6", nil},
		{"zeppelins", []int64{9}},
		{"revisited", []int64{7}},
		{"bgp", []int64{1, 7}},
	}
	for _, tt := range tests {
		if got := sortedIDs(runSearch(t, ix, catalog.SearchRequest{Query: tt.query})); !slices.Equal(got, tt.want) {
			t.Errorf("after rebuild %q finds %v, want %v", tt.query, got, tt.want)
		}
	}
	if n, err := ix.DocCount(); err != nil || n != 8 {
		t.Errorf("DocCount = %d, %v; want 8", n, err)
	}
}

func TestRebuildFailureKeepsOldIndex(t *testing.T) {
	boom := errors.New("database went away")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		feed func(emit func(*catalog.Talk) error) error
		want error
	}{
		{"feed fails", context.Background(), func(emit func(*catalog.Talk) error) error {
			if err := emit(sampleTalks()[0]); err != nil {
				return err
			}
			return boom
		}, boom},
		{"context cancelled", cancelled, feedOf(newTalkGen().talks(1500)), context.Canceled},
		{"talk without id", context.Background(), feedOf([]*catalog.Talk{{Title: "no id"}}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := loadSample(t)
			needed := ix.NeedsRebuild()
			err := ix.Rebuild(tt.ctx, tt.feed)
			if err == nil {
				t.Fatal("Rebuild succeeded")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Rebuild: %v, want %v", err, tt.want)
			}
			if n, err := ix.DocCount(); err != nil || n != 8 {
				t.Errorf("old index: DocCount = %d, %v; want 8", n, err)
			}
			if ix.NeedsRebuild() != needed {
				t.Errorf("NeedsRebuild changed to %v by a failed rebuild", ix.NeedsRebuild())
			}
			if _, err := os.Stat(ix.path + newSuffix); !os.IsNotExist(err) {
				t.Errorf("%s left behind (%v)", ix.path+newSuffix, err)
			}
			// Applying after a failed rebuild is not captured for a later one.
			if err := ix.Apply(context.Background(), nil, []int64{1}); err != nil {
				t.Fatal(err)
			}
			if len(ix.pending) != 0 || ix.capturing {
				t.Errorf("still capturing changes after a failed rebuild")
			}
		})
	}
}

func TestRebuildAfterCloseFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.bleve")
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Rebuild(context.Background(), feedOf(sampleTalks())); err == nil {
		t.Error("Rebuild of a closed index succeeded")
	}
	if err := ix.Apply(context.Background(), sampleTalks(), nil); err == nil {
		t.Error("Apply to a closed index succeeded")
	}
	req := catalog.SearchRequest{}
	_ = req.Normalize()
	if _, err := ix.Search(context.Background(), req); err == nil {
		t.Error("Search of a closed index succeeded")
	}
}
