package scrape

import (
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestAtscaleParse(t *testing.T) {
	res := parseSiteFixture(t, atscaleAdapter{}, "atscale/networking-2023.html", "https://atscaleconference.com/events/networking-2023/", "")
	if res.Series != "Networking @Scale" || res.Event != "Networking @Scale 2023" {
		t.Errorf("series %q event %q, want Networking @Scale / Networking @Scale 2023", res.Series, res.Event)
	}
	checkSiteTalks(t, "atscale", res.Talks, []wantTalk{
		{title: "Backbone capacity planning with made-up numbers", speakers: []catalog.Speaker{{Name: "Robin Example", Affiliation: "Meta"}},
			start: "2023-06-07T10:00:00-07:00", minutes: 20,
			links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://atscaleconference.com/videos/backbone-capacity-planning/"}}},
		{title: "Optical fault isolation", speakers: []catalog.Speaker{{Name: "Taylor Sample", Affiliation: "Example Corp"}, {Name: "Morgan Demo", Affiliation: "Meta"}},
			start: "2023-06-07T10:20:00-07:00", minutes: 40,
			links: []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://atscaleconference.com/videos/optical-fault-isolation/"}}},
	})
	if got := res.Talks[0].Abstract; got != "An invented description of the talk." {
		t.Errorf("abstract %q", got)
	}
}

func TestAtscaleOtherTopics(t *testing.T) {
	series, year, err := atscaleEdition("systems-2022")
	if err != nil || series != "Systems @Scale" || year != 2022 {
		t.Errorf("atscaleEdition(systems-2022) = %q, %d, %v; want Systems @Scale, 2022", series, year, err)
	}
	series, _, err = atscaleEdition("video-infra-2024")
	if err != nil || series != "Video Infra @Scale" {
		t.Errorf("atscaleEdition(video-infra-2024) = %q, %v; want Video Infra @Scale", series, err)
	}
}

// A saved page with no URL or edition is named by its title.
func TestAtscaleEditionFromTitle(t *testing.T) {
	res := parseSiteFixture(t, atscaleAdapter{}, "atscale/networking-2023.html", "", "")
	if res.Event != "Networking @Scale 2023" || len(res.Talks) != 2 {
		t.Errorf("event %q with %d talks, want Networking @Scale 2023 with 2", res.Event, len(res.Talks))
	}
}
