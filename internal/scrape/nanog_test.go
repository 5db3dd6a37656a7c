package scrape

import (
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestNanogParse(t *testing.T) {
	res := parseSiteFixture(t, nanogAdapter{}, "nanog/agenda.html", "https://archive.nanog.org/meetings/nanog68/agenda", "")
	if res.Series != "NANOG" || res.Event != "NANOG 68" {
		t.Errorf("series %q event %q, want NANOG / NANOG 68", res.Series, res.Event)
	}
	checkSiteTalks(t, "nanog", res.Talks, []wantTalk{
		{title: "Conference Opening", speakers: []catalog.Speaker{{Name: "Chris Sample", Affiliation: "Example Networks"}},
			minutes: 15, links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://www.youtube.com/watch?v=bbbbbbbbbbb"}}},
		{title: "Measuring anycast catchments at scale",
			speakers: []catalog.Speaker{{Name: "Dana Placeholder", Affiliation: "Example University"}, {Name: "Lee Fiction", Affiliation: "Example CDN"}},
			minutes:  30, links: []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://archive.nanog.org/meetings/nanog68/presentations/Monday/anycast.pdf"}}},
	})
	if got := res.Talks[0].Abstract; got != "Invented words about the opening." {
		t.Errorf("abstract %q", got)
	}
	if got := res.Talks[0].Room; got != "Grand Ballroom" {
		t.Errorf("room %q, want Grand Ballroom", got)
	}
}

// The edition comes from the page title when the URL does not name it.
func TestNanogEditionFromTitle(t *testing.T) {
	res := parseSiteFixture(t, nanogAdapter{}, "nanog/agenda.html", "file:///saved/agenda.html", "")
	if res.Event != "NANOG 68" {
		t.Errorf("event %q, want NANOG 68", res.Event)
	}
}

func TestNanogEditionURLsBySite(t *testing.T) {
	tests := []struct{ edition, want string }{
		{"68", "https://archive.nanog.org/meetings/nanog68/agenda"},
		{"96", "https://nanog.org/events/nanog-96/agenda/"},
	}
	for _, tc := range tests {
		urls, err := nanogAdapter{}.EditionURLs(tc.edition)
		if err != nil || len(urls) != 1 || urls[0] != tc.want {
			t.Errorf("EditionURLs(%s) = %q, %v; want %q", tc.edition, urls, err, tc.want)
		}
		if e, ok := (nanogAdapter{}).Match(mustParse(tc.want)); !ok || e != tc.edition {
			t.Errorf("Match(%s) = %q, %v", tc.want, e, ok)
		}
	}
	if _, ok := (nanogAdapter{}).Match(mustParse("https://www.nanog.org/events/nanog-87-hackathon/")); ok {
		t.Error("a hackathon page matches as a meeting agenda")
	}
}
