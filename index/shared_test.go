package index

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// sharedCorpus is synthetic talks plus a few whose words complete to
// forms that analyse alike ("pyth": python, python's, pythonic), the case
// shareLeaves exists for.
func sharedCorpus() []*catalog.Talk {
	talks := newTalkGen().talks(3000)
	extra := []struct{ title, abstract string }{
		{"Python for network automation", "Pythonic tooling for routers and a python's view of BGP."},
		{"Pythonic telemetry pipelines", "Streaming routing data with python."},
		{"Routing with Python's asyncio", "Route servers, routers and routes."},
		{"Python routers", "Python python python."},
		{"Pythagoras and the router", "A geometry of routes."},
		{"Rutas y enrutamiento", "Enrutadores en Python, la ruta del paquete."},
	}
	for i, e := range extra {
		// The speakers put "Huston" and "Lopez" next to each other, but
		// in two names: not the phrase "huston lopez".
		t := &catalog.Talk{ID: int64(len(talks) + i + 1), Series: "NANOG", Event: "NANOG 90", Year: 2024, Title: e.title, Abstract: e.abstract,
			Speakers: speakers("Ana Huston", "Lopez Berg")}
		t.Normalize()
		talks = append(talks, t)
	}
	return talks
}

// openShared indexes sharedCorpus and returns a reader of one snapshot:
// Bleve's BM25 reads the average field length off the segments, which
// merge meanwhile, so scores compare only within a snapshot.
func openShared(t *testing.T) (*Index, bleveindex.IndexReader) {
	t.Helper()
	ix, _ := openTemp(t)
	if err := ix.Apply(context.Background(), sharedCorpus(), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	reader, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reader.Close() })
	return ix, reader
}

// TestSharedLeavesScoreAsTheCompiledQuery runs each query as compiled and
// with its repeated leaves shared, and requires the same talks with the
// same scores: sharing must change the cost of a search, never its
// ranking.
func TestSharedLeavesScoreAsTheCompiledQuery(t *testing.T) {
	ix, reader := openShared(t)
	ctx := context.Background()
	filters := []catalog.TalkFilter{{}, {Year: []int{2015, 2016}}, {Series: []string{"NANOG", "RIPE"}}}
	inputs := []string{
		"pyth", "python", "rout", "route", "routing serv", "pyth rout", "bgp rout",
		"rutas", "enruta", "teleme", "automat python", "rout -python", "pyth OR bgp",
		"title:pyth", "speaker:hust", "\"route server\" rout", "segmnt rout", "dc", "congestoin",
		"ipv6 trans", "polic", "pythn",
		// Phrases, searched by fastPhrase, and the proximity bonus of
		// plain words, which is a phrase too.
		`"python for network automation"`, `"route servers"`, `"python python"`, `"rutas y enrutamiento"`,
		`"bgp" "route server"`, "network automation", "python routers", `"nanog 90"`, `"huston lopez"`,
		// Exclusions, searched unscored.
		"-python", "rout -pyth -bgp", `python -"route servers"`, "the -routing",
	}
	shared := 0
	for _, in := range inputs {
		clauses, err := parseQuery(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		for _, loose := range []bool{false, true} {
			dict := &dictionary{ctx: ctx, r: reader}
			comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: dict, partial: lastWordIsPartial(in, clauses), loose: loose}
			for _, f := range filters {
				top, _ := comp.compile(clauses)
				restrict(top, filterQuery(f))
				if dict.err != nil {
					t.Fatalf("query %q: dictionary: %v", in, dict.err)
				}
				sq := shareLeaves(top, comp.keys)
				if countShared(sq) > 0 {
					shared++
				}
				want := scoresOf(t, ix, reader, top)
				got := scoresOf(t, ix, reader, sq)
				compareScores(t, in, want, got)
				// Bleve's boolean searcher can lose its optional part's
				// hit when advanced itself (it re-advances that part past
				// a hit it holds); only its required part is ever
				// advanced in a search, so that is what is checked.
				must := sq.(*query.BooleanQuery).Must
				checkAdvance(t, in, ix, reader, must, scoresOf(t, ix, reader, must))
			}
		}
	}
	if shared == 0 {
		t.Fatal("no query shared a leaf: the test compares nothing")
	}
}

// TestSharedLeavesSearchEachOnce checks that the leaves a prefix repeats
// are searched once.
func TestSharedLeavesSearchEachOnce(t *testing.T) {
	ix, reader := openShared(t)
	ctx := context.Background()
	clauses, err := parseQuery("pyth")
	if err != nil {
		t.Fatal(err)
	}
	comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: &dictionary{ctx: ctx, r: reader}, partial: true}
	top, _ := comp.compile(clauses)
	before := countLeaves(top)
	sq := shareLeaves(top, comp.keys)
	var so *sharedOr
	walkShared(sq, func(s *sharedOr) { so = s })
	if so == nil {
		t.Fatalf("pyth: no shared disjunction in %d leaves", before)
	}
	uses := 0
	for _, alt := range so.alts {
		uses += len(alt)
	}
	if len(so.leaves) >= uses {
		t.Errorf("pyth: %d leaves for %d uses, want fewer leaves", len(so.leaves), uses)
	}
	// The original stays plain, for highlighting.
	if countShared(top) != 0 || countLeaves(top) != before {
		t.Error("shareLeaves changed the compiled query")
	}
}

// scoresOf runs q on reader and returns every hit's score.
func scoresOf(t *testing.T, ix *Index, reader bleveindex.IndexReader, q query.Query) map[uint64]float64 {
	t.Helper()
	ctx := context.Background()
	s, err := q.Searcher(ctx, reader, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatalf("searcher: %v", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	out := map[uint64]float64{}
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		if dm == nil {
			return out
		}
		out[dm.IndexInternalID.Value()] = dm.Score
		sctx.DocumentMatchPool.Put(dm)
	}
}

// checkAdvance advances a searcher of q to every third hit of want, in
// order, and requires that hit with the score it has in want.
func checkAdvance(t *testing.T, in string, ix *Index, reader bleveindex.IndexReader, q query.Query, want map[uint64]float64) {
	t.Helper()
	s, err := q.Searcher(context.Background(), reader, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatalf("searcher: %v", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	ids := slices.Sorted(maps.Keys(want))
	for i := 0; i < len(ids); i += 3 {
		target := make(bleveindex.IndexInternalID, 8)
		target.SetValue(ids[i])
		dm, err := s.Advance(sctx, target)
		if err != nil {
			t.Fatalf("%q: advance: %v", in, err)
		}
		if dm == nil || dm.IndexInternalID.Value() != ids[i] {
			t.Fatalf("%q: advance to %d gave %v", in, ids[i], dm)
		}
		if w := want[ids[i]]; !sameScore(w, dm.Score) {
			t.Fatalf("%q: advanced to %d scoring %v, not %v", in, ids[i], dm.Score, w)
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

func compareScores(t *testing.T, in string, want, got map[uint64]float64) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%q: %d hits shared, %d as compiled", in, len(got), len(want))
	}
	for id, g := range got {
		w, ok := want[id]
		if !ok {
			t.Fatalf("%q: document %d found shared, not as compiled", in, id)
		}
		if !sameScore(w, g) {
			t.Fatalf("%q: document %d scores %v shared, %v as compiled", in, id, g, w)
		}
	}
}

func walkShared(q query.Query, f func(*sharedOr)) {
	switch q := q.(type) {
	case *sharedOr:
		f(q)
		for _, l := range q.leaves {
			walkShared(l, f)
		}
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot, q.Filter} {
			walkShared(sub, f)
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			walkShared(sub, f)
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			walkShared(sub, f)
		}
	}
}

func countShared(q query.Query) int {
	n := 0
	walkShared(q, func(*sharedOr) { n++ })
	return n
}

func countLeaves(q query.Query) int {
	switch q := q.(type) {
	case *query.BooleanQuery:
		n := 0
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot, q.Filter} {
			if sub != nil {
				n += countLeaves(sub)
			}
		}
		return n
	case *query.ConjunctionQuery:
		n := 0
		for _, sub := range q.Conjuncts {
			n += countLeaves(sub)
		}
		return n
	case *query.DisjunctionQuery:
		n := 0
		for _, sub := range q.Disjuncts {
			n += countLeaves(sub)
		}
		return n
	}
	return 1
}
