package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

func TestSuiteIsWellFormed(t *testing.T) {
	suite, err := Suite()
	if err != nil {
		t.Fatal(err)
	}
	if len(suite) < 40 {
		t.Errorf("the suite has %d queries; the issue asks for at least 40", len(suite))
	}
	byKind := map[string]int{}
	seen := map[string]bool{}
	for _, q := range suite {
		byKind[q.Kind]++
		id := q.Catalog + "|" + q.Query
		if seen[id] {
			t.Errorf("query %q on %s is in the suite twice", q.Query, q.Catalog)
		}
		seen[id] = true
	}
	for _, kind := range []string{KindTitle, KindSpeakerTopic, KindTypo, KindPrefix, KindAbstract, KindPhrase} {
		if byKind[kind] < 3 {
			t.Errorf("kind %s has %d queries, want at least 3", kind, byKind[kind])
		}
	}
	if byKind[KindSynonym]+byKind[KindAcronym] < 3 {
		t.Errorf("synonyms and acronyms have %d queries, want at least 3", byKind[KindSynonym]+byKind[KindAcronym])
	}
}

// The holdout sets are read by `talkdex relevance --suite`: they must stay
// in the suite's format, with kinds it knows.
func TestHoldoutSetsParse(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "holdout*.jsonl"))
	if err != nil || len(paths) < 2 {
		t.Fatalf("holdout sets %v: %v", paths, err)
	}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := ParseSuite(f)
		f.Close()
		if err != nil || len(qs) == 0 {
			t.Errorf("%s: %d queries, %v", path, len(qs), err)
		}
	}
}

func TestParseSuiteRejects(t *testing.T) {
	tests := map[string]string{
		"unknown catalog": `{"catalog":"nanog","kind":"title","query":"q","want":"k"}`,
		"unknown kind":    `{"catalog":"demo","kind":"vibes","query":"q","want":"k"}`,
		"no want":         `{"catalog":"demo","kind":"title","query":"q"}`,
		"blank query":     `{"catalog":"demo","kind":"title","query":"  ","want":"k"}`,
		"unknown field":   `{"catalog":"demo","kind":"title","query":"q","want":"k","rank":1}`,
		"not JSON":        `catalog=demo`,
	}
	for name, line := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseSuite(strings.NewReader(line)); err == nil {
				t.Errorf("ParseSuite accepted %s", line)
			}
		})
	}
}

func TestScoreRanks(t *testing.T) {
	tests := []struct {
		ranks []int
		want  Scores
	}{
		{nil, Scores{}},
		{[]int{1, 1}, Scores{Queries: 2, At1: 1, At3: 1, MRR: 1}},
		{[]int{1, 2, 4, 0}, Scores{Queries: 4, At1: 0.25, At3: 0.5, MRR: (1 + 0.5 + 0.25) / 4}},
		{[]int{0, 0}, Scores{Queries: 2}},
	}
	for _, tt := range tests {
		if got := scoreRanks(tt.ranks); got != tt.want {
			t.Errorf("scoreRanks(%v) = %+v, want %+v", tt.ranks, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarize(ds)
	if got.Samples != 100 || got.P50MS != 50 || got.P99MS != 99 || got.MeanMS != 50.5 {
		t.Errorf("summarize(1..100 ms) = %+v", got)
	}
	if ds[0] != 100*time.Millisecond {
		t.Errorf("summarize reordered its input")
	}
}

// checkReport asserts what must hold of any relevance run, whatever the
// engines score: every query counted once, figures within 0..1, and FTS5
// actually answering.
func checkReport(t *testing.T, rep *RelevanceReport, queries int) {
	t.Helper()
	if rep.Overall.Talkdex.Queries != queries || rep.Overall.FTS5.Queries != queries {
		t.Errorf("overall counts %d/%d queries, want %d", rep.Overall.Talkdex.Queries, rep.Overall.FTS5.Queries, queries)
	}
	sum := 0
	for _, k := range append(rep.Kinds, rep.Overall) {
		for _, s := range []Scores{k.Talkdex, k.FTS5} {
			for _, v := range []float64{s.At1, s.At3, s.MRR} {
				if v < 0 || v > 1 {
					t.Errorf("%s: figure %v is outside 0..1 (%+v)", k.Kind, v, s)
				}
			}
			if s.At1 > s.At3 || s.MRR < s.At1 {
				t.Errorf("%s: inconsistent figures %+v", k.Kind, s)
			}
		}
		if k.Kind != "overall" {
			sum += k.Talkdex.Queries
		}
	}
	if sum != queries {
		t.Errorf("kinds add up to %d queries, want %d", sum, queries)
	}
	answered := 0
	for _, o := range rep.Outcomes {
		if len(o.FTS5Top) > 0 {
			answered++
		}
		if o.TalkdexRank < 0 || o.TalkdexRank > RankDepth || o.FTS5Rank < 0 || o.FTS5Rank > RankDepth {
			t.Errorf("%q: ranks %d/%d outside 0..%d", o.Query.Query, o.TalkdexRank, o.FTS5Rank, RankDepth)
		}
	}
	if answered < queries/2 {
		t.Errorf("FTS5 returned results for only %d of %d queries", answered, queries)
	}
	t.Logf("%s: talkdex s@1 %.2f s@3 %.2f MRR %.2f; FTS5 s@1 %.2f s@3 %.2f MRR %.2f",
		rep.Catalog, rep.Overall.Talkdex.At1, rep.Overall.Talkdex.At3, rep.Overall.Talkdex.MRR,
		rep.Overall.FTS5.At1, rep.Overall.FTS5.At3, rep.Overall.FTS5.MRR)
}

func TestRelevanceDemo(t *testing.T) {
	ctx := context.Background()
	suite, err := Suite()
	if err != nil {
		t.Fatal(err)
	}
	queries := ForCatalog(suite, CatalogDemo)
	b, err := Build(ctx, t.TempDir(), DemoSource())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	assertWantedPresent(t, b, queries)
	rep, err := RunRelevance(ctx, b, CatalogDemo, queries)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, len(queries))
}

func TestRelevancePyvideo(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 21,570 talks")
	}
	path := testfixture.Shared(t, "pyvideo/talks.jsonl.gz")
	ctx := context.Background()
	suite, err := Suite()
	if err != nil {
		t.Fatal(err)
	}
	queries := ForCatalog(suite, CatalogPyvideo)
	b, err := Build(ctx, t.TempDir(), PyvideoSource(path))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	assertWantedPresent(t, b, queries)
	rep, err := RunRelevance(ctx, b, CatalogPyvideo, queries)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, len(queries))
}

// assertWantedPresent: a suite query whose talk is not in the catalog
// would fail for the wrong reason.
func assertWantedPresent(t *testing.T, b *Built, queries []Query) {
	t.Helper()
	ctx := context.Background()
	for _, q := range queries {
		if _, err := b.Catalog.Store().TalkIDBySourceKey(ctx, q.Want); err != nil {
			t.Errorf("wanted talk %q (%s) is not in the catalog: %v", q.Title, q.Want, err)
		}
	}
}

func TestReplicate(t *testing.T) {
	base := Synthetic(10, 3)
	want := catalog.SourceKey(base[7])
	var got []*catalog.Talk
	_, err := Replicate(base, 25, []string{want})(context.Background(), func(t *catalog.Talk) error {
		got = append(got, t)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 {
		t.Fatalf("replicated %d talks, want 25", len(got))
	}
	if catalog.SourceKey(got[0]) != want {
		t.Errorf("first talk is %s, want the suite's %s first", catalog.SourceKey(got[0]), want)
	}
	keys := map[string]bool{}
	for _, r := range got {
		key := catalog.SourceKey(r)
		if keys[key] {
			t.Errorf("source key %s repeats", key)
		}
		keys[key] = true
		if err := r.Validate(); err != nil {
			t.Errorf("replica %q is not a valid talk: %v", r.Title, err)
		}
	}
	copy1, orig := got[10], got[0]
	if baseKey(catalog.SourceKey(copy1)) != catalog.SourceKey(orig) {
		t.Errorf("replica key %s does not lead back to %s", catalog.SourceKey(copy1), catalog.SourceKey(orig))
	}
	if copy1.Title == orig.Title || copy1.Year == orig.Year {
		t.Errorf("replica %q (%d) does not vary %q (%d)", copy1.Title, copy1.Year, orig.Title, orig.Year)
	}
	if orig.Title != base[7].Title {
		t.Errorf("replicating changed the original talk's title to %q", orig.Title)
	}
}

func TestMixedQueries(t *testing.T) {
	talks := Synthetic(500, 5)
	qs := MixedQueries(talks, 80, 9)
	if len(qs) != 80 {
		t.Fatalf("got %d queries, want 80", len(qs))
	}
	kinds := map[string]int{}
	seen := map[MixedQuery]bool{}
	for _, q := range qs {
		kinds[q.Kind]++
		if seen[q] {
			t.Errorf("query %+v repeats", q)
		}
		seen[q] = true
	}
	for _, k := range MixKinds() {
		if kinds[k] == 0 {
			t.Errorf("no %s queries", k)
		}
	}
}

// TestRunSmall runs the whole benchmark on a small synthetic catalog and
// checks that every figure is there and sane. The cold start needs the
// talkdex binary; cmd/talkdex's test covers it.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two catalogs")
	}
	work := t.TempDir()
	rep, err := Run(context.Background(), Config{
		Sizes: []int{300, 600}, Queries: 40, WorkDir: work, Clients: 2, LoadDuration: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Source != "synthetic" || len(rep.Sizes) != 2 {
		t.Fatalf("report: source %s with %d sizes", rep.Source, len(rep.Sizes))
	}
	for i, s := range rep.Sizes {
		if want := []int{300, 600}[i]; s.Talks != want {
			t.Errorf("size %d has %d talks, want %d", i, s.Talks, want)
		}
		if s.ImportPerSec <= 0 || s.IndexBytes <= 0 || s.FTS5Bytes <= 0 || s.DatabaseBytes <= 0 {
			t.Errorf("%d talks: import or sizes missing: %+v", s.Talks, s)
		}
		if s.FloorSeconds <= 0 || s.FloorPerSec*s.FloorSeconds < float64(s.Talks)*0.999 || s.FloorPerSec*s.FloorSeconds > float64(s.Talks)*1.001 {
			t.Errorf("%d talks: Bleve floor %.0f talks/s over %.3f s does not add up", s.Talks, s.FloorPerSec, s.FloorSeconds)
		}
		if s.Search.Talkdex.Samples != 40 || s.Search.FTS5.Samples != 40 || s.Search.Talkdex.P99MS < s.Search.Talkdex.P50MS {
			t.Errorf("%d talks: search figures %+v", s.Talks, s.Search)
		}
		if s.Search.TalkdexEmpty == 40 || s.Search.FTS5Empty == 40 {
			t.Errorf("%d talks: an engine found nothing at all: %+v", s.Talks, s.Search)
		}
		if s.HTTP.Requests == 0 || s.HTTP.Errors != 0 {
			t.Errorf("%d talks: HTTP load %+v", s.Talks, s.HTTP)
		}
		if s.Bench.RSS <= 0 || s.Bench.Peak < s.Bench.RSS {
			t.Errorf("%d talks: memory %+v", s.Talks, s.Bench)
		}
		if s.ColdStart != nil || s.Relevance != nil {
			t.Errorf("%d talks: cold start or relevance without binary or pyvideo", s.Talks)
		}
	}
	if left, _ := os.ReadDir(work); len(left) != 0 {
		t.Errorf("bench left %d catalogs in its work dir", len(left))
	}
}
