package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// searchPage is the data of the search page. Every link on it is built from
// the current query parameters, so filters, query, sort and page size
// survive any click.
type searchPage struct {
	layout
	Query    string
	Sort     string
	Sorts    []option
	Hidden   []hiddenField // active filters, kept when the form is submitted again
	Hits     []hitView
	Facets   []facetView
	Chips    []chip
	ClearURL string
	Total    int
	From     int
	To       int
	Pager    pager
	Error    string
	Filtered bool // a query or a filter is active
	// DidYouMean is a respelled query that finds more talks, with its link.
	DidYouMean, DidYouMeanURL string
	// CloseMatches says few or no talks matched as typed and the list
	// holds close matches too (typos, words cut short, other forms).
	CloseMatches bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type hiddenField struct{ Name, Value string }

type hitView struct {
	Talk             *catalog.Talk
	Title            template.HTML
	TitleHighlighted bool
	Snippets         []snippet
	Links            []catalog.Link // video and slides only
}

type snippet struct {
	Field string
	Label string
	HTML  template.HTML
}

type facetView struct {
	Name, Label string
	Values      []facetLink
}

type facetLink struct {
	Label  string
	Count  int
	URL    string
	Active bool
}

// chip is an active filter; URL is the search without exactly that filter.
type chip struct {
	Label string
	URL   string
}

type pager struct {
	Prev, Next string
	Pages      []pageLink
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // an ellipsis before this page
}

// Display limits of the search page.
const (
	maxSnippetsPerField = 2  // highlight fragments shown per field of a result
	maxFacetValues      = 12 // values listed per facet; active ones are always listed
)

func searchTitle(q string) string {
	if q == "" {
		return "Search"
	}
	return fmt.Sprintf("“%s”", q)
}

func sortOptions(current string) []option {
	opts := []option{
		{Value: catalog.SortRelevance, Label: "Relevance"},
		{Value: catalog.SortNewest, Label: "Newest first"},
		{Value: catalog.SortOldest, Label: "Oldest first"},
		{Value: catalog.SortRating, Label: "Highest rated"},
	}
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	return opts
}

// hitView prepares one result. Highlights come from the index as HTML with
// <mark>; they are sanitised down to text and <mark> before being trusted.
func (s *Server) hitView(hit catalog.SearchHit) hitView {
	t := hit.Talk
	v := hitView{Talk: t, Title: template.HTML(template.HTMLEscapeString(t.Title))}
	for _, l := range t.Links {
		if l.Kind == catalog.LinkVideo || l.Kind == catalog.LinkSlides {
			v.Links = append(v.Links, l)
		}
	}
	if frags := hit.Highlights["title"]; len(frags) > 0 {
		// Use the highlighted title only when it is the whole title, not a
		// fragment of a long one.
		clean := s.markdown.SanitizeHighlight(frags[0])
		if plainText(string(clean)) == t.Title {
			v.Title, v.TitleHighlighted = clean, true
		}
	}
	for _, field := range highlightFields(hit.Highlights) {
		frags := hit.Highlights[field]
		if len(frags) > maxSnippetsPerField {
			frags = frags[:maxSnippetsPerField]
		}
		for _, f := range frags {
			if strings.TrimSpace(f) == "" {
				continue
			}
			v.Snippets = append(v.Snippets, snippet{Field: field, Label: fieldLabel(field), HTML: s.markdown.SanitizeHighlight(f)})
		}
	}
	return v
}

// highlightFields orders the highlighted fields other than the title: the
// ones people read first, then anything else the index returns.
func highlightFields(h map[string][]string) []string {
	preferred := []string{"abstract", "note", "speakers", "speaker", "tags", "tag", "event"}
	seen := map[string]bool{"title": true}
	var out []string
	for _, f := range preferred {
		if _, ok := h[f]; ok && !seen[f] {
			out = append(out, f)
		}
		seen[f] = true
	}
	var rest []string
	for f := range h {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func fieldLabel(field string) string {
	switch field {
	case "abstract":
		return "Abstract"
	case "note":
		return "Your note"
	case "speakers", "speaker":
		return "Speakers"
	case "tags", "tag":
		return "Tags"
	case "event":
		return "Event"
	default:
		if field == "" {
			return ""
		}
		return strings.ToUpper(field[:1]) + field[1:]
	}
}

func facetLabel(name string) string {
	switch name {
	case catalog.FacetRating:
		return "Rating"
	default:
		return fieldLabel(name)
	}
}

// facetParam is the filter parameter a facet's values set.
func facetParam(facet string) string {
	if facet == catalog.FacetRating {
		return paramMinRating
	}
	return facet
}

// facetViews turns the facets into links that add their value as a filter,
// or drop it when it is already active.
func facetViews(facets map[string][]catalog.FacetValue, values url.Values) []facetView {
	var out []facetView
	for _, name := range catalog.FacetNames() {
		fvs := facets[name]
		if len(fvs) == 0 {
			continue
		}
		view := facetView{Name: name, Label: facetLabel(name)}
		switch name {
		case catalog.FacetRating:
			fvs = atLeastCounts(fvs)
		case catalog.FacetYear:
			// Years read best in time order, newest first.
			fvs = slices.Clone(fvs)
			sort.SliceStable(fvs, func(i, j int) bool { return fvs[i].Value > fvs[j].Value })
		}
		key := facetParam(name)
		shown := 0
		for _, fv := range fvs {
			active := hasValue(values, key, fv.Value)
			if shown >= maxFacetValues && !active {
				continue
			}
			shown++
			link := facetLink{Label: fv.Value, Count: fv.Count, Active: active}
			switch {
			case link.Active:
				link.URL = searchURL(withoutValue(values, key, fv.Value))
			case key == paramMinRating:
				v := newSearch(values)
				v.Set(key, fv.Value)
				link.URL = searchURL(v)
			default:
				v := newSearch(values)
				v.Add(key, fv.Value)
				link.URL = searchURL(v)
			}
			if name == catalog.FacetRating {
				link.Label = ratingLabel(fv.Value)
			}
			view.Values = append(view.Values, link)
		}
		out = append(out, view)
	}
	return out
}

// atLeastCounts turns per-rating counts into "this many stars or more"
// counts, which is what the min_rating filter a rating link sets returns.
func atLeastCounts(fvs []catalog.FacetValue) []catalog.FacetValue {
	type rated struct {
		stars int
		count int
	}
	var rs []rated
	for _, fv := range fvs {
		n, err := strconv.Atoi(fv.Value)
		if err != nil || n < catalog.MinStars || n > catalog.MaxStars {
			continue
		}
		rs = append(rs, rated{n, fv.Count})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].stars > rs[j].stars })
	out := make([]catalog.FacetValue, 0, len(rs))
	total := 0
	for _, r := range rs {
		total += r.count
		out = append(out, catalog.FacetValue{Value: strconv.Itoa(r.stars), Count: total})
	}
	return out
}

func ratingLabel(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil {
		return v
	}
	if n >= catalog.MaxStars {
		return starString(n)
	}
	return starString(n) + " & up"
}

func chipLabel(key, v string) string {
	switch key {
	case paramMinRating:
		return "Rating: " + ratingLabel(v)
	case paramWatched:
		if b, err := strconv.ParseBool(v); err == nil {
			if b {
				return "Watched"
			}
			return "Not watched"
		}
	case paramHas:
		return "Has " + v
	}
	return fieldLabel(key) + ": " + v
}

// buildPager makes prev/next links and a window of page numbers around the
// current page, always including the first and the last.
func buildPager(total, page, perPage int, pageURL func(int) string) pager {
	if perPage < 1 {
		return pager{}
	}
	pages := (total + perPage - 1) / perPage
	if pages > catalog.MaxPage {
		pages = catalog.MaxPage
	}
	if pages <= 1 && page <= 1 {
		return pager{}
	}
	var p pager
	if page > 1 {
		p.Prev = pageURL(min(page-1, max(pages, 1)))
	}
	if page < pages {
		p.Next = pageURL(page + 1)
	}
	const window = 2
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-window || n > page+window) {
			continue
		}
		p.Pages = append(p.Pages, pageLink{Number: n, URL: pageURL(n), Current: n == page, Gap: last != 0 && n != last+1})
		last = n
	}
	return p
}

// URL helpers. Only the pager links to a page number: any change of query
// or filter starts again at page 1.

func searchURL(v url.Values) string {
	if v.Get(paramPage) == "1" {
		v = cloneValues(v)
		v.Del(paramPage)
	}
	if enc := v.Encode(); enc != "" {
		return "/?" + enc
	}
	return "/"
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// newSearch copies v for a link that changes the query or the filters, which
// starts again at page 1.
func newSearch(v url.Values) url.Values {
	out := cloneValues(v)
	out.Del(paramPage)
	return out
}

func keepOnly(v url.Values, keys ...string) url.Values {
	out := url.Values{}
	for _, k := range keys {
		if vs, ok := v[k]; ok {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

func hasValue(v url.Values, key, value string) bool {
	for _, x := range v[key] {
		if x == value {
			return true
		}
	}
	return false
}

// withoutValue drops every occurrence of key=value and nothing else (and
// the page number).
func withoutValue(v url.Values, key, value string) url.Values {
	out := newSearch(v)
	var kept []string
	for _, x := range out[key] {
		if x != value {
			kept = append(kept, x)
		}
	}
	if len(kept) == 0 {
		delete(out, key)
	} else {
		out[key] = kept
	}
	return out
}

// searchTimeout bounds one search. Bleve stops a search whose context ends,
// so a query that is expensive by design cannot hold a request, or the
// machine, for long.
const searchTimeout = 5 * time.Second

// searchTalks runs a search under searchTimeout. A search stopped by it is
// reported as the query's fault (400), with what to do about it; a client
// that went away is no error of the server's either.
func (s *Server) searchTalks(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	ctx, cancel := context.WithTimeout(ctx, s.searchTimeout)
	defer cancel()
	res, err := s.svc.SearchTalks(ctx, req)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, catalog.Errorf(catalog.EINVALID, "the search took longer than %v and was stopped; narrow the query or add filters", s.searchTimeout)
	}
	return res, err
}
