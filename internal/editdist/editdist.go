// Package editdist measures how many typing mistakes apart two words are:
// the optimal-string-alignment distance, which counts a letter inserted,
// deleted or changed, or two letters next to each other swapped ("deamon"
// for "daemon"), as one edit each. It is the distance Bleve's fuzzy
// matching allows, and the commonest typos are these.
package editdist

// Table measures distances, keeping its rows from one call to the next so
// that measuring many words allocates nothing. The zero value is ready to
// use; a Table is not safe for concurrent use.
type Table struct {
	rows []int
}

// Bounded returns the distance of a and b in runes if it is at most limit,
// and some number above limit if not. It stops as soon as no alignment can
// come back within limit, which makes most far-apart words cheap.
func (t *Table) Bounded(a, b []rune, limit int) int {
	width := len(b) + 1
	if cap(t.rows) < 3*width {
		t.rows = make([]int, 3*width)
	}
	rows := t.rows[:3*width]
	before, prev, cur := rows[:width], rows[width:2*width], rows[2*width:]
	for j := range prev {
		prev[j] = j
	}
	prevBest := 0
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
			best = min(best, cur[j])
		}
		// A cell is at least the least of the row above it, or of the
		// row two above plus one (a swap): once two rows in a row are
		// out of reach, every later one is.
		if best > limit && prevBest >= limit {
			return limit + 1
		}
		prevBest = best
		before, prev, cur = prev, cur, before
	}
	return prev[len(b)]
}

// Distance is the distance of a and b in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	var t Table
	return t.Bounded(ra, rb, max(len(ra), len(rb)))
}
