package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNotePreviewAndSavedSearches: the note editor's Preview shows the
// Markdown rendered (and sanitised) without saving it, and a search saved
// from the search page appears on the saved searches page with its feed.
func TestNotePreviewAndSavedSearches(t *testing.T) {
	s := startSite(t)
	b := newBrowserTab(t, s, testTimeout)
	const id = 2
	b.open("/talks/2")
	eval[bool](b, `window.__sameDocument = true`)
	b.do("type a note", chromedp.SendKeys(chromedp.ID("note-text"), "**bold move** <script>window.__xss=1</script>"))
	b.do("preview it", chromedp.Click(chromedp.ID("note-preview-button")))
	b.waitFor("the preview shows the rendered note", `!document.getElementById("note-preview").hidden &&
		document.querySelector("#note-preview-body strong") !== null`)
	if got := b.text("#note-preview-body strong"); got != "bold move" {
		b.fatalf("preview shows %q in bold, want %q", got, "bold move")
	}
	if eval[bool](b, `document.querySelector("#note-preview-body script") !== null || window.__xss === 1`) {
		b.fatalf("the preview kept a script")
	}
	if !eval[bool](b, `window.__sameDocument === true`) {
		b.fatalf("Preview reloaded the page; app.js should render it through the API")
	}
	if got := s.talk(t, id).Note; got != "" {
		t.Fatalf("Preview saved the note: %q", got)
	}

	b.open("/?q=" + url.QueryEscape("peering") + "&series=DENOG")
	b.do("name the search", chromedp.SendKeys(chromedp.ID("save-name"), "DENOG peering"))
	b.load("save the search", chromedp.Click(chromedp.CSS(`#save-search-form button[type=submit]`)))
	b.waitFor("the saved searches page lists it", `Array.from(document.querySelectorAll(".saved-search-name")).some(h => h.textContent.trim() === "DENOG peering")`)
	ss, err := s.cat.FindSavedSearch(context.Background(), "DENOG peering")
	if err != nil {
		t.Fatalf("the saved search is not in the catalog: %v", err)
	}
	if ss.Query != "peering" || len(ss.Filter.Series) != 1 || ss.Filter.Series[0] != "DENOG" {
		t.Errorf("saved %+v, want the query and the series filter of the page", ss)
	}
	feed := eval[string](b, `(document.querySelector('link[rel=alternate][type="application/atom+xml"]') || {}).href || ""`)
	if !strings.HasSuffix(feed, "/api/v1/searches/DENOG%20peering/feed.atom") {
		b.fatalf("feed link %q", feed)
	}
}
