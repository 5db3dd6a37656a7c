package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// noteWord is a word no demo talk holds, so that finding the talk by it
// proves the note typed in the browser reached the index.
const noteWord = "quokkalantern"

// talkPathPattern matches a talk page's path and captures its id.
var talkPathPattern = regexp.MustCompile(`^/talks/([0-9]+)$`)

// facetChoice is a series facet link as the search page shows it.
type facetChoice struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// TestSearchFilterRateNoteAndFindByNote walks the main journey: search,
// narrow by a series facet, open a talk, rate it with a star (app.js PUTs
// to the API), save a note, and find the talk again by a word of the note,
// highlighted.
func TestSearchFilterRateNoteAndFindByNote(t *testing.T) {
	s := startSite(t)
	b := newBrowserTab(t, s, testTimeout)

	// Search by typing into the box and pressing Enter.
	b.open("/")
	b.load("search for 'network'", chromedp.SendKeys(chromedp.ID("q"), "network\n"))
	b.waitFor("the results for 'network' are shown",
		`new URLSearchParams(location.search).get("q") === "network" && document.readyState === "complete" && !!document.querySelector(".result-count")`)
	total := resultTotal(b)

	// Pick a series that holds some, not all, of the results.
	facets := eval[[]facetChoice](b, `Array.from(document.querySelectorAll("#facets .facet-series li a")).map(a => ({
		label: a.textContent.trim(),
		count: parseInt(a.parentElement.querySelector(".count").textContent, 10)}))`)
	var series facetChoice
	position := 0 // of the chosen facet among its siblings, for :nth-child
	for i, f := range facets {
		if f.Count < total && f.Count > series.Count {
			series, position = f, i+1
		}
	}
	if series.Label == "" {
		b.fatalf("no series facet narrows the %d results: %+v", total, facets)
	}
	b.load("click the series facet "+series.Label,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#facets .facet-series li:nth-child(%d) a`, position))))
	if got := eval[string](b, `new URLSearchParams(location.search).get("series")`); got != series.Label {
		b.fatalf("after clicking the series facet %q the page filters by series %q", series.Label, got)
	}
	if chip := b.text(".chips .chip"); !strings.Contains(chip, series.Label) {
		b.fatalf("the active-filter chip reads %q, want it to name %q", chip, series.Label)
	}
	if got := resultTotal(b); got != series.Count {
		b.fatalf("after filtering by series %q: %d results, the facet promised %d", series.Label, got, series.Count)
	}
	shownSeries := eval[[]string](b, `Array.from(document.querySelectorAll(".result .result-meta a:first-child")).map(a => a.textContent.trim())`)
	if len(shownSeries) == 0 {
		b.fatalf("the filtered page lists no results")
	}
	for _, got := range shownSeries {
		if got != series.Label {
			b.fatalf("a result of series %q is shown under the filter series=%q", got, series.Label)
		}
	}

	// Open the first result.
	title := b.text(".result .result-title a")
	b.load("open the first result", chromedp.Click(chromedp.CSS(".result .result-title a")))
	b.waitFor("the talk page is shown", `!!document.querySelector("h1.talk-title") && document.readyState === "complete"`)
	id := talkIDFromLocation(b)
	if got := b.text("h1.talk-title"); got != title {
		b.fatalf("talk page title %q, the result linked from was %q", got, title)
	}

	// Rate it 4 stars. The mark on window survives only if no page load
	// happened, which proves app.js saved the rating through the API.
	eval[bool](b, `window.__sameDocument = true`)
	b.do("click the fourth star", chromedp.Click(chromedp.CSS(`#rating-form button[name=stars][value="4"]`)))
	b.waitFor("the page says 4 of 5", `document.querySelector("[data-rating-text]").textContent.trim() === "4 of 5"`)
	if !eval[bool](b, `window.__sameDocument === true`) {
		b.fatalf("rating reloaded the page; app.js should have saved it through the API")
	}
	if pressed := eval[[]string](b, `Array.from(document.querySelectorAll("#rating-form button.star.on")).map(s => s.value)`); strings.Join(pressed, ",") != "1,2,3,4" {
		b.fatalf("stars lit after rating 4: %v, want 1,2,3,4", pressed)
	}
	if got := s.talk(t, id).Rating; got != 4 {
		t.Fatalf("talk %d rating in the catalog = %d after clicking the fourth star, want 4", id, got)
	}

	// Write a note and save it (an ordinary form post and redirect).
	note := "Worth rewatching: the " + noteWord + " demo at minute 12."
	b.do("type a note", chromedp.SendKeys(chromedp.ID("note-text"), note))
	b.load("save the note", chromedp.Click(chromedp.ID("note-save-button")))
	b.waitFor("the saved note is rendered",
		fmt.Sprintf(`document.readyState === "complete" && (document.querySelector(".note-rendered") || {textContent: ""}).textContent.includes(%s)`, jsString(noteWord)))
	if got := s.talk(t, id).Note; got != note {
		t.Fatalf("talk %d note in the catalog = %q, want %q", id, got, note)
	}

	// Back to search, by the site's navigation, and find the talk by the note.
	b.load("go to the search page", chromedp.Click(chromedp.CSS(`.site-nav a[href="/"]`)))
	b.waitFor("the search page is shown", `location.pathname === "/" && document.readyState === "complete" && !!document.getElementById("q")`)
	b.load("search for the note's word", chromedp.SendKeys(chromedp.ID("q"), noteWord+"\n"))
	b.waitFor("the results for the note's word are shown",
		fmt.Sprintf(`new URLSearchParams(location.search).get("q") === %s && document.readyState === "complete" && !!document.querySelector(".result-count")`, jsString(noteWord)))
	if got := resultTotal(b); got != 1 {
		b.fatalf("searching the note's word found %d talks, want the one noted", got)
	}
	if href := eval[string](b, `document.querySelector(".result .result-title a").getAttribute("href")`); href != fmt.Sprintf("/talks/%d", id) {
		b.fatalf("searching the note's word found %s, want /talks/%d", href, id)
	}
	marks := eval[[]string](b, `Array.from(document.querySelectorAll(".result .snippet mark")).map(m => m.textContent.toLowerCase())`)
	if len(marks) == 0 || marks[0] != noteWord {
		b.fatalf("highlighted words in the result = %q, want the note's word %q marked", marks, noteWord)
	}
	if label := b.text(".result .snippet .snippet-field"); !strings.Contains(strings.ToLower(label), "note") {
		b.fatalf("the highlight is labelled %q, want it to say it comes from the note", label)
	}
}

// resultTotal reads the number of matching talks from the results header.
func resultTotal(b *browserTab) int {
	b.t.Helper()
	count := b.text(".result-count strong")
	n, err := strconv.Atoi(count)
	if err != nil {
		b.fatalf("result count %q is not a number: %v", count, err)
	}
	return n
}

// talkIDFromLocation reads the talk id from the current page's path.
func talkIDFromLocation(b *browserTab) int64 {
	b.t.Helper()
	path := eval[string](b, `location.pathname`)
	m := talkPathPattern.FindStringSubmatch(path)
	if m == nil {
		b.fatalf("not on a talk page: %s", path)
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		b.fatalf("talk id in %s: %v", path, err)
	}
	return id
}
