package index

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/talkdex/talkdex/internal/catalog"
)

// openTemp opens a new index in a fresh temporary directory and closes it
// when the test ends.
func openTemp(t testing.TB) (*Index, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index.bleve")
	ix, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix, path
}

func at(s string) time.Time {
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return ts
}

func speakers(names ...string) []catalog.Speaker {
	out := make([]catalog.Speaker, len(names))
	for i, n := range names {
		out[i] = catalog.Speaker{Name: n}
	}
	return out
}

func links(kinds ...string) []catalog.Link {
	out := make([]catalog.Link, len(kinds))
	for i, k := range kinds {
		out[i] = catalog.Link{Kind: k, URL: "https://example.org/" + k}
	}
	return out
}

// sampleTalks is a small catalog in which every talk is there to make some
// query, filter, sort or facet distinguishable.
func sampleTalks() []*catalog.Talk {
	talks := []*catalog.Talk{
		{ID: 1, Series: "NANOG", Event: "NANOG 76", Year: 2019,
			Title:    "BGP Route Reflector Design",
			Speakers: speakers("Geoff Huston"),
			Abstract: "How route reflectors scale iBGP in large networks.",
			Start:    at("2019-06-10T10:00:00-04:00"),
			Tags:     []string{"bgp", "routing"}, Links: links(catalog.LinkVideo),
			Rating: 5, Watched: true},
		{ID: 2, Series: "RIPE", Event: "RIPE 80", Year: 2020,
			Title:    "Measuring IPv6 Adoption",
			Speakers: speakers("Geoff Huston", "Ana Lopez"),
			Abstract: "We measure IPv6 deployment with ad-based measurement.",
			Start:    at("2020-05-12T14:00:00+02:00"),
			Tags:     []string{"ipv6", "measurement"}, Links: links(catalog.LinkSlides),
			Rating: 4},
		{ID: 3, Series: "AusNOG", Event: "AusNOG 2023", Year: 2023,
			Title:    "RoCE in the Data Center",
			Speakers: speakers("Mark Smith"),
			Abstract: "RDMA over Converged Ethernet for storage networks.",
			Start:    at("2023-09-01T09:30:00+10:00"),
			Links:    links(catalog.LinkVideo, catalog.LinkSlides),
			Rating:   3, Note: "Great talk about lossless ethernet and PFC tuning."},
		{ID: 4, Series: "DENOG", Event: "DENOG9", Year: 2017,
			Title:    "Peering DB Update",
			Speakers: speakers("Arnold Nipper"),
			Abstract: "News from PeeringDB.",
			Tags:     []string{"peering"}},
		{ID: 5, Series: "NANOG", Event: "NANOG 80", Year: 2020,
			Title:    "<script>alert(1)</script> Security Theater",
			Speakers: speakers("Eve Hacker"),
			Abstract: "An abstract with <b>tags</b> & ampersands about security.",
			Start:    at("2020-10-05T11:00:00-04:00")},
		{ID: 6, Series: "AusNOG", Event: "AusNOG 2019", Year: 2019,
			Title:    "Segment Routing in Practice",
			Speakers: speakers("Ana Lopez"),
			Abstract: "Deploying segment routing with MPLS.",
			Start:    at("2019-08-29T15:00:00+10:00"),
			Tags:     []string{"segment routing"}, Rating: 2,
			Note: "Watch again, the zebra slide."},
		{ID: 7, Series: "RIPE", Event: "RIPE 86", Year: 2023,
			Title:    "Route Origin Validation",
			Speakers: speakers("Job Snijders"),
			Abstract: "RPKI based BGP origin validation at scale.",
			Start:    at("2023-05-22T10:00:00+02:00"),
			Links:    links(catalog.LinkVideo), Rating: 5, Watched: true},
		{ID: 8, Series: "NZNOG", Event: "NZNOG 2020", Year: 2020,
			Title:    "Network Automation with Python",
			Speakers: speakers("Kim Tan"),
			Abstract: "Using Python and Ansible to automate configuration of network devices.",
			Start:    at("2020-01-30T13:00:00+13:00")},
	}
	for _, t := range talks {
		t.Normalize()
	}
	return talks
}

// loadSample returns an index holding sampleTalks.
func loadSample(t testing.TB) *Index {
	t.Helper()
	ix, _ := openTemp(t)
	if err := ix.Apply(context.Background(), sampleTalks(), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return ix
}

// runSearch normalises req the way the service does and runs it.
func runSearch(t testing.TB, ix *Index, req catalog.SearchRequest) *catalog.SearchResult {
	t.Helper()
	return runSearchOver(t, ix, nil, req)
}

// runSearchOver is runSearch with the page loaded from talks, standing in
// for the database, and so highlighted.
func runSearchOver(t testing.TB, ix *Index, talks []*catalog.Talk, req catalog.SearchRequest) *catalog.SearchResult {
	t.Helper()
	if err := req.Normalize(); err != nil {
		t.Fatalf("Normalize(%+v): %v", req, err)
	}
	var load PageLoader
	if talks != nil {
		load = loaderOf(talks)
	}
	res, err := ix.SearchLoading(context.Background(), req, load)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

// loaderOf is a PageLoader reading talks.
func loaderOf(talks []*catalog.Talk) PageLoader {
	byID := map[int64]*catalog.Talk{}
	for _, t := range talks {
		byID[t.ID] = t
	}
	return func(_ context.Context, ids []int64) (map[int64]*catalog.Talk, error) {
		out := map[int64]*catalog.Talk{}
		for _, id := range ids {
			if t, ok := byID[id]; ok {
				out[id] = t
			}
		}
		return out, nil
	}
}

func hitIDs(res *catalog.SearchResult) []int64 { return pageIDs(res.Hits) }

func sortedIDs(res *catalog.SearchResult) []int64 {
	ids := hitIDs(res)
	slices.Sort(ids)
	return ids
}

func allSampleIDs() []int64 { return []int64{1, 2, 3, 4, 5, 6, 7, 8} }

func without(ids []int64, drop ...int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(drop, id) {
			out = append(out, id)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// sameScore reports whether two scores are equal but for the last bits,
// which Bleve's sums leave to the order they add in.
func sameScore(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a)) }

// waitUntil calls done until it reports true, and fails the test if it
// has not within 30 s; what names what was waited for.
func waitUntil(t testing.TB, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !done(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30 s", what)
		}
	}
}

// snapshotOf opens a snapshot of ix, closed when the test ends.
func snapshotOf(t testing.TB, ix *Index) *scorch.IndexSnapshot {
	t.Helper()
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader is a %T, not a scorch snapshot", r)
	}
	return snap
}

// held is how many segments' values ps keeps.
func (ps *perSegment[T]) held() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.values)
}
