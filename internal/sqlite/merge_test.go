package sqlite

import (
	"context"
	"slices"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestOtherSourceOnlyFillsGaps: the same talk from another export (same
// source key, other source name) fills what the stored record lacks and
// never strips what it has; its own source stays authoritative.
func TestOtherSourceOnlyFillsGaps(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	rich := func() *catalog.Talk {
		return &catalog.Talk{Series: "DemoCon", Event: "DemoCon 2022", Title: "Shared Talk",
			Abstract: "A long abstract with every detail of the talk.", Track: "Routing", Language: "en",
			Speakers: []catalog.Speaker{{Name: "Ada Example"}},
			Links:    []catalog.Link{{Kind: catalog.LinkPage, URL: "https://demo.example/talk/ABC/"}},
			Source:   catalog.Source{Name: "frab", Key: "pretalx:demo:ABC"}}
	}
	poor := func() *catalog.Talk {
		return &catalog.Talk{Series: "DemoCon", Event: "DemoCon 2022", Title: "Shared Talk",
			Abstract: "A long abstract.", Room: "Hall 1",
			Speakers: []catalog.Speaker{{Name: "Ada Example", Affiliation: "Example Networks"}},
			Links:    []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://video.example/abc"}},
			Source:   catalog.Source{Name: "ics", Key: "pretalx:demo:ABC"}}
	}
	upsert := func(talk *catalog.Talk) catalog.ImportReport {
		t.Helper()
		rep, err := s.UpsertTalks(ctx, []*catalog.Talk{talk})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := rich()
	upsert(first)
	if rep := upsert(poor()); rep.Updated != 1 {
		t.Fatalf("the other export filled nothing: %+v", rep)
	}
	got, err := s.FindTalkByID(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Track != "Routing" || got.Language != "en" || got.Abstract != rich().Abstract || got.Source.Name != "frab" {
		t.Errorf("the poorer export stripped the record: %+v", got)
	}
	if got.Room != "Hall 1" || got.Speakers[0].Affiliation != "Example Networks" || len(got.Links) != 2 {
		t.Errorf("gaps not filled: room %q, speakers %+v, links %+v", got.Room, got.Speakers, got.Links)
	}
	if rep := upsert(poor()); rep.Unchanged != 1 {
		t.Errorf("re-importing the other export again: %+v", rep)
	}
	// The talk's own source still updates it outright.
	changed := rich()
	changed.Track = "Operations"
	changed.Links = nil
	upsert(changed)
	got, _ = s.FindTalkByID(ctx, first.ID)
	if got.Track != "Operations" || slices.ContainsFunc(got.Links, func(l catalog.Link) bool { return l.Kind == catalog.LinkVideo }) {
		t.Errorf("the talk's own source did not update it: track %q links %+v", got.Track, got.Links)
	}
}
