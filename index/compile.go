package index

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Relative weights of the ways a query word can match. An exact match
// always outweighs the same talk found through a typo correction or a
// completion, so the talk that says what was typed ranks first.
const (
	synonymBoost    = 0.8 // an entry of the word's synonym set
	completionBoost = 0.5 // a completion of the word being typed
	typoBoost       = 0.3 // a correction one edit away; two edits count half
	formBoost       = 0.4 // another form of the word: "analysis" for "analyse"
	// phraseBoost multiplies the field boosts of the bonus for the query's
	// words standing together, in order, in the title or the abstract.
	phraseBoost = 1.5
)

// textTarget is a text field a word or phrase is matched against, and how
// much a match there counts. prose fields are analysed in the talk's
// language, so a query word is analysed in every language for them.
type textTarget struct {
	field string
	boost float64
	prose bool
}

// allTextTargets ranks where a bare word matters most: in the title, then
// who gave the talk, then the user's own words and the tags, then the
// abstract.
func allTextTargets() []textTarget {
	return []textTarget{
		{fieldTitle, 6, true},
		{fieldSpeakers, 4, false},
		{fieldNote, 3, true},
		{fieldTags, 3, false},
		{fieldMyTags, 3, false},
		{fieldAbstract, 2, true},
		{fieldEventText, 1, false},
		{fieldSeriesText, 1, false},
	}
}

// prefixTargets are the fields a query prefix searches.
func prefixTargets(prefix string) []textTarget {
	switch prefix {
	case "":
		return allTextTargets()
	case prefixTitle:
		return []textTarget{{fieldTitle, 1, true}}
	case prefixAbstract:
		return []textTarget{{fieldAbstract, 1, true}}
	case prefixNote:
		return []textTarget{{fieldNote, 1, true}}
	case prefixSpeaker:
		return []textTarget{{fieldSpeakers, 1, false}}
	case prefixTag:
		return []textTarget{{fieldTags, 1, false}}
	case prefixSeries:
		return []textTarget{{fieldSeriesText, 1, false}}
	case prefixEvent:
		return []textTarget{{fieldEventText, 1, false}}
	case prefixMyTag:
		return []textTarget{{fieldMyTags, 1, false}}
	default:
		return nil
	}
}

// compiler turns parsed clauses into a Bleve query.
type compiler struct {
	m   mapping.IndexMapping
	syn *synonyms
	// words finds typo corrections and completions; nil compiles the
	// query exactly as typed.
	words wordSource
	// partial says the query's last clause is a word still being typed
	// (see lastWordIsPartial): it also matches as a prefix.
	partial bool
	// loose compiles the second try of a query few or no talks matched as
	// typed: every word may be a typo (even of a word the index has), cut
	// short, or another form of the talk's word, and one plain word of
	// three or more may be missing.
	loose bool
	// keys records what each leaf query matches, so that a search can
	// walk a leaf that several alternatives repeat once (see shareLeaves).
	keys leafKeys
}

// compile turns clauses into a boolean query: every positive clause (or
// OR-group, or synonym run) must match, every excluded one must not; with
// no positive clause it matches all talks. hasText reports a positive text
// clause, i.e. something to highlight.
//
// A clause whose text the analyzers reduce to nothing (a stop word such as
// "the", or bare punctuation such as "*") is dropped rather than turned
// into a query that matches nothing: Bleve would otherwise either return no
// results at all or, worse, silently drop the whole required part.
func (c *compiler) compile(clauses []clause) (top *query.BooleanQuery, hasText bool) {
	var must, should, mustNot, spareable []query.Query
	for _, u := range c.units(clauses) {
		q := c.compileUnit(u, clauses)
		if q == nil {
			continue
		}
		if u.exclude {
			mustNot = append(mustNot, q)
			continue
		}
		if c.loose && u.first == u.last && !exactField(clauses[u.first].Field) && !clauses[u.first].Phrase {
			spareable = append(spareable, q)
		} else {
			must = append(must, q)
		}
		if !clauses[u.first].IsNumeric() || u.last > u.first {
			hasText = true
		}
	}
	if len(spareable) >= minPartsToSpare {
		// The second try may miss one word of a longer query: people
		// remember a word or a name wrong ("pacheco microservices golang").
		// Talks with every word still score above those missing one.
		words := query.NewDisjunctionQuery(spareable)
		words.SetMin(float64(len(spareable) - 1))
		must = append(must, words)
	} else {
		must = append(must, spareable...)
	}
	if len(must) == 0 {
		must = append(must, query.NewMatchAllQuery())
	} else if q := c.proximity(clauses); q != nil {
		should = append(should, q)
	}
	top = query.NewBooleanQuery(must, should, mustNot)
	return top, hasText
}

// exactField reports the query prefixes that name a category (series:,
// event:, tag:, mytag:, year:, rating:): the second try of a query keeps
// them as typed, as it would a filter.
func exactField(field string) bool {
	switch field {
	case prefixSeries, prefixEvent, prefixTag, prefixMyTag, prefixYear, prefixRating:
		return true
	}
	return false
}

// minPartsToSpare is how many plain words a query needs before its
// second try may miss one of them.
const minPartsToSpare = 3

// unit is what one required or excluded part of the query is compiled
// from: clauses first..last, which are alternatives (an OR group), a run
// of words forming a synonym entry, or a single clause.
type unit struct {
	first, last int
	exclude     bool
	orGroup     bool
	synonyms    []string // the alternatives of a run of several words
}

// units groups clauses. A synonym run is the longest sequence of plain
// bare words (not excluded, not in an OR group, not a phrase, no field)
// that spells an entry of several words, e.g. `border gateway protocol`.
func (c *compiler) units(clauses []clause) []unit {
	var out []unit
	for i := 0; i < len(clauses); {
		j := i
		for j+1 < len(clauses) && clauses[j+1].Or {
			j++
		}
		if j > i {
			out = append(out, unit{first: i, last: j, orGroup: true})
			i = j + 1
			continue
		}
		if end, alts := c.synonymRun(clauses, i); end > i {
			out = append(out, unit{first: i, last: end, synonyms: alts})
			i = end + 1
			continue
		}
		out = append(out, unit{first: i, last: i, exclude: clauses[i].Exclude})
		i++
	}
	return out
}

// synonymRun returns the last clause of the longest run of plain words
// starting at i that is a synonym entry, with the entry's alternatives;
// end == i when there is none of two or more clauses.
func (c *compiler) synonymRun(clauses []clause, i int) (end int, alts []string) {
	plain := func(k int) bool {
		cl := clauses[k]
		orNext := k+1 < len(clauses) && clauses[k+1].Or
		return !cl.Exclude && !cl.Or && !orNext && !cl.Phrase && cl.Field == ""
	}
	if c.syn == nil {
		return i, nil
	}
	var words []string
	for k := i; k < len(clauses) && k-i < c.syn.longest && plain(k); k++ {
		words = append(words, synonymWords(clauses[k].Text)...)
		if k > i {
			if found := c.syn.of(words); len(found) > 0 {
				end, alts = k, found
			}
		}
	}
	if alts == nil {
		return i, nil
	}
	return end, alts
}

func (c *compiler) compileUnit(u unit, clauses []clause) query.Query {
	lastIndex := len(clauses) - 1
	switch {
	case u.orGroup:
		var alts []query.Query
		for k := u.first; k <= u.last; k++ {
			if q := c.compileClause(clauses[k], k == lastIndex); q != nil {
				alts = append(alts, q)
			}
		}
		return orQuery(alts)
	case u.synonyms != nil:
		var typed []query.Query
		for k := u.first; k <= u.last; k++ {
			if q := c.compileClause(clauses[k], k == lastIndex); q != nil {
				typed = append(typed, q)
			}
		}
		var alts []query.Query
		switch len(typed) {
		case 0:
		case 1:
			alts = append(alts, typed[0])
		default:
			alts = append(alts, query.NewConjunctionQuery(typed))
		}
		for _, alt := range u.synonyms {
			if q := c.match(allTextTargets(), alt, strings.Contains(alt, " "), synonymWeight(alt)); q != nil {
				alts = append(alts, q)
			}
		}
		return orQuery(alts)
	default:
		return c.compileClause(clauses[u.first], u.first == lastIndex)
	}
}

// compileClause returns nil for a clause that cannot match anything by
// itself (see compile). last says the clause ends the query.
func (c *compiler) compileClause(cl clause, last bool) query.Query {
	if c.loose && exactField(cl.Field) {
		strict := *c
		strict.loose = false
		return strict.compileClause(cl, last)
	}
	switch cl.Field {
	case prefixYear:
		return numericBetween(fieldYearNum, cl.Lo, cl.Hi)
	case prefixRating:
		return numericBetween(fieldRatingNum, cl.Lo, cl.Hi)
	}
	targets := prefixTargets(cl.Field)
	words := synonymWords(cl.Text)
	isEntry := c.syn != nil && c.syn.has(words)
	// A word another language drops as a stop word ("die", "que") cannot be
	// required of the talks in that language: they pass the clause as they
	// are, while talks in other languages must have the word. An English
	// stop word is dropped; curated synonyms ("te") never are.
	var dropping []string
	if !isEntry {
		var all bool
		if dropping, all = c.droppingLanguages(targets, cl.Text); all {
			return nil
		}
	}
	exact := c.match(targets, cl.Text, cl.Phrase, 1)
	if exact == nil {
		return nil
	}
	alts := []query.Query{exact}
	if !cl.Exclude {
		for _, code := range dropping {
			// Scored as nothing: passing the clause is not matching it.
			alts = append(alts, languageTerm(code))
		}
	}
	if isEntry {
		for _, alt := range c.syn.of(words) {
			if q := c.match(targets, alt, strings.Contains(alt, " "), synonymWeight(alt)); q != nil {
				alts = append(alts, q)
			}
		}
	}
	if c.words == nil || cl.Exclude || cl.Phrase {
		return orQuery(alts)
	}
	word, ok := singleWord(c.m, cl.Text)
	if !ok {
		return orQuery(alts)
	}
	// Corrections and completions are matched where they help most (each
	// is a clause of its own, and every field multiplies what a search must
	// walk), in every language's analysis: they come from the unstemmed
	// word list, and "hackeando" is "hack" only to the Spanish stemmer.
	near := expansionTargets(targets)
	own := c.words.count(word)
	fixes := c.words.corrections(word, typoEdits(word))
	if c.loose {
		// The strict corrections stay, so that the second try finds
		// whatever the first found.
		fixes = unionWords(fixes, c.words.neighbours(word, typoEdits(word)))
	}
	for _, fix := range fixes {
		if q := c.match(near, fix.term, false, typoBoost/float64(fix.edits)); q != nil {
			alts = append(alts, q)
		}
	}
	if c.unfinished(word, own, last) {
		for _, w := range c.words.completions(word, c.completionLimit(last)) {
			if w.term == word {
				continue
			}
			if q := c.match(near, w.term, false, completionBoost); q != nil {
				alts = append(alts, q)
			}
		}
	}
	if own < commonWord || c.loose {
		// Another form of a rare word: "analyse" finds "analysis" and
		// "virtualise" "virtualisation", words its stem begins but that
		// stem differently (or are too many edits away to be a typo).
		for _, w := range c.otherForms(word) {
			if q := c.match(near, w.term, false, formBoost); q != nil {
				alts = append(alts, q)
			}
		}
	}
	return orQuery(alts)
}

// unfinished reports whether a query word (in own talks) is to be matched
// as a prefix too: the last word while it is being typed, unless it is
// common enough to be meant as it is; or a word further back that hardly
// any talk has, which users type cut short ("traffic eng ai").
func (c *compiler) unfinished(word string, own uint64, last bool) bool {
	n := utf8Len(word)
	if last && c.partial && n >= minCompletionRunes && own < commonWord {
		return true
	}
	return n >= minAbbreviationRunes && (own < rareWord || c.loose)
}

// completionLimit is how many completions a word may have: more for the
// last word of a second try, the one most likely cut short, whose rarer
// completions are then worth their cost.
func (c *compiler) completionLimit(last bool) int {
	if c.loose && last {
		return maxLooseCompletions
	}
	return maxCompletions
}

// unionWords is a followed by the words of b it lacks.
func unionWords(a, b []dictWord) []dictWord {
	out := slices.Clone(a)
	for _, w := range b {
		if !slices.ContainsFunc(out, func(o dictWord) bool { return o.term == w.term }) {
			out = append(out, w)
		}
	}
	return out
}

// otherForms returns the indexed words, other than word itself, that begin
// with a stem of word (in any language the index analyses), the
// maxCompletions most used.
func (c *compiler) otherForms(word string) []dictWord {
	if utf8Len(word) < minFormRunes {
		return nil
	}
	var out []dictWord
	seen := map[string]bool{word: true}
	stems := map[string]bool{}
	for _, l := range languages() {
		tokens := c.analyze(l.analyzer, word)
		if len(tokens) != 1 {
			continue
		}
		stem := tokens[0]
		if stem == word || !strings.HasPrefix(word, stem) || utf8Len(stem) < minFormRunes-2 || stems[stem] {
			continue
		}
		stems[stem] = true
		for _, w := range c.words.completions(stem, maxCompletions) {
			if !seen[w.term] {
				seen[w.term] = true
				out = append(out, w)
			}
		}
	}
	// Each form is a clause of its own: the most used few of all the
	// stems' forms are kept, as for completions.
	slices.SortFunc(out, func(a, b dictWord) int {
		return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.term, b.term))
	})
	return out[:min(len(out), maxCompletions)]
}

// expansionTargets keeps the fields a typo correction or a completion is
// worth looking for: the title, the people, the tags and the abstract.
func expansionTargets(targets []textTarget) []textTarget {
	var out []textTarget
	for _, t := range targets {
		switch t.field {
		case fieldTitle, fieldSpeakers, fieldTags, fieldMyTags, fieldAbstract:
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return targets // a field clause (note:, series:) keeps its field
	}
	return out
}

// synonymWeight is the boost of a synonym entry: a phrase scores about
// the sum of its words, so its boost is shared among them, and the words
// typed outrank it whatever its length.
func synonymWeight(entry string) float64 {
	return synonymBoost / float64(len(strings.Fields(entry)))
}

// match matches text in every target: all words of a bare word must be
// there ("ipv6-only" needs both "ipv6" and "only"), a phrase's words in
// order. Prose targets get one query per distinct analysis of text across
// languages. It returns nil when no target keeps any token of text.
func (c *compiler) match(targets []textTarget, text string, phrase bool, boost float64) query.Query {
	var alts []query.Query
	for _, t := range targets {
		analyses := c.analysesFor(t, text)
		most := 0
		for _, a := range analyses {
			most = max(most, a.tokens)
		}
		for _, a := range analyses {
			// A phrase that an analysis leaves one word of is that word:
			// matched as a phrase it would read the positions of every
			// talk that has it.
			asPhrase := phrase && a.tokens >= 2
			var q query.Query
			if a.tokens == 1 {
				// One word is searched as its term. Bleve would wrap it,
				// as a match query, in a conjunction of one, which adds
				// nothing to its score but costs its hits.
				tq := fieldTerm(t.field, a.terms)
				tq.SetBoost(t.boost * boost)
				q = tq
			} else {
				q = matchText(t.field, a.analyzer, text, asPhrase, t.boost*boost)
			}
			c.keyLeaf(q, t.field, a, text, asPhrase)
			if phrase && !asPhrase && most >= 2 {
				// The word is left because the language drops the
				// others ("los" of "los angeles" in Spanish). That is
				// the phrase only in the talks of that language; in the
				// others "angeles" alone is not "los angeles". The
				// talks of the other languages are excluded rather than
				// those of this one required: they are the few, and
				// requiring English of every talk with "python" walked
				// most of the index ("python what": 17 → 10 ms).
				q = &query.BooleanQuery{Must: q, MustNot: languageFilter(otherLanguages(a.languages))}
			}
			alts = append(alts, q)
		}
	}
	return orQuery(alts)
}

// keyLeaf records what a leaf built by matchText matches: a word's terms
// in the field, or a phrase as the analyzer reads it (the positions of
// its words, across dropped stop words, count too).
func (c *compiler) keyLeaf(q query.Query, field string, a wordAnalysis, text string, phrase bool) {
	if c.keys == nil {
		c.keys = leafKeys{}
	}
	if phrase {
		c.keys[q] = "phrase\x00" + field + "\x00" + a.analyzer + "\x00" + text
		return
	}
	c.keys[q] = "terms\x00" + field + "\x00" + a.terms
}

// wordAnalysis is one way the languages analyse a text: the analyzer, the
// languages that analyse it alike, and the words they keep (joined by
// NUL) and how many.
type wordAnalysis struct {
	analyzer  string
	languages []string
	terms     string
	tokens    int
}

// analysesFor returns the analyses to match text in t with: for prose,
// one per distinct token sequence the languages make of text (most words
// come out the same in several); else the field's own, for every
// language. Those that keep nothing of text are left out.
func (c *compiler) analysesFor(t textTarget, text string) []wordAnalysis {
	if !t.prose {
		name := c.m.AnalyzerNameForPath(t.field)
		tokens := c.analyze(name, text)
		if len(tokens) == 0 {
			return nil
		}
		return []wordAnalysis{{analyzer: name, terms: strings.Join(tokens, "\x00"), tokens: len(tokens)}}
	}
	var out []wordAnalysis
	index := map[string]int{}
	for _, l := range languages() {
		tokens := c.analyze(l.analyzer, text)
		if len(tokens) == 0 {
			continue
		}
		key := strings.Join(tokens, "\x00")
		if i, ok := index[key]; ok {
			out[i].languages = append(out[i].languages, l.code)
			continue
		}
		index[key] = len(out)
		out = append(out, wordAnalysis{analyzer: l.analyzer, languages: []string{l.code}, terms: key, tokens: len(tokens)})
	}
	return out
}

// languageFilter matches the talks analysed in one of codes, scoring
// nothing.
func languageFilter(codes []string) query.Query {
	alts := make([]query.Query, len(codes))
	for i, code := range codes {
		alts[i] = languageTerm(code)
	}
	return orQuery(alts)
}

// otherLanguages returns the codes of languages() not among codes. Every
// talk is analysed in one of languages(), so a talk in none of the others
// is in one of codes.
func otherLanguages(codes []string) []string {
	var out []string
	for _, l := range languages() {
		if !slices.Contains(codes, l.code) {
			out = append(out, l.code)
		}
	}
	return out
}

// languageTerm matches the talks analysed in the language code, scoring
// nothing.
func languageTerm(code string) query.Query {
	tq := fieldTerm(fieldLang, code)
	tq.SetBoost(0)
	return tq
}

// fieldTerm matches the talks with term, as indexed, in field.
func fieldTerm(field, term string) *query.TermQuery {
	tq := query.NewTermQuery(term)
	tq.SetField(field)
	return tq
}

// droppingLanguages lists the languages whose analysis of the prose
// targets loses text (a stop word of theirs); all reports that text does
// not count: English drops it, or the one target of a field clause
// (speaker:, tag:, ...) does. For a bare word the name fields do not
// decide: they keep every word.
func (c *compiler) droppingLanguages(targets []textTarget, text string) (codes []string, all bool) {
	prose := false
	for _, t := range targets {
		if t.prose {
			prose = true
		} else if len(targets) == 1 && len(c.analyze(c.m.AnalyzerNameForPath(t.field), text)) == 0 {
			return nil, true
		}
	}
	if !prose {
		return nil, false
	}
	for _, l := range languages() {
		if len(c.analyze(l.analyzer, text)) == 0 {
			// Most queries are typed in English: an English stop word
			// ("the", "of") is noise in every language.
			if l.code == defaultLanguage {
				return nil, true
			}
			codes = append(codes, l.code)
		}
	}
	// A letter that some language drops is noise to all: keeping it would
	// narrow a search being typed ("s") to that language's talks.
	return codes, len(codes) == len(languages()) || (len(codes) > 0 && utf8Len(strings.TrimSpace(text)) == 1)
}

func (c *compiler) analyze(analyzer, text string) []string {
	a := c.m.AnalyzerNamed(analyzer)
	if a == nil {
		if strings.TrimSpace(text) == "" {
			return nil
		}
		return []string{text}
	}
	return tokenTerms(a.Analyze([]byte(text)))
}

func tokenTerms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// proximity rewards talks whose title or abstract has the query's plain
// words together and in order: "segment routing" as a phrase ranks above
// "routing" in one sentence and "segment" in another. It is optional (a
// should clause), so it only reorders.
func (c *compiler) proximity(clauses []clause) query.Query {
	var words []string
	for i, cl := range clauses {
		orNext := i+1 < len(clauses) && clauses[i+1].Or
		if cl.Exclude || cl.Or || orNext || cl.Phrase || cl.Field != "" {
			continue
		}
		words = append(words, cl.Text)
	}
	if len(words) < 2 {
		return nil
	}
	text := strings.Join(words, " ")
	abstracts := c.fewHaveAll(words)
	var alts []query.Query
	for _, t := range allTextTargets() {
		if t.field != fieldTitle && (t.field != fieldAbstract || !abstracts) {
			continue
		}
		for _, a := range c.analysesFor(t, text) {
			// A language that keeps one word of them ("python with" in
			// English) has no proximity to reward, and its one-word
			// phrase would read the positions of every talk with the
			// word: most of the time of a broad search.
			if a.tokens >= 2 {
				alts = append(alts, matchText(t.field, a.analyzer, text, true, t.boost*phraseBoost))
			}
		}
	}
	return orQuery(alts)
}

// fewHaveAll reports whether at most proximityLimit talks can have all of
// words: the talks the proximity bonus checks word positions in. Abstracts
// are long and share common words, so a bonus for two common words
// ("python talk") checked the positions of tens of thousands of abstracts
// (50 ms at 100k talks) to reorder a page. Titles are short and checked
// whatever the words. A compiler without a word list checks everything.
func (c *compiler) fewHaveAll(words []string) bool {
	if c.words == nil {
		return true
	}
	for _, w := range words {
		word, ok := singleWord(c.m, w)
		if ok && c.words.count(word) <= proximityLimit {
			return true
		}
	}
	return false
}

// proximityLimit is how many talks' abstracts the proximity bonus may
// check: a few milliseconds' work.
const proximityLimit = 2000

// matchText matches analysed text in one field with a given analyzer.
func matchText(field, analyzer, text string, phrase bool, boost float64) query.Query {
	if phrase {
		q := query.NewMatchPhraseQuery(text)
		q.SetField(field)
		q.Analyzer = analyzer
		q.SetBoost(boost)
		return q
	}
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.Analyzer = analyzer
	q.SetOperator(query.MatchQueryOperatorAnd)
	q.SetBoost(boost)
	return q
}

// singleWord returns text as the one lower-case word fieldWords holds for
// it, if it is one word.
func singleWord(m mapping.IndexMapping, text string) (string, bool) {
	a := m.AnalyzerNamed(nameAnalyzer)
	if a == nil {
		return "", false
	}
	ts := a.Analyze([]byte(text))
	if len(ts) != 1 {
		return "", false
	}
	return string(ts[0].Term), true
}

// typoEdits is how many typos a word may have: none below five letters
// (short words and acronyms are too close to each other), one from five,
// two from nine.
func typoEdits(word string) int {
	switch n := utf8Len(word); {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	default:
		return 0
	}
}

// lastWordIsPartial reports whether the query's last clause is a word the
// user is still typing: the query does not end in a space or a quote, the
// clause is a positive word (not a phrase, not -excluded, not a year or a
// rating), and it ends in a letter or digit ("bgp*" is not a prefix).
func lastWordIsPartial(q string, clauses []clause) bool {
	if len(clauses) == 0 || q == "" {
		return false
	}
	last := clauses[len(clauses)-1]
	if last.Exclude || last.Phrase || last.IsNumeric() {
		return false
	}
	rs := []rune(q)
	end := rs[len(rs)-1]
	return unicode.IsLetter(end) || unicode.IsDigit(end)
}

func utf8Len(s string) int { return len([]rune(s)) }
