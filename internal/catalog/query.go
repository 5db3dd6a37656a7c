package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query syntax users write, shared by the index and by the database's
// answer while the index is rebuilt, so that both read a query the same
// way and refuse the same mistakes.

// Limits on user queries: they bound the work one request can cause.
const (
	MaxQueryChars = 1000
	MaxClauses    = 32
)

// Query field prefixes users may write, e.g. speaker:huston.
const (
	PrefixTitle    = "title"
	PrefixSpeaker  = "speaker"
	PrefixAbstract = "abstract"
	PrefixNote     = "note"
	PrefixTag      = "tag"
	PrefixSeries   = "series"
	PrefixEvent    = "event"
	PrefixYear     = "year"
	PrefixRating   = "rating"
	PrefixMyTag    = "mytag"
)

// OrWord joins two clauses into alternatives, as in "bgp OR ospf". Only the
// upper-case word is the operator: a lower-case "or" is a (stop) word.
const OrWord = "OR"

// Bounds of the numeric prefixes' values.
const (
	MinYear = 1
	MaxYear = 9999
)

// QueryPrefixes lists the prefixes in the order error messages suggest them.
func QueryPrefixes() []string {
	return []string{PrefixTitle, PrefixSpeaker, PrefixAbstract, PrefixNote, PrefixTag, PrefixSeries, PrefixEvent, PrefixYear, PrefixRating, PrefixMyTag}
}

// QueryClause is one term of a user query: a word or a phrase, optionally
// limited to one field, that must or must not match.
type QueryClause struct {
	Exclude bool   // written with a leading '-'
	Or      bool   // joined to the clause before it by OR
	Field   string // a query prefix such as "speaker"; "" for all text fields
	Text    string
	Phrase  bool
	Lo, Hi  int // the inclusive bounds of a year: or rating: clause
}

// IsNumeric reports a year: or rating: clause, which matches a range of
// numbers rather than text.
func (c QueryClause) IsNumeric() bool { return c.Field == PrefixYear || c.Field == PrefixRating }

// ParseQuery splits a user query into clauses. The syntax is deliberately
// small: bare words, "phrases", +must, -not, OR between two clauses, and the
// prefixes of QueryPrefixes, each taking a word or a "phrase" (year: and
// rating: take a number or a range: 2019..2023, >=4, <3). Every other
// character is plain text, so no input can reach Bleve as a wildcard,
// regexp, fuzzy or boost operator. Errors are EINVALID and say where the
// problem is.
func ParseQuery(q string) ([]QueryClause, error) {
	if n := utf8.RuneCountInString(q); n > MaxQueryChars {
		return nil, Errorf(EINVALID, "query is %d characters long; the limit is %d", n, MaxQueryChars)
	}
	rs := []rune(q)
	var clauses []QueryClause
	i := 0
	orAt := 0 // 1-based position of an OR waiting for its right-hand QueryClause
	for {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i >= len(rs) {
			if orAt > 0 {
				return nil, Errorf(EINVALID, "%s at character %d needs a word or \"phrase\" after it", OrWord, orAt)
			}
			return clauses, nil
		}
		if isOrWord(rs, i) {
			if orAt > 0 || len(clauses) == 0 || clauses[len(clauses)-1].Exclude {
				return nil, Errorf(EINVALID, "%s at character %d needs a word or \"phrase\" on each side (and cannot join a -word)", OrWord, i+1)
			}
			orAt = i + 1
			i += len(OrWord)
			continue
		}
		if len(clauses) == MaxClauses {
			return nil, Errorf(EINVALID, "query has more than %d words, phrases and fields; remove some", MaxClauses)
		}

		var c QueryClause
		if rs[i] == '-' || rs[i] == '+' {
			c.Exclude = rs[i] == '-'
			if i+1 >= len(rs) || unicode.IsSpace(rs[i+1]) {
				return nil, Errorf(EINVALID, "%q at character %d needs a word or \"phrase\" right after it", string(rs[i]), i+1)
			}
			i++
		}

		fieldStart := i
		if colon := prefixEnd(rs, i); colon > 0 {
			name := strings.ToLower(string(rs[i:colon]))
			if !isQueryPrefix(name) {
				return nil, Errorf(EINVALID, "unknown field %q at character %d; use %s (put other text containing a colon in quotes)",
					string(rs[i:colon+1]), i+1, prefixList())
			}
			c.Field = name
			i = colon + 1
			if i >= len(rs) || unicode.IsSpace(rs[i]) {
				return nil, Errorf(EINVALID, "field %s: at character %d has no value; write e.g. %s:word or %s:\"two words\"",
					name, fieldStart+1, name, name)
			}
		}

		if rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end >= len(rs) {
				return nil, Errorf(EINVALID, "unterminated quote: the \" at character %d has no closing \"", i+1)
			}
			c.Text, c.Phrase = string(rs[i+1:end]), true
			if c.Field != "" && strings.TrimSpace(c.Text) == "" {
				return nil, Errorf(EINVALID, "field %s: at character %d has an empty value", c.Field, fieldStart+1)
			}
			i = end + 1
		} else {
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && rs[end] != '"' {
				end++
			}
			c.Text = string(rs[i:end])
			i = end
		}

		if c.IsNumeric() {
			lo, hi, err := parseNumbers(c.Field, strings.TrimSpace(c.Text), fieldStart+1)
			if err != nil {
				return nil, err
			}
			c.Lo, c.Hi = lo, hi
		}
		if orAt > 0 {
			if c.Exclude {
				return nil, Errorf(EINVALID, "%s at character %d cannot join a -word; write the exclusion apart", OrWord, orAt)
			}
			c.Or, orAt = true, 0
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
	for _, p := range QueryPrefixes() {
		if p == name {
			return true
		}
	}
	return false
}

// prefixList renders "title:, speaker:, … or year:" for error messages.
func prefixList() string {
	ps := QueryPrefixes()
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p + ":"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// isOrWord reports an OR operator at i: the upper-case word standing alone.
func isOrWord(rs []rune, i int) bool {
	end := i + len(OrWord)
	return end <= len(rs) && string(rs[i:end]) == OrWord && (end == len(rs) || unicode.IsSpace(rs[end]))
}

// parseNumbers reads the value of a year: or rating: QueryClause starting at
// character at: a number (year:2019), a range (year:2019..2023, open at
// either end) or a comparison (rating:>=4, rating:<3). It returns the
// inclusive bounds.
func parseNumbers(field, text string, at int) (lo, hi int, err error) {
	lowest, highest := MinYear, MaxYear
	example := "year:2019, year:2019..2023 or year:>=2019"
	if field == PrefixRating {
		lowest, highest = MinStars, MaxStars
		example = "rating:4, rating:>=4 or rating:2..4"
	}
	bad := func(why string) error {
		return Errorf(EINVALID, "%s:%s at character %d %s; write e.g. %s", field, text, at, why, example)
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
