package suggest

import (
	"slices"
	"sort"
	"strings"
)

type (
	tokenID uint32
	entryID uint32
)

// dictionary maps every folded word of every entry to the entries holding
// it, and keeps the words sorted, so that all words starting with a prefix
// are one contiguous range found by binary search.
type dictionary struct {
	ids      map[string]tokenID
	text     []string        // by tokenID; "" once freed
	postings [][]postingList // by tokenID
	free     []tokenID
	sorted   []sortedToken // every live token, by text
	// bulk leaves sorted stale until finishBulk rebuilds it: inserting one
	// token at a time would make a build quadratic. Nobody reads sorted
	// meanwhile, as a bulk load holds the write lock.
	bulk bool
}

// postingList holds the entries of one kind that have a word, split by
// whether it is their first word: the best completions start with what the
// user types, and a query looks at those first.
type postingList struct {
	kind  kindIndex
	first bool
	ids   []entryID // ascending
}

type sortedToken struct {
	text string
	id   tokenID
}

// tokenRange is the run of sorted tokens that start with a query word.
type tokenRange struct{ lo, hi int }

func newDictionary() dictionary {
	return dictionary{ids: make(map[string]tokenID)}
}

// token returns the id of word w, adding it if it is new. A new token must
// get a posting before the next remove, or it leaks.
func (d *dictionary) token(w string) tokenID {
	if id, ok := d.ids[w]; ok {
		return id
	}
	// The dictionary owns the only copy of each word, cloned so it does
	// not pin the caller's whole title.
	w = strings.Clone(w)
	var id tokenID
	if n := len(d.free); n > 0 {
		id = d.free[n-1]
		d.free = d.free[:n-1]
		d.text[id] = w
	} else {
		id = tokenID(len(d.text))
		d.text = append(d.text, w)
		d.postings = append(d.postings, nil)
	}
	d.ids[w] = id
	if !d.bulk { // finishBulk sorts them all at once
		i, _ := d.find(w)
		d.sorted = slices.Insert(d.sorted, i, sortedToken{w, id})
	}
	return id
}

// add records that entry e, of kind k, holds token id (as its first word
// when first).
func (d *dictionary) add(id tokenID, e entryID, k kindIndex, first bool) {
	lists := d.postings[id]
	i := slices.IndexFunc(lists, func(l postingList) bool { return l.kind == k && l.first == first })
	if i < 0 {
		d.postings[id] = append(lists, postingList{kind: k, first: first, ids: []entryID{e}})
		return
	}
	lists[i].ids = insertSorted(lists[i].ids, e)
}

// remove undoes add, and forgets the token once no entry holds it.
func (d *dictionary) remove(id tokenID, e entryID, k kindIndex, first bool) {
	lists := d.postings[id]
	i := slices.IndexFunc(lists, func(l postingList) bool { return l.kind == k && l.first == first })
	if i < 0 {
		return
	}
	if j, ok := slices.BinarySearch(lists[i].ids, e); ok {
		lists[i].ids = slices.Delete(lists[i].ids, j, j+1)
	}
	if len(lists[i].ids) == 0 {
		lists = slices.Delete(lists, i, i+1)
	}
	d.postings[id] = lists
	if len(lists) > 0 {
		return
	}
	w := d.text[id]
	delete(d.ids, w)
	d.postings[id] = nil
	d.text[id] = ""
	d.free = append(d.free, id)
	if d.bulk {
		return // finishBulk rebuilds sorted from ids
	}
	if i, ok := d.find(w); ok {
		d.sorted = slices.Delete(d.sorted, i, i+1)
	}
}

func (d *dictionary) find(w string) (int, bool) {
	return slices.BinarySearchFunc(d.sorted, w, func(t sortedToken, w string) int {
		return strings.Compare(t.text, w)
	})
}

func (d *dictionary) startBulk() { d.bulk = true }

func (d *dictionary) finishBulk() {
	d.bulk = false
	d.sorted = d.sorted[:0]
	for w, id := range d.ids {
		d.sorted = append(d.sorted, sortedToken{w, id})
	}
	slices.SortFunc(d.sorted, func(a, b sortedToken) int { return strings.Compare(a.text, b.text) })
}

// prefixRange finds the tokens that start with w.
func (d *dictionary) prefixRange(w string) tokenRange {
	lo, _ := d.find(w)
	n := sort.Search(len(d.sorted)-lo, func(i int) bool {
		return !strings.HasPrefix(d.sorted[lo+i].text, w)
	})
	return tokenRange{lo, lo + n}
}

// walk calls visit with each posting list of the tokens in range r.
func (d *dictionary) walk(r tokenRange, visit func(l *postingList)) {
	for _, t := range d.sorted[r.lo:r.hi] {
		lists := d.postings[t.id]
		for i := range lists {
			visit(&lists[i])
		}
	}
}

// postingCounts counts postings by kind, [0] the others, [1] first words.
type postingCounts [kindCount][2]int

// survey returns the tokens of range r as a set, and counts their
// postings, in one pass: a query needs both for each of its words.
func (d *dictionary) survey(r tokenRange) (tokenSet, postingCounts) {
	set := make(tokenSet, len(d.text)/64+1)
	var counts postingCounts
	for _, t := range d.sorted[r.lo:r.hi] {
		set[t.id/64] |= 1 << (t.id % 64)
		for _, l := range d.postings[t.id] {
			first := 0
			if l.first {
				first = 1
			}
			counts[l.kind][first] += len(l.ids)
		}
	}
	return set, counts
}

// tokenSet is a set of token ids, one bit each.
type tokenSet []uint64

func (s tokenSet) has(id tokenID) bool { return s[id/64]&(1<<(id%64)) != 0 }

// insertSorted adds e to an ascending list; a build adds entries in id
// order, so appending is the common case.
func insertSorted(list []entryID, e entryID) []entryID {
	if n := len(list); n == 0 || list[n-1] < e {
		return append(list, e)
	}
	i, found := slices.BinarySearch(list, e)
	if found {
		return list
	}
	return slices.Insert(list, i, e)
}
