package feeds

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talkdex/talkdex/internal/catalog"
)

// summaryRunes is roughly how long a summary may be. Feed readers show the
// summary in a list; the talk page has the rest.
const summaryRunes = 500

// plainText makes s safe for XML 1.0 character data and RFC 5545 TEXT:
// invalid UTF-8, C0 controls other than tab and newline, DEL, C1 controls
// and the non-characters U+FFFE and U+FFFF are dropped. Both formats forbid
// them, and encoding/xml would turn them into U+FFFD rather than fail, which
// shows readers a replacement box where nothing was meant. Line breaks are
// normalised to "\n" because a bare "\r" would end an iCalendar content line.
func plainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !strings.ContainsFunc(s, dropRune) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "") {
		if !dropRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func dropRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0xfffe || r == 0xffff:
		return true
	}
	return false
}

// line is plainText on one line: a title or a name, with white space runs
// (newlines included) folded into one space.
func line(s string) string {
	return catalog.CleanText(plainText(s))
}

// truncate shortens s to at most n runes, cutting at a word boundary when
// one is near and marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n-1]
	cut := len(runes)
	// Back up to a space, but not so far that most of the text is lost.
	for i := cut - 1; i > cut*4/5; i-- {
		if runes[i] == ' ' || runes[i] == '\n' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(runes[:cut]), " \n\t") + "…"
}

// speakerNames are the talk's speakers' names, made safe, blanks left out.
func speakerNames(t *catalog.Talk) []string {
	var names []string
	for _, s := range t.Speakers {
		if name := line(s.Name); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// cleanURL is plainText for a URL or IRI: white space cannot be part of
// one, and a line break in an iCalendar URI value (which is not escaped)
// would start a new property.
func cleanURL(s string) string {
	return strings.Join(strings.FieldsFunc(plainText(s), unicode.IsSpace), "")
}
