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

// clause is one term of a user query (catalog.QueryClause).
type clause = catalog.QueryClause

// parseQuery parses a user query (see catalog.ParseQuery); no clauses is nil.
func parseQuery(q string) ([]clause, error) {
	parsed, err := catalog.ParseQuery(q)
	if err != nil || len(parsed) == 0 {
		return nil, err
	}
	return parsed, nil
}
