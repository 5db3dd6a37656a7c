package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// The size of the lead's real import, in its batch size.
const (
	benchTalks = 21570
	benchBatch = 500
)

func upsertInBatches(b *testing.B, s *Store, talks []*catalog.Talk) catalog.ImportReport {
	var total catalog.ImportReport
	for start := 0; start < len(talks); start += benchBatch {
		rep, err := s.UpsertTalks(context.Background(), talks[start:min(start+benchBatch, len(talks))])
		if err != nil {
			b.Fatal(err)
		}
		total.Add(rep)
	}
	return total
}

// BenchmarkUpsertTalks times one full import into an empty database, and a
// re-import of the same records, which must find everything unchanged.
func BenchmarkUpsertTalks(b *testing.B) {
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			talks := synthTalks(0, benchTalks)
			s, err := Open(context.Background(), filepath.Join(b.TempDir(), "talkdex.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			rep := upsertInBatches(b, s, talks)
			b.StopTimer()
			if rep.Inserted != benchTalks {
				b.Fatalf("report %+v", rep)
			}
			s.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(benchTalks), "talks/op")
	})
	b.Run("unchanged", func(b *testing.B) {
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "talkdex.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		upsertInBatches(b, s, synthTalks(0, benchTalks))
		for b.Loop() {
			b.StopTimer()
			talks := synthTalks(0, benchTalks)
			b.StartTimer()
			if rep := upsertInBatches(b, s, talks); rep.Unchanged != benchTalks {
				b.Fatalf("report %+v", rep)
			}
		}
		b.ReportMetric(float64(benchTalks), "talks/op")
	})
}

func benchStore(b *testing.B) (*Store, []*catalog.Talk) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "talkdex.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	talks := synthTalks(0, benchTalks)
	upsertInBatches(b, s, talks)
	return s, talks
}

// BenchmarkTalksByIDs hydrates one page of search results: 20 scattered ids.
func BenchmarkTalksByIDs(b *testing.B) {
	s, talks := benchStore(b)
	ctx := context.Background()
	ids := make([]int64, 20)
	page := 0
	for b.Loop() {
		for i := range ids {
			ids[i] = talks[(page*7919+i*1031)%len(talks)].ID
		}
		page++
		got, err := s.TalksByIDs(ctx, ids)
		if err != nil || len(got) != len(ids) {
			b.Fatalf("got %d talks, %v", len(got), err)
		}
	}
}

// BenchmarkEachTalk walks the whole catalog, as a reindex does.
func BenchmarkEachTalk(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	for b.Loop() {
		n := 0
		if err := s.EachTalk(ctx, func(*catalog.Talk) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != benchTalks {
			b.Fatalf("saw %d talks", n)
		}
	}
	b.ReportMetric(float64(benchTalks), "talks/op")
}
