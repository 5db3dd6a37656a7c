package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/talkdex/talkdex/internal/catalog"
)

// XSS payloads that must come out as text wherever they are shown.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
)

// expectSeeOther checks a form post's 303 and where it leads.
func expectSeeOther(t *testing.T, resp *http.Response, body []byte, location string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; body %.300s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Location"); got != location {
		t.Errorf("redirect to %q, want %q", got, location)
	}
}

// visibleFormError returns the text of the shown (not hidden) .form-error
// inside root.
func visibleFormError(root *html.Node) string {
	for _, n := range byClass(root, "form-error") {
		if _, hidden := attrOK(n, "hidden"); !hidden && textOf(n) != "" {
			return textOf(n)
		}
	}
	return ""
}

func attrOK(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// checkNoInjectedMarkup fails when the page holds markup a payload would
// create: a script without src, an element with an event handler, an
// element carrying the payload's attributes.
func checkNoInjectedMarkup(t *testing.T, where string, body []byte) {
	t.Helper()
	raw := string(body)
	for _, bad := range []string{xssScript, "<img src=x", "<img src=\"x\""} {
		if strings.Contains(raw, bad) {
			t.Errorf("%s: raw payload %q in the page", where, bad)
		}
	}
	doc := parseHTML(t, body)
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		if n.Data == "script" && (attr(n, "src") == "" || n.FirstChild != nil) {
			t.Errorf("%s: inline <script>", where)
		}
		if n.Data == "img" {
			t.Errorf("%s: an <img> element", where)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: event handler %s on <%s>", where, a.Key, n.Data)
			}
		}
	}
}

func TestTalkPagePersonalWidgets(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	id := env.talkID("RoCE in the Data Centre")
	if err := env.svc.SetRating(ctx, id, 3); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetWatch(ctx, id, catalog.WatchToWatch); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.AddMyTags(ctx, id, []string{"to share", "buffers"}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetNote(ctx, id, "first"); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetNote(ctx, id, "second"); err != nil {
		t.Fatal(err)
	}
	doc := env.getPage(c, fmt.Sprintf("/talks/%d", id), http.StatusOK)

	// Stars: five labelled buttons, the third pressed, three lit, a clear button.
	rating := byID(doc, "rating-form")
	stars := findAll(rating, func(n *html.Node) bool { return n.Data == "button" && attr(n, "name") == "stars" })
	if len(stars) != 5 {
		t.Fatalf("%d star buttons", len(stars))
	}
	for i, b := range stars {
		if want := fmt.Sprintf("Rate %d of 5 stars", i+1); attr(b, "aria-label") != want {
			t.Errorf("star %d aria-label %q, want %q", i+1, attr(b, "aria-label"), want)
		}
		if want := fmt.Sprint(i+1 == 3); attr(b, "aria-pressed") != want {
			t.Errorf("star %d aria-pressed %q, want %s", i+1, attr(b, "aria-pressed"), want)
		}
	}
	if on := byClass(rating, "on"); len(on) != 3 {
		t.Errorf("%d stars lit, want 3", len(on))
	}
	clear := findAll(rating, func(n *html.Node) bool { return n.Data == "button" && attr(n, "name") == "clear" })
	if len(clear) != 1 {
		t.Fatalf("no clear button")
	}
	if _, hidden := attrOK(clear[0], "hidden"); hidden {
		t.Errorf("clear button hidden on a rated talk")
	}

	// Watch list: the state and its date, three buttons, To watch pressed.
	watch := byID(doc, "watch-form")
	if watch == nil || attr(watch, "action") != fmt.Sprintf("/talks/%d/watch", id) {
		t.Fatalf("no #watch-form posting to /watch")
	}
	if txt := textOf(watch); !strings.Contains(txt, "On your list since "+formatDate(env.findTalk(id).ToWatchAt)) {
		t.Errorf("watch form text %q lacks the list date", txt)
	}
	values := map[string]string{}
	for _, b := range findAll(watch, func(n *html.Node) bool { return n.Data == "button" && attr(n, "name") == "status" }) {
		values[attr(b, "value")] = attr(b, "aria-pressed")
	}
	if values["to_watch"] != "true" || values["watched"] != "false" {
		t.Errorf("watch buttons %v", values)
	}
	if _, ok := values["none"]; !ok {
		t.Errorf("no Remove from list button")
	}

	// Tags: the user's tags as chips linking to /?my_tag=, each with a
	// remove form; the source's tags stay apart.
	chips := byClass(byID(doc, "my-tags"), "my-tag")
	if len(chips) != 2 {
		t.Fatalf("%d personal tag chips, want 2", len(chips))
	}
	for _, ch := range chips {
		link := byClass(ch, "my-tag-link")[0]
		if attr(link, "href") != myTagSearchURL(textOf(link)) {
			t.Errorf("chip %q links to %q", textOf(link), attr(link, "href"))
		}
		forms := byClass(ch, "tag-remove-form")
		if len(forms) != 1 || attr(forms[0], "action") != fmt.Sprintf("/talks/%d/tags/remove", id) {
			t.Errorf("chip %q has no remove form", textOf(link))
		}
	}
	for _, src := range byClass(doc, "tag") {
		if inClass(src, "my-tags") {
			t.Errorf("a source tag sits among the personal tags")
		}
	}
	if byID(doc, "tags-form") == nil || byID(doc, "tag-input") == nil {
		t.Errorf("no add-tag form")
	}

	// Note: editor, preview button, last edited, history link.
	if byID(doc, "note-preview-button") == nil || byID(doc, "note-preview") == nil {
		t.Errorf("no preview button or pane")
	}
	text := textOf(doc)
	if !strings.Contains(text, "Last edited") {
		t.Errorf("no last edited date")
	}
	h, err := env.svc.NoteHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	hist := findAll(doc, func(n *html.Node) bool {
		return n.Data == "a" && attr(n, "href") == fmt.Sprintf("/talks/%d/history", id)
	})
	if want := fmt.Sprintf("(%d earlier version", len(h.Revisions)); len(h.Revisions) == 0 || len(hist) == 0 || !strings.Contains(textOf(hist[0]), want) {
		t.Errorf("no history link counting %d earlier versions", len(h.Revisions))
	}
}

func TestNotePreviewWithoutJS(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("Peering DB Update")
	if err := env.svc.SetNote(context.Background(), id, "saved note"); err != nil {
		t.Fatal(err)
	}
	token := env.loadForm(c, id, "note-form")
	draft := "A **draft** " + xssScript
	resp, body := env.postForm(c, fmt.Sprintf("/talks/%d/note", id), url.Values{csrfField: {token}, "text": {draft}, "preview": {"1"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview status %d, want 200", resp.StatusCode)
	}
	checkNoInjectedMarkup(t, "preview", body)
	doc := parseHTML(t, body)
	pane := byID(doc, "note-preview")
	if _, hidden := attrOK(pane, "hidden"); pane == nil || hidden {
		t.Fatalf("preview pane missing or hidden")
	}
	if len(byTag(byID(doc, "note-preview-body"), "strong")) != 1 {
		t.Errorf("preview is not rendered Markdown")
	}
	if got := textOf(byID(doc, "note-text")); got != draft {
		t.Errorf("textarea holds %q, want the draft", got)
	}
	if got := env.findTalk(id).Note; got != "saved note" {
		t.Errorf("preview saved the note: %q", got)
	}
}

func TestWatchForm(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("BGP Route Reflector Design")
	talkPath := fmt.Sprintf("/talks/%d", id)
	token := env.loadForm(c, id, "watch-form")

	resp, body := env.postForm(c, talkPath+"/watch", url.Values{csrfField: {token}, "status": {"to_watch"}})
	expectSeeOther(t, resp, body, talkPath)
	if got := env.findTalk(id); got.Watch != catalog.WatchToWatch || got.ToWatchAt.IsZero() {
		t.Errorf("after to_watch: %q %v", got.Watch, got.ToWatchAt)
	}

	// From a search result, the form comes back to the search.
	resp, body = env.postForm(c, talkPath+"/watch", url.Values{csrfField: {token}, "status": {"watched"}, "next": {"/?q=bgp&sort=newest"}})
	expectSeeOther(t, resp, body, "/?q=bgp&sort=newest")
	if got := env.findTalk(id); got.Watch != catalog.WatchWatched || got.WatchedAt.IsZero() {
		t.Errorf("after watched: %q", got.Watch)
	}
	doc := env.getPage(c, talkPath, http.StatusOK)
	if txt := textOf(byID(doc, "watch-form")); !strings.Contains(txt, "Watched on "+formatDate(env.findTalk(id).WatchedAt)) {
		t.Errorf("watch text %q", txt)
	}

	// next must stay on this site.
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"} {
		resp, body = env.postForm(c, talkPath+"/watch", url.Values{csrfField: {token}, "status": {"none"}, "next": {next}})
		expectSeeOther(t, resp, body, talkPath)
	}
	if got := env.findTalk(id).Watch; got != "" {
		t.Errorf("after none: %q", got)
	}

	// Bad status: 400, the message next to the form, nothing written.
	resp, body = env.postForm(c, talkPath+"/watch", url.Values{csrfField: {token}, "status": {"someday"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad status: %d, want 400", resp.StatusCode)
	}
	if msg := visibleFormError(byID(parseHTML(t, body), "watch-form")); !strings.Contains(msg, "someday") {
		t.Errorf("bad status message %q", msg)
	}

	// The old route still works.
	resp, body = env.postForm(c, talkPath+"/watched", url.Values{csrfField: {token}, "watched": {"true"}})
	expectSeeOther(t, resp, body, talkPath)
	if !env.findTalk(id).Watched {
		t.Errorf("/watched no longer marks watched")
	}
}

func TestTagForms(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("Segment Routing in Practice")
	talkPath := fmt.Sprintf("/talks/%d", id)
	token := env.loadForm(c, id, "tags-form")

	resp, body := env.postForm(c, talkPath+"/tags", url.Values{csrfField: {token}, "tag": {"SRv6, to share ,  lab"}})
	expectSeeOther(t, resp, body, talkPath)
	got := env.findTalk(id).MyTags
	sort.Strings(got)
	if strings.Join(got, "|") != "lab|srv6|to share" {
		t.Errorf("tags %v", got)
	}

	resp, body = env.postForm(c, talkPath+"/tags/remove", url.Values{csrfField: {token}, "tag": {"lab"}})
	expectSeeOther(t, resp, body, talkPath)
	if slices.Contains(env.findTalk(id).MyTags, "lab") {
		t.Errorf("lab not removed")
	}

	long := strings.Repeat("x", 41)
	for _, tt := range []struct{ name, path, tag string }{
		{"too long", "/tags", long},
		{"empty", "/tags", " , "},
		{"remove nothing", "/tags/remove", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.postForm(c, talkPath+tt.path, url.Values{csrfField: {token}, "tag": {tt.tag}})
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			doc := parseHTML(t, body)
			if visibleFormError(byID(doc, "tags-form")) == "" {
				t.Errorf("no message next to the tag form")
			}
			if tt.path == "/tags" && attr(byID(doc, "tag-input"), "value") != tt.tag {
				t.Errorf("the tag input lost what was typed: %q", attr(byID(doc, "tag-input"), "value"))
			}
		})
	}
	if n := len(env.findTalk(id).MyTags); n != 2 {
		t.Errorf("rejected forms changed the tags: %d", n)
	}
}

func TestNoteHistoryPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	id := env.talkID("DNS Privacy Measurements")
	talkPath := fmt.Sprintf("/talks/%d", id)
	for _, body := range []string{"version **one**", "version two " + xssImg, "version three"} {
		if err := env.svc.SetNote(ctx, id, body); err != nil {
			t.Fatal(err)
		}
	}
	resp, body := env.get(c, talkPath+"/history")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	checkNoInjectedMarkup(t, "history", body)
	doc := parseHTML(t, body)
	revs := byClass(doc, "revision")
	h, err := env.svc.NoteHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != len(h.Revisions) || len(revs) < 2 {
		t.Fatalf("%d revisions shown, history has %d", len(revs), len(h.Revisions))
	}
	// Newest first: the body replaced last is "version two" (whose raw
	// HTML the Markdown sanitiser drops).
	if !strings.Contains(textOf(revs[0]), "version two") {
		t.Errorf("first revision %q, want version two", textOf(revs[0]))
	}
	if !strings.Contains(textOf(revs[1]), "version one") || len(byTag(revs[1], "strong")) != 1 {
		t.Errorf("second revision is not the rendered version one")
	}
	if !strings.Contains(textOf(doc), "version three") {
		t.Errorf("the current note is not shown")
	}

	// Restore version one.
	forms := byClass(revs[1], "revert-form")
	if len(forms) != 1 {
		t.Fatal("no restore form")
	}
	var token, rev string
	for _, in := range byTag(forms[0], "input") {
		switch attr(in, "name") {
		case csrfField:
			token = attr(in, "value")
		case "revision":
			rev = attr(in, "value")
		}
	}
	resp, _ = env.postForm(c, talkPath+"/note/revert", url.Values{"revision": {rev}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("revert without token: %d, want 403", resp.StatusCode)
	}
	resp, body = env.postForm(c, attr(forms[0], "action"), url.Values{csrfField: {token}, "revision": {rev}})
	expectSeeOther(t, resp, body, talkPath)
	if got := env.findTalk(id).Note; got != "version **one**" {
		t.Errorf("note after restore %q", got)
	}

	for _, tt := range []struct {
		rev    string
		status int
	}{{"abc", 400}, {"0", 400}, {"999999", 404}} {
		resp, body = env.postForm(c, talkPath+"/note/revert", url.Values{csrfField: {token}, "revision": {tt.rev}})
		if resp.StatusCode != tt.status {
			t.Errorf("revision %s: status %d, want %d", tt.rev, resp.StatusCode, tt.status)
			continue
		}
		if visibleFormError(parseHTML(t, body)) == "" {
			t.Errorf("revision %s: no message on the history page", tt.rev)
		}
	}
	env.getPage(c, "/talks/999999/history", http.StatusNotFound)
}

func TestPersonalFormsRejectMissingCSRF(t *testing.T) {
	env := newTestEnv(t)
	id := env.talkID("RPKI Deployment Status")
	talkPath := fmt.Sprintf("/talks/%d", id)
	if err := env.svc.CreateSavedSearch(context.Background(), &catalog.SavedSearch{Name: "keep", Query: "bgp"}); err != nil {
		t.Fatal(err)
	}
	withCookie := env.browser()
	env.getPage(withCookie, "/", http.StatusOK)
	for _, tt := range []struct {
		path string
		form url.Values
	}{
		{talkPath + "/watch", url.Values{"status": {"watched"}}},
		{talkPath + "/tags", url.Values{"tag": {"pwned"}}},
		{talkPath + "/tags/remove", url.Values{"tag": {"x"}}},
		{talkPath + "/note/revert", url.Values{"revision": {"1"}}},
		{"/searches", url.Values{"name": {"forged"}, "q": {"x"}}},
		{"/searches/keep/delete", url.Values{}},
	} {
		for _, client := range []*http.Client{withCookie, env.browser()} {
			resp, _ := env.postForm(client, tt.path, tt.form)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s without token: %d, want 403", tt.path, resp.StatusCode)
			}
			tt.form.Set(csrfField, "forged")
		}
	}
	got := env.findTalk(id)
	if got.Watch != "" || len(got.MyTags) != 0 {
		t.Errorf("a refused form changed the talk")
	}
	list, err := env.svc.ListSavedSearches(context.Background())
	if err != nil || len(list) != 1 || list[0].Name != "keep" {
		t.Errorf("a refused form changed the saved searches: %v %v", list, err)
	}
}

func TestSearchPagePersonalFacetsAndRows(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	roce := env.talkID("RoCE in the Data Centre")
	bgp := env.talkID("BGP Route Reflector Design")
	if err := env.svc.AddMyTags(ctx, roce, []string{"to share"}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetWatch(ctx, roce, catalog.WatchToWatch); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetWatch(ctx, bgp, catalog.WatchWatched); err != nil {
		t.Fatal(err)
	}
	doc := env.getPage(c, "/?sort=added", http.StatusOK)
	sel := byID(doc, "sort")
	added := findAll(sel, func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") == "added" })
	if len(added) != 1 {
		t.Fatalf("no added sort option")
	}
	if _, ok := attrOK(added[0], "selected"); !ok {
		t.Errorf("sort=added is not selected")
	}
	facets := map[string]*html.Node{}
	for _, f := range byClass(doc, "facet") {
		facets[textOf(byTag(f, "h2")[0])] = f
	}
	if f := facets["My tags"]; f == nil || !strings.Contains(textOf(f), "to share") {
		t.Errorf("no My tags facet with the tag")
	}
	f := facets["Watch list"]
	if f == nil || !strings.Contains(textOf(f), "To watch") || !strings.Contains(textOf(f), "Watched") {
		t.Fatalf("no Watch list facet with To watch and Watched")
	}

	// Following the facet filters, and the chip names it.
	doc, href := env.followLink(c, doc, "to watch facet", func(n *html.Node) bool {
		return inClass(n, "facet-watch") && textOf(n) == "To watch"
	})
	if !strings.Contains(href, "watch=to_watch") || !strings.Contains(href, "sort=added") {
		t.Errorf("facet link %q", href)
	}
	if titles := resultTitles(doc); len(titles) != 1 || titles[0] != "RoCE in the Data Centre" {
		t.Errorf("watch=to_watch shows %v", titles)
	}
	chips := byClass(doc, "chip")
	if len(chips) != 1 || !strings.Contains(textOf(chips[0]), "Watch list: To watch") {
		t.Errorf("chips %d", len(chips))
	}

	// Result rows: compact stars, watch toggles and my tags.
	row := byClass(doc, "result")[0]
	if len(findAll(row, func(n *html.Node) bool { return n.Data == "button" && attr(n, "name") == "stars" })) != 5 {
		t.Errorf("no compact stars in the result row")
	}
	wf := findAll(row, func(n *html.Node) bool { return n.Data == "form" && hasClass(n, "watch-form") })
	if len(wf) != 1 || attr(wf[0], "action") != fmt.Sprintf("/talks/%d/watch", roce) {
		t.Fatalf("no watch form in the result row")
	}
	var next string
	for _, in := range byTag(wf[0], "input") {
		if attr(in, "name") == "next" {
			next = attr(in, "value")
		}
	}
	if next != href {
		t.Errorf("row form next=%q, want the page %q", next, href)
	}
	if !strings.Contains(textOf(row), "to share") {
		t.Errorf("the row does not show my tag")
	}

	// The new filters parse and show as chips.
	doc = env.getPage(c, "/?my_tag=to+share&watched_since=2020-01&watched_before=2100-01-01&mine=true", http.StatusOK)
	var labels []string
	for _, ch := range byClass(doc, "chip") {
		labels = append(labels, textOf(ch))
	}
	joined := strings.Join(labels, "|")
	for _, want := range []string{"My tag: to share", "Watched since 2020-01", "Watched before 2100-01-01", "My talks"} {
		if !strings.Contains(joined, want) {
			t.Errorf("chips %q lack %q", joined, want)
		}
	}
	env.getPage(c, "/?watch=someday", http.StatusBadRequest)
	env.getPage(c, "/?watched_since=yesterday", http.StatusBadRequest)
}

func TestMyPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	rated := env.talkID("RoCE in the Data Centre")
	listed := env.talkID("BGP Route Reflector Design")
	watched := env.talkID("Peering DB Update")
	noted := env.talkID("DNS Privacy Measurements")
	tagged := env.talkID("RPKI Deployment Status")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(env.svc.SetRating(ctx, rated, 4))
	must(env.svc.SetWatch(ctx, listed, catalog.WatchToWatch))
	must(env.svc.SetWatch(ctx, watched, catalog.WatchWatched))
	must(env.svc.SetNote(ctx, noted, "worth it"))
	must(env.svc.AddMyTags(ctx, tagged, []string{"later"}))

	doc := env.getPage(c, "/my", http.StatusOK)
	titles := resultTitles(doc)
	sort.Strings(titles)
	want := []string{"BGP Route Reflector Design", "DNS Privacy Measurements", "Peering DB Update", "RPKI Deployment Status", "RoCE in the Data Centre"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("/my shows %v, want %v", titles, want)
	}
	if len(byClass(doc, "chip")) != 0 {
		t.Errorf("/my shows the implied mine filter as a chip")
	}
	if attr(byID(doc, "search-form"), "action") != "/my" {
		t.Errorf("/my's search form goes to %q", attr(byID(doc, "search-form"), "action"))
	}
	nav := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && inClass(n, "site-nav") })
	var navText []string
	for _, a := range nav {
		navText = append(navText, textOf(a)+"="+attr(a, "href")+"="+attr(a, "aria-current"))
	}
	for _, w := range []string{"Search=/=", "My talks=/my=page", "Saved searches=/searches=", "Events=/events="} {
		if !slices.Contains(navText, w) {
			t.Errorf("nav %v lacks %s", navText, w)
		}
	}
	// Facet links stay on /my.
	for _, a := range findAll(doc, func(n *html.Node) bool { return n.Data == "a" && inClass(n, "facets") }) {
		if !strings.HasPrefix(attr(a, "href"), "/my") {
			t.Errorf("facet link %q leaves /my", attr(a, "href"))
		}
	}

	tabs := map[string]string{}
	for _, a := range byClass(doc, "tab") {
		tabs[textOf(a)] = attr(a, "href")
	}
	month := time.Now().Format("2006-01")
	for label, href := range map[string]string{
		"To watch":           "/my?watch=to_watch",
		"Watched this month": "/my?watch=watched&watched_since=" + month,
		"Rated":              "/my?min_rating=1",
	} {
		if tabs[label] != href {
			t.Errorf("tab %q links to %q, want %q", label, tabs[label], href)
		}
	}
	checks := []struct {
		path  string
		title string
	}{
		{"/my?watch=to_watch", "BGP Route Reflector Design"},
		{"/my?watch=watched&watched_since=" + month, "Peering DB Update"},
		{"/my?min_rating=1", "RoCE in the Data Centre"},
		{"/my?my_tag=later", "RPKI Deployment Status"},
		{"/my?q=worth", "DNS Privacy Measurements"},
	}
	for _, ck := range checks {
		doc := env.getPage(c, ck.path, http.StatusOK)
		if got := resultTitles(doc); len(got) != 1 || got[0] != ck.title {
			t.Errorf("%s shows %v, want %s", ck.path, got, ck.title)
		}
	}
	doc = env.getPage(c, "/my?watch=to_watch", http.StatusOK)
	for _, a := range byClass(doc, "tab") {
		if _, ok := attrOK(a, "aria-current"); ok != (textOf(a) == "To watch") {
			t.Errorf("tab %q current=%t", textOf(a), ok)
		}
	}
	env.getPage(c, "/my?min_rating=9", http.StatusBadRequest)

	// An untouched catalog has nothing mine.
	empty := newTestEnv(t)
	doc = empty.getPage(empty.browser(), "/my", http.StatusOK)
	if len(byClass(doc, "result")) != 0 || !strings.Contains(textOf(doc), "Nothing here yet") {
		t.Errorf("/my on an untouched catalog is not empty")
	}
}

// saveToken loads a search page and returns its save form's fields.
func saveForm(t *testing.T, env *testEnv, c *http.Client, path string) url.Values {
	t.Helper()
	doc := env.getPage(c, path, http.StatusOK)
	form := byID(doc, "save-search-form")
	if form == nil || attr(form, "action") != "/searches" || attr(form, "method") != "post" {
		t.Fatalf("%s: no save form posting to /searches", path)
	}
	v := url.Values{}
	for _, in := range byTag(form, "input") {
		if attr(in, "type") == "hidden" {
			v.Add(attr(in, "name"), attr(in, "value"))
		}
	}
	return v
}

func TestSaveSearchFromSearchPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	form := saveForm(t, env, c, "/?q=bgp&series=AusNOG&series=RIPE&year=2023&my_tag=to+share&watch=to_watch&watched_since=2024-01&min_rating=2&has=video&sort=newest&page=2")
	form.Set("name", "bgp on my list")
	resp, body := env.postForm(c, "/searches", form)
	expectSeeOther(t, resp, body, "/searches")
	ss, err := env.svc.FindSavedSearch(ctx, "bgp on my list")
	if err != nil {
		t.Fatal(err)
	}
	f := ss.Filter
	if ss.Query != "bgp" || ss.Sort != "newest" || strings.Join(f.Series, ",") != "AusNOG,RIPE" ||
		len(f.Year) != 1 || f.Year[0] != 2023 || strings.Join(f.MyTag, ",") != "to share" ||
		strings.Join(f.Watch, ",") != "to_watch" || f.MinRating != 2 || strings.Join(f.Has, ",") != "video" ||
		!f.WatchedSince.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || f.Mine {
		t.Errorf("saved search %+v", ss)
	}

	// From /my, the search keeps mine=true.
	form = saveForm(t, env, c, "/my?watch=watched")
	form.Set("name", "my watched")
	resp, body = env.postForm(c, "/searches", form)
	expectSeeOther(t, resp, body, "/searches")
	if ss, err := env.svc.FindSavedSearch(ctx, "my watched"); err != nil || !ss.Filter.Mine || strings.Join(ss.Filter.Watch, ",") != "watched" {
		t.Errorf("saved from /my: %+v %v", ss, err)
	}

	// A taken name: 409, the search page again, the message, the name kept.
	form = saveForm(t, env, c, "/?q=rpki")
	form.Set("name", "BGP on my list")
	resp, body = env.postForm(c, "/searches", form)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("taken name: status %d, want 409", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	save := byID(doc, "save-search-form")
	if msg := visibleFormError(save); !strings.Contains(msg, "exists already") {
		t.Errorf("conflict message %q", msg)
	}
	if attr(byID(doc, "save-name"), "value") != "BGP on my list" || attr(byID(doc, "q"), "value") != "rpki" {
		t.Errorf("the re-rendered page lost the name or the query")
	}

	// Invalid names: 400 with the message, escaped.
	for _, name := range []string{"", xssScript, strings.Repeat("n", 81)} {
		form.Set("name", name)
		resp, body = env.postForm(c, "/searches", form)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("name %q: status %d, want 400", name, resp.StatusCode)
			continue
		}
		checkNoInjectedMarkup(t, "save error", body)
		if visibleFormError(byID(parseHTML(t, body), "save-search-form")) == "" {
			t.Errorf("name %q: no message", name)
		}
	}
	// A bad filter in the posted search is a 400 too, never a 500.
	form.Set("name", "bad")
	form.Set("watch", "someday")
	resp, _ = env.postForm(c, "/searches", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad filter: %d, want 400", resp.StatusCode)
	}
	if list, _ := env.svc.ListSavedSearches(ctx); len(list) != 2 {
		t.Errorf("%d saved searches, want 2", len(list))
	}
}

func TestSavedSearchesPage(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	if err := env.svc.CreateSavedSearch(ctx, &catalog.SavedSearch{Name: "rpki talks", Query: "rpki", Filter: catalog.TalkFilter{Series: []string{"RIPE"}}, Sort: "newest"}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.CreateSavedSearch(ctx, &catalog.SavedSearch{Name: xssImg, Filter: catalog.TalkFilter{MyTag: []string{xssScript}}}); err != nil {
		t.Fatal(err)
	}
	resp, body := env.get(c, "/searches")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	checkNoInjectedMarkup(t, "/searches", body)
	doc := parseHTML(t, body)
	items := byClass(doc, "saved-search")
	if len(items) != 2 {
		t.Fatalf("%d saved searches listed", len(items))
	}
	var rpki *html.Node
	for _, it := range items {
		if textOf(byClass(it, "saved-search-name")[0]) == "rpki talks" {
			rpki = it
		}
	}
	if rpki == nil {
		t.Fatal("rpki talks not listed")
	}
	name := byTag(byClass(rpki, "saved-search-name")[0], "a")[0]
	if attr(name, "href") != "/?q=rpki&series=RIPE&sort=newest" {
		t.Errorf("saved search links to %q", attr(name, "href"))
	}
	feed := byClass(rpki, "feed-link")
	if len(feed) != 1 || attr(feed[0], "href") != "/api/v1/searches/rpki%20talks/feed.atom" {
		t.Fatalf("feed link %v", feed)
	}
	// The feed link works, and the page advertises every feed in its head.
	if resp, body := env.get(c, attr(feed[0], "href")); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<feed") {
		t.Errorf("feed: %d", resp.StatusCode)
	}
	alts := findAll(doc, func(n *html.Node) bool {
		return n.Data == "link" && attr(n, "rel") == "alternate" && attr(n, "type") == "application/atom+xml"
	})
	if len(alts) != 2 {
		t.Errorf("%d alternate links, want 2", len(alts))
	}
	if !strings.Contains(textOf(doc), xssImg) || !strings.Contains(textOf(doc), "My tag: "+xssScript) {
		t.Errorf("the XSS-named search is not shown as text")
	}
	if len(findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/api/v1/watchlist.ics" })) != 1 {
		t.Errorf("no watch-list calendar link")
	}

	// Following the XSS search's feed link works too (the name is escaped
	// into the path, not mangled).
	for _, it := range items {
		if it == rpki {
			continue
		}
		href := attr(byClass(it, "feed-link")[0], "href")
		if resp, _ := env.get(c, href); resp.StatusCode != http.StatusOK {
			t.Errorf("feed of the odd name %s: %d", href, resp.StatusCode)
		}
		// Delete it through its form.
		del := findAll(it, func(n *html.Node) bool { return n.Data == "form" && hasClass(n, "delete-search-form") })[0]
		token := attr(findAll(del, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == csrfField })[0], "value")
		resp, body := env.postForm(c, attr(del, "action"), url.Values{csrfField: {token}})
		expectSeeOther(t, resp, body, "/searches")
		resp, body = env.postForm(c, attr(del, "action"), url.Values{csrfField: {token}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("deleting twice: %d, want 404; %.200s", resp.StatusCode, body)
		}
	}
	list, err := env.svc.ListSavedSearches(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "rpki talks" {
		t.Errorf("after delete: %v %v", list, err)
	}

	doc = newTestEnv(t).getPage(env.browser(), "/searches", http.StatusOK)
	if len(byClass(doc, "empty-state")) == 0 {
		t.Errorf("no empty state without saved searches")
	}
}

// TestPersonalXSSEverywhere puts payloads in a note and in personal tags and
// checks every page that shows them.
func TestPersonalXSSEverywhere(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	ctx := context.Background()
	id := env.talkID("Measuring BGP Convergence")
	if err := env.svc.SetNote(ctx, id, "old "+xssScript); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetNote(ctx, id, "zebra "+xssScript+" "+xssImg); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.AddMyTags(ctx, id, []string{xssScript, xssImg}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetWatch(ctx, id, catalog.WatchToWatch); err != nil {
		t.Fatal(err)
	}
	pages := []string{
		fmt.Sprintf("/talks/%d", id),
		fmt.Sprintf("/talks/%d/history", id),
		"/?q=zebra",
		"/?my_tag=" + url.QueryEscape(xssScript),
		"/?my_tag=" + url.QueryEscape(xssImg),
		"/my",
		"/my?my_tag=" + url.QueryEscape(xssImg),
	}
	for _, p := range pages {
		resp, body := env.get(c, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", p, resp.StatusCode)
			continue
		}
		checkNoInjectedMarkup(t, p, body)
		if strings.Contains(p, "/history") {
			continue // shows the note, not the tags
		}
		if !strings.Contains(textOf(parseHTML(t, body)), strings.ToLower(xssImg)) {
			t.Errorf("%s: the tag is not shown as text", p)
		}
	}
}

// TestScriptHooksExist checks that every id and data attribute app.js looks
// for is on the pages it enhances, since the script itself is not tested
// here.
func TestScriptHooksExist(t *testing.T) {
	js, err := os.ReadFile(filepath.Join("..", "..", "web", "static", "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("RoCE in the Data Centre")
	if err := env.svc.AddMyTags(context.Background(), id, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, p := range []string{"/", "/my", fmt.Sprintf("/talks/%d", id), "/events"} {
		resp, body := env.get(c, p)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		all.Write(body)
	}
	pages := all.String()
	ids := regexp.MustCompile(`getElementById\("([^"]+)"\)`).FindAllStringSubmatch(string(js), -1)
	if len(ids) < 5 {
		t.Fatalf("found only %d ids in app.js", len(ids))
	}
	for _, m := range ids {
		if !strings.Contains(pages, `id="`+m[1]+`"`) {
			t.Errorf("app.js looks for #%s, which no page has", m[1])
		}
	}
	attrs := regexp.MustCompile(`data-[a-z-]+`).FindAllString(string(js), -1)
	for _, a := range attrs {
		if !strings.Contains(pages, a) {
			t.Errorf("app.js looks for [%s], which no page has", a)
		}
	}
	for _, api := range []string{"/api/v1/talks/", "/rating", "/watch", "/tags", "/api/v1/markdown"} {
		if !strings.Contains(string(js), api) {
			t.Errorf("app.js does not call %s", api)
		}
	}
}

// TestPersonalPagesHaveNoInlineCode extends the CSP check to the new pages.
func TestPersonalPagesHaveNoInlineCode(t *testing.T) {
	env := newTestEnv(t)
	c := env.browser()
	id := env.talkID("RoCE in the Data Centre")
	if err := env.svc.SetNote(context.Background(), id, "a"); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetNote(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.CreateSavedSearch(context.Background(), &catalog.SavedSearch{Name: "s", Query: "bgp"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/my", "/searches", fmt.Sprintf("/talks/%d/history", id)} {
		doc := env.getPage(c, p, http.StatusOK)
		for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
			if n.Data == "script" && (attr(n, "src") == "" || n.FirstChild != nil) {
				t.Errorf("%s: inline script", p)
			}
			if n.Data == "style" {
				t.Errorf("%s: <style>", p)
			}
			for _, a := range n.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: inline %s on <%s>", p, a.Key, n.Data)
				}
			}
		}
	}
}

func TestLocalRedirect(t *testing.T) {
	tests := []struct{ next, want string }{
		{"", "/fallback"},
		{"/?q=bgp", "/?q=bgp"},
		{"/my?watch=to_watch", "/my?watch=to_watch"},
		{"//evil.example", "/fallback"},
		{"/\\evil.example", "/fallback"},
		{"https://evil.example/", "/fallback"},
		{"javascript:alert(1)", "/fallback"},
		{"/x\r\nSet-Cookie: a=b", "/fallback"},
	}
	for _, tt := range tests {
		if got := localRedirect(tt.next, "/fallback"); got != tt.want {
			t.Errorf("localRedirect(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
