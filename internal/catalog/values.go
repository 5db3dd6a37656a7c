package catalog

import (
	"net/url"
	"strconv"
	"time"
)

// Values encodes the request as the search API's query parameters
// (GET /api/v1/talks and the search page): the one encoding that the CLI's
// remote searches, saved-search links and feeds share. Empty fields are
// left out.
func (r SearchRequest) Values() url.Values {
	v := url.Values{}
	set := func(key, value string) {
		if value != "" {
			v.Set(key, value)
		}
	}
	add := func(key string, values []string) {
		for _, x := range values {
			v.Add(key, x)
		}
	}
	setInt := func(key string, n int) {
		if n != 0 {
			v.Set(key, strconv.Itoa(n))
		}
	}
	setTime := func(key string, t time.Time) {
		if !t.IsZero() {
			v.Set(key, t.UTC().Format(time.RFC3339))
		}
	}
	set("q", r.Query)
	f := r.Filter
	add("series", f.Series)
	add("event", f.Event)
	for _, y := range f.Year {
		v.Add("year", strconv.Itoa(y))
	}
	add("speaker", f.Speaker)
	add("tag", f.Tag)
	add("my_tag", f.MyTag)
	setInt("min_rating", f.MinRating)
	if f.Watched != nil {
		v.Set("watched", strconv.FormatBool(*f.Watched))
	}
	add("watch", f.Watch)
	setTime("watched_since", f.WatchedSince)
	setTime("watched_before", f.WatchedBefore)
	add("has", f.Has)
	if f.Mine {
		v.Set("mine", "true")
	}
	set("sort", r.Sort)
	setInt("page", r.Page)
	setInt("per_page", r.PerPage)
	return v
}
