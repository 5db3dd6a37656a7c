package index

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"

	"github.com/talkdex/talkdex/internal/catalog"
)

// defaultLanguage analyses talks whose language is unknown or has no
// analyzer of its own: most of the catalog is English.
const defaultLanguage = "en"

// language is one language whose prose (title, abstract, note) gets its own
// stemming and stop words.
type language struct {
	code     string // ISO 639-1, as in catalog.Talk.Language
	analyzer string // Bleve analyzer name
	detect   whatlanggo.Lang
}

// languages lists the analysed languages, the default first. Every query
// word is analysed once per language (identical forms merge), so each
// language added costs some query time.
func languages() []language {
	return []language{
		{defaultLanguage, englishAnalyzer, whatlanggo.Eng},
		{"de", de.AnalyzerName, whatlanggo.Deu},
		{"es", es.AnalyzerName, whatlanggo.Spa},
		{"pt", pt.AnalyzerName, whatlanggo.Por},
		{"fr", fr.AnalyzerName, whatlanggo.Fra},
	}
}

// minDetectRunes is the least text worth running detection on: a title of
// a few words is too short to tell Spanish from Portuguese reliably.
const minDetectRunes = 40

// talkLanguage picks the language a talk's prose is analysed in: its
// Language field when that is one of languages(), else the language
// detected in its title and abstract when the detector is confident and
// the language is one of ours, else English.
func talkLanguage(t *catalog.Talk) language {
	langs := languages()
	if code := baseLanguageCode(t.Language); code != "" {
		for _, l := range langs {
			if l.code == code {
				return l
			}
		}
		return langs[0]
	}
	text := detectionText(t)
	if len([]rune(text)) < minDetectRunes {
		return langs[0]
	}
	// Counting stop words settles most talks at a fraction of the
	// detector's cost, which was most of a rebuild's time.
	if code, ok := stopWordLanguage(text); ok {
		for _, l := range langs {
			if l.code == code {
				return l
			}
		}
	}
	whitelist := make(map[whatlanggo.Lang]bool, len(langs))
	for _, l := range langs {
		whitelist[l.detect] = true
	}
	info := whatlanggo.DetectWithOptions(text, whatlanggo.Options{Whitelist: whitelist})
	if !info.IsReliable() {
		return langs[0]
	}
	for _, l := range langs {
		if l.detect == info.Lang {
			return l
		}
	}
	return langs[0]
}

// maxDetectBytes bounds the text detection reads: a title and the start of
// an abstract tell the language as well as a whole abstract, and the
// detector's cost grows with the text.
const maxDetectBytes = 400

// detectionText is the title and the start of the abstract, cut at a rune
// boundary.
func detectionText(t *catalog.Talk) string {
	text := t.Title + ". " + t.Abstract
	if len(text) <= maxDetectBytes {
		return text
	}
	cut := maxDetectBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

// stopWords maps a few of each language's most common words to the
// language. A word on two lists ("que", "das") tells nothing and is left
// out, so no decision depends on which list came last.
func stopWords() map[string]string {
	lists := []struct{ code, words string }{
		{"en", "the and of to is with for this that how are we our from on be"},
		{"de", "der die das und ist mit für wir ein eine nicht auch auf den dem wie"},
		{"es", "el los las del una con para por que es como más son sobre"},
		{"pt", "o os as do da dos das uma com para não que como são sobre em"},
		{"fr", "le les des une avec pour est dans que sur nous comment sont du"},
	}
	seen := map[string]int{}
	for _, l := range lists {
		for _, w := range strings.Fields(l.words) {
			seen[w]++
		}
	}
	words := map[string]string{}
	for _, l := range lists {
		for _, w := range strings.Fields(l.words) {
			if seen[w] == 1 {
				words[w] = l.code
			}
		}
	}
	return words
}

// stopWordLanguage decides a text's language by its stop words when one
// language clearly leads: at least three of its words and twice as many as
// any other. Otherwise it leaves the decision to the detector.
func stopWordLanguage(text string) (string, bool) {
	words := stopWordsOnce()
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if code, ok := words[w]; ok {
			counts[code]++
		}
	}
	best, second, code := 0, 0, ""
	for _, l := range languages() { // a fixed order: ties decide the same way every run
		switch n := counts[l.code]; {
		case n > best:
			best, second, code = n, best, l.code
		case n > second:
			second = n
		}
	}
	return code, best >= 3 && best >= 2*second
}

// baseLanguageCode reduces "de-DE", "pt_BR" or "EN" to "de", "pt", "en".
func baseLanguageCode(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return s
}

// docTypeFor is the document type of a talk in language l: one type per
// language, each analysing the prose fields with its language's analyzer
// under the same field names, so that one field holds every language's
// terms and queries need not know a talk's language.
func docTypeFor(l language) string {
	if l.code == defaultLanguage {
		return docType
	}
	return docType + "_" + l.code
}

// stopWordsOnce builds the stop-word table once; it never changes.
var stopWordsOnce = sync.OnceValue(stopWords)
