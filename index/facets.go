package index

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

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

// emptyFacets is every facet of catalog.FacetNames with no values.
func emptyFacets() map[string][]catalog.FacetValue {
	out := make(map[string][]catalog.FacetValue, len(catalog.FacetNames()))
	for _, name := range catalog.FacetNames() {
		out[name] = []catalog.FacetValue{}
	}
	return out
}

// copyResult copies a search result deep enough that the copy's hits and
// facets can be changed (hydrated, trimmed) without touching the original.
func copyResult(r *catalog.SearchResult) *catalog.SearchResult {
	out := *r
	out.Hits = slices.Clone(r.Hits)
	out.Facets = copyFacets(r.Facets)
	return &out
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
		b.WriteString(strconv.FormatBool(c.Exclude))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatBool(c.Or))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(c.Lo))
		b.WriteString("..")
		b.WriteString(strconv.Itoa(c.Hi))
		b.WriteByte(' ')
		b.WriteString(c.Field)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatBool(c.Phrase))
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(c.Text))
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
