package scrape

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
)

// Scrape fetches an edition's program pages through f, parses them with a,
// follows a delegation to a format reader (DENOG 14+ publishes through
// pretalx), and returns the talks found. Finding no talks at all is an
// EINVALID error, so that a redesigned or broken page can never look like
// an edition whose talks were all withdrawn.
func Scrape(ctx context.Context, f *Fetcher, a Adapter, edition string) (*Result, error) {
	name := a.Info().Name
	urls, err := a.EditionURLs(edition)
	if err != nil {
		return nil, err
	}
	if len(urls) == 0 {
		return nil, catalog.Errorf(catalog.EINVALID, "%s has no program page for edition %q", name, edition)
	}
	var results []*Result
	for _, u := range urls {
		r, err := fetchAndParse(ctx, f, a, u, edition)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	return requireTalks(merge(results), strings.Join(urls, ", "))
}

// ScrapeURL scrapes one page: with the adapter whose Match claims it, else
// with the generic fallback (structured data first, then the heuristic
// agenda extractor). The Result's Path says which way it went.
func ScrapeURL(ctx context.Context, f *Fetcher, rawURL string) (*Result, error) {
	u, err := parseFetchURL(rawURL)
	if err != nil {
		return nil, err
	}
	if a, edition, ok := AdapterForURL(u); ok {
		r, err := fetchAndParse(ctx, f, a, u.String(), edition)
		if err != nil {
			return nil, err
		}
		return requireTalks(r, u.String())
	}
	r, err := Generic(ctx, f, u.String())
	if err != nil {
		return nil, err
	}
	return requireTalks(r, u.String())
}

// ScrapeFile parses a saved program page with a, without the network; a nil
// adapter uses the generic heuristic extractor. edition, if given, names
// the edition; pageURL is where the page was saved from (relative links
// resolve against it), "" for the edition's own program page.
// A page that delegates to another site (pretalx) cannot be finished from
// a file and is an EINVALID error saying so.
func ScrapeFile(ctx context.Context, a Adapter, path, edition, pageURL string) (*Result, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "read saved page: %v", err)
	}
	if a != nil && edition != "" && pageURL == "" {
		if urls, err := a.EditionURLs(edition); err == nil && len(urls) > 0 {
			pageURL = urls[0]
		}
	}
	if a == nil {
		r, err := ParseGeneric(ctx, pageURL, body)
		if err != nil {
			return nil, err
		}
		r.Path = "generic " + r.Path + " from " + path
		return requireTalks(r, path)
	}
	page := Page{URL: pageURL, Edition: edition, Body: body}
	r, err := a.Parse(ctx, page)
	if err != nil {
		return nil, err
	}
	if r, err = orGeneric(ctx, nil, a, page, r); err != nil {
		return nil, err
	}
	if r.Delegate != "" {
		return nil, catalog.Errorf(catalog.EINVALID,
			"%s hands its talks to %s, which needs the network; scrape %s %s without --from",
			path, r.Delegate, a.Info().Name, edition)
	}
	if r.Path == "" {
		r.Path = a.Info().Name + " page"
	}
	r.Path += " from " + path
	return requireTalks(r, path)
}

// fetchAndParse fetches one page, parses it with a and follows a delegation.
func fetchAndParse(ctx context.Context, f *Fetcher, a Adapter, pageURL, edition string) (*Result, error) {
	resp, err := f.Get(ctx, pageURL)
	if err != nil {
		return nil, err
	}
	page := Page{URL: resp.FinalURL, Edition: edition, Body: resp.Body}
	r, err := a.Parse(ctx, page)
	if err != nil {
		return nil, err
	}
	if r, err = orGeneric(ctx, f, a, page, r); err != nil {
		return nil, err
	}
	if r.Path == "" {
		r.Path = a.Info().Name + " page"
	}
	if r.Series == "" {
		r.Series = a.Info().Series
	}
	if r.Delegate == "" {
		return r, nil
	}
	d, err := Discover(ctx, f, r.Delegate)
	if err != nil {
		return nil, fmt.Errorf("%s delegates to %s: %w", pageURL, r.Delegate, err)
	}
	talks, err := readDiscovery(ctx, d, r.Series, r.Event)
	if err != nil {
		return nil, err
	}
	r.Talks = append(r.Talks, talks...)
	r.Path += " → " + describeDiscovery(d)
	return r, nil
}

// orGeneric hands a page on which its adapter found no talks to the
// generic reader (structured data, schedule links, the agenda heuristic),
// under the adapter's series and edition: a site that has changed its
// layout, or one whose adapter was built without a saved real page, still
// yields what can be found, and the path says the adapter did not
// recognise the page. A nil fetcher (a saved page) follows no links.
func orGeneric(ctx context.Context, f *Fetcher, a Adapter, page Page, r *Result) (*Result, error) {
	if len(r.Talks) > 0 || r.Delegate != "" {
		return r, nil
	}
	name := a.Info().Name
	names := naming{series: r.Series, event: r.Event, ownSite: true}
	if names.series == "" {
		names.series = a.Info().Series
	}
	g, err := genericPage(ctx, f, page.URL, page.Body, names)
	if err != nil {
		return nil, fmt.Errorf("%s found no talks it knows on %s, and the generic reader failed: %w", name, page.URL, err)
	}
	if g.Event == "" {
		g.Event = r.Event
	}
	// What the agenda heuristic read is the adapter's scrape: under its
	// source name, the next scrape of the edition withdraws what the page
	// no longer lists, whichever way that scrape reads it.
	for _, t := range g.Talks {
		if t.Source.Name == GenericSource {
			t.Source.Name = name
			t.Source.Key = name + ":" + strings.TrimPrefix(t.Source.Key, GenericSource+":")
		}
	}
	g.Path = name + " did not recognise the page's layout; " + g.Path
	return g, nil
}

// readDiscovery reads what Discover found with the formats package. Series
// and event, when given, override what the document says, so that a
// delegated pretalx schedule lands in the adapter's edition.
func readDiscovery(ctx context.Context, d *Discovery, series, event string) ([]*catalog.Talk, error) {
	var talks []*catalog.Talk
	opts := formats.Options{Format: d.Format, Name: d.URL, Series: series, Event: event}
	if opts.Format == "" {
		opts.Format = formats.FormatAuto
	}
	_, err := formats.Read(ctx, bytes.NewReader(d.Body), opts, func(t *catalog.Talk) error {
		talks = append(talks, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.URL, err)
	}
	return talks, nil
}

func describeDiscovery(d *Discovery) string {
	s := d.Route + " " + d.URL
	if d.Via != "" {
		s += " (via " + d.Via + ")"
	}
	return s
}

// merge joins the results of an edition's pages into one.
func merge(results []*Result) *Result {
	if len(results) == 1 {
		return results[0]
	}
	out := &Result{}
	var paths []string
	for _, r := range results {
		if out.Series == "" {
			out.Series = r.Series
		}
		if out.Event == "" {
			out.Event = r.Event
		}
		out.Talks = append(out.Talks, r.Talks...)
		if r.Path != "" && !slices.Contains(paths, r.Path) {
			paths = append(paths, r.Path)
		}
	}
	out.Path = strings.Join(paths, "; ")
	return out
}

// requireTalks turns a result without talks into the error that protects
// the catalog: nothing is upserted and nothing withdrawn.
func requireTalks(r *Result, where string) (*Result, error) {
	if len(r.Talks) > 0 {
		if r.Event == "" {
			r.Event = r.Talks[0].Event
		}
		if r.Series == "" {
			r.Series = r.Talks[0].Series
		}
		return r, nil
	}
	what := r.Event
	if what == "" {
		what = "this page"
	}
	return nil, catalog.Errorf(catalog.EINVALID, "found no talks for %s at %s; nothing was changed", what, where)
}
