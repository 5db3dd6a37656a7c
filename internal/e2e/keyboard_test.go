package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestSlashFocusesSearch presses "/" the way a user does (a real key event
// from the browser's input pipeline) and checks where the focus lands.
func TestSlashFocusesSearch(t *testing.T) {
	s := startSite(t)
	browser := newBrowserTab(t, s, testTimeout)
	tests := []struct {
		name string
		path string
		// focus is the element focused before the key; "" blurs everything
		// (the search box is autofocused, which would prove nothing).
		focus     string
		wantFocus string // id of the element focused after the key
		wantValue string // that element's value after the key
	}{
		{name: "search page", path: "/", wantFocus: "q", wantValue: ""},
		{name: "search page keeps the query", path: "/?q=dns", wantFocus: "q", wantValue: "dns"},
		{name: "talk page jumps to the header search", path: "/talks/1", wantFocus: "site-q", wantValue: ""},
		{name: "typing a note keeps the slash", path: "/talks/1", focus: "note-text", wantFocus: "note-text", wantValue: "/"},
		{name: "typing a tag keeps the slash", path: "/talks/1", focus: "tag-input", wantFocus: "tag-input", wantValue: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := browser.forTest(t)
			b.open(tt.path)
			if tt.focus == "" {
				eval[bool](b, `(document.activeElement && document.activeElement.blur(), true)`)
				if active := eval[string](b, `document.activeElement ? document.activeElement.tagName : ""`); active != "BODY" {
					b.fatalf("focus is on %s after blurring; the key press would prove nothing", active)
				}
			} else {
				b.do("focus #"+tt.focus, chromedp.Focus(chromedp.ID(tt.focus)))
			}
			b.do("press /", pressKey("/", "Slash", 191))
			// The handler runs synchronously on keydown, so the focus has
			// moved by the time the key event is acknowledged; the wait
			// only guards against a slow machine.
			b.waitFor("#"+tt.wantFocus+" has the focus", fmt.Sprintf(`document.activeElement && document.activeElement.id === %s`, jsString(tt.wantFocus)))
			if got := eval[string](b, fmt.Sprintf(`document.getElementById(%s).value`, jsString(tt.wantFocus))); got != tt.wantValue {
				b.fatalf("#%s holds %q after pressing /, want %q", tt.wantFocus, got, tt.wantValue)
			}
		})
	}
}

// pressKey types one printable key as a keyboard does: a keyDown carrying
// the character, then a keyUp. chromedp.KeyEvent sends the character as a
// separate "char" event, which a keydown handler's preventDefault cannot
// cancel, unlike in a real browser; app.js relies on that cancelling.
func pressKey(key, code string, keyCode int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		events := []input.DispatchKeyEventParams{
			{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code, Text: key, UnmodifiedText: key, WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode},
			{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code, WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode},
		}
		for _, ev := range events {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
				return fmt.Errorf("dispatch %s %s: %w", ev.Type, key, err)
			}
		}
		return nil
	})
}
