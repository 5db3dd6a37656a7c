package index

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestHighlightSumKeepsItsBytes checks highlightSum against the bytes
// indexes of mapping version 7 were built with, as fmt prints them: a
// different sum for the same talk would leave every talk of an existing
// index unhighlighted until it is rebuilt.
func TestHighlightSumKeepsItsBytes(t *testing.T) {
	talks := append(sampleTalks(),
		&catalog.Talk{ID: 90, Title: "Only a title"},
		&catalog.Talk{ID: 91, Title: "Bad \xff bytes \uFFFD", Abstract: "Ünïcödé abstract", Note: "a note",
			Speakers: speakers("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven")},
	)
	for _, tk := range talks {
		h := fnv.New64a()
		eachHighlighted(tk, func(field string, arrayPositions []uint64, text string) {
			fmt.Fprintf(h, "%s\x00%v\x00%d\x00", field, arrayPositions, len(text))
			h.Write([]byte(text))
		})
		if got, want := highlightSum(tk), h.Sum64(); got != want {
			t.Errorf("talk %d: sum %x, indexes hold %x", tk.ID, got, want)
		}
	}
	a, b := *talks[0], *talks[0]
	b.Title += "!"
	if highlightSum(&a) == highlightSum(&b) {
		t.Error("a changed title keeps the sum")
	}
}

// TestCleanUTF8 checks the texts indexed and highlighted: valid text as
// it is, invalid bytes and the replacement character as "?".
func TestCleanUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"plain ascii":         "plain ascii",
		"Ünïcödé ✓":           "Ünïcödé ✓",
		"bad \xff byte":       "bad ? byte",
		"cut \xe2\x82":        "cut ?",
		"replaced \uFFFD one": "replaced ? one",
	} {
		if got := cleanUTF8(in); got != want {
			t.Errorf("cleanUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}
