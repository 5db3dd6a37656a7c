package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/testfixture"
)

// servePretalx serves the static copy of pretalx's demo event: a talk page
// and the event's schedule export. It returns the server and the number of
// talks in the export, counted with a JSON parser (the events in its days'
// rooms), not with talkdex's reader.
func servePretalx(t *testing.T) (*httptest.Server, int) {
	t.Helper()
	page, err := os.ReadFile(testfixture.Shared(t, "pretalx-democon/talk/XFUR3C.html"))
	if err != nil {
		t.Fatal(err)
	}
	export, err := os.ReadFile(testfixture.Shared(t, "pretalx-democon/schedule.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schedule struct {
			Conference struct {
				Days []struct {
					Rooms map[string][]json.RawMessage `json:"rooms"`
				} `json:"days"`
			} `json:"conference"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal(export, &doc); err != nil {
		t.Fatal(err)
	}
	talks := 0
	for _, d := range doc.Schedule.Conference.Days {
		for _, events := range d.Rooms {
			talks += len(events)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/democon/talk/XFUR3C/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/democon/schedule/export/schedule.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(export)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, talks
}

// import URL takes a pretalx talk page to the event's schedule export,
// says so, prints one record per talk, and a second import finds every
// talk unchanged.
func TestImportURLDiscoversPretalxExport(t *testing.T) {
	srv, want := servePretalx(t)
	dir := t.TempDir()
	pageURL := srv.URL + "/democon/talk/XFUR3C/"

	r := mustRun(t, dir, "import", "--dry-run", "--allow-private", pageURL)
	if got := strings.Count(r.stdout, "\n"); got != want || want == 0 {
		t.Errorf("dry run printed %d records, want %d", got, want)
	}
	route := "import: " + pageURL + " → pretalx schedule export " + srv.URL + "/democon/schedule/export/schedule.json"
	if !strings.Contains(r.stderr, route) {
		t.Errorf("stderr does not say where the talks came from (%q):\n%s", route, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache")); err == nil {
		t.Errorf("a dry run wrote an HTTP cache")
	}

	first := mustRun(t, dir, "import", "--allow-private", pageURL)
	if inserted, _ := parseReport(t, first.stderr); inserted != want {
		t.Errorf("first import inserted %d, want %d:\n%s", inserted, want, first.stderr)
	}
	second := mustRun(t, dir, "import", "--allow-private", pageURL)
	m := reportLine.FindStringSubmatch(second.stderr)
	if m == nil || m[1] != "0" || m[2] != "0" || m[3] != strconv.Itoa(want) {
		t.Errorf("second import is not all unchanged:\n%s", second.stderr)
	}
}

// Without --allow-private a URL on this machine is refused, and the error
// says how to allow it.
func TestImportURLRefusesLoopback(t *testing.T) {
	srv, _ := servePretalx(t)
	r := talkdex(t, t.TempDir(), "", "import", "--dry-run", srv.URL+"/democon/talk/XFUR3C/")
	if r.code != exitFailure || r.stdout != "" || !strings.Contains(r.stderr, "--allow-private") || !strings.Contains(r.stderr, "loopback") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}
