package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/scrape"
)

// genericSourceName is the SOURCE that `scrape --from FILE` takes for a
// saved page no adapter reads: the heuristic agenda extractor.
const genericSourceName = scrape.GenericSource

func (c *cli) sourcesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "sources",
		Short: "List the site adapters of `talkdex scrape` and the URLs they handle",
		Long: `List the site adapters: the SOURCE name for 'talkdex scrape SOURCE EDITION',
the series its talks go to, the program-page URLs it handles, how editions
are named, and whether it has been checked against a saved real page
(unchecked adapters were built from the site's public structure and may need
fixing on first use). Any other URL goes to the generic fallback.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := tabwriter.NewWriter(c.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tSERIES\tURL PATTERNS\tEDITIONS\tCHECKED")
			for _, a := range scrape.Adapters() {
				info := a.Info()
				checked := "unchecked"
				if info.Checked {
					checked = "checked against " + info.CheckedAgainst
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", info.Name, info.Series,
					strings.Join(info.URLPatterns, " "), info.Editions, checked)
			}
			fmt.Fprintf(w, "%s\t(from the page)\tany other http(s) URL\t-\tstructured data (JSON-LD, ICS, pretalx, Indico, Sessionize), else agenda heuristics\n", genericSourceName)
			return w.Flush()
		},
	}
}

// scrapeFlags are the options of `talkdex scrape`.
type scrapeFlags struct {
	dryRun       bool
	from         string
	allowPrivate bool
	tz           string
}

func (c *cli) scrapeCommand() *cobra.Command {
	var flags scrapeFlags
	cmd := &cobra.Command{
		Use:   "scrape [--dry-run] [--from FILE] [--allow-private] [--tz ZONE] SOURCE [EDITION...] | URL",
		Short: "Pull talks from a meeting's program pages (see `talkdex sources`)",
		Long: `Scrape talks from program pages into the catalog, politely (robots.txt, one
request a second per host, conditional GETs with a cache in the data dir).

  talkdex scrape denog 9          an edition, through its adapter
  talkdex scrape nznog 2024 2025  several editions
  talkdex scrape URL              the adapter that handles URL, else the generic
                                  fallback (structured data, then agenda heuristics)
  talkdex scrape --from FILE denog 9   a saved page, without the network
  talkdex scrape --from FILE generic   a saved page, through the agenda heuristics

Talks are upserted by their source key; your ratings, notes and watched marks
are never touched. A talk that is no longer on the page is marked withdrawn,
never deleted. A scrape that finds no talks is an error and changes nothing.
The output says which way each scrape went.

--dry-run writes nothing: it prints the talk records as JSON lines on stdout
and on stderr what would be added, changed and withdrawn.

A plain agenda page (the generic heuristics) gives dates and times but no
time zone, so its talks get no start; --tz Europe/Berlin names the zone the
meeting was held in, and those talks get their start in it.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var zone *time.Location
			if flags.tz != "" {
				if err := formats.ValidateTimeZone(flags.tz); err != nil {
					return usageError{err}
				}
				var err error
				if zone, err = time.LoadLocation(flags.tz); err != nil {
					return usagef("--tz %q: %v", flags.tz, err)
				}
			}
			results, err := c.runScrapes(ctx, args, flags)
			if err != nil {
				return err
			}
			if zone != nil {
				for _, r := range results {
					if n := r.PlaceInZone(zone); n > 0 {
						fmt.Fprintf(c.io.err, "%s: %d talks start in %s\n", r.Event, n, flags.tz)
					}
				}
			}
			if flags.dryRun {
				return c.scrapeDryRun(ctx, results)
			}
			return c.scrapeImport(ctx, results)
		},
	}
	cmd.Flags().BoolVar(&flags.dryRun, "dry-run", false, "print the talk records as JSON lines and what would change; write nothing")
	cmd.Flags().StringVar(&flags.from, "from", "", "parse this saved page instead of fetching (SOURCE is an adapter name or \"generic\")")
	cmd.Flags().BoolVar(&flags.allowPrivate, "allow-private", false, "let URLs reach loopback and private network addresses")
	cmd.Flags().StringVar(&flags.tz, "tz", "", "time zone (e.g. Europe/Berlin) of a plain agenda page's dates and times")
	return cmd
}

// runScrapes fetches (or reads) and parses everything asked for before
// anything is written, so that a failing edition leaves the catalog as it
// was.
func (c *cli) runScrapes(ctx context.Context, args []string, flags scrapeFlags) ([]*scrape.Result, error) {
	target, editions := args[0], args[1:]
	if isURL(target) {
		if len(editions) > 0 {
			return nil, usagef("scrape URL takes no editions (got %q)", strings.Join(editions, " "))
		}
		if flags.from != "" {
			return c.scrapeSavedURL(ctx, target, flags.from)
		}
		f, bars, err := c.scrapeFetcher(flags)
		if err != nil {
			return nil, err
		}
		r, err := scrape.ScrapeURL(ctx, f, target)
		bars.finish()
		if err != nil {
			return nil, privateHint(err, flags)
		}
		return []*scrape.Result{r}, nil
	}

	name := strings.ToLower(target)
	var adapter scrape.Adapter
	if name != genericSourceName || flags.from == "" {
		a, ok := scrape.AdapterByName(name)
		if !ok {
			known := append(scrape.AdapterNames(), genericSourceName+" (with --from)")
			return nil, usagef("unknown source %q; use one of %s, or a URL (see 'talkdex sources')", target, strings.Join(known, ", "))
		}
		adapter = a
	}
	if flags.from != "" {
		if len(editions) > 1 {
			return nil, usagef("--from reads one saved page: give at most one edition (got %q)", strings.Join(editions, " "))
		}
		edition := ""
		if len(editions) == 1 {
			edition = editions[0]
		}
		r, err := scrape.ScrapeFile(ctx, adapter, flags.from, edition, "")
		if err != nil {
			return nil, err
		}
		return []*scrape.Result{r}, nil
	}
	if len(editions) == 0 {
		return nil, usagef("scrape %s needs an edition: %s\nSee 'talkdex sources'.", name, adapter.Info().Editions)
	}
	f, bars, err := c.scrapeFetcher(flags)
	if err != nil {
		return nil, err
	}
	defer bars.finish()
	var results []*scrape.Result
	for _, ed := range editions {
		r, err := scrape.Scrape(ctx, f, adapter, ed)
		if err != nil {
			return nil, fmt.Errorf("scrape %s %s: %w", name, ed, privateHint(err, flags))
		}
		results = append(results, r)
	}
	return results, nil
}

// scrapeSavedURL reads a saved copy of URL's page with the adapter that
// handles URL, or with the agenda heuristics.
func (c *cli) scrapeSavedURL(ctx context.Context, rawURL, path string) ([]*scrape.Result, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, usagef("bad URL %q: %v", rawURL, err)
	}
	a, edition, _ := scrape.AdapterForURL(u)
	r, err := scrape.ScrapeFile(ctx, a, path, edition, u.String())
	if err != nil {
		return nil, err
	}
	return []*scrape.Result{r}, nil
}

// scrapeFetcher builds the fetcher as `import URL` does: the talkdex
// User-Agent, the HTTP cache in the data dir (none for a dry run, which
// writes nothing) and a download bar on a terminal.
func (c *cli) scrapeFetcher(flags scrapeFlags) (*scrape.Fetcher, *downloadBars, error) {
	cfg := scrape.FetcherConfig{
		UserAgent:    scrape.DefaultUserAgent(buildVersion()),
		AllowPrivate: flags.allowPrivate,
		MaxBodyBytes: maxDownloadBytes,
	}
	if !flags.dryRun {
		if dir, err := c.resolveDataDir(); err == nil {
			cfg.CacheDir = filepath.Join(dir, "cache", "http")
		}
	}
	bars := &downloadBars{c: c}
	if c.stderrIsTerminal() {
		cfg.Progress = bars.update
	}
	f, err := scrape.NewFetcher(cfg)
	if err != nil {
		return nil, nil, err
	}
	return f, bars, nil
}

// privateHint names the flag that lets a refused local address through.
func privateHint(err error, flags scrapeFlags) error {
	if msg := catalog.ErrorMessage(err); !flags.allowPrivate && strings.Contains(msg, "AllowPrivate is off") {
		return catalog.Errorf(catalog.EINVALID, "%s; to scrape from this machine or the local network, pass --allow-private",
			strings.Replace(msg, " (AllowPrivate is off)", "", 1))
	}
	return err
}

// scrapeGroup is the set of talks one withdraw pass compares against: an
// event's talks from one source.
type scrapeGroup struct{ series, event, source string }

// groupTalks normalises a result's talks and groups the keys of those a
// site adapter read itself; a generic scrape of an ICS file may span
// several events. Talks that came through a format reader (a pretalx
// delegate, a schedule export found by the generic path) carry the
// format's name as their source, which `talkdex import` of the same format
// shares: the page cannot speak for those, so they are upserted but never
// withdrawn. Adapters' and the generic heuristic's names belong to scrapes.
func groupTalks(r *scrape.Result) (map[scrapeGroup][]string, []scrapeGroup) {
	groups := map[scrapeGroup][]string{}
	var order []scrapeGroup
	for _, t := range r.Talks {
		t.Normalize()
		if _, ok := scrape.AdapterByName(t.Source.Name); !ok && t.Source.Name != scrape.GenericSource {
			continue
		}
		g := scrapeGroup{t.Series, t.Event, t.Source.Name}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], t.Source.Key)
	}
	return groups, order
}

func resultName(r *scrape.Result) string {
	if r.Event != "" {
		return r.Event
	}
	return r.Series
}

// scrapeImport upserts each result and then withdraws what its pages no
// longer list. Withdrawal only follows a complete, successful upsert.
func (c *cli) scrapeImport(ctx context.Context, results []*scrape.Result) error {
	cat, _, err := c.openCatalog(ctx, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer cat.Close()
	for _, r := range results {
		groups, order := groupTalks(r)
		talks := r.Talks
		report, err := cat.Import(ctx, func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
			for _, t := range talks {
				if err := emit(t); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}, nil)
		c.printSkips(report.Skips)
		if err != nil {
			return fmt.Errorf("store %s: %w", resultName(r), err)
		}
		withdrawn := 0
		for _, g := range order {
			titles, err := cat.WithdrawMissing(ctx, g.series, g.event, g.source, groups[g])
			if err != nil {
				return err
			}
			for _, t := range titles {
				fmt.Fprintf(c.io.err, "withdrawn %s: %s\n", g.event, t)
			}
			withdrawn += len(titles)
		}
		fmt.Fprintf(c.io.err, "%s: %d inserted, %d updated, %d unchanged, %d skipped, %d withdrawn (via %s)\n",
			resultName(r), report.Inserted, report.Updated, report.Unchanged, report.Skipped, withdrawn, r.Path)
	}
	if !cat.OwnsIndex() {
		fmt.Fprintln(c.io.err, "note: a running talkdex server owns the index; it will index these talks within seconds")
	}
	return nil
}

// scrapeDryRun prints the records and, against the catalog if there is
// one, what a real run would do. "change" counts talks whose key exists
// already, whether or not their fields differ.
func (c *cli) scrapeDryRun(ctx context.Context, results []*scrape.Result) error {
	enc := json.NewEncoder(c.io.out)
	enc.SetEscapeHTML(false)
	cat, err := c.existingStore(ctx)
	if err != nil {
		return err
	}
	if cat != nil {
		defer cat.Close()
	}
	for _, r := range results {
		groups, order := groupTalks(r)
		seen := map[string]bool{}
		for _, t := range r.Talks {
			if seen[t.Source.Key] {
				continue // the import would skip it as a duplicate
			}
			seen[t.Source.Key] = true
			if err := enc.Encode(t); err != nil {
				return err
			}
		}
		var add, change int
		var gone []string
		for _, g := range order {
			existing, titles := map[string]bool{}, map[string]string{}
			if cat != nil {
				if existing, err = cat.EventTalkKeys(ctx, g.series, g.event, g.source); err != nil {
					return err
				}
				if titles, err = cat.EventTalkTitles(ctx, g.series, g.event, g.source); err != nil {
					return err
				}
			}
			keep := map[string]bool{}
			for _, k := range groups[g] {
				if keep[k] {
					continue
				}
				keep[k] = true
				if _, ok := existing[k]; ok {
					change++
				} else {
					add++
				}
			}
			var missing []string
			for k, title := range titles {
				if !keep[k] {
					missing = append(missing, title)
				}
			}
			sort.Strings(missing)
			gone = append(gone, missing...)
		}
		fmt.Fprintf(c.io.err, "dry run %s (via %s): would add %d, change %d, withdraw %d; nothing written\n",
			resultName(r), r.Path, add, change, len(gone))
		for _, t := range gone {
			fmt.Fprintf(c.io.err, "would withdraw: %s\n", t)
		}
	}
	return nil
}

// existingStore opens the catalog's database only if it exists: a dry run
// must not create a data directory. nil means there is nothing to compare.
func (c *cli) existingStore(ctx context.Context) (*app.Catalog, error) {
	dir, err := c.resolveDataDir()
	if err != nil {
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(dir, app.DatabaseFile)); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return c.openStore(ctx)
}
