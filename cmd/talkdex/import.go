package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/demo"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/scrape"
)

// maxDownloadBytes caps what `import URL` reads, so a wrong URL cannot fill
// memory.
const maxDownloadBytes = 256 << 20

func (c *cli) importCommand() *cobra.Command {
	var (
		dryRun   bool
		demoMode bool
		opts     formats.Options
		web      webImport
	)
	cmd := &cobra.Command{
		Use:   "import [--dry-run] [--format auto|" + strings.Join(formats.Names(), "|") + "] PATH|URL|-...",
		Short: "Import talks from schedule exports, pyvideo data or a talkdex export",
		Long: `Import talks into the catalog. The format is detected from the content;
--format overrides it. gzip files are read directly; "-" reads stdin.
Re-importing updates talks in place (matched on their source key) and never
touches your ratings, notes or watched marks.

--dry-run writes nothing: it prints one talk record a line (JSON) on stdout
and a summary on stderr. --demo imports the embedded demo catalog.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if opts.Format != formats.FormatAuto && !slices.Contains(formats.Names(), opts.Format) {
				return usagef("unknown format %q; use auto, %s", opts.Format, strings.Join(formats.Names(), ", "))
			}
			if err := formats.ValidateTimeZone(opts.TimeZone); err != nil {
				return usageError{err}
			}
			if len(args) == 0 && !demoMode {
				return usagef("import needs a PATH, URL or - (or --demo)\nSee 'talkdex import --help'.")
			}
			if dryRun {
				web.dryRun = true
				return c.dryRun(ctx, args, opts, web, demoMode)
			}
			cat, _, err := c.openCatalog(ctx, slog.LevelWarn)
			if err != nil {
				return err
			}
			defer cat.Close()
			if demoMode {
				report, err := importDemo(ctx, cat)
				c.printReport("demo catalog", report)
				if err != nil {
					return err
				}
			}
			for _, arg := range args {
				progress, done := c.progress(arg)
				report, err := cat.Import(ctx, c.source(arg, opts, web), progress)
				done()
				c.printReport(arg, report)
				if err != nil {
					return fmt.Errorf("import %s: %w", arg, err)
				}
				if err := nothingImported(arg, report.Inserted+report.Updated+report.Unchanged, report.Skipped); err != nil {
					return err
				}
			}
			if !cat.OwnsIndex() {
				fmt.Fprintln(c.io.err, "note: a running talkdex server owns the index; it will index these talks within seconds")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the talk records as JSON lines; write nothing")
	cmd.Flags().StringVar(&opts.Format, "format", formats.FormatAuto, "input format")
	cmd.Flags().StringVar(&opts.Series, "series", "", "series name for talks whose input names none (or to override it)")
	cmd.Flags().StringVar(&opts.Event, "event", "", "event name for talks whose input names none (or to override it)")
	cmd.Flags().StringVar(&opts.TimeZone, "tz", "", "time zone (e.g. Europe/Berlin) of inputs that give times without one")
	cmd.Flags().BoolVar(&demoMode, "demo", false, "import the embedded demo catalog")
	cmd.Flags().BoolVar(&web.allowPrivate, "allow-private", false, "let URLs reach loopback and private network addresses")
	return cmd
}

// source binds one command-line argument to a reader the catalog can import.
func (c *cli) source(arg string, opts formats.Options, web webImport) app.Source {
	return func(ctx context.Context, emit func(*catalogTalk) error) ([]catalogSkip, error) {
		switch {
		case arg == "-":
			opts.Name = "stdin"
			return formats.Read(ctx, c.io.in, opts, emit)
		case isURL(arg):
			return c.importURL(ctx, arg, opts, web, emit)
		default:
			return formats.ReadFile(ctx, arg, opts, emit)
		}
	}
}

func (c *cli) dryRun(ctx context.Context, args []string, opts formats.Options, web webImport, demoMode bool) error {
	enc := json.NewEncoder(c.io.out)
	enc.SetEscapeHTML(false)
	var talks, skipped int
	emit := func(t *catalogTalk) error {
		talks++
		return enc.Encode(t)
	}
	var sources []app.Source
	names := args
	if demoMode {
		sources = append(sources, func(ctx context.Context, emit func(*catalogTalk) error) ([]catalogSkip, error) {
			return formats.Read(ctx, demo.Catalog(), formats.Options{Format: formats.FormatJSONL, Name: "demo catalog"}, emit)
		})
		names = append([]string{"demo catalog"}, names...)
	}
	for _, arg := range args {
		sources = append(sources, c.source(arg, opts, web))
	}
	for i, src := range sources {
		skips, err := app.UniqueKeys(src)(ctx, emit)
		c.printSkips(skips)
		skipped += catalog.CountSkips(skips)
		if err != nil {
			return fmt.Errorf("read %s: %w", names[i], err)
		}
	}
	fmt.Fprintf(c.io.err, "dry run: %d talks, %d skipped; nothing written\n", talks, skipped)
	return nothingImported(strings.Join(names, ", "), talks, skipped)
}

// nothingImported fails an import whose input held records but no usable
// talk, so that a script can tell it from success. An empty input (say an
// export of an empty catalog) is no failure.
func nothingImported(name string, talks, skipped int) error {
	if talks == 0 && skipped > 0 {
		return catalog.Errorf(catalog.EINVALID, "no talks imported from %s: all %d records were skipped (reasons above)", name, skipped)
	}
	return nil
}

func (c *cli) printReport(name string, r catalogReport) {
	c.printSkips(r.Skips)
	fmt.Fprintf(c.io.err, "%s: %d inserted, %d updated, %d unchanged, %d skipped\n",
		name, r.Inserted, r.Updated, r.Unchanged, r.Skipped)
}

// printSkips names every skipped record and every warning, one a line.
func (c *cli) printSkips(skips []catalogSkip) {
	for _, s := range skips {
		what := "skipped"
		if s.Warning {
			what = "warning"
		}
		fmt.Fprintf(c.io.err, "%s %s: %s\n", what, s.Ref, s.Reason)
	}
}

// progress draws a live count on a terminal and nothing when piped. done
// clears the bar so that the report starts on a clean line.
func (c *cli) progress(name string) (update func(int), done func()) {
	if !c.stderrIsTerminal() {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(c.io.err),
		progressbar.OptionSetDescription("importing "+name),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("talks"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	last := 0
	update = func(n int) {
		bar.Add(n - last)
		last = n
	}
	return update, func() { bar.Finish() }
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// webImport says how `import URL` may use the web.
type webImport struct {
	allowPrivate bool // --allow-private: let URLs (and redirects) reach local addresses
	dryRun       bool // keep no HTTP cache: a dry run writes nothing
}

// importURL resolves a URL to a schedule through the polite fetcher (see
// scrape.Discover: pretalx and Indico event pages lead to their exports),
// says on stderr which way it went, and reads what it found. --format
// still overrides the reader discovery picked.
func (c *cli) importURL(ctx context.Context, rawURL string, opts formats.Options, web webImport, emit func(*catalogTalk) error) ([]catalogSkip, error) {
	cfg := scrape.FetcherConfig{
		UserAgent:    scrape.DefaultUserAgent(buildVersion()),
		AllowPrivate: web.allowPrivate,
		MaxBodyBytes: maxDownloadBytes,
	}
	if !web.dryRun {
		if dir, err := c.resolveDataDir(); err == nil {
			cfg.CacheDir = filepath.Join(dir, "cache", "http")
		}
	}
	bars := &downloadBars{c: c}
	if c.stderrIsTerminal() {
		cfg.Progress = bars.update
	}
	fetcher, err := scrape.NewFetcher(cfg)
	if err != nil {
		return nil, err
	}
	d, err := scrape.Discover(ctx, fetcher, rawURL)
	bars.finish()
	if err != nil {
		if msg := catalog.ErrorMessage(err); !web.allowPrivate && strings.Contains(msg, "AllowPrivate is off") {
			return nil, catalog.Errorf(catalog.EINVALID, "%s; to import from this machine or the local network, pass --allow-private", strings.Replace(msg, " (AllowPrivate is off)", "", 1))
		}
		return nil, err
	}
	line := fmt.Sprintf("import: %s → %s %s", rawURL, d.Route, d.URL)
	if d.Via != "" {
		line += " (via " + d.Via + ")"
	}
	fmt.Fprintln(c.io.err, line)
	if opts.Format == formats.FormatAuto && d.Format != "" {
		opts.Format = d.Format
	}
	opts.Name = d.URL
	return formats.Read(ctx, bytes.NewReader(d.Body), opts, emit)
}

// downloadBars draws one byte-count bar per URL being fetched, on a
// terminal only (the fetcher calls update only when asked to).
type downloadBars struct {
	c   *cli
	url string
	bar *progressbar.ProgressBar
}

func (b *downloadBars) update(url string, read, total int64) {
	if b.bar == nil || url != b.url {
		b.finish()
		b.url = url
		b.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(b.c.io.err),
			progressbar.OptionSetDescription("fetching "+url),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = b.bar.Set64(read)
}

func (b *downloadBars) finish() {
	if b.bar != nil {
		_ = b.bar.Finish()
		b.bar = nil
	}
}

// buildVersion is the module version this binary was built from, for the
// User-Agent; "dev" for a build from a work tree.
func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
