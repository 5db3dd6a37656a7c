package bench

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Kinds of benchmark query.
const (
	MixTerm    = "term"
	MixTerms   = "terms"
	MixPhrase  = "phrase"
	MixTypo    = "typo"
	MixPrefix  = "prefix"
	MixFilter  = "filter"
	MixSpeaker = "speaker"
	MixExclude = "exclude"
)

// MixKinds lists the benchmark's query kinds in report order.
func MixKinds() []string {
	return []string{MixTerm, MixTerms, MixPhrase, MixTypo, MixPrefix, MixFilter, MixSpeaker, MixExclude}
}

// MixedQuery is one benchmark search, run on both engines.
type MixedQuery struct {
	Kind   string `json:"kind"`
	Text   string `json:"q"`
	Series string `json:"series,omitempty"`
	Year   int    `json:"year,omitempty"`
}

// MixedQueries draws n distinct searches from the talks' own titles and
// speakers, in equal parts of each kind: distinct, because the index caches
// facets per query and repeats would flatter it.
func MixedQueries(talks []*catalog.Talk, n int, seed uint64) []MixedQuery {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	kinds := MixKinds()
	seen := map[MixedQuery]bool{}
	var out []MixedQuery
	for attempts := 0; len(out) < n && attempts < 50*n+1000 && len(talks) > 0; attempts++ {
		t := talks[rng.IntN(len(talks))]
		q, ok := mixedQuery(rng, kinds[len(out)%len(kinds)], t)
		if ok && !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

func mixedQuery(rng *rand.Rand, kind string, t *catalog.Talk) (MixedQuery, bool) {
	words := contentWords(t.Title)
	if len(words) == 0 {
		return MixedQuery{}, false
	}
	w := words[rng.IntN(len(words))]
	q := MixedQuery{Kind: kind}
	switch kind {
	case MixTerm:
		q.Text = w
	case MixTerms:
		if len(words) < 2 {
			return q, false
		}
		i := rng.IntN(len(words) - 1)
		q.Text = words[i] + " " + words[i+1+rng.IntN(len(words)-i-1)]
	case MixPhrase:
		if len(words) < 2 {
			return q, false
		}
		i := rng.IntN(len(words) - 1)
		q.Text = `"` + words[i] + " " + words[i+1] + `"`
	case MixTypo:
		typo, ok := misspell(rng, w)
		if !ok {
			return q, false
		}
		q.Text = typo
	case MixPrefix:
		n := utf8.RuneCountInString(w)
		if n < 5 {
			return q, false
		}
		q.Text = string([]rune(w)[:(n*3+4)/5])
	case MixFilter:
		q.Text, q.Series = w, t.Series
		if rng.IntN(2) == 0 {
			q.Year = t.Year
		}
	case MixSpeaker:
		if len(t.Speakers) == 0 {
			return q, false
		}
		names := contentWords(t.Speakers[0].Name)
		if len(names) == 0 {
			return q, false
		}
		q.Text = "speaker:" + names[len(names)-1] + " " + w
	case MixExclude:
		other := words[rng.IntN(len(words))]
		if other == w {
			return q, false
		}
		q.Text = w + " -" + other
	}
	return q, true
}

// contentWords are a text's lower-cased words of four letters or more,
// which are rarely stop words.
func contentWords(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(f) >= 4 {
			out = append(out, f)
		}
	}
	return out
}

// misspell swaps two neighbouring letters after the first of a word of
// five or more: one typo of the kind talkdex is meant to forgive.
func misspell(rng *rand.Rand, w string) (string, bool) {
	rs := []rune(w)
	if len(rs) < 5 {
		return "", false
	}
	i := 1 + rng.IntN(len(rs)-2)
	if rs[i] == rs[i+1] {
		return "", false
	}
	rs[i], rs[i+1] = rs[i+1], rs[i]
	return string(rs), true
}

// request is q as a talkdex search.
func (q MixedQuery) request(perPage int) catalog.SearchRequest {
	req := catalog.SearchRequest{Query: q.Text, PerPage: perPage}
	if q.Series != "" {
		req.Filter.Series = []string{q.Series}
	}
	if q.Year != 0 {
		req.Filter.Year = []int{q.Year}
	}
	return req
}
