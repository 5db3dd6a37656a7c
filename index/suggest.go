package index

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/talkdex/talkdex/internal/catalog"
)

// fewHits is the total below which a search offers "did you mean".
const fewHits = 3

// suggestEdits is how far a suggestion may be from a typed word. It is one
// edit more lenient than typo matching (typoEdits), because a suggestion is
// only shown, never silently applied: "rdna" (too short to be corrected
// while searching) is offered as "rdma".
func suggestEdits(word string) int {
	switch n := utf8Len(word); {
	case n >= 7:
		return 2
	case n >= 3:
		return 1
	default:
		return 0
	}
}

// didYouMean rewrites the query with each positive word that has a far
// more common neighbour in the index replaced by it, and returns the
// rewrite if it matches more talks than the query did (total); "" if not.
// Callers hold mu.
func (ix *Index) didYouMean(ctx context.Context, dict *dictionary, clauses []clause, filter query.Query, total int) (string, error) {
	rewritten := make([]clause, len(clauses))
	copy(rewritten, clauses)
	changed := false
	for i, c := range rewritten {
		if c.Exclude || c.Phrase || c.IsNumeric() {
			continue
		}
		word, ok := singleWord(ix.bi.Mapping(), c.Text)
		if !ok || word != strings.ToLower(c.Text) {
			continue // only plain words, whose rewrite reads as typed
		}
		fixes := dict.corrections(word, suggestEdits(word))
		if len(fixes) == 0 {
			continue
		}
		rewritten[i].Text = fixes[0].term
		changed = true
	}
	if dict.err != nil {
		return "", fmt.Errorf("suggest a correction: %w", dict.err)
	}
	if !changed {
		return "", nil
	}
	comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms}
	top, _ := comp.compile(rewritten)
	restrict(top, filter)
	res, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(top, 0, 0, false))
	if err != nil {
		return "", fmt.Errorf("count the suggested query's hits: %w", err)
	}
	if int(res.Total) <= total {
		return "", nil
	}
	return renderQuery(rewritten), nil
}

// renderQuery writes clauses back in the query syntax.
func renderQuery(clauses []clause) string {
	var b strings.Builder
	for i, c := range clauses {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.Or {
			b.WriteString(catalog.OrWord + " ")
		}
		if c.Exclude {
			b.WriteByte('-')
		}
		if c.Field != "" {
			b.WriteString(c.Field + ":")
		}
		switch {
		case c.IsNumeric():
			b.WriteString(renderRange(c))
		case c.Phrase:
			b.WriteString(`"` + c.Text + `"`)
		default:
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

func renderRange(c clause) string {
	if c.Lo == c.Hi {
		return strconv.Itoa(c.Lo)
	}
	return strconv.Itoa(c.Lo) + ".." + strconv.Itoa(c.Hi)
}
