package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestUpsertCounts(t *testing.T) {
	s := openStore(t)
	steps := []struct {
		name       string
		talks      func() []*catalog.Talk
		want       [4]int // inserted, updated, unchanged, skipped
		wantOutbox int    // rows added by this step
	}{
		{"empty call", func() []*catalog.Talk { return nil }, [4]int{0, 0, 0, 0}, 0},
		{"insert new", func() []*catalog.Talk { return synthTalks(0, 10) }, [4]int{10, 0, 0, 0}, 10},
		{"same records again", func() []*catalog.Talk { return synthTalks(0, 10) }, [4]int{0, 0, 10, 0}, 0},
		{"two changed, one new", func() []*catalog.Talk {
			talks := synthTalks(0, 11)
			talks[3].Abstract = "A rewritten abstract."
			talks[7].Speakers = append(talks[7].Speakers, catalog.Speaker{Name: "Late Addition"})
			return talks
		}, [4]int{1, 2, 8, 0}, 3},
		{"whitespace-only differences normalise away", func() []*catalog.Talk {
			talks := synthTalks(0, 3)
			talks[0].Title = "  Talk number 0   about routing "
			talks[1].Tags = append(talks[1].Tags, "  ")
			return talks
		}, [4]int{0, 0, 3, 0}, 0},
		{"link order is content", func() []*catalog.Talk {
			talks := synthTalks(5, 1)
			talks[0].Links[0], talks[0].Links[1] = talks[0].Links[1], talks[0].Links[0]
			return talks
		}, [4]int{0, 1, 0, 0}, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := outboxLen(t, s)
			talks := st.talks()
			rep := mustUpsert(t, s, talks)
			if got := counts(rep); got != st.want {
				t.Fatalf("counts = %v, want %v (skips %+v)", got, st.want, rep.Skips)
			}
			if got := outboxLen(t, s) - before; got != st.wantOutbox {
				t.Errorf("outbox grew by %d, want %d", got, st.wantOutbox)
			}
			for _, tk := range talks {
				if tk.ID == 0 || tk.EventID == 0 {
					t.Fatalf("talk %q: ID %d EventID %d not set", tk.Title, tk.ID, tk.EventID)
				}
				got, err := s.FindTalkByID(context.Background(), tk.ID)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := recordJSON(t, got), recordJSON(t, tk); a != b {
					t.Fatalf("stored record differs from upserted one:\n got %s\nwant %s", a, b)
				}
			}
		})
	}
	if got, want := countRows(t, s, "talks"), 11; got != want {
		t.Errorf("talks = %d, want %d", got, want)
	}
}

func TestUpsertSkipsInvalidRecords(t *testing.T) {
	s := openStore(t)
	good := synthTalks(0, 2)
	noTitle := synthTalks(10, 1)[0]
	noTitle.Title = "   "
	noSeries := synthTalks(11, 1)[0]
	noSeries.Series = ""
	badRating := synthTalks(12, 1)[0]
	badRating.Rating = 6
	bigNote := synthTalks(13, 1)[0]
	bigNote.Note = strings.Repeat("x", catalog.MaxNoteBytes+1)

	rep := mustUpsert(t, s, []*catalog.Talk{good[0], noTitle, noSeries, nil, badRating, bigNote, good[1]})
	if got, want := counts(rep), [4]int{2, 0, 0, 5}; got != want {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	wantSkips := []catalog.Skip{
		{Ref: "synth:10", Reason: "talk has no title"},
		{Ref: "Talk number 11 about routing", Reason: `talk "Talk number 11 about routing" has no series`},
		{Ref: "record 4", Reason: "record is empty"},
		{Ref: "Talk number 12 about routing", Reason: `talk "Talk number 12 about routing" has rating 6; ratings are 1 to 5 stars`},
		{Ref: "Talk number 13 about routing", Reason: `talk "Talk number 13 about routing" has a note of 65537 bytes; the limit is 65536`},
	}
	if len(rep.Skips) != len(wantSkips) {
		t.Fatalf("skips = %+v", rep.Skips)
	}
	for i, w := range wantSkips {
		if rep.Skips[i] != w {
			t.Errorf("skip %d = %+v, want %+v", i, rep.Skips[i], w)
		}
	}
	for _, bad := range []*catalog.Talk{noTitle, noSeries, badRating, bigNote} {
		if bad.ID != 0 {
			t.Errorf("skipped talk %q got ID %d", bad.Title, bad.ID)
		}
	}
	// Nothing of the skipped records was written, not even their series,
	// speakers or personal data.
	for table, want := range map[string]int{"talks": 2, "talk_speakers": 4, "links": 4, "ratings": 0, "notes": 0, "index_outbox": 2} {
		if got := countRows(t, s, table); got != want {
			t.Errorf("%s rows = %d, want %d", table, got, want)
		}
	}
}

func TestUpsertDuplicateKeyLaterWins(t *testing.T) {
	s := openStore(t)
	earlier := synthTalks(0, 1)[0]
	later := synthTalks(0, 1)[0]
	later.Title = "The corrected title"
	rep := mustUpsert(t, s, []*catalog.Talk{earlier, later})
	if got, want := counts(rep), [4]int{1, 0, 0, 1}; got != want {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	if !strings.Contains(rep.Skips[0].Reason, "later record") {
		t.Errorf("skip reason %q does not explain the duplicate", rep.Skips[0].Reason)
	}
	if earlier.ID != later.ID || later.ID == 0 {
		t.Errorf("IDs: earlier %d, later %d; want both set to the one stored talk", earlier.ID, later.ID)
	}
	got, err := s.FindTalkByID(context.Background(), later.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "The corrected title" {
		t.Errorf("stored title %q, want the later record's", got.Title)
	}
}

func TestUpsertIsAllOrNothing(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	orig := synthTalks(0, 3)
	mustUpsert(t, s, orig)
	// A trigger stands in for any failure half-way through a call.
	if _, err := s.writer.Exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON talks WHEN NEW.title = 'boom'
		BEGIN SELECT RAISE(ABORT, 'boom refused'); END`); err != nil {
		t.Fatal(err)
	}
	before := map[string]int{}
	tables := []string{"talks", "series", "events", "speakers", "talk_speakers", "links", "tags", "talk_tags", "ratings", "index_outbox"}
	for _, table := range tables {
		before[table] = countRows(t, s, table)
	}
	batch := synthTalks(0, 3)
	batch[1].Abstract = "changed" // an update before the failure
	extra := synthTalks(100, 2)   // inserts in a new series/event before the failure
	extra[0].Series, extra[0].Event, extra[0].Rating = "Fresh Series", "Fresh Event", 5
	boom := synthTalks(200, 1)[0]
	boom.Title = "boom"
	batch = append(batch, extra[0], extra[1], boom)

	_, err := s.UpsertTalks(ctx, batch)
	if err == nil || !strings.Contains(err.Error(), "boom refused") {
		t.Fatalf("UpsertTalks = %v, want the trigger's error", err)
	}
	for _, table := range tables {
		if got := countRows(t, s, table); got != before[table] {
			t.Errorf("%s: %d rows after failed call, want %d", table, got, before[table])
		}
	}
	if extra[0].ID != 0 || batch[1].ID != 0 {
		t.Errorf("talks of a failed call got IDs %d, %d", extra[0].ID, batch[1].ID)
	}
	stored, err := s.FindTalkByID(ctx, orig[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Abstract != orig[1].Abstract {
		t.Errorf("abstract %q after failed call, want %q", stored.Abstract, orig[1].Abstract)
	}
}

func TestUpsertMaintainsEventsAndOrphans(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := fixtureTalks(t)
	mustUpsert(t, s, talks)

	ev, err := s.FindEventByID(ctx, talks[0].EventID)
	if err != nil {
		t.Fatal(err)
	}
	// ExNOG 7: first talk 10:30+01:00, last 14:00+01:00 for 45 minutes.
	if got := ev.Start.Format(time.RFC3339); got != "2019-03-05T10:30:00+01:00" {
		t.Errorf("event start %s", got)
	}
	if got := ev.End.Format(time.RFC3339); got != "2019-03-05T14:45:00+01:00" {
		t.Errorf("event end %s", got)
	}
	if ev.Year != 2019 || ev.TalkCount != 2 || ev.Series != "Example NOG" {
		t.Errorf("event = %+v", ev)
	}

	// A day-long workshop that starts first also ends last, in UTC.
	workshop := &catalog.Talk{Series: "Example NOG", Event: "ExNOG 7", Title: "Workshop",
		Start: time.Date(2019, 3, 5, 8, 0, 0, 0, time.UTC), DurationMinutes: 480}
	mustUpsert(t, s, []*catalog.Talk{workshop})
	if ev, err = s.FindEventByID(ctx, talks[0].EventID); err != nil {
		t.Fatal(err)
	}
	if got := ev.Start.Format(time.RFC3339) + " " + ev.End.Format(time.RFC3339); got != "2019-03-05T08:00:00Z 2019-03-05T16:00:00Z" {
		t.Errorf("event span with workshop %s", got)
	}

	// Move the only ExNOG 8 talk to a new series and drop its speaker: the
	// emptied event and the orphaned speaker go, the others stay.
	moved := fixtureTalks(t)[2]
	moved.Series, moved.Event, moved.Speakers = "Renamed NOG", "RNOG 1", nil
	rep := mustUpsert(t, s, []*catalog.Talk{moved})
	if rep.Updated != 1 || moved.ID != talks[2].ID {
		t.Fatalf("report %+v, id %d want %d", rep, moved.ID, talks[2].ID)
	}
	if _, err := s.FindEventByID(ctx, talks[2].EventID); catalog.ErrorCode(err) != catalog.ENOTFOUND {
		t.Errorf("emptied event still found: %v", err)
	}
	var n int
	s.reader.QueryRow(`SELECT COUNT(*) FROM speakers WHERE name = 'Cy Placeholder'`).Scan(&n)
	if n != 0 {
		t.Error("orphaned speaker kept")
	}
	s.reader.QueryRow(`SELECT COUNT(*) FROM speakers WHERE name = 'Bo Sample'`).Scan(&n)
	if n != 1 {
		t.Error("shared speaker removed")
	}
	series, err := s.ListSeries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sr := range series {
		names = append(names, sr.Name)
	}
	if got := strings.Join(names, ","); got != "Example NOG,Other Con,Renamed NOG" {
		t.Errorf("series = %s", got)
	}
}
