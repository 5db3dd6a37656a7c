package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
)

// putJSON sends a JSON write and decodes a 2xx answer into v.
func (e *testEnv) writeJSON(method, path, body string, want int, v any) {
	e.t.Helper()
	resp, data := e.do(method, path, "application/json", body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s %s: status %d, want %d; body %s", method, path, body, resp.StatusCode, want, data)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

func TestAPIWatchList(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RPKI Deployment Status")
	path := fmt.Sprintf("/api/v1/talks/%d/watch", id)
	before := time.Now().UTC().Add(-time.Second)

	var talk catalog.Talk
	env.writeJSON(http.MethodPut, path, `{"status": "to_watch"}`, http.StatusOK, &talk)
	if talk.Watch != catalog.WatchToWatch || talk.Watched || talk.ToWatchAt.Before(before) || !talk.WatchedAt.IsZero() {
		t.Fatalf("after to_watch: watch %q watched %v to_watch_at %v watched_at %v", talk.Watch, talk.Watched, talk.ToWatchAt, talk.WatchedAt)
	}
	if got := hitTitles(env.search("watch=to_watch")); !slices.Equal(got, []string{"RPKI Deployment Status"}) {
		t.Errorf("watch=to_watch finds %v", got)
	}
	if got := hitTitles(env.search("mine=true")); !slices.Equal(got, []string{"RPKI Deployment Status"}) {
		t.Errorf("mine=true finds %v", got)
	}

	env.writeJSON(http.MethodPut, path, `{"status": "watched"}`, http.StatusOK, &talk)
	if talk.Watch != catalog.WatchWatched || !talk.Watched || talk.WatchedAt.Before(before) || talk.ToWatchAt.IsZero() {
		t.Fatalf("after watched: watch %q watched %v to_watch_at %v watched_at %v", talk.Watch, talk.Watched, talk.ToWatchAt, talk.WatchedAt)
	}
	month := time.Now().UTC().Format("2006-01")
	next := time.Now().UTC().AddDate(0, 1, 0).Format("2006-01")
	if got := hitTitles(env.search("watched_since=" + month + "&watched_before=" + next)); !slices.Equal(got, []string{"RPKI Deployment Status"}) {
		t.Errorf("watched this month finds %v", got)
	}
	if got := hitTitles(env.search("watched_before=" + month)); len(got) != 0 {
		t.Errorf("watched before this month finds %v", got)
	}
	res := env.search("")
	if !slices.Equal(res.Facets[catalog.FacetWatch], []catalog.FacetValue{{Value: "watched", Count: 1}}) {
		t.Errorf("watch facet %v", res.Facets[catalog.FacetWatch])
	}

	talk = catalog.Talk{}
	env.writeJSON(http.MethodPut, path, `{"status": "none"}`, http.StatusOK, &talk)
	if talk.Watch != "" || talk.Watched || !talk.ToWatchAt.IsZero() {
		t.Errorf("after none: watch %q watched %v to_watch_at %v", talk.Watch, talk.Watched, talk.ToWatchAt)
	}

	for _, body := range []string{`{"status": "maybe"}`, `{}`, `{"status": 1}`} {
		resp, data := env.do(http.MethodPut, path, "application/json", body)
		env.expectAPIError(resp, data, http.StatusBadRequest, catalog.EINVALID)
	}
	resp, data := env.do(http.MethodGet, "/api/v1/talks?watched_since=last-week", "", "")
	if msg := env.expectAPIError(resp, data, http.StatusBadRequest, catalog.EINVALID); !strings.Contains(msg, "watched_since") {
		t.Errorf("message %q does not name watched_since", msg)
	}
}

func TestAPIPersonalTags(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("Measuring BGP Convergence")
	base := fmt.Sprintf("/api/v1/talks/%d/tags", id)

	var talk catalog.Talk
	env.writeJSON(http.MethodPost, base, `{"tags": ["To  Share", "BGP", "bgp"]}`, http.StatusOK, &talk)
	if !slices.Equal(talk.MyTags, []string{"bgp", "to share"}) {
		t.Fatalf("my_tags %v, want [bgp to share]", talk.MyTags)
	}
	if slices.Contains(talk.Tags, "to share") {
		t.Errorf("personal tag leaked into the source's tags %v", talk.Tags)
	}
	if got := hitTitles(env.search("my_tag=to+share")); !slices.Equal(got, []string{"Measuring BGP Convergence"}) {
		t.Errorf("my_tag filter finds %v", got)
	}
	if got := hitTitles(env.search("q=mytag:share")); !slices.Equal(got, []string{"Measuring BGP Convergence"}) {
		t.Errorf("mytag: query finds %v", got)
	}
	var tags struct{ Tags []catalog.TagCount }
	env.getJSON("/api/v1/tags", http.StatusOK, &tags)
	if len(tags.Tags) != 2 {
		t.Errorf("GET /tags = %v", tags.Tags)
	}

	env.writeJSON(http.MethodDelete, base+"/to%20share", "", http.StatusOK, &talk)
	if !slices.Equal(talk.MyTags, []string{"bgp"}) {
		t.Errorf("after delete: my_tags %v", talk.MyTags)
	}
	env.writeJSON(http.MethodPost, base, `{"tags": ["100% done"]}`, http.StatusOK, &talk)
	env.writeJSON(http.MethodDelete, base+"/100%25%20done", "", http.StatusOK, &talk)
	if !slices.Equal(talk.MyTags, []string{"bgp"}) {
		t.Errorf("a tag with a percent sign is not removed: my_tags %v", talk.MyTags)
	}
	// A browser's encodeURIComponent leaves ' unescaped, which Go would
	// escape: the parameter must still be read as meant.
	env.writeJSON(http.MethodPost, base, `{"tags": ["what's new"]}`, http.StatusOK, &talk)
	env.writeJSON(http.MethodDelete, base+"/what's%20new", "", http.StatusOK, &talk)
	if slices.Contains(talk.MyTags, "what's new") {
		t.Errorf("a tag with an apostrophe is not removed: my_tags %v", talk.MyTags)
	}
	env.writeJSON(http.MethodPut, base, `{"tags": ["later"]}`, http.StatusOK, &talk)
	if !slices.Equal(talk.MyTags, []string{"later"}) {
		t.Errorf("after replace: my_tags %v", talk.MyTags)
	}
	if got := hitTitles(env.search("my_tag=bgp")); len(got) != 0 {
		t.Errorf("a removed tag still finds %v", got)
	}

	many := make([]string, catalog.MaxTagsOnTalk+1)
	for i := range many {
		many[i] = fmt.Sprintf("%q", fmt.Sprintf("t%d", i))
	}
	for _, body := range []string{`{"tags": ["a,b"]}`, `{"tags": [""]}`, `{"tags": "bgp"}`, `{}`,
		`{"tags": ["` + strings.Repeat("x", 41) + `"]}`, `{"tags": [` + strings.Join(many, ",") + `]}`} {
		resp, data := env.do(http.MethodPost, base, "application/json", body)
		env.expectAPIError(resp, data, http.StatusBadRequest, catalog.EINVALID)
	}
	if got := env.findTalk(id).MyTags; !slices.Equal(got, []string{"later"}) {
		t.Errorf("rejected writes changed the tags: %v", got)
	}
}

func TestAPINoteHistory(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("Peering DB Update")
	note := fmt.Sprintf("/api/v1/talks/%d/note", id)
	env.writeJSON(http.MethodPut, note, `{"text": "first thoughts"}`, http.StatusOK, nil)
	env.writeJSON(http.MethodPut, note, `{"text": "second thoughts"}`, http.StatusOK, nil)

	var h catalog.NoteHistory
	env.getJSON(note+"/history", http.StatusOK, &h)
	if h.Current != "second thoughts" || len(h.Revisions) != 1 || h.Revisions[0].Body != "first thoughts" {
		t.Fatalf("history %+v", h)
	}
	var talk catalog.Talk
	env.writeJSON(http.MethodPost, note+"/revert", fmt.Sprintf(`{"revision": %d}`, h.Revisions[0].ID), http.StatusOK, &talk)
	if talk.Note != "first thoughts" {
		t.Errorf("after revert the note is %q", talk.Note)
	}
	env.getJSON(note+"/history", http.StatusOK, &h)
	if len(h.Revisions) != 2 || h.Revisions[0].Body != "second thoughts" || !strings.Contains(h.Revisions[0].Source, "revert") {
		t.Errorf("the reverted-away body is not the newest revision: %+v", h.Revisions)
	}

	resp, data := env.do(http.MethodPost, note+"/revert", "application/json", `{"revision": 999999}`)
	env.expectAPIError(resp, data, http.StatusNotFound, catalog.ENOTFOUND)
	resp, data = env.do(http.MethodGet, "/api/v1/talks/999999/note/history", "", "")
	env.expectAPIError(resp, data, http.StatusNotFound, catalog.ENOTFOUND)
}

// TestAPINoteConcurrentWriters: two clients overwrite one note at once. The
// last write wins and the history holds every other body.
func TestAPINoteConcurrentWriters(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("DNS Privacy Measurements")
	note := fmt.Sprintf("/api/v1/talks/%d/note", id)
	const writers = 8
	done := make(chan int, writers)
	for w := range writers {
		go func() {
			req, _ := http.NewRequest(http.MethodPut, env.ts.URL+note, strings.NewReader(fmt.Sprintf(`{"text": "from writer %d"}`, w)))
			req.Header.Set("Content-Type", "application/json")
			resp, err := env.ts.Client().Do(req)
			if err == nil {
				resp.Body.Close()
				done <- resp.StatusCode
				return
			}
			done <- 0
		}()
	}
	for range writers {
		if code := <-done; code != http.StatusOK {
			t.Fatalf("a writer got status %d", code)
		}
	}
	var h catalog.NoteHistory
	env.getJSON(note+"/history", http.StatusOK, &h)
	bodies := []string{h.Current}
	for _, r := range h.Revisions {
		bodies = append(bodies, r.Body)
	}
	for w := range writers {
		if !slices.Contains(bodies, fmt.Sprintf("from writer %d", w)) {
			t.Errorf("writer %d's note is lost: current %q, history %d bodies", w, h.Current, len(h.Revisions))
		}
	}
}

func TestAPISavedSearches(t *testing.T) {
	env := newTestEnv(t)
	var ss catalog.SavedSearch
	env.writeJSON(http.MethodPost, "/api/v1/searches",
		`{"name": "BGP at RIPE", "q": "convergence", "filters": {"series": ["RIPE"]}}`, http.StatusCreated, &ss)
	if ss.ID == 0 || ss.Name != "BGP at RIPE" || !slices.Equal(ss.Filter.Series, []string{"RIPE"}) {
		t.Fatalf("created %+v", ss)
	}
	resp, data := env.do(http.MethodPost, "/api/v1/searches", "application/json", `{"name": "bgp at ripe", "q": "x"}`)
	env.expectAPIError(resp, data, http.StatusConflict, catalog.ECONFLICT)

	var found catalog.SavedSearch
	env.getJSON("/api/v1/searches/BGP%20at%20RIPE", http.StatusOK, &found)
	env.writeJSON(http.MethodPost, "/api/v1/searches", `{"name": "it's bgp", "q": "bgp"}`, http.StatusCreated, nil)
	env.getJSON("/api/v1/searches/it's%20bgp", http.StatusOK, &found)
	env.writeJSON(http.MethodDelete, "/api/v1/searches/it's%20bgp", "", http.StatusNoContent, nil)
	var res catalog.SearchResult
	env.getJSON("/api/v1/searches/BGP%20at%20RIPE/talks", http.StatusOK, &res)
	if got := hitTitles(res); !slices.Equal(got, []string{"Measuring BGP Convergence"}) {
		t.Errorf("running the saved search finds %v", got)
	}

	resp, data = env.do(http.MethodGet, "/api/v1/searches/BGP%20at%20RIPE/feed.atom", "", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, data)
	}
	if feed.FeedType != "atom" || len(feed.Items) != 1 || feed.Items[0].Title != "Measuring BGP Convergence" ||
		!strings.HasPrefix(feed.Items[0].Link, env.ts.URL+"/talks/") {
		t.Errorf("feed %s with %d items: %+v", feed.FeedType, len(feed.Items), feed.Items)
	}

	env.writeJSON(http.MethodPut, "/api/v1/searches/bgp%20at%20ripe",
		`{"name": "Routing", "q": "bgp OR rpki", "filters": {"series": ["RIPE"]}, "sort": "newest"}`, http.StatusOK, &ss)
	if ss.Name != "Routing" || ss.Sort != catalog.SortNewest {
		t.Errorf("updated %+v", ss)
	}
	var list struct{ Searches []catalog.SavedSearch }
	env.getJSON("/api/v1/searches", http.StatusOK, &list)
	if len(list.Searches) != 1 || list.Searches[0].Name != "Routing" {
		t.Errorf("list %+v", list.Searches)
	}
	env.writeJSON(http.MethodPost, "/api/v1/searches", `{"name": "Other", "q": "dns"}`, http.StatusCreated, nil)
	resp, data = env.do(http.MethodPut, "/api/v1/searches/Other", "application/json", `{"name": "routing", "q": "dns"}`)
	env.expectAPIError(resp, data, http.StatusConflict, catalog.ECONFLICT)
	env.writeJSON(http.MethodDelete, "/api/v1/searches/Other", "", http.StatusNoContent, nil)
	env.writeJSON(http.MethodDelete, "/api/v1/searches/Routing", "", http.StatusNoContent, nil)
	resp, data = env.do(http.MethodGet, "/api/v1/searches/Routing", "", "")
	env.expectAPIError(resp, data, http.StatusNotFound, catalog.ENOTFOUND)

	for _, body := range []string{
		`{"q": "bgp"}`, `{"name": ""}`, `{"name": "a/b"}`, `{"name": "x", "sort": "loudest"}`,
		`{"name": "x", "filters": {"colour": ["red"]}}`, `{"name": "x", "filters": {"min_rating": 9}}`,
		`{"name": "x", "filters": {"watch": ["soon"]}}`, `{"name": "` + strings.Repeat("n", 81) + `"}`,
	} {
		resp, data := env.do(http.MethodPost, "/api/v1/searches", "application/json", body)
		env.expectAPIError(resp, data, http.StatusBadRequest, catalog.EINVALID)
	}
	resp, data = env.do(http.MethodGet, "/api/v1/searches/nothing/feed.atom", "", "")
	env.expectAPIError(resp, data, http.StatusNotFound, catalog.ENOTFOUND)
}

func TestAPIWatchListCalendar(t *testing.T) {
	env := newTestEnv(t)
	scheduled := env.talkID("RoCE in the Data Centre")
	env.writeJSON(http.MethodPut, fmt.Sprintf("/api/v1/talks/%d/watch", scheduled), `{"status": "to_watch"}`, http.StatusOK, nil)
	other := env.talkID("Peering DB Update")
	env.writeJSON(http.MethodPut, fmt.Sprintf("/api/v1/talks/%d/watch", other), `{"status": "watched"}`, http.StatusOK, nil)

	resp, data := env.do(http.MethodGet, "/api/v1/watchlist.ics", "", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got []*catalog.Talk
	skips, err := formats.Read(context.Background(), bytes.NewReader(data), formats.Options{Format: formats.FormatICS},
		func(t *catalog.Talk) error { got = append(got, t); return nil })
	if err != nil || catalog.CountSkips(skips) != 0 {
		t.Fatalf("calendar does not read back: %v %v\n%s", err, skips, data)
	}
	want := env.findTalk(scheduled)
	var titles []string
	for _, g := range got {
		titles = append(titles, g.Title)
		if g.Title == want.Title && !g.Start.Equal(want.Start) {
			t.Errorf("start %v, want %v", g.Start, want.Start)
		}
	}
	wantTitles := []string{want.Title}
	// A talk without a start cannot be a calendar event.
	if o := env.findTalk(other); !o.Start.IsZero() {
		wantTitles = append(wantTitles, o.Title)
	}
	slices.Sort(titles)
	slices.Sort(wantTitles)
	if !slices.Equal(titles, wantTitles) {
		t.Errorf("calendar holds %v, want %v", titles, wantTitles)
	}
}

func TestAPIMarkdownPreview(t *testing.T) {
	env := newTestEnv(t)
	var out struct{ HTML string }
	env.writeJSON(http.MethodPost, "/api/v1/markdown", `{"text": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"}`, http.StatusOK, &out)
	if !strings.Contains(out.HTML, "<strong>bold</strong>") || strings.Contains(out.HTML, "<script") || strings.Contains(out.HTML, "javascript:") {
		t.Errorf("preview %q", out.HTML)
	}
	resp, data := env.do(http.MethodPost, "/api/v1/markdown", "application/json", `{"text": 5}`)
	env.expectAPIError(resp, data, http.StatusBadRequest, catalog.EINVALID)
}

func hitTitles(res catalog.SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Talk.Title)
	}
	return out
}

// TestSearchValuesRoundTrip: the one encoding of a search as query
// parameters (used by remote CLI searches, saved-search links and feeds)
// parses back into the same request, every filter included.
func TestSearchValuesRoundTrip(t *testing.T) {
	yes := true
	req := catalog.SearchRequest{
		Query: `bgp "route leak" -evpn`,
		Filter: catalog.TalkFilter{
			Series: []string{"NANOG", "RIPE"}, Event: []string{"RIPE 86"}, Year: []int{2019, 2023},
			Speaker: []string{"Geoff Huston"}, Tag: []string{"routing"}, MyTag: []string{"to share"},
			MinRating: 3, Watched: &yes, Watch: []string{catalog.WatchWatched},
			WatchedSince:  time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			WatchedBefore: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Has:           []string{catalog.LinkVideo}, Mine: true,
		},
		Sort: catalog.SortAdded, Page: 2, PerPage: 50,
	}
	got, err := parseSearchRequest(req.Values())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(req)
	b, _ := json.Marshal(got)
	if !bytes.Equal(a, b) {
		t.Errorf("round trip changed the request:\n got %s\nwant %s", b, a)
	}
}

func TestAPISuggest(t *testing.T) {
	env := newTestEnv(t)
	type answer struct{ Suggestions []catalog.Suggestion }
	var got answer
	// The completion index is built in the background at open.
	deadline := time.Now().Add(10 * time.Second)
	for {
		env.getJSON("/api/v1/suggest?q=seg+rou", http.StatusOK, &got)
		if len(got.Suggestions) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(got.Suggestions) == 0 || got.Suggestions[0].Text != "Segment Routing in Practice" || got.Suggestions[0].Kind != "title" ||
		got.Suggestions[0].TalkID != env.talkID("Segment Routing in Practice") {
		t.Errorf("seg rou completes to %+v", got.Suggestions)
	}
	env.getJSON("/api/v1/suggest?q=jane&limit=1", http.StatusOK, &got)
	if len(got.Suggestions) != 1 || got.Suggestions[0].Kind != "speaker" || got.Suggestions[0].Text != "Jane Smith" || got.Suggestions[0].Count != 2 {
		t.Errorf("jane completes to %+v", got.Suggestions)
	}
	env.getJSON("/api/v1/suggest?q=", http.StatusOK, &got)
	if got.Suggestions == nil || len(got.Suggestions) != 0 {
		t.Errorf("an empty query completes to %+v", got.Suggestions)
	}
	for _, q := range []string{"q=a&limit=0", "q=a&limit=51", "q=a&limit=x", "q=" + strings.Repeat("a", 501)} {
		resp, body := env.do(http.MethodGet, "/api/v1/suggest?"+q, "", "")
		env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
	}
}

func TestRelatedTalksAndDidYouMean(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RoCE in the Data Centre")
	var got struct{ Talks []catalog.Talk }
	env.getJSON(fmt.Sprintf("/api/v1/talks/%d/related?limit=3", id), http.StatusOK, &got)
	if len(got.Talks) == 0 || len(got.Talks) > 3 {
		t.Fatalf("related talks: %d", len(got.Talks))
	}
	for _, r := range got.Talks {
		if r.ID == id {
			t.Errorf("a talk is related to itself")
		}
	}
	// Jane Smith gave both AusNOG talks: the other one is related.
	if got.Talks[0].Title != "IPv6 Only Networks at Scale" {
		t.Errorf("most related: %q", got.Talks[0].Title)
	}
	_, page := env.do(http.MethodGet, fmt.Sprintf("/talks/%d", id), "", "")
	if !strings.Contains(string(page), "Related talks") || !strings.Contains(string(page), "IPv6 Only Networks at Scale") {
		t.Errorf("the talk page lists no related talks")
	}
	for _, q := range []string{"limit=0", "limit=21", "limit=x"} {
		resp, body := env.do(http.MethodGet, fmt.Sprintf("/api/v1/talks/%d/related?%s", id, q), "", "")
		env.expectAPIError(resp, body, http.StatusBadRequest, catalog.EINVALID)
	}
	resp, body := env.do(http.MethodGet, "/api/v1/talks/999999/related", "", "")
	env.expectAPIError(resp, body, http.StatusNotFound, catalog.ENOTFOUND)

	res := env.search("q=rdna")
	if res.DidYouMean != "rdma" {
		t.Errorf("rdna: did you mean %q", res.DidYouMean)
	}
	_, page = env.do(http.MethodGet, "/?q=rdna", "", "")
	if !strings.Contains(string(page), `Did you mean <a href="/?q=rdma">rdma</a>`) {
		t.Errorf("the search page offers no respelling")
	}
}

// A query no talk matches word for word lists the close matches, and says
// so in the API and on the page; an exact match says nothing of the kind.
func TestCloseMatches(t *testing.T) {
	env := newTestEnv(t)
	exact := env.search("q=" + url.QueryEscape("ipv6 networks scale"))
	if exact.Total == 0 || exact.CloseMatches {
		t.Fatalf("exact query: %d talks, close_matches %v", exact.Total, exact.CloseMatches)
	}
	res := env.search("q=" + url.QueryEscape("ipv6 networks scale zebrafish"))
	if !res.CloseMatches || res.Total == 0 || res.Hits[0].Talk.Title != "IPv6 Only Networks at Scale" {
		t.Fatalf("one word no talk has: close_matches %v, %d talks, first %+v", res.CloseMatches, res.Total, res.Hits)
	}
	_, page := env.do(http.MethodGet, "/?q="+url.QueryEscape("ipv6 networks scale zebrafish"), "", "")
	if !strings.Contains(string(page), "close matches are listed too") {
		t.Errorf("the search page does not say the hits are close matches")
	}
}
