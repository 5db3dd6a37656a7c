package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// The CLI tests run the real binary, built once for the package.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "talkdex-bin-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "talkdex")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build talkdex:", err)
		os.Exit(1)
	}
	os.Setenv("TALKDEX_TEST_BIN", bin)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// talkdex runs the binary with --data dir and the given arguments.
func talkdex(t testing.TB, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Getenv("TALKDEX_TEST_BIN"), append([]string{"--data", dir}, args...)...)
	cmd.Env = append(os.Environ(), "TALKDEX_DATA=", "XDG_DATA_HOME=")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run talkdex %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

func mustRun(t testing.TB, dir string, args ...string) result {
	t.Helper()
	r := talkdex(t, dir, "", args...)
	if r.code != 0 {
		t.Fatalf("talkdex %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

func searchJSON(t testing.TB, dir string, args ...string) *catalog.SearchResult {
	t.Helper()
	r := mustRun(t, dir, append([]string{"search", "--json"}, args...)...)
	var res catalog.SearchResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("search output is not JSON: %v\n%s", err, r.stdout)
	}
	return &res
}

func showJSON(t testing.TB, dir string, id int64) *catalog.Talk {
	t.Helper()
	r := mustRun(t, dir, "show", "--json", fmt.Sprint(id))
	var talk catalog.Talk
	if err := json.Unmarshal([]byte(r.stdout), &talk); err != nil {
		t.Fatalf("show output is not JSON: %v\n%s", err, r.stdout)
	}
	return &talk
}

func findID(t testing.TB, dir, query string) int64 {
	t.Helper()
	res := searchJSON(t, dir, query)
	if len(res.Hits) == 0 {
		t.Fatalf("search %q found nothing", query)
	}
	return res.Hits[0].Talk.ID
}

func TestImportReportsAndSkips(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "import", "testdata/talks.jsonl")
	if !strings.Contains(r.stderr, "3 inserted, 0 updated, 0 unchanged, 1 skipped") {
		t.Errorf("first import report: %s", r.stderr)
	}
	if !strings.Contains(r.stderr, "no title") {
		t.Errorf("skip reason missing: %s", r.stderr)
	}
	r = mustRun(t, dir, "import", "testdata/talks.jsonl")
	if !strings.Contains(r.stderr, "0 inserted, 0 updated, 3 unchanged, 1 skipped") {
		t.Errorf("re-import report: %s", r.stderr)
	}
}

func TestImportNamesSeriesAndEvent(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "import", "--dry-run", "--series", "Renamed", "--event", "Renamed 2030", "testdata/talks.jsonl")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var talk catalog.Talk
		if err := json.Unmarshal([]byte(line), &talk); err != nil {
			t.Fatal(err)
		}
		if talk.Series != "Renamed" || talk.Event != "Renamed 2030" {
			t.Errorf("--series/--event not applied: %q / %q", talk.Series, talk.Event)
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "import", "--dry-run", "testdata/talks.jsonl")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("dry run printed %d records, want 3:\n%s", len(lines), r.stdout)
	}
	for _, l := range lines {
		var talk catalog.Talk
		if err := json.Unmarshal([]byte(l), &talk); err != nil || talk.Title == "" {
			t.Errorf("dry-run line is not a talk record: %v: %s", err, l)
		}
	}
	if !strings.Contains(r.stderr, "dry run: 3 talks, 1 skipped") {
		t.Errorf("dry-run summary: %s", r.stderr)
	}
	if res := searchJSON(t, dir, ""); res.Total != 0 {
		t.Errorf("dry run wrote %d talks", res.Total)
	}
}

// TestPersonalDataSurvives walks the list: a rating and a note
// survive re-import, reindex, and export + import into a fresh data dir,
// and a word that appears only in the note finds the talk.
func TestPersonalDataSurvives(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	id := findID(t, dir, "anycast catchments")
	mustRun(t, dir, "rate", fmt.Sprint(id), "4")
	mustRun(t, dir, "note", fmt.Sprint(id), "Compare with the quokka measurements.")
	mustRun(t, dir, "watched", fmt.Sprint(id))

	check := func(stage, dir string, id int64) {
		t.Helper()
		talk := showJSON(t, dir, id)
		if talk.Rating != 4 || !strings.Contains(talk.Note, "quokka") || !talk.Watched {
			t.Errorf("%s: rating %d, note %q, watched %v", stage, talk.Rating, talk.Note, talk.Watched)
		}
		res := searchJSON(t, dir, "quokka")
		if res.Total != 1 || res.Hits[0].Talk.ID != id {
			t.Errorf("%s: search for a note-only word: total %d", stage, res.Total)
		}
		if res := searchJSON(t, dir, "--min-rating", "4", ""); res.Total != 1 {
			t.Errorf("%s: --min-rating 4 found %d talks", stage, res.Total)
		}
	}
	check("after writes", dir, id)
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	check("after re-import", dir, id)
	mustRun(t, dir, "reindex")
	check("after reindex", dir, id)

	export := filepath.Join(t.TempDir(), "export.jsonl")
	mustRun(t, dir, "export", "--format", "jsonl", "--output", export)
	fresh := t.TempDir()
	r := mustRun(t, fresh, "import", export)
	if !strings.Contains(r.stderr, "3 inserted") {
		t.Errorf("import of export: %s", r.stderr)
	}
	check("after export and import", fresh, findID(t, fresh, "anycast catchments"))
}

func TestSearchFilters(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	tests := []struct {
		args []string
		want int
	}{
		{[]string{""}, 3},
		{[]string{"--series", "Example NOG", ""}, 2},
		{[]string{"--year", "2019", ""}, 1},
		{[]string{"reflector"}, 1},
		{[]string{"speaker:sample"}, 1},
		{[]string{"optical", "-basics"}, 0},
		{[]string{"-basics", "--series", "Other Meeting"}, 0},
		{[]string{"--", "-optical"}, 2},
		{[]string{`"route reflectors"`}, 1},
	}
	for _, tt := range tests {
		if res := searchJSON(t, dir, tt.args...); res.Total != tt.want {
			t.Errorf("search %q: total %d, want %d", tt.args, res.Total, tt.want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	id := fmt.Sprint(findID(t, dir, "optical"))
	tests := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"unknown verb", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"unknown flag", []string{"show", "--bogus", "1"}, exitUsage, "unknown flag"},
		{"flag without value", []string{"search", "x", "--limit"}, exitUsage, "needs an argument"},
		{"missing args", []string{"rate"}, exitUsage, "arg"},
		{"bad id", []string{"show", "abc"}, exitUsage, "not a positive whole number"},
		{"rating 9", []string{"rate", id, "9"}, exitFailure, "out of range"},
		{"rating 0", []string{"rate", id, "0"}, exitFailure, "out of range"},
		{"unknown talk", []string{"show", "99999"}, exitFailure, "not found"},
		{"bad query", []string{"search", "nosuchfield:x"}, exitFailure, "unknown field"},
		{"bad sort", []string{"search", "--sort", "loudest", "x"}, exitFailure, "unknown sort"},
		{"bad format", []string{"import", "--format", "docx", "x"}, exitUsage, "unknown format"},
		{"bad time zone", []string{"import", "--tz", "Mars/Olympus", "testdata/talks.jsonl"}, exitUsage, "unknown time zone"},
		{"missing file", []string{"import", "testdata/none.jsonl"}, exitFailure, "none.jsonl"},
		{"nothing usable", []string{"import", "testdata/untitled.jsonl"}, exitFailure, "all 1 records were skipped"},
		{"nothing usable, dry run", []string{"import", "--dry-run", "testdata/untitled.jsonl"}, exitFailure, "all 1 records were skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := talkdex(t, dir, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.message) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, tt.code, tt.message)
			}
		})
	}
	if talk := showJSON(t, dir, findID(t, dir, "optical")); talk.Rating != 0 {
		t.Errorf("rejected ratings changed the talk: rating %d", talk.Rating)
	}
}

func TestNoteFromStdinAndLimit(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	id := fmt.Sprint(findID(t, dir, "optical"))
	if r := talkdex(t, dir, "# Heading\n\nfrom stdin", "note", id, "-"); r.code != 0 {
		t.Fatalf("note from stdin: %d %s", r.code, r.stderr)
	}
	if r := mustRun(t, dir, "note", id); !strings.Contains(r.stdout, "from stdin") {
		t.Errorf("note print: %q", r.stdout)
	}
	mustRun(t, dir, "note", id, "- a Markdown bullet")
	if r := mustRun(t, dir, "note", id); !strings.Contains(r.stdout, "- a Markdown bullet") {
		t.Errorf("note starting with a dash: %q", r.stdout)
	}
	huge := strings.Repeat("x", catalog.MaxNoteBytes+1)
	if r := talkdex(t, dir, huge, "note", id, "-"); r.code != exitFailure || !strings.Contains(r.stderr, "note") {
		t.Errorf("over-long note: exit %d %s", r.code, r.stderr)
	}
	if r := mustRun(t, dir, "note", id); !strings.Contains(r.stdout, "- a Markdown bullet") {
		t.Errorf("over-long note replaced the old one: %q", r.stdout)
	}
}

func TestEveryVerbHasHelp(t *testing.T) {
	dir := t.TempDir()
	for _, verb := range []string{"serve", "import", "scrape", "sources", "search", "show", "rate", "note", "watched",
		"towatch", "watchlist", "tag", "tags", "searches", "notes", "export", "backup", "restore", "token", "reindex", "stats"} {
		r := talkdex(t, dir, "", verb, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, verb) {
			t.Errorf("%s --help: exit %d\n%s%s", verb, r.code, r.stdout, r.stderr)
		}
	}
}

func TestBackupOpens(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	backup := filepath.Join(t.TempDir(), "copy.db")
	mustRun(t, dir, "backup", backup)
	restored := t.TempDir()
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "talkdex.db"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// With no index in the copy, opening it rebuilds the index from SQLite.
	if res := searchJSON(t, restored, "reflector"); res.Total != 1 {
		t.Errorf("search in a restored backup: total %d", res.Total)
	}
	if r := talkdex(t, dir, "", "backup", backup); r.code == 0 {
		t.Errorf("backup overwrote an existing file")
	}
}

// runningServer is a running `talkdex serve` process.
type runningServer struct {
	cmd  *exec.Cmd
	base string
}

func startServer(t testing.TB, dir string, extra ...string) *runningServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := append([]string{"serve", "--addr", addr}, extra...)
	if dir != "" {
		args = append([]string{"--data", dir}, args...)
	}
	cmd := exec.Command(os.Getenv("TALKDEX_TEST_BIN"), args...)
	// The server is stopped with SIGKILL, so it cannot remove a --demo data
	// dir itself: keep its temporary files inside the test's own.
	cmd.Env = append(os.Environ(), "TALKDEX_DATA=", "XDG_DATA_HOME=", "TMPDIR="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log("server:", sc.Text())
		}
	}()
	s := &runningServer{cmd: cmd, base: "http://" + addr}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server on %s did not answer /healthz", addr)
	return nil
}

func put(t testing.TB, url, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestKillAfterPut: once the API acknowledged a write, a kill -9 of the
// server cannot lose it, and the restarted server finds it by search.
func TestKillAfterPut(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	id := findID(t, dir, "optical")
	srv := startServer(t, dir)
	if code := put(t, fmt.Sprintf("%s/api/v1/talks/%d/rating", srv.base, id), `{"stars": 5}`); code != http.StatusOK {
		t.Fatalf("PUT rating: %d", code)
	}
	if code := put(t, fmt.Sprintf("%s/api/v1/talks/%d/note", srv.base, id), `{"text": "wombat"}`); code != http.StatusOK {
		t.Fatalf("PUT note: %d", code)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()

	talk := showJSON(t, dir, id)
	if talk.Rating != 5 || talk.Note != "wombat" {
		t.Errorf("after kill -9: rating %d, note %q", talk.Rating, talk.Note)
	}
	srv = startServer(t, dir)
	resp, err := http.Get(srv.base + "/api/v1/talks?q=wombat")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res catalog.SearchResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Talk.Rating != 5 {
		t.Errorf("restarted server: q=wombat total %d", res.Total)
	}
}

// TestCLIWritesWhileServing: the CLI writes to SQLite while the server owns
// the index, and the server indexes the change from the outbox.
func TestCLIWritesWhileServing(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	id := findID(t, dir, "optical")
	srv := startServer(t, dir)
	mustRun(t, dir, "note", fmt.Sprint(id), "platypus")
	// The CLI cannot open the index the server holds; it searches through
	// the server's API instead.
	if res := searchJSON(t, dir, "--series", "Other Meeting", ""); res.Total != 1 {
		t.Errorf("CLI search while serving: total %d, want 1", res.Total)
	}
	deadline := time.Now().Add(3 * outboxPollInterval)
	for {
		resp, err := http.Get(srv.base + "/api/v1/talks?q=platypus")
		if err != nil {
			t.Fatal(err)
		}
		var res catalog.SearchResult
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never indexed a note written by the CLI")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestServeDemo(t *testing.T) {
	srv := startServer(t, "", "--demo")
	for _, tt := range []struct {
		series string
	}{{"AusNOG"}, {"Networking @Scale"}, {"DENOG"}} {
		resp, err := http.Get(srv.base + "/api/v1/talks?series=" + strings.ReplaceAll(tt.series, " ", "+"))
		if err != nil {
			t.Fatal(err)
		}
		var res catalog.SearchResult
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 {
			t.Errorf("series=%s: no talks", tt.series)
		}
		for _, h := range res.Hits {
			if h.Talk.Series != tt.series {
				t.Errorf("series=%s returned a talk of %q", tt.series, h.Talk.Series)
			}
		}
	}
	resp, err := http.Get(srv.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /: %d", resp.StatusCode)
	}
}
