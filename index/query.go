package index

import (
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
	prefixMyTag    = "mytag"
)

// queryPrefixes lists the prefixes in the order error messages suggest them.
func queryPrefixes() []string {
	return []string{prefixTitle, prefixSpeaker, prefixAbstract, prefixNote, prefixTag, prefixSeries, prefixEvent, prefixYear, prefixMyTag}
}

// clause is one term of a user query: a word or a phrase, optionally limited
// to one field, that must or must not match.
type clause struct {
	exclude bool   // written with a leading '-'
	field   string // a query prefix such as "speaker"; "" for all text fields
	text    string
	phrase  bool
	year    int // the value of a year: clause
}

// parseQuery splits a user query into clauses. The syntax is deliberately
// small: bare words, "phrases", +must, -not and the prefixes of
// queryPrefixes, each taking a word or a "phrase". Every other character is
// plain text, so no input can reach Bleve as a wildcard, regexp, fuzzy or
// boost operator. Errors are EINVALID and say where the problem is.
func parseQuery(q string) ([]clause, error) {
	if n := utf8.RuneCountInString(q); n > maxQueryChars {
		return nil, catalog.Errorf(catalog.EINVALID, "query is %d characters long; the limit is %d", n, maxQueryChars)
	}
	rs := []rune(q)
	var clauses []clause
	i := 0
	for {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i >= len(rs) {
			return clauses, nil
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

		if c.field == prefixYear {
			year, err := strconv.Atoi(strings.TrimSpace(c.text))
			if err != nil || year < 1 {
				return nil, catalog.Errorf(catalog.EINVALID, "year:%s is not a year; write e.g. year:2019", c.text)
			}
			c.year = year
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
