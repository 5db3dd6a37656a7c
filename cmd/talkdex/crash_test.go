package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/sqlite"
)

// The crash harness runs the real binary and kill -9s it at random points
// of an import, of rating and note writes through the API, and of a
// reindex. After every kill it restarts talkdex and checks that every write
// that was acknowledged (an exit code 0, an HTTP 200) is still there, that
// SQLite passes its integrity check, and that the index agrees with SQLite.
//
// TALKDEX_CRASH_POINTS sets how many kill points the test tries in all
// (default 12, spread over the three scenarios); TALKDEX_CRASH_SEED replays
// a run (every run logs its seed).

const (
	defaultCrashPoints = 12
	crashTalks         = 5000 // talks in the generated import: several store batches and index syncs
	crashWriters       = 4    // concurrent API clients in the write scenario
)

// crashRun is the state of one TestCrashSafety run.
type crashRun struct {
	rng    *rand.Rand
	points int // kill points tried so far
	landed int // of which hit a process that was still working
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the binary dozens of times")
	}
	total := envInt(t, "TALKDEX_CRASH_POINTS", defaultCrashPoints)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("TALKDEX_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("TALKDEX_CRASH_SEED=%q: %v", s, err)
		}
	}
	t.Logf("crash seed %d (replay with TALKDEX_CRASH_SEED=%d)", seed, seed)
	run := &crashRun{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}

	scenarios := []struct {
		name string
		test func(t *testing.T, run *crashRun, points int)
	}{
		{"import", crashDuringImport},
		{"api writes", crashDuringWrites},
		{"reindex", crashDuringReindex},
	}
	for i, sc := range scenarios {
		// Spread the points round-robin, so that every scenario gets at
		// least one once there are three.
		points := total / len(scenarios)
		if i < total%len(scenarios) {
			points++
		}
		t.Run(sc.name, func(t *testing.T) { sc.test(t, run, points) })
	}
	t.Logf("kill points tried: %d (%d landed while talkdex was working, %d after it had finished)",
		run.points, run.landed, run.points-run.landed)
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q is not a count", name, s)
	}
	return n
}

// crashDuringImport kills imports. Even rounds import into an empty data
// dir, so the kill can land among the first inserts; odd rounds re-import,
// alternating between two versions of the talks (so every talk is updated),
// into one data dir whose CLI ratings and notes accumulate round by round.
func crashDuringImport(t *testing.T, run *crashRun, points int) {
	files := [2]string{writeCrashTalks(t, "a"), writeCrashTalks(t, "b")}
	window := timeRun(t, t.TempDir(), "import", files[0])
	dir := t.TempDir()
	mustRun(t, dir, "import", files[1])
	acked := newAckedWrites()
	for round := range points {
		started := time.Now()
		roundDir, roundAcked := dir, acked
		if round%2 == 0 {
			roundDir, roundAcked = t.TempDir(), newAckedWrites()
		}
		killed := run.killDuring(t, window, roundDir, "import", files[round%2])
		truth := checkAfterCrash(t, roundDir, roundAcked)
		t.Logf("round %d: import killed=%t, %d talks survived; kill and checks took %v", round, killed, len(truth), time.Since(started).Round(time.Millisecond))
		if len(truth) > crashTalks {
			t.Fatalf("round %d: %d talks after a killed import of %d", round, len(truth), crashTalks)
		}
		if roundDir != dir {
			// An interrupted first import completes by running again.
			mustRun(t, roundDir, "import", files[round%2])
			if n := len(checkAfterCrash(t, roundDir, roundAcked)); n != crashTalks {
				t.Errorf("round %d: the import run again after the kill left %d talks, want %d", round, n, crashTalks)
			}
			continue
		}
		acked.writeByCLI(t, dir, run.rng, truth)
	}
	// A re-import after all those kills: no duplicates, no lost talks, and
	// the personal data untouched.
	r := mustRun(t, dir, "import", files[0])
	truth := checkAfterCrash(t, dir, acked)
	if len(truth) != crashTalks {
		t.Errorf("after a full import: %d talks, want %d (%s)", len(truth), crashTalks, strings.TrimSpace(r.stderr))
	}
}

// crashDuringWrites kills the server while crashWriters clients rate and
// annotate talks through the API; the next round's server is the restart.
func crashDuringWrites(t *testing.T, run *crashRun, points int) {
	dir := t.TempDir()
	mustRun(t, dir, "import", writeCrashTalks(t, "a"))
	acked := newAckedWrites()
	truth := checkAfterCrash(t, dir, acked)
	ids := make([]int64, 0, len(truth))
	for _, talk := range truth {
		ids = append(ids, talk.ID)
	}
	for round := range points {
		srv := startServer(t, dir)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range crashWriters {
			rng := rand.New(rand.NewPCG(run.rng.Uint64(), uint64(w)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				acked.writeByAPI(srv.base, ids, w, rng, stop)
			}()
		}
		delay := time.Duration(run.rng.Int64N(int64(2 * time.Second)))
		time.Sleep(delay)
		killed := kill9(t, srv.cmd)
		close(stop)
		wg.Wait()
		run.count(killed)
		t.Logf("round %d: server killed after %v with %d writes acknowledged so far", round, delay.Round(time.Millisecond), acked.count())
		checkAfterCrash(t, dir, acked)
	}
}

// crashDuringReindex kills reindexing of a catalog that holds ratings and
// notes, with a CLI write acknowledged in between.
func crashDuringReindex(t *testing.T, run *crashRun, points int) {
	dir := t.TempDir()
	mustRun(t, dir, "import", writeCrashTalks(t, "a"))
	acked := newAckedWrites()
	truth := checkAfterCrash(t, dir, acked)
	acked.writeByCLI(t, dir, run.rng, truth)
	window := timeRun(t, dir, "reindex")
	for round := range points {
		started := time.Now()
		killed := run.killDuring(t, window, dir, "reindex")
		truth = checkAfterCrash(t, dir, acked)
		t.Logf("round %d: reindex killed=%t; kill and checks took %v", round, killed, time.Since(started).Round(time.Millisecond))
		acked.writeByCLI(t, dir, run.rng, truth)
	}
}

// writeCrashTalks writes crashTalks talk records; version changes every
// abstract, so importing the other version updates every talk.
func writeCrashTalks(t *testing.T, version string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "talks-"+version+".jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i := range crashTalks {
		year := 2000 + i%20
		talk := catalog.Talk{
			Series: "Crash NOG", Event: fmt.Sprintf("Crash NOG %d", year), Year: year,
			Title:    fmt.Sprintf("Crash talk %d on routing", i),
			Speakers: []catalog.Speaker{{Name: fmt.Sprintf("Speaker %d", i%97)}},
			Abstract: fmt.Sprintf("Version %s of talk %d: bgp, ospf and isis in practice.", version, i),
			Tags:     []string{fmt.Sprintf("t%d", i%7)}, Links: []catalog.Link{},
			Source: catalog.Source{Name: "crash", Key: fmt.Sprintf("crash:%d", i)},
		}
		if err := enc.Encode(talk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// timeRun runs a command to completion and returns how long it took: kill
// points are drawn from that window, so that they spread over the whole
// operation.
func timeRun(t *testing.T, dir string, args ...string) time.Duration {
	t.Helper()
	started := time.Now()
	mustRun(t, dir, args...)
	return time.Since(started)
}

// killDuring starts talkdex with args and kill -9s it at a random point of
// window (stretched a little, so the end of the operation is covered too).
func (run *crashRun) killDuring(t *testing.T, window time.Duration, dir string, args ...string) (killed bool) {
	t.Helper()
	cmd := exec.Command(os.Getenv("TALKDEX_TEST_BIN"), append([]string{"--data", dir}, args...)...)
	cmd.Env = append(os.Environ(), "TALKDEX_DATA=", "XDG_DATA_HOME=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Duration(run.rng.Int64N(int64(window * 11 / 10))))
	killed = kill9(t, cmd)
	run.count(killed)
	return killed
}

func (run *crashRun) count(killed bool) {
	run.points++
	if killed {
		run.landed++
	}
}

// kill9 sends SIGKILL and reaps the process. It reports whether the signal
// is what ended it; false means it had already exited.
func kill9(t *testing.T, cmd *exec.Cmd) bool {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill -9: %v", err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return true
		}
		t.Fatalf("talkdex failed on its own before the kill: %v", err)
	}
	return false
}

// ackedWrites records the personal data talkdex acknowledged, per talk id,
// and the one write per talk that may have been in flight when it died.
type ackedWrites struct {
	mu      sync.Mutex
	rating  map[int64]int
	note    map[int64]string
	pending map[int64]pendingWrite
	total   int
	refused []string // valid writes the server answered with an error
}

// pendingWrite is a write sent but not acknowledged when the server died:
// it may or may not have committed, so either outcome is correct.
type pendingWrite struct {
	rating int
	note   string
	isNote bool
}

func newAckedWrites() *ackedWrites {
	return &ackedWrites{rating: map[int64]int{}, note: map[int64]string{}, pending: map[int64]pendingWrite{}}
}

func (a *ackedWrites) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.total
}

func (a *ackedWrites) begin(id int64, w pendingWrite) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending[id] = w
}

func (a *ackedWrites) ack(id int64, w pendingWrite) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.pending, id)
	if w.isNote {
		a.note[id] = w.note
	} else {
		a.rating[id] = w.rating
	}
	a.total++
}

func (a *ackedWrites) refuse(msg string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refused = append(a.refused, msg)
}

// settle resolves the writes in flight at the crash against what SQLite
// holds: whichever outcome it shows is the acknowledged state from now on.
func (a *ackedWrites) settle(truth map[int64]*catalog.Talk) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, w := range a.pending {
		if talk := truth[id]; talk != nil {
			if w.isNote && talk.Note == w.note {
				a.note[id] = w.note
			}
			if !w.isNote && talk.Rating == w.rating {
				a.rating[id] = w.rating
			}
		}
		delete(a.pending, id)
	}
}

// check compares the acknowledged writes with SQLite's truth.
func (a *ackedWrites) check(t *testing.T, truth map[int64]*catalog.Talk) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, msg := range a.refused {
		t.Errorf("a valid write was refused: %s", msg)
	}
	a.refused = nil
	for id, stars := range a.rating {
		if p, ok := a.pending[id]; ok && !p.isNote && truth[id] != nil && truth[id].Rating == p.rating {
			continue
		}
		if truth[id] == nil || truth[id].Rating != stars {
			t.Errorf("talk %d: acknowledged rating %d lost (%+v)", id, stars, truth[id])
		}
	}
	for id, text := range a.note {
		if p, ok := a.pending[id]; ok && p.isNote && truth[id] != nil && truth[id].Note == p.note {
			continue
		}
		if truth[id] == nil || truth[id].Note != text {
			t.Errorf("talk %d: acknowledged note %q lost", id, text)
		}
	}
}

// writeByCLI rates and annotates a few random talks with the CLI; exit 0 is
// the acknowledgement.
func (a *ackedWrites) writeByCLI(t *testing.T, dir string, rng *rand.Rand, truth map[int64]*catalog.Talk) {
	t.Helper()
	if len(truth) == 0 {
		return
	}
	ids := make([]int64, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	for range 2 {
		id := ids[rng.IntN(len(ids))]
		stars := 1 + rng.IntN(catalog.MaxStars)
		mustRun(t, dir, "rate", fmt.Sprint(id), fmt.Sprint(stars))
		a.ack(id, pendingWrite{rating: stars})
		word := noteWord(rng)
		mustRun(t, dir, "note", fmt.Sprint(id), "crash note "+word)
		a.ack(id, pendingWrite{note: "crash note " + word, isNote: true})
	}
}

// noteWord is a word that appears in one note only, so that a search for it
// names one talk. It is random rather than numbered: search matches words
// by prefix and with typos, so "note7" would also find "note71".
func noteWord(rng *rand.Rand) string {
	b := make([]byte, 12)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}

// writeByAPI rates (or clears) and annotates talks of its own share of ids
// (no two writers touch one talk, so at most one write per talk is ever in
// flight) until stop is closed or the server is gone.
func (a *ackedWrites) writeByAPI(base string, ids []int64, writer int, rng *rand.Rand, stop <-chan struct{}) {
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		select {
		case <-stop:
			return
		default:
		}
		id := ids[rng.IntN(len(ids))]
		if int(id%crashWriters) != writer {
			continue
		}
		var w pendingWrite
		var method, path, body string
		switch rng.IntN(3) {
		case 0:
			w.rating = 1 + rng.IntN(catalog.MaxStars)
			method, path, body = http.MethodPut, "rating", fmt.Sprintf(`{"stars": %d}`, w.rating)
		case 1:
			method, path = http.MethodDelete, "rating"
		default:
			w.isNote, w.note = true, "api note "+noteWord(rng)
			method, path, body = http.MethodPut, "note", fmt.Sprintf(`{"text": %q}`, w.note)
		}
		a.begin(id, w)
		req, err := http.NewRequest(method, fmt.Sprintf("%s/api/v1/talks/%d/%s", base, id, path), strings.NewReader(body))
		if err != nil {
			return
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return // the server is gone; this write stays pending
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			a.refuse(fmt.Sprintf("%s %s of talk %d: status %d", method, path, id, resp.StatusCode))
			return
		}
		a.ack(id, w)
	}
}

// checkAfterCrash is what must hold after any crash: SQLite is intact,
// every acknowledged write is in it, and the index — once talkdex has
// restarted — holds the same talks, ratings and notes. It returns SQLite's
// talks by id.
func checkAfterCrash(t *testing.T, dir string, acked *ackedWrites) map[int64]*catalog.Talk {
	t.Helper()
	checkIntegrity(t, dir)
	truth := exportedTalks(t, dir)
	acked.check(t, truth)
	acked.settle(truth)

	var st catalog.Stats
	if err := json.Unmarshal([]byte(mustRun(t, dir, "stats", "--json").stdout), &st); err != nil {
		t.Fatalf("stats --json: %v", err)
	}
	if st.Talks != len(truth) || st.IndexedDocs != st.Talks || st.IndexPending != 0 {
		t.Errorf("after restart: %d talks exported, stats %+v", len(truth), st)
	}
	if len(truth) > 0 {
		checkIndexAgrees(t, dir, truth)
	}
	return truth
}

func checkIntegrity(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "talkdex.db"))
	if err != nil {
		t.Fatalf("open the database after a crash: %v", err)
	}
	defer store.Close()
	if err := store.IntegrityCheck(ctx); err != nil {
		t.Fatalf("after a crash: %v", err)
	}
}

// exportedTalks reads SQLite's view of every talk through the export, which
// never touches the index.
func exportedTalks(t *testing.T, dir string) map[int64]*catalog.Talk {
	t.Helper()
	out := mustRun(t, dir, "export", "--format", "jsonl").stdout
	talks := map[int64]*catalog.Talk{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var talk catalog.Talk
		if err := json.Unmarshal(sc.Bytes(), &talk); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		talks[talk.ID] = &talk
	}
	return talks
}

// checkIndexAgrees searches a restarted server: the talk count, the count
// at or above every rating, and a sample of notes by a word only they hold
// must match SQLite.
func checkIndexAgrees(t *testing.T, dir string, truth map[int64]*catalog.Talk) {
	t.Helper()
	srv := startServer(t, dir)
	defer kill9(t, srv.cmd)
	if res := apiSearch(t, srv.base, url.Values{"per_page": {"1"}}); res.Total != len(truth) {
		t.Errorf("index holds %d talks, SQLite %d", res.Total, len(truth))
	}
	for stars := 1; stars <= catalog.MaxStars; stars++ {
		want := 0
		for _, talk := range truth {
			if talk.Rating >= stars {
				want++
			}
		}
		res := apiSearch(t, srv.base, url.Values{"min_rating": {fmt.Sprint(stars)}, "per_page": {"1"}})
		if res.Total != want {
			t.Errorf("min_rating=%d: index finds %d talks, SQLite has %d", stars, res.Total, want)
		}
	}
	checked := 0
	for id, talk := range truth {
		if talk.Note == "" || checked == 8 {
			continue
		}
		checked++
		word := talk.Note[strings.LastIndexByte(talk.Note, ' ')+1:]
		res := apiSearch(t, srv.base, url.Values{"q": {"note:" + word}})
		if res.Total != 1 || res.Hits[0].Talk.ID != id {
			t.Errorf("note:%s finds %d talks, want talk %d alone", word, res.Total, id)
		}
	}
}

func apiSearch(t *testing.T, base string, q url.Values) *catalog.SearchResult {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/talks?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search %s: status %d", q.Encode(), resp.StatusCode)
	}
	var res catalog.SearchResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatalf("search %s: %v", q.Encode(), err)
	}
	return &res
}
