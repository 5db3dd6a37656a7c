package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestScrapeFromSavedPage(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "scrape", "--from", "testdata/scrape/agenda.html", "generic")
	want := "LoopNOG 7: 3 inserted, 0 updated, 0 unchanged, 0 skipped, 0 withdrawn (via generic heuristic agenda extractor"
	if !strings.Contains(r.stderr, want) {
		t.Fatalf("stderr %q\nwant it to contain %q", r.stderr, want)
	}
	sr := findID(t, dir, "segment")
	mustRun(t, dir, "rate", fmt.Sprint(sr), "5")
	mustRun(t, dir, "note", fmt.Sprint(sr), "great demo")
	mustRun(t, dir, "tag", fmt.Sprint(sr), "lab")
	mustRun(t, dir, "towatch", fmt.Sprint(sr))

	// Same page again: nothing changes.
	r = mustRun(t, dir, "scrape", "--from", "testdata/scrape/agenda.html", "generic")
	if !strings.Contains(r.stderr, "LoopNOG 7: 0 inserted, 0 updated, 3 unchanged, 0 skipped, 0 withdrawn") {
		t.Errorf("rescrape: %s", r.stderr)
	}

	// A dry run of the new page says what would happen, and does nothing.
	r = mustRun(t, dir, "scrape", "--dry-run", "--from", "testdata/scrape/agenda-v2.html", "generic")
	if !strings.Contains(r.stderr, "would add 1, change 2, withdraw 1; nothing written") ||
		!strings.Contains(r.stderr, "would withdraw: Segment Routing in the Field") {
		t.Errorf("dry run stderr: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("dry run printed %d records, want 3:\n%s", len(lines), r.stdout)
	}
	var first catalog.Talk
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Title != "Route Leaks & How to Stop Them" || len(first.Speakers) != 2 || first.Speakers[0].Affiliation != "Example Networks" {
		t.Errorf("first record %+v", first)
	}
	if showJSON(t, dir, sr).Withdrawn {
		t.Fatal("the dry run withdrew a talk")
	}

	// The real run withdraws the vanished talk and keeps the user's data.
	r = mustRun(t, dir, "scrape", "--from", "testdata/scrape/agenda-v2.html", "generic")
	if !strings.Contains(r.stderr, "LoopNOG 7: 1 inserted, 0 updated, 2 unchanged, 0 skipped, 1 withdrawn") ||
		!strings.Contains(r.stderr, "withdrawn LoopNOG 7: Segment Routing in the Field") {
		t.Errorf("stderr: %s", r.stderr)
	}
	got := showJSON(t, dir, sr)
	if !got.Withdrawn || got.Rating != 5 || got.Note != "great demo" {
		t.Errorf("vanished talk: withdrawn=%v rating=%d note=%q", got.Withdrawn, got.Rating, got.Note)
	}

	// It comes back when the page lists it again.
	r = mustRun(t, dir, "scrape", "--from", "testdata/scrape/agenda.html", "generic")
	if !strings.Contains(r.stderr, "LoopNOG 7: 0 inserted, 1 updated, 2 unchanged, 0 skipped, 1 withdrawn") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if got := showJSON(t, dir, sr); got.Withdrawn || got.Rating != 5 || got.Note != "great demo" ||
		got.Watch != catalog.WatchToWatch || len(got.MyTags) != 1 || got.MyTags[0] != "lab" {
		t.Errorf("returned talk: withdrawn=%v rating=%d note=%q watch=%q tags=%v", got.Withdrawn, got.Rating, got.Note, got.Watch, got.MyTags)
	}
}

func TestScrapeFindingNothingChangesNothing(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "scrape", "--from", "testdata/scrape/agenda.html", "generic")
	r := talkdex(t, dir, "", "scrape", "--from", "testdata/scrape/empty.html", "generic")
	if r.code == 0 || !strings.Contains(r.stderr, "found no talks for LoopNOG 7") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	res := searchJSON(t, dir, "--event", "LoopNOG 7", "")
	if res.Total != 3 {
		t.Errorf("%d talks left, want 3", res.Total)
	}
	for _, h := range res.Hits {
		if h.Talk.Withdrawn {
			t.Errorf("%q was withdrawn by an empty scrape", h.Talk.Title)
		}
	}
}

func TestScrapeURL(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "scrape", "agenda.html"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/agenda/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(page)
	}))
	defer srv.Close()

	dir := t.TempDir()
	r := talkdex(t, dir, "", "scrape", srv.URL+"/agenda/")
	if r.code == 0 || !strings.Contains(r.stderr, "--allow-private") {
		t.Errorf("loopback without --allow-private: exit %d, %s", r.code, r.stderr)
	}
	r = mustRun(t, dir, "scrape", "--allow-private", srv.URL+"/agenda/")
	if !strings.Contains(r.stderr, "LoopNOG 7: 3 inserted") || !strings.Contains(r.stderr, "(via generic heuristic agenda extractor") {
		t.Errorf("stderr: %s", r.stderr)
	}
	id := findID(t, dir, "leaks")
	if got := showJSON(t, dir, id); got.Source.URL != srv.URL+"/agenda/" || !got.HasLink(catalog.LinkSlides) {
		t.Errorf("talk %+v", got)
	}
}

func TestScrapeUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"scrape", "no-such-source", "1"},
		{"scrape", "generic"}, // generic reads saved pages only
		{"scrape", "https://example.org/agenda/", "7"},
		{"scrape", "--from", "a.html", "generic", "1", "2"},
	} {
		r := talkdex(t, dir, "", args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)\n%s", args, r.code, r.stderr)
		}
	}
}

func TestSources(t *testing.T) {
	r := mustRun(t, t.TempDir(), "sources")
	if !strings.HasPrefix(r.stdout, "NAME") || !strings.Contains(r.stdout, "CHECKED") || !strings.Contains(r.stdout, "\ngeneric ") {
		t.Errorf("sources:\n%s", r.stdout)
	}
}

// TestScrapeNeverWithdrawsImportedTalks: talks that came in through
// `import` share their format's source name with a scrape that reaches the
// same format; a scrape seeing fewer of them must not withdraw the rest.
func TestScrapeNeverWithdrawsImportedTalks(t *testing.T) {
	full := `BEGIN:VCALENDAR
VERSION:2.0
X-WR-CALNAME:LoopConf 2024
BEGIN:VEVENT
UID:one@loopconf.example
DTSTART:20240301T100000Z
DTEND:20240301T103000Z
SUMMARY:First Talk
END:VEVENT
BEGIN:VEVENT
UID:two@loopconf.example
DTSTART:20240301T110000Z
DTEND:20240301T113000Z
SUMMARY:Second Talk
END:VEVENT
END:VCALENDAR
`
	partial := strings.Replace(full, "BEGIN:VEVENT\nUID:two@loopconf.example\nDTSTART:20240301T110000Z\nDTEND:20240301T113000Z\nSUMMARY:Second Talk\nEND:VEVENT\n", "", 1)
	if partial == full {
		t.Fatal("test calendar not cut")
	}
	dir := t.TempDir()
	path := filepath.Join(t.TempDir(), "full.ics")
	if err := os.WriteFile(path, []byte(full), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "import", path)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		io.WriteString(w, partial)
	}))
	defer srv.Close()
	r := mustRun(t, dir, "scrape", "--allow-private", srv.URL+"/loopconf.ics")
	if strings.Contains(r.stderr, "1 withdrawn") {
		t.Errorf("the scrape withdrew an imported talk: %s", r.stderr)
	}
	if talk := showJSON(t, dir, findID(t, dir, `"second talk"`)); talk.Withdrawn {
		t.Errorf("imported talk marked withdrawn")
	}
}

// TestScrapeTimeZone: a plain agenda page gives dates and times but no
// zone; --tz places its talks' starts in the zone the user names.
func TestScrapeTimeZone(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "scrape", "--dry-run", "--tz", "Europe/Berlin", "--from", "testdata/scrape/agenda.html", "generic")
	if !strings.Contains(r.stderr, "3 talks start in Europe/Berlin") {
		t.Errorf("stderr %q", r.stderr)
	}
	var first catalog.Talk
	if err := json.Unmarshal([]byte(strings.SplitN(r.stdout, "\n", 2)[0]), &first); err != nil {
		t.Fatal(err)
	}
	if got := first.Start.Format(time.RFC3339); got != "2024-03-14T09:45:00+01:00" || first.DurationMinutes != 45 {
		t.Errorf("first talk starts %s for %d min", got, first.DurationMinutes)
	}
	without := mustRun(t, dir, "scrape", "--dry-run", "--from", "testdata/scrape/agenda.html", "generic")
	if strings.Contains(without.stdout, `"start"`) {
		t.Errorf("without --tz a talk got a start: %s", without.stdout)
	}
	if r := talkdex(t, dir, "", "scrape", "--dry-run", "--tz", "Nowhere/City", "--from", "testdata/scrape/agenda.html", "generic"); r.code != 2 {
		t.Errorf("an unknown zone: exit %d, %q", r.code, r.stderr)
	}
}
