package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/talkdex/talkdex/internal/catalog"
)

// A search that only excludes ("-python", or "with -cross", whose "with"
// is a stop word) lists every talk but the excluded ones, newest first.
// Searched as it is, it walks all talks: 12 to 20 ms at 100k, the slowest
// searches of all. So does a search of stop words alone ("about") and the
// search page's first view, which list every talk. They are answered
// instead from what a search of all talks found, kept until a write or a
// merge changes the index's segments: its total, facet counts and first
// talks in the order, less those of the excluded talks, which are usually
// few. "-cross" then reads 1.4k talks instead of 98.6k, and "about" none.
// A server keeps the search of all talks newest first ready (keepAllTalks),
// so that not even the first such search after a change walks all talks.

// allRanked is how many of all talks, first in an order, are kept: a page
// of a search that excludes words is cut from them, after leaving out the
// excluded ones among them.
const allRanked = 1000

// numOrders bounds the orders whose search of all talks is kept.
const numOrders = 8

// allTalks is what a search of all talks found, in one order.
type allTalks struct {
	total uint64
	// counts and touched are the facet counts of all talks by term
	// number, as a hitCollector keeps them; terms and facetOf are its
	// view's.
	counts, touched []uint32
	terms           []string
	facetOf         []int8
	// ranked are the first allRanked talks in the order, first first.
	ranked []rankedHit
	// segments are those of the snapshot searched: a search of the
	// excluded talks in another one (during a write, before the caches
	// are cleared) is not subtracted from it.
	segments []segmentState
}

// segmentState is one segment of a snapshot and how many of its documents
// are deleted: a write adds segments or deletes documents in one.
type segmentState struct {
	seg     segment.Segment
	deleted uint64
}

// segmentsOf lists the segments of snap with their deletions.
func segmentsOf(snap *scorch.IndexSnapshot) []segmentState {
	segs := snap.Segments()
	out := make([]segmentState, len(segs))
	for i, ss := range segs {
		out[i].seg = ss.Segment()
		if d := ss.Deleted(); d != nil {
			out[i].deleted = d.GetCardinality()
		}
	}
	return out
}

// fromAllTalks reports whether a compiled query (see compile and
// shareLeaves) matches every talk but those of excluded, with no filter:
// a query of excluded words only, of stop words only, or none at all.
// excluded is nil when no talk is left out.
func fromAllTalks(q query.Query) (excluded query.Query, ok bool) {
	switch q := q.(type) {
	case *query.MatchAllQuery:
		return nil, true
	case *query.BooleanQuery:
		if q.Should != nil || q.Filter != nil {
			return nil, false
		}
		if _, all := q.Must.(*query.MatchAllQuery); !all {
			return nil, false
		}
		return q.MustNot, true
	}
	return nil, false
}

// complement answers a search of all talks but those excluded matches (all
// talks when excluded is nil): the page from..from+perPage in order, and
// the facets when withFacets. It
// returns nil, to have the search run as it is, when the talks kept in
// order run out before the page does, or when some index segment has no
// columns yet (just after a start or a merge).
func (ix *Index) complement(ctx context.Context, excluded query.Query, order []orderKey, from, perPage int, withFacets bool) (*runResult, error) {
	// All talks score alike, so the score never orders them; without it,
	// the excluded talks are ranked in exactly all talks' order.
	order = allTalksOrder(order)
	all, err := ix.allTalksIn(ctx, order)
	if err != nil || all == nil {
		return nil, err
	}
	if from+perPage > len(all.ranked) && uint64(len(all.ranked)) < all.total {
		return nil, nil // the page lies beyond the talks kept
	}
	var (
		hc          *hitCollector        // of the excluded talks; nil for none
		numExcluded uint64               // how many talks hc found
		left        = map[float64]bool{} // excluded talks among the first of all
	)
	if excluded != nil {
		res, found, err := ix.collect(ctx, excluded, 0, 0, hitWants{facets: withFacets, order: order, top: allRanked})
		if err != nil {
			return nil, fmt.Errorf("search excluded talks: %w", err)
		}
		if found == nil {
			return nil, nil
		}
		defer found.release()
		if found.err != nil || len(found.byTerm) > 0 || res.Total > all.total || !slices.Equal(segmentsOf(found.snap), all.segments) {
			return nil, nil
		}
		hc, numExcluded = found, res.Total
		// The excluded talks among the first of all are among the first
		// of the excluded: the order is the same.
		for _, h := range hc.best.items {
			left[h.talk] = true
		}
	}
	out := make(search.DocumentMatchCollection, 0, perPage)
	kept := 0
	for _, h := range all.ranked {
		if len(out) == perPage {
			break
		}
		if math.IsNaN(h.talk) {
			return nil, nil // a talk without its id: the whole search says so
		}
		if left[h.talk] {
			continue
		}
		if kept >= from {
			out = append(out, &search.DocumentMatch{ID: strconv.FormatInt(int64(h.talk), 10), Score: h.score})
		}
		kept++
	}
	if len(out) < perPage && uint64(len(all.ranked)) < all.total {
		return nil, nil // the page goes on beyond the talks kept
	}
	found := &runResult{
		SearchResult: &bleve.SearchResult{
			Status: &bleve.SearchStatus{Total: 1, Successful: 1},
			Total:  all.total - numExcluded,
			Hits:   out,
		},
		facets: emptyFacets(),
	}
	if len(out) > 0 {
		found.MaxScore = out[0].Score
	}
	if withFacets {
		rest, ok := all.less(hc)
		if !ok {
			return nil, nil
		}
		if found.facets, err = rest.facets(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// less returns a collector holding the facet counts of all talks but
// those counted by excluded, a search of the same snapshot (all talks'
// own when excluded is nil, to be read, not released); ok is false when
// excluded counted a term more often than all talks have it, which would
// be a bug.
func (a *allTalks) less(excluded *hitCollector) (rest *hitCollector, ok bool) {
	view := snapshotView{terms: a.terms, facetOf: a.facetOf}
	if excluded == nil {
		return &hitCollector{view: view, tally: tally{counts: a.counts, touched: a.touched}}, true
	}
	counts := slices.Clone(a.counts)
	for _, n := range excluded.touched {
		if int(n) >= len(counts) || counts[n] < excluded.counts[n] {
			return nil, false
		}
		counts[n] -= excluded.counts[n]
	}
	touched := slices.DeleteFunc(slices.Clone(a.touched), func(n uint32) bool { return counts[n] == 0 })
	return &hitCollector{view: view, tally: tally{counts: counts, touched: touched}}, true
}

// allTalksIn returns what a search of all talks finds in order, searching
// it again when the index's segments changed since it was kept (a write,
// or a merge, which clears no cache); nil when some segment has no
// columns yet.
func (ix *Index) allTalksIn(ctx context.Context, order []orderKey) (*allTalks, error) {
	key := fmt.Sprint(order)
	gen := ix.everything.generation()
	segments, ready, err := ix.currentSegments()
	if err != nil {
		return nil, err
	}
	if all, ok := ix.everything.get(key); ok && slices.Equal(all.segments, segments) {
		return all, nil
	}
	if !ready {
		return nil, nil // a search of all talks now would not be kept
	}
	res, hc, err := ix.collect(ctx, query.NewMatchAllQuery(), 0, 0, hitWants{facets: true, order: order, top: allRanked})
	if err != nil {
		return nil, fmt.Errorf("search all talks: %w", err)
	}
	if hc == nil {
		return nil, nil
	}
	defer hc.release()
	if hc.err != nil || len(hc.byTerm) > 0 {
		return nil, nil
	}
	all := &allTalks{
		total:    res.Total,
		counts:   slices.Clone(hc.counts),
		touched:  slices.Clone(hc.touched),
		terms:    hc.view.terms,
		facetOf:  hc.view.facetOf,
		ranked:   hc.best.sorted(),
		segments: segmentsOf(hc.snap),
	}
	ix.everything.put(key, gen, all)
	return all, nil
}

// keepAllTalksLater has keepAllTalks run after the background reads asked
// for so far, the columns it needs among them.
func (ix *Index) keepAllTalksLater() {
	if ix.warm.Load() && ix.allTalksQueued.CompareAndSwap(false, true) {
		ix.reads.start(ix.keepAllTalks)
	}
}

// keepAllTalks searches all talks newest first, as the search page's first
// view and searches that only exclude words list them, unless what is
// kept of that search is current: a server's first such search after a
// start, a write or a merge then finds it ready. It does nothing until
// every segment has its columns (the read of the last one calls it
// again). A failure is left for the next search to report.
func (ix *Index) keepAllTalks() {
	// Cleared first: a change from now on queues another run.
	ix.allTalksQueued.Store(false)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.usable() != nil {
		return
	}
	_, _ = ix.allTalksIn(context.Background(), allTalksOrder(columnOrder(catalog.SortRelevance, false)))
}

// allTalksOrder is order without the score, which all talks share: a
// search of all talks (but some) is kept and found in this order.
func allTalksOrder(order []orderKey) []orderKey {
	return slices.DeleteFunc(slices.Clone(order), func(o orderKey) bool { return o.key == keyScore })
}

// currentSegments returns the segments of the index as it is now, and
// whether every one has its columns, starting the reads of those that do
// not.
func (ix *Index) currentSegments() ([]segmentState, bool, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, false, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, false, nil
	}
	return segmentsOf(snap), ix.columns.ready(snap), nil
}
