package feeds

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"fits", "short text", 10, "short text"},
		{"cut at a word", "one two three four five six", 22, "one two three four…"},
		{"no space near: cut hard", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
		{"runes, not bytes", strings.Repeat("東", 12), 10, strings.Repeat("東", 9) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("truncate(%q, %d) = %q; want %q", tt.in, tt.n, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > tt.n {
				t.Errorf("result has %d runes; limit %d", n, tt.n)
			}
		})
	}
}

func TestPlainTextKeepsLineStructure(t *testing.T) {
	got := plainText("a\r\nb\rc\n\td\x00e")
	if want := "a\nb\nc\n\tde"; got != want {
		t.Errorf("plainText = %q; want %q", got, want)
	}
}
