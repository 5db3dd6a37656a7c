package scrape

import (
	"context"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestReinventParse(t *testing.T) {
	res := parseSiteFixture(t, reinventAdapter{}, "reinvent/catalog.json", reinventCatalog, "")
	if res.Series != "AWS re:Invent" || res.Event != "AWS re:Invent 2023" {
		t.Errorf("series %q event %q, want AWS re:Invent / AWS re:Invent 2023", res.Series, res.Event)
	}
	checkSiteTalks(t, "reinvent", res.Talks, []wantTalk{
		{title: "Designing made-up global networks",
			speakers: []catalog.Speaker{{Name: "Avery Example", Affiliation: "Amazon Web Services"}, {Name: "Quinn Sample", Affiliation: "Example Inc"}},
			start:    "2023-11-28T10:00:00-08:00", minutes: 60,
			links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=eeeeeeeeeee"}}},
		{title: "Serverless at an imaginary startup", speakers: []catalog.Speaker{{Name: "Riley Demo"}},
			start: "2023-11-29T13:30:00-08:00", minutes: 30},
		{title: "A session not yet scheduled"},
	})
	first := res.Talks[0]
	if first.Source.Key != "reinvent:2023:NET301" {
		t.Errorf("key %q, want the session code", first.Source.Key)
	}
	if len(first.Tags) != 1 || first.Tags[0] != "Networking & Content Delivery" || first.Room != "Venetian - Level 3, Room 1" || first.Track != "Breakout session" {
		t.Errorf("tags %q room %q track %q", first.Tags, first.Room, first.Track)
	}
}

func TestReinventParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		edition string
		code    string
	}{
		{"not JSON", "<html></html>", "2023", catalog.EINVALID},
		{"bad edition", `{"data":[]}`, "23", catalog.EINVALID},
		{"no times and no edition", `{"data":[{"thirdPartyID":"X1","title":"A talk","startDateTime":""}]}`, "", catalog.EINVALID},
	}
	for _, tc := range tests {
		_, err := reinventAdapter{}.Parse(context.Background(), Page{URL: reinventCatalog, Edition: tc.edition, Body: []byte(tc.body)})
		if catalog.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	res, err := reinventAdapter{}.Parse(context.Background(), Page{URL: reinventCatalog, Edition: "2022", Body: []byte(`{"data":[{"code":"X1","title":"A talk"}]}`)})
	if err != nil || res.Event != "AWS re:Invent 2022" || len(res.Talks) != 1 {
		t.Fatalf("with an edition: %+v, %v", res, err)
	}
}

func TestReinventTime(t *testing.T) {
	la := mustZone("America/Los_Angeles")
	tests := []struct {
		raw  string
		want string
	}{
		{`"2023-11-28T10:00:00-08:00"`, "2023-11-28T10:00:00-08:00"},
		{`"2023-11-28T10:00:00"`, "2023-11-28T10:00:00-08:00"},
		{`1701194400000`, "2023-11-28T10:00:00-08:00"},
		{`1701194400`, "2023-11-28T10:00:00-08:00"},
		{`""`, ""},
		{`null`, ""},
		{`"soon"`, ""},
	}
	for _, tc := range tests {
		got := ""
		if tm := reinventTime([]byte(tc.raw), la); !tm.IsZero() {
			got = tm.In(la).Format(time.RFC3339)
		}
		if got != tc.want {
			t.Errorf("reinventTime(%s) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}
