package scrape

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A site that changes its layout (or whose adapter never saw a real page)
// must not come back empty-handed: the page goes to the generic reader,
// and its talks land in the adapter's series and edition.
func TestScrapeFallsBackToGenericHeuristic(t *testing.T) {
	s := newWebSite(t)
	page := readFile(t, filepath.Join("testdata", "generic", "table.html"))
	s.serve("/stubnog7/", "text/html", page)
	r, err := Scrape(context.Background(), testFetcher(t), stubAdapter{s.srv.URL}, "7")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := ParseGeneric(context.Background(), s.srv.URL+"/stubnog7/", page)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := titlesOf(r.Talks), titlesOf(plain.Talks); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("titles %q, want the heuristic's %q", got, want)
	}
	for _, tk := range r.Talks {
		// Under the adapter's name, so that its next scrape withdraws
		// what the page drops, whichever way it reads the page.
		if tk.Series != "StubNOG" || tk.Event != "StubNOG7" || tk.Source.Name != "stubnog" || !strings.HasPrefix(tk.Source.Key, "stubnog:StubNOG7:") {
			t.Errorf("%q landed in %s/%s as %+v, want StubNOG/StubNOG7 under stubnog", tk.Title, tk.Series, tk.Event, tk.Source)
		}
	}
	if r.Series != "StubNOG" || r.Event != "StubNOG7" {
		t.Errorf("result names %s/%s", r.Series, r.Event)
	}
	if !strings.HasPrefix(r.Path, "stubnog did not recognise the page's layout; generic heuristic agenda extractor: ") {
		t.Errorf("path %q does not say the adapter fell back", r.Path)
	}
}

func TestScrapeFallbackFollowsScheduleLink(t *testing.T) {
	s := newWebSite(t)
	s.serve("/stubnog7/", "text/html", []byte(`<html><body><p>Our programme is in the <a href="/cal.ics">calendar</a>.</p></body></html>`))
	s.serve("/cal.ics", "text/calendar", readFile(t, filepath.Join("testdata", "generic", "calconf.ics")))
	r, err := Scrape(context.Background(), testFetcher(t), stubAdapter{s.srv.URL}, "7")
	if err != nil {
		t.Fatal(err)
	}
	if got := titlesOf(r.Talks); !slices.Equal(got, []string{"Calendars Considered Harmful", "Time Zones for the Weary"}) {
		t.Fatalf("titles %q", got)
	}
	for _, tk := range r.Talks {
		if tk.Series != "StubNOG" || tk.Event != "StubNOG7" {
			t.Errorf("%q landed in %s/%s, want StubNOG/StubNOG7", tk.Title, tk.Series, tk.Event)
		}
	}
	if want := "stubnog did not recognise the page's layout; generic: structured data, schedule export " + s.srv.URL + "/cal.ics found through the page's link to an ICS calendar"; r.Path != want {
		t.Errorf("path %q\nwant %q", r.Path, want)
	}
}

// A calendar on another site (a site-wide "add to calendar" service) is
// not the edition's program: the fallback does not follow it.
func TestScrapeFallbackIgnoresOffSiteCalendar(t *testing.T) {
	s := newWebSite(t)
	s.serve("/stubnog7/", "text/html", []byte(`<html><body><p>All our meetings in one <a href="https://calendar.example/all-meetings.ics">calendar</a>.</p></body></html>`))
	_, err := Scrape(context.Background(), testFetcher(t), stubAdapter{s.srv.URL}, "7")
	if err == nil || !strings.Contains(err.Error(), "found no talks") || strings.Contains(err.Error(), "calendar.example") {
		t.Fatalf("err %v, want found no talks without trying calendar.example", err)
	}
}

// A saved page cannot follow links: the fallback reads what the page
// itself holds and says what it left.
func TestScrapeFileFallbackWithoutNetwork(t *testing.T) {
	a, ok := AdapterByName("ausnog")
	if !ok {
		t.Fatal("no ausnog adapter")
	}
	r, err := ScrapeFile(context.Background(), a, filepath.Join("testdata", "generic", "list.html"), "2023", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Talks) == 0 {
		t.Fatal("no talks")
	}
	for _, tk := range r.Talks {
		if tk.Series != "AusNOG" || tk.Event != r.Event || tk.Source.Name != "ausnog" {
			t.Errorf("%q landed in %s/%s from %s, want AusNOG/%s under ausnog", tk.Title, tk.Series, tk.Event, tk.Source.Name, r.Event)
		}
	}
	if !strings.HasPrefix(r.Path, "ausnog did not recognise the page's layout; generic heuristic agenda extractor") {
		t.Errorf("path %q does not say the adapter fell back", r.Path)
	}
	if !strings.Contains(r.Event, "2023") {
		t.Errorf("event %q does not name the edition asked for", r.Event)
	}

	_, err = ScrapeFile(context.Background(), a, filepath.Join("testdata", "generic", "ics-link.html"), "2023", "")
	if err == nil || !strings.Contains(err.Error(), "found no talks") {
		t.Fatalf("a saved page that only links its calendar: err %v", err)
	}
}

// A draft agenda's "Talk" and "TBA" slots are not talks, for the generic
// reader either: a page of nothing else yields none.
func TestGenericSkipsPlaceholderSlots(t *testing.T) {
	page := []byte(`<html><head><title>DraftNOG 3 Agenda</title></head><body><table>
<tr><th>Time</th><th>Title</th><th>Speaker</th></tr>
<tr><td>09:00-09:30</td><td>Talk</td><td></td></tr>
<tr><td>09:30-10:00</td><td>TBA</td><td></td></tr>
<tr><td>10:00-10:30</td><td>Anycast in the Attic</td><td>Robin Placeholder</td></tr>
<tr><td>10:30-11:00</td><td>Workshops</td><td></td></tr>
</table></body></html>`)
	r, err := ParseGeneric(context.Background(), "", page)
	if err != nil {
		t.Fatal(err)
	}
	if got := titlesOf(r.Talks); !slices.Equal(got, []string{"Anycast in the Attic"}) {
		t.Errorf("titles %q, want only the named talk", got)
	}
}
