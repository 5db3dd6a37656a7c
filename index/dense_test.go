package index

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// testDenseLimits hold the common words of wordListsCorpus's small
// segments, some in one segment and not in another.
func testDenseLimits() denseLimits { return denseLimits{minPostings: 60, bytesPerDoc: 400} }

// holdAll reads into d the lists of every term of the scored fields of
// snap's segments that d's limits let it hold, the densest first, and
// returns the view of them.
func holdAll(t *testing.T, d *denseLists, snap *scorch.IndexSnapshot) *denseView {
	t.Helper()
	d.view(snap) // makes the segments known to d
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		type term struct {
			key   denseKey
			count uint64
		}
		var terms []term
		for _, field := range []string{fieldTitle, fieldSpeakers, fieldNote, fieldTags, fieldAbstract, fieldEventText, fieldSeriesText} {
			dict, err := seg.Dictionary(field)
			if err != nil {
				t.Fatal(err)
			}
			it := dict.AutomatonIterator(nil, nil, nil)
			for {
				e, err := it.Next()
				if err != nil {
					t.Fatal(err)
				}
				if e == nil {
					break
				}
				pl, err := dict.PostingsList([]byte(e.Term), nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				terms = append(terms, term{denseKey{field: field, term: e.Term}, pl.Count()})
				if positionsHeld(field) {
					terms = append(terms, term{denseKey{field: field, term: e.Term, positions: true}, pl.Count()})
				}
			}
		}
		slices.SortFunc(terms, func(a, b term) int { return cmp.Compare(b.count, a.count) })
		d.mu.Lock()
		sd := d.segments[seg]
		d.mu.Unlock()
		for _, tm := range terms {
			if err := d.hold(seg, sd, tm.key); err != nil {
				t.Fatalf("hold %v: %v", tm.key, err)
			}
		}
	}
	return d.view(snap)
}

// posting is what a term reader yields for one document.
type posting struct {
	doc  uint64
	freq uint64
	norm float64
	// positions lists the word positions, when read, as text.
	positions string
}

// postingReader makes what a term reader returns a posting, failing t on
// an error.
func postingReader(t *testing.T) func(*bleveindex.TermFieldDoc, error) *posting {
	return func(d *bleveindex.TermFieldDoc, err error) *posting {
		t.Helper()
		if err != nil {
			t.Fatalf("read posting: %v", err)
		}
		if d == nil {
			return nil
		}
		p := &posting{doc: d.ID.Value(), freq: d.Freq, norm: d.Norm}
		for _, v := range d.Vectors {
			p.positions += fmt.Sprintf("%s@%d%v ", v.Field, v.Pos, v.ArrayPositions)
		}
		return p
	}
}

func TestDenseReaderReadsWhatZapReads(t *testing.T) {
	ix, snap := wordListsCorpus(t)
	view := holdAll(t, newDenseLists(testDenseLimits(), ix.reads), snap)
	lists := view.lists

	keys := map[denseKey]bool{}
	for _, held := range lists {
		for k := range held {
			keys[k] = true
		}
	}
	if len(keys) < 20 {
		t.Fatalf("only %d terms held; the corpus should give more", len(keys))
	}
	deletedHeld, mixed, withPositions := false, false, 0
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 9))
	readPosting := postingReader(t)
	for k := range keys {
		held := 0
		for i, segLists := range lists {
			if segLists[k] != nil {
				held++
				if d := snap.Segments()[i].Deleted(); d != nil && !d.IsEmpty() {
					deletedHeld = true
				}
			}
		}
		mixed = mixed || held < len(lists)
		if k.positions {
			withPositions++
		}

		open := func() (zap, dense bleveindex.TermFieldReader) {
			zr, err := snap.TermFieldReader(ctx, []byte(k.term), k.field, true, true, k.positions)
			if err != nil {
				t.Fatal(err)
			}
			dr, err := view.reader([]byte(k.term), k.field, true, true, k.positions)
			if err != nil || dr == nil {
				t.Fatalf("dense reader of held %v: %v, %v", k, dr, err)
			}
			return zr, dr
		}

		zr, dr := open()
		if zr.Count() != dr.Count() {
			t.Errorf("%v: Count %d, zap %d", k, dr.Count(), zr.Count())
		}
		var all []uint64
		for n := 0; ; n++ {
			want := readPosting(zr.Next(nil))
			got := readPosting(dr.Next(nil))
			if (want == nil) != (got == nil) || (want != nil && *want != *got) {
				t.Fatalf("%v: posting %d is %+v, zap reads %+v", k, n, got, want)
			}
			if want == nil {
				break
			}
			all = append(all, want.doc)
		}
		zr.Close()
		dr.Close()

		// Jumps forward, onto postings, between them and past the end,
		// now and then back (a new reader in scorch).
		zr, dr = open()
		last := uint64(0)
		for range 60 {
			target := last + uint64(rng.IntN(120))
			if len(all) > 0 && rng.IntN(3) == 0 {
				target = all[rng.IntN(len(all))]
			}
			if rng.IntN(10) == 0 {
				target = uint64(rng.IntN(int(last) + 1))
			}
			id := bleveindex.NewIndexInternalID(nil, target)
			want := readPosting(zr.Advance(id, nil))
			got := readPosting(dr.Advance(id, nil))
			if (want == nil) != (got == nil) || (want != nil && *want != *got) {
				t.Fatalf("%v: Advance(%d) gives %+v, zap gives %+v", k, target, got, want)
			}
			if want == nil {
				break
			}
			last = want.doc
			if rng.IntN(2) == 0 {
				want, got := readPosting(zr.Next(nil)), readPosting(dr.Next(nil))
				if (want == nil) != (got == nil) || (want != nil && *want != *got) {
					t.Fatalf("%v: Next after Advance gives %+v, zap gives %+v", k, got, want)
				}
				if want == nil {
					break
				}
				last = want.doc
			}
		}
		zr.Close()
		dr.Close()
	}
	if !deletedHeld {
		t.Error("no list is held in a segment with deleted talks; the test does not check that they are skipped")
	}
	if !mixed {
		t.Error("every term is held in every segment; the test does not check readers that also read zap")
	}
	if withPositions < 10 {
		t.Errorf("only %d terms held with positions; the test checks too few", withPositions)
	}
}

// TestDenseListsLeaveSearchesAlike runs searches without lists, and again
// once the searches have had their dense terms read into lists: the hits,
// their order, scores, totals and facets must be the same.
func TestDenseListsLeaveSearchesAlike(t *testing.T) {
	ix, _ := wordListsCorpus(t)
	if ix.parts < 2 {
		ix.parts = 2 // the lists are read by the parts' readers
	}
	// Words of talkGen that the English analyzer keeps as they are.
	common := []string{"network", "will", "bgp", "can", "ospf", "isis"}
	queries := []string{
		common[0], common[1], common[0] + " " + common[2], common[0] + " -" + common[3],
		`"` + common[0] + " " + common[1] + `"`, common[1] + " OR " + common[4], common[0][:3],
		common[4] + " " + common[5] + " " + common[2], "speaker:huston " + common[0],
	}
	search := func(q string) *catalog.SearchResult {
		req := catalog.SearchRequest{Query: q, PerPage: 20}
		req.Normalize()
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return res
	}
	// segments names the index's segments now. Scorch merges them in the
	// background, which changes the counts scores are made of: the two
	// runs are compared only when no merge landed between them.
	segments := func() string { return fmt.Sprint(segmentIDs(snapshotOf(t, ix))) }
	runAll := func(limits denseLimits) []*catalog.SearchResult {
		d := newDenseLists(limits, ix.reads)
		ix.mu.Lock()
		ix.dense = d
		ix.mu.Unlock()
		// A first round asks for the lists, which are read in the
		// background; the second reads them.
		for _, q := range queries {
			search(q)
		}
		waitUntil(t, "dense lists read", func() bool {
			d.mu.Lock()
			defer d.mu.Unlock()
			return len(d.wanted) == 0
		})
		ix.invalidateCaches()
		var out []*catalog.SearchResult
		for _, q := range queries {
			out = append(out, search(q))
		}
		return out
	}

	var without, withLists []*catalog.SearchResult
	for attempt := 0; ; attempt++ {
		before := segments()
		without, withLists = runAll(denseLimits{minPostings: 60}), runAll(testDenseLimits())
		if segments() == before {
			break
		}
		if attempt == 10 {
			t.Fatal("the index kept merging its segments")
		}
	}
	view := ix.dense.view(snapshotOf(t, ix))
	// The words scored ("can" is only ever excluded, which scores nothing).
	for _, w := range []string{common[0], common[1], common[2], common[4]} {
		held := false
		for _, lists := range view.lists {
			held = held || lists[denseKey{field: fieldAbstract, term: w}] != nil
		}
		if !held {
			t.Errorf("abstract:%s is not held after searches for it; they did not read the lists", w)
		}
	}
	// The phrase and the proximity bonus of the word pairs read positions.
	for _, w := range []string{common[0], common[1]} {
		held := false
		for _, lists := range view.lists {
			held = held || lists[denseKey{field: fieldAbstract, term: w, positions: true}] != nil
		}
		if !held {
			t.Errorf("abstract:%s is not held with positions after a phrase of it", w)
		}
	}
	for i, q := range queries {
		with := withLists[i]
		if with.Total != without[i].Total {
			t.Errorf("%q: %d hits with the lists, %d without", q, with.Total, without[i].Total)
		}
		if len(with.Hits) == 0 {
			t.Errorf("%q found nothing; the query should match talks of the corpus", q)
		}
		if len(with.Hits) != len(without[i].Hits) {
			t.Fatalf("%q: a page of %d with the lists, %d without", q, len(with.Hits), len(without[i].Hits))
		}
		for j, h := range with.Hits {
			w := without[i].Hits[j]
			if h.ID != w.ID || h.Score != w.Score {
				t.Errorf("%q hit %d: talk %d scoring %v with the lists, talk %d scoring %v without", q, j, h.ID, h.Score, w.ID, w.Score)
			}
		}
		for name, values := range with.Facets {
			if len(values) != len(without[i].Facets[name]) {
				t.Errorf("%q facet %s: %d values with the lists, %d without", q, name, len(values), len(without[i].Facets[name]))
			}
		}
	}
}

func segmentIDs(snap *scorch.IndexSnapshot) []uint64 {
	var ids []uint64
	for _, ss := range snap.Segments() {
		ids = append(ids, ss.Id())
	}
	return ids
}

// TestDenseListsKeepToTheirBudget holds lists within a small budget: they
// hold whole postings of terms of at least minPostings talks, within the
// budget, and a term too short is not held.
func TestDenseListsKeepToTheirBudget(t *testing.T) {
	ix, snap := wordListsCorpus(t)
	limits := denseLimits{minPostings: 60, bytesPerDoc: 30}
	view := holdAll(t, newDenseLists(limits, ix.reads), snap)
	held := 0
	for i, ss := range snap.Segments() {
		seg := ss.Segment()
		var bytes uint64
		for key, l := range view.lists[i] {
			dict, err := seg.Dictionary(key.field)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := dict.PostingsList([]byte(key.term), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if uint64(len(l.docs)) != pl.Count() || pl.Count() < limits.minPostings {
				t.Errorf("segment %d %v: %d postings held of %d (at least %d wanted)", i, key, len(l.docs), pl.Count(), limits.minPostings)
			}
			bytes += uint64(len(l.docs)) * densePostingBytes
		}
		if budget := seg.Count() * limits.bytesPerDoc; bytes > budget {
			t.Errorf("segment %d holds %d bytes of postings, over its budget of %d", i, bytes, budget)
		}
		held += len(view.lists[i])
	}
	if held == 0 {
		t.Fatal("no list held; the budget should hold some")
	}
}
