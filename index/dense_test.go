package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/talkdex/talkdex/internal/catalog"
)

// testDenseLimits hold the common words of wordListsCorpus's small
// segments, some in one segment and not in another.
func testDenseLimits() denseLimits { return denseLimits{minPostings: 60, bytesPerDoc: 400} }

func readDenseLists(t *testing.T, snap *scorch.IndexSnapshot, limits denseLimits) []*segmentDense {
	t.Helper()
	var lists []*segmentDense
	for _, ss := range snap.Segments() {
		sd, err := readSegmentDense(ss.Segment(), limits)
		if err != nil {
			t.Fatalf("readSegmentDense: %v", err)
		}
		lists = append(lists, sd)
	}
	return lists
}

// posting is what a term reader yields for one document.
type posting struct {
	doc  uint64
	freq uint64
	norm float64
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
		return &posting{doc: d.ID.Value(), freq: d.Freq, norm: d.Norm}
	}
}

func TestDenseReaderReadsWhatZapReads(t *testing.T) {
	_, snap := wordListsCorpus(t)
	lists := readDenseLists(t, snap, testDenseLimits())
	view := newDenseView(snap, lists)

	keys := map[denseKey]bool{}
	for _, sd := range lists {
		for k := range sd.lists {
			keys[k] = true
		}
	}
	if len(keys) < 20 {
		t.Fatalf("only %d terms held; the corpus should give more", len(keys))
	}
	deletedHeld, mixed := false, false
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 9))
	readPosting := postingReader(t)
	for k := range keys {
		held := 0
		for i, sd := range lists {
			if sd.lists[k] != nil {
				held++
				if d := snap.Segments()[i].Deleted(); d != nil && !d.IsEmpty() {
					deletedHeld = true
				}
			}
		}
		mixed = mixed || held < len(lists)

		open := func() (zap, dense bleveindex.TermFieldReader) {
			zr, err := snap.TermFieldReader(ctx, []byte(k.term), k.field, true, true, false)
			if err != nil {
				t.Fatal(err)
			}
			dr, err := view.reader([]byte(k.term), k.field, true, true)
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
}

// TestDenseListsLeaveSearchesAlike runs searches with the lists and
// without: the hits, their order, scores, totals and facets must be the
// same.
func TestDenseListsLeaveSearchesAlike(t *testing.T) {
	ix, snap := wordListsCorpus(t)
	if ix.parts < 2 {
		ix.parts = 2 // the lists are read by the parts' readers
	}
	limits := testDenseLimits()
	// Words of talkGen that the English analyzer keeps as they are, the
	// first five held by the lists.
	common := []string{"network", "will", "bgp", "can", "ospf", "isis"}
	for _, w := range common[:5] {
		held := false
		for _, sd := range readDenseLists(t, snap, limits) {
			held = held || sd.lists[denseKey{fieldAbstract, w}] != nil
		}
		if !held {
			t.Fatalf("abstract:%s is not held; the searches would not read the lists", w)
		}
	}
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
	segments := func() string {
		r, err := ix.reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return fmt.Sprint(segmentIDs(r.(*scorch.IndexSnapshot)))
	}
	useLists := func(limits *denseLimits) {
		ix.mu.Lock()
		ix.dense = newPerSegment(func(seg segment.Segment) (*segmentDense, error) {
			if limits == nil {
				return &segmentDense{}, nil
			}
			return readSegmentDense(seg, *limits)
		}, ix.reads)
		ix.mu.Unlock()
		waitUntil(t, "dense lists read", func() bool {
			r, err := ix.reader()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, missing := ix.dense.get(r.(*scorch.IndexSnapshot).Segments())
			return !missing
		})
		ix.invalidateCaches()
	}
	runAll := func(limits *denseLimits) []*catalog.SearchResult {
		useLists(limits)
		var out []*catalog.SearchResult
		for _, q := range queries {
			out = append(out, search(q))
		}
		return out
	}

	var without, withLists []*catalog.SearchResult
	for attempt := 0; ; attempt++ {
		before := segments()
		without, withLists = runAll(nil), runAll(&limits)
		if segments() == before {
			break
		}
		if attempt == 10 {
			t.Fatal("the index kept merging its segments")
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
