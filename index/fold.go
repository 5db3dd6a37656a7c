package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/talkdex/talkdex/internal/catalog"
)

// foldFilterType is the Bleve token filter that folds letters to their
// unaccented form: "Čermák" is found as "cermak", "Weiß" as "weiss". People
// type names and words of other languages without their diacritics, and a
// name of two accented letters is too far from its plain spelling for typo
// tolerance to bridge. The token keeps its offsets, so highlights still mark
// the accented original.
const foldFilterType = "talkdex_fold"

func init() {
	// Bleve builds analyzers from components it looks up by name in its
	// process-wide registry, also when it reopens an index; registering a
	// component there, once, is how Bleve is extended.
	if err := registry.RegisterTokenFilter(foldFilterType, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// foldFilter folds every token with foldText; it runs after lower-casing.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, token := range input {
		if mayFold(token.Term) {
			token.Term = []byte(foldText(string(token.Term)))
		}
	}
	return input
}

// mayFold reports whether foldText could change term. Most words are
// plain ASCII, and most others (Cyrillic, Greek, Chinese) are already in
// both normal forms with no mark or special letter: for them folding is a
// no-op that would still build a chain of transformers, a fifth of the
// analysis time of a catalog with many such talks.
func mayFold(term []byte) bool {
	if isASCII(term) {
		return false
	}
	if norm.NFD.QuickSpan(term) != len(term) || norm.NFC.QuickSpan(term) != len(term) {
		return true
	}
	for i := 0; i < len(term); {
		r, size := utf8.DecodeRune(term[i:])
		if r == utf8.RuneError || unicode.Is(unicode.Mn, r) || catalog.PlainSpelling(r) != "" {
			return true
		}
		i += size
	}
	return false
}

// foldText returns s with its letters' diacritics removed: decomposed
// (NFD), the combining marks dropped, and the letters that do not decompose
// replaced by their usual spelling.
func foldText(s string) string {
	stripped, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	var b strings.Builder
	for _, r := range stripped {
		if spelled := catalog.PlainSpelling(r); spelled != "" {
			b.WriteString(spelled)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
