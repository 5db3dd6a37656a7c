package index

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Bounds on how far one query word expands. Each correction or completion
// becomes a clause of its own, so these bound the query's size whatever the
// dictionary holds.
const (
	maxCorrections = 3
	maxCompletions = 4
	// maxLooseCompletions bounds the completions of the last word in the
	// second try of a query that found next to nothing (compiler.loose).
	maxLooseCompletions = 12
	minCompletionRunes  = 2
	// maxDictScan bounds the dictionary entries read for one word: a
	// two-letter prefix may have thousands of completions, read in
	// alphabetical order, of which only the first maxDictScan compete.
	maxDictScan = 2000
	// typoDominance is how many times more talks a neighbour of a word
	// the index does have must be in to count as the word meant: "nznog"
	// is a real series next to the commoner "nanog", and must not find it.
	typoDominance = 20
	// commonWord is how many talks make a word too common to be a typo (a
	// correction would need typoDominance times as many, which no word of a
	// talk catalog has, so the dictionary is not even searched) or to be
	// unfinished as the last word typed (its completions, a clause each,
	// would mostly find what it finds).
	commonWord = 50
	// rareWord is how few talks make a word in the middle of a query look
	// cut short ("eng" for engineering), so that it matches as a prefix
	// too, once it has minAbbreviationRunes.
	rareWord             = 3
	minAbbreviationRunes = 3
	// minFormRunes is how long a word must be for its other forms to be
	// looked up (see compiler.otherForms); shorter stems begin too many
	// unrelated words.
	minFormRunes = 6
)

// dictWord is a word of fieldWords' dictionary: how many talks have it and
// how many edits away it is from the word looked up.
type dictWord struct {
	term  string
	count uint64
	edits int
}

// wordSource finds indexed words near a query word.
type wordSource interface {
	// corrections returns up to maxCorrections words within edits of word,
	// closest and most used first: any such word when the index does not
	// have word, else only those typoDominance times as common.
	corrections(word string, edits int) []dictWord
	// neighbours returns up to maxCorrections words within edits of word,
	// closest and most used first, however common word itself is.
	neighbours(word string, edits int) []dictWord
	// completions returns up to limit words starting with prefix,
	// most used first.
	completions(prefix string, limit int) []dictWord
	// count is how many talks have word.
	count(word string) uint64
}

// dictionary is a wordSource over one index snapshot. Lookup errors only
// cost suggestions, so they are remembered for the caller rather than
// failing the search halfway through compiling it.
type dictionary struct {
	ctx    context.Context
	r      bleveindex.IndexReader
	err    error
	failed int               // lookups that failed
	counts map[string]uint64 // count's answers for this query

	// cache, if not nil, keeps lookups across searches while the index
	// stays at generation gen, the one r was opened in.
	cache *recentCache[[]dictWord]
	gen   uint64

	// lists, if not nil, are the word lists of r's segments, which answer
	// typo lookups and completions in place of r (see wordLists).
	lists []*segmentWords
	// segmentDicts are r's segments' dictionaries of fieldWords, read
	// once for recounting (see recount).
	segmentDicts []segment.TermDictionary
}

func (d *dictionary) fail(err error) {
	d.failed++
	if d.err == nil {
		d.err = err
	}
}

// cached returns what lookup found for key, from the cache when an earlier
// search looked it up in the same generation of the index. A failed lookup
// is not kept.
func (d *dictionary) cached(key string, lookup func() []dictWord) []dictWord {
	if d.cache == nil {
		return lookup()
	}
	if found, ok := d.cache.get(key); ok {
		return found
	}
	failed := d.failed
	found := lookup()
	if d.failed == failed {
		d.cache.put(key, d.gen, found)
	}
	return found
}

// lookupKey names one dictionary lookup in the cache.
func lookupKey(kind, word string, n int) string {
	return kind + "\x00" + strconv.Itoa(n) + "\x00" + word
}

// count is how many talks have word.
func (d *dictionary) count(word string) uint64 {
	if n, ok := d.counts[word]; ok {
		return n
	}
	tfr, err := d.r.TermFieldReader(d.ctx, []byte(word), fieldWords, false, false, false)
	if err != nil {
		d.fail(fmt.Errorf("count %q: %w", word, err))
		return 0
	}
	defer tfr.Close()
	if d.counts == nil {
		d.counts = map[string]uint64{}
	}
	d.counts[word] = tfr.Count()
	return d.counts[word]
}

func (d *dictionary) corrections(word string, edits int) []dictWord {
	return d.cached(lookupKey("corrections", word, edits), func() []dictWord {
		own := d.count(word)
		if own >= commonWord {
			return nil
		}
		return d.near(word, edits, func(count uint64) bool {
			return own == 0 || count >= typoDominance*own
		})
	})
}

func (d *dictionary) neighbours(word string, edits int) []dictWord {
	return d.cached(lookupKey("neighbours", word, edits), func() []dictWord {
		return d.near(word, edits, func(uint64) bool { return true })
	})
}

// near returns up to maxCorrections words within edits of word whose
// count keep accepts, closest and most used first.
func (d *dictionary) near(word string, edits int, keep func(count uint64) bool) []dictWord {
	if edits <= 0 {
		return nil
	}
	var found []dictWord
	add := func(term string, count uint64) {
		if term != word && keep(count) {
			found = append(found, dictWord{term, count, levenshtein(word, term)})
		}
	}
	if d.lists != nil {
		for _, e := range nearInLists(d.lists, word, edits, maxDictScan) {
			add(string(e.term), e.count)
		}
	} else {
		fuzzy, ok := d.r.(bleveindex.IndexReaderFuzzy)
		if !ok {
			return nil
		}
		fd, err := fuzzy.FieldDictFuzzy(fieldWords, word, edits, "")
		if err != nil {
			d.fail(fmt.Errorf("words near %q: %w", word, err))
			return nil
		}
		d.scan(fd, func(e *bleveindex.DictEntry) { add(e.Term, d.recount(e.Term, e.Count)) })
	}
	slices.SortFunc(found, func(a, b dictWord) int {
		return cmp.Or(cmp.Compare(a.edits, b.edits), cmp.Compare(b.count, a.count), cmp.Compare(a.term, b.term))
	})
	return found[:min(len(found), maxCorrections)]
}

func (d *dictionary) completions(prefix string, limit int) []dictWord {
	return d.cached(lookupKey("completions", prefix, limit), func() []dictWord {
		return d.lookupCompletions(prefix, limit)
	})
}

func (d *dictionary) lookupCompletions(prefix string, limit int) []dictWord {
	var found []dictWord
	if d.lists != nil {
		entries := prefixedInLists(d.lists, prefix, maxDictScan)
		// Sorted as below before the terms become strings, of which only
		// limit are kept out of as many as maxDictScan.
		slices.SortFunc(entries, func(a, b listEntry) int {
			return cmp.Or(cmp.Compare(b.count, a.count), bytes.Compare(a.term, b.term))
		})
		for _, e := range entries[:min(len(entries), limit)] {
			found = append(found, dictWord{term: string(e.term), count: e.count})
		}
	} else {
		fd, err := d.r.FieldDictPrefix(fieldWords, []byte(prefix))
		if err != nil {
			d.fail(fmt.Errorf("words starting with %q: %w", prefix, err))
			return nil
		}
		d.scan(fd, func(e *bleveindex.DictEntry) {
			found = append(found, dictWord{term: e.Term, count: d.recount(e.Term, e.Count)})
		})
	}
	slices.SortFunc(found, func(a, b dictWord) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.term, b.term))
	})
	return found[:min(len(found), limit)]
}

// recount returns how many documents of r's segments have term (deleted
// ones included, as a dictionary counts them), where the dictionary said
// reported.
//
// Why: zap's dictionary iterator reads every term's postings into one
// list, and once it has read a term of one document (stored inline and
// flagged in the list), it counts every later term of the segment as one
// document too. Most counts of a fuzzy or prefix listing were wrong that
// way (TestWordListsFindWhatBleveFinds), and completions and corrections
// are chosen by count. The word lists count right (readSegmentWords); this
// makes the lookups done before they are read agree with them.
func (d *dictionary) recount(term string, reported uint64) uint64 {
	snap, ok := d.r.(*scorch.IndexSnapshot)
	if !ok {
		return reported
	}
	if d.segmentDicts == nil {
		dicts := make([]segment.TermDictionary, 0, len(snap.Segments()))
		for _, ss := range snap.Segments() {
			dict, err := ss.Segment().Dictionary(fieldWords)
			if err != nil {
				d.fail(fmt.Errorf("count %q: %w", term, err))
				return reported
			}
			dicts = append(dicts, dict)
		}
		d.segmentDicts = dicts
	}
	var n uint64
	for _, dict := range d.segmentDicts {
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			d.fail(fmt.Errorf("count %q: %w", term, err))
			return reported
		}
		n += pl.Count()
	}
	return n
}

// scan visits up to maxDictScan entries of fd and closes it.
func (d *dictionary) scan(fd bleveindex.FieldDict, visit func(*bleveindex.DictEntry)) {
	defer fd.Close()
	for n := 0; n < maxDictScan; n++ {
		e, err := fd.Next()
		if err != nil {
			d.fail(fmt.Errorf("read word dictionary: %w", err))
			return
		}
		if e == nil {
			return
		}
		visit(e)
	}
}

// levenshtein is the edit distance between a and b, in runes. The
// dictionary's automaton only says a word is within the limit; ranking
// corrections needs the distance itself.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
