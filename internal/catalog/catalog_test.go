package catalog

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestNormalizeTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Peering DB Update", "peering db update"},
		{"  peering-db  update! ", "peering db update"},
		{"Zurück zur Übersicht", "zurück zur übersicht"},
		{"RoCE/RDMA (v2)", "roce rdma v2"},
		{"", ""},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := NormalizeTitle(tt.in); got != tt.want {
			t.Errorf("NormalizeTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSourceKey(t *testing.T) {
	tests := []struct {
		name string
		talk Talk
		want string
	}{
		{"source id wins", Talk{Event: "E", Title: "T", Source: Source{Key: "frab:123", URL: "https://x/y"}}, "frab:123"},
		{"then the URL", Talk{Event: "E", Title: "T", Source: Source{URL: " https://x/y/ "}}, "url:https://x/y"},
		{"then event and title", Talk{Event: "DENOG 9", Title: "Peering-DB Update"}, "title:denog 9|peering db update"},
	}
	for _, tt := range tests {
		if got := SourceKey(&tt.talk); got != tt.want {
			t.Errorf("%s: SourceKey = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTalkNormalize(t *testing.T) {
	start := time.Date(2017, 11, 23, 13, 15, 0, 0, time.FixedZone("", 3600))
	talk := Talk{
		Series: " DENOG ", Event: "DENOG9\n", Title: "  Peering   DB Update ",
		Speakers: []Speaker{{Name: " Arnold  Nipper "}, {Name: "  "}},
		Tags:     []string{" bgp ", ""},
		Links:    []Link{{URL: " http://a/b.pdf "}, {Kind: LinkVideo, URL: ""}},
		Start:    start, Language: " DE ",
	}
	talk.Normalize()
	if talk.Series != "DENOG" || talk.Event != "DENOG9" || talk.Title != "Peering DB Update" {
		t.Errorf("names not cleaned: %q %q %q", talk.Series, talk.Event, talk.Title)
	}
	if len(talk.Speakers) != 1 || talk.Speakers[0].Name != "Arnold Nipper" {
		t.Errorf("speakers: %+v", talk.Speakers)
	}
	if len(talk.Tags) != 1 || talk.Tags[0] != "bgp" {
		t.Errorf("tags: %q", talk.Tags)
	}
	if len(talk.Links) != 1 || talk.Links[0] != (Link{Kind: LinkOther, URL: "http://a/b.pdf"}) {
		t.Errorf("links: %+v", talk.Links)
	}
	if talk.Year != 2017 || talk.Language != "de" {
		t.Errorf("year %d language %q", talk.Year, talk.Language)
	}
	if talk.Source.Key != "title:denog9|peering db update" {
		t.Errorf("source key %q", talk.Source.Key)
	}
	empty := Talk{}
	empty.Normalize()
	if empty.Speakers == nil || empty.Tags == nil || empty.Links == nil {
		t.Errorf("nil slices after Normalize: %+v", empty)
	}
}

func TestTalkValidate(t *testing.T) {
	ok := Talk{Series: "S", Event: "E", Title: "T"}
	tests := []struct {
		name   string
		change func(*Talk)
		want   string // substring of the message; "" means valid
	}{
		{"valid", func(*Talk) {}, ""},
		{"no title", func(t *Talk) { t.Title = "" }, "no title"},
		{"no series", func(t *Talk) { t.Series = "" }, "no series"},
		{"no event", func(t *Talk) { t.Event = "" }, "no event"},
		{"rating 6", func(t *Talk) { t.Rating = 6 }, "rating 6"},
		{"rating -1", func(t *Talk) { t.Rating = -1 }, "rating -1"},
		{"huge note", func(t *Talk) { t.Note = string(make([]byte, MaxNoteBytes+1)) }, "note of"},
	}
	for _, tt := range tests {
		talk := ok
		tt.change(&talk)
		err := talk.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.want != "" && (err == nil || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want)):
			t.Errorf("%s: got %v, want EINVALID mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestSearchRequestNormalize(t *testing.T) {
	tests := []struct {
		name string
		req  SearchRequest
		want string
	}{
		{"defaults", SearchRequest{}, ""},
		{"unknown sort", SearchRequest{Sort: "loudest"}, `unknown sort "loudest"`},
		{"page 0 after default", SearchRequest{Page: -1}, "page -1"},
		{"page too far", SearchRequest{Page: MaxPage + 1}, "page"},
		{"per_page too big", SearchRequest{PerPage: MaxPerPage + 1}, "per_page"},
		{"min rating 6", SearchRequest{Filter: TalkFilter{MinRating: 6}}, "min_rating 6"},
		{"has audio", SearchRequest{Filter: TalkFilter{Has: []string{"audio"}}}, `has="audio"`},
	}
	for _, tt := range tests {
		err := tt.req.Normalize()
		if tt.want == "" {
			if err != nil || tt.req.Page != 1 || tt.req.PerPage != DefaultPerPage || tt.req.Sort != SortRelevance {
				t.Errorf("%s: %v %+v", tt.name, err, tt.req)
			}
			continue
		}
		if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
			t.Errorf("%s: got %v, want EINVALID mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestErrorCodes(t *testing.T) {
	wrapped := fmt.Errorf("context: %w", Errorf(ENOTFOUND, "talk %d not found", 7))
	if ErrorCode(wrapped) != ENOTFOUND || ErrorMessage(wrapped) != "talk 7 not found" {
		t.Errorf("wrapped: %q %q", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	plain := errors.New("disk on fire")
	if ErrorCode(plain) != EINTERNAL || ErrorMessage(plain) != "internal error" {
		t.Errorf("plain errors must stay internal: %q %q", ErrorCode(plain), ErrorMessage(plain))
	}
	if ErrorCode(nil) != "" {
		t.Errorf("nil error has code %q", ErrorCode(nil))
	}
}

// TestNormalizeRepairsInvalidUTF8: bytes that are not UTF-8 (a Latin-1
// page read as UTF-8) become U+FFFD in every text of a talk, so that the
// talk reads the same as text and as JSON.
func TestNormalizeRepairsInvalidUTF8(t *testing.T) {
	bad := "M\xfcller \xe9t\xe9"
	tk := &Talk{
		Series: bad, Event: bad, Title: bad, Abstract: bad, Track: bad, Room: bad, Language: bad,
		Speakers: []Speaker{{Name: bad, Affiliation: bad}},
		Tags:     []string{bad},
		Links:    []Link{{Kind: bad, URL: "https://example.org/" + bad}},
	}
	tk.Normalize()
	texts := []string{tk.Series, tk.Event, tk.Title, tk.Abstract, tk.Track, tk.Room, tk.Language,
		tk.Speakers[0].Name, tk.Speakers[0].Affiliation, tk.Tags[0], tk.Links[0].Kind, tk.Links[0].URL}
	for i, s := range texts {
		if !utf8.ValidString(s) {
			t.Errorf("text %d is still not UTF-8: %q", i, s)
		}
	}
	if want := "M\uFFFDller \uFFFDt\uFFFD"; tk.Title != want {
		t.Errorf("title %q, want %q", tk.Title, want)
	}
}
