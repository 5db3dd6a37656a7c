package scrape

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// stubAdapter is a site whose program page lists one talk a line, and
// whose edition "99" hands its talks to an ICS calendar. An HTML page is a
// layout it does not know: it finds no talks there.
type stubAdapter struct{ base string }

func (a stubAdapter) Info() SourceInfo {
	return SourceInfo{Name: "stubnog", Series: "StubNOG", URLPatterns: []string{a.base + "/stubnog<N>/"}, Editions: "7 → StubNOG7"}
}

func (a stubAdapter) EditionURLs(edition string) ([]string, error) {
	if edition == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "stubnog needs an edition")
	}
	return []string{a.base + "/stubnog" + edition + "/"}, nil
}

func (a stubAdapter) Match(u *url.URL) (string, bool) {
	ed, ok := strings.CutPrefix(strings.Trim(u.Path, "/"), "stubnog")
	return ed, ok && strings.HasPrefix(a.base+"/", u.Scheme+"://"+u.Host+"/")
}

func (a stubAdapter) Parse(_ context.Context, p Page) (*Result, error) {
	r := &Result{Series: "StubNOG", Event: "StubNOG" + p.Edition, Path: "stubnog list"}
	body := string(p.Body)
	if rest, ok := strings.CutPrefix(body, "delegate "); ok {
		r.Delegate = strings.TrimSpace(rest)
		return r, nil
	}
	if strings.HasPrefix(strings.TrimSpace(body), "<") {
		return r, nil
	}
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			t := &catalog.Talk{Series: r.Series, Event: r.Event, Title: line,
				Source: catalog.Source{Name: "stubnog", Key: "stubnog:" + r.Event + ":" + catalog.NormalizeTitle(line)}}
			t.Normalize()
			r.Talks = append(r.Talks, t)
		}
	}
	return r, nil
}

func TestScrapeEdition(t *testing.T) {
	s := newWebSite(t)
	s.serve("/stubnog7/", "text/plain", []byte("First Talk\nSecond Talk\n"))
	r, err := Scrape(context.Background(), testFetcher(t), stubAdapter{s.srv.URL}, "7")
	if err != nil {
		t.Fatal(err)
	}
	if got := titlesOf(r.Talks); !slices.Equal(got, []string{"First Talk", "Second Talk"}) || r.Event != "StubNOG7" || r.Path != "stubnog list" {
		t.Errorf("talks %q of %q via %q", got, r.Event, r.Path)
	}
}

func TestScrapeNoTalksIsAnError(t *testing.T) {
	s := newWebSite(t)
	s.serve("/stubnog8/", "text/plain", []byte("\n"))
	_, err := Scrape(context.Background(), testFetcher(t), stubAdapter{s.srv.URL}, "8")
	if catalog.ErrorCode(err) != catalog.EINVALID {
		t.Fatalf("err %v, want EINVALID", err)
	}
	if want := "found no talks for StubNOG8 at " + s.srv.URL + "/stubnog8/; nothing was changed"; catalog.ErrorMessage(err) != want {
		t.Errorf("message %q\nwant %q", catalog.ErrorMessage(err), want)
	}
}

func TestScrapeFollowsDelegate(t *testing.T) {
	s := newWebSite(t)
	s.serve("/stubnog99/", "text/plain", []byte("delegate "+s.srv.URL+"/cal.ics"))
	s.serve("/cal.ics", "text/calendar", readFile(t, filepath.Join("testdata", "generic", "calconf.ics")))
	r, err := Scrape(context.Background(), testFetcher(t), stubAdapter{s.srv.URL}, "99")
	if err != nil {
		t.Fatal(err)
	}
	if got := titlesOf(r.Talks); !slices.Equal(got, []string{"Calendars Considered Harmful", "Time Zones for the Weary"}) {
		t.Fatalf("titles %q", got)
	}
	for _, tk := range r.Talks {
		if tk.Series != "StubNOG" || tk.Event != "StubNOG99" {
			t.Errorf("%q landed in %s/%s, want StubNOG/StubNOG99", tk.Title, tk.Series, tk.Event)
		}
	}
	if want := "stubnog list → schedule export " + s.srv.URL + "/cal.ics"; r.Path != want {
		t.Errorf("path %q, want %q", r.Path, want)
	}
}

func TestScrapeURLPrefersAdapter(t *testing.T) {
	s := newWebSite(t)
	s.serve("/stubnog7/", "text/plain", []byte("Only Talk\n"))
	f := testFetcher(t)
	// The registry does not know the stub, so go through the same steps
	// ScrapeURL takes once an adapter matched.
	a := stubAdapter{s.srv.URL}
	u, _ := url.Parse(s.srv.URL + "/stubnog7/")
	ed, ok := a.Match(u)
	if !ok || ed != "7" {
		t.Fatalf("Match = %q, %v", ed, ok)
	}
	r, err := fetchAndParse(context.Background(), f, a, u.String(), ed)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Talks) != 1 || r.Event != "StubNOG7" {
		t.Errorf("%d talks of %q", len(r.Talks), r.Event)
	}
}

func TestScrapeFile(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "page.txt")
	if err := os.WriteFile(saved, []byte("Saved Talk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := ScrapeFile(context.Background(), stubAdapter{"https://stub.example"}, saved, "5", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Talks) != 1 || r.Event != "StubNOG5" || r.Path != "stubnog list from "+saved {
		t.Errorf("%d talks of %q via %q", len(r.Talks), r.Event, r.Path)
	}

	delegating := filepath.Join(dir, "delegating.txt")
	if err := os.WriteFile(delegating, []byte("delegate https://pretalx.example/stubnog14/"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ScrapeFile(context.Background(), stubAdapter{"https://stub.example"}, delegating, "14", "")
	if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), "needs the network") {
		t.Errorf("delegating saved page: %v", err)
	}
}

func TestRegistry(t *testing.T) {
	names := map[string]bool{}
	for _, a := range Adapters() {
		info := a.Info()
		if info.Name == "" || info.Series == "" || len(info.URLPatterns) == 0 || info.Editions == "" {
			t.Errorf("adapter %T has incomplete info %+v", a, info)
		}
		if info.Checked && info.CheckedAgainst == "" {
			t.Errorf("%s is checked against nothing", info.Name)
		}
		if names[info.Name] {
			t.Errorf("two adapters named %q", info.Name)
		}
		names[info.Name] = true
		got, ok := AdapterByName(strings.ToUpper(info.Name))
		if !ok || got.Info().Name != info.Name {
			t.Errorf("AdapterByName(%q) = %v, %v", info.Name, got, ok)
		}
	}
	if _, ok := AdapterByName("no-such-source"); ok {
		t.Error("AdapterByName found a source that does not exist")
	}
	if _, _, ok := AdapterForURL(&url.URL{Scheme: "https", Host: "unrelated.example", Path: "/"}); ok {
		t.Error("an unrelated URL matched an adapter")
	}
}
