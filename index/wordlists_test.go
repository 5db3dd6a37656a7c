package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/editdist"
)

// wordListsCorpus is synthetic talks written in several batches, so that
// the index has several segments, some with deleted talks, plus talks in
// accented and non-Latin words.
func wordListsCorpus(t *testing.T) (*Index, *scorch.IndexSnapshot) {
	t.Helper()
	ix, _ := openTemp(t)
	ctx := context.Background()
	talks := newTalkGen().talks(2400)
	extra := []string{
		"Enrutamiento en redes de tránsito", "Übertragung im Rechenzentrum München",
		"Réseaux d'échange à Montréal", "Сети и маршрутизация", "ネットワーク 運用",
		"Ñandú naïve café résumé", "aaaaaa aaaaab abab babab",
	}
	for i, title := range extra {
		tk := &catalog.Talk{ID: int64(len(talks) + i + 1), Series: "NOG", Event: "NOG 1", Year: 2020, Title: title}
		tk.Normalize()
		talks = append(talks, tk)
	}
	for from := 0; from < len(talks); from += 600 {
		if err := ix.Apply(ctx, talks[from:min(from+600, len(talks))], nil); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	if err := ix.Apply(ctx, nil, []int64{3, 5, 700, 1300, 2401}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	return ix, snapshotOf(t, ix)
}

// readLists reads the word lists of snap's segments at once.
func readLists(t *testing.T, snap *scorch.IndexSnapshot) []*segmentWords {
	t.Helper()
	var lists []*segmentWords
	for _, ss := range snap.Segments() {
		sw, err := readSegmentWords(ss.Segment())
		if err != nil {
			t.Fatal(err)
		}
		lists = append(lists, sw)
	}
	return lists
}

// bleveEntries reads every entry of fd, as "term=count". Counts are read
// again, term by term and segment by segment, since zap's dictionary
// iterators miscount (see readSegmentWords); wrong reports how many of
// fd's counts were wrong.
func bleveEntries(t *testing.T, snap *scorch.IndexSnapshot, fd bleveindex.FieldDict, err error) (entries []string, wrong int) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer fd.Close()
	for {
		e, err := fd.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			return entries, wrong
		}
		count := termCount(t, snap, e.Term)
		if count != e.Count {
			wrong++
		}
		entries = append(entries, fmt.Sprintf("%s=%d", e.Term, count))
	}
}

// termCount is how many documents of snap's segments have term in
// fieldWords, deleted ones included.
func termCount(t *testing.T, snap *scorch.IndexSnapshot, term string) uint64 {
	t.Helper()
	var n uint64
	for _, ss := range snap.Segments() {
		dict, err := ss.Segment().Dictionary(fieldWords)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		n += pl.Count()
	}
	return n
}

func listEntries(entries []listEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, fmt.Sprintf("%s=%d", e.term, e.count))
	}
	return out
}

// probeWords are words to look up: terms of the index as they are, with a
// letter dropped, doubled, changed or two swapped, with two such edits,
// and their beginnings; and words in other scripts.
func probeWords(t *testing.T, lists []*segmentWords) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"enrutamiento", "munchen", "montreal", "маршрутизация", "маршрутизацыя", "ネットワク",
		"nandu", "naive", "cafe", "aaaaaa", "aaaaa", "aaaaaaa", "baba", "ab", "a", "zzzzzzzzzz", "routing", "rooting"}
	edit := func(w []rune) []rune {
		w = slices.Clone(w)
		i := r.IntN(len(w))
		switch r.IntN(4) {
		case 0:
			return slices.Delete(w, i, i+1)
		case 1:
			return slices.Insert(w, i, w[i])
		case 2:
			w[i] = rune('a' + r.IntN(26))
		default:
			if i+1 < len(w) {
				w[i], w[i+1] = w[i+1], w[i]
			}
		}
		return w
	}
	sw := lists[0]
	for range 150 {
		term := []rune(string(sw.term(r.IntN(sw.len()))))
		words = append(words, string(term), string(edit(term)))
		if len(term) > 3 {
			words = append(words, string(edit(edit(term))), string(term[:1+r.IntN(4)]))
		}
	}
	return words
}

// TestWordListsFindWhatBleveFinds looks up words within one and two edits,
// and words beginning with a prefix, in the word lists and in Bleve's
// dictionary of the same snapshot, and requires the same terms in the same
// order, with their counts as the segments' postings lists give them.
func TestWordListsFindWhatBleveFinds(t *testing.T) {
	_, snap := wordListsCorpus(t)
	lists := readLists(t, snap)
	if len(lists) < 2 {
		t.Fatalf("the index has %d segment(s): the test needs several to merge", len(lists))
	}
	words := probeWords(t, lists)
	found, miscounted := 0, 0
	for _, w := range words {
		for _, edits := range []int{1, 2} {
			fd, err := snap.FieldDictFuzzy(fieldWords, w, edits, "")
			want, wrong := bleveEntries(t, snap, fd, err)
			got := listEntries(nearInLists(lists, w, edits, 1<<30))
			if !slices.Equal(got, want) {
				t.Fatalf("%q within %d edits: lists found\n%v\nBleve\n%v", w, edits, got, want)
			}
			found += len(want)
			miscounted += wrong
		}
		fd, err := snap.FieldDictPrefix(fieldWords, []byte(w))
		want, wrong := bleveEntries(t, snap, fd, err)
		miscounted += wrong
		if got := listEntries(prefixedInLists(lists, w, 1<<30)); !slices.Equal(got, want) {
			t.Fatalf("%q as a prefix: lists found\n%v\nBleve\n%v", w, got, want)
		}
		// As the dictionary reads them: only the first few in byte order.
		if got := listEntries(prefixedInLists(lists, w, 3)); !slices.Equal(got, want[:min(3, len(want))]) {
			t.Fatalf("%q as a prefix, 3 at most: lists found %v, Bleve's first %v", w, got, want)
		}
	}
	if found < len(words) {
		t.Fatalf("%d words found near %d probes: the test compares too little", found, len(words))
	}
	t.Logf("%d words found near %d probes; Bleve miscounted %d", found, len(words), miscounted)
}

// TestDictionaryAnswersAlikeWithLists asks a dictionary with word lists and
// one without (which looks words up in Bleve and recounts them) for the
// same corrections, neighbours and completions: a search must not change
// its answer when the lists become ready.
func TestDictionaryAnswersAlikeWithLists(t *testing.T) {
	_, snap := wordListsCorpus(t)
	lists := readLists(t, snap)
	ctx := context.Background()
	compared := 0
	for _, w := range probeWords(t, lists) {
		bleve := &dictionary{ctx: ctx, r: snap}
		listed := &dictionary{ctx: ctx, r: snap, lists: lists}
		for _, edits := range []int{1, 2} {
			if got, want := listed.corrections(w, edits), bleve.corrections(w, edits); !slices.Equal(got, want) {
				t.Fatalf("corrections of %q within %d: %v with lists, %v without", w, edits, got, want)
			}
			want := bleve.neighbours(w, edits)
			if got := listed.neighbours(w, edits); !slices.Equal(got, want) {
				t.Fatalf("neighbours of %q within %d: %v with lists, %v without", w, edits, got, want)
			}
			compared += len(want)
		}
		for _, limit := range []int{1, maxCompletions} {
			if got, want := listed.completions(w, limit), bleve.completions(w, limit); !slices.Equal(got, want) {
				t.Fatalf("completions of %q (%d): %v with lists, %v without", w, limit, got, want)
			}
		}
		if listed.err != nil || bleve.err != nil {
			t.Fatalf("lookups failed: %v / %v", listed.err, bleve.err)
		}
	}
	if compared == 0 {
		t.Fatal("no neighbours found: the test compares nothing")
	}
}

// newSegmentWords indexes terms, which must be sorted and distinct, with
// their counts, as readSegmentWords does a segment's.
func newSegmentWords(terms []string, counts []uint32) *segmentWords {
	sw := &segmentWords{counts: counts}
	for _, t := range terms {
		sw.text = append(sw.text, t...)
		sw.ends = append(sw.ends, uint32(len(sw.text)))
	}
	sw.indexPairs()
	return sw
}

// TestSegmentWordsNear checks the letter-pair filter on words chosen to
// strain it: runs of one letter, whose pairs repeat; words of fewer pairs
// than the filter needs; and the lengths at either end of reach.
func TestSegmentWordsNear(t *testing.T) {
	terms := []string{"a", "aa", "aaa", "aaaa", "aaaaa", "ab", "abab", "abcdef", "ba", "baba", "babab", "bacdfe", "bgp", "ebgp", "ibgp", "x", "ébgp"}
	counts := make([]uint32, len(terms))
	for i := range counts {
		counts[i] = uint32(i + 1)
	}
	sw := newSegmentWords(terms, counts)
	for _, w := range []string{"a", "aa", "aaa", "ab", "bab", "bgp", "egbp", "éбgp", "", "zzzz", "abcdef", "badcfe", "acbdfe"} {
		for _, edits := range []int{1, 2} {
			var got []string
			sw.near(newLookup(w, edits), func(term []byte, _ uint32) { got = append(got, string(term)) })
			slices.Sort(got)
			var want []string
			for _, term := range terms {
				if editdist.Distance(w, term) <= edits {
					want = append(want, term)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q within %d: got %v, want %v", w, edits, got, want)
			}
		}
	}
}

// TestWordListsViewFollowsTheSegments checks that a view has no lists until
// every segment's is read, has them after, and drops the lists of segments
// merged away.
func TestWordListsViewFollowsTheSegments(t *testing.T) {
	ix, snap := wordListsCorpus(t)
	wl := newWordLists(newBackgroundReads())
	if lists := wl.view(snap); lists != nil {
		t.Fatal("a view had lists before any was read")
	}
	lists := waitForLists(t, wl, snap)
	if len(lists) != len(snap.Segments()) {
		t.Fatalf("%d lists for %d segments", len(lists), len(snap.Segments()))
	}
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	merged := snapshotOf(t, ix)
	waitForLists(t, wl, merged)
	if kept := wl.segments.held(); kept != len(merged.Segments()) {
		t.Fatalf("%d lists kept for the %d segments left after merging", kept, len(merged.Segments()))
	}
}

// waitForLists asks wl for snap's lists until the background reads are
// done.
func waitForLists(t *testing.T, wl *wordLists, snap *scorch.IndexSnapshot) []*segmentWords {
	t.Helper()
	var lists []*segmentWords
	waitUntil(t, "the word lists", func() bool {
		lists = wl.view(snap)
		return lists != nil
	})
	return lists
}

// BenchmarkWordLookup looks words up within one and two edits, and
// completes a prefix, in a catalog of benchTalks synthetic talks: through
// Bleve's dictionaries (recounted, as the dictionary does before the word
// lists are read) and through the word lists.
func BenchmarkWordLookup(b *testing.B) {
	ix, _ := openTemp(b)
	ctx := context.Background()
	if err := ix.Apply(ctx, newTalkGen().talks(benchTalks), nil); err != nil {
		b.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		b.Fatal(err)
	}
	snap := snapshotOf(b, ix)
	var lists []*segmentWords
	for _, ss := range snap.Segments() {
		sw, err := readSegmentWords(ss.Segment())
		if err != nil {
			b.Fatal(err)
		}
		lists = append(lists, sw)
	}
	lookups := []struct {
		name string
		run  func(d *dictionary) []dictWord
	}{
		{"typo1", func(d *dictionary) []dictWord { return d.neighbours("rotuing", 1) }},
		{"typo2", func(d *dictionary) []dictWord { return d.neighbours("telemetyr", 2) }},
		{"prefix", func(d *dictionary) []dictWord { return d.lookupCompletions("ro", maxCompletions) }},
	}
	for _, l := range lookups {
		for _, withLists := range []bool{false, true} {
			name := l.name + "/bleve"
			if withLists {
				name = l.name + "/lists"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					d := &dictionary{ctx: ctx, r: snap}
					if withLists {
						d.lists = lists
					}
					if len(l.run(d)) == 0 || d.err != nil {
						b.Fatalf("nothing found (%v)", d.err)
					}
				}
			})
		}
	}
}
