package scrape

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Fuzz targets for every site adapter's Parse and for the generic
// extractor. A program page is whatever the site serves, so no body may
// panic a parser; what a parser returns must be usable as it stands: valid,
// normalised talks that carry the adapter's source name and a key, or an
// EINVALID error the user can read. ParseSpeakers has its own target in
// people_test.go.

// fuzzSite names an adapter, the page URL its fixtures were saved from (so
// that relative links and edition names resolve as on the live site), and
// the fixtures that seed its corpus.
type fuzzSite struct {
	adapter Adapter
	url     string
	seeds   []string // under testdata/; .md files are Jekyll sources rendered to the served page
}

func fuzzSites() map[string]fuzzSite {
	return map[string]fuzzSite{
		"denog":    {denogAdapter{}, "https://www.denog.de/de/meetings/denog9/agenda/", []string{"denog/two-days.html", "denog/programm-table.md", "denog/recordings.md", "denog/slides-list.md"}},
		"nznog":    {nznogAdapter{}, "https://nznog.org/conferences/nznog-2024/talks", []string{"nznog/talks.html", "nznog/programme.md", "nznog/talks-speaker-headings.md"}},
		"ausnog":   {ausnogAdapter{}, "https://www.ausnog.net/events/ausnog-2023/program", []string{"ausnog/program.html", "ausnog/program-list.html"}},
		"nanog":    {nanogAdapter{}, "https://archive.nanog.org/meetings/nanog68/agenda", []string{"nanog/agenda.html"}},
		"ripe":     {ripeAdapter{}, "https://ripe88.ripe.net/programme/meeting-plan/plenary/", []string{"ripe/plenary.html"}},
		"apricot":  {apricotAdapter{}, "https://2024.apricot.net/program/", []string{"apricot/program.html", "apricot/program-noheader.html"}},
		"uknof":    {uknofAdapter{}, "https://indico.uknof.org.uk/event/58/", []string{"uknof/event.html", "uknof/category.html"}},
		"esnog":    {esnogAdapter{}, "https://www.esnog.net/gore33/agenda.html", []string{"esnog/agenda.html", "esnog/agenda-one-table.html"}},
		"atscale":  {atscaleAdapter{}, "https://atscaleconference.com/events/networking-2023/", []string{"atscale/networking-2023.html"}},
		"reinvent": {reinventAdapter{}, reinventCatalog, []string{"reinvent/catalog.json"}},
	}
}

// hostileSeeds are small pages that poke at the edges every parser shares:
// empty and broken markup, deep nesting, odd encodings, huge attributes.
func hostileSeeds() []string {
	return []string{
		"",
		"<",
		"<html><title></title><body><table><tr><td></td></tr></table></body></html>",
		"<table><tr><td>10:00</td><td>Title</td><td>Speaker</td></tr><tr><td>25:99</td><td>x</td></tr></table>",
		"<table>" + strings.Repeat("<tr><td>", 200) + "</table>",
		strings.Repeat("<div>", 500) + "deep" + strings.Repeat("</div>", 500),
		"<ul><li><a href=\"javascript:alert(1)\">T</a> - <b>A / B</b></li><li><a href=\"%zz\">U</a></li></ul>",
		"<h2>Day 1</h2><h3>09:00 - 08:00</h3><p><strong>\xff\xfe</strong></p>",
		"<html><head><base href=\"::::\"></head><body><a href=\"/x.pdf\">slides</a></body></html>",
		`{"data":[{"title":null,"speakers":[{}],"times":[{"startTime":"x"}]}]}`,
		`{"sessions":[],"speakers":null}`,
	}
}

func fuzzAdapter(f *testing.F, name string) {
	site, ok := fuzzSites()[name]
	if !ok {
		f.Fatalf("no fuzz site %q", name)
	}
	for _, seed := range site.seeds {
		f.Add(fuzzSeedPage(f, seed), true)
	}
	for _, seed := range hostileSeeds() {
		f.Add([]byte(seed), true)
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, withURL bool) {
		page := Page{Body: body}
		if withURL {
			page.URL = site.url
		}
		res, err := site.adapter.Parse(context.Background(), page)
		checkParseResult(t, name, res, err)
		if err == nil {
			for _, talk := range res.Talks {
				if talk.Source.Name != name {
					t.Errorf("%s: talk %q has source name %q", name, talk.Title, talk.Source.Name)
				}
			}
		}
	})
}

// fuzzSeedPage reads a fixture as the site would serve it.
func fuzzSeedPage(f *testing.F, rel string) []byte {
	path := filepath.Join("testdata", filepath.FromSlash(rel))
	if strings.HasSuffix(rel, ".md") {
		return renderJekyll(f, path)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		f.Fatalf("read seed %s: %v", path, err)
	}
	return body
}

// checkParseResult asserts what every parser promises: an EINVALID error
// (the page is in memory, so nothing else can fail), or a result whose
// talks are valid, normalised and keyed. A delegating result may carry no
// talks, but its target must be a URL the runner can fetch.
func checkParseResult(t *testing.T, source string, res *Result, err error) {
	t.Helper()
	if err != nil {
		if code := catalog.ErrorCode(err); code != catalog.EINVALID {
			t.Fatalf("%s: error %v has code %q, want %q", source, err, code, catalog.EINVALID)
		}
		return
	}
	if res == nil {
		t.Fatalf("%s: nil result without an error", source)
	}
	if res.Delegate != "" && !strings.HasPrefix(res.Delegate, "http") {
		t.Errorf("%s: delegates to %q, which is not an http(s) URL", source, res.Delegate)
	}
	keys := make(map[string]bool, len(res.Talks))
	for i, talk := range res.Talks {
		if talk == nil {
			t.Fatalf("%s: talk %d is nil", source, i)
		}
		if err := talk.Validate(); err != nil {
			t.Errorf("%s: talk %d (%q) does not validate: %v", source, i, talk.Title, err)
		}
		if talk.Source.Key == "" {
			t.Errorf("%s: talk %d (%q) has no source key", source, i, talk.Title)
		}
		if keys[talk.Source.Key] {
			t.Errorf("%s: source key %q appears twice on one page", source, talk.Source.Key)
		}
		keys[talk.Source.Key] = true
		if talk.Speakers == nil || talk.Tags == nil || talk.Links == nil {
			t.Errorf("%s: talk %d (%q) was not normalised", source, i, talk.Title)
		}
	}
}

func FuzzParseDENOG(f *testing.F)    { fuzzAdapter(f, "denog") }
func FuzzParseNZNOG(f *testing.F)    { fuzzAdapter(f, "nznog") }
func FuzzParseAusNOG(f *testing.F)   { fuzzAdapter(f, "ausnog") }
func FuzzParseNANOG(f *testing.F)    { fuzzAdapter(f, "nanog") }
func FuzzParseRIPE(f *testing.F)     { fuzzAdapter(f, "ripe") }
func FuzzParseAPRICOT(f *testing.F)  { fuzzAdapter(f, "apricot") }
func FuzzParseUKNOF(f *testing.F)    { fuzzAdapter(f, "uknof") }
func FuzzParseESNOG(f *testing.F)    { fuzzAdapter(f, "esnog") }
func FuzzParseAtScale(f *testing.F)  { fuzzAdapter(f, "atscale") }
func FuzzParseReInvent(f *testing.F) { fuzzAdapter(f, "reinvent") }

// TestFuzzSitesCoverEveryAdapter keeps the targets above in step with the
// registry: a new adapter without a fuzz target fails here.
func TestFuzzSitesCoverEveryAdapter(t *testing.T) {
	sites := fuzzSites()
	for _, a := range Adapters() {
		name := a.Info().Name
		site, ok := sites[name]
		if !ok {
			t.Errorf("adapter %q has no fuzz target", name)
			continue
		}
		if site.adapter.Info().Name != name {
			t.Errorf("fuzz site %q runs adapter %q", name, site.adapter.Info().Name)
		}
	}
}

func FuzzParseGeneric(f *testing.F) {
	for _, rel := range []string{"generic/list.html", "generic/table.html", "generic/ics-link.html", "generic/calconf.ics", "discover/plain-page.html"} {
		f.Add(fuzzSeedPage(f, rel), true)
	}
	for _, seed := range hostileSeeds() {
		f.Add([]byte(seed), true)
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, withURL bool) {
		pageURL := ""
		if withURL {
			pageURL = "https://conf.example/2024/agenda/"
		}
		res, err := ParseGeneric(context.Background(), pageURL, body)
		checkParseResult(t, "generic", res, err)
	})
}
