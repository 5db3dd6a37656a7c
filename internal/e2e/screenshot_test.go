package e2e

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// envScreenshotsDir names the directory that receives the screenshots; CI
// keeps it as an artifact, and a one-off run refreshes docs/screenshots/.
const envScreenshotsDir = "TALKDEX_SCREENSHOTS_DIR"

// TestScreenshots takes full-page screenshots of the search page and of a
// rated, noted talk page, 1280 pixels wide. It checks that each page is
// styled and laid out (a page whose stylesheet failed still renders, just
// not as anyone wants to see it), and writes the PNGs to
// $TALKDEX_SCREENSHOTS_DIR when that is set.
func TestScreenshots(t *testing.T) {
	s := startSite(t)
	b := newBrowserTab(t, s, testTimeout)
	dir := os.Getenv(envScreenshotsDir)
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("create %s: %v", dir, err)
		}
	}

	// Give the talk page something personal to show.
	b.open("/?q=peering")
	b.load("open the first result", chromedp.Click(chromedp.CSS(".result .result-title a")))
	id := talkIDFromLocation(b)
	b.do("rate the talk", chromedp.Click(chromedp.CSS(`#rating-form button[name=stars][value="5"]`)))
	b.waitFor("the rating is saved", `document.querySelector("[data-rating-text]").textContent.trim() === "5 of 5"`)
	b.do("put it on the watch list", chromedp.Click(chromedp.CSS(`#watch-form button[value=to_watch]`)))
	b.waitFor("the watch list shows it", `document.querySelector("[data-watch-text]").textContent.includes("On your list")`)
	b.do("tag it", chromedp.SendKeys(chromedp.ID("tag-input"), "peering, follow-up"), chromedp.Click(chromedp.CSS(`#tags-form button[type=submit]`)))
	b.waitFor("the tags are shown", `document.querySelectorAll("#my-tags .my-tag").length === 2`)
	b.do("write a note", chromedp.SendKeys(chromedp.ID("note-text"),
		"Good overview of **route servers**.\n\n- [ ] compare with our IX policy\n- [x] share the slides with the team"))
	b.load("save the note", chromedp.Click(chromedp.ID("note-save-button")))

	shots := []struct {
		name string
		path string
		want string // selector of what the page must show
	}{
		{name: "search.png", path: "/?q=peering", want: "#facets .facet"},
		{name: "talk.png", path: fmt.Sprintf("/talks/%d", id), want: ".note-rendered li"},
	}
	for _, shot := range shots {
		t.Run(shot.name, func(t *testing.T) {
			b := b.forTest(t)
			b.open(shot.path)
			b.do("wait for "+shot.want, chromedp.WaitVisible(chromedp.CSS(shot.want)))
			// The stylesheet lays the header out as a flex row; the browser's
			// default is block.
			if display := eval[string](b, `getComputedStyle(document.querySelector(".header-inner")).display`); display != "flex" {
				b.fatalf("the header is laid out as %q: the stylesheet did not apply", display)
			}
			// No focus ring or blinking caret: the same page gives the same picture.
			eval[bool](b, `(document.activeElement && document.activeElement.blur(), true)`)
			img, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
			if err != nil {
				b.fatalf("screenshot %s: %v", shot.path, err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("screenshot of %s is not a PNG: %v", shot.path, err)
			}
			if cfg.Width != viewportWidth || cfg.Height < viewportHeight/2 {
				t.Fatalf("screenshot of %s is %dx%d, want %d wide and a full page tall", shot.path, cfg.Width, cfg.Height, viewportWidth)
			}
			if dir == "" {
				return
			}
			if err := os.WriteFile(filepath.Join(dir, shot.name), img, 0o644); err != nil {
				t.Fatalf("save screenshot: %v", err)
			}
		})
	}
}
