package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
)

func (c *cli) exportCommand() *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export [--format " + strings.Join(formats.ExportFormats(), "|") + "] [--output FILE]",
		Short: "Export every talk, with your ratings, notes and watched marks",
		Long: `Export the whole catalog. jsonl is the canonical form: 'talkdex import'
reads it back, personal data included. json is one array; csv a table;
md a readable post grouped by event.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(formats.ExportFormats(), format) {
				return usagef("unknown export format %q; use %s", format, strings.Join(formats.ExportFormats(), ", "))
			}
			cat, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer cat.Close()
			return writeOutput(c.io.out, output, func(w io.Writer) error {
				exp, err := formats.NewExporter(w, format)
				if err != nil {
					return err
				}
				if err := cat.Store().EachTalk(cmd.Context(), exp.Write); err != nil {
					return fmt.Errorf("export: %w", err)
				}
				return exp.Close()
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", formats.FormatJSONL, "output format")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	return cmd
}

// writeOutput writes to stdout, or to a temporary file renamed over path
// once complete, so that a failed export never leaves a half-written file.
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".talkdex-export-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func (c *cli) backupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database, safe while the server runs",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer cat.Close()
			if err := cat.Store().Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(c.io.err, "backup written to %s\n", args[0])
			return nil
		},
	}
}

func (c *cli) reindexCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, _, err := c.openCatalog(cmd.Context(), slog.LevelWarn)
			if err != nil {
				return err
			}
			defer cat.Close()
			if err := cat.Reindex(cmd.Context()); err != nil {
				return err
			}
			st, err := cat.Stats(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(c.io.err, "reindexed %d talks\n", st.IndexedDocs)
			return nil
		},
	}
}

func (c *cli) statsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [--json]",
		Short: "Count series, events, talks and your ratings, notes and watched marks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, _, err := c.openCatalog(cmd.Context(), slog.LevelWarn)
			if err != nil {
				return err
			}
			defer cat.Close()
			st, err := cat.Stats(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(c.io.out).Encode(st)
			}
			printStats(c.io.out, st)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func printStats(w io.Writer, st *catalog.Stats) {
	rows := []struct {
		label string
		n     int
	}{
		{"series", st.Series}, {"events", st.Events}, {"talks", st.Talks}, {"speakers", st.Speakers},
		{"rated", st.Rated}, {"noted", st.Noted}, {"watched", st.Watched},
		{"indexed", st.IndexedDocs}, {"index pending", st.IndexPending},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-14s %d\n", r.label, r.n)
	}
}
