package index

import "github.com/talkdex/talkdex/internal/catalog"

// The query syntax is catalog's (catalog.ParseQuery); these are its field
// prefixes under the names the compiler uses.
const (
	prefixTitle    = catalog.PrefixTitle
	prefixSpeaker  = catalog.PrefixSpeaker
	prefixAbstract = catalog.PrefixAbstract
	prefixNote     = catalog.PrefixNote
	prefixTag      = catalog.PrefixTag
	prefixSeries   = catalog.PrefixSeries
	prefixEvent    = catalog.PrefixEvent
	prefixYear     = catalog.PrefixYear
	prefixRating   = catalog.PrefixRating
	prefixMyTag    = catalog.PrefixMyTag
	maxClauses     = catalog.MaxClauses
)

// clause is one term of a user query, as the compiler reads it.
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

// parseQuery parses a user query (see catalog.ParseQuery).
func parseQuery(q string) ([]clause, error) {
	parsed, err := catalog.ParseQuery(q)
	if err != nil || len(parsed) == 0 {
		return nil, err
	}
	clauses := make([]clause, len(parsed))
	for i, c := range parsed {
		clauses[i] = clause{exclude: c.Exclude, or: c.Or, field: c.Field, text: c.Text, phrase: c.Phrase, lo: c.Lo, hi: c.Hi}
	}
	return clauses, nil
}
