package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestSearchAPIQuery(t *testing.T) {
	env := newTestEnv(t)
	res := env.search("q=roce")
	if res.Total != 1 || len(res.Hits) != 1 {
		t.Fatalf("q=roce: total %d, %d hits; want 1", res.Total, len(res.Hits))
	}
	hit := res.Hits[0]
	if hit.Talk == nil || hit.Talk.Title != "RoCE in the Data Centre" {
		t.Fatalf("q=roce: hit %+v", hit.Talk)
	}
	if hit.Talk.ID == 0 || hit.Talk.Series != "AusNOG" || len(hit.Talk.Speakers) != 1 {
		t.Errorf("hit is not a full talk record: %+v", hit.Talk)
	}
	marked := false
	for _, frags := range hit.Highlights {
		for _, f := range frags {
			if strings.Contains(strings.ToLower(f), "<mark>roce</mark>") {
				marked = true
			}
		}
	}
	if !marked {
		t.Errorf("no highlight marks roce: %v", hit.Highlights)
	}
	if res.Page != 1 || res.PerPage != catalog.DefaultPerPage {
		t.Errorf("page %d per_page %d, want 1 and %d", res.Page, res.PerPage, catalog.DefaultPerPage)
	}
}

func TestSearchAPIResponseShape(t *testing.T) {
	env := newTestEnv(t)
	_, body := env.do(http.MethodGet, "/api/v1/talks?q=bgp", "", "")
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"total", "page", "per_page", "took_ms", "hits", "facets"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("search response lacks %q: %s", key, body)
		}
	}
	var hits []map[string]json.RawMessage
	if err := json.Unmarshal(raw["hits"], &hits); err != nil || len(hits) == 0 {
		t.Fatalf("hits: %v (%s)", err, raw["hits"])
	}
	for _, key := range []string{"talk", "score"} {
		if _, ok := hits[0][key]; !ok {
			t.Errorf("hit lacks %q", key)
		}
	}
}

func TestSearchAPIFilters(t *testing.T) {
	env := newTestEnv(t)
	ctx := context.Background()
	// Personal data for the rating and watched filters.
	if err := env.svc.SetRating(ctx, env.talkID("RPKI Deployment Status"), 5); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetRating(ctx, env.talkID("Peering DB Update"), 3); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetWatched(ctx, env.talkID("Peering DB Update"), true); err != nil {
		t.Fatal(err)
	}
	rated := map[string]int{"RPKI Deployment Status": 5, "Peering DB Update": 3}

	tests := []struct {
		query string
		keep  func(*catalog.Talk) bool
	}{
		{"series=AusNOG", func(t *catalog.Talk) bool { return t.Series == "AusNOG" }},
		{"series=AusNOG&series=DENOG", func(t *catalog.Talk) bool { return t.Series == "AusNOG" || t.Series == "DENOG" }},
		{"event=RIPE+86", func(t *catalog.Talk) bool { return t.Event == "RIPE 86" }},
		{"year=2023", func(t *catalog.Talk) bool { return t.Year == 2023 }},
		{"year=2017&year=2022", func(t *catalog.Talk) bool { return t.Year == 2017 || t.Year == 2022 }},
		{"speaker=Tom+Lee", func(t *catalog.Talk) bool { return slices.Contains(t.SpeakerNames(), "Tom Lee") }},
		{"tag=bgp", func(t *catalog.Talk) bool { return slices.Contains(t.Tags, "bgp") }},
		{"has=video", func(t *catalog.Talk) bool { return t.HasLink(catalog.LinkVideo) }},
		{"has=slides", func(t *catalog.Talk) bool { return t.HasLink(catalog.LinkSlides) }},
		{"min_rating=4", func(t *catalog.Talk) bool { return rated[t.Title] >= 4 }},
		{"min_rating=1", func(t *catalog.Talk) bool { return rated[t.Title] >= 1 }},
		{"watched=true", func(t *catalog.Talk) bool { return t.Title == "Peering DB Update" }},
		{"watched=false", func(t *catalog.Talk) bool { return t.Title != "Peering DB Update" }},
		{"series=AusNOG&year=2023", func(t *catalog.Talk) bool { return t.Series == "AusNOG" && t.Year == 2023 }},
		{"q=bgp&series=RIPE", func(t *catalog.Talk) bool {
			return t.Series == "RIPE" && (strings.Contains(strings.ToLower(t.Title+" "+t.Abstract), "bgp") || slices.Contains(t.Tags, "bgp"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			want := map[string]bool{}
			for _, s := range seedTalks() {
				s.Normalize()
				if tt.keep(s) {
					want[s.Title] = true
				}
			}
			res := env.search(tt.query + "&per_page=100")
			if res.Total != len(want) {
				t.Errorf("total %d, want %d", res.Total, len(want))
			}
			got := map[string]bool{}
			for _, h := range res.Hits {
				got[h.Talk.Title] = true
				if !want[h.Talk.Title] {
					t.Errorf("unexpected hit %q", h.Talk.Title)
				}
			}
			for title := range want {
				if !got[title] {
					t.Errorf("missing hit %q", title)
				}
			}
		})
	}
}

func TestSearchAPIFacets(t *testing.T) {
	env := newTestEnv(t)
	res := env.search("")
	if want := seedCount(func(*catalog.Talk) bool { return true }); res.Total != want {
		t.Fatalf("empty query: total %d, want every talk (%d)", res.Total, want)
	}
	for _, name := range []string{"series", "year", "event", "speaker", "tag"} {
		if len(res.Facets[name]) == 0 {
			t.Errorf("facet %q missing or empty: %v", name, res.Facets)
		}
	}
	counts := map[string]int{}
	for _, fv := range res.Facets["series"] {
		counts[fv.Value] = fv.Count
	}
	for _, series := range []string{"AusNOG", "DENOG", "RIPE"} {
		want := seedCount(func(t *catalog.Talk) bool { return t.Series == series })
		if counts[series] != want {
			t.Errorf("series facet %s = %d, want %d", series, counts[series], want)
		}
	}
	// Facets count all matches, not just the page.
	paged := env.search("per_page=1&series=AusNOG")
	if len(paged.Facets["year"]) != 2 {
		t.Errorf("year facet of AusNOG with per_page=1: %v, want 2022 and 2023", paged.Facets["year"])
	}
}

func TestSearchAPISortAndPagination(t *testing.T) {
	env := newTestEnv(t)
	total := seedCount(func(*catalog.Talk) bool { return true })

	newest := env.search("sort=newest&per_page=100")
	oldest := env.search("sort=oldest&per_page=100")
	if len(newest.Hits) != total || len(oldest.Hits) != total {
		t.Fatalf("got %d and %d hits, want %d", len(newest.Hits), len(oldest.Hits), total)
	}
	for i := 1; i < total; i++ {
		if newest.Hits[i].Talk.Start.After(newest.Hits[i-1].Talk.Start) {
			t.Errorf("sort=newest: hit %d (%s) is newer than hit %d", i, newest.Hits[i].Talk.Start, i-1)
		}
		if oldest.Hits[i].Talk.Start.Before(oldest.Hits[i-1].Talk.Start) {
			t.Errorf("sort=oldest: hit %d (%s) is older than hit %d", i, oldest.Hits[i].Talk.Start, i-1)
		}
	}

	if err := env.svc.SetRating(context.Background(), env.talkID("DNS Privacy Measurements"), 5); err != nil {
		t.Fatal(err)
	}
	byRating := env.search("sort=rating")
	if len(byRating.Hits) == 0 || byRating.Hits[0].Talk.Title != "DNS Privacy Measurements" {
		t.Errorf("sort=rating: first hit is not the only rated talk")
	}

	seen := map[int64]bool{}
	pages := (total + 2) / 3
	for page := 1; page <= pages; page++ {
		res := env.search(fmt.Sprintf("sort=oldest&per_page=3&page=%d", page))
		if res.Page != page || res.PerPage != 3 || res.Total != total {
			t.Errorf("page %d: got page %d per_page %d total %d", page, res.Page, res.PerPage, res.Total)
		}
		wantHits := min(3, total-(page-1)*3)
		if len(res.Hits) != wantHits {
			t.Errorf("page %d: %d hits, want %d", page, len(res.Hits), wantHits)
		}
		for _, h := range res.Hits {
			if seen[h.Talk.ID] {
				t.Errorf("talk %d on two pages", h.Talk.ID)
			}
			seen[h.Talk.ID] = true
		}
	}
	if len(seen) != total {
		t.Errorf("pages covered %d talks, want %d", len(seen), total)
	}
	beyond := env.search(fmt.Sprintf("per_page=3&page=%d", pages+1))
	if len(beyond.Hits) != 0 || beyond.Total != total {
		t.Errorf("page past the end: %d hits total %d, want 0 hits total %d", len(beyond.Hits), beyond.Total, total)
	}
}

func TestSearchAPIBadParameters(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		query string
		name  string // must appear in the message
	}{
		{"sort=sideways", "sort"},
		{"year=twenty", "year"},
		{"year=2023&year=x", "year"},
		{"min_rating=lots", "min_rating"},
		{"min_rating=9", "min_rating"},
		{"page=first", "page"},
		{"page=0", "page"},
		{"page=1&page=2", "page"},
		{"per_page=1000", "per_page"},
		{"per_page=-1", "per_page"},
		{"watched=maybe", "watched"},
		{"has=audio", "has"},
		{"q=" + url.QueryEscape(`"unterminated`), "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := env.do(http.MethodGet, "/api/v1/talks?"+tt.query, "", "")
			msg := env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
			if !strings.Contains(msg, tt.name) {
				t.Errorf("message %q does not name %q", msg, tt.name)
			}
		})
	}
}

func TestGetTalk(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("Peering DB Update")
	var talk catalog.Talk
	env.getJSON(fmt.Sprintf("/api/v1/talks/%d", id), http.StatusOK, &talk)
	if talk.ID != id || talk.Title != "Peering DB Update" || talk.Series != "DENOG" || talk.Event != "DENOG9" ||
		talk.Year != 2017 || talk.Language != "de" || len(talk.Speakers) != 1 || talk.Speakers[0].Affiliation != "PeeringDB" {
		t.Errorf("talk record: %+v", talk)
	}

	tests := []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/talks/999999", http.StatusNotFound, catalog.ENOTFOUND},
		{"/api/v1/talks/abc", http.StatusBadRequest, catalog.EINVALID},
		{"/api/v1/talks/0", http.StatusBadRequest, catalog.EINVALID},
		{"/api/v1/talks/-3", http.StatusBadRequest, catalog.EINVALID},
		{"/api/v1/talks/99999999999999999999999", http.StatusBadRequest, catalog.EINVALID},
		{"/api/v1/nope", http.StatusNotFound, catalog.ENOTFOUND},
	}
	for _, tt := range tests {
		resp, body := env.do(http.MethodGet, tt.path, "", "")
		env.expectAPIError(resp, body, tt.status, tt.code)
	}
}

func TestRatingAPI(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RoCE in the Data Centre")
	path := fmt.Sprintf("/api/v1/talks/%d/rating", id)

	for stars := catalog.MinStars; stars <= catalog.MaxStars; stars++ {
		resp, body := env.do(http.MethodPut, path, "application/json", fmt.Sprintf(`{"stars": %d}`, stars))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT stars=%d: %d %s", stars, resp.StatusCode, body)
		}
		var talk catalog.Talk
		if err := json.Unmarshal(body, &talk); err != nil {
			t.Fatal(err)
		}
		if talk.Rating != stars || talk.ID != id {
			t.Errorf("PUT stars=%d returned rating %d id %d", stars, talk.Rating, talk.ID)
		}
	}
	for _, stars := range []int{0, 6, -1, 100} {
		resp, body := env.do(http.MethodPut, path, "application/json", fmt.Sprintf(`{"stars": %d}`, stars))
		env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
		if got := env.findTalk(id).Rating; got != catalog.MaxStars {
			t.Errorf("after rejected stars=%d the rating is %d, want %d unchanged", stars, got, catalog.MaxStars)
		}
	}

	resp, body := env.do(http.MethodDelete, path, "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE rating: %d %s", resp.StatusCode, body)
	}
	var cleared catalog.Talk
	if err := json.Unmarshal(body, &cleared); err != nil || cleared.Rating != 0 {
		t.Errorf("DELETE rating returned %s", body)
	}
	if got := env.findTalk(id).Rating; got != 0 {
		t.Errorf("stored rating after DELETE = %d", got)
	}

	resp, body = env.do(http.MethodPut, "/api/v1/talks/999999/rating", "application/json", `{"stars": 3}`)
	env.expectAPIError(resp, body, http.StatusNotFound, catalog.ENOTFOUND)
	resp, body = env.do(http.MethodDelete, "/api/v1/talks/999999/rating", "", "")
	env.expectAPIError(resp, body, http.StatusNotFound, catalog.ENOTFOUND)
}

func TestNoteAPI(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("DNS Privacy Measurements")
	path := fmt.Sprintf("/api/v1/talks/%d/note", id)

	resp, body := env.do(http.MethodPut, path, "application/json", `{"text": "Compare with the zebrafish study.\n\n- [ ] rewatch"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT note: %d %s", resp.StatusCode, body)
	}
	var talk catalog.Talk
	if err := json.Unmarshal(body, &talk); err != nil || !strings.Contains(talk.Note, "zebrafish") {
		t.Fatalf("PUT note returned %s", body)
	}
	// The note is searchable.
	res := env.search("q=zebrafish")
	if res.Total != 1 || res.Hits[0].Talk.ID != id {
		t.Errorf("q=zebrafish after the note: total %d", res.Total)
	}

	big := strings.Repeat("x", catalog.MaxNoteBytes+1)
	resp, body = env.do(http.MethodPut, path, "application/json", fmt.Sprintf(`{"text": %q}`, big))
	env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
	if got := env.findTalk(id).Note; !strings.Contains(got, "zebrafish") {
		t.Errorf("note after the rejected oversized note = %.40q, want the old one", got)
	}

	resp, body = env.do(http.MethodPut, path, "application/json", `{"text": ""}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("clear note: %d %s", resp.StatusCode, body)
	}
	if got := env.findTalk(id).Note; got != "" {
		t.Errorf("note after empty text = %q", got)
	}
	if res := env.search("q=zebrafish"); res.Total != 0 {
		t.Errorf("q=zebrafish after clearing the note: total %d", res.Total)
	}
}

func TestWatchedAPI(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("Segment Routing in Practice")
	path := fmt.Sprintf("/api/v1/talks/%d/watched", id)
	for _, watched := range []bool{true, false, true} {
		resp, body := env.do(http.MethodPut, path, "application/json", fmt.Sprintf(`{"watched": %t}`, watched))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT watched=%t: %d %s", watched, resp.StatusCode, body)
		}
		var talk catalog.Talk
		if err := json.Unmarshal(body, &talk); err != nil || talk.Watched != watched {
			t.Errorf("PUT watched=%t returned %s", watched, body)
		}
		if env.findTalk(id).Watched != watched {
			t.Errorf("stored watched != %t", watched)
		}
	}
}

// TestBadRequestBodies sends broken bodies to every write; each must get a
// JSON error with the right status and code, never a 5xx, and nothing is
// logged as an internal error.
func TestBadRequestBodies(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RoCE in the Data Centre")
	rating := fmt.Sprintf("/api/v1/talks/%d/rating", id)
	note := fmt.Sprintf("/api/v1/talks/%d/note", id)
	watched := fmt.Sprintf("/api/v1/talks/%d/watched", id)
	const jsonType = "application/json"
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		status      int
		code        string
		mention     string // the message must contain this
	}{
		{"invalid JSON", http.MethodPut, rating, jsonType, `{"stars": }`, 400, catalog.EINVALID, "invalid JSON"},
		{"truncated JSON", http.MethodPut, rating, jsonType, `{"stars": 3`, 400, catalog.EINVALID, "invalid JSON"},
		{"trailing data", http.MethodPut, rating, jsonType, `{"stars": 3} {"stars": 4}`, 400, catalog.EINVALID, "invalid JSON"},
		{"unknown field", http.MethodPut, rating, jsonType, `{"stars": 3, "color": "red"}`, 400, catalog.EINVALID, "color"},
		{"wrong type string", http.MethodPut, rating, jsonType, `{"stars": "five"}`, 400, catalog.EINVALID, "stars"},
		{"wrong type float", http.MethodPut, rating, jsonType, `{"stars": 4.5}`, 400, catalog.EINVALID, "integer"},
		{"wrong type bool", http.MethodPut, watched, jsonType, `{"watched": "yes"}`, 400, catalog.EINVALID, "boolean"},
		{"wrong type note", http.MethodPut, note, jsonType, `{"text": 42}`, 400, catalog.EINVALID, "string"},
		{"not an object", http.MethodPut, rating, jsonType, `[1, 2]`, 400, catalog.EINVALID, "object"},
		{"empty body", http.MethodPut, rating, jsonType, ``, 400, catalog.EINVALID, "empty"},
		{"missing stars", http.MethodPut, rating, jsonType, `{}`, 400, catalog.EINVALID, "stars"},
		{"null stars", http.MethodPut, rating, jsonType, `{"stars": null}`, 400, catalog.EINVALID, "stars"},
		{"missing text", http.MethodPut, note, jsonType, `{}`, 400, catalog.EINVALID, "text"},
		{"missing watched", http.MethodPut, watched, jsonType, `{}`, 400, catalog.EINVALID, "watched"},
		{"oversized body", http.MethodPut, note, jsonType, `{"text": "` + strings.Repeat("a", DefaultMaxBodyBytes) + `"}`, 413, catalog.EINVALID, "limit"},
		{"no content type", http.MethodPut, rating, "", `{"stars": 3}`, 415, catalog.EINVALID, "application/json"},
		{"form content type", http.MethodPut, rating, "application/x-www-form-urlencoded", `stars=3`, 415, catalog.EINVALID, "application/json"},
		{"text content type", http.MethodPut, note, "text/plain", `{"text": "x"}`, 415, catalog.EINVALID, "application/json"},
		{"wrong method on rating", http.MethodPost, rating, jsonType, `{"stars": 3}`, 405, catalog.EINVALID, "POST"},
		{"wrong method on talk", http.MethodDelete, fmt.Sprintf("/api/v1/talks/%d", id), "", "", 405, catalog.EINVALID, "DELETE"},
		{"wrong method on search", http.MethodPost, "/api/v1/talks", jsonType, `{}`, 405, catalog.EINVALID, "POST"},
		{"bad id on write", http.MethodPut, "/api/v1/talks/x/rating", jsonType, `{"stars": 3}`, 400, catalog.EINVALID, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.do(tt.method, tt.path, tt.contentType, tt.body)
			msg := env.expectAPIError(resp, body, tt.status, tt.code)
			if !strings.Contains(msg, tt.mention) {
				t.Errorf("message %q does not mention %q", msg, tt.mention)
			}
		})
	}
	if got := env.findTalk(id); got.Rating != 0 || got.Note != "" || got.Watched {
		t.Errorf("rejected writes changed the talk: rating %d note %q watched %t", got.Rating, got.Note, got.Watched)
	}
	if logs := env.logs.String(); logs != "" {
		t.Errorf("bad input was logged as an internal error:\n%s", logs)
	}
}

// TestOversizedBodyWithoutLength checks the limit on a chunked body, which
// declares no Content-Length.
func TestOversizedBodyWithoutLength(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RoCE in the Data Centre")
	body := `{"text": "` + strings.Repeat("a", DefaultMaxBodyBytes) + `"}`
	req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/talks/%d/note", env.ts.URL, id), struct{ *strings.Reader }{strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if req.ContentLength != 0 {
		t.Fatalf("request has a Content-Length; the test needs a chunked body")
	}
	resp, data := env.send(env.ts.Client(), req)
	env.expectAPIError(resp, data, http.StatusRequestEntityTooLarge, catalog.EINVALID)
}

func TestSeriesAndEventsAPI(t *testing.T) {
	env := newTestEnv(t)
	var series struct {
		Series []catalog.Series `json:"series"`
	}
	env.getJSON("/api/v1/series", http.StatusOK, &series)
	names := map[string]catalog.Series{}
	for _, s := range series.Series {
		names[s.Name] = s
	}
	if len(names) != 3 || names["RIPE"].TalkCount != 3 || names["RIPE"].EventCount != 2 {
		t.Errorf("series: %+v", series.Series)
	}

	var events struct {
		Events []catalog.Event `json:"events"`
	}
	env.getJSON("/api/v1/events", http.StatusOK, &events)
	if len(events.Events) != 5 {
		t.Errorf("%d events, want 5", len(events.Events))
	}
	env.getJSON("/api/v1/events?series=AusNOG", http.StatusOK, &events)
	if len(events.Events) != 2 {
		t.Errorf("%d AusNOG events, want 2", len(events.Events))
	}
	for _, ev := range events.Events {
		if ev.Series != "AusNOG" {
			t.Errorf("series=AusNOG returned an event of %s", ev.Series)
		}
	}
	resp, body := env.do(http.MethodGet, "/api/v1/events?year=soon", "", "")
	env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)

	id := env.eventID("AusNOG 2023")
	var ev struct {
		Event *catalog.Event `json:"event"`
		Talks []catalog.Talk `json:"talks"`
		Total int            `json:"total"`
	}
	env.getJSON(fmt.Sprintf("/api/v1/events/%d", id), http.StatusOK, &ev)
	if ev.Event == nil || ev.Event.Name != "AusNOG 2023" || ev.Event.Series != "AusNOG" {
		t.Fatalf("event: %+v", ev.Event)
	}
	if len(ev.Talks) != 2 || ev.Total != 2 {
		t.Fatalf("event talks: %d (total %d), want 2", len(ev.Talks), ev.Total)
	}
	if ev.Talks[0].Title != "RoCE in the Data Centre" || ev.Talks[1].Title != "BGP Route Reflector Design" {
		t.Errorf("event talks not in time order: %q, %q", ev.Talks[0].Title, ev.Talks[1].Title)
	}
	for _, tt := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/events/999999", http.StatusNotFound, catalog.ENOTFOUND},
		{"/api/v1/events/first", http.StatusBadRequest, catalog.EINVALID},
		{fmt.Sprintf("/api/v1/events/%d?page=x", id), http.StatusBadRequest, catalog.EINVALID},
	} {
		resp, body := env.do(http.MethodGet, tt.path, "", "")
		env.expectAPIError(resp, body, tt.status, tt.code)
	}
}

func TestHealthz(t *testing.T) {
	env := newTestEnv(t)
	var health map[string]any
	env.getJSON("/healthz", http.StatusOK, &health)
	if health["status"] != "ok" {
		t.Errorf("status = %v", health["status"])
	}
	if n, _ := health["talks"].(float64); int(n) != len(seedTalks()) {
		t.Errorf("talks = %v, want %d", health["talks"], len(seedTalks()))
	}
	resp, body := env.do(http.MethodPost, "/healthz", "application/json", "{}")
	env.expectAPIError(resp, body, http.StatusMethodNotAllowed, catalog.EINVALID)
}

// failingService fails or panics in the ways a broken store would.
type failingService struct {
	catalog.TalkService
}

func (failingService) FindTalkByID(context.Context, int64) (*catalog.Talk, error) {
	return nil, fmt.Errorf("query talks: %w", errors.New("disk I/O error at /var/secret/talkdex.db"))
}

func (failingService) Stats(context.Context) (*catalog.Stats, error) {
	panic("stats exploded")
}

func TestInternalErrorsAreGenericAndLogged(t *testing.T) {
	env := newTestEnvWith(t, failingService{newTestService(t)})
	resp, body := env.do(http.MethodGet, "/api/v1/talks/1", "", "")
	msg := env.expectAPIError(resp, body, http.StatusInternalServerError, catalog.EINTERNAL)
	if strings.Contains(string(body), "secret") || strings.Contains(msg, "disk") {
		t.Errorf("internal detail leaked to the client: %s", body)
	}
	if !strings.Contains(env.logs.String(), "disk I/O error") {
		t.Errorf("internal error not logged; logs:\n%s", env.logs.String())
	}

	resp, body = env.do(http.MethodGet, "/healthz", "", "")
	env.expectAPIError(resp, body, http.StatusInternalServerError, catalog.EINTERNAL)
	if strings.Contains(string(body), "exploded") {
		t.Errorf("panic text leaked: %s", body)
	}
	if !strings.Contains(env.logs.String(), "stats exploded") {
		t.Errorf("panic not logged; logs:\n%s", env.logs.String())
	}

	resp, body = env.do(http.MethodGet, "/talks/1", "", "")
	if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("HTML page on internal error: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if strings.Contains(string(body), "secret") {
		t.Errorf("internal detail leaked into the HTML page")
	}
}
