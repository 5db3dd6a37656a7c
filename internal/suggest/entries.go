package suggest

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxEntryWords bounds the words indexed for one entry: a title is a line,
// and a runaway one (an abstract pasted as the title) must not flood the
// postings with words nobody types to find it.
const maxEntryWords = 32

// noEntry stands for "no entry": a title or name without a single word.
const noEntry = entryID(math.MaxUint32)

// entry is one completion: a distinct title, speaker, series or event, told
// apart by its folded words, so spellings that differ only in case or
// accents ("Zoë Smith", "zoe smith") are one entry.
type entry struct {
	text   string    // what the suggestion shows
	key    string    // the entry's key in Index.keys
	tokens []tokenID // distinct words, in text order
	// firstSpan counts the tokens that spell the first word (2 when it
	// has a German spelling too), for the "first word matches" rank.
	firstSpan uint8
	variants  []variant  // speaker, series, event: spellings in use
	titles    []titleRef // title: the talks that bear it
}

// hotEntry is what ranking reads for every candidate, kept apart from entry
// so a scan over many candidates touches one small array.
type hotEntry struct {
	weight int32
	count  int32  // talks counted in
	length uint16 // runes of text, for "shorter first"
	kind   kindIndex
}

// variant is one spelling of a name and how many talks use it; the most
// used one is shown.
type variant struct {
	text  string
	talks int32
}

// titleRef is one talk bearing a title.
type titleRef struct {
	talk   int64
	weight int32
	text   string
}

// contribution is a talk's share in a speaker, series or event entry, with
// the spelling it brought (shared with the entry's variant).
type contribution struct {
	entry entryID
	text  string
}

// entryFor finds or creates the entry of a kind for text, or returns
// noEntry when the text has no words. A created entry counts no talk yet.
func (ix *Index) entryFor(k kindIndex, text string) entryID {
	words := ix.scratch.words[:0]
	foldWords(text, func(w, alt string) bool {
		words = append(words, w, alt)
		return true
	})
	ix.scratch.words = words
	if len(words) == 0 {
		return noEntry
	}
	key := append(ix.scratch.key[:0], byte('0'+k))
	for i := 0; i < len(words); i += 2 {
		key = append(key, ' ')
		key = append(key, words[i]...)
	}
	ix.scratch.key = key
	if e, ok := ix.keys[string(key)]; ok {
		return e
	}
	// The key holds every word, so long titles that differ late stay apart;
	// only the first maxEntryWords are indexed.
	return ix.createEntry(k, string(key), words[:min(len(words), 2*maxEntryWords)])
}

// createEntry indexes a new entry; words holds (word, German spelling or
// "") pairs.
func (ix *Index) createEntry(k kindIndex, key string, words []string) entryID {
	var e entryID
	if n := len(ix.freeEntries); n > 0 {
		e = ix.freeEntries[n-1]
		ix.freeEntries = ix.freeEntries[:n-1]
	} else {
		e = entryID(len(ix.entries))
		ix.entries = append(ix.entries, entry{})
		ix.hot = append(ix.hot, hotEntry{})
	}
	tokens := make([]tokenID, 0, len(words)/2+1)
	firstSpan := 0
	for i, w := range words {
		if w == "" {
			continue
		}
		id := ix.dict.token(w)
		if slices.Contains(tokens, id) {
			continue
		}
		first := i < 2 // words[0] and its German spelling words[1]
		ix.dict.add(id, e, k, first)
		tokens = append(tokens, id)
		if first {
			firstSpan = len(tokens)
		}
	}
	ix.entries[e] = entry{key: key, tokens: slices.Clip(tokens), firstSpan: uint8(firstSpan)}
	ix.hot[e] = hotEntry{kind: k}
	ix.keys[key] = e
	return e
}

func (ix *Index) deleteEntry(e entryID) {
	en := &ix.entries[e]
	for i, id := range en.tokens {
		ix.dict.remove(id, e, ix.hot[e].kind, i < int(en.firstSpan))
	}
	delete(ix.keys, ix.entries[e].key)
	ix.entries[e] = entry{}
	ix.hot[e] = hotEntry{}
	ix.freeEntries = append(ix.freeEntries, e)
}

// join counts one more talk into a speaker, series or event entry, spelled
// text, and returns the entry's copy of that spelling.
func (ix *Index) join(e entryID, text string) string {
	en := &ix.entries[e]
	i := slices.IndexFunc(en.variants, func(v variant) bool { return v.text == text })
	if i < 0 {
		// A clone, so the entry does not pin whatever buffer text came in.
		en.variants = append(en.variants, variant{text: strings.Clone(text)})
		i = len(en.variants) - 1
	}
	en.variants[i].talks++
	ix.hot[e].count++
	ix.refreshName(e)
	return en.variants[i].text
}

// leave takes a talk, spelled text, out of a speaker, series or event
// entry; the entry goes when no talk is left.
func (ix *Index) leave(e entryID, text string) {
	if ix.hot[e].count--; ix.hot[e].count <= 0 {
		ix.deleteEntry(e)
		return
	}
	en := &ix.entries[e]
	if i := slices.IndexFunc(en.variants, func(v variant) bool { return v.text == text }); i >= 0 {
		if en.variants[i].talks--; en.variants[i].talks <= 0 {
			en.variants = slices.Delete(en.variants, i, i+1)
		}
	}
	ix.refreshName(e)
}

// refreshName shows the spelling most talks use (the earliest on a tie) and
// weighs the entry by its talks.
func (ix *Index) refreshName(e entryID) {
	en := &ix.entries[e]
	best := 0
	for i, v := range en.variants {
		if v.talks > en.variants[best].talks {
			best = i
		}
	}
	ix.setText(e, en.variants[best].text)
	ix.hot[e].weight = ix.hot[e].count
}

// setTitle puts talk, with its weight and exact title, on a title entry.
func (ix *Index) setTitle(e entryID, talk int64, weight int32, text string) {
	en := &ix.entries[e]
	i := slices.IndexFunc(en.titles, func(r titleRef) bool { return r.talk == talk })
	if i < 0 {
		en.titles = append(en.titles, titleRef{talk: talk})
		i = len(en.titles) - 1
	}
	ref := &en.titles[i]
	ref.weight = weight
	if ref.text != text {
		ref.text = strings.Clone(text)
	}
	ix.refreshTitle(e)
}

// unsetTitle takes talk off a title entry; the entry goes with its last talk.
func (ix *Index) unsetTitle(e entryID, talk int64) {
	en := &ix.entries[e]
	if i := slices.IndexFunc(en.titles, func(r titleRef) bool { return r.talk == talk }); i >= 0 {
		en.titles = slices.Delete(en.titles, i, i+1)
	}
	if len(en.titles) == 0 {
		ix.deleteEntry(e)
		return
	}
	ix.refreshTitle(e)
}

// refreshTitle shows the title as its heaviest talk spells it (the newest on
// a tie) and weighs the entry by that talk.
func (ix *Index) refreshTitle(e entryID) {
	en := &ix.entries[e]
	best := bestTitle(en.titles)
	ix.setText(e, best.text)
	ix.hot[e].weight = best.weight
	ix.hot[e].count = int32(len(en.titles))
}

func bestTitle(refs []titleRef) titleRef {
	best := refs[0]
	for _, r := range refs[1:] {
		if r.weight > best.weight || r.weight == best.weight && r.talk > best.talk {
			best = r
		}
	}
	return best
}

func (ix *Index) setText(e entryID, text string) {
	ix.entries[e].text = text
	ix.hot[e].length = uint16(min(utf8.RuneCountInString(text), math.MaxUint16))
}
