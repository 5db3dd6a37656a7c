package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestPersonalDataSurvivesReupsert(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 3)
	mustUpsert(t, s, talks)
	id := talks[1].ID
	if err := s.SetRating(ctx, id, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, id, "# Mine\nkeep this"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatched(ctx, id, true); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		change func(*catalog.Talk)
		want   [4]int
	}{
		{"unchanged", func(*catalog.Talk) {}, [4]int{0, 0, 3, 0}},
		{"source fields changed", func(tk *catalog.Talk) {
			tk.Title = "Renamed by the source"
			tk.Speakers = []catalog.Speaker{{Name: "Someone Else"}}
			tk.Tags = nil
			tk.Links = nil
		}, [4]int{0, 1, 2, 0}},
		{"moved to another event", func(tk *catalog.Talk) { tk.Event = "Event 39" }, [4]int{0, 1, 2, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			again := synthTalks(0, 3)
			tt.change(again[1])
			rep := mustUpsert(t, s, again)
			if got := counts(rep); got != tt.want {
				t.Fatalf("counts = %v, want %v", got, tt.want)
			}
			if again[1].ID != id {
				t.Fatalf("talk id changed from %d to %d", id, again[1].ID)
			}
			got, err := s.FindTalkByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rating != 5 || got.Note != "# Mine\nkeep this" || !got.Watched {
				t.Errorf("personal data after re-upsert: rating %d note %q watched %v", got.Rating, got.Note, got.Watched)
			}
			if got.Title != again[1].Title || got.Event != again[1].Event {
				t.Errorf("source fields not updated: %q / %q", got.Title, got.Event)
			}
		})
	}
}

func TestImportFillsPersonalDataNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		before     func(s *Store, id int64) error // the user's own actions
		imported   catalog.Talk                   // personal fields of the re-imported record
		want       catalog.Talk                   // personal fields afterwards
		wantCounts [4]int
		wantOutbox int
	}{
		{"fills all when empty", nil,
			catalog.Talk{Rating: 4, Note: "from export", Watched: true},
			catalog.Talk{Rating: 4, Note: "from export", Watched: true}, [4]int{0, 1, 0, 0}, 1},
		{"keeps existing rating, fills note", func(s *Store, id int64) error { return s.SetRating(ctx, id, 2) },
			catalog.Talk{Rating: 4, Note: "from export"},
			catalog.Talk{Rating: 2, Note: "from export"}, [4]int{0, 1, 0, 0}, 1},
		{"keeps everything the user set", func(s *Store, id int64) error {
			if err := s.SetRating(ctx, id, 1); err != nil {
				return err
			}
			if err := s.SetNote(ctx, id, "mine"); err != nil {
				return err
			}
			return s.SetWatched(ctx, id, false)
		},
			catalog.Talk{Rating: 4, Note: "from export", Watched: true},
			catalog.Talk{Rating: 1, Note: "mine", Watched: false}, [4]int{0, 0, 1, 0}, 0},
		{"cleared rating and note stay cleared", func(s *Store, id int64) error {
			if err := s.SetRating(ctx, id, 3); err != nil {
				return err
			}
			if err := s.ClearRating(ctx, id); err != nil {
				return err
			}
			if err := s.SetNote(ctx, id, "old"); err != nil {
				return err
			}
			return s.SetNote(ctx, id, "  ")
		},
			catalog.Talk{Rating: 3, Note: "old"},
			catalog.Talk{}, [4]int{0, 0, 1, 0}, 0},
		{"blank imported note is no note", nil,
			catalog.Talk{Note: " \n "},
			catalog.Talk{}, [4]int{0, 0, 1, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			tk := synthTalks(0, 1)[0]
			mustUpsert(t, s, []*catalog.Talk{tk})
			if tt.before != nil {
				if err := tt.before(s, tk.ID); err != nil {
					t.Fatal(err)
				}
			}
			outbox := outboxLen(t, s)
			again := synthTalks(0, 1)[0]
			again.Rating, again.Note, again.Watched = tt.imported.Rating, tt.imported.Note, tt.imported.Watched
			rep := mustUpsert(t, s, []*catalog.Talk{again})
			if got := counts(rep); got != tt.wantCounts {
				t.Errorf("counts = %v, want %v", got, tt.wantCounts)
			}
			if got := outboxLen(t, s) - outbox; got != tt.wantOutbox {
				t.Errorf("outbox grew by %d, want %d", got, tt.wantOutbox)
			}
			got, err := s.FindTalkByID(ctx, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rating != tt.want.Rating || got.Note != tt.want.Note || got.Watched != tt.want.Watched {
				t.Errorf("personal = (%d, %q, %v), want (%d, %q, %v)",
					got.Rating, got.Note, got.Watched, tt.want.Rating, tt.want.Note, tt.want.Watched)
			}
		})
	}
}

func TestPersonalWritesRejectBadInput(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 1)
	mustUpsert(t, s, talks)
	id := talks[0].ID
	if err := s.SetRating(ctx, id, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, id, "original"); err != nil {
		t.Fatal(err)
	}
	const missing = 987654
	tests := []struct {
		name     string
		call     func() error
		code     string
		contains string
	}{
		{"rating 0", func() error { return s.SetRating(ctx, id, 0) }, catalog.EINVALID, "rating 0 is out of range 1..5"},
		{"rating 6", func() error { return s.SetRating(ctx, id, 6) }, catalog.EINVALID, "rating 6 is out of range 1..5"},
		{"note over 64 KiB", func() error { return s.SetNote(ctx, id, strings.Repeat("é", catalog.MaxNoteBytes/2+1)) }, catalog.EINVALID, "limit is 65536 bytes"},
		{"rate unknown talk", func() error { return s.SetRating(ctx, missing, 4) }, catalog.ENOTFOUND, "talk 987654 not found"},
		{"clear rating of unknown talk", func() error { return s.ClearRating(ctx, missing) }, catalog.ENOTFOUND, "talk 987654 not found"},
		{"note on unknown talk", func() error { return s.SetNote(ctx, missing, "x") }, catalog.ENOTFOUND, "talk 987654 not found"},
		{"watch unknown talk", func() error { return s.SetWatched(ctx, missing, true) }, catalog.ENOTFOUND, "talk 987654 not found"},
		{"find unknown talk", func() error { _, err := s.FindTalkByID(ctx, missing); return err }, catalog.ENOTFOUND, "talk 987654 not found"},
		{"find unknown event", func() error { _, err := s.FindEventByID(ctx, missing); return err }, catalog.ENOTFOUND, "event 987654 not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outbox := outboxLen(t, s)
			err := tt.call()
			wantCode(t, err, tt.code)
			if msg := catalog.ErrorMessage(err); !strings.Contains(msg, tt.contains) {
				t.Errorf("message %q does not contain %q", msg, tt.contains)
			}
			if got := outboxLen(t, s); got != outbox {
				t.Errorf("outbox %d -> %d; a rejected call wrote", outbox, got)
			}
			for table, want := range map[string]int{"ratings": 1, "notes": 1, "watch": 0, "note_revisions": 0} {
				if got := countRows(t, s, table); got != want {
					t.Errorf("%s rows = %d, want %d", table, got, want)
				}
			}
			got, err := s.FindTalkByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rating != 3 || got.Note != "original" {
				t.Errorf("personal data changed: rating %d note %q", got.Rating, got.Note)
			}
		})
	}
}

func TestPersonalWritesRecordOutboxAndNoteHistory(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 2)
	mustUpsert(t, s, talks)
	if err := s.AckIndexChanges(ctx, 1<<62); err != nil {
		t.Fatal(err)
	}
	id := talks[1].ID
	steps := []struct {
		name      string
		do        func() error
		want      catalog.Talk
		revisions []string
	}{
		{"rate", func() error { return s.SetRating(ctx, id, 4) }, catalog.Talk{Rating: 4}, nil},
		{"re-rate", func() error { return s.SetRating(ctx, id, 2) }, catalog.Talk{Rating: 2}, nil},
		{"note", func() error { return s.SetNote(ctx, id, "first") }, catalog.Talk{Rating: 2, Note: "first"}, nil},
		{"same note again", func() error { return s.SetNote(ctx, id, "first") }, catalog.Talk{Rating: 2, Note: "first"}, nil},
		{"overwrite note", func() error { return s.SetNote(ctx, id, "second") }, catalog.Talk{Rating: 2, Note: "second"}, []string{"first"}},
		{"clear note", func() error { return s.SetNote(ctx, id, "") }, catalog.Talk{Rating: 2}, []string{"first", "second"}},
		{"watch", func() error { return s.SetWatched(ctx, id, true) }, catalog.Talk{Rating: 2, Watched: true}, []string{"first", "second"}},
		{"unwatch", func() error { return s.SetWatched(ctx, id, false) }, catalog.Talk{Rating: 2}, []string{"first", "second"}},
		{"clear rating", func() error { return s.ClearRating(ctx, id) }, catalog.Talk{}, []string{"first", "second"}},
		{"clear rating again", func() error { return s.ClearRating(ctx, id) }, catalog.Talk{}, []string{"first", "second"}},
	}
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := s.FindTalkByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rating != st.want.Rating || got.Note != st.want.Note || got.Watched != st.want.Watched {
			t.Errorf("%s: personal = (%d, %q, %v), want (%d, %q, %v)", st.name,
				got.Rating, got.Note, got.Watched, st.want.Rating, st.want.Note, st.want.Watched)
		}
		var revs []string
		rows, err := s.reader.Query(`SELECT body FROM note_revisions WHERE talk_id = ? ORDER BY id`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b string
			rows.Scan(&b)
			revs = append(revs, b)
		}
		rows.Close()
		if strings.Join(revs, "|") != strings.Join(st.revisions, "|") {
			t.Errorf("%s: revisions %q, want %q", st.name, revs, st.revisions)
		}
		changes, err := s.PendingIndexChanges(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != i+1 || changes[i].TalkID != id {
			t.Fatalf("%s: outbox %+v, want %d rows ending with talk %d", st.name, changes, i+1, id)
		}
	}
	stats, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Rated != 0 || stats.Noted != 0 || stats.Watched != 0 {
		t.Errorf("stats count cleared data: %+v", stats)
	}
}
