package editdist

import (
	"math/rand/v2"
	"testing"
)

// naive is the distance by its definition, recursively: the least over
// the last letters matched, changed, deleted, inserted or swapped.
func naive(a, b []rune) int {
	if len(a) == 0 {
		return len(b)
	}
	if len(b) == 0 {
		return len(a)
	}
	i, j := len(a), len(b)
	cost := 1
	if a[i-1] == b[j-1] {
		cost = 0
	}
	d := min(naive(a[:i-1], b)+1, naive(a, b[:j-1])+1, naive(a[:i-1], b[:j-1])+cost)
	if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
		d = min(d, naive(a[:i-2], b[:j-2])+1)
	}
	return d
}

func TestDistanceOfKnownPairs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "bgp", 3}, {"bgp", "bgp", 0}, {"deamon", "daemon", 1},
		{"routing", "rooting", 1}, {"routing", "routin", 1}, {"routing", "rroutng", 2},
		{"ca", "abc", 3}, // the alignment may not edit a swapped pair again
		{"münchen", "munchen", 1}, {"маршрут", "маршурт", 1},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestBoundedAgreesWithTheDefinition compares Bounded with the recursive
// definition on random words over a small alphabet (so that repeats and
// swaps are common), at every limit: the distance where it is within the
// limit, a number above the limit where not.
func TestBoundedAgreesWithTheDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() []rune {
		w := make([]rune, r.IntN(7))
		for i := range w {
			w[i] = []rune("abcé")[r.IntN(4)]
		}
		return w
	}
	var table Table
	for range 3000 {
		a, b := word(), word()
		want := naive(a, b)
		for limit := range 4 {
			got := table.Bounded(a, b, limit)
			if want <= limit && got != want || want > limit && got <= limit {
				t.Fatalf("Bounded(%q, %q, %d) = %d; the distance is %d", string(a), string(b), limit, got, want)
			}
		}
	}
}
