package catalog

import (
	"cmp"
	"slices"
	"time"
)

// Sort orders for search results.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortOldest    = "oldest"
	SortRating    = "rating"
	// SortAdded lists the talks that entered the catalog last first; saved
	// search feeds use it.
	SortAdded = "added"
)

// Pagination bounds.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxPage        = 1000
)

// Facet names, as they appear in SearchResult.Facets and as filter keys.
const (
	FacetSeries  = "series"
	FacetEvent   = "event"
	FacetYear    = "year"
	FacetSpeaker = "speaker"
	FacetTag     = "tag"
	FacetRating  = "rating"
	FacetMyTag   = "my_tag"
	FacetWatch   = "watch"
)

// FacetNames lists every facet a search returns, in display order.
func FacetNames() []string {
	return []string{FacetSeries, FacetYear, FacetEvent, FacetSpeaker, FacetTag, FacetRating, FacetMyTag, FacetWatch}
}

// TalkFilter holds typed filters. Values within one field are alternatives
// (OR); different fields must all match (AND). Zero values mean "any".
// The JSON form is how saved searches keep their filters.
type TalkFilter struct {
	Series    []string `json:"series,omitempty"`
	Event     []string `json:"event,omitempty"`
	Year      []int    `json:"year,omitempty"`
	Speaker   []string `json:"speaker,omitempty"`
	Tag       []string `json:"tag,omitempty"`
	MyTag     []string `json:"my_tag,omitempty"` // the user's own tags
	MinRating int      `json:"min_rating,omitempty"`
	Watched   *bool    `json:"watched,omitempty"`
	Watch     []string `json:"watch,omitempty"` // WatchToWatch, WatchWatched
	// WatchedSince and WatchedBefore bound when a talk was marked watched
	// (since inclusive, before exclusive): "watched this month" is one
	// filter.
	WatchedSince  time.Time `json:"watched_since,omitzero"`
	WatchedBefore time.Time `json:"watched_before,omitzero"`
	Has           []string  `json:"has,omitempty"` // link kinds: LinkVideo, LinkSlides
	// Mine keeps the talks the user did something with: rated, noted,
	// tagged or put on the watch list.
	Mine bool `json:"mine,omitempty"`
}

// SearchRequest is a user's search: a query in talkdex's query syntax, typed
// filters, an order and a page.
type SearchRequest struct {
	Query   string
	Filter  TalkFilter
	Sort    string
	Page    int
	PerPage int
}

// Normalize applies defaults and reports out-of-range values as EINVALID.
func (r *SearchRequest) Normalize() error {
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
	switch r.Sort {
	case SortRelevance, SortNewest, SortOldest, SortRating, SortAdded:
	default:
		return Errorf(EINVALID, "unknown sort %q; use relevance, newest, oldest, rating or added", r.Sort)
	}
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Page < 1 || r.Page > MaxPage {
		return Errorf(EINVALID, "page %d is out of range 1..%d", r.Page, MaxPage)
	}
	if r.PerPage == 0 {
		r.PerPage = DefaultPerPage
	}
	if r.PerPage < 1 || r.PerPage > MaxPerPage {
		return Errorf(EINVALID, "per_page %d is out of range 1..%d", r.PerPage, MaxPerPage)
	}
	if r.Filter.MinRating < 0 || r.Filter.MinRating > MaxStars {
		return Errorf(EINVALID, "min_rating %d is out of range 0..%d", r.Filter.MinRating, MaxStars)
	}
	for _, w := range r.Filter.Watch {
		if w != WatchToWatch && w != WatchWatched {
			return Errorf(EINVALID, "unknown watch=%q; use to_watch or watched", w)
		}
	}
	if !r.Filter.WatchedSince.IsZero() && !r.Filter.WatchedBefore.IsZero() && !r.Filter.WatchedBefore.After(r.Filter.WatchedSince) {
		return Errorf(EINVALID, "watched_before must be after watched_since")
	}
	for _, h := range r.Filter.Has {
		if h != LinkVideo && h != LinkSlides {
			return Errorf(EINVALID, "unknown has=%q; use video or slides", h)
		}
	}
	return nil
}

// FacetValue is one value of a facet with the number of matching talks.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchHit is one result. The index fills ID, Score and Highlights; the
// service hydrates Talk from the store.
type SearchHit struct {
	ID         int64               `json:"-"`
	Talk       *Talk               `json:"talk"`
	Score      float64             `json:"score"`
	Highlights map[string][]string `json:"highlights,omitempty"`
}

// SearchResult is the API's search response.
type SearchResult struct {
	Total   int                     `json:"total"`
	Page    int                     `json:"page"`
	PerPage int                     `json:"per_page"`
	TookMS  float64                 `json:"took_ms"`
	Hits    []SearchHit             `json:"hits"`
	Facets  map[string][]FacetValue `json:"facets"`
	// Degraded marks an answer from the database alone while the search
	// index is being rebuilt: substring matches, no ranking, no facets.
	Degraded bool `json:"degraded,omitempty"`
	// DidYouMean is the query rewritten with its likely misspellings
	// corrected, offered when few talks match and the rewrite matches more;
	// empty otherwise.
	DidYouMean string `json:"did_you_mean,omitempty"`
	// CloseMatches says few or no talks matched the query as typed and the
	// hits include close matches after them: its words taken as typos, cut
	// short, or other forms of the talks' words, or one word of three or
	// more left out.
	CloseMatches bool `json:"close_matches,omitempty"`
	// Took is the wall time of the search, for logs and benchmarks.
	Took time.Duration `json:"-"`
}

// SortTiesNewest orders hits of equal score newest first (talks without a
// start last), keeping the order of everything else. The index sorts by
// score alone; this is the tie-break of relevance order, applied to the
// page shown.
func SortTiesNewest(hits []SearchHit) {
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 || a.Talk == nil || b.Talk == nil {
			return c
		}
		switch at, bt := a.Talk.Start, b.Talk.Start; {
		case at.Equal(bt):
			return 0
		case at.IsZero():
			return 1
		case bt.IsZero():
			return -1
		case at.After(bt):
			return -1
		default:
			return 1
		}
	})
}
