package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

const pyvideoTalks = 21570

var reportLine = regexp.MustCompile(`(\d+) inserted, (\d+) updated, (\d+) unchanged, (\d+) skipped`)

func parseReport(tb testing.TB, stderr string) (inserted, skipped int) {
	tb.Helper()
	m := reportLine.FindStringSubmatch(stderr)
	if m == nil {
		tb.Fatalf("no import report in: %s", stderr)
	}
	inserted, _ = strconv.Atoi(m[1])
	skipped, _ = strconv.Atoi(m[4])
	return inserted, skipped
}

// TestImportPyvideoFixture: the whole pyvideo catalog imports, and every
// record that is not a talk is named with its reason.
func TestImportPyvideoFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 21,570 talks")
	}
	path := testfixture.Shared(t, "pyvideo/talks.jsonl.gz")
	dir := t.TempDir()
	r := mustRun(t, dir, "import", path)
	inserted, skipped := parseReport(t, r.stderr)
	if inserted+skipped != pyvideoTalks {
		t.Errorf("inserted %d + skipped %d != %d records", inserted, skipped, pyvideoTalks)
	}
	named := 0
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "skipped ") {
			named++
		}
	}
	if named != skipped {
		t.Errorf("%d skips counted but %d named:\n%s", skipped, named, r.stderr)
	}
	var st catalog.Stats
	if err := json.Unmarshal([]byte(mustRun(t, dir, "stats", "--json").stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.Talks != inserted || st.IndexedDocs != inserted || st.IndexPending != 0 {
		t.Errorf("stats after import: %+v, want %d talks all indexed", st, inserted)
	}
	res := searchJSON(t, dir, "--series", "EuroPython", "--year", "2019", "")
	if res.Total == 0 {
		t.Fatalf("no EuroPython 2019 talks")
	}
	for _, h := range res.Hits {
		if h.Talk.Series != "EuroPython" || h.Talk.Year != 2019 {
			t.Errorf("filter leak: %s / %d", h.Talk.Series, h.Talk.Year)
		}
	}
}

// mixedQueries builds n distinct searches over the pyvideo vocabulary:
// words, word pairs, phrases, exclusions, field prefixes, filters, sorts and
// pages, each answered with facets and highlights. Distinct queries keep the
// index's facet cache from flattering the figures.
func mixedQueries(n int, seed uint64) []url.Values {
	words := []string{"django", "flask", "numpy", "pandas", "async", "testing", "data", "machine",
		"learning", "web", "api", "security", "performance", "packaging", "typing", "jupyter", "docker",
		"kubernetes", "database", "sql", "graphql", "rest", "microservices", "python", "scientific",
		"visualization", "deployment", "debugging", "profiling", "concurrency", "education", "community",
		"cython", "rust", "postgres", "celery", "pytest", "notebook", "streaming", "cloud"}
	phrases := []string{`"machine learning"`, `"type hints"`, `"data science"`, `"web scraping"`,
		`"deep learning"`, `"unit testing"`, `"open source"`, `"natural language"`}
	speakers := []string{"beazley", "hettinger", "brandl", "vanrossum", "goodger", "lutz", "pilgrim", "holden"}
	series := []string{"PyCon US", "EuroPython", "PyData London", "SciPy", "PyCon AU", "DjangoCon US"}
	sorts := []string{"relevance", "newest", "oldest", "rating"}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	seen := map[string]bool{}
	var out []url.Values
	for len(out) < n {
		v := url.Values{}
		switch rng.IntN(7) {
		case 0:
			v.Set("q", pick(words))
		case 1:
			v.Set("q", pick(words)+" "+pick(words))
		case 2:
			v.Set("q", pick(phrases))
		case 3:
			v.Set("q", pick(words)+" -"+pick(words))
		case 4:
			v.Set("q", "speaker:"+pick(speakers))
		case 5:
			v.Set("q", "title:"+pick(words)+" "+pick(words))
		case 6:
			v.Set("q", "")
		}
		if rng.IntN(3) == 0 {
			v.Set("series", pick(series))
		}
		if rng.IntN(4) == 0 {
			v.Set("year", strconv.Itoa(2010+rng.IntN(14)))
		}
		v.Set("sort", pick(sorts))
		v.Set("page", strconv.Itoa(1+rng.IntN(3)))
		if key := v.Encode(); !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	return out
}

// BenchmarkPyvideoCatalog measures the figures end to end with the
// real binary: importing the pyvideo fixture, search latency over HTTP on
// loopback, and the server's resident memory. Run it once:
//
//	go test ./cmd/talkdex -run '^$' -bench PyvideoCatalog -benchtime 1x
func BenchmarkPyvideoCatalog(b *testing.B) {
	path := testfixture.Shared(b, "pyvideo/talks.jsonl.gz")
	for range b.N {
		dir := b.TempDir()
		start := time.Now()
		r := mustRun(b, dir, "import", path).stderr
		importSeconds := time.Since(start).Seconds()
		inserted, _ := parseReport(b, r)
		b.ReportMetric(importSeconds, "import-s")
		b.ReportMetric(float64(inserted)/importSeconds, "talks/s")

		srv := startServer(b, dir)
		client := &http.Client{}
		get := func(q url.Values) time.Duration {
			t0 := time.Now()
			resp, err := client.Get(srv.base + "/api/v1/talks?" + q.Encode())
			if err != nil {
				b.Fatal(err)
			}
			var res catalog.SearchResult
			err = json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatalf("%s: %d %v", q.Encode(), resp.StatusCode, err)
			}
			return time.Since(t0)
		}
		for _, q := range mixedQueries(50, 1) { // warm the process, not the facet cache
			get(q)
		}
		var cold, warm []time.Duration
		queries := mixedQueries(1000, 2)
		for _, q := range queries {
			cold = append(cold, get(q))
		}
		for _, q := range queries[:200] { // the same searches again: pages and re-sorts reuse facets
			warm = append(warm, get(q))
		}
		slices.Sort(cold)
		slices.Sort(warm)
		b.ReportMetric(ms(cold[len(cold)/2]), "p50-ms")
		b.ReportMetric(ms(cold[len(cold)*99/100]), "p99-ms")
		b.ReportMetric(ms(warm[len(warm)/2]), "repeat-p50-ms")
		b.ReportMetric(ms(warm[len(warm)*99/100]), "repeat-p99-ms")
		rss, hwm := procMemory(b, srv.cmd.Process.Pid)
		b.ReportMetric(rss, "rss-MB")
		b.ReportMetric(hwm, "peak-rss-MB")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// procMemory reads VmRSS and VmHWM (peak) of a process, in MB.
func procMemory(tb testing.TB, pid int) (rss, peak float64) {
	tb.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// BenchmarkImportFOSDEM imports every FOSDEM year in the shared fixtures
// (2007, 2015, 2024, 2025: 2,383 talks) into a fresh data dir with the real
// binary, end to end: parse, SQLite, Bleve.
//
//	go test ./cmd/talkdex -run '^$' -bench ImportFOSDEM -benchtime 3x
func BenchmarkImportFOSDEM(b *testing.B) {
	var files []string
	for _, year := range []string{"2007", "2015", "2024", "2025"} {
		files = append(files, testfixture.Shared(b, "fosdem/fosdem-"+year+".xml"))
	}
	for range b.N {
		dir := b.TempDir()
		start := time.Now()
		r := mustRun(b, dir, append([]string{"import"}, files...)...)
		elapsed := time.Since(start).Seconds()
		talks := 0
		for _, m := range reportLine.FindAllStringSubmatch(r.stderr, -1) {
			n, _ := strconv.Atoi(m[1])
			talks += n
		}
		if talks != 2383 {
			b.Fatalf("imported %d talks, want 2383:\n%s", talks, r.stderr)
		}
		b.ReportMetric(elapsed, "import-s")
		b.ReportMetric(float64(talks)/elapsed, "talks/s")
	}
}
