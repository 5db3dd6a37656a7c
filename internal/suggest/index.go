package suggest

import (
	"math"
	"slices"
	"sync"
)

// Index holds the completion entries of a catalog in memory. It is safe for
// concurrent use: suggestions share a read lock, updates take the write
// lock for the few microseconds one talk needs.
type Index struct {
	mu          sync.RWMutex
	dict        dictionary
	entries     []entry    // by entryID
	hot         []hotEntry // by entryID
	freeEntries []entryID
	keys        map[string]entryID  // kind + folded words -> entry
	talks       map[int64]talkState // what each talk counted into
	scratch     struct {            // reused by writers, under the write lock
		words []string
		key   []byte
	}
}

// talkState remembers the entries a talk counts in, so that an update or a
// removal takes back exactly what the talk gave.
type talkState struct {
	title  entryID
	others []contribution
}

// New returns an empty index.
func New() *Index {
	return &Index{
		dict:  newDictionary(),
		keys:  make(map[string]entryID),
		talks: make(map[int64]talkState),
	}
}

// Build returns an index of talks.
func Build(talks []Talk) *Index {
	ix := New()
	ix.UpsertAll(talks)
	return ix
}

// Upsert adds a talk or replaces what the index knows of it: a new title,
// speakers who came or went, another event. Counts follow.
func (ix *Index) Upsert(t Talk) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.upsertLocked(t)
}

// UpsertAll upserts many talks under one lock, sorting the word list once
// at the end rather than on every new word; use it for a build or a large
// import.
func (ix *Index) UpsertAll(talks []Talk) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if len(ix.talks) == 0 {
		// Sized for the catalog up front: growing maps of 100k keys
		// step by step costs a build a good part of its time.
		ix.talks = make(map[int64]talkState, len(talks))
		ix.keys = make(map[string]entryID, len(talks)*3/2)
	}
	ix.dict.startBulk()
	for _, t := range talks {
		ix.upsertLocked(t)
	}
	ix.dict.finishBulk()
}

// Remove forgets a talk; entries left without talks disappear. Removing an
// unknown id does nothing.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old, ok := ix.talks[id]
	if !ok {
		return
	}
	for _, c := range old.others {
		ix.leave(c.entry, c.text)
	}
	if old.title != noEntry {
		ix.unsetTitle(old.title, id)
	}
	delete(ix.talks, id)
}

func (ix *Index) upsertLocked(t Talk) {
	old, had := ix.talks[t.ID]
	if !had {
		old.title = noEntry
	}
	next := talkState{title: ix.entryFor(titleKind, t.Title)}
	for _, s := range t.Speakers {
		next.others = appendContribution(next.others, ix.entryFor(speakerKind, s), s)
	}
	next.others = appendContribution(next.others, ix.entryFor(seriesKind, t.Series), t.Series)
	next.others = appendContribution(next.others, ix.entryFor(eventKind, t.Event), t.Event)
	next.others = slices.Clip(next.others)

	// The talk joins its new entries before it leaves its old ones, so an
	// entry it keeps under another spelling never drops to zero talks and
	// gets rebuilt.
	for i, c := range next.others {
		if oc, ok := findContribution(old.others, c.entry); ok && oc.text == c.text {
			next.others[i].text = oc.text
			continue
		}
		next.others[i].text = ix.join(c.entry, c.text)
	}
	for _, oc := range old.others {
		if c, ok := findContribution(next.others, oc.entry); ok && c.text == oc.text {
			continue
		}
		ix.leave(oc.entry, oc.text)
	}

	if next.title != noEntry {
		weight := int32(min(max(t.TitleWeight, 1), math.MaxInt32))
		ix.setTitle(next.title, t.ID, weight, t.Title)
	}
	if old.title != noEntry && old.title != next.title {
		ix.unsetTitle(old.title, t.ID)
	}
	ix.talks[t.ID] = next
}

// appendContribution adds (e, text) unless e is noEntry or already there: a
// speaker listed twice, or a series named like no word at all.
func appendContribution(cs []contribution, e entryID, text string) []contribution {
	if e == noEntry {
		return cs
	}
	if _, ok := findContribution(cs, e); ok {
		return cs
	}
	return append(cs, contribution{entry: e, text: text})
}

func findContribution(cs []contribution, e entryID) (contribution, bool) {
	for _, c := range cs {
		if c.entry == e {
			return c, true
		}
	}
	return contribution{}, false
}

// Stats counts what the index holds.
type Stats struct {
	Talks    int `json:"talks"`
	Titles   int `json:"titles"`
	Speakers int `json:"speakers"`
	Series   int `json:"series"`
	Events   int `json:"events"`
	Words    int `json:"words"`    // distinct folded words
	Postings int `json:"postings"` // (word, entry) pairs
}

// Stats counts the talks, entries by kind and words the index holds.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := Stats{Talks: len(ix.talks), Words: len(ix.dict.ids)}
	for e, h := range ix.hot {
		if ix.entries[e].key == "" {
			continue // freed
		}
		switch h.kind {
		case titleKind:
			s.Titles++
		case speakerKind:
			s.Speakers++
		case seriesKind:
			s.Series++
		case eventKind:
			s.Events++
		}
	}
	for _, lists := range ix.dict.postings {
		for _, l := range lists {
			s.Postings += len(l.ids)
		}
	}
	return s
}
