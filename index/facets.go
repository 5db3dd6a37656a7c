package index

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/talkdex/talkdex/internal/catalog"
)

// allFacetTerms asks Bleve for every distinct fieldFacet term of the hits;
// splitFacets then cuts them into the facets. One facet over one field is
// about a third cheaper than six facets over six fields or six prefix
// filters over one, because each hit's doc values are visited once.
const allFacetTerms = 1 << 20

// facetCacheSize bounds the number of cached facet sets.
const facetCacheSize = 256

// facetSize is how many values each facet returns. Years and ratings are
// few; the rest are long-tailed and only the top values are worth showing.
func facetSize(name string) int {
	switch name {
	case catalog.FacetYear:
		return 30
	case catalog.FacetRating:
		return catalog.MaxStars
	case catalog.FacetWatch:
		return 2
	default:
		return 20
	}
}

// splitFacets turns the counts of fieldFacet terms into every facet of
// catalog.FacetNames, each ordered by count, then value, and cut to its size.
// Every facet is present, empty if nothing matched.
func splitFacets(fr *search.FacetResult) map[string][]catalog.FacetValue {
	out := make(map[string][]catalog.FacetValue, len(catalog.FacetNames()))
	for _, name := range catalog.FacetNames() {
		out[name] = []catalog.FacetValue{}
	}
	if fr == nil {
		return out
	}
	names := make(map[string]string, len(catalog.FacetNames()))
	for _, name := range catalog.FacetNames() {
		names[facetCode(name)] = name
	}
	// Bleve returns the terms sorted by count descending, then term; a
	// common prefix keeps that order within each facet.
	for _, t := range fr.Terms.Terms() {
		code, value, ok := strings.Cut(t.Term, ":")
		name, known := names[code+":"]
		if !ok || !known || len(out[name]) >= facetSize(name) {
			continue
		}
		out[name] = append(out[name], catalog.FacetValue{Value: value, Count: t.Count})
	}
	return out
}

// facetCache remembers the facets of recent (query, filter) pairs. Facet
// counting visits every hit, which makes it the bulk of a broad search (the
// empty query on the search page counts all talks); the facets do not depend
// on sort or page, and the index only changes through Apply and Rebuild,
// which invalidate the cache.
type facetCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every write to the index
	entries map[string]map[string][]catalog.FacetValue
	order   []string // insertion order, for eviction
}

// generation is read before a search; put only keeps results computed
// within one generation.
func (c *facetCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// invalidate is called after every write to the index.
func (c *facetCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries, c.order = nil, nil
}

// get returns a copy of the cached facets for key.
func (c *facetCache) get(key string) (map[string][]catalog.FacetValue, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	facets, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	return copyFacets(facets), true
}

// put caches a copy of facets computed by a search that started in
// generation gen, unless the index changed since.
func (c *facetCache) put(key string, gen uint64, facets map[string][]catalog.FacetValue) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil {
		c.entries = map[string]map[string][]catalog.FacetValue{}
	}
	if _, ok := c.entries[key]; !ok {
		if len(c.order) >= facetCacheSize {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, key)
	}
	c.entries[key] = copyFacets(facets)
}

func copyFacets(facets map[string][]catalog.FacetValue) map[string][]catalog.FacetValue {
	out := make(map[string][]catalog.FacetValue, len(facets))
	for name, values := range facets {
		out[name] = slices.Clone(values)
	}
	return out
}

// facetKey identifies what the facets of a search depend on: the parsed
// query, whether its last word counts as a prefix, and the filters, with
// filter values in a canonical order.
func facetKey(clauses []clause, partial bool, f catalog.TalkFilter) string {
	var b strings.Builder
	b.WriteString("partial=")
	b.WriteString(strconv.FormatBool(partial))
	b.WriteByte('\n')
	for _, c := range clauses {
		b.WriteString(strconv.FormatBool(c.exclude))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatBool(c.or))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(c.lo))
		b.WriteString("..")
		b.WriteString(strconv.Itoa(c.hi))
		b.WriteByte(' ')
		b.WriteString(c.field)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatBool(c.phrase))
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(c.text))
		b.WriteByte('\n')
	}
	b.WriteString("--\n")
	// Every filter field must be part of the key, or two different
	// searches would share facet counts.
	for _, values := range [][]string{f.Series, f.Event, f.Speaker, f.Tag, f.Has, f.MyTag, f.Watch} {
		sorted := slices.Clone(values)
		slices.Sort(sorted)
		for _, v := range sorted {
			b.WriteString(strconv.Quote(v))
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
	}
	years := slices.Clone(f.Year)
	slices.Sort(years)
	for _, y := range years {
		b.WriteString(strconv.Itoa(y))
		b.WriteByte(' ')
	}
	b.WriteString("\nmin_rating=")
	b.WriteString(strconv.Itoa(f.MinRating))
	b.WriteString(" watched=")
	if f.Watched != nil {
		b.WriteString(strconv.FormatBool(*f.Watched))
	}
	b.WriteString(" mine=")
	b.WriteString(strconv.FormatBool(f.Mine))
	for _, at := range []time.Time{f.WatchedSince, f.WatchedBefore} {
		b.WriteString(" ")
		if !at.IsZero() {
			b.WriteString(at.UTC().Format(time.RFC3339Nano))
		}
	}
	return b.String()
}
