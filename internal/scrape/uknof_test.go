package scrape

import (
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestUknofEventPageDelegates(t *testing.T) {
	res := parseSiteFixture(t, uknofAdapter{}, "uknof/event.html", "https://indico.uknof.org.uk/event/58/timetable/", "")
	if res.Series != "UKNOF" || res.Event != "UKNOF53" {
		t.Errorf("series %q event %q, want UKNOF / UKNOF53", res.Series, res.Event)
	}
	if res.Delegate != "https://indico.uknof.org.uk/event/58/" {
		t.Errorf("delegate %q, want the event URL", res.Delegate)
	}
	if len(res.Talks) != 0 {
		t.Errorf("%d talks; the Indico importer reads them", len(res.Talks))
	}
}

func TestUknofListingFindsEdition(t *testing.T) {
	tests := []struct {
		edition  string
		delegate string
	}{
		{"53", "https://indico.uknof.org.uk/event/58/"},
		{"5", "https://indico.uknof.org.uk/event/7/"}, // not UKNOF53 or UKNOF54
	}
	for _, tc := range tests {
		res := parseSiteFixture(t, uknofAdapter{}, "uknof/category.html", "https://indico.uknof.org.uk/", tc.edition)
		if res.Delegate != tc.delegate || res.Event != "UKNOF"+tc.edition {
			t.Errorf("edition %s: delegate %q event %q, want %q UKNOF%s", tc.edition, res.Delegate, res.Event, tc.delegate, tc.edition)
		}
	}
}

func TestUknofListingWithoutEdition(t *testing.T) {
	body := readFile(t, "testdata/uknof/category.html")
	_, err := uknofAdapter{}.Parse(t.Context(), Page{URL: "https://indico.uknof.org.uk/", Edition: "60", Body: body})
	if catalog.ErrorCode(err) != catalog.ENOTFOUND {
		t.Errorf("edition 60 not listed: %v, want ENOTFOUND", err)
	}
}

func TestUknofMatch(t *testing.T) {
	a := uknofAdapter{}
	if _, ok := a.Match(mustParse("https://indico.uknof.org.uk/event/58/timetable/")); !ok {
		t.Error("an event URL does not match")
	}
	if _, ok := a.Match(mustParse("https://indico.uknof.org.uk/category/2/")); ok {
		t.Error("a category URL matches; only event URLs say which meeting")
	}
}
