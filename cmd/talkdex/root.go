package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// cli carries what every subcommand needs: where the data lives, the
// process's streams and its logger. It replaces package-level state.
type cli struct {
	io       *stdio
	getenv   func(string) string
	dataDir  string
	logLevel string
}

// usageError marks errors that come from how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func run(ctx context.Context, args []string, std *stdio, getenv func(string) string) int {
	c := &cli{io: std, getenv: getenv}
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetIn(std.in)
	root.SetOut(std.out)
	root.SetErr(std.err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(std.err, "talkdex:", errorText(err))
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}

// errorText shows users the message of catalog errors and the full chain
// of anything else, which is what they need to report a bug.
func errorText(err error) string {
	var ce *catalog.Error
	if errors.As(err, &ce) {
		return ce.Message
	}
	return err.Error()
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "talkdex",
		Short: "A searchable catalog of conference talks, with your ratings and notes",
		Long: `talkdex imports conference schedules into a local catalog (SQLite), makes
titles, abstracts, speakers and your notes full-text searchable (Bleve), and
serves a web UI and a JSON API.

Data lives in --data DIR, else $TALKDEX_DATA, else $XDG_DATA_HOME/talkdex.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&c.dataDir, "data", "", "data directory (default $TALKDEX_DATA or $XDG_DATA_HOME/talkdex)")
	root.PersistentFlags().StringVar(&c.logLevel, "log-level", "", "debug, info, warn or error (default warn; info for serve)")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nSee '%s --help'.", err, cmd.CommandPath())}
	})
	root.AddCommand(
		c.serveCommand(),
		c.importCommand(),
		c.scrapeCommand(),
		c.sourcesCommand(),
		c.searchCommand(),
		c.showCommand(),
		c.rateCommand(),
		c.noteCommand(),
		c.watchedCommand(),
		c.toWatchCommand(),
		c.watchListCommand(),
		c.tagCommand(),
		c.tagsCommand(),
		c.searchesCommand(),
		c.notesCommand(),
		c.exportCommand(),
		c.backupCommand(),
		c.restoreCommand(),
		c.tokenCommand(),
		c.reindexCommand(),
		c.statsCommand(),
		c.benchCommand(),
		c.relevanceCommand(),
	)
	// Unknown subcommands and wrong argument counts are usage errors too.
	for _, cmd := range root.Commands() {
		if cmd.Args != nil {
			validate := cmd.Args
			cmd.Args = func(cmd *cobra.Command, args []string) error {
				if err := validate(cmd, args); err != nil {
					return usageError{fmt.Errorf("%w\nSee '%s --help'.", err, cmd.CommandPath())}
				}
				return nil
			}
		}
	}
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q\nSee 'talkdex --help'.", args[0])
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	return root
}

// resolveDataDir applies the DESIGN order: --data, $TALKDEX_DATA,
// $XDG_DATA_HOME/talkdex, then the XDG default under $HOME.
func (c *cli) resolveDataDir() (string, error) {
	if c.dataDir != "" {
		return c.dataDir, nil
	}
	if d := c.getenv("TALKDEX_DATA"); d != "" {
		return d, nil
	}
	if d := c.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "talkdex"), nil
	}
	home := c.getenv("HOME")
	if home == "" {
		return "", usagef("no data directory: pass --data DIR or set TALKDEX_DATA")
	}
	return filepath.Join(home, ".local", "share", "talkdex"), nil
}

func (c *cli) logger(defaultLevel slog.Level) (*slog.Logger, error) {
	level := defaultLevel
	name := c.logLevel
	if name == "" {
		name = c.getenv("TALKDEX_LOG_LEVEL")
	}
	if name != "" {
		if err := level.UnmarshalText([]byte(name)); err != nil {
			return nil, usagef("unknown log level %q; use debug, info, warn or error", name)
		}
	}
	return slog.New(slog.NewTextHandler(c.io.err, &slog.HandlerOptions{Level: level})), nil
}

// openCatalog opens the catalog in the resolved data directory.
func (c *cli) openCatalog(ctx context.Context, defaultLevel slog.Level) (*app.Catalog, *slog.Logger, error) {
	return c.openCatalogWith(ctx, defaultLevel, app.Options{})
}

// openCatalogWith is openCatalog with app options (serve rebuilds a damaged
// index in the background).
func (c *cli) openCatalogWith(ctx context.Context, defaultLevel slog.Level, opts app.Options) (*app.Catalog, *slog.Logger, error) {
	logger, err := c.logger(defaultLevel)
	if err != nil {
		return nil, nil, err
	}
	dir, err := c.resolveDataDir()
	if err != nil {
		return nil, nil, err
	}
	cat, err := app.OpenWith(ctx, dir, logger, opts)
	if err != nil {
		return nil, nil, err
	}
	return cat, logger, nil
}

// openStore opens only the database, for commands that never search: they
// work while another process owns the index, and even if it is broken.
func (c *cli) openStore(ctx context.Context) (*app.Catalog, error) {
	logger, err := c.logger(slog.LevelWarn)
	if err != nil {
		return nil, err
	}
	dir, err := c.resolveDataDir()
	if err != nil {
		return nil, err
	}
	return app.OpenStore(ctx, dir, logger)
}

// stderrIsTerminal decides whether progress is drawn: never when piped.
func (c *cli) stderrIsTerminal() bool {
	f, ok := c.io.err.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func parseID(s string) (int64, error) {
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil || id < 1 || strings.TrimSpace(s) != fmt.Sprint(id) {
		return 0, usagef("talk id %q is not a positive whole number", s)
	}
	return id, nil
}
