package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestHighlightLeavesLocateAsTheCompiledQuery locates the first hits of
// each query twice: with highlightQuery's flat disjunction of highlighted
// leaves, and with the compiled query's required part as it stands
// (conjunctions, every field). Both must mark the same words at the same
// places: the flat form only saves walking postings.
func TestHighlightLeavesLocateAsTheCompiledQuery(t *testing.T) {
	ix, reader := openShared(t)
	ctx := context.Background()
	m := ix.bi.Mapping()
	inputs := []string{
		"python", "pyth", "rout", "routing serv", "bgp rout", "rutas", "enruta",
		"nanog bgp", "nanog 90 python", "speaker:hust", "speaker:huston routing", "title:pyth",
		"ipv6 trans", "pythn", "congestoin", "dc", "pyth OR bgp", "rout -python",
		`"python for network automation"`, `"route servers"`, `"python python"`, `"rutas y enrutamiento"`,
		`"bgp" "route server"`, `"huston lopez"`, `python "route server"`, "network automation",
		"e-mail routing", "die python", "year:2015..2016 bgp",
	}
	compared, marked := 0, 0
	for _, in := range inputs {
		clauses, err := parseQuery(in)
		if err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		for _, loose := range []bool{false, true} {
			dict := &dictionary{ctx: ctx, r: reader}
			comp := &compiler{m: m, syn: ix.synonyms, words: dict, partial: lastWordIsPartial(in, clauses), loose: loose}
			top, _ := comp.compile(clauses)
			if top == nil {
				continue
			}
			restrict(top, filterQuery(catalog.TalkFilter{}))
			docs := firstHits(t, ix, reader, top, 60)
			if len(docs) == 0 {
				continue
			}

			flat, phrases := highlightQuery(top, m)
			if flat == nil {
				t.Fatalf("%q: no leaf to highlight", in)
			}
			var asCompiled phraseMarks
			must := asCompiled.unphrase(top.Must, m)
			if len(asCompiled.phrases) > 0 {
				asCompiled.collectWords(top, m)
			}

			got := locatedPlaces(t, ix, reader, flat, phrases, docs)
			want := locatedPlaces(t, ix, reader, must, asCompiled, docs)
			for doc, w := range want {
				if g := got[doc]; !slices.Equal(g, w) {
					t.Fatalf("%q (loose %v): talk %s marked\n%v\nnot as compiled\n%v", in, loose, doc, g, w)
				}
				marked += len(w)
			}
			if len(got) != len(want) {
				t.Fatalf("%q: %d talks marked, %d as compiled", in, len(got), len(want))
			}
			compared++
		}
	}
	if compared < len(inputs) || marked == 0 {
		t.Fatalf("compared %d queries with %d marks: the test compares too little", compared, marked)
	}
}

// TestHighlightLeavesDropUnhighlightedFields checks what the flat form
// is made of: only highlighted fields, and a term reached through several
// analyses once.
func TestHighlightLeavesDropUnhighlightedFields(t *testing.T) {
	ix, reader := openShared(t)
	m := ix.bi.Mapping()
	clauses, err := parseQuery("nanog python")
	if err != nil {
		t.Fatal(err)
	}
	comp := &compiler{m: m, syn: ix.synonyms, words: &dictionary{ctx: context.Background(), r: reader}}
	top, _ := comp.compile(clauses)
	flat, _ := highlightQuery(top, m)
	d, ok := flat.(*query.DisjunctionQuery)
	if !ok {
		t.Fatalf("flat form is a %T", flat)
	}
	seen := map[string]bool{}
	for _, leaf := range d.Disjuncts {
		tq, ok := leaf.(*query.TermQuery)
		if !ok {
			t.Fatalf("leaf %T, want term queries for one-word clauses", leaf)
		}
		if !slices.Contains(highlightFields(), tq.FieldVal) {
			t.Errorf("leaf of field %q, which is never highlighted", tq.FieldVal)
		}
		key := tq.FieldVal + ":" + tq.Term
		if seen[key] {
			t.Errorf("leaf %s twice", key)
		}
		seen[key] = true
	}
	for _, want := range []string{"title:python", "abstract:python", "speakers:nanog"} {
		if !seen[want] {
			t.Errorf("no leaf %s among %v", want, seen)
		}
	}
}

// firstHits returns up to n documents top matches, in index order.
func firstHits(t *testing.T, ix *Index, reader bleveindex.IndexReader, top query.Query, n int) []bleveindex.IndexInternalID {
	t.Helper()
	s, err := top.Searcher(context.Background(), reader, ix.bi.Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatalf("searcher: %v", err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var out []bleveindex.IndexInternalID
	for len(out) < n {
		dm, err := s.Next(sctx)
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		if dm == nil {
			break
		}
		out = append(out, slices.Clone(dm.IndexInternalID))
		sctx.DocumentMatchPool.Put(dm)
	}
	return out
}

// locatedPlaces locates docs with hq and returns, by talk, every distinct
// place marked in a highlighted field: field, term, array position,
// position and byte offsets.
func locatedPlaces(t *testing.T, ix *Index, reader bleveindex.IndexReader, hq query.Query, phrases phraseMarks, docs []bleveindex.IndexInternalID) map[string][]string {
	t.Helper()
	targets := make([]locateTarget, 0, len(docs))
	for _, doc := range docs {
		id, err := reader.ExternalID(doc)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, locateTarget{doc: doc, hit: &search.DocumentMatch{ID: id}})
	}
	found, err := ix.locateIn(context.Background(), reader, hq, phrases, snapshotView{}, targets)
	if err != nil {
		t.Fatalf("locate: %v", err)
	}
	out := map[string][]string{}
	for _, l := range found {
		var places []string
		for field, terms := range l.hit.Locations {
			if !slices.Contains(highlightFields(), field) {
				continue // never shown
			}
			for term, locs := range terms {
				for _, loc := range locs {
					places = append(places, fmt.Sprintf("%s:%s@%v/%d[%d:%d]", field, term, loc.ArrayPositions, loc.Pos, loc.Start, loc.End))
				}
			}
		}
		slices.Sort(places)
		if places = slices.Compact(places); len(places) > 0 {
			out[l.hit.ID] = places
		}
	}
	return out
}
