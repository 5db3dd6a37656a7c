package index

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestFoldText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"čermák", "cermak"},
		{"weiß", "weiss"},
		{"služby", "sluzby"},
		{"łódź", "lodz"},
		{"søren", "soren"},
		{"ærø", "aero"},
		{"déploiements", "deploiements"},
		{"plain", "plain"},
		{"東京", "東京"}, // no diacritics to remove
	}
	for _, tt := range tests {
		if got := foldText(tt.in); got != tt.want {
			t.Errorf("foldText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSearchFoldsAccents checks that names and words are found however
// their accents are typed, and that highlights still mark the text as
// written.
func TestSearchFoldsAccents(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "CSNOG", Event: "CSNOG 2023", Year: 2023, Title: "Turris Omnia Router Security",
			Speakers: speakers("Jan Čermák")},
		{ID: 2, Series: "DENOG", Event: "DENOG15", Year: 2023, Title: "Straßenbau und Glasfaser",
			Speakers: speakers("Ulrike Weiß"), Language: "de"},
		{ID: 3, Series: "PLNOG", Event: "PLNOG 30", Year: 2022, Title: "Sieć w służbie zdrowia",
			Speakers: speakers("Łukasz Nowak")},
		{ID: 4, Series: "NANOG", Event: "NANOG 88", Year: 2023, Title: "Cermak Street data center tour",
			Speakers: speakers("Ana Lopez")},
	}
	ix := loadTalks(t, talks)
	tests := []struct {
		query string
		want  []int64
	}{
		{"cermak router", []int64{1}},
		{"čermák router", []int64{1}},
		{"speaker:cermak", []int64{1}},
		{"cermak", []int64{1, 4}}, // the plain spelling also finds the accented name
		{"weiss glasfaser", []int64{2}},
		{"speaker:weiß", []int64{2}},
		{"sluzbie zdrowia", []int64{3}},
		{"lukasz nowak", []int64{3}},
	}
	for _, tt := range tests {
		res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
		if got := sortedIDs(res); !slices.Equal(got, tt.want) {
			t.Errorf("%q found %v, want %v", tt.query, got, tt.want)
		}
	}
	res := runSearchOver(t, ix, talks, catalog.SearchRequest{Query: "cermak router"})
	if len(res.Hits) == 0 || !slices.ContainsFunc(res.Hits[0].Highlights[fieldSpeakers], func(f string) bool {
		return strings.Contains(f, "<mark>Čermák</mark>")
	}) {
		t.Errorf("speaker highlight of %q: %v", "cermak router", res.Hits)
	}
}

// TestTyposAndPrefixesInEveryLanguage: a typo or a cut-short word finds
// the talk whose prose is analysed in another language than English, where
// the corrected word stems differently ("hackeando" is "hack" in Spanish).
func TestTyposAndPrefixesInEveryLanguage(t *testing.T) {
	ix := loadTalks(t, []*catalog.Talk{
		{ID: 1, Series: "PyConES", Event: "PyConES 2019", Year: 2019, Language: "es",
			Title: "Hackeando el kernel con Python"},
		{ID: 2, Series: "DENOG", Event: "DENOG12", Year: 2020, Language: "de",
			Title: "Glasfasernetze im ländlichen Raum"},
		{ID: 3, Series: "NANOG", Event: "NANOG 80", Year: 2020,
			Title: "Kernel bypass networking"},
	})
	tests := []struct {
		query string
		want  int64
	}{
		{"hakeando kernel", 1}, // a letter missing
		{"hcakeando", 1},       // two letters swapped
		{"hackean", 1},         // cut short, as typed
		{"glasfasrnetze", 2},   // a letter missing
		{"glasfas raum", 2},    // cut short in the middle
	}
	for _, tt := range tests {
		res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
		if !slices.Contains(hitIDs(res), tt.want) {
			t.Errorf("%q found %v, want talk %d among them", tt.query, hitIDs(res), tt.want)
		}
	}
}

// mayFold may only skip what foldText leaves as it is: checked for every
// character of the Basic Multilingual Plane and for words of several
// scripts, alone and after a combining mark.
func TestMayFoldSkipsOnlyWhatFoldingKeeps(t *testing.T) {
	check := func(s string) {
		if !mayFold([]byte(s)) && foldText(s) != s {
			t.Errorf("mayFold(%q) = false, but foldText makes it %q", s, foldText(s))
		}
	}
	for r := rune(0x80); r <= 0xFFFF; r++ {
		if utf8.ValidRune(r) {
			check(string(r))
			check("a" + string(r))
		}
	}
	for _, s := range []string{"сеть", "йога", "маршрутизация", "δίκτυο", "网络", "ネットワーク", "が", "한국어",
		"\u1100\u1161", "e\u0301", "straße", "čermák", "ﬁ", "Ⅻ"} {
		check(s)
	}
	if mayFold([]byte("network")) || mayFold([]byte("сеть")) {
		t.Error("mayFold asks to fold a plain ASCII or Cyrillic word")
	}
	if got := foldText("ħamrun"); got != "hamrun" {
		t.Errorf("foldText(ħamrun) = %q", got)
	}
	if !mayFold([]byte("čermák")) || !mayFold([]byte("straße")) {
		t.Error("mayFold skips a word with accents or ß")
	}
}
