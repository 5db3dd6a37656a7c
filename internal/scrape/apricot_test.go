package scrape

import (
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestApricotParse(t *testing.T) {
	res := parseSiteFixture(t, apricotAdapter{}, "apricot/program.html", "https://2024.apricot.net/program/", "")
	if res.Series != "APRICOT" || res.Event != "APRICOT 2024" {
		t.Errorf("series %q event %q, want APRICOT / APRICOT 2024", res.Series, res.Event)
	}
	checkSiteTalks(t, "apricot", res.Talks, []wantTalk{
		{title: "Opening Ceremony", speakers: []catalog.Speaker{{Name: "Organising Committee"}}, minutes: 30},
		{title: "Keynote: Networks of the Pacific", speakers: []catalog.Speaker{{Name: "Ana Muestra", Affiliation: "Example Telecom"}},
			minutes: 30, links: []catalog.Link{
				{Kind: catalog.LinkPage, URL: "https://2024.apricot.net/program/schedule/#/day/3/keynote"},
				{Kind: catalog.LinkSlides, URL: "https://2024.apricot.net/assets/files/APRC2024/keynote.pdf"},
			}},
		{title: "BGP flowspec operations", speakers: []catalog.Speaker{{Name: "Ravi Example"}, {Name: "Bee Sample"}, {Name: "Chen Placeholder"}},
			minutes: 30, links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=ccccccccccc"}}},
	})
}

func TestApricotEditionURLsByYear(t *testing.T) {
	tests := []struct{ edition, want string }{
		{"2019", "https://2019.apricot.net/program/schedule/"},
		{"2024", "https://2024.apricot.net/program/program/"},
	}
	for _, tc := range tests {
		urls, err := apricotAdapter{}.EditionURLs(tc.edition)
		if err != nil || len(urls) != 1 || urls[0] != tc.want {
			t.Errorf("EditionURLs(%s) = %q, %v; want %q", tc.edition, urls, err, tc.want)
		}
	}
}

// A table without a header: time, title, speakers by position. The first
// row names "talks" and "timelines" but is a talk, not column labels.
func TestApricotParseWithoutHeader(t *testing.T) {
	res := parseSiteFixture(t, apricotAdapter{}, "apricot/program-noheader.html", "https://2023.apricot.net/program/program/", "")
	checkSiteTalks(t, "apricot", res.Talks, []wantTalk{
		{title: "Lightning talks on routing timelines", speakers: []catalog.Speaker{{Name: "Sam Example"}}, minutes: 30},
		{title: "Operations at an invented IX", speakers: []catalog.Speaker{{Name: "Kai Sample", Affiliation: "Example IX"}}, minutes: 30,
			links: []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://example.org/slides/ops.pdf"}}},
	})
}
