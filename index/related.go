package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Bounds of a related-talks query.
const (
	maxRelated      = catalog.MaxPerPage
	maxRelatedTerms = 15 // the talk's most distinctive words that are asked for
	maxRelatedNames = 5  // speakers and tags each
)

// Weights of what two talks share: a speaker or a tag says more than any
// one word, a word in the title more than one in the abstract.
const (
	relatedSpeakerBoost  = 3
	relatedTagBoost      = 2
	relatedTitleBoost    = 2
	relatedAbstractBoost = 1
)

// Related returns the ids of up to n talks most like t (more like this):
// talks sharing its speakers, its tags and its most distinctive title and
// abstract words, best first, never t itself. t need not be indexed.
func (ix *Index) Related(ctx context.Context, t *catalog.Talk, n int) ([]int64, error) {
	if t == nil {
		return nil, fmt.Errorf("related talks: no talk")
	}
	n = min(max(n, 1), maxRelated)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return nil, err
	}
	reader, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer reader.Close()

	var alts []query.Query
	for _, name := range firstN(nonEmpty(t.SpeakerNames()), maxRelatedNames) {
		q := query.NewMatchPhraseQuery(cleanUTF8(name))
		q.SetField(fieldSpeakers)
		q.SetBoost(relatedSpeakerBoost)
		alts = append(alts, q)
	}
	for _, tag := range firstN(nonEmpty(t.Tags), maxRelatedNames) {
		q := fieldTerm(fieldTag, filterValue(tag))
		q.SetBoost(relatedTagBoost)
		alts = append(alts, q)
	}
	terms, err := ix.distinctiveTerms(ctx, reader, t)
	if err != nil {
		return nil, err
	}
	for _, term := range terms {
		for _, f := range []struct {
			field string
			boost float64
		}{{fieldTitle, relatedTitleBoost}, {fieldAbstract, relatedAbstractBoost}} {
			q := fieldTerm(f.field, term)
			q.SetBoost(f.boost)
			alts = append(alts, q)
		}
	}
	if len(alts) == 0 {
		return nil, nil
	}
	var exclude []query.Query
	if t.ID > 0 {
		exclude = append(exclude, query.NewDocIDQuery([]string{docID(t.ID)}))
	}
	top := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(alts)}, nil, exclude)
	sr := bleve.NewSearchRequestOptions(top, n, 0, false)
	sr.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}})
	res, err := ix.bi.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related talks of %d: %w", t.ID, err)
	}
	ids := make([]int64, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("related talks: document id %q is not a talk id: %w", h.ID, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// distinctiveTerms returns the analysed title and abstract terms of t that
// best tell it apart, by tf-idf over the title and abstract fields: a word
// the talk repeats and few other talks use.
func (ix *Index) distinctiveTerms(ctx context.Context, r bleveindex.IndexReader, t *catalog.Talk) ([]string, error) {
	analyzer := ix.bi.Mapping().AnalyzerNamed(talkLanguage(t).analyzer)
	if analyzer == nil {
		return nil, fmt.Errorf("related talks: no analyzer for language %q", talkLanguage(t).code)
	}
	tf := map[string]int{}
	for _, text := range []string{t.Title, t.Title, t.Abstract} { // title words count twice
		for _, term := range tokenTerms(analyzer.Analyze([]byte(cleanUTF8(text)))) {
			if utf8Len(term) > 1 {
				tf[term]++
			}
		}
	}
	total, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("related talks: count talks: %w", err)
	}
	type scored struct {
		term  string
		score float64
	}
	var all []scored
	for term, freq := range tf {
		df := uint64(0)
		for _, field := range []string{fieldTitle, fieldAbstract} {
			tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
			if err != nil {
				return nil, fmt.Errorf("related talks: count %q: %w", term, err)
			}
			df = max(df, tfr.Count())
			_ = tfr.Close()
		}
		// A word no other talk has finds no neighbour; one most talks
		// have finds every talk.
		if df <= 1 && t.ID > 0 || df == 0 || 2*df > total {
			continue
		}
		idf := math.Log(1 + float64(total)/float64(df))
		all = append(all, scored{term, float64(freq) * idf})
	}
	slices.SortFunc(all, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.term, b.term))
	})
	out := make([]string, 0, maxRelatedTerms)
	for _, s := range all[:min(len(all), maxRelatedTerms)] {
		out = append(out, s.term)
	}
	return out, nil
}

func firstN(ss []string, n int) []string { return ss[:min(len(ss), n)] }
