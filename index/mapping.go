// Package index is talkdex's full-text index and the only importer of Bleve.
// SQLite is the truth; everything here is derived from it and can be rebuilt
// at any time, so on any doubt (mapping change, corruption) the index is
// thrown away and rebuilt rather than repaired.
package index

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/talkdex/talkdex/internal/catalog"
)

// MappingVersion identifies the shape of the documents and the mapping.
// Bump it whenever either changes: Open then discards the old index and
// reports NeedsRebuild.
const MappingVersion = 7

// mappingVersionKey is the internal (non-document) key the version is kept
// under inside the index.
const mappingVersionKey = "talkdex.mapping_version"

// docType is the document type of English talks (and of talks in a
// language without an analyzer of its own); docTypeFor names the others.
const docType = "talk"

// nameAnalyzer lower-cases and folds accents (see foldFilterType) without
// stemming or stop words: people's names and series/event names are not
// English prose.
const nameAnalyzer = "talkdex_name"

// englishAnalyzer is Bleve's English analyzer with accents folded after
// lower-casing. English is also the analysis of talks in languages without
// an analyzer of their own, whose words and names are often accented.
const englishAnalyzer = "talkdex_en"

// Analysed text fields. None stores its text: highlights are cut from the
// talk as loaded from the database (see highlightDocument), which halves
// what a search keeps in memory of the index.
const (
	fieldTitle      = "title"
	fieldAbstract   = "abstract"
	fieldSpeakers   = "speakers"
	fieldNote       = "note"
	fieldTags       = "tags"
	fieldSeriesText = "series_text"
	fieldEventText  = "event_text"
	fieldMyTags     = "my_tags"
	// fieldWords holds every word of every text field, lower-cased but not
	// stemmed. Queries never match it; its dictionary is where typo
	// corrections, completions of a half-typed word and "did you mean"
	// suggestions come from, in the form a user types them.
	fieldWords = "words"
)

// Keyword, numeric and boolean fields for filters and sorting. Filters use
// the inverted index only, so only the fields read per hit (for facets and
// sorting) keep doc values.
const (
	fieldSeries    = "series"
	fieldEvent     = "event"
	fieldSpeaker   = "speaker" // one value per speaker
	fieldTag       = "tag"
	fieldYearNum   = "year_num"
	fieldRating    = "rating" // "1".."5", absent when unrated; sorts
	fieldRatingNum = "rating_num"
	fieldWatched   = "watched"
	fieldMyTag     = "my_tag" // one value per personal tag
	fieldWatch     = "watch"  // catalog.WatchToWatch or WatchWatched
	fieldMine      = "mine"   // rated, noted, tagged or on the watch list
	// fieldWatchedAt and fieldAdded are fixed-width UTC text like
	// fieldStart: term ranges on them are time ranges.
	fieldWatchedAt = "watched_at"
	fieldAdded     = "added"
	fieldHasVideo  = "has_video"
	fieldHasSlides = "has_slides"
	// fieldLang is the code of the language the prose was analysed in; it
	// also routes the document to its language's type (BleveType).
	fieldLang = "lang"
	// fieldStart is the start as a fixed-width UTC timestamp string, absent
	// when unknown. A keyword rather than a datetime: a datetime's doc values
	// hold one term per precision step, and sorting all 21k talks of the
	// benchmark catalog by it took 15 ms on the target machine against 4 ms.
	fieldStart = "start"
	// fieldFacet holds every facet value of a talk, prefixed by its facet's
	// code (e.g. "s:NANOG", "y:2019", "p:Geoff Huston"). Counting one field's
	// terms per hit, then splitting them by prefix, took a third less time
	// than six facets over six fields (17 against 26 ms over 21k talks).
	fieldFacet = "facet"
	// fieldTextSum is a checksum of the highlighted texts as indexed (see
	// highlightSum): highlights are cut from the talk as the database
	// holds it now, which may differ for a moment from what the index saw.
	fieldTextSum = "text_sum"
)

// startLayout renders fieldStart: fixed width and UTC, so that string order
// is time order.
const startLayout = "2006-01-02T15:04:05Z"

// facetTerm is the fieldFacet term for one facet value: a one-letter code
// for the facet, then the value. Every search with facets decompresses these
// terms for all its hits, so they are kept short.
func facetTerm(facet, value string) string { return facetCode(facet) + value }

// facetCode is the prefix of a facet's terms in fieldFacet; all are distinct
// and none is a prefix of another.
func facetCode(facet string) string {
	switch facet {
	case catalog.FacetSeries:
		return "s:"
	case catalog.FacetEvent:
		return "e:"
	case catalog.FacetYear:
		return "y:"
	case catalog.FacetSpeaker:
		return "p:"
	case catalog.FacetTag:
		return "t:"
	case catalog.FacetRating:
		return "r:"
	case catalog.FacetMyTag:
		return "m:"
	case catalog.FacetWatch:
		return "w:"
	default: // longer than any code above, so still distinct
		return facet + ":"
	}
}

// highlightFields are the fields whose text comes back as fragments.
func highlightFields() []string {
	return []string{fieldTitle, fieldSpeakers, fieldAbstract, fieldNote}
}

// eachHighlighted calls visit with every highlighted field of t as
// newTalkDocument indexes it: its name, array positions and text.
func eachHighlighted(t *catalog.Talk, visit func(field string, arrayPositions []uint64, text string)) {
	visit(fieldTitle, nil, cleanUTF8(t.Title))
	if t.Abstract != "" {
		visit(fieldAbstract, nil, cleanUTF8(t.Abstract))
	}
	if t.Note != "" {
		visit(fieldNote, nil, cleanUTF8(t.Note))
	}
	for i, name := range nonEmpty(t.SpeakerNames()) {
		visit(fieldSpeakers, []uint64{uint64(i)}, cleanUTF8(name))
	}
}

// highlightDocument holds a talk's highlighted fields as newTalkDocument
// indexes them, value for value and array position for array position:
// the highlighter cuts fragments out of these texts at the byte offsets
// the index recorded for them.
func highlightDocument(t *catalog.Talk) *document.Document {
	doc := document.NewDocument(docID(t.ID))
	eachHighlighted(t, func(field string, arrayPositions []uint64, text string) {
		doc.AddField(document.NewTextField(field, arrayPositions, []byte(text)))
	})
	return doc
}

// highlightSum is a checksum of t's highlighted texts, as indexed in
// fieldTextSum. A talk whose sum differs from the one indexed has changed
// since: its highlights would mark the offsets of other words.
//
// Indexes carry the sums of their talks, so the bytes hashed must stay as
// they are (TestHighlightSumKeepsItsBytes): each field is its name, its
// array positions as fmt's %v prints them ("[]", "[0]"), the text's
// length and the text, separated by NULs. They are written without fmt,
// whose formatting was a seventh of cutting a page's highlights in a CPU
// profile of 1,000 searches.
func highlightSum(t *catalog.Talk) uint64 {
	h := fnv.New64a()
	var buf []byte
	eachHighlighted(t, func(field string, arrayPositions []uint64, text string) {
		buf = append(buf[:0], field...)
		buf = append(buf, 0, '[')
		for i, p := range arrayPositions {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendUint(buf, p, 10)
		}
		buf = append(buf, ']', 0)
		buf = strconv.AppendInt(buf, int64(len(text)), 10)
		buf = append(buf, 0)
		buf = append(buf, text...)
		h.Write(buf)
	})
	return h.Sum64()
}

// formatTextSum and parseTextSum convert a checksum to and from its term.
func formatTextSum(sum uint64) string { return strconv.FormatUint(sum, 36) }

func parseTextSum(term []byte) (uint64, error) { return strconv.ParseUint(string(term), 36, 64) }

// newMapping builds the explicit mapping. The default mapping is disabled and
// the talk mappings are static, so nothing gets indexed by accident. There
// is one talk mapping per language of languages(), alike but for the
// analyzer of the prose fields.
func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(nameAnalyzer, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, foldFilterType},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(englishAnalyzer, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{en.PossessiveName, lowercase.Name, foldFilterType, en.StopName, porter.Name},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = englishAnalyzer
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	// BM25 saturates term frequency and normalises by field length, so a
	// long abstract repeating a word does not outrank a title saying it.
	im.ScoringModel = bleveindex.BM25Scoring

	for _, l := range languages() {
		im.AddDocumentMapping(docTypeFor(l), talkMapping(l.analyzer))
	}
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}

// talkMapping is the mapping of a talk whose prose (title, abstract, note)
// is in the language of prose, an analyzer name.
func talkMapping(prose string) *mapping.DocumentMapping {
	talk := bleve.NewDocumentStaticMapping()
	// No field goes into _all and no query uses it; skip building it.
	talk.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	talk.AddFieldMappingsAt(fieldTitle, textField(prose))
	talk.AddFieldMappingsAt(fieldAbstract, textField(prose))
	talk.AddFieldMappingsAt(fieldSpeakers, textField(nameAnalyzer))
	talk.AddFieldMappingsAt(fieldNote, textField(prose))
	talk.AddFieldMappingsAt(fieldTags, textField(englishAnalyzer))
	talk.AddFieldMappingsAt(fieldMyTags, textField(englishAnalyzer))
	talk.AddFieldMappingsAt(fieldSeriesText, textField(nameAnalyzer))
	talk.AddFieldMappingsAt(fieldEventText, textField(nameAnalyzer))
	talk.AddFieldMappingsAt(fieldWords, dictionaryField())

	for _, name := range []string{fieldSeries, fieldEvent, fieldSpeaker, fieldTag, fieldMyTag, fieldWatch, fieldWatchedAt, fieldLang} {
		talk.AddFieldMappingsAt(name, keywordField(false))
	}
	for _, name := range []string{fieldRating, fieldStart, fieldAdded, fieldFacet, fieldTextSum} {
		talk.AddFieldMappingsAt(name, keywordField(true))
	}
	talk.AddFieldMappingsAt(fieldYearNum, numericField())
	talk.AddFieldMappingsAt(fieldRatingNum, numericField())
	for _, name := range []string{fieldWatched, fieldHasVideo, fieldHasSlides, fieldMine} {
		talk.AddFieldMappingsAt(name, booleanField())
	}
	return talk
}

// dictionaryField is only read through its term dictionary: no positions,
// no stored text, no doc values.
func dictionaryField() *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = nameAnalyzer
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

// textField is an analysed field. Every text field keeps term vectors
// (positions and byte offsets): phrase queries match on positions whatever
// the field, and highlights mark the offsets. The text itself is not
// stored; the database has it.
func textField(analyzer string) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Analyzer = analyzer
	fm.Store = false
	fm.IncludeTermVectors = true
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

// keywordField is an exact-match field. Only fields read per hit need doc
// values; none is ever stored or highlighted.
func keywordField(docValues bool) *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

// numericField backs range filters, which use the inverted index only.
func numericField() *mapping.FieldMapping {
	fm := bleve.NewNumericFieldMapping()
	fm.Store, fm.IncludeInAll, fm.DocValues = false, false, false
	return fm
}

// booleanField is only ever filtered on.
func booleanField() *mapping.FieldMapping {
	fm := bleve.NewBooleanFieldMapping()
	fm.Store, fm.IncludeInAll, fm.DocValues = false, false, false
	return fm
}

// talkDocument is what gets indexed for a talk. A map rather than a struct so
// that absent values (no start, no rating, no year) are absent fields rather
// than zero values: a zero time would sort as year 1, an empty rating would
// show up as a facet value.
type talkDocument map[string]interface{}

// BleveType routes the document to the mapping of its language.
func (d talkDocument) BleveType() string {
	code, _ := d[fieldLang].(string)
	for _, l := range languages() {
		if l.code == code {
			return docTypeFor(l)
		}
	}
	return docType
}

// docID is the index's document id for a talk: its id in decimal.
func docID(id int64) string { return strconv.FormatInt(id, 10) }

// newTalkDocument flattens a talk into the indexed fields.
func newTalkDocument(t *catalog.Talk) talkDocument {
	facets := []string{facetTerm(catalog.FacetSeries, t.Series), facetTerm(catalog.FacetEvent, t.Event)}
	d := talkDocument{
		fieldLang:       talkLanguage(t).code,
		fieldWords:      cleanAll(allText(t)),
		fieldTitle:      cleanUTF8(t.Title),
		fieldSeriesText: cleanUTF8(t.Series),
		fieldEventText:  cleanUTF8(t.Event),
		fieldSeries:     filterValue(t.Series),
		fieldEvent:      filterValue(t.Event),
		fieldRatingNum:  float64(0),
		fieldWatched:    t.Watched,
		fieldHasVideo:   t.HasLink(catalog.LinkVideo),
		fieldHasSlides:  t.HasLink(catalog.LinkSlides),
		fieldTextSum:    formatTextSum(highlightSum(t)),
	}
	if t.Abstract != "" {
		d[fieldAbstract] = cleanUTF8(t.Abstract)
	}
	if t.Note != "" {
		d[fieldNote] = cleanUTF8(t.Note)
	}
	if names := nonEmpty(t.SpeakerNames()); len(names) > 0 {
		d[fieldSpeakers] = cleanAll(names)
		d[fieldSpeaker] = filterValues(names)
		for _, n := range names {
			facets = append(facets, facetTerm(catalog.FacetSpeaker, n))
		}
	}
	if tags := nonEmpty(t.Tags); len(tags) > 0 {
		d[fieldTags] = cleanAll(tags)
		d[fieldTag] = filterValues(tags)
		for _, tag := range tags {
			facets = append(facets, facetTerm(catalog.FacetTag, tag))
		}
	}
	if t.Year > 0 {
		d[fieldYearNum] = float64(t.Year)
		facets = append(facets, facetTerm(catalog.FacetYear, strconv.Itoa(t.Year)))
	}
	if t.Rating >= catalog.MinStars && t.Rating <= catalog.MaxStars {
		d[fieldRating] = strconv.Itoa(t.Rating)
		d[fieldRatingNum] = float64(t.Rating)
		facets = append(facets, facetTerm(catalog.FacetRating, strconv.Itoa(t.Rating)))
	}
	if !t.Start.IsZero() {
		d[fieldStart] = t.Start.UTC().Format(startLayout)
	}
	if tags := nonEmpty(t.MyTags); len(tags) > 0 {
		d[fieldMyTags] = cleanAll(tags)
		d[fieldMyTag] = filterValues(tags)
		for _, tag := range tags {
			facets = append(facets, facetTerm(catalog.FacetMyTag, tag))
		}
	}
	if t.Watch == catalog.WatchToWatch || t.Watch == catalog.WatchWatched {
		d[fieldWatch] = t.Watch
		facets = append(facets, facetTerm(catalog.FacetWatch, t.Watch))
	}
	if t.Watch == catalog.WatchWatched && !t.WatchedAt.IsZero() {
		d[fieldWatchedAt] = t.WatchedAt.UTC().Format(startLayout)
	}
	d[fieldMine] = t.Rating > 0 || t.Note != "" || t.Watch != "" || len(t.MyTags) > 0
	if !t.Added.IsZero() {
		d[fieldAdded] = t.Added.UTC().Format(startLayout)
	}
	d[fieldFacet] = facets
	return d
}

// allText is every text a query word can match, for fieldWords.
func allText(t *catalog.Talk) []string {
	texts := []string{t.Title, t.Abstract, t.Note, t.Series, t.Event}
	texts = append(texts, t.SpeakerNames()...)
	texts = append(texts, t.Tags...)
	texts = append(texts, t.MyTags...)
	return nonEmpty(texts)
}

// filterValue is how series, event, speaker and tag filters compare: by
// case-folded value, so that series=denog finds DENOG as series:denog does.
// Facets show the original spelling from fieldFacet.
func filterValue(s string) string { return strings.ToLower(s) }

func filterValues(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = filterValue(v)
	}
	return out
}

// cleanUTF8 replaces invalid UTF-8, and the replacement character itself,
// by "?": Bleve's fragmenter gives up on a field with either, and would
// pass invalid bytes into HTML fragments.
func cleanUTF8(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError) {
		return s // nearly every text: checked without decoding rune by rune
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "?"), "\uFFFD", "?")
}

func cleanAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = cleanUTF8(s)
	}
	return out
}

// nonEmpty drops empty strings, which would otherwise become a blank facet
// value. Normalized talks have none; this guards the ones that were not.
func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
