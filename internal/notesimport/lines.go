package notesimport

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineKind is what one line of a post is, judged on its own and its
// neighbours.
type lineKind int

const (
	lineBlank lineKind = iota
	lineRule           // "---", "***": an explicit section break
	lineBullet
	lineTalk
	lineHeading
	lineProse
)

// bulletMarkers start a note line. "-", "*" and "+" need a space after them
// so that "->" or "*nix" stay prose.
func bulletMarkers() []string {
	return []string{"•", "◦", "▪", "‣", "·", "- ", "* ", "+ ", "– "}
}

// bulletText returns the text of a bullet line without its marker.
func bulletText(line string) (string, bool) {
	s := strings.TrimSpace(line)
	for _, m := range bulletMarkers() {
		if rest, ok := strings.CutPrefix(s, m); ok {
			rest = strings.TrimSpace(rest)
			return rest, rest != ""
		}
	}
	return "", false
}

// isRule matches a line made only of three or more dashes, stars or
// underscores.
func isRule(line string) bool {
	s := strings.TrimSpace(line)
	if utf8.RuneCountInString(s) < 3 {
		return false
	}
	return strings.Trim(s, "-*_—–= ") == ""
}

// talkLine is the parsed form of "Title: video — verdict".
type talkLine struct {
	title, verdict string
	// bare means the line is only "Title:" with nothing after the colon:
	// a talk line only if notes follow it.
	bare bool
}

// maxTalkLineBytes bounds what can be a talk line: a title and a verdict
// fit in a few hundred bytes, and trying every colon of a long paragraph
// would cost time quadratic in its length.
const maxTalkLineBytes = 600

// mediaWords may follow the colon of a talk line.
func mediaWords() []string { return []string{"video", "slides", "recording"} }

// parseTalkLine recognises "Title: video — verdict" and its variants: any
// dash, spaces before the colon, no "video", no verdict, or a verdict right
// after "video". It tries the last colon first because titles hold colons
// of their own ("Containerlab: the power of …: video").
func parseTalkLine(line string) (talkLine, bool) {
	s := strings.TrimSpace(line)
	if _, isBullet := bulletText(s); isBullet || s == "" || len(s) > maxTalkLineBytes {
		return talkLine{}, false
	}
	for idx := strings.LastIndex(s, ":"); idx > 0; idx = strings.LastIndex(s[:idx], ":") {
		rest := s[idx+1:]
		if rest != "" {
			r, _ := utf8.DecodeRuneInString(rest)
			if !unicode.IsSpace(r) {
				continue // "re:Invent", "https://": not a separator
			}
		}
		title := strings.Join(strings.Fields(s[:idx]), " ")
		if !plausibleTitle(title) {
			continue
		}
		rest = strings.TrimSpace(rest)
		if rest == "" {
			return talkLine{title: title, bare: true}, true
		}
		if verdict, ok := afterMediaWord(rest); ok {
			return talkLine{title: title, verdict: verdict}, true
		}
		if verdict, ok := cutDash(rest); ok {
			return talkLine{title: title, verdict: verdict}, true
		}
	}
	return talkLine{}, false
}

// afterMediaWord accepts "video", "video — verdict" and "video verdict".
func afterMediaWord(rest string) (string, bool) {
	lower := strings.ToLower(rest)
	for _, w := range mediaWords() {
		if !strings.HasPrefix(lower, w) {
			continue
		}
		after := rest[len(w):]
		if r, _ := utf8.DecodeRuneInString(after); after != "" && isWordRune(r) {
			continue // "videos of the day": not the media word
		}
		after = strings.TrimSpace(after)
		if v, ok := cutDash(after); ok {
			return v, true
		}
		return strings.TrimSpace(strings.Trim(after, "()[],;")), true
	}
	return "", false
}

// cutDash strips a leading dash of any kind and returns what follows.
func cutDash(s string) (string, bool) {
	trimmed := strings.TrimLeft(s, "—–-‒―")
	if trimmed == s {
		return "", false
	}
	return strings.TrimSpace(trimmed), true
}

// plausibleTitle rejects colon-split heads that are prose, not titles.
func plausibleTitle(title string) bool {
	n := len(strings.Fields(title))
	if n == 0 || n > 25 {
		return false
	}
	return strings.IndexFunc(title, unicode.IsLetter) >= 0
}

// looksLikeHeading says whether a standalone line names an event: it is
// short, ends without sentence punctuation and carries a year, a NOG-style
// name ("Networking Scale 2023", "DENOG9", "AusNOG") or an acronym with an
// edition number ("RIPE 87"). A short line without such a marker
// ("Friendship > Love") is prose.
func looksLikeHeading(line string) bool {
	s := strings.TrimSpace(line)
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > 8 {
		return false
	}
	if last, _ := utf8.DecodeLastRuneInString(s); strings.ContainsRune(".!?:;,", last) {
		return false
	}
	acronym, number := false, false
	for _, f := range fields {
		core := strings.TrimFunc(f, func(r rune) bool { return !isWordRune(r) })
		acronym = acronym || (utf8.RuneCountInString(core) >= 3 && strings.ToUpper(core) == core && strings.IndexFunc(core, unicode.IsLetter) >= 0)
		number = number || (core != "" && len(core) <= 3 && isNumber(core))
	}
	if acronym && number {
		return true
	}
	for _, w := range words(s) {
		if yearOf(w) != 0 || isNOGName(w) {
			return true
		}
	}
	return false
}

// isNOGName matches network operator group names: "ausnog", "denog9",
// but not the word "nog" itself.
func isNOGName(w string) bool {
	w = strings.TrimRight(w, "0123456789")
	return len(w) >= 4 && strings.HasSuffix(w, "nog")
}

// yearOf returns w as a year when it is one (1990–2099), else 0.
func yearOf(w string) int {
	if len(w) != 4 {
		return 0
	}
	y := 0
	for _, r := range w {
		if r < '0' || r > '9' {
			return 0
		}
		y = y*10 + int(r-'0')
	}
	if y < 1990 || y > 2099 {
		return 0
	}
	return y
}

// classify assigns a kind to every line. Headings and bare "Title:" lines
// depend on their neighbours, so this looks around.
func classify(lines []string) []lineKind {
	kinds := make([]lineKind, len(lines))
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			kinds[i] = lineBlank
		case isRule(l):
			kinds[i] = lineRule
		default:
			if _, ok := bulletText(l); ok {
				kinds[i] = lineBullet
			} else {
				kinds[i] = lineProse
			}
		}
	}
	for i, l := range lines {
		if kinds[i] != lineProse {
			continue
		}
		if tl, ok := parseTalkLine(l); ok && (!tl.bare || nextNonBlank(kinds, i) == lineBullet) {
			kinds[i] = lineTalk
			continue
		}
		alone := (i == 0 || kinds[i-1] == lineBlank || kinds[i-1] == lineRule) &&
			(i+1 == len(lines) || kinds[i+1] == lineBlank || kinds[i+1] == lineRule)
		if alone && looksLikeHeading(l) {
			kinds[i] = lineHeading
		}
	}
	return kinds
}

func nextNonBlank(kinds []lineKind, i int) lineKind {
	for j := i + 1; j < len(kinds); j++ {
		if kinds[j] != lineBlank {
			return kinds[j]
		}
	}
	return lineBlank
}
