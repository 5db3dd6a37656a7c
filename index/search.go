package index

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// How the html highlighter wraps a match. Bleve v2.6's html fragment
// formatter HTML-escapes the talk text around and inside matches, so these
// tags are the only markup a fragment can contain (safeFragment checks).
const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// Search runs an already normalised request (req.Normalize was called) and
// returns hit ids and scores (Talk is left nil for the caller to hydrate;
// SearchLoading also highlights them), the total, every facet of
// catalog.FacetNames and, when few talks match, a "did you mean" rewrite of
// the query that matches more.
func (ix *Index) Search(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	return ix.SearchLoading(ctx, req, nil)
}

// PageLoader loads the talks of a page of hits, given their ids in rank
// order, keyed by id; a talk gone from the database is simply absent.
// The page's highlights are cut from the texts of the talks it returns.
type PageLoader func(ctx context.Context, ids []int64) (map[int64]*catalog.Talk, error)

// SearchLoading is Search with load, if not nil, called with the page's ids
// as soon as they are known, and the page highlighted in the talks it
// returns (Search, without them, highlights nothing). load runs on a
// goroutine of its own while the index finds where the page's talks
// matched: each takes about half a millisecond, and on two cores they need
// not wait for each other. SearchLoading returns only once load has
// returned, with its error.
func (ix *Index) SearchLoading(ctx context.Context, req catalog.SearchRequest, load PageLoader) (result *catalog.SearchResult, err error) {
	started := time.Now()
	clauses, err := parseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	partial := lastWordIsPartial(req.Query, clauses)
	// Page bounds are the caller's job (Normalize); these keep a caller
	// that skipped it from asking for an unbounded page.
	perPage := min(max(req.PerPage, 1), catalog.MaxPerPage)
	page := max(req.Page, 1)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return nil, err
	}
	// Read before the snapshot is taken, so that words looked up in it
	// are never cached as those of a later generation.
	wordsGen := ix.words.generation()
	reader, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer reader.Close()
	dict := &dictionary{ctx: ctx, r: reader, cache: ix.words, gen: wordsGen}
	if snap, ok := reader.(*scorch.IndexSnapshot); ok {
		dict.lists = ix.wordLists.view(snap)
	}

	comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: dict, partial: partial}
	top, hasText := comp.compile(clauses)
	filter := filterQuery(req.Filter)
	restrict(top, filter)

	gen, browseGen := ix.facets.generation(), ix.browsing.generation()
	key := facetKey(clauses, partial, req.Filter)
	var pageKey string
	if !hasText {
		// Nothing to score: the search page's first view, a filter, a
		// query of excluded words or stop words only. Such a search is
		// what it compiled to, whatever words were dropped on the way, so
		// it is cached whole under that.
		if compiled, err := json.Marshal(top); err == nil {
			key = "compiled:" + string(compiled)
			pageKey = fmt.Sprintf("%s\nsort=%s page=%d per_page=%d", key, req.Sort, page, perPage)
			if cached, ok := ix.browsing.get(pageKey); ok {
				if load != nil {
					if _, err := load(ctx, pageIDs(cached.Hits)); err != nil {
						return nil, err
					}
				}
				cached.Took = time.Since(started)
				cached.TookMS = float64(cached.Took.Microseconds()) / 1000
				return cached, nil
			}
		}
	}
	facets, cached := ix.facets.get(key)
	res, err := ix.run(ctx, top, comp.keys, req.Sort, perPage, page, hasText, !cached)
	if err != nil {
		return nil, fmt.Errorf("search index for %q: %w", req.Query, err)
	}
	closeMatched, asTypedTotal := false, 0
	if hasText && res.Total < fewHits && len(clauses) <= maxLooseClauses {
		// Next to nothing matches as typed: try again with every word
		// allowed to be a typo, cut short or another form of the talk's
		// word, and a longer query to miss one word, and say so when that
		// finds more. Only such a query pays for the second search.
		loose := *comp
		loose.loose = true
		second, _ := loose.compile(clauses)
		restrict(second, filter)
		found, err := ix.closeMatches(ctx, closeSearch{exact: top, loose: second, keys: loose.keys, sort: req.Sort, perPage: perPage, page: page, hasText: hasText}, res)
		if err != nil {
			return nil, fmt.Errorf("search index for close matches of %q: %w", req.Query, err)
		}
		if found != nil {
			asTypedTotal = int(res.Total)
			res, closeMatched = found, true
			// The close matches' facets replace the ones cached for
			// the query: the same query always gets the same second try.
			cached = false
		}
	}

	out := &catalog.SearchResult{
		Total:        int(res.Total),
		Page:         page,
		PerPage:      perPage,
		Hits:         make([]catalog.SearchHit, 0, len(res.Hits)),
		CloseMatches: closeMatched,
	}
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("search index: document id %q is not a talk id: %w", h.ID, err)
		}
		out.Hits = append(out.Hits, catalog.SearchHit{ID: id, Score: h.Score})
	}
	var (
		loaded chan struct{}
		talks  map[int64]*catalog.Talk
		lerr   error
		marks  []located
	)
	if load != nil {
		loaded = make(chan struct{})
		loadCtx, cancelLoad := context.WithCancel(ctx)
		ids := pageIDs(out.Hits)
		go func() {
			defer close(loaded)
			talks, lerr = load(loadCtx, ids)
		}()
		// Whatever happens below, load has returned before this does: it
		// writes into its caller's variables. A search that fails stops it.
		defer func() {
			if err != nil {
				cancelLoad()
			}
			<-loaded
			cancelLoad()
			if lerr != nil && err == nil {
				result, err = nil, lerr
			}
		}()
		for _, g := range res.highlights {
			found, err := ix.locate(ctx, reader, g.query, g.hits)
			if err != nil {
				return nil, err
			}
			marks = append(marks, found...)
		}
	}
	if !cached {
		facets = res.facets
		ix.facets.put(key, gen, facets)
	}
	out.Facets = facets
	if hasText && (out.Total < fewHits || closeMatched) {
		asTyped := out.Total
		if closeMatched {
			asTyped = asTypedTotal
		}
		suggestion, err := ix.didYouMean(ctx, dict, clauses, filter, asTyped)
		if err != nil {
			return nil, err
		}
		out.DidYouMean = suggestion
	}
	if load != nil {
		// The highlights are cut from the page's talks as loaded.
		if <-loaded; lerr != nil {
			return nil, lerr
		}
		if len(marks) > 0 {
			if err := cutFragments(marks, talks); err != nil {
				return nil, err
			}
			for i, h := range res.Hits {
				out.Hits[i].Highlights = marked(h.Fragments)
			}
		}
	}
	if pageKey != "" {
		ix.browsing.put(pageKey, browseGen, out)
	}
	out.Took = time.Since(started)
	out.TookMS = float64(out.Took.Microseconds()) / 1000
	return out, nil
}

// maxLooseClauses bounds the queries that get a second try: every word of
// it may grow a dozen alternatives, and a query of more words than this is
// pasted text, not something remembered.
const maxLooseClauses = 8

// closeSearch is the second try of a query: its exact and loose forms and
// the page asked for.
type closeSearch struct {
	exact, loose  query.Query
	keys          leafKeys // of both
	sort          string
	perPage, page int
	hasText       bool
}

// closeMatches runs the loose form of a query whose exact form found only
// asTyped's few talks, and returns its page of hits with facets, or nil
// when it finds no more. In relevance order the talks that matched as
// typed stay first: a close match never outranks an exact one.
func (ix *Index) closeMatches(ctx context.Context, cs closeSearch, asTyped *runResult) (*runResult, error) {
	if cs.sort != catalog.SortRelevance || asTyped.Total == 0 {
		found, err := ix.run(ctx, cs.loose, cs.keys, cs.sort, cs.perPage, cs.page, cs.hasText, true)
		if err != nil || found.Total <= asTyped.Total {
			return nil, err
		}
		return found, nil
	}
	// The page is cut from the exact hits followed by the close ones, so
	// the close ones are read from the start.
	found, err := ix.run(ctx, cs.loose, cs.keys, cs.sort, cs.page*cs.perPage+int(asTyped.Total), 1, cs.hasText, true)
	if err != nil || found.Total <= asTyped.Total {
		return nil, err
	}
	exact := asTyped.Hits
	if cs.page > 1 {
		first, err := ix.run(ctx, cs.exact, cs.keys, cs.sort, fewHits, 1, cs.hasText, false)
		if err != nil {
			return nil, err
		}
		exact = first.Hits
	}
	// Scores above every close match keep the exact hits first when the
	// caller orders ties (catalog.SortTiesNewest) by score.
	lift := found.MaxScore
	merged := make(search.DocumentMatchCollection, 0, len(exact)+len(found.Hits))
	seen := map[string]bool{}
	for _, h := range exact {
		h.Score += lift
		merged = append(merged, h)
		seen[h.ID] = true
	}
	// The loose form keeps every alternative of the exact one, so its
	// total counts the exact hits too.
	for _, h := range found.Hits {
		if !seen[h.ID] {
			merged = append(merged, h)
		}
	}
	from := min((cs.page-1)*cs.perPage, len(merged))
	found.Hits = merged[from:min(from+cs.perPage, len(merged))]
	// Each hit is highlighted with the form of the query that found it.
	var exactHits, closeHits search.DocumentMatchCollection
	for _, h := range found.Hits {
		if seen[h.ID] {
			exactHits = append(exactHits, h)
		} else {
			closeHits = append(closeHits, h)
		}
	}
	found.highlights = nil
	if cs.hasText {
		found.highlights = []highlightGroup{{cs.exact, exactHits}, {cs.loose, closeHits}}
	}
	return found, nil
}

// run runs a compiled query for one page of hits, with the facets when
// asked. Hits are sorted by score by Bleve, by anything else from the
// columns (see columnOrder). When the query has text, the result says how
// to highlight the page; the caller does it for the page it finally shows.
func (ix *Index) run(ctx context.Context, top query.Query, keys leafKeys, sort string, perPage, page int, hasText, withFacets bool) (*runResult, error) {
	order := columnOrder(sort, hasText)
	from := (page - 1) * perPage
	size, skip := perPage, from
	if order != nil {
		size, skip = 0, 0 // the collector keeps the page
	}
	shared := shareLeaves(top, keys)
	if excluded, ok := fromAllTalks(shared); ok && order != nil && !ix.wholeSearches {
		found, err := ix.complement(ctx, excluded, order, from, perPage, withFacets)
		if err != nil || found != nil {
			return found, err
		}
	}
	res, hc, err := ix.collect(ctx, shared, size, skip, hitWants{facets: withFacets, order: order, top: from + perPage})
	if err != nil {
		return nil, err
	}
	out := &runResult{SearchResult: res, facets: emptyFacets()}
	if hc != nil {
		defer hc.release()
		if order != nil {
			if res.Hits, err = hc.page(from, perPage); err != nil {
				return nil, err
			}
		}
		if withFacets {
			if out.facets, err = hc.facets(); err != nil {
				return nil, err
			}
		}
	}
	if hasText {
		out.highlights = []highlightGroup{{top, res.Hits}}
	}
	return out, nil
}

// collect runs q for Bleve's page of size hits after skip, by score, and
// passes every hit through a hitCollector for wants; the collector is nil
// when wants is empty, and the caller releases it.
func (ix *Index) collect(ctx context.Context, q query.Query, size, skip int, wants hitWants) (*bleve.SearchResult, *hitCollector, error) {
	if ix.parts > 1 {
		return ix.runInParts(ctx, q, size, skip, wants)
	}
	sr := bleve.NewSearchRequestOptions(q, size, skip, false)
	sr.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}})
	var hc *hitCollector
	if wants.any() {
		ctx = ix.columns.collecting(ctx, wants, func(c *hitCollector) { hc = c })
	}
	res, err := ix.bi.SearchInContext(ctx, sr)
	if err != nil && hc != nil {
		hc.release()
		hc = nil
	}
	return res, hc, err
}

// runResult is one run's result, with its facets when they were asked for.
type runResult struct {
	*bleve.SearchResult
	facets map[string][]catalog.FacetValue
	// highlights are the page's hits grouped by the query to highlight
	// them with; none when the query has no text.
	highlights []highlightGroup
}

// highlightGroup is hits to highlight with the matches of query.
type highlightGroup struct {
	query query.Query
	hits  search.DocumentMatchCollection
}

// pageIDs lists the talk ids of hits, in order.
func pageIDs(hits []catalog.SearchHit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// reader opens a snapshot of the index for dictionary lookups. Callers hold
// mu and close it.
func (ix *Index) reader() (bleveindex.IndexReader, error) {
	adv, err := ix.bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	return r, nil
}

// marked keeps the fragments that highlight something (Bleve returns the
// start of every requested field even where nothing matched) and are safe to
// put into HTML as they are.
func marked(fragments search.FieldFragmentMap) map[string][]string {
	var out map[string][]string
	for field, frags := range fragments {
		for _, f := range frags {
			if !strings.Contains(f, markOpen) || !safeFragment(f) {
				continue
			}
			if out == nil {
				out = map[string][]string{}
			}
			out[field] = append(out[field], f)
		}
	}
	return out
}

// safeFragment reports whether f has no markup but <mark> and </mark>.
// Escaped text has no '<' or '>' left, so any other tag means the text was
// not escaped; such a fragment is dropped rather than trusted. This keeps
// highlights HTML-safe even if a Bleve upgrade changes its formatter.
func safeFragment(f string) bool {
	rest := strings.ReplaceAll(strings.ReplaceAll(f, markOpen, ""), markClose, "")
	return !strings.ContainsAny(rest, "<>")
}

// restrict makes top match only what filter matches, without changing any
// score. Bleve's own filter (BooleanQuery.AddFilter) checks every hit of the
// rest of the query against it: a search for a common word within one
// event walked all the talks with the word, and then its second try (few
// talks match) walked them again with every close word. As one more
// required part scoring nothing, the filter leads the conjunction, which
// only visits the talks it matches. A nil filter leaves top as it is.
func restrict(top *query.BooleanQuery, filter query.Query) {
	if filter == nil {
		return
	}
	unscored(filter)
	if must, ok := top.Must.(*query.ConjunctionQuery); ok {
		must.AddQuery(filter)
		return
	}
	// Not a query compile builds; Bleve's filter is still right, if slow.
	top.AddFilter(filter)
}

// unscored sets the boost of q and of every query in it to zero, so that
// matching it adds nothing to a talk's score.
func unscored(q query.Query) {
	switch q := q.(type) {
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			unscored(c)
		}
	case *query.DisjunctionQuery:
		for _, d := range q.Disjuncts {
			unscored(d)
		}
	}
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(0)
	}
}

// filterQuery builds the typed filters: values of one field are
// alternatives, fields must all match. It returns nil when nothing filters.
func filterQuery(f catalog.TalkFilter) query.Query {
	var all []query.Query
	addTerms := func(field string, values []string) {
		var alts []query.Query
		for _, v := range values {
			if v == "" {
				continue
			}
			alts = append(alts, fieldTerm(field, filterValue(v)))
		}
		if q := orQuery(alts); q != nil {
			all = append(all, q)
		}
	}
	addTerms(fieldSeries, f.Series)
	addTerms(fieldEvent, f.Event)
	addTerms(fieldSpeaker, f.Speaker)
	addTerms(fieldTag, f.Tag)
	addTerms(fieldMyTag, f.MyTag)
	addTerms(fieldWatch, f.Watch)
	if !f.WatchedSince.IsZero() || !f.WatchedBefore.IsZero() {
		// watched_at is fixed-width UTC text, so a term range is a time
		// range; only watched talks have the field.
		var since, before string
		if !f.WatchedSince.IsZero() {
			since = f.WatchedSince.UTC().Format(startLayout)
		}
		if !f.WatchedBefore.IsZero() {
			before = f.WatchedBefore.UTC().Format(startLayout)
		}
		inclusive, exclusive := true, false
		q := query.NewTermRangeInclusiveQuery(since, before, &inclusive, &exclusive)
		q.SetField(fieldWatchedAt)
		all = append(all, q)
	}

	var years []query.Query
	for _, y := range f.Year {
		years = append(years, numericEquals(fieldYearNum, float64(y)))
	}
	if q := orQuery(years); q != nil {
		all = append(all, q)
	}

	if f.MinRating > 0 {
		lowest, inclusive := float64(f.MinRating), true
		q := query.NewNumericRangeInclusiveQuery(&lowest, nil, &inclusive, nil)
		q.SetField(fieldRatingNum)
		all = append(all, q)
	}
	if f.Mine {
		q := query.NewBoolFieldQuery(true)
		q.SetField(fieldMine)
		all = append(all, q)
	}
	if f.Watched != nil {
		q := query.NewBoolFieldQuery(*f.Watched)
		q.SetField(fieldWatched)
		all = append(all, q)
	}
	var has []query.Query
	for _, kind := range f.Has {
		field := ""
		switch kind {
		case catalog.LinkVideo:
			field = fieldHasVideo
		case catalog.LinkSlides:
			field = fieldHasSlides
		default:
			continue // Normalize rejects other kinds
		}
		q := query.NewBoolFieldQuery(true)
		q.SetField(field)
		has = append(has, q)
	}
	if q := orQuery(has); q != nil {
		all = append(all, q)
	}

	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	default:
		return query.NewConjunctionQuery(all)
	}
}

func numericEquals(field string, v float64) query.Query {
	inclusive := true
	q := query.NewNumericRangeInclusiveQuery(&v, &v, &inclusive, &inclusive)
	q.SetField(field)
	return q
}

// numericBetween matches lo <= field <= hi.
func numericBetween(field string, lo, hi int) query.Query {
	from, to, inclusive := float64(lo), float64(hi), true
	q := query.NewNumericRangeInclusiveQuery(&from, &to, &inclusive, &inclusive)
	q.SetField(field)
	return q
}

// orQuery is a disjunction, without the wrapper for a single query; nil for
// none.
func orQuery(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	default:
		return query.NewDisjunctionQuery(qs)
	}
}
