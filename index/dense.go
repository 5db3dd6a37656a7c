package index

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Zap keeps a term's postings in chunks of about a thousand documents, each
// read from its start: a searcher that jumps to a document walks every
// posting before it in its chunk. A query joining a common word with a
// rarer one ("python teams") jumps the common word's searchers to each talk
// of the rarer, and walked nearly all of "python"'s 55k postings at 100k
// talks in each of its fields. The dense terms that searches score are
// therefore also held decoded, per segment, as arrays a searcher jumps
// through by binary search and steps through without decoding. Searches
// read from them the same documents, frequencies and norms as from zap,
// so scores do not change (TestDenseReaderReadsWhatZapReads).
//
// A term is read into a list after a search has scored it, in the
// background, and serves the searches after. Reading the lists of a
// segment's densest terms up front instead looked up hundreds of terms,
// and the pages of the index they touched (with the kernel's fault-around)
// stayed in the server's memory: 28 MB at 100k talks, where the searches
// that use a term have read its pages anyway.

// denseLimits say which terms of a segment are held.
type denseLimits struct {
	// minPostings is the fewest postings a term needs to be held.
	minPostings uint64
	// bytesPerDoc bounds the memory of a segment's lists, per document.
	bytesPerDoc uint64
}

// defaultDenseLimits hold terms of at least 2,048 postings (a shorter list
// spans one or two zap chunks, and walking it costs little) in up to 64
// bytes per document: 6.4 MB at 100k talks, about 1.1M postings.
func defaultDenseLimits() denseLimits { return denseLimits{minPostings: 2048, bytesPerDoc: 64} }

// densePostingBytes is what a held posting costs: its document number and
// the index of its frequency and norm in the list's table.
const densePostingBytes = 6

// denseKey names a term of a field, and whether its list holds the word
// positions of each posting too.
type denseKey struct {
	field, term string
	positions   bool
}

// Phrases (a quoted phrase, and the proximity bonus of a query's words)
// read the positions of every talk with all their words: for two common
// words ("python talk"), tens of thousands of talks, whose positions zap
// decodes one after the other from its chunks, with their byte offsets.
// Lists of titles and abstracts are therefore also held with positions,
// which only phrases read (positionsHeld); highlighting reads zap, as it
// needs the offsets. Both fields hold one text per talk, so a position
// needs no array positions.

// positionsHeld reports whether field's lists may hold positions.
func positionsHeld(field string) bool { return field == fieldTitle || field == fieldAbstract }

// densePositionBytes is what a held position costs.
const densePositionBytes = 4

// denseList is a term's postings in one segment, deleted documents
// included (the snapshot says which are deleted).
type denseList struct {
	docs  []uint32 // document numbers within the segment, ascending
	stats []uint16 // index of each document's frequency and norm in table
	table []denseStat
	// With positions, those of docs[i] are positions[starts[i]:starts[i+1]].
	starts, positions []uint32
}

// bytes is what the list holds.
func (l *denseList) bytes() uint64 {
	return uint64(len(l.docs))*densePostingBytes + uint64(len(l.starts)+len(l.positions))*densePositionBytes
}

// denseStat is a posting's frequency and norm, as zap reads them.
type denseStat struct {
	freq uint64
	norm float64
}

// denseLists holds the lists read so far of each segment of the index.
type denseLists struct {
	limits denseLimits
	reads  *backgroundReads

	mu       sync.Mutex
	segments map[segment.Segment]*segmentDense
	wanted   map[denseKey]bool // asked for, not read yet
}

// segmentDense is the lists read so far of one segment.
type segmentDense struct {
	// lists is replaced whole when a list is added, never changed: the
	// views of searches under way keep reading the one they took.
	lists atomic.Pointer[map[denseKey]*denseList]
	// budget is the bytes of postings the segment may still hold, and
	// tried the terms already asked for; both guarded by denseLists.mu.
	budget uint64
	tried  map[denseKey]bool
}

func newDenseLists(limits denseLimits, reads *backgroundReads) *denseLists {
	return &denseLists{limits: limits, reads: reads, segments: map[segment.Segment]*segmentDense{}, wanted: map[denseKey]bool{}}
}

// view returns the lists of snap's segments as they are now, for one
// search. Segments no longer in snap (merged away) are forgotten.
func (d *denseLists) view(snap *scorch.IndexSnapshot) *denseView {
	segs := snap.Segments()
	v := &denseView{owner: d, segs: segs, lists: make([]map[denseKey]*denseList, len(segs)), offsets: segmentOffsets(segs)}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, ss := range segs {
		sd := d.segments[ss.Segment()]
		if sd == nil {
			sd = &segmentDense{budget: ss.Segment().Count() * d.limits.bytesPerDoc, tried: map[denseKey]bool{}}
			sd.lists.Store(&map[denseKey]*denseList{})
			d.segments[ss.Segment()] = sd
		}
		v.lists[i] = *sd.lists.Load()
	}
	if len(d.segments) > len(segs) {
		forgetMergedAway(d.segments, segs)
	}
	return v
}

// wantIfDense asks for key's lists when a term of postings postings is
// dense enough to be held. A nil view holds nothing.
func (v *denseView) wantIfDense(key denseKey, postings uint64) {
	if v != nil && postings >= v.owner.limits.minPostings {
		v.want(key)
	}
}

// want asks for key's lists in the view's segments that may hold them,
// to be read in the background.
func (v *denseView) want(key denseKey) {
	d := v.owner
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.wanted[key] {
		return
	}
	type todo struct {
		seg segment.Segment
		sd  *segmentDense
	}
	var todos []todo
	for _, ss := range v.segs {
		sd := d.segments[ss.Segment()]
		if sd == nil || sd.tried[key] || sd.budget < d.limits.minPostings*densePostingBytes {
			continue
		}
		sd.tried[key] = true
		seg := ss.Segment()
		seg.AddRef() // kept open for the read, even if merged away
		todos = append(todos, todo{seg, sd})
	}
	if len(todos) == 0 {
		return
	}
	d.wanted[key] = true
	d.reads.start(func() {
		for _, t := range todos {
			// A failed read leaves the segment reading zap.
			_ = d.hold(t.seg, t.sd, key)
			_ = t.seg.DecRef()
		}
		d.mu.Lock()
		delete(d.wanted, key)
		d.mu.Unlock()
	})
}

// hold reads key's list of seg into sd, when the term has enough postings
// in seg and sd's budget has room for them.
func (d *denseLists) hold(seg segment.Segment, sd *segmentDense, key denseKey) error {
	dict, err := seg.Dictionary(key.field)
	if err != nil {
		return fmt.Errorf("read dense list %s:%q: %w", key.field, key.term, err)
	}
	pl, err := dict.PostingsList([]byte(key.term), nil, nil)
	if err != nil {
		return fmt.Errorf("read dense list %s:%q: %w", key.field, key.term, err)
	}
	count := pl.Count()
	cost := count * densePostingBytes
	d.mu.Lock()
	enough := count >= d.limits.minPostings && cost <= sd.budget
	if enough {
		sd.budget -= cost
	}
	d.mu.Unlock()
	if !enough {
		return nil
	}
	l, err := decodeDense(pl, key, count)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil || l == nil {
		sd.budget += cost
		return err
	}
	// Positions are counted once read: a term's number of them is known
	// only then.
	if held := l.bytes(); held > cost {
		if held-cost > sd.budget {
			sd.budget += cost
			return nil
		}
		sd.budget -= held - cost
	}
	next := maps.Clone(*sd.lists.Load())
	next[key] = l
	sd.lists.Store(&next)
	return nil
}

// decodeDense reads the postings pl of key, deleted documents included;
// nil when they have more distinct frequency and norm pairs than a table
// index holds.
func decodeDense(pl segment.PostingsList, key denseKey, count uint64) (*denseList, error) {
	l := &denseList{docs: make([]uint32, 0, count), stats: make([]uint16, 0, count)}
	if key.positions {
		l.starts = make([]uint32, 1, count+1)
	}
	index := map[denseStat]uint16{}
	it := pl.Iterator(true, true, key.positions, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("read dense list %s:%q: %w", key.field, key.term, err)
		}
		if p == nil {
			break
		}
		st := denseStat{freq: p.Frequency(), norm: p.Norm()}
		i, ok := index[st]
		if !ok {
			if len(l.table) > 1<<16-1 {
				return nil, nil
			}
			i = uint16(len(l.table))
			index[st] = i
			l.table = append(l.table, st)
		}
		if p.Number() > 1<<32-1 {
			return nil, nil
		}
		l.docs = append(l.docs, uint32(p.Number()))
		l.stats = append(l.stats, i)
		if key.positions {
			for _, loc := range p.Locations() {
				if len(loc.ArrayPositions()) > 0 || loc.Pos() > 1<<32-1 {
					return nil, nil
				}
				l.positions = append(l.positions, uint32(loc.Pos()))
			}
			if len(l.positions) > 1<<32-1 {
				return nil, nil
			}
			l.starts = append(l.starts, uint32(len(l.positions)))
		}
	}
	return l, nil
}

// denseView is the lists of a snapshot's segments as a search took them,
// with what a reader needs to number their documents as the snapshot does.
type denseView struct {
	owner   *denseLists
	segs    []*scorch.SegmentSnapshot
	lists   []map[denseKey]*denseList
	offsets []uint64
}

// reader returns a reader of term in field over the snapshot that reads
// the held lists, or nil when no segment holds the term's list. With
// positions, it reads them too (without byte offsets; see positionsHeld).
func (v *denseView) reader(term []byte, field string, freq, norm, positions bool) (bleveindex.TermFieldReader, error) {
	if v == nil {
		return nil, nil
	}
	key := denseKey{field: field, term: string(term), positions: positions}
	held := false
	for _, lists := range v.lists {
		if lists[key] != nil {
			held = true
			break
		}
	}
	if !held {
		return nil, nil
	}
	r := &denseReader{view: v, field: field, freq: freq, norm: norm, positions: positions, cursors: make([]postingCursor, len(v.segs))}
	missing := false
	for i, ss := range v.segs {
		if l := v.lists[i][key]; l != nil {
			c := &arrayCursor{list: l, deleted: ss.Deleted()}
			r.count += c.live()
			r.cursors[i] = c
			continue
		}
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("read %s:%q: %w", field, term, err)
		}
		pl, err := dict.PostingsList(term, ss.Deleted(), nil)
		if err != nil {
			return nil, fmt.Errorf("read %s:%q: %w", field, term, err)
		}
		r.count += pl.Count()
		c := &zapCursor{postings: pl, freq: freq, norm: norm, positions: positions}
		c.rewind()
		r.cursors[i] = c
		missing = true
	}
	if missing {
		// A segment written since the term was read, say.
		v.wantIfDense(key, r.count)
	}
	return r, nil
}

// postingCursor steps through one segment's postings of a term.
type postingCursor interface {
	// next moves to the next live posting; ok is false past the last.
	next() (doc uint64, st denseStat, ok bool, err error)
	// advance moves to the first live posting at or after doc, which is
	// after the cursor's last posting.
	advance(doc uint64) (at uint64, st denseStat, ok bool, err error)
	// rewind goes back to before the first posting.
	rewind()
	// at appends to dst the positions of the posting last moved to, of
	// a cursor asked for them.
	at(dst []uint64) []uint64
}

// arrayCursor reads a held list.
type arrayCursor struct {
	list    *denseList
	deleted *roaring.Bitmap
	pos     int // of the next posting
}

// live counts the list's postings of documents not deleted.
func (c *arrayCursor) live() uint64 {
	n := uint64(len(c.list.docs))
	if c.deleted == nil || c.deleted.IsEmpty() {
		return n
	}
	// Deletions are few beside a dense list: look each one up.
	it := c.deleted.Iterator()
	for it.HasNext() {
		if _, found := slices.BinarySearch(c.list.docs, it.Next()); found {
			n--
		}
	}
	return n
}

func (c *arrayCursor) next() (uint64, denseStat, bool, error) {
	for c.pos < len(c.list.docs) {
		i := c.pos
		c.pos++
		doc := c.list.docs[i]
		if c.deleted != nil && c.deleted.Contains(doc) {
			continue
		}
		return uint64(doc), c.list.table[c.list.stats[i]], true, nil
	}
	return 0, denseStat{}, false, nil
}

func (c *arrayCursor) rewind() { c.pos = 0 }

func (c *arrayCursor) at(dst []uint64) []uint64 {
	i := c.pos - 1
	for _, p := range c.list.positions[c.list.starts[i]:c.list.starts[i+1]] {
		dst = append(dst, uint64(p))
	}
	return dst
}

func (c *arrayCursor) advance(doc uint64) (uint64, denseStat, bool, error) {
	if doc > 1<<32-1 {
		c.pos = len(c.list.docs)
		return 0, denseStat{}, false, nil
	}
	rest := c.list.docs[c.pos:]
	i, _ := slices.BinarySearch(rest, uint32(doc))
	c.pos += i
	return c.next()
}

// zapCursor reads a segment without the held list from zap.
type zapCursor struct {
	postings              segment.PostingsList
	freq, norm, positions bool
	it                    segment.PostingsIterator
	last                  segment.Posting
}

func (c *zapCursor) rewind() { c.it = c.postings.Iterator(c.freq, c.norm, c.positions, c.it) }

func (c *zapCursor) at(dst []uint64) []uint64 {
	for _, loc := range c.last.Locations() {
		dst = append(dst, loc.Pos())
	}
	return dst
}

func (c *zapCursor) next() (uint64, denseStat, bool, error) {
	return c.read(c.it.Next())
}

func (c *zapCursor) advance(doc uint64) (uint64, denseStat, bool, error) {
	return c.read(c.it.Advance(doc))
}

func (c *zapCursor) read(p segment.Posting, err error) (uint64, denseStat, bool, error) {
	if err != nil || p == nil {
		return 0, denseStat{}, false, err
	}
	c.last = p
	return p.Number(), denseStat{freq: p.Frequency(), norm: p.Norm()}, true, nil
}

// denseReader is a term reader over a snapshot's segments in turn, each
// read from its held list or from zap.
type denseReader struct {
	view                  *denseView
	field                 string
	freq, norm, positions bool
	at                    []uint64 // scratch: the positions of a posting
	cursors               []postingCursor
	seg                   int    // segment of the last posting read
	last                  uint64 // global number of the last posting read
	started               bool
	count                 uint64
}

func (r *denseReader) Next(pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	for r.seg < len(r.cursors) {
		doc, st, ok, err := r.cursors[r.seg].next()
		if err != nil {
			return nil, err
		}
		if ok {
			return r.found(r.seg, doc, st, pre), nil
		}
		r.seg++
	}
	return nil, nil
}

func (r *denseReader) Advance(id bleveindex.IndexInternalID, pre *bleveindex.TermFieldDoc) (*bleveindex.TermFieldDoc, error) {
	target := id.Value()
	if r.started && target <= r.last {
		// Back to the start, as scorch's reader goes back: a new reader.
		for _, c := range r.cursors {
			c.rewind()
		}
		r.seg, r.started = 0, false
	}
	seg := r.seg
	for seg+1 < len(r.view.offsets) && r.view.offsets[seg+1] <= target {
		seg++
	}
	r.seg = seg
	if seg >= len(r.cursors) {
		return nil, nil
	}
	// The reader stands in the segment of its last posting or before
	// the target's, never past it; a target before the segment is its
	// start all the same.
	local := uint64(0)
	if target > r.view.offsets[seg] {
		local = target - r.view.offsets[seg]
	}
	doc, st, ok, err := r.cursors[seg].advance(local)
	if err != nil {
		return nil, err
	}
	if !ok {
		r.seg++
		return r.Next(pre)
	}
	return r.found(seg, doc, st, pre), nil
}

// found fills pre (or a new doc) with a posting of segment seg.
func (r *denseReader) found(seg int, doc uint64, st denseStat, pre *bleveindex.TermFieldDoc) *bleveindex.TermFieldDoc {
	if pre == nil {
		pre = &bleveindex.TermFieldDoc{}
	}
	global := doc + r.view.offsets[seg]
	pre.ID = bleveindex.NewIndexInternalID(pre.ID, global)
	if r.freq {
		pre.Freq = st.freq
	}
	if r.norm {
		pre.Norm = st.norm
	}
	if r.positions {
		r.at = r.cursors[seg].at(r.at[:0])
		pre.Vectors = vectorsAt(pre.Vectors, r.field, r.at)
	}
	r.last, r.started = global, true
	return pre
}

// vectorsAt returns term vectors of field at positions, in the memory of
// vs where it has room: a term searcher reuses its document from posting
// to posting, and copies what it scores.
func vectorsAt(vs []*bleveindex.TermFieldVector, field string, positions []uint64) []*bleveindex.TermFieldVector {
	vs = vs[:0]
	for i, p := range positions {
		if i < cap(vs) && vs[:i+1][i] != nil {
			vs = vs[:i+1]
		} else {
			vs = append(vs, &bleveindex.TermFieldVector{})
		}
		*vs[i] = bleveindex.TermFieldVector{Field: field, Pos: p}
	}
	return vs
}

func (r *denseReader) Count() uint64 { return r.count }

func (r *denseReader) Close() error { return nil }

func (r *denseReader) Size() int { return 64 + 32*len(r.cursors) }
