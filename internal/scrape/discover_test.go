package scrape

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/testfixture"
)

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// webSite is a test web site: files by path, a robots.txt, and a log of the
// requests it served.
type webSite struct {
	srv    *httptest.Server
	robots string
	mu     sync.Mutex
	pages  map[string]func(w http.ResponseWriter, r *http.Request)
	log    []string
}

func newWebSite(t *testing.T) *webSite {
	t.Helper()
	s := &webSite{pages: map[string]func(http.ResponseWriter, *http.Request){}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.RequestURI())
		h := s.pages[r.URL.Path]
		robots := s.robots
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			if robots == "" {
				http.NotFound(w, r)
				return
			}
			fmt.Fprint(w, robots)
			return
		}
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *webSite) serve(path, contentType string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
}

func (s *webSite) handle(path string, h func(w http.ResponseWriter, r *http.Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = h
}

func (s *webSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

func testFetcher(t *testing.T) *Fetcher {
	t.Helper()
	f, err := NewFetcher(FetcherConfig{AllowPrivate: true, RatePerHost: math.Inf(1), MaxAttempts: 1, BackoffBase: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// servePretalxDemocon serves the static copy of pretalx's demo event at
// /democon/: its pages and its schedule export.
func servePretalxDemocon(t *testing.T, s *webSite) []byte {
	nojs := readFile(t, testfixture.Shared(t, "pretalx-democon/schedule-nojs.html"))
	talk := readFile(t, testfixture.Shared(t, "pretalx-democon/talk/XFUR3C.html"))
	export := readFile(t, testfixture.Shared(t, "pretalx-democon/schedule.json"))
	s.serve("/democon/", "text/html; charset=utf-8", nojs)
	s.serve("/democon/schedule/nojs", "text/html; charset=utf-8", nojs)
	s.serve("/democon/talk/XFUR3C/", "text/html; charset=utf-8", talk)
	s.serve("/democon/schedule/export/schedule.json", "application/json", export)
	return export
}

// serveDenog serves DENOG 15's agenda page (its Jekyll body, which is the
// HTML the webSite serves, in a page), with the pretalx widget's event URL
// pointed at the test server, and a pretalx event whose exports are
// missing but whose talks API answers in three pages.
func serveDenog(t *testing.T, s *webSite) {
	md := string(readFile(t, testfixture.Shared(t, "denog/denog15_agenda.md")))
	parts := strings.SplitN(md, "---", 3)
	if len(parts) != 3 || !strings.Contains(parts[2], "<pretalx-schedule") {
		t.Fatalf("denog15_agenda.md has no front matter and widget")
	}
	body := strings.ReplaceAll(parts[2], "https://pretalx.com/", s.srv.URL+"/")
	page := "<!DOCTYPE html>\n<html><head><title>DENOG15 - Agenda</title></head><body>\n" + body + "\n</body></html>\n"
	s.serve("/de/meetings/denog15/agenda/", "text/html; charset=utf-8", []byte(page))
	servePretalxAPI(t, s)
}

func servePretalxAPI(t *testing.T, s *webSite) {
	fill := func(name string) []byte {
		b := readFile(t, filepath.Join("testdata", "discover", name))
		return bytes.ReplaceAll(b, []byte("{{api}}"), []byte(s.srv.URL+"/api/events/denog15"))
	}
	s.serve("/api/events/denog15/", "application/json", fill("api-event.json"))
	pages := map[string][]byte{"": fill("api-talks-1.json"), "2": fill("api-talks-2.json"), "4": fill("api-talks-3.json")}
	s.handle("/api/events/denog15/talks/", func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Query().Get("offset")]
		if !ok || r.URL.Query().Get("expand") == "" {
			http.Error(w, `{"detail": "bad page"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(page)
	})
}

func TestDiscoverPretalxPages(t *testing.T) {
	s := newWebSite(t)
	export := servePretalxDemocon(t, s)
	f := testFetcher(t)
	for _, path := range []string{"/democon/", "/democon/schedule/nojs", "/democon/talk/XFUR3C/"} {
		t.Run(path, func(t *testing.T) {
			d, err := Discover(context.Background(), f, s.srv.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			if d.Route != "pretalx schedule export" || d.URL != s.srv.URL+"/democon/schedule/export/schedule.json" || !strings.Contains(d.Via, "pretalx page of event democon") {
				t.Errorf("got route %q url %q via %q", d.Route, d.URL, d.Via)
			}
			if !bytes.Equal(d.Body, export) {
				t.Errorf("body is not the schedule export")
			}
		})
	}
}

func TestDiscoverExportDirectly(t *testing.T) {
	s := newWebSite(t)
	export := servePretalxDemocon(t, s)
	d, err := Discover(context.Background(), testFetcher(t), s.srv.URL+"/democon/schedule/export/schedule.json")
	if err != nil {
		t.Fatal(err)
	}
	detected, derr := formats.Detect(export)
	if derr != nil {
		t.Fatalf("pretalx's schedule.json is not detected: %v", derr)
	}
	if d.Route != "schedule export" || d.Via != "" || d.Format != detected || !bytes.Equal(d.Body, export) {
		t.Errorf("got route %q via %q format %q", d.Route, d.Via, d.Format)
	}
}

// DENOG's agenda page only embeds pretalx's widget. Its event has no
// schedule exports here, so discovery falls back to the talks API and
// pages through it.
func TestDiscoverEmbeddedWidgetFallsBackToAPI(t *testing.T) {
	s := newWebSite(t)
	serveDenog(t, s)
	d, err := Discover(context.Background(), testFetcher(t), s.srv.URL+"/de/meetings/denog15/agenda/")
	if err != nil {
		t.Fatal(err)
	}
	if d.Route != "pretalx API, 3 pages" || d.Format != formats.FormatPretalx || !strings.Contains(d.Via, "<pretalx-schedule event-url="+s.srv.URL+"/denog15/>") {
		t.Errorf("got route %q format %q via %q", d.Route, d.Format, d.Via)
	}
	wantRequests := []string{
		"/de/meetings/denog15/agenda/",
		"/denog15/schedule/export/schedule.json",
		"/denog15/schedule/export/schedule.xml",
		"/api/events/denog15/",
		"/api/events/denog15/talks/?expand=speakers%2Ctrack%2Csubmission_type%2Cslots%2Cslots.room%2Cresources%2Ctags&limit=50",
		"/api/events/denog15/talks/?expand=speakers%2Ctrack%2Csubmission_type&limit=2&offset=2",
		"/api/events/denog15/talks/?expand=speakers%2Ctrack%2Csubmission_type&limit=2&offset=4",
	}
	var got []string
	for _, r := range s.requests() {
		if r != "/robots.txt" {
			got = append(got, r)
		}
	}
	if !slices.Equal(got, wantRequests) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRequests, "\n"))
	}
	checkDenogTalks(t, d, s.srv.URL)
}

// checkDenogTalks reads what the pager handed over: all five talks of the
// three pages, named after the event object (DENOG15 → series DENOG) and
// shown in its zone.
func checkDenogTalks(t *testing.T, d *Discovery, base string) {
	t.Helper()
	var talks []*catalog.Talk
	skips, err := formats.Read(context.Background(), bytes.NewReader(d.Body), formats.Options{Format: d.Format, Name: d.URL}, func(tk *catalog.Talk) error {
		talks = append(talks, tk)
		return nil
	})
	if err != nil || len(skips) != 0 {
		t.Fatalf("read: skips %v, err %v", skips, err)
	}
	var got []string
	for _, tk := range talks {
		got = append(got, tk.Source.Key)
		if tk.Series != "DENOG" || tk.Event != "DENOG15" {
			t.Errorf("%s: series %q event %q", tk.Title, tk.Series, tk.Event)
		}
	}
	want := []string{"pretalx:denog15:D15AAA", "pretalx:denog15:D15BBB", "pretalx:denog15:D15CCC", "pretalx:denog15:D15DDD", "pretalx:denog15:D15EEE"}
	if !slices.Equal(got, want) {
		t.Fatalf("keys = %v", got)
	}
	sr := talks[2]
	if sr.Title != "Segment Routing in a Regional Carrier" || !slices.Equal(sr.SpeakerNames(), []string{"Lena Test", "Ole Beispiel"}) ||
		sr.Start.Format(time.RFC3339) != "2023-11-07T10:00:00+01:00" || sr.Source.URL != base+"/denog15/talk/D15CCC/" {
		t.Errorf("got %+v", sr)
	}
}

func TestDiscoverPretalxAPIURL(t *testing.T) {
	s := newWebSite(t)
	servePretalxAPI(t, s)
	for _, path := range []string{"/api/events/denog15/", "/api/events/denog15/talks/"} {
		t.Run(path, func(t *testing.T) {
			d, err := Discover(context.Background(), testFetcher(t), s.srv.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			if d.Route != "pretalx API, 3 pages" || d.Via != "" {
				t.Errorf("route %q via %q", d.Route, d.Via)
			}
			checkDenogTalks(t, d, s.srv.URL)
		})
	}
}

func TestDiscoverPretalxAPIPagerBounds(t *testing.T) {
	tests := []struct {
		name string
		next func(base string, r *http.Request) string
		want string
	}{
		{"next leads back", func(base string, r *http.Request) string { return base + "/api/events/x/talks/?expand=a" }, "leads back"},
		{"next never ends", func(base string, r *http.Request) string {
			offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
			return fmt.Sprintf("%s/api/events/x/talks/?expand=a&offset=%d", base, offset+1)
		}, "gave up after 200 pages"},
		{"next to another host", func(string, *http.Request) string { return "https://elsewhere.example/api/events/x/talks/?offset=2" }, "another host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newWebSite(t)
			s.handle("/api/events/x/talks/", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"count": 1, "next": %q, "previous": null, "results": []}`, tt.next(s.srv.URL, r))
			})
			_, err := Discover(context.Background(), testFetcher(t), s.srv.URL+"/api/events/x/talks/?expand=a")
			if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want EINVALID mentioning %q", err, tt.want)
			}
			pages := 0
			for _, r := range s.requests() {
				if strings.HasPrefix(r, "/api/events/x/talks/") {
					pages++
				}
			}
			if pages > maxAPIPages {
				t.Errorf("fetched %d pages, more than %d", pages, maxAPIPages)
			}
		})
	}
}

func TestDiscoverIndico(t *testing.T) {
	s := newWebSite(t)
	export := readFile(t, filepath.Join("..", "formats", "testdata", "indico", "event-contributions.json"))
	s.handle("/export/event/53.json", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("detail") != "contributions" {
			http.Error(w, "want detail=contributions", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(export)
	})
	for _, path := range []string{"/event/53/", "/event/53/timetable/", "/event/53/contributions/1102/"} {
		t.Run(path, func(t *testing.T) {
			d, err := Discover(context.Background(), testFetcher(t), s.srv.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			if d.Route != "Indico export API" || d.Format != formats.FormatIndico || d.URL != s.srv.URL+"/export/event/53.json?detail=contributions" {
				t.Errorf("route %q format %q url %q", d.Route, d.Format, d.URL)
			}
			n := 0
			if _, err := formats.Read(context.Background(), bytes.NewReader(d.Body), formats.Options{Format: d.Format, Name: d.URL}, func(*catalog.Talk) error {
				n++
				return nil
			}); err != nil || n != 4 {
				t.Errorf("read %d talks, %v; want 4", n, err)
			}
		})
	}
}

func TestDiscoverRefuses(t *testing.T) {
	s := newWebSite(t)
	plain := readFile(t, filepath.Join("testdata", "discover", "plain-page.html"))
	s.serve("/about/", "text/html", plain)
	s.serve("/event/77/", "text/html", plain) // an /event/<id>/ URL that is not Indico
	s.serve("/notes.txt", "text/plain", []byte("just some notes\n"))
	tests := []struct {
		path      string
		fragments []string
	}{
		{"/about/", []string{"web page talkdex cannot import", `"About the Example Network Group"`}},
		{"/event/77/", []string{"web page talkdex cannot import", "Indico export API", "HTTP 404"}},
		{"/notes.txt", []string{"not a schedule talkdex can read"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			d, err := Discover(context.Background(), testFetcher(t), s.srv.URL+tt.path)
			if d != nil || catalog.ErrorCode(err) != catalog.EINVALID {
				t.Fatalf("got %+v, %v; want EINVALID", d, err)
			}
			for _, f := range tt.fragments {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error %q does not mention %q", err, f)
				}
			}
		})
	}
	// A URL the fetcher refuses is refused before anything is fetched.
	if _, err := Discover(context.Background(), testFetcher(t), "ftp://example.org/schedule.json"); catalog.ErrorCode(err) != catalog.EINVALID {
		t.Errorf("ftp URL: %v", err)
	}
	// A missing page is ENOTFOUND.
	if _, err := Discover(context.Background(), testFetcher(t), s.srv.URL+"/gone/"); catalog.ErrorCode(err) != catalog.ENOTFOUND {
		t.Errorf("missing page: %v", err)
	}
}

// robots.txt binds discovery too: a webSite that disallows its exports gets
// no request for them, and the user hears why.
func TestDiscoverObeysRobots(t *testing.T) {
	s := newWebSite(t)
	servePretalxDemocon(t, s)
	s.robots = "User-agent: *\nDisallow: /democon/schedule/export/\n"
	_, err := Discover(context.Background(), testFetcher(t), s.srv.URL+"/democon/schedule/nojs")
	if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(err.Error(), "robots.txt") || !strings.Contains(err.Error(), "/democon/schedule/export/schedule.json") {
		t.Fatalf("err = %v, want a robots.txt refusal of the export", err)
	}
	for _, r := range s.requests() {
		if strings.HasPrefix(r, "/democon/schedule/export/") {
			t.Errorf("fetched %s, which robots.txt disallows", r)
		}
	}
}

// A page with JSON-LD events goes to whichever reader claims it.
func TestDiscoverJSONLDPage(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><title>Talk</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Event", "name": "Ten Years of Route Servers",
 "startDate": "2023-11-07T09:15:00+01:00", "performer": {"@type": "Person", "name": "Max Sample"},
 "superEvent": {"@type": "Event", "name": "DENOG15"}}</script></head><body><h1>Ten Years of Route Servers</h1></body></html>`)
	format, err := formats.Detect(page)
	if err != nil {
		t.Fatalf("no reader claims HTML with JSON-LD: %v", err)
	}
	s := newWebSite(t)
	s.serve("/talks/route-servers/", "text/html", page)
	d, err := Discover(context.Background(), testFetcher(t), s.srv.URL+"/talks/route-servers/")
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != format || !bytes.Equal(d.Body, page) || !strings.Contains(d.Route, "page with embedded talk data") {
		t.Errorf("route %q format %q", d.Route, d.Format)
	}
}
