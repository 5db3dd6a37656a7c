package catalog

// PlainSpelling is how people type a letter that carries no separable
// accent (Unicode decomposition leaves it whole) on an English keyboard:
// "ss" for ß, "o" for ø, "l" for ł. It is "" for any other rune. Search and
// completion fold names and words with it, so that "Weiß" is found as
// "weiss" and "Łukasz" as "lukasz".
func PlainSpelling(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'đ', 'ð':
		return "d"
	case 'þ':
		return "th"
	case 'ı':
		return "i"
	case 'ħ':
		return "h"
	}
	return ""
}
