// Package scrape pulls talks from the program pages of the meetings our
// users follow. It holds the polite fetcher (shared with `import URL`), URL
// discovery for schedule exports, speaker-string parsing, and one adapter a
// site, each in its own file, behind a registry. It is the only importer of
// goquery.
package scrape

import (
	"context"
	"net/url"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// SourceInfo describes an adapter for `talkdex sources`.
type SourceInfo struct {
	Name        string   // the SOURCE of `talkdex scrape SOURCE`, e.g. "denog"
	Series      string   // the series its talks belong to, e.g. "DENOG"
	URLPatterns []string // the program-page URLs it handles, e.g. "https://www.denog.de/de/meetings/denog<N>/agenda/"
	Editions    string   // how editions are named on the command line and in the catalog, e.g. "9 → DENOG9"
	// Checked says whether the adapter has been verified against a saved
	// real page (CheckedAgainst names it); an unchecked adapter was built
	// from the site's public structure and may need fixing on first use.
	Checked        bool
	CheckedAgainst string
}

// Page is one fetched or saved program page.
type Page struct {
	URL     string // where it was (or would have been) fetched from
	Edition string // the edition asked for, "" when unknown
	Body    []byte // the served HTML (or JSON for API-based adapters)
}

// Result is what an adapter found on a page.
type Result struct {
	Series string
	Event  string // the edition's event name, e.g. "DENOG9"
	Talks  []*catalog.Talk
	// Delegate, when set, is a URL whose content a format reader handles
	// better than the adapter (DENOG 14+ embeds a pretalx schedule): the
	// runner fetches it through Discover and imports it with the formats
	// package, under Series and Event.
	Delegate string
	// Path says how the talks were found, for `talkdex scrape` to print:
	// "denog agenda table", "pretalx schedule via <pretalx-schedule>".
	Path string

	// wallClock holds, for talks the heuristic extractor found under a
	// dated day heading in a timed slot, that date and time of day as the
	// page wrote them: a start in no zone, until PlaceInZone gives it one.
	wallClock map[*catalog.Talk]wallClock
}

// wallClock is a date and a time of day read off a page.
type wallClock struct {
	day    time.Time // the date, at midnight UTC
	minute int       // minutes after midnight
}

// PlaceInZone gives the talks whose page named a date and a time (but, as
// plain pages do, no zone) a start in loc, the zone the user says the
// meeting was held in; it returns how many got one. Talks that already
// have a start are left alone.
func (r *Result) PlaceInZone(loc *time.Location) int {
	n := 0
	for _, t := range r.Talks {
		wc, ok := r.wallClock[t]
		if !ok || !t.Start.IsZero() {
			continue
		}
		d := wc.day
		t.Start = time.Date(d.Year(), d.Month(), d.Day(), wc.minute/60, wc.minute%60, 0, 0, loc)
		t.Year = t.Start.Year()
		n++
	}
	return n
}

// Adapter reads one meeting series' program pages. Implementations keep no
// state between calls and never reach the network themselves: the runner
// fetches, the adapter parses.
type Adapter interface {
	Info() SourceInfo
	// EditionURLs returns the program page(s) of an edition, e.g. "9" →
	// the DENOG9 agenda. An unknown edition is an EINVALID error that says
	// which editions exist or how they are named.
	EditionURLs(edition string) ([]string, error)
	// Match reports whether the adapter handles u, and which edition it is.
	Match(u *url.URL) (edition string, ok bool)
	// Parse reads one page. Talks must be Normalize()d with Source.Name set
	// to the adapter's name and a stable Source.Key
	// ("<name>:<event>:<normalised title>" unless the site has ids). A page
	// with no talks returns a Result with none (the runner makes that an
	// error); a page the adapter cannot read at all is an EINVALID error.
	Parse(ctx context.Context, page Page) (*Result, error)
}
