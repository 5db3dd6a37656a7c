package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/demo"
	"github.com/talkdex/talkdex/internal/formats"
)

// maxDownloadBytes caps what `import URL` reads, so a wrong URL cannot fill
// memory.
const maxDownloadBytes = 256 << 20

func (c *cli) importCommand() *cobra.Command {
	var (
		dryRun   bool
		demoMode bool
		opts     formats.Options
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
			if len(args) == 0 && !demoMode {
				return usagef("import needs a PATH, URL or - (or --demo)\nSee 'talkdex import --help'.")
			}
			if dryRun {
				return c.dryRun(ctx, args, opts, demoMode)
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
				report, err := cat.Import(ctx, c.source(arg, opts), progress)
				done()
				c.printReport(arg, report)
				if err != nil {
					return fmt.Errorf("import %s: %w", arg, err)
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
	cmd.Flags().BoolVar(&demoMode, "demo", false, "import the embedded demo catalog")
	return cmd
}

// source binds one command-line argument to a reader the catalog can import.
func (c *cli) source(arg string, opts formats.Options) app.Source {
	return func(ctx context.Context, emit func(*catalogTalk) error) ([]catalogSkip, error) {
		switch {
		case arg == "-":
			opts.Name = "stdin"
			return formats.Read(ctx, c.io.in, opts, emit)
		case isURL(arg):
			body, err := download(ctx, arg)
			if err != nil {
				return nil, err
			}
			defer body.Close()
			opts.Name = arg
			return formats.Read(ctx, body, opts, emit)
		default:
			return formats.ReadFile(ctx, arg, opts, emit)
		}
	}
}

func (c *cli) dryRun(ctx context.Context, args []string, opts formats.Options, demoMode bool) error {
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
		sources = append(sources, c.source(arg, opts))
	}
	for i, src := range sources {
		skips, err := src(ctx, emit)
		for _, s := range skips {
			fmt.Fprintf(c.io.err, "skipped %s: %s\n", s.Ref, s.Reason)
		}
		skipped += len(skips)
		if err != nil {
			return fmt.Errorf("read %s: %w", names[i], err)
		}
	}
	fmt.Fprintf(c.io.err, "dry run: %d talks, %d skipped; nothing written\n", talks, skipped)
	return nil
}

func (c *cli) printReport(name string, r catalogReport) {
	for _, s := range r.Skips {
		fmt.Fprintf(c.io.err, "skipped %s: %s\n", s.Ref, s.Reason)
	}
	fmt.Fprintf(c.io.err, "%s: %d inserted, %d updated, %d unchanged, %d skipped\n",
		name, r.Inserted, r.Updated, r.Unchanged, r.Skipped)
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

// download fetches a schedule with timeouts and a size cap.
func download(ctx context.Context, rawURL string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, usagef("bad URL %q: %v", rawURL, err)
	}
	req.Header.Set("User-Agent", "talkdex (+https://github.com/talkdex/talkdex)")
	client := &http.Client{Timeout: 2 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetch %s: %s", rawURL, resp.Status)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxDownloadBytes), resp.Body}, nil
}
