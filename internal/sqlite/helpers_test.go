package sqlite

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "data", "talkdex.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// fixtureTalks reads testdata/talks.jsonl, a few talk records in the
// canonical export format.
func fixtureTalks(t testing.TB) []*catalog.Talk {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "talks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var talks []*catalog.Talk
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var tk catalog.Talk
		if err := json.Unmarshal(sc.Bytes(), &tk); err != nil {
			t.Fatalf("testdata line %d: %v", len(talks)+1, err)
		}
		talks = append(talks, &tk)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return talks
}

// synthTalks builds n distinct talks numbered from first, spread over a few
// series and events, with shared speakers and tags and assorted offsets.
func synthTalks(first, n int) []*catalog.Talk {
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -5*3600), time.FixedZone("", 10*3600+1800)}
	talks := make([]*catalog.Talk, n)
	for k := range n {
		i := first + k
		ev := i % 40
		talks[k] = &catalog.Talk{
			Series: fmt.Sprintf("Series %d", ev%5),
			Event:  fmt.Sprintf("Event %d", ev),
			Title:  fmt.Sprintf("Talk number %d about routing", i),
			Speakers: []catalog.Speaker{
				{Name: fmt.Sprintf("Speaker %d", i%3000), Affiliation: fmt.Sprintf("Org %d", i%97)},
				{Name: fmt.Sprintf("Speaker %d", (i+7)%3000)},
			},
			Abstract:        fmt.Sprintf("Abstract of talk %d. It covers BGP, IPv6 and operations at some length.", i),
			Start:           time.Date(2010+ev%14, time.Month(1+i%12), 1+i%28, 9+i%8, 0, 0, 0, zones[i%len(zones)]),
			DurationMinutes: 15 + i%4*15,
			Track:           "Main",
			Language:        "en",
			Tags:            []string{fmt.Sprintf("tag%d", i%50), fmt.Sprintf("tag%d", (i+1)%50)},
			Links: []catalog.Link{
				{Kind: catalog.LinkVideo, URL: fmt.Sprintf("https://video.example.org/%d", i)},
				{Kind: catalog.LinkSlides, URL: fmt.Sprintf("https://slides.example.org/%d.pdf", i)},
			},
			Source: catalog.Source{Name: "synth", Key: fmt.Sprintf("synth:%d", i)},
		}
	}
	return talks
}

func mustUpsert(t testing.TB, s *Store, talks []*catalog.Talk) catalog.ImportReport {
	t.Helper()
	rep, err := s.UpsertTalks(context.Background(), talks)
	if err != nil {
		t.Fatalf("UpsertTalks: %v", err)
	}
	return rep
}

func outboxLen(t testing.TB, s *Store) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRow(`SELECT COUNT(*) FROM index_outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countRows(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// recordJSON is a talk as the API would show it, plus its ids; two talks
// with equal recordJSON are the same record, start offset included. The
// dates the store keeps (added, rated at, ...) are its bookkeeping, not part
// of what was written, so they are left out.
func recordJSON(t testing.TB, tk *catalog.Talk) string {
	t.Helper()
	c := *tk
	c.Added, c.RatedAt, c.NoteUpdatedAt, c.WatchedAt, c.ToWatchAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func counts(r catalog.ImportReport) [4]int {
	return [4]int{r.Inserted, r.Updated, r.Unchanged, r.Skipped}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := catalog.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}
