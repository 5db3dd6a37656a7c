package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Search query parameters, shared by the API and the search page.
const (
	paramQuery         = "q"
	paramSeries        = "series"
	paramEvent         = "event"
	paramYear          = "year"
	paramSpeaker       = "speaker"
	paramTag           = "tag"
	paramMinRating     = "min_rating"
	paramWatched       = "watched"
	paramMyTag         = "my_tag"
	paramWatch         = "watch"
	paramWatchedSince  = "watched_since"
	paramWatchedBefore = "watched_before"
	paramHas           = "has"
	paramMine          = "mine"
	paramSort          = "sort"
	paramPage          = "page"
	paramPerPage       = "per_page"
)

// Limits on a query string. Go's url.ParseQuery refuses more than 10000
// parameters; talkdex's lower limit lets the error name the number. No
// search form needs more than a few dozen values of one filter.
const (
	maxQueryParams  = 1000
	maxFilterValues = 50
)

// filterParams are the parameters that narrow a search, in the order the
// search page shows them as chips.
func filterParams() []string {
	return []string{paramSeries, paramEvent, paramYear, paramSpeaker, paramTag, paramMyTag, paramMinRating,
		paramWatched, paramWatch, paramWatchedSince, paramWatchedBefore, paramHas, paramMine}
}

// searchParams are all parameters a search understands.
func searchParams() []string {
	return append([]string{paramQuery, paramSort, paramPage, paramPerPage}, filterParams()...)
}

// queryValues parses the request's query string. echo's QueryParams drops
// url.ParseQuery's error and keeps what it could parse, or nothing at all
// past Go's parameter limit, which silently widens a search; a malformed
// query string is reported instead.
func queryValues(c echo.Context) (url.Values, error) {
	raw := c.Request().URL.RawQuery
	// Counted the way url.ParseQuery counts, before it does the work.
	if n := strings.Count(raw, "&") + 1; n > maxQueryParams {
		return nil, catalogInvalid("the query string has %d parameters; at most %d are accepted", n, maxQueryParams)
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, catalogInvalid("the query string is malformed: %s", err)
	}
	return values, nil
}

// cleanSearchValues keeps the known search parameters with non-empty values.
// A GET form submits empty fields (q=&sort=), which mean "not given".
func cleanSearchValues(q url.Values) url.Values {
	out := url.Values{}
	for _, key := range searchParams() {
		for _, v := range q[key] {
			if v = strings.TrimSpace(v); v != "" {
				out.Add(key, v)
			}
		}
	}
	return out
}

// parseSearchRequest turns query parameters into a normalised SearchRequest.
// Filters may repeat (series=A&series=B means either); numbers and booleans
// that do not parse are reported naming the parameter.
func parseSearchRequest(raw url.Values) (catalog.SearchRequest, error) {
	q := cleanSearchValues(raw)
	req := catalog.SearchRequest{
		Query: q.Get(paramQuery),
		Sort:  q.Get(paramSort),
		Filter: catalog.TalkFilter{
			Series:  q[paramSeries],
			Event:   q[paramEvent],
			Speaker: q[paramSpeaker],
			Tag:     q[paramTag],
			MyTag:   q[paramMyTag],
			Watch:   q[paramWatch],
			Has:     q[paramHas],
		},
	}
	for _, key := range filterParams() {
		if n := len(q[key]); n > maxFilterValues {
			return req, catalogInvalid("%s is given %d times; at most %d values are accepted", key, n, maxFilterValues)
		}
	}
	for _, v := range q[paramYear] {
		year, err := parseInt(paramYear, v)
		if err != nil {
			return req, err
		}
		req.Filter.Year = append(req.Filter.Year, year)
	}
	var err error
	if req.Filter.MinRating, err = singleInt(q, paramMinRating); err != nil {
		return req, err
	}
	if req.Page, err = pageParam(q); err != nil {
		return req, err
	}
	if req.PerPage, err = singleInt(q, paramPerPage); err != nil {
		return req, err
	}
	// Normalize reads 0 as "default"; a 0 the user typed is out of range.
	if q.Has(paramPerPage) && req.PerPage < 1 {
		return req, catalogInvalid("per_page %d is out of range 1..%d", req.PerPage, catalog.MaxPerPage)
	}
	if vs := q[paramWatched]; len(vs) > 0 {
		if len(vs) > 1 {
			return req, catalogInvalid("%s may be given only once", paramWatched)
		}
		watched, err := strconv.ParseBool(vs[0])
		if err != nil {
			return req, catalogInvalid("%s=%q is not a boolean; use true or false", paramWatched, vs[0])
		}
		req.Filter.Watched = &watched
	}
	if vs := q[paramMine]; len(vs) > 0 {
		mine, err := strconv.ParseBool(vs[0])
		if err != nil || len(vs) > 1 {
			return req, catalogInvalid("%s=%q is not a single boolean; use true or false", paramMine, vs[0])
		}
		req.Filter.Mine = mine
	}
	if req.Filter.WatchedSince, err = singleDate(q, paramWatchedSince); err != nil {
		return req, err
	}
	if req.Filter.WatchedBefore, err = singleDate(q, paramWatchedBefore); err != nil {
		return req, err
	}
	if err := req.Normalize(); err != nil {
		return req, err
	}
	return req, nil
}

// singleDate reads a date parameter: YYYY-MM-DD (midnight UTC), YYYY-MM
// (the first of the month) or an RFC 3339 time. Zero means not given.
func singleDate(q url.Values, key string) (time.Time, error) {
	vs := q[key]
	switch len(vs) {
	case 0:
		return time.Time{}, nil
	case 1:
	default:
		return time.Time{}, catalogInvalid("%s may be given only once", key)
	}
	for _, layout := range []string{time.DateOnly, "2006-01", time.RFC3339} {
		if t, err := time.Parse(layout, vs[0]); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, catalogInvalid("%s=%q is not a date; use YYYY-MM-DD, YYYY-MM or an RFC 3339 time", key, vs[0])
}

// pageParam reads ?page= of cleaned values; 0 means not given. The search
// API and an event's talk list share it so that both reject the same pages.
func pageParam(q url.Values) (int, error) {
	page, err := singleInt(q, paramPage)
	if err != nil {
		return 0, err
	}
	// Normalize reads 0 as "default"; a page the user gave must be in range.
	if q.Has(paramPage) && (page < 1 || page > catalog.MaxPage) {
		return 0, catalogInvalid("page %d is out of range 1..%d", page, catalog.MaxPage)
	}
	return page, nil
}

func singleInt(q url.Values, key string) (int, error) {
	vs := q[key]
	switch len(vs) {
	case 0:
		return 0, nil
	case 1:
		return parseInt(key, vs[0])
	default:
		return 0, catalogInvalid("%s may be given only once", key)
	}
}

func parseInt(key, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, catalogInvalid("%s=%q is not an integer", key, v)
	}
	return n, nil
}

// pathID parses the :id path parameter; what names the kind of record for
// the error message.
func pathID(c echo.Context, what string) (int64, error) {
	raw := c.Param("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, catalogInvalid("%s id %q is not a positive integer", what, raw)
	}
	return id, nil
}

// decodeJSONBody decodes exactly one JSON object into dst, rejecting unknown
// fields and trailing data, and reports each failure as a 400 (or 413) with
// a message that names the field at fault.
func decodeJSONBody(c echo.Context, dst any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return describeJSONError(err)
	}
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return describeJSONError(err)
	default:
		return catalogInvalid("invalid JSON: unexpected data after the object")
	}
}

func describeJSONError(err error) error {
	var tooLarge *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		return catalogInvalid("request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return catalogInvalid("invalid JSON: unexpected end of input")
	case errors.As(err, &syntaxErr):
		return catalogInvalid("invalid JSON: %s (at byte %d)", strings.TrimPrefix(syntaxErr.Error(), "json: "), syntaxErr.Offset)
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return catalogInvalid("request body must be a JSON object, not %s", typeErr.Value)
		}
		return catalogInvalid("field %q must be %s, not %s", typeErr.Field, describeType(typeErr.Type), typeErr.Value)
	}
	// encoding/json reports unknown fields only as text.
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return catalogInvalid("unknown field %s", field)
	}
	return catalogInvalid("invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	default:
		return fmt.Sprintf("of type %s", t)
	}
}

// pathParam is a path parameter as the client meant it. echo unescapes
// parameters when it routes on the decoded path, but routes on the raw one
// (and leaves parameters escaped) when the request's escaping differs from
// Go's own, as with "what's%20new" from a browser's encodeURIComponent.
func pathParam(c echo.Context, name string) (string, error) {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v, nil
	}
	u, err := url.PathUnescape(v)
	if err != nil {
		return "", catalogInvalid("%s %q is not a valid path segment", name, v)
	}
	return u, nil
}
