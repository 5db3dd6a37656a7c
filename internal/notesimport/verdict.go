package notesimport

import "strings"

// verdictRatings maps verdict phrases to suggested stars. SuggestRating
// picks the longest phrase found, so "really really good" outranks "really
// good" and "good", and "not good" outranks "good".
func verdictRatings() map[string]int {
	table := map[int][]string{
		5: {"super good", "really really good", "very very good", "excellent", "amazing", "awesome",
			"outstanding", "fantastic", "brilliant", "superb", "must watch", "must see", "a must",
			"mind blowing", "the best", "loved it", "highly recommended"},
		4: {"really good", "very good", "great", "good", "so good", "pretty good", "quite good",
			"very interesting", "really interesting", "super interesting", "very nice", "really nice",
			"recommended", "worth watching", "worth it", "solid", "insightful", "liked it", "useful",
			"very useful", "informative", "not bad at all"},
		3: {"interesting", "interesting both parts", "second part interesting", "first part interesting",
			"quite interesting", "nice", "ok", "okay", "fine", "decent", "not bad", "average",
			"good but", "interesting but", "so so"},
		2: {"meh", "not great", "not good", "not very good", "not that good", "not interesting",
			"not really interesting", "boring", "too basic", "hard to follow", "disappointing",
			"mediocre", "skip", "too long"},
		1: {"bad", "very boring", "really boring", "very bad", "terrible", "awful", "waste of time",
			"useless", "rubbish", "not worth it", "not worth watching"},
	}
	m := map[string]int{}
	for stars, phrases := range table {
		for _, p := range phrases {
			m[p] = stars
		}
	}
	return m
}

// SuggestRating turns a verdict into suggested stars (1..5), or 0 when its
// words carry no rating. Case and punctuation do not matter; the longest
// phrase of the table found in the verdict decides. The result is a
// suggestion for the user to confirm, never a rating to store silently.
func SuggestRating(verdict string) int {
	ws := words(strings.ReplaceAll(verdict, "-", " "))
	best, bestPhrase := 0, ""
	for phrase, stars := range verdictRatings() {
		pw := strings.Fields(phrase)
		if !containsRun(ws, pw) {
			continue
		}
		if longerPhrase(phrase, bestPhrase) {
			best, bestPhrase = stars, phrase
		}
	}
	return best
}

// containsRun reports whether needle occurs as consecutive words in hay.
func containsRun(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		match := true
		for j, w := range needle {
			if hay[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// longerPhrase orders phrases by words, then letters, then alphabetically,
// so that the winner never depends on map iteration order.
func longerPhrase(a, b string) bool {
	aw, bw := len(strings.Fields(a)), len(strings.Fields(b))
	switch {
	case aw != bw:
		return aw > bw
	case len(a) != len(b):
		return len(a) > len(b)
	}
	return a < b
}
