package index

import (
	"strings"

	"github.com/abadojack/whatlanggo"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
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
		{defaultLanguage, en.AnalyzerName, whatlanggo.Eng},
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
	text := t.Title + ". " + t.Abstract
	if len([]rune(text)) < minDetectRunes {
		return langs[0]
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
