package index

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode"
)

// curatedSynonyms is the list of the field's synonyms and acronyms that
// ships with talkdex.
//
//go:embed synonyms.txt
var curatedSynonyms string

// maxSynonymEntryWords bounds an entry's length: matching tries every entry
// length at every word of a query, and nobody names a protocol in more words.
const maxSynonymEntryWords = 8

// synonyms maps a normalised entry (its words joined by one space) to the
// other entries of its sets.
//
// Why not Bleve's own synonym search (v2.5+, SynonymSource and
// IndexSynonym): its thesaurus maps one analysed term to other single terms
// and silently drops any entry that analyses to more than one token
// (document.analyzeSynonymTerm), while nearly every entry here is an acronym
// for a phrase ("bgp" / "border gateway protocol"). Its definitions also
// live inside the index, so a user's edit would need a reindex. Expanding at
// query time handles phrases, follows the user's file at the next start and
// costs nothing at index time.
type synonyms struct {
	alternatives map[string][]string
	longest      int // most words in any entry
}

// loadSynonyms reads the curated list and, when path is set and exists, the
// user's file, whose sets are added to the curated ones.
func loadSynonyms(path string) (*synonyms, error) {
	s := &synonyms{alternatives: map[string][]string{}}
	if err := s.read(strings.NewReader(curatedSynonyms), "built-in synonyms.txt"); err != nil {
		return nil, err
	}
	if path == "" {
		return s, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open synonyms file: %w", err)
	}
	defer f.Close()
	if err := s.read(f, path); err != nil {
		return nil, err
	}
	return s, nil
}

// read adds the sets of one file: one set a line, entries separated by
// commas, # starting a comment line.
func (s *synonyms) read(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var set []string
		for _, raw := range strings.Split(text, ",") {
			words := synonymWords(raw)
			if len(words) == 0 {
				continue
			}
			if len(words) > maxSynonymEntryWords {
				return fmt.Errorf("%s line %d: entry %q has more than %d words", name, line, strings.TrimSpace(raw), maxSynonymEntryWords)
			}
			set = append(set, strings.Join(words, " "))
		}
		if len(set) < 2 {
			return fmt.Errorf("%s line %d: a synonym set needs at least two entries separated by commas", name, line)
		}
		s.add(set)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}

// add records every entry of set as an alternative of every other one. An
// entry in several sets gets the alternatives of all of them.
func (s *synonyms) add(set []string) {
	for _, entry := range set {
		s.longest = max(s.longest, len(strings.Fields(entry)))
		for _, other := range set {
			if other != entry && !slices.Contains(s.alternatives[entry], other) {
				s.alternatives[entry] = append(s.alternatives[entry], other)
			}
		}
	}
}

// of returns the alternatives of an entry given as normalised words.
func (s *synonyms) of(words []string) []string {
	if s == nil {
		return nil
	}
	return s.alternatives[strings.Join(words, " ")]
}

// has reports whether words (normalised) form an entry.
func (s *synonyms) has(words []string) bool { return len(s.of(words)) > 0 }

// synonymWords normalises text for synonym matching: lower-case runs of
// letters and digits, so that "IS-IS", "is is" and "Is-Is" are the same.
func synonymWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
