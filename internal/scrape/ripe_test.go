package scrape

import (
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestRipeParse(t *testing.T) {
	res := parseSiteFixture(t, ripeAdapter{}, "ripe/plenary.html", "https://ripe88.ripe.net/programme/meeting-plan/plenary/", "")
	if res.Series != "RIPE" || res.Event != "RIPE 88" {
		t.Errorf("series %q event %q, want RIPE / RIPE 88", res.Series, res.Event)
	}
	checkSiteTalks(t, "ripe", res.Talks, []wantTalk{
		{title: "Counting IPv6 addresses nobody uses", speakers: []catalog.Speaker{{Name: "Eva Beispiel", Affiliation: "Example NCC"}},
			minutes: 30, links: []catalog.Link{
				{Kind: catalog.LinkPage, URL: "https://ripe88.ripe.net/programme/meeting-plan/sessions/12/"},
				{Kind: catalog.LinkSlides, URL: "https://ripe88.ripe.net/wp-content/uploads/presentations/12-ipv6-counting.pdf"},
				{Kind: catalog.LinkVideo, URL: "https://ripe88.ripe.net/archives/video/1234/"},
			}},
		{title: "Routing security in the RIPE region (made-up study)", speakers: []catalog.Speaker{{Name: "Jan Voorbeeld"}, {Name: "Maria Ejemplo"}}, minutes: 30},
	})
}

func TestRipeTimesInStatedOffset(t *testing.T) {
	body := []byte(`<html><head><title>Plenary - RIPE 91</title></head><body>
<p>All times are local (UTC +0300)</p>
<h2>Monday, 20 October</h2>
<table><tr><th>Time</th><th>Title</th><th>Speaker</th></tr>
<tr><td>14:00 - 14:25</td><td>An invented measurement talk</td><td>Ayşe Örnek</td></tr>
<tr><td>14:25 - 14:30</td><td>Break</td><td></td></tr></table></body></html>`)
	res, err := ripeAdapter{}.Parse(t.Context(), Page{URL: "https://ripe91.ripe.net/programme/meeting-plan/plenary/", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	checkSiteTalks(t, "ripe", res.Talks, []wantTalk{
		{title: "An invented measurement talk", speakers: []catalog.Speaker{{Name: "Ayşe Örnek"}}, start: "2025-10-20T14:00:00+03:00", minutes: 25},
	})
}

// A programme that links into pretalx.ripe.net is handed to the pretalx
// importer.
func TestRipeDelegatesToPretalx(t *testing.T) {
	body := []byte(`<html><head><title>Plenary - RIPE 91</title></head><body><table>
<tr><th>Time</th><th>Title</th><th>Speaker</th></tr>
<tr><td>14:00</td><td><a href="/programme/meeting-plan/sessions/30/ABC123/">A talk</a></td><td>A Person</td></tr>
<tr><td></td><td><a href="https://pretalx.ripe.net/media/ripe91/submissions/ABC123/resources/slides.pdf">slides</a></td><td></td></tr>
</table></body></html>`)
	res, err := ripeAdapter{}.Parse(t.Context(), Page{URL: "https://ripe91.ripe.net/programme/meeting-plan/plenary/", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if res.Delegate != "https://pretalx.ripe.net/ripe91/" || res.Event != "RIPE 91" || len(res.Talks) != 0 {
		t.Errorf("delegate %q event %q talks %d; want the pretalx event, RIPE 91, none", res.Delegate, res.Event, len(res.Talks))
	}
}
