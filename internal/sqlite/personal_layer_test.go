package sqlite

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestAppendNoteOnceAndNeverOverwrites: an imported part is appended below
// the user's note, the old body goes into the history marked with its
// source, and running the same import again appends nothing.
func TestAppendNoteOnceAndNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 2)
	mustUpsert(t, s, talks)
	id := talks[0].ID
	if err := s.SetNote(ctx, id, "my own words"); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		appended, err := s.AppendNote(ctx, id, "- from the blog", "notes import: post.txt")
		if err != nil {
			t.Fatal(err)
		}
		if appended != (run == 0) {
			t.Errorf("run %d: appended = %v", run, appended)
		}
	}
	got, err := s.FindTalkByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Note != "my own words\n\n- from the blog" {
		t.Errorf("note %q", got.Note)
	}
	h, err := s.NoteHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Revisions) != 1 || h.Revisions[0].Body != "my own words" || h.Revisions[0].Source != "notes import: post.txt" {
		t.Errorf("history %+v", h.Revisions)
	}
	// A part too long for the note is refused whole.
	if _, err := s.AppendNote(ctx, id, strings.Repeat("x", catalog.MaxNoteBytes), "big"); catalog.ErrorCode(err) != catalog.EINVALID {
		t.Errorf("oversized append: %v", err)
	}
	if _, err := s.AppendNote(ctx, 999999, "x", "src"); catalog.ErrorCode(err) != catalog.ENOTFOUND {
		t.Errorf("append to unknown talk: %v", err)
	}
}

// TestImportFillsNewPersonalFields: an export carries the watch list, its
// dates and personal tags; importing it into a talk that has none fills
// them, and never replaces what the talk has.
func TestImportFillsNewPersonalFields(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 2)
	mustUpsert(t, s, talks)

	watchedAt := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	fromExport := synthTalks(0, 2)
	fromExport[0].Watch, fromExport[0].WatchedAt = catalog.WatchWatched, watchedAt
	fromExport[0].MyTags = []string{"keep", "share"}
	fromExport[1].Watch = catalog.WatchToWatch
	fromExport[1].MyTags = []string{"imported"}
	if err := s.AddMyTags(ctx, talks[1].ID, []string{"mine"}); err != nil {
		t.Fatal(err)
	}
	mustUpsert(t, s, fromExport)

	first, _ := s.FindTalkByID(ctx, talks[0].ID)
	if first.Watch != catalog.WatchWatched || !first.WatchedAt.Equal(watchedAt) || !slices.Equal(first.MyTags, []string{"keep", "share"}) {
		t.Errorf("first talk: watch %q at %v tags %v", first.Watch, first.WatchedAt, first.MyTags)
	}
	second, _ := s.FindTalkByID(ctx, talks[1].ID)
	if second.Watch != catalog.WatchToWatch || !slices.Equal(second.MyTags, []string{"mine"}) {
		t.Errorf("second talk: watch %q tags %v; its own tag must win over the import's", second.Watch, second.MyTags)
	}
}
