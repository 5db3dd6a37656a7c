package index

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// A word's alternatives often search the same thing: "pyth" completes to
// "python", "python's" and "pythonic", and English makes "python" of all
// three, so Bleve would walk the 55k talks with "python" in the title three
// times, and again in the abstract. Searching each once is up to three
// times faster, but it must not move a single score: Bleve scores a
// disjunction as the sum of what matched times the share of its parts that
// matched (its "coord"), so merely dropping the repeats ranks talks
// differently. sharedOr searches each distinct leaf once and scores every
// use of it as Bleve would have scored the tree as compiled.

// leafKeys names the leaf queries a compiler built by what they match: two
// leaves with one key find the same talks, with scores in proportion to
// their boosts.
type leafKeys map[query.Query]string

// shareLeaves returns q with every disjunction replaced by a sharedOr that
// scores the same, and its excluded part searched as an exclusion. q itself
// is left as it is: highlighting reads its plain form. A sharedOr also
// serves disjunctions that repeat no leaf (a word in each of a talk's
// fields): its leaves take turns by document number (see leafHeap), and
// with it word pairs and typos took a fifth less time than with Bleve's
// disjunctions.
func shareLeaves(q query.Query, keys leafKeys) query.Query {
	switch q := q.(type) {
	case *query.MatchPhraseQuery:
		return &fastPhrase{phrase: q}
	case *query.BooleanQuery:
		out := *q
		out.Must = shareLeavesOrNil(q.Must, keys)
		out.Should = shareLeavesOrNil(q.Should, keys)
		if q.MustNot != nil {
			// Not shared: nothing excluded is scored.
			out.MustNot = exclusion{q: q.MustNot}
		}
		out.Filter = shareLeavesOrNil(q.Filter, keys)
		return &out
	case *query.ConjunctionQuery:
		if len(q.Conjuncts) == 1 && q.BoostVal == nil {
			// A conjunction of one scores as its part, and Bleve would
			// pass every hit through it: a search of nothing but
			// exclusions walks all talks.
			return shareLeaves(q.Conjuncts[0], keys)
		}
		out := *q
		out.Conjuncts = shareEach(q.Conjuncts, keys)
		return &out
	case *query.DisjunctionQuery:
		if q.Min == 0 && len(q.Disjuncts) > 1 {
			return newSharedOr(q, keys)
		}
		out := *q
		out.Disjuncts = shareEach(q.Disjuncts, keys)
		return &out
	default:
		return q
	}
}

func shareLeavesOrNil(q query.Query, keys leafKeys) query.Query {
	if q == nil {
		return nil
	}
	return shareLeaves(q, keys)
}

func shareEach(qs []query.Query, keys leafKeys) []query.Query {
	out := make([]query.Query, len(qs))
	for i, q := range qs {
		out[i] = shareLeaves(q, keys)
	}
	return out
}

// sharedOr is a disjunction of alternatives, each a disjunction of uses of
// distinct leaves (an alternative that is not a disjunction is one use).
// A use scores its leaf's score times its boost: the leaves are searched
// at boost 1, and Bleve's term scores are linear in the boost.
type sharedOr struct {
	leaves []query.Query
	alts   [][]leafUse
}

// leafUse is one place a leaf stood in the compiled query, with the boost
// it had there.
type leafUse struct {
	leaf  int
	boost float64
}

// alternatives returns the alternatives of d as newSharedOr takes them:
// each is a disjunction of keyed leaves (as match builds), or any other
// query, which is one leaf.
func alternatives(d *query.DisjunctionQuery, keys leafKeys) [][]query.Query {
	out := make([][]query.Query, len(d.Disjuncts))
	for i, alt := range d.Disjuncts {
		if inner, ok := alt.(*query.DisjunctionQuery); ok && inner.Min == 0 && allKeyed(inner.Disjuncts, keys) {
			out[i] = inner.Disjuncts
		} else {
			out[i] = []query.Query{alt}
		}
	}
	return out
}

// newSharedOr returns the sharedOr form of d.
func newSharedOr(d *query.DisjunctionQuery, keys leafKeys) *sharedOr {
	s := &sharedOr{}
	byKey := map[string]int{}
	use := func(q query.Query) leafUse {
		key, keyed := keys[q]
		unit, boost, linear := atUnitBoost(q)
		if !keyed || !linear {
			s.leaves = append(s.leaves, shareLeaves(q, keys))
			return leafUse{leaf: len(s.leaves) - 1, boost: 1}
		}
		if i, seen := byKey[key]; seen {
			return leafUse{leaf: i, boost: boost}
		}
		byKey[key] = len(s.leaves)
		s.leaves = append(s.leaves, shareLeaves(unit, nil))
		return leafUse{leaf: len(s.leaves) - 1, boost: boost}
	}
	for _, alt := range alternatives(d, keys) {
		uses := make([]leafUse, len(alt))
		for i, q := range alt {
			uses[i] = use(q)
		}
		s.alts = append(s.alts, uses)
	}
	return s
}

// allKeyed reports whether every query of qs is a keyed leaf.
func allKeyed(qs []query.Query, keys leafKeys) bool {
	for _, q := range qs {
		if _, ok := keys[q]; !ok {
			return false
		}
	}
	return len(qs) > 0
}

// atUnitBoost returns a copy of a leaf with boost 1, and the boost it
// had; ok is false for a kind of query whose score might not be linear in
// its boost, which is then searched as it is.
func atUnitBoost(q query.Query) (unit query.Query, boost float64, ok bool) {
	switch q := q.(type) {
	case *query.MatchQuery:
		out := *q
		out.SetBoost(1)
		return &out, q.Boost(), q.Fuzziness == 0 && q.Prefix == 0
	case *query.MatchPhraseQuery:
		out := *q
		out.SetBoost(1)
		return &out, q.Boost(), q.Fuzziness == 0
	case *query.TermQuery:
		out := *q
		out.SetBoost(1)
		return &out, q.Boost(), true
	}
	return nil, 0, false
}

// Searcher searches every distinct leaf once.
func (s *sharedOr) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	leaves := make([]search.Searcher, 0, len(s.leaves))
	for _, q := range s.leaves {
		ls, err := q.Searcher(ctx, r, m, options)
		if err != nil {
			for _, open := range leaves {
				_ = open.Close()
			}
			return nil, fmt.Errorf("shared leaf %T: %w", q, err)
		}
		leaves = append(leaves, ls)
	}
	return newSharedOrSearcher(leaves, s.alts, options), nil
}

// sharedOrSearcher walks the leaves' hits in document order, like Bleve's
// disjunction searchers, and scores each hit per alternative.
type sharedOrSearcher struct {
	options search.SearcherOptions
	leaves  []search.Searcher
	alts    [][]leafUse
	// usesOf lists, per leaf, the alternatives it is used in and how.
	usesOf [][]altUse
	// unitWeight is each leaf's Weight at boost 1.
	unitWeight []float64

	initialized bool
	curr        []*search.DocumentMatch // per leaf; nil once it is done
	order       leafHeap                // the leaves with a hit, by hit
	matched     []int                   // the leaves at the current hit

	// Per alternative, while scoring one hit.
	altSum   []float64
	altCount []int
	touched  []int
}

// altUse is a use of a leaf in alternative alt.
type altUse struct {
	alt   int
	boost float64
}

func newSharedOrSearcher(leaves []search.Searcher, alts [][]leafUse, options search.SearcherOptions) *sharedOrSearcher {
	s := &sharedOrSearcher{
		options:    options,
		leaves:     leaves,
		alts:       alts,
		usesOf:     make([][]altUse, len(leaves)),
		unitWeight: make([]float64, len(leaves)),
		curr:       make([]*search.DocumentMatch, len(leaves)),
		altSum:     make([]float64, len(alts)),
		altCount:   make([]int, len(alts)),
	}
	s.order.docs = make([]uint64, len(leaves))
	for a, uses := range alts {
		for _, u := range uses {
			s.usesOf[u.leaf] = append(s.usesOf[u.leaf], altUse{alt: a, boost: u.boost})
		}
	}
	for i, l := range leaves {
		s.unitWeight[i] = l.Weight()
	}
	// As Bleve's searchers do, normalise for the case this is the whole
	// query; a parent sets its own norm over this.
	if w := s.Weight(); w > 0 {
		s.SetQueryNorm(1 / math.Sqrt(w))
	}
	return s
}

// Weight is what Bleve's tree would weigh: a term's weight is the square
// of its boost times its idf, and a disjunction's the sum of its parts'.
func (s *sharedOrSearcher) Weight() float64 {
	var w float64
	for _, uses := range s.alts {
		for _, u := range uses {
			w += u.boost * u.boost * s.unitWeight[u.leaf]
		}
	}
	return w
}

func (s *sharedOrSearcher) SetQueryNorm(norm float64) {
	for _, l := range s.leaves {
		l.SetQueryNorm(norm)
	}
}

func (s *sharedOrSearcher) init(ctx *search.SearchContext) error {
	s.initialized = true
	for i, l := range s.leaves {
		dm, err := l.Next(ctx)
		if err != nil {
			return err
		}
		s.curr[i] = dm
		if dm != nil {
			s.order.docs[i] = dm.IndexInternalID.Value()
			s.order.ids = append(s.order.ids, i)
		}
	}
	s.order.init()
	return nil
}

func (s *sharedOrSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	if len(s.order.ids) == 0 {
		return nil, nil
	}
	s.matched = s.matched[:0]
	first := s.order.pop()
	s.matched = append(s.matched, first)
	doc := s.order.docs[first]
	for len(s.order.ids) > 0 && s.order.docs[s.order.ids[0]] == doc {
		s.matched = append(s.matched, s.order.pop())
	}
	rv := s.score()
	for _, i := range s.matched {
		if s.curr[i] != rv {
			ctx.DocumentMatchPool.Put(s.curr[i])
		}
		dm, err := s.leaves[i].Next(ctx)
		if err != nil {
			return nil, err
		}
		s.curr[i] = dm
		if dm != nil {
			s.order.docs[i] = dm.IndexInternalID.Value()
			s.order.push(i)
		}
	}
	return rv, nil
}

// score scores the current hit as Bleve's tree would: each alternative is
// its matched uses' sum times the share of its uses that matched, and the
// whole the alternatives' sum times the share of them that matched.
func (s *sharedOrSearcher) score() *search.DocumentMatch {
	s.touched = s.touched[:0]
	for _, i := range s.matched {
		leafScore := s.curr[i].Score
		for _, u := range s.usesOf[i] {
			if s.altCount[u.alt] == 0 {
				s.touched = append(s.touched, u.alt)
			}
			s.altCount[u.alt]++
			s.altSum[u.alt] += u.boost * leafScore
		}
	}
	var sum float64
	for _, a := range s.touched {
		sum += s.altSum[a] * float64(s.altCount[a]) / float64(len(s.alts[a]))
		s.altSum[a], s.altCount[a] = 0, 0
	}
	score := sum * float64(len(s.touched)) / float64(len(s.alts))
	rv := s.curr[s.matched[0]]
	if len(s.matched) > 1 && s.options.IncludeTermVectors {
		others := make([]*search.DocumentMatch, 0, len(s.matched)-1)
		for _, i := range s.matched[1:] {
			others = append(others, s.curr[i])
		}
		rv.FieldTermLocations = search.MergeFieldTermLocations(rv.FieldTermLocations, others)
	}
	rv.Score = score
	if s.options.Explain {
		rv.Expl = &search.Explanation{Value: score, Message: fmt.Sprintf("shared disjunction, %d of %d alternatives", len(s.touched), len(s.alts))}
	}
	return rv
}

func (s *sharedOrSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	target := id.Value()
	var moved []int
	for len(s.order.ids) > 0 && s.order.docs[s.order.ids[0]] < target {
		i := s.order.pop()
		ctx.DocumentMatchPool.Put(s.curr[i])
		dm, err := s.leaves[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.curr[i] = dm
		if dm != nil {
			s.order.docs[i] = dm.IndexInternalID.Value()
			moved = append(moved, i)
		}
	}
	for _, i := range moved {
		s.order.push(i)
	}
	return s.Next(ctx)
}

func (s *sharedOrSearcher) Close() error {
	var first error
	for _, l := range s.leaves {
		if err := l.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Count is an upper bound, as Bleve's disjunctions give.
func (s *sharedOrSearcher) Count() uint64 {
	var n uint64
	for _, l := range s.leaves {
		n += l.Count()
	}
	return n
}

func (s *sharedOrSearcher) Min() int { return 0 }

func (s *sharedOrSearcher) Size() int {
	n := 0
	for _, l := range s.leaves {
		n += l.Size()
	}
	return n
}

func (s *sharedOrSearcher) DocumentMatchPoolSize() int {
	n := len(s.leaves)
	for _, l := range s.leaves {
		n += l.DocumentMatchPoolSize()
	}
	return n
}

// leafHeap orders leaf numbers by the document number of their current
// hit, first first. It compares numbers where Bleve's disjunctions compare
// the hits' ids as bytes through container/heap's interface: a third of
// the time of a prefix that grows into many words ("pyth").
type leafHeap struct {
	ids  []int
	docs []uint64 // per leaf, its current hit's document number
}

func (h *leafHeap) less(a, b int) bool { return h.docs[h.ids[a]] < h.docs[h.ids[b]] }

func (h *leafHeap) init() {
	for i := len(h.ids)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *leafHeap) push(leaf int) {
	h.ids = append(h.ids, leaf)
	h.up(len(h.ids) - 1)
}

// pop removes and returns the leaf with the first hit.
func (h *leafHeap) pop() int {
	top, last := h.ids[0], len(h.ids)-1
	h.ids[0] = h.ids[last]
	h.ids = h.ids[:last]
	if last > 0 {
		h.down(0)
	}
	return top
}

func (h *leafHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.ids[i], h.ids[parent] = h.ids[parent], h.ids[i]
		i = parent
	}
}

func (h *leafHeap) down(i int) {
	n := len(h.ids)
	for {
		first := i
		if l := 2*i + 1; l < n && h.less(l, first) {
			first = l
		}
		if r := 2*i + 2; r < n && h.less(r, first) {
			first = r
		}
		if first == i {
			return
		}
		h.ids[i], h.ids[first] = h.ids[first], h.ids[i]
		i = first
	}
}
