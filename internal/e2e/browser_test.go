package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Environment variables that steer the browser tests (see doc.go).
const (
	envRequireBrowser = "TALKDEX_REQUIRE_BROWSER"
	envChromium       = "TALKDEX_CHROMIUM"
)

// testTimeout bounds one test's browser work. A journey takes a few seconds;
// the rest is headroom for a loaded CI machine. Tests that load many more
// pages set their own.
const testTimeout = 30 * time.Second

// waitTimeout bounds one wait for the page to reach a state, so that a
// broken page fails with the name of what it never showed rather than with
// the whole test's deadline.
const waitTimeout = 10 * time.Second

// Viewport of every tab: the width the README screenshots are taken at.
const (
	viewportWidth  = 1280
	viewportHeight = 800
)

// chromiumNames are the binaries Debian, Ubuntu, Fedora and Google ship.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// findChromium returns the browser binary: $TALKDEX_CHROMIUM, else the first
// of chromiumNames on PATH.
func findChromium() (string, error) {
	if path := os.Getenv(envChromium); path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", errors.New(envChromium + " names a browser that is not there: " + err.Error())
		}
		return path, nil
	}
	for _, name := range chromiumNames {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("none of " + strings.Join(chromiumNames, ", ") + " is on PATH")
}

// requireChromium returns the browser binary, or skips the test when there
// is none or in -short mode: a developer without Chromium still runs
// `go test ./...`. CI sets TALKDEX_REQUIRE_BROWSER=1, where a missing
// browser must not pass silently.
func requireChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping browser test in -short mode")
	}
	path, err := findChromium()
	if err == nil {
		return path
	}
	if os.Getenv(envRequireBrowser) == "1" {
		t.Fatalf("browser tests need Chromium and %s=1: %v (apt-get install chromium, or set %s)", envRequireBrowser, err, envChromium)
	}
	t.Skipf("skipping browser test: no Chromium found (%v); install it (apt-get install chromium) or set %s", err, envChromium)
	return ""
}

// startBrowser starts a headless Chromium with one tab and returns that
// tab's context, which ends after timeout. The browser is closed when the
// test ends; uncaught JavaScript exceptions in any page fail the test,
// because app.js failing is the UI breaking.
func startBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(requireChromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where Chromium refuses its sandbox
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(viewportWidth, viewportHeight),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	// The first action starts the browser and ties its life to the context
	// it is given, so it gets the tab's context without a deadline; the
	// deadline goes on the context the test's actions use.
	if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(viewportWidth, viewportHeight)); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(tabCtx, timeout)
	console := collectConsole(ctx)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		for _, msg := range console.messages() {
			if msg.IsException() {
				t.Errorf("uncaught exception in the page: %s (%s:%d)", msg.Text, msg.URL, msg.Line+1)
			}
		}
	})
	return ctx
}

// consoleLog keeps every console message, exception and browser log entry
// of a tab, for assertions after the fact.
type consoleLog struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// collectConsole records the tab's console until ctx ends.
func collectConsole(ctx context.Context) *consoleLog {
	c := &consoleLog{}
	// Console subscribes when it returns, so nothing after this call is lost.
	messages := chromedp.Console(ctx)
	go func() {
		for msg, err := range messages {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, msg)
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *consoleLog) messages() []chromedp.ConsoleMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), c.msgs...)
}
