package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserTab is one Chromium tab pointed at a site. Its helpers fail the
// test with what the test was waiting for and where the page was.
type browserTab struct {
	t    *testing.T
	ctx  context.Context
	site *site
}

// newBrowserTab starts a browser for the test, with a tab on s whose
// actions must all be done within timeout.
func newBrowserTab(t *testing.T, s *site, timeout time.Duration) *browserTab {
	t.Helper()
	return &browserTab{t: t, ctx: startBrowser(t, timeout), site: s}
}

// forTest returns the same tab reporting to t, for subtests that share a
// browser (starting one takes most of a second).
func (b *browserTab) forTest(t *testing.T) *browserTab {
	sub := *b
	sub.t = t
	return &sub
}

// fatalf fails the test, adding the page's address for context.
func (b *browserTab) fatalf(format string, args ...any) {
	b.t.Helper()
	where, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		where = "unknown page (" + err.Error() + ")"
	}
	b.t.Fatalf("%s\n\tpage: %s", fmt.Sprintf(format, args...), where)
}

// do runs actions, failing the test with what they were meant to do.
func (b *browserTab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// open loads path and waits until its main content is visible.
func (b *browserTab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.site.url+path), chromedp.WaitVisible(chromedp.CSS("main")))
}

// load runs an action that leaves the page (a click on a link, Enter in a
// form, a submit button) and waits for the next page's load event, so that
// what follows reads the new page, never the old one.
func (b *browserTab) load(what string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, waitTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, action)); err != nil {
		b.fatalf("%s, then wait for the next page: %v", what, err)
	}
}

// pollInterval is how often waitFor re-checks the page.
const pollInterval = 25 * time.Millisecond

// waitFor waits until the JavaScript expression is truthy, for at most
// waitTimeout; what says in words what the expression checks. An error from
// a page being replaced under the check is retried, not fatal.
func (b *browserTab) waitFor(what, expression string) {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	var lastErr error
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool]("!!("+expression+")"))
		if err == nil && ok {
			return
		}
		if err != nil {
			lastErr = err
		}
		if b.ctx.Err() != nil || time.Now().After(deadline) {
			b.fatalf("timed out waiting until %s (last error: %v)", what, lastErr)
		}
		time.Sleep(pollInterval)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value
// into T.
func eval[T any](b *browserTab, expression string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		b.fatalf("evaluate %s: %v", expression, err)
	}
	return v
}

// jsString quotes s as a JavaScript string literal (JSON is a subset).
func jsString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err) // a Go string always encodes
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// text returns the trimmed text of the first element matching a CSS
// selector, or "" when there is none.
func (b *browserTab) text(selector string) string {
	b.t.Helper()
	return strings.TrimSpace(eval[string](b, fmt.Sprintf(
		`(document.querySelector(%s) || {}).textContent || ""`, jsString(selector))))
}
