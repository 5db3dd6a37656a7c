package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestWatchListAndTagChips clicks the watch-list toggles and adds and removes
// a tag chip on a talk page, checking after each click that the page shows
// the new state without a reload (app.js and the JSON API) and that the
// catalog holds it.
func TestWatchListAndTagChips(t *testing.T) {
	s := startSite(t)
	b := newBrowserTab(t, s, testTimeout)
	const id = 1
	b.open(fmt.Sprintf("/talks/%d", id))
	eval[bool](b, `window.__sameDocument = true`)

	watchSteps := []struct {
		button    string // value of the button clicked
		wantWatch string // the talk's Watch in the catalog afterwards
		wantText  string // start of the watch text on the page
	}{
		{button: catalog.WatchToWatch, wantWatch: catalog.WatchToWatch, wantText: "On your list"},
		{button: catalog.WatchWatched, wantWatch: catalog.WatchWatched, wantText: "Watched"},
		{button: catalog.WatchNone, wantWatch: "", wantText: "Not on your list"},
	}
	for _, step := range watchSteps {
		b.do("click the watch button "+step.button,
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#watch-form button[name=status][value=%s]`, step.button))))
		b.waitFor("the watch text starts with "+step.wantText,
			fmt.Sprintf(`document.querySelector("[data-watch-text]").textContent.trim().startsWith(%s)`, jsString(step.wantText)))
		if step.wantWatch != "" {
			pressed := eval[string](b, fmt.Sprintf(`document.querySelector("#watch-form button[value=%s]").getAttribute("aria-pressed")`, step.wantWatch))
			if pressed != "true" {
				b.fatalf("after clicking %s its button has aria-pressed=%q, want true", step.button, pressed)
			}
		}
		if got := s.talk(t, id).Watch; got != step.wantWatch {
			t.Fatalf("after clicking %s the catalog has watch %q, want %q", step.button, got, step.wantWatch)
		}
	}

	// Add two tags in one go, as the label invites.
	b.do("type tags", chromedp.SendKeys(chromedp.ID("tag-input"), "rewatch, Ask-Speaker"))
	b.do("add the tags", chromedp.Click(chromedp.CSS(`#tags-form button[type=submit]`)))
	b.waitFor("two tag chips are shown", `document.querySelectorAll("#my-tags .my-tag").length === 2`)
	chips := eval[[]string](b, `Array.from(document.querySelectorAll("#my-tags .my-tag-link")).map(a => a.textContent.trim())`)
	stored := s.talk(t, id).MyTags
	if !slices.Equal(chips, stored) {
		t.Fatalf("tag chips %q, catalog tags %q; want the same", chips, stored)
	}
	// Tags are stored trimmed and lower-cased, one per comma-separated part.
	if want := []string{"ask-speaker", "rewatch"}; !slices.Equal(slices.Sorted(slices.Values(stored)), want) {
		t.Fatalf("catalog tags %q, want %q", stored, want)
	}
	if got := eval[string](b, `document.getElementById("tag-input").value`); got != "" {
		b.fatalf("the tag box still holds %q after adding", got)
	}
	if !eval[bool](b, `document.querySelector("[data-tags-empty]").hidden`) {
		b.fatalf(`"No tags of yours yet" is still shown beside two tags`)
	}

	// Remove the first chip with its ×.
	removed := chips[0]
	b.do("remove the tag "+removed, chromedp.Click(chromedp.CSS(`#my-tags .my-tag:first-child button.tag-remove`)))
	b.waitFor("one tag chip is left", `document.querySelectorAll("#my-tags .my-tag").length === 1`)
	if got := s.talk(t, id).MyTags; !slices.Equal(got, chips[1:]) {
		t.Fatalf("catalog tags after removing %q = %q, want %q", removed, got, chips[1:])
	}
	if !eval[bool](b, `window.__sameDocument === true`) {
		b.fatalf("a click reloaded the page; app.js should have sent it through the API")
	}

	// A reload renders the same state from the server.
	b.open(fmt.Sprintf("/talks/%d", id))
	if got := eval[[]string](b, `Array.from(document.querySelectorAll("#my-tags .my-tag-link")).map(a => a.textContent.trim())`); !slices.Equal(got, chips[1:]) {
		b.fatalf("after a reload the page shows tags %q, want %q", got, chips[1:])
	}
	if text := b.text("[data-watch-text]"); text != "Not on your list" {
		b.fatalf("after a reload the watch text reads %q", text)
	}
}
