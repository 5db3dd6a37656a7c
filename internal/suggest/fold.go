package suggest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/talkdex/talkdex/internal/catalog"
)

// combiningDiaeresis is what NFKD splits off ä, ö and ü (and ë, ï, ÿ).
const combiningDiaeresis = '\u0308'

// foldWords splits s into lower-case words stripped of accents, the form in
// which both entries and queries are matched, so that "Zoë", "ZOE" and
// "zoe" meet. Anything that is neither a letter nor a digit separates words.
// For a word with ä, ö or ü, emit also gets the German spelling with ae, oe,
// ue ("Müller" gives "muller" and "mueller"), because that is how people
// type such names on keyboards without umlauts; alt is "" otherwise. emit
// returns false to stop early, which bounds the work on hostile input.
func foldWords(s string, emit func(word, alt string) bool) {
	if isASCII(s) {
		foldASCII(s, emit)
		return
	}
	// NFKD separates base letters from their accents, and also unpacks
	// compatibility forms (ligatures such as "ﬁ", full-width letters).
	s = norm.NFKD.String(s)
	var word, alt strings.Builder
	umlaut := false
	var prev rune
	flush := func() bool {
		if word.Len() == 0 {
			return true
		}
		a := ""
		if umlaut {
			a = alt.String()
		}
		ok := emit(word.String(), a)
		word.Reset()
		alt.Reset()
		umlaut = false
		return ok
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			// An accent stays inside its word; only a diaeresis on a, o
			// or u leaves a trace, in the German spelling.
			if r == combiningDiaeresis && word.Len() > 0 && (prev == 'a' || prev == 'o' || prev == 'u') {
				alt.WriteByte('e')
				umlaut = true
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if repl := catalog.PlainSpelling(r); repl != "" {
				word.WriteString(repl)
				alt.WriteString(repl)
			} else {
				word.WriteRune(r)
				alt.WriteRune(r)
			}
			prev = r
		default:
			if !flush() {
				return
			}
			prev = 0
		}
	}
	flush()
}

// foldASCII is foldWords for pure ASCII text, most titles and names, which
// needs neither normalisation nor a builder per word.
func foldASCII(s string, emit func(word, alt string) bool) {
	start := -1
	lower := true // s[start:i] is already lower case
	for i := 0; i <= len(s); i++ {
		var c byte
		if i < len(s) {
			c = s[i]
		}
		isWordByte := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
		if isWordByte {
			if start < 0 {
				start, lower = i, true
			}
			if c >= 'A' && c <= 'Z' {
				lower = false
			}
			continue
		}
		if start >= 0 {
			w := s[start:i]
			if !lower {
				w = strings.ToLower(w)
			}
			if !emit(w, "") {
				return
			}
			start = -1
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
