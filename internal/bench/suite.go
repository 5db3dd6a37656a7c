// Package bench measures talkdex's search against the obvious alternative,
// SQLite FTS5 with bm25, on the same talks: a relevance suite of queries
// written the way people search from memory (`talkdex relevance`), and a
// benchmark of import, index size, search latency, HTTP throughput, memory
// and cold start on catalogs of N talks (`talkdex bench`).
package bench

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Catalog names a suite query may be written for.
const (
	CatalogDemo    = "demo"
	CatalogPyvideo = "pyvideo"
)

// Query kinds: what about the talk the searcher remembers.
const (
	KindTitle        = "title"         // some words of the title
	KindSpeakerTopic = "speaker+topic" // who gave it and what about
	KindTypo         = "typo"          // misspelled words
	KindPrefix       = "prefix"        // the last word cut short, as typed
	KindAbstract     = "abstract"      // words found only in the abstract
	KindPhrase       = "phrase"        // a "quoted phrase"
	KindSynonym      = "synonym"       // another word for the same thing
	KindAcronym      = "acronym"       // an acronym spelled out, or the reverse
	KindStemming     = "stemming"      // another form of the talk's words: "analyses", "routers"
	KindLanguage     = "language"      // a non-English talk searched in its language
	KindFilter       = "filter"        // words with a field filter: series:, year:, speaker:
)

// Kinds lists the query kinds in report order.
func Kinds() []string {
	return []string{KindTitle, KindSpeakerTopic, KindTypo, KindPrefix, KindAbstract, KindPhrase, KindSynonym, KindAcronym, KindStemming, KindLanguage, KindFilter}
}

// Query is one relevance case: a search and the talk that must come back in
// the top three, named by its source key (catalog.SourceKey), which stays
// the same however often the catalog is rebuilt. Title is for people
// reading the suite and the failures.
type Query struct {
	Catalog string `json:"catalog"`
	Kind    string `json:"kind"`
	Query   string `json:"query"`
	Want    string `json:"want"`
	Title   string `json:"title"`
}

//go:embed testdata/relevance.jsonl
var suiteJSONL []byte

// Suite returns the relevance suite kept in testdata/relevance.jsonl.
func Suite() ([]Query, error) {
	return ParseSuite(bytes.NewReader(suiteJSONL))
}

// ParseSuite reads relevance queries, one JSON object a line, and checks
// that each names a known catalog and kind, a query and a wanted talk.
func ParseSuite(r io.Reader) ([]Query, error) {
	var out []Query
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q Query
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("relevance suite line %d: %w", line, err)
		}
		if q.Catalog != CatalogDemo && q.Catalog != CatalogPyvideo {
			return nil, fmt.Errorf("relevance suite line %d: unknown catalog %q", line, q.Catalog)
		}
		if !slices.Contains(Kinds(), q.Kind) {
			return nil, fmt.Errorf("relevance suite line %d: unknown kind %q; use one of %s", line, q.Kind, strings.Join(Kinds(), ", "))
		}
		if strings.TrimSpace(q.Query) == "" || q.Want == "" {
			return nil, fmt.Errorf("relevance suite line %d: query and want are required", line)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read relevance suite: %w", err)
	}
	return out, nil
}

// ForCatalog keeps the queries written for one catalog.
func ForCatalog(queries []Query, name string) []Query {
	var out []Query
	for _, q := range queries {
		if q.Catalog == name {
			out = append(out, q)
		}
	}
	return out
}
