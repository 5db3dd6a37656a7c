package index

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Limits on user queries: they bound the work one request can cause.
const (
	maxQueryChars = 1000
	maxClauses    = 32
)

// Query field prefixes users may write, e.g. speaker:huston.
const (
	prefixTitle    = "title"
	prefixSpeaker  = "speaker"
	prefixAbstract = "abstract"
	prefixNote     = "note"
	prefixTag      = "tag"
	prefixSeries   = "series"
	prefixEvent    = "event"
	prefixYear     = "year"
	prefixRating   = "rating"
	prefixMyTag    = "mytag"
)

// orWord joins two clauses into alternatives, as in "bgp OR ospf". Only the
// upper-case word is the operator: a lower-case "or" is a (stop) word.
const orWord = "OR"

// Bounds of the numeric prefixes' values.
const (
	minYear = 1
	maxYear = 9999
)

// queryPrefixes lists the prefixes in the order error messages suggest them.
func queryPrefixes() []string {
	return []string{prefixTitle, prefixSpeaker, prefixAbstract, prefixNote, prefixTag, prefixSeries, prefixEvent, prefixYear, prefixRating, prefixMyTag}
}

// clause is one term of a user query: a word or a phrase, optionally limited
// to one field, that must or must not match.
type clause struct {
	exclude bool   // written with a leading '-'
	or      bool   // joined to the clause before it by OR
	field   string // a query prefix such as "speaker"; "" for all text fields
	text    string
	phrase  bool
	lo, hi  int // the inclusive bounds of a year: or rating: clause
}

// isNumeric reports a year: or rating: clause, which matches a range of
// numbers rather than text.
func (c clause) isNumeric() bool { return c.field == prefixYear || c.field == prefixRating }

// parseQuery splits a user query into clauses. The syntax is deliberately
// small: bare words, "phrases", +must, -not, OR between two clauses, and the
// prefixes of queryPrefixes, each taking a word or a "phrase" (year: and
// rating: take a number or a range: 2019..2023, >=4, <3). Every other
// character is plain text, so no input can reach Bleve as a wildcard,
// regexp, fuzzy or boost operator. Errors are EINVALID and say where the
// problem is.
func parseQuery(q string) ([]clause, error) {
	if n := utf8.RuneCountInString(q); n > maxQueryChars {
		return nil, catalog.Errorf(catalog.EINVALID, "query is %d characters long; the limit is %d", n, maxQueryChars)
	}
	rs := []rune(q)
	var clauses []clause
	i := 0
	orAt := 0 // 1-based position of an OR waiting for its right-hand clause
	for {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i >= len(rs) {
			if orAt > 0 {
				return nil, catalog.Errorf(catalog.EINVALID, "%s at character %d needs a word or \"phrase\" after it", orWord, orAt)
			}
			return clauses, nil
		}
		if isOrWord(rs, i) {
			if orAt > 0 || len(clauses) == 0 || clauses[len(clauses)-1].exclude {
				return nil, catalog.Errorf(catalog.EINVALID, "%s at character %d needs a word or \"phrase\" on each side (and cannot join a -word)", orWord, i+1)
			}
			orAt = i + 1
			i += len(orWord)
			continue
		}
		if len(clauses) == maxClauses {
			return nil, catalog.Errorf(catalog.EINVALID, "query has more than %d words, phrases and fields; remove some", maxClauses)
		}

		var c clause
		if rs[i] == '-' || rs[i] == '+' {
			c.exclude = rs[i] == '-'
			if i+1 >= len(rs) || unicode.IsSpace(rs[i+1]) {
				return nil, catalog.Errorf(catalog.EINVALID, "%q at character %d needs a word or \"phrase\" right after it", string(rs[i]), i+1)
			}
			i++
		}

		fieldStart := i
		if colon := prefixEnd(rs, i); colon > 0 {
			name := strings.ToLower(string(rs[i:colon]))
			if !isQueryPrefix(name) {
				return nil, catalog.Errorf(catalog.EINVALID, "unknown field %q at character %d; use %s (put other text containing a colon in quotes)",
					string(rs[i:colon+1]), i+1, prefixList())
			}
			c.field = name
			i = colon + 1
			if i >= len(rs) || unicode.IsSpace(rs[i]) {
				return nil, catalog.Errorf(catalog.EINVALID, "field %s: at character %d has no value; write e.g. %s:word or %s:\"two words\"",
					name, fieldStart+1, name, name)
			}
		}

		if rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end >= len(rs) {
				return nil, catalog.Errorf(catalog.EINVALID, "unterminated quote: the \" at character %d has no closing \"", i+1)
			}
			c.text, c.phrase = string(rs[i+1:end]), true
			if c.field != "" && strings.TrimSpace(c.text) == "" {
				return nil, catalog.Errorf(catalog.EINVALID, "field %s: at character %d has an empty value", c.field, fieldStart+1)
			}
			i = end + 1
		} else {
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && rs[end] != '"' {
				end++
			}
			c.text = string(rs[i:end])
			i = end
		}

		if c.isNumeric() {
			lo, hi, err := parseNumbers(c.field, strings.TrimSpace(c.text), fieldStart+1)
			if err != nil {
				return nil, err
			}
			c.lo, c.hi = lo, hi
		}
		if orAt > 0 {
			if c.exclude {
				return nil, catalog.Errorf(catalog.EINVALID, "%s at character %d cannot join a -word; write the exclusion apart", orWord, orAt)
			}
			c.or, orAt = true, 0
		}
		clauses = append(clauses, c)
	}
}

// prefixEnd returns the index of the colon ending a field prefix that starts
// at i (letters only, then ':'), or -1 if there is none. Text such as
// "10:30" or "ipv6:" is not a prefix and stays plain text.
func prefixEnd(rs []rune, i int) int {
	j := i
	for j < len(rs) && unicode.IsLetter(rs[j]) {
		j++
	}
	if j == i || j >= len(rs) || rs[j] != ':' {
		return -1
	}
	return j
}

func isQueryPrefix(name string) bool {
	for _, p := range queryPrefixes() {
		if p == name {
			return true
		}
	}
	return false
}

// prefixList renders "title:, speaker:, … or year:" for error messages.
func prefixList() string {
	ps := queryPrefixes()
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p + ":"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// isOrWord reports an OR operator at i: the upper-case word standing alone.
func isOrWord(rs []rune, i int) bool {
	end := i + len(orWord)
	return end <= len(rs) && string(rs[i:end]) == orWord && (end == len(rs) || unicode.IsSpace(rs[end]))
}

// parseNumbers reads the value of a year: or rating: clause starting at
// character at: a number (year:2019), a range (year:2019..2023, open at
// either end) or a comparison (rating:>=4, rating:<3). It returns the
// inclusive bounds.
func parseNumbers(field, text string, at int) (lo, hi int, err error) {
	lowest, highest := minYear, maxYear
	example := "year:2019, year:2019..2023 or year:>=2019"
	if field == prefixRating {
		lowest, highest = catalog.MinStars, catalog.MaxStars
		example = "rating:4, rating:>=4 or rating:2..4"
	}
	bad := func(why string) error {
		return catalog.Errorf(catalog.EINVALID, "%s:%s at character %d %s; write e.g. %s", field, text, at, why, example)
	}
	number := func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || strings.ContainsAny(s, "+-") {
			return 0, bad("is not a number or a range")
		}
		return n, nil
	}

	lo, hi = lowest, highest
	switch {
	case strings.Contains(text, ".."):
		from, to, _ := strings.Cut(text, "..")
		if from == "" && to == "" {
			return 0, 0, bad("has a range without bounds")
		}
		if from != "" {
			if lo, err = number(from); err != nil {
				return 0, 0, err
			}
		}
		if to != "" {
			if hi, err = number(to); err != nil {
				return 0, 0, err
			}
		}
		if from != "" && to != "" && lo > hi {
			return 0, 0, bad("is an empty range (put the lower bound first)")
		}
	case strings.HasPrefix(text, ">="), strings.HasPrefix(text, "<="):
		n, err := number(text[2:])
		if err != nil {
			return 0, 0, err
		}
		if text[0] == '>' {
			lo = n
		} else {
			hi = n
		}
	case strings.HasPrefix(text, ">"), strings.HasPrefix(text, "<"):
		n, err := number(text[1:])
		if err != nil {
			return 0, 0, err
		}
		if text[0] == '>' {
			lo = n + 1
		} else {
			hi = n - 1
		}
	default:
		n, err := number(text)
		if err != nil {
			return 0, 0, err
		}
		lo, hi = n, n
	}
	if lo < lowest || hi > highest || lo > hi {
		return 0, 0, bad(fmt.Sprintf("is out of range: %ss go from %d to %d", field, lowest, highest))
	}
	return lo, hi, nil
}
