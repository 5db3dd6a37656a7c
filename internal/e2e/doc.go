// Package e2e drives talkdex's real web UI in a headless Chromium: the
// server runs in-process over a real catalog (SQLite and Bleve in a temporary
// directory), and the tests click, type and read pages the way a user does,
// then check the result through the catalog service.
//
// The package has no code of its own besides its tests. They skip when no
// Chromium is installed, unless TALKDEX_REQUIRE_BROWSER=1 (set by .ci/run)
// makes a missing browser a failure. TALKDEX_CHROMIUM names the browser
// binary when it is not on PATH; TALKDEX_SCREENSHOTS_DIR, when set, receives
// full-page PNG screenshots of the search and talk pages.
package e2e
