package notesimport

import (
	"math"
	"strings"

	"github.com/talkdex/talkdex/internal/editdist"
)

// titleForm is a title prepared for comparison.
type titleForm struct {
	norm string   // all words, folded, single-spaced: equality and trigrams
	toks []string // content tokens: stemmed, no stop words
	all  []string // every word, stemmed: for titles of one content word
	tri  map[string]int
}

func newTitleForm(s string) titleForm {
	f := titleForm{norm: strings.Join(words(s), " "), toks: contentTokens(s)}
	f.tri = trigrams(f.norm)
	for _, w := range words(s) {
		f.all = append(f.all, stem(w))
	}
	return f
}

// comparable returns the token lists to compare. A title of one content
// word is mostly stop words ("Where are the packets?"), and those words are
// then what tells it from another title with the same content word.
func comparable(q, c titleForm) ([]string, []string) {
	if len(q.toks) < 2 || len(c.toks) < 2 {
		return q.all, c.all
	}
	return q.toks, c.toks
}

// mainTitle is a title without its subtitle: the text before the first
// " (", ": " or spaced dash. Users often write only that part ("Vendor
// Support API" for "Vendor Support API (RMA automation …)").
func mainTitle(s string) string {
	cut := len(s)
	for _, sep := range []string{" (", ": ", " - ", " – ", " — ", " -- "} {
		if i := strings.Index(s, sep); i > 0 && i < cut {
			cut = i
		}
	}
	return strings.TrimSpace(s[:cut])
}

// tokenWeights gives each title word its inverse document frequency over
// the catalog's titles, so that a word in many titles ("network",
// "update") counts little and a rare one ("roce", "containerlab") much.
type tokenWeights struct {
	df map[string]int
	n  int
}

func newTokenWeights(forms []titleForm) tokenWeights {
	w := tokenWeights{df: map[string]int{}, n: len(forms)}
	for _, f := range forms {
		seen := map[string]bool{}
		for _, t := range f.all {
			if !seen[t] {
				seen[t] = true
				w.df[t]++
			}
		}
	}
	return w
}

func (w tokenWeights) of(tok string) float64 {
	return math.Log(1 + float64(w.n+1)/float64(max(w.df[tok], 1)))
}

// generic says whether a word appears in so many titles that sharing it
// says nothing about being the same talk.
func (w tokenWeights) generic(tok string) bool {
	return isGenericWord(tok) || float64(w.df[tok]) > max(2, 0.05*float64(w.n))
}

// isGenericWord reports words common in talk titles whatever the catalog
// holds.
func isGenericWord(tok string) bool {
	switch tok {
	case "network", "networking", "internet", "update", "introduction", "overview", "panel", "discussion",
		"using", "use", "case":
		return true
	}
	return false
}

// overlap is the weighted comparison of two token lists.
type overlap struct {
	// similarity is the lesser of the shares of each side's weight that
	// the other side matches. Unlike Dice, one rare word that only one
	// side has ("Non-Technical" against "Technical") costs its full
	// weight.
	similarity  float64
	queryWeight float64
	candWeight  float64
	// Distinctive words one side has and the other lacks: in the query
	// anywhere, in the candidate before its last matched word (a missing
	// tail is a truncation, a missing middle a different title).
	queryExtra, candExtra int
}

// weightedOverlap pairs each query token with a candidate token that is
// equal or a typo of it, each candidate token used once.
func (w tokenWeights) weightedOverlap(q, c []string) overlap {
	used := make([]bool, len(c))
	var o overlap
	common := 0.0
	for _, qt := range q {
		found := -1
		for j, ct := range c {
			if !used[j] && ct == qt {
				found = j
				break
			}
		}
		if found < 0 {
			for j, ct := range c {
				if !used[j] && similarWord(qt, ct) {
					found = j
					break
				}
			}
		}
		if found < 0 {
			o.queryWeight += w.of(qt)
			if !w.generic(qt) {
				o.queryExtra++
			}
			continue
		}
		used[found] = true
		wt := w.of(c[found])
		common += wt
		o.queryWeight += wt
	}
	lastUsed := -1
	for j, ct := range c {
		o.candWeight += w.of(ct)
		if used[j] {
			lastUsed = j
		}
	}
	for j := 0; j < lastUsed; j++ {
		if !used[j] && !w.generic(c[j]) {
			o.candExtra++
		}
	}
	if o.queryWeight > 0 && o.candWeight > 0 {
		o.similarity = min(common/o.queryWeight, common/o.candWeight)
	}
	return o
}

// Scores for title comparison.
const (
	scoreExact     = 1.0  // the same words, whatever the punctuation
	scoreMainExact = 0.95 // the same words as the title without its subtitle
	// A query that is the start of the candidate is a truncated title:
	// containBase plus up to containSpan by how much of the title it names.
	containBase = 0.8
	containSpan = 0.15
	// containMinWeight keeps short generic queries ("Network Automation")
	// from counting as truncations: about two rare words' worth.
	containMinWeight = 7.5
	tokenShare       = 0.65 // token similarity's share against trigrams
	// scoreFuzzyCap keeps any inexact comparison clearly below an exact
	// one, so that an exact title elsewhere makes a fuzzy one ambiguous
	// rather than the other way round.
	scoreFuzzyCap = 0.92
	// Each distinctive word the user wrote that the title lacks, or that
	// the title has amid the words the user wrote, makes a different talk
	// likelier ("DE-CIX Technical Update" is not "DE-CIX Non-Technical
	// Update").
	extraQueryWord = 0.9
	extraTitleWord = 0.93
)

// titleScore compares a title the user wrote with a catalog title form:
// token similarity (by weight, typo tolerant) blended with trigram
// similarity, or the exact and truncation scores when they apply.
func (w tokenWeights) titleScore(q, full, main titleForm) float64 {
	if q.norm == "" {
		return 0
	}
	if q.norm == full.norm {
		return scoreExact
	}
	if main.norm != "" && q.norm == main.norm {
		return scoreMainExact
	}
	best := 0.0
	for v, c := range []titleForm{full, main} {
		// The main title stands in only for queries no longer than it:
		// a longer query is a different talk that shares the main title
		// ("Automating Juniper Devices with Ansible" is not "Automating
		// Juniper Devices: The Later Years").
		if c.norm == "" || (v == 1 && len(q.toks) > len(c.toks)) {
			continue
		}
		qt, ct := comparable(q, c)
		o := w.weightedOverlap(qt, ct)
		s := tokenShare*o.similarity + (1-tokenShare)*trigramDice(q.tri, c.tri)
		s *= math.Pow(extraQueryWord, float64(o.queryExtra)) * math.Pow(extraTitleWord, float64(o.candExtra))
		if w.truncationOf(qt, ct) && o.candWeight > 0 {
			s = max(s, containBase+containSpan*min(1, o.queryWeight/o.candWeight))
		}
		best = max(best, s)
	}
	return min(best, scoreFuzzyCap)
}

// truncationOf says whether q is the start of c, word for word with at
// most a one-letter typo per word, and says enough (two or more words of
// some weight) not to be a generic phrase. Only a prefix counts: users cut
// titles short, while sharing words elsewhere ("On Routing Security" and
// "The State of Routing (In)Security") marks different talks.
func (w tokenWeights) truncationOf(q, c []string) bool {
	if len(q) < 2 || len(q) >= len(c) {
		return false
	}
	weight := 0.0
	for i, qt := range q {
		if qt != c[i] && (!similarWord(qt, c[i]) || editdist.Distance(qt, c[i]) > 1) {
			return false
		}
		weight += w.of(c[i])
	}
	return weight >= containMinWeight
}
