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
	var (
		format, output string
		sel            exportSelection
	)
	cmd := &cobra.Command{
		Use:   "export [--format " + strings.Join(formats.ExportFormats(), "|") + "] [--event E] [--rated] [--output FILE|DIR]",
		Short: "Export talks, with your ratings, notes, tags and watch list",
		Long: `Export the catalog, or the talks of --series/--event, or only the ones you
rated (--rated) or noted (--noted). jsonl is the canonical form: 'talkdex
import' reads it back, personal data included. json is one array; csv a
table; md blog-ready Markdown, one post per event (talk titles linked to
their video, your rating and notes). With md and an --output that is a
directory, each event's post goes into its own file there.`,
		Example: `  talkdex export --format md --event "Networking @Scale 2023" --rated
  talkdex export --format md --rated -o posts/
  talkdex export -o catalog.jsonl`,
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
			each := func(fn func(*catalog.Talk) error) error {
				n := 0
				err := cat.Store().EachTalk(cmd.Context(), func(t *catalog.Talk) error {
					if !sel.keep(t) {
						return nil
					}
					n++
					return fn(t)
				})
				if err != nil {
					return fmt.Errorf("export: %w", err)
				}
				if n == 0 && sel.any() {
					fmt.Fprintln(c.io.err, "no talk matches the selection")
				}
				return nil
			}
			if format == formats.ExportMarkdown && isDir(output) {
				return c.exportPosts(output, each)
			}
			return writeOutput(c.io.out, output, func(w io.Writer) error {
				exp, err := formats.NewExporter(w, format)
				if err != nil {
					return err
				}
				if err := each(exp.Write); err != nil {
					return err
				}
				return exp.Close()
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", formats.FormatJSONL, "output format")
	f.StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout; with md, a directory gets a file per event")
	f.StringSliceVar(&sel.series, "series", nil, "only talks of this series (repeatable)")
	f.StringSliceVar(&sel.events, "event", nil, "only talks of this event (repeatable)")
	f.BoolVar(&sel.rated, "rated", false, "only talks you rated")
	f.BoolVar(&sel.noted, "noted", false, "only talks with a note")
	return cmd
}

// exportSelection narrows an export; names compare without case.
type exportSelection struct {
	series, events []string
	rated, noted   bool
}

func (s exportSelection) any() bool {
	return len(s.series) > 0 || len(s.events) > 0 || s.rated || s.noted
}

func (s exportSelection) keep(t *catalog.Talk) bool {
	matches := func(names []string, v string) bool {
		return len(names) == 0 || slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, v) })
	}
	return matches(s.series, t.Series) && matches(s.events, t.Event) &&
		(!s.rated || t.Rating > 0) && (!s.noted || strings.TrimSpace(t.Note) != "")
}

// exportPosts writes one Markdown post per event into dir, each file
// written atomically.
func (c *cli) exportPosts(dir string, each func(func(*catalog.Talk) error) error) error {
	var talks []catalog.Talk
	if err := each(func(t *catalog.Talk) error { talks = append(talks, *t); return nil }); err != nil {
		return err
	}
	used := map[string]int{}
	for _, post := range formats.GroupPosts(talks) {
		name := post.Slug()
		// Two events may share a slug ("DENOG 9" and "DENOG9").
		if used[name]++; used[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, used[name])
		}
		path := filepath.Join(dir, name+".md")
		err := writeOutput(c.io.out, path, func(w io.Writer) error {
			_, err := post.WriteTo(w)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.io.err, "%s: %d talks\n", path, len(post.Talks))
	}
	return nil
}

// isDir reports whether path names an existing directory or ends in a
// separator (a directory to create).
func isDir(path string) bool {
	if path == "" {
		return false
	}
	if strings.HasSuffix(path, string(filepath.Separator)) || strings.HasSuffix(path, "/") {
		return os.MkdirAll(path, 0o755) == nil
	}
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
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
