package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestStartOffsetRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	tests := []struct {
		name       string
		start      string // RFC 3339, "" for no start
		wantOffset int
	}{
		{"plus one hour", "2017-11-23T13:15:00+01:00", 3600},
		{"minus five thirty", "2021-06-01T08:00:00-05:30", -5*3600 - 1800},
		{"utc", "2019-01-01T00:00:00Z", 0},
		{"sub-second", "2020-02-29T23:59:59.25+13:00", 13 * 3600},
		{"no start", "", 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := synthTalks(i, 1)[0]
			tk.Start, tk.Year = time.Time{}, 2000
			if tt.start != "" {
				start, err := time.Parse(time.RFC3339Nano, tt.start)
				if err != nil {
					t.Fatal(err)
				}
				tk.Start = start
			}
			mustUpsert(t, s, []*catalog.Talk{tk})
			got, err := s.FindTalkByID(ctx, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tt.start == "" {
				if !got.Start.IsZero() {
					t.Fatalf("start = %v, want zero", got.Start)
				}
				return
			}
			if f := got.Start.Format(time.RFC3339Nano); f != tt.start {
				t.Errorf("start = %s, want %s", f, tt.start)
			}
			if _, off := got.Start.Zone(); off != tt.wantOffset {
				t.Errorf("offset = %d, want %d", off, tt.wantOffset)
			}
			if !got.Start.Equal(tk.Start) {
				t.Errorf("instant %v, want %v", got.Start, tk.Start)
			}
		})
	}
}

func TestFindTalkIsCompleteRecord(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := fixtureTalks(t)
	rep := mustUpsert(t, s, talks)
	if rep.Inserted != len(talks) {
		t.Fatalf("report %+v", rep)
	}
	for _, want := range talks {
		got, err := s.FindTalkByID(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := recordJSON(t, got), recordJSON(t, want); a != b {
			t.Errorf("record differs:\n got %s\nwant %s", a, b)
		}
		if got.Speakers == nil || got.Tags == nil || got.Links == nil {
			t.Errorf("talk %d has nil slices", got.ID)
		}
	}
	// The fourth record has no key of its own: its canonical URL is one.
	if got := talks[3].Source.Key; got != "url:https://othercon.example.com/2021/lightning" {
		t.Errorf("derived source key %q", got)
	}
}

func TestTalksByIDs(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 30)
	mustUpsert(t, s, talks)
	if err := s.SetRating(ctx, talks[4].ID, 5); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ids  []int64
		want []int64
	}{
		{"none", nil, nil},
		{"some with missing and duplicates", []int64{talks[4].ID, 999999, talks[9].ID, talks[4].ID, -1}, []int64{talks[4].ID, talks[9].ID}},
		{"all", func() []int64 {
			var ids []int64
			for _, tk := range talks {
				ids = append(ids, tk.ID)
			}
			return ids
		}(), func() []int64 {
			var ids []int64
			for _, tk := range talks {
				ids = append(ids, tk.ID)
			}
			return ids
		}()},
	}
	byID := map[int64]*catalog.Talk{}
	for _, tk := range talks {
		byID[tk.ID] = tk
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.TalksByIDs(ctx, tt.ids)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != len(tt.want) {
				t.Fatalf("got %d talks, want %d", len(got), len(tt.want))
			}
			for _, id := range tt.want {
				tk, ok := got[id]
				if !ok {
					t.Fatalf("id %d missing", id)
				}
				want := *byID[id]
				if id == talks[4].ID {
					want.Rating = 5
				}
				if a, b := recordJSON(t, tk), recordJSON(t, &want); a != b {
					t.Errorf("record differs:\n got %s\nwant %s", a, b)
				}
			}
		})
	}
	// Every call, whatever its number of ids, ran the two statements
	// prepared at open.
	for _, text := range talkQueries(listedIDs) {
		if _, ok := s.readStmts.byText[text]; !ok {
			t.Errorf("not prepared at open: %.60s…", text)
		}
	}
}

func TestEachTalkCompleteAndOrdered(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	// More than two pages, so page boundaries are crossed.
	n := 2*talkPageSize + 37
	talks := synthTalks(0, n)
	for start := 0; start < n; start += 300 {
		mustUpsert(t, s, talks[start:min(start+300, n)])
	}
	if err := s.SetNote(ctx, talks[talkPageSize].ID, "on a page boundary"); err != nil {
		t.Fatal(err)
	}
	talks[talkPageSize].Note = "on a page boundary"
	if err := s.SetWatched(ctx, talks[n-1].ID, true); err != nil {
		t.Fatal(err)
	}
	talks[n-1].Watched, talks[n-1].Watch = true, catalog.WatchWatched

	var seen []*catalog.Talk
	err := s.EachTalk(ctx, func(tk *catalog.Talk) error {
		seen = append(seen, tk)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Fatalf("EachTalk saw %d talks, want %d", len(seen), n)
	}
	for i, tk := range seen {
		if i > 0 && tk.ID <= seen[i-1].ID {
			t.Fatalf("talk %d (id %d) after id %d: not in id order", i, tk.ID, seen[i-1].ID)
		}
		if a, b := recordJSON(t, tk), recordJSON(t, talks[i]); a != b {
			t.Fatalf("talk %d differs:\n got %s\nwant %s", i, a, b)
		}
	}

	stop := errors.New("stop")
	calls := 0
	err = s.EachTalk(ctx, func(*catalog.Talk) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("EachTalk with failing fn: err %v after %d calls, want stop after 3", err, calls)
	}
}

func TestListSeriesAndEvents(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := fixtureTalks(t)
	mustUpsert(t, s, talks)

	series, err := s.ListSeries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type sc struct {
		name          string
		events, talks int
	}
	var gotSeries []sc
	for _, sr := range series {
		gotSeries = append(gotSeries, sc{sr.Name, sr.EventCount, sr.TalkCount})
	}
	wantSeries := []sc{{"Example NOG", 2, 3}, {"Other Con", 1, 1}}
	if len(gotSeries) != len(wantSeries) || gotSeries[0] != wantSeries[0] || gotSeries[1] != wantSeries[1] {
		t.Errorf("series = %+v, want %+v", gotSeries, wantSeries)
	}

	tests := []struct {
		name   string
		filter catalog.EventFilter
		want   []string // event names, newest first
	}{
		{"all", catalog.EventFilter{}, []string{"ExNOG 8", "ExNOG 7", "OtherCon 2021"}},
		{"series ignores case", catalog.EventFilter{Series: "example nog"}, []string{"ExNOG 8", "ExNOG 7"}},
		{"year", catalog.EventFilter{Year: 2019}, []string{"ExNOG 7"}},
		{"series and year", catalog.EventFilter{Series: "EXAMPLE NOG", Year: 2020}, []string{"ExNOG 8"}},
		{"unknown series", catalog.EventFilter{Series: "nope"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := s.ListEvents(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if events == nil {
				t.Fatal("nil slice")
			}
			var names []string
			for _, ev := range events {
				names = append(names, ev.Name)
			}
			if len(names) != len(tt.want) {
				t.Fatalf("events = %q, want %q", names, tt.want)
			}
			for i := range names {
				if names[i] != tt.want[i] {
					t.Fatalf("events = %q, want %q", names, tt.want)
				}
			}
		})
	}
	ev, err := s.FindEventByID(ctx, talks[2].EventID)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Name != "ExNOG 8" || ev.Year != 2020 || ev.TalkCount != 1 || ev.Series != "Example NOG" {
		t.Errorf("event = %+v", ev)
	}
}

// More readers than the pool has connections, each in a transaction that
// runs prepared statements, all get their talks: none waits for a
// connection another holds.
func TestConcurrentReadersShareThePool(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	talks := synthTalks(0, 50)
	mustUpsert(t, s, talks)
	readers := 4 * max(4, 2*runtime.NumCPU()) // four times the pool
	errs := make(chan error, readers)
	for r := range readers {
		go func() {
			talk := talks[r%len(talks)]
			got, err := s.FindTalkByID(ctx, talk.ID)
			if err == nil && got.Title != talk.Title {
				err = fmt.Errorf("talk %d: title %q, want %q", talk.ID, got.Title, talk.Title)
			}
			if err == nil {
				var byID map[int64]*catalog.Talk
				byID, err = s.TalksByIDs(ctx, []int64{talk.ID, talks[(r+1)%len(talks)].ID})
				if err == nil && len(byID) != 2 {
					err = fmt.Errorf("%d talks by id, want 2", len(byID))
				}
			}
			errs <- err
		}()
	}
	// A deadlock shows as readers that never report.
	watchdog := time.After(time.Minute)
	for range readers {
		select {
		case err := <-errs:
			if err != nil {
				t.Error(err)
			}
		case <-watchdog:
			// Not t.Fatal: closing the store at cleanup would wait for
			// the stuck readers too, and the message would never show.
			panic("readers still waiting after a minute: the connection pool is deadlocked")
		}
	}
}
