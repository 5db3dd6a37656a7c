package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/sqlite"
)

// Outcome is how both engines ranked one query's wanted talk.
type Outcome struct {
	Query
	// TalkdexRank and FTS5Rank are 1-based; 0 means not in the first
	// RankDepth hits.
	TalkdexRank int `json:"talkdex_rank"`
	FTS5Rank    int `json:"fts5_rank"`
	// TalkdexTop and FTS5Top are the titles of the first three hits, to see
	// what came back instead.
	TalkdexTop []string `json:"talkdex_top"`
	FTS5Top    []string `json:"fts5_top"`
	// TalkdexError is set when talkdex refused the query (an EINVALID
	// syntax error); the query then counts as not found. FTS5Error likewise.
	TalkdexError string `json:"talkdex_error,omitempty"`
	FTS5Error    string `json:"fts5_error,omitempty"`
}

// KindScores compares the engines on one kind of query (or "overall").
type KindScores struct {
	Kind    string `json:"kind"`
	Talkdex Scores `json:"talkdex"`
	FTS5    Scores `json:"fts5"`
}

// RelevanceReport is the suite's result on one catalog.
type RelevanceReport struct {
	Catalog  string       `json:"catalog"`
	Talks    int          `json:"talks"`
	Kinds    []KindScores `json:"kinds"`
	Overall  KindScores   `json:"overall"`
	Failures []Outcome    `json:"failures"` // wanted talk not in talkdex's or FTS5's top 3
	Outcomes []Outcome    `json:"-"`
}

// RunRelevance runs every query through talkdex's search and through the
// FTS5 baseline over the same talks, and scores where the wanted talk
// ranked. A hit counts as the wanted talk when its source key, with any
// replica suffix removed (see Replicate), is the wanted key.
func RunRelevance(ctx context.Context, b *Built, name string, queries []Query) (*RelevanceReport, error) {
	rep := &RelevanceReport{Catalog: name, Talks: b.Talks}
	for _, q := range queries {
		o, err := runOne(ctx, b, q)
		if err != nil {
			return nil, err
		}
		rep.Outcomes = append(rep.Outcomes, o)
		if o.TalkdexRank < 1 || o.TalkdexRank > 3 || o.FTS5Rank < 1 || o.FTS5Rank > 3 {
			rep.Failures = append(rep.Failures, o)
		}
	}
	for _, kind := range Kinds() {
		if ks, ok := scoreKind(kind, rep.Outcomes, func(o Outcome) bool { return o.Kind == kind }); ok {
			rep.Kinds = append(rep.Kinds, ks)
		}
	}
	rep.Overall, _ = scoreKind("overall", rep.Outcomes, func(Outcome) bool { return true })
	return rep, nil
}

func scoreKind(kind string, outcomes []Outcome, keep func(Outcome) bool) (KindScores, bool) {
	var ours, theirs []int
	for _, o := range outcomes {
		if keep(o) {
			ours = append(ours, o.TalkdexRank)
			theirs = append(theirs, o.FTS5Rank)
		}
	}
	return KindScores{Kind: kind, Talkdex: scoreRanks(ours), FTS5: scoreRanks(theirs)}, len(ours) > 0
}

func runOne(ctx context.Context, b *Built, q Query) (Outcome, error) {
	o := Outcome{Query: q}
	res, err := b.Catalog.SearchTalks(ctx, catalog.SearchRequest{Query: q.Query, PerPage: RankDepth})
	switch {
	case isInvalid(err):
		o.TalkdexError = catalog.ErrorMessage(err)
	case err != nil:
		return o, fmt.Errorf("talkdex search %q: %w", q.Query, err)
	default:
		keys := make([]string, 0, len(res.Hits))
		titles := make([]string, 0, len(res.Hits))
		for _, h := range res.Hits {
			keys = append(keys, catalog.SourceKey(h.Talk))
			titles = append(titles, h.Talk.Title)
		}
		o.TalkdexRank, o.TalkdexTop = rankOf(q.Want, keys), titles[:min(3, len(titles))]
	}
	fres, err := b.FTS5.Search(ctx, sqlite.FTS5Query{Text: q.Query, Limit: RankDepth})
	switch {
	case isInvalid(err):
		o.FTS5Error = catalog.ErrorMessage(err)
	case err != nil:
		return o, fmt.Errorf("FTS5 search %q: %w", q.Query, err)
	default:
		keys := make([]string, 0, len(fres.Hits))
		titles := make([]string, 0, len(fres.Hits))
		for _, h := range fres.Hits {
			keys = append(keys, h.SourceKey)
			titles = append(titles, h.Title)
		}
		o.FTS5Rank, o.FTS5Top = rankOf(q.Want, keys), titles[:min(3, len(titles))]
	}
	return o, nil
}

func isInvalid(err error) bool {
	var ce *catalog.Error
	return errors.As(err, &ce) && ce.Code == catalog.EINVALID
}

// rankOf is the 1-based position of want among keys, 0 if absent.
func rankOf(want string, keys []string) int {
	for i, k := range keys {
		if baseKey(k) == want {
			return i + 1
		}
	}
	return 0
}

// replicaMark separates a replica's copy number from its original's source
// key (see Replicate).
const replicaMark = "#replica-"

// baseKey is the source key of the talk a replica was copied from.
func baseKey(key string) string {
	base, _, _ := strings.Cut(key, replicaMark)
	return base
}
