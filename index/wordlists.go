package index

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/talkdex/talkdex/internal/editdist"
)

// wordLists holds, for every index segment, its word list (the dictionary
// of fieldWords) in memory, for typo corrections and completions.
//
// Why not ask Bleve: a typo lookup there builds a Levenshtein automaton
// for the word and walks it over each segment's term dictionary (an FST),
// reading the postings of every word it finds to count them. At 100k talks
// that took 0.5 ms for one edit and 2 ms for two, and a query of two long
// misspelt words spent 3.5–4 ms of its 6 in them. The lists answer the same
// lookups in microseconds (see segmentWords).
//
// Segments never change once written, so a segment's list is read once and
// serves every search until a merge replaces the segment. Reading one takes
// about a tenth of a second at 100k talks, so it happens in the background,
// as for columns: until every segment of a snapshot has its list, lookups
// go to Bleve as before (with its counts read again, see
// dictionary.recount), and they find the same words with the same counts
// either way (TestWordListsFindWhatBleveFinds,
// TestDictionaryAnswersAlikeWithLists).
type wordLists struct {
	segments *perSegment[segmentWords]
}

func newWordLists(reads *backgroundReads) *wordLists {
	return &wordLists{segments: newPerSegment(readSegmentWords, reads)}
}

// view returns the word lists of snap's segments in order, or nil when
// some are not read yet; it starts reading those.
func (wl *wordLists) view(snap *scorch.IndexSnapshot) []*segmentWords {
	lists, missing := wl.segments.get(snap.Segments())
	if missing {
		return nil
	}
	return lists
}

// segmentWords is one segment's word list: its terms of fieldWords, how
// many of the segment's documents have each (deleted ones included, as
// Bleve's dictionary counts them), and an index of their letter pairs.
//
// A typo lookup uses the pairs as a filter. Edits are as Bleve counts them:
// a letter inserted, deleted or changed, or two next to each other
// swapped. A word padded with a start and an end mark has a pair of
// letters per letter plus one; one edit breaks at most three of its
// distinct pairs (a swap: "xaby" to "xbay" breaks xa, ab and by), so a word
// within k edits of the query word shares all but at most 3k of the
// query's distinct pairs. Counting, among the words of a length within k,
// how many of the query's pairs each has leaves a few hundred words whose
// distance need be measured, where the dictionary has 90k.
type segmentWords struct {
	text   []byte   // the terms in byte order, back to back
	ends   []uint32 // term i is text[ends[i-1]:ends[i]] (from 0 for i = 0)
	counts []uint32 // documents of the segment having term i

	// byLength is the term numbers ordered by length in runes, shortest
	// first; those of n runes are byLength[lengthStart[n]:lengthStart[n+1]].
	byLength    []uint32
	lengthStart []uint32
	// The terms having a letter pair are postings[pairStart[p]:pairStart[p+1]]
	// for p = pairAt[pair]: positions in byLength, ascending, so that those
	// of the lengths within reach of a word are one run of them.
	pairAt    map[uint64]uint32
	pairStart []uint32
	postings  []uint32
}

// readSegmentWords reads seg's dictionary of fieldWords and indexes it.
func readSegmentWords(seg segment.Segment) (*segmentWords, error) {
	dict, err := seg.Dictionary(fieldWords)
	if err != nil {
		return nil, fmt.Errorf("read word list: %w", err)
	}
	sw := &segmentWords{}
	var postings segment.PostingsList
	it := dict.AutomatonIterator(nil, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("read word list: %w", err)
		}
		if e == nil {
			break
		}
		count := e.Count
		// Zap's dictionary iterator reads every term's postings into one
		// list, and once a term of one talk has been read (stored inline,
		// flagged in the list), it counts every later term as one talk
		// too. A count of one is therefore read again, on its own.
		if count == 1 {
			if postings, err = dict.PostingsList([]byte(e.Term), nil, postings); err != nil {
				return nil, fmt.Errorf("read word list: count %q: %w", e.Term, err)
			}
			count = postings.Count()
		}
		sw.text = append(sw.text, e.Term...)
		sw.ends = append(sw.ends, uint32(len(sw.text)))
		sw.counts = append(sw.counts, uint32(min(count, 1<<32-1)))
	}
	sw.indexPairs()
	return sw, nil
}

func (sw *segmentWords) len() int { return len(sw.ends) }

// term returns term i, sharing the list's memory.
func (sw *segmentWords) term(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = sw.ends[i-1]
	}
	return sw.text[start:sw.ends[i]]
}

// indexPairs orders the terms by length and indexes their letter pairs.
func (sw *segmentWords) indexPairs() {
	n := sw.len()
	lengths := make([]uint32, n)
	longest := uint32(0)
	for i := range n {
		lengths[i] = uint32(utf8.RuneCount(sw.term(i)))
		longest = max(longest, lengths[i])
	}
	// A counting sort keeps the terms of one length in byte order.
	sw.lengthStart = make([]uint32, longest+2)
	for _, l := range lengths {
		sw.lengthStart[l+1]++
	}
	for l := 1; l < len(sw.lengthStart); l++ {
		sw.lengthStart[l] += sw.lengthStart[l-1]
	}
	sw.byLength = make([]uint32, n)
	next := slices.Clone(sw.lengthStart)
	for i, l := range lengths {
		sw.byLength[next[l]] = uint32(i)
		next[l]++
	}

	// Two passes over the pairs: count each pair's terms, then place them.
	sw.pairAt = map[uint64]uint32{}
	var sizes []uint32
	var scratch []uint64
	for _, t := range sw.byLength {
		scratch = letterPairs(sw.term(int(t)), scratch[:0])
		for _, p := range scratch {
			at, ok := sw.pairAt[p]
			if !ok {
				at = uint32(len(sizes))
				sw.pairAt[p] = at
				sizes = append(sizes, 0)
			}
			sizes[at]++
		}
	}
	sw.pairStart = make([]uint32, len(sizes)+1)
	for i, s := range sizes {
		sw.pairStart[i+1] = sw.pairStart[i] + s
	}
	sw.postings = make([]uint32, sw.pairStart[len(sizes)])
	fill := slices.Clone(sw.pairStart[:len(sizes)])
	for pos, t := range sw.byLength {
		scratch = letterPairs(sw.term(int(t)), scratch[:0])
		for _, p := range scratch {
			at := sw.pairAt[p]
			sw.postings[fill[at]] = uint32(pos)
			fill[at]++
		}
	}
}

// Marks padding a word's first and last letter into pairs of their own;
// no rune has these values.
const (
	wordStartMark = 0xFFFF_FFFE
	wordEndMark   = 0xFFFF_FFFF
)

// letterPairs appends the distinct pairs of consecutive runes of word,
// padded with the start and end marks, to dst, sorted.
func letterPairs(word []byte, dst []uint64) []uint64 {
	prev := uint64(wordStartMark)
	for len(word) > 0 {
		r, size := utf8.DecodeRune(word)
		word = word[size:]
		dst = append(dst, prev<<32|uint64(uint32(r)))
		prev = uint64(uint32(r))
	}
	dst = append(dst, prev<<32|wordEndMark)
	slices.Sort(dst)
	return slices.Compact(dst)
}

// lookup is one word's typo lookup over the lists of a snapshot: its runes
// and letter pairs, reused across segments.
type lookup struct {
	word  []rune
	pairs []uint64
	edits int
	// scratch for measuring distances and merging postings
	table   editdist.Table
	runes   []rune
	hits    []uint16 // by position in byLength, from the first within reach
	touched []uint32
}

func newLookup(word string, edits int) *lookup {
	return &lookup{word: []rune(word), pairs: letterPairs([]byte(word), nil), edits: edits}
}

// near calls visit with every term of sw within l.edits of l.word, and
// its count, in no particular order.
func (sw *segmentWords) near(l *lookup, visit func(term []byte, count uint32)) {
	n, k := len(l.word), l.edits
	shortest, longest := max(n-k, 0), n+k+1 // lengths [shortest, longest)
	if shortest >= len(sw.lengthStart)-1 {
		return
	}
	longest = min(longest, len(sw.lengthStart)-1)
	lo, hi := sw.lengthStart[shortest], sw.lengthStart[longest]
	if lo == hi {
		return
	}
	check := func(pos uint32) {
		t := sw.byLength[pos]
		term := sw.term(int(t))
		if l.within(term) {
			visit(term, sw.counts[t])
		}
	}
	// Fewer pairs than 3k+1 filter nothing: every word of a length within
	// reach is measured.
	if len(l.pairs) <= 3*k {
		for pos := lo; pos < hi; pos++ {
			check(pos)
		}
		return
	}
	// Count, for each term of a length within reach, how many of the
	// word's pairs it has, from the postings of each pair within [lo, hi);
	// only terms with enough are measured.
	enough := len(l.pairs) - 3*k
	l.hits = slices.Grow(l.hits[:0], int(hi-lo))[:hi-lo]
	l.touched = l.touched[:0]
	for _, p := range l.pairs {
		at, ok := sw.pairAt[p]
		if !ok {
			continue
		}
		all := sw.postings[sw.pairStart[at]:sw.pairStart[at+1]]
		from := sort.Search(len(all), func(i int) bool { return all[i] >= lo })
		for _, pos := range all[from:] {
			if pos >= hi {
				break
			}
			if l.hits[pos-lo] == 0 {
				l.touched = append(l.touched, pos)
			}
			l.hits[pos-lo]++
		}
	}
	for _, pos := range l.touched {
		if int(l.hits[pos-lo]) >= enough {
			check(pos)
		}
		l.hits[pos-lo] = 0
	}
}

// within reports whether term is at most l.edits edits from l.word, as
// Bleve's fuzzy matching counts them (see editdist).
func (l *lookup) within(term []byte) bool {
	l.runes = l.runes[:0]
	for len(term) > 0 {
		r, size := utf8.DecodeRune(term)
		term = term[size:]
		l.runes = append(l.runes, r)
	}
	return l.table.Bounded(l.word, l.runes, l.edits) <= l.edits
}

// prefixed returns the range [from, to) of sw's terms that start with
// prefix.
func (sw *segmentWords) prefixed(prefix []byte) (from, to int) {
	n := sw.len()
	from = sort.Search(n, func(i int) bool { return bytes.Compare(sw.term(i), prefix) >= 0 })
	to = from + sort.Search(n-from, func(i int) bool { return !bytes.HasPrefix(sw.term(from+i), prefix) })
	return from, to
}

// listEntry is a term of a snapshot's word lists and its count summed over
// their segments; term shares a list's memory.
type listEntry struct {
	term  []byte
	count uint64
}

// nearInLists returns the terms of lists within edits of word, in byte
// order, each once with its counts summed, as Bleve's fuzzy dictionary
// lists them; at most limit of them, the first in byte order.
func nearInLists(lists []*segmentWords, word string, edits, limit int) []listEntry {
	l := newLookup(word, edits)
	var found []listEntry
	for _, sw := range lists {
		sw.near(l, func(term []byte, count uint32) {
			found = append(found, listEntry{term: term, count: uint64(count)})
		})
	}
	return mergeEntries(found, limit)
}

// prefixedInLists returns the terms of lists that start with prefix, in
// byte order, each once with its counts summed, as Bleve's prefix
// dictionary lists them; at most limit of them, the first in byte order.
func prefixedInLists(lists []*segmentWords, prefix string, limit int) []listEntry {
	var found []listEntry
	for _, sw := range lists {
		from, to := sw.prefixed([]byte(prefix))
		// Only the first limit of each segment can be among the first
		// limit of all.
		for i := from; i < min(to, from+limit); i++ {
			found = append(found, listEntry{term: sw.term(i), count: uint64(sw.counts[i])})
		}
	}
	return mergeEntries(found, limit)
}

// mergeEntries sorts entries by term, sums the counts of equal terms and
// keeps the first limit.
func mergeEntries(entries []listEntry, limit int) []listEntry {
	slices.SortFunc(entries, func(a, b listEntry) int { return bytes.Compare(a.term, b.term) })
	out := entries[:0]
	for _, e := range entries {
		if len(out) > 0 && bytes.Equal(out[len(out)-1].term, e.term) {
			out[len(out)-1].count += e.count
			continue
		}
		out = append(out, e)
	}
	return out[:min(len(out), limit)]
}
