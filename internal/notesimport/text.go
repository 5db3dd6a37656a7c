package notesimport

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/talkdex/talkdex/internal/editdist"
)

// foldText lower-cases s, strips accents and maps typographic quotes to the
// ASCII apostrophe, so that "Meta’s" and "Meta's" fold to the same text.
func foldText(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '’' || r == '‘' || r == '`' || r == '´' || r == 'ʼ':
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// words splits folded text into runs of letters and digits. A possessive
// "'s" is dropped and other apostrophes are joined ("don't" → "dont"), so
// that quoting style never changes the words.
func words(s string) []string {
	s = foldText(s)
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		case r == '\'' && len(cur) > 0:
			if i+1 < len(rs) && rs[i+1] == 's' && (i+2 == len(rs) || !isWordRune(rs[i+2])) {
				i++ // possessive: "meta's" is "meta"
				flush()
			}
			// otherwise an inner apostrophe: keep the word together
		default:
			flush()
		}
	}
	flush()
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// nameTokens splits words further at letter/digit boundaries, because event
// names glue editions and years to the series: "DENOG9" is "denog 9" and a
// heading may write it either way.
func nameTokens(s string) []string {
	var out []string
	for _, w := range words(s) {
		start := 0
		rs := []rune(w)
		for i := 1; i < len(rs); i++ {
			if unicode.IsDigit(rs[i]) != unicode.IsDigit(rs[i-1]) {
				out = append(out, string(rs[start:i]))
				start = i
			}
		}
		out = append(out, string(rs[start:]))
	}
	return out
}

// isStopWord reports words that carry no meaning for telling talks apart.
func isStopWord(w string) bool {
	switch w {
	case "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "with", "by", "from", "via", "into", "onto",
		"your", "you", "our", "we", "us", "is", "are", "be", "been", "was", "it", "its", "this", "that", "these", "those",
		"as", "about", "up", "out", "do", "does", "dont", "how", "what", "why", "when", "where", "who", "vs", "versus",
		"my", "i", "me", "not", "no", "yes", "so", "than", "then", "there", "their", "they", "them", "can", "will",
		"just", "new", "all", "any", "some", "more", "most", "video", "slides", "recording", "talk", "presentation", "part":
		return true
	}
	return false
}

// stem folds plurals only. Heavier stemming merges words that tell talks
// apart in this domain ("routing" vs "routes", "networking" vs "network").
func stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") && !strings.HasSuffix(w, "os"):
		return w[:n-1]
	}
	return w
}

// contentTokens are the stemmed words of s without stop words, in order.
func contentTokens(s string) []string {
	var out []string
	for _, w := range words(s) {
		if isStopWord(w) {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// similarWord accepts a typo in a long word. In a short word one letter is
// often the whole difference ("ipv4"/"ipv6", "bgp"/"bfd"), so only two
// swapped letters pass there ("netx" for "next").
func similarWord(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la < 4 || lb < 4 || la-lb > 2 || lb-la > 2 {
		return false // cheap exits: most pairs compared are far apart
	}
	n := min(len([]rune(a)), len([]rune(b)))
	switch {
	case n >= 9:
		return editdist.Distance(a, b) <= 2
	case n >= 5:
		return editdist.Distance(a, b) <= 1
	case n >= 4:
		return len(a) == len(b) && editdist.Distance(a, b) == 1 && sameLetters(a, b)
	}
	return false
}

// sameLetters reports whether a and b are anagrams.
func sameLetters(a, b string) bool {
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// trigramDice is the Dice coefficient of two strings' character trigrams
// (see trigrams): it catches typos and spacing that token comparison
// misses.
func trigramDice(ta, tb map[string]int) float64 {
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	common := 0
	for g, n := range ta {
		common += min(n, tb[g])
	}
	total := 0
	for _, n := range ta {
		total += n
	}
	for _, n := range tb {
		total += n
	}
	return 2 * float64(common) / float64(total)
}

func trigrams(s string) map[string]int {
	rs := []rune(" " + s + " ")
	m := map[string]int{}
	for i := 0; i+3 <= len(rs); i++ {
		m[string(rs[i:i+3])]++
	}
	return m
}
