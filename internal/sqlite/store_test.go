package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestOutboxPendingAndAck(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if seq, err := s.LastIndexSeq(ctx); err != nil || seq != 0 {
		t.Fatalf("LastIndexSeq on empty outbox = %d, %v", seq, err)
	}
	talks := synthTalks(0, 5)
	mustUpsert(t, s, talks)

	all, err := s.PendingIndexChanges(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 {
		t.Fatalf("pending = %+v, want 5 rows", all)
	}
	for i, c := range all {
		if c.TalkID != talks[i].ID || (i > 0 && c.Seq <= all[i-1].Seq) {
			t.Fatalf("pending = %+v, want talks in insert order, oldest first", all)
		}
	}
	first2, err := s.PendingIndexChanges(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(first2) != 2 || first2[1] != all[1] {
		t.Fatalf("limit 2 = %+v", first2)
	}
	last, err := s.LastIndexSeq(ctx)
	if err != nil || last != all[4].Seq {
		t.Fatalf("LastIndexSeq = %d, %v; want %d", last, err, all[4].Seq)
	}

	if err := s.AckIndexChanges(ctx, first2[1].Seq); err != nil {
		t.Fatal(err)
	}
	rest, err := s.PendingIndexChanges(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 3 || rest[0] != all[2] {
		t.Fatalf("after ack = %+v, want the last 3", rest)
	}
	if err := s.AckIndexChanges(ctx, last); err != nil {
		t.Fatal(err)
	}
	if seq, _ := s.LastIndexSeq(ctx); seq != 0 {
		t.Fatalf("LastIndexSeq after acking all = %d, want 0", seq)
	}
	// Seqs are never reused, so an index that remembers the last applied seq
	// cannot mistake a new change for an old one.
	if err := s.SetRating(ctx, talks[0].ID, 3); err != nil {
		t.Fatal(err)
	}
	next, err := s.PendingIndexChanges(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 1 || next[0].Seq <= last || next[0].TalkID != talks[0].ID {
		t.Fatalf("after new write = %+v, want one row with seq > %d", next, last)
	}
	stats, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.IndexPending != 1 {
		t.Errorf("IndexPending = %d, want 1", stats.IndexPending)
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := fixtureTalks(t) // the fourth carries rating, note and watched
	mustUpsert(t, s, talks)
	if err := s.SetRating(ctx, talks[0].ID, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.SetWatched(ctx, talks[1].ID, false); err != nil {
		t.Fatal(err)
	}
	got, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := catalog.Stats{Series: 2, Events: 3, Talks: 4, Speakers: 3, Rated: 2, Noted: 1, Watched: 1, IndexPending: 6}
	if *got != want {
		t.Errorf("stats = %+v, want %+v", *got, want)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 120)
	mustUpsert(t, s, talks)
	if err := s.SetNote(ctx, talks[7].ID, "backed up"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "backup.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	want, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}

	b, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	if err := b.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := b.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *want {
		t.Errorf("backup stats %+v, want %+v", *got, *want)
	}
	tk, err := b.FindTalkByID(ctx, talks[7].ID)
	if err != nil || tk.Note != "backed up" {
		t.Errorf("backup talk = %+v, %v", tk, err)
	}

	tests := []struct {
		name string
		prep func(path string)
		code string
	}{
		{"existing backup", func(string) {}, catalog.ECONFLICT},
		{"existing empty file", func(p string) { os.WriteFile(p, nil, 0o644) }, catalog.ECONFLICT},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := path
			if i > 0 {
				p = filepath.Join(dir, fmt.Sprintf("other%d.db", i))
				tt.prep(p)
			}
			before, _ := os.ReadFile(p)
			err := s.Backup(ctx, p)
			wantCode(t, err, tt.code)
			after, _ := os.ReadFile(p)
			if string(before) != string(after) {
				t.Error("refused backup changed the existing file")
			}
		})
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Errorf("integrity of the live database: %v", err)
	}
}

func TestConcurrentReadsDuringWrites(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 40)
	mustUpsert(t, s, talks)
	ids := make([]int64, 20)
	for i := range ids {
		ids[i] = talks[i*2].ID
	}

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	done := make(chan struct{})
	wg.Add(1)
	go func() { // writer: imports and personal writes
		defer wg.Done()
		defer close(done)
		for round := range 10 {
			batch := synthTalks(round*4, 4)
			for _, tk := range batch {
				tk.Abstract = fmt.Sprintf("round %d", round)
			}
			batch = append(batch, synthTalks(1000+round*2, 2)...)
			if _, err := s.UpsertTalks(ctx, batch); err != nil {
				errs <- fmt.Errorf("upsert round %d: %w", round, err)
				return
			}
			if err := s.SetRating(ctx, ids[round], 1+round%5); err != nil {
				errs <- err
				return
			}
		}
	}()
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reads := 0; ; reads++ {
				select {
				case <-done:
					if reads > 0 {
						return
					}
				default:
				}
				var err error
				switch g {
				case 0:
					var got map[int64]*catalog.Talk
					got, err = s.TalksByIDs(ctx, ids)
					if err == nil && len(got) != len(ids) {
						err = fmt.Errorf("TalksByIDs returned %d of %d", len(got), len(ids))
					}
				case 1:
					_, err = s.Stats(ctx)
				case 2:
					_, err = s.PendingIndexChanges(ctx, 100)
				}
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", g, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := countRows(t, s, "talks"); got != 40+10*2 {
		t.Errorf("talks = %d, want %d", got, 40+10*2)
	}
}

func TestOpenRejectsBadPath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
	}{
		{"empty", ""},
		{"query character", filepath.Join(dir, "what?.db")},
		{"parent is a file", filepath.Join(dir, "file", "talkdex.db")},
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, tt.path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tt.path)
			}
		})
	}
}
