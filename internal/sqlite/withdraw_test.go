package sqlite

import (
	"context"
	"slices"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func scrapedTalk(event, title, source string) *catalog.Talk {
	return &catalog.Talk{
		Series: "DENOG", Event: event, Year: 2017, Title: title,
		Speakers: []catalog.Speaker{{Name: "Ada Lovelace"}},
		Source:   catalog.Source{Name: source, Key: source + ":" + event + ":" + catalog.NormalizeTitle(title)},
	}
}

func TestWithdrawMissing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	page := []*catalog.Talk{
		scrapedTalk("DENOG9", "Peering DB Update", "denog"),
		scrapedTalk("DENOG9", "IPv6 Only", "denog"),
		scrapedTalk("DENOG9", "RPKI in Practice", "denog"),
		scrapedTalk("DENOG10", "Elsewhere", "denog"),     // another event
		scrapedTalk("DENOG9", "Imported By Hand", "ics"), // another source
	}
	mustUpsert(t, s, page)
	gone := page[1]
	if err := s.SetRating(ctx, gone.ID, 4); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNote(ctx, gone.ID, "watch again"); err != nil {
		t.Fatal(err)
	}
	before := outboxLen(t, s)

	withdrawn, err := s.WithdrawMissing(ctx, "DENOG", "DENOG9", "denog", []string{page[0].Source.Key, page[2].Source.Key})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(withdrawn, []string{"IPv6 Only"}) {
		t.Fatalf("withdrawn %q, want [IPv6 Only]", withdrawn)
	}
	if got := outboxLen(t, s); got != before+1 {
		t.Errorf("outbox grew by %d, want 1", got-before)
	}
	if n := countRows(t, s, "talks"); n != len(page) {
		t.Errorf("%d talks after withdrawing, want all %d kept", n, len(page))
	}
	got, err := s.FindTalkByID(ctx, gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Withdrawn || got.Rating != 4 || got.Note != "watch again" {
		t.Errorf("withdrawn talk: withdrawn=%v rating=%d note=%q; want withdrawn with its rating and note", got.Withdrawn, got.Rating, got.Note)
	}
	for _, other := range []*catalog.Talk{page[0], page[3], page[4]} {
		o, err := s.FindTalkByID(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Withdrawn {
			t.Errorf("%q (%s, %s) was withdrawn", o.Title, o.Event, o.Source.Name)
		}
	}

	// Only talks newly missing are reported; withdrawn ones stay withdrawn.
	again, err := s.WithdrawMissing(ctx, "DENOG", "DENOG9", "denog", []string{page[0].Source.Key})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, []string{"RPKI in Practice"}) {
		t.Errorf("second withdraw returned %q, want only the newly missing talk", again)
	}

	keys, err := s.EventTalkKeys(ctx, "DENOG", "DENOG9", "denog")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{page[0].Source.Key: false, page[1].Source.Key: true, page[2].Source.Key: true}
	if len(keys) != len(want) {
		t.Errorf("EventTalkKeys = %v, want %v", keys, want)
	}
	for k, w := range want {
		if g, ok := keys[k]; !ok || g != w {
			t.Errorf("EventTalkKeys[%q] = %v, %v; want %v", k, g, ok, w)
		}
	}
	titles, err := s.EventTalkTitles(ctx, "DENOG", "DENOG9", "denog")
	if err != nil {
		t.Fatal(err)
	}
	if len(titles) != 1 || titles[page[0].Source.Key] != "Peering DB Update" {
		t.Errorf("EventTalkTitles = %v, want only the talk still listed", titles)
	}

	// The page lists the talk again: the upsert brings it back, with the
	// user's data untouched.
	rep := mustUpsert(t, s, []*catalog.Talk{scrapedTalk("DENOG9", "IPv6 Only", "denog")})
	if rep.Updated != 1 {
		t.Errorf("re-upserting a withdrawn talk: %+v, want 1 updated", rep)
	}
	back, err := s.FindTalkByID(ctx, gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Withdrawn || back.Rating != 4 || back.Note != "watch again" {
		t.Errorf("reappeared talk: withdrawn=%v rating=%d note=%q", back.Withdrawn, back.Rating, back.Note)
	}
	// And once back, an identical upsert is unchanged again.
	if rep := mustUpsert(t, s, []*catalog.Talk{scrapedTalk("DENOG9", "IPv6 Only", "denog")}); rep.Unchanged != 1 {
		t.Errorf("second re-upsert: %+v, want 1 unchanged", rep)
	}
}

func TestWithdrawMissingRefusesEmptyKeep(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	tk := scrapedTalk("DENOG9", "Peering DB Update", "denog")
	mustUpsert(t, s, []*catalog.Talk{tk})
	_, err := s.WithdrawMissing(ctx, "DENOG", "DENOG9", "denog", nil)
	wantCode(t, err, catalog.EINVALID)
	got, err := s.FindTalkByID(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Withdrawn {
		t.Error("an empty keep list withdrew the talk")
	}
}
