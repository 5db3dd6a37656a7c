package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
)

func (c *cli) showCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show [--json] ID",
		Short: "Show one talk with your rating and note",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withTalk(cmd, args[0], func(cat *app.Catalog, id int64) error {
				t, err := cat.FindTalkByID(cmd.Context(), id)
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(c.io.out)
					enc.SetEscapeHTML(false)
					return enc.Encode(t)
				}
				printTalk(c.io.out, t)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the talk record as JSON")
	return cmd
}

func printTalk(w io.Writer, t *catalog.Talk) {
	fmt.Fprintf(w, "%s\n", t.Title)
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-9s %s\n", label+":", value)
		}
	}
	row("id", strconv.FormatInt(t.ID, 10))
	row("event", fmt.Sprintf("%s (%s)", t.Event, t.Series))
	var speakers []string
	for _, s := range t.Speakers {
		if s.Affiliation != "" {
			speakers = append(speakers, s.Name+" ("+s.Affiliation+")")
		} else {
			speakers = append(speakers, s.Name)
		}
	}
	row("speakers", strings.Join(speakers, ", "))
	if !t.Start.IsZero() {
		row("start", t.Start.Format("2006-01-02 15:04 -07:00"))
	}
	if t.DurationMinutes > 0 {
		row("duration", fmt.Sprintf("%d min", t.DurationMinutes))
	}
	row("track", t.Track)
	row("room", t.Room)
	row("language", t.Language)
	row("tags", strings.Join(t.Tags, ", "))
	for _, l := range t.Links {
		row(l.Kind, l.URL)
	}
	if t.Rating > 0 {
		row("rating", strings.Repeat("★", t.Rating)+strings.Repeat("☆", catalog.MaxStars-t.Rating))
	}
	switch t.Watch {
	case catalog.WatchWatched:
		row("watched", dateOf(t.WatchedAt))
	case catalog.WatchToWatch:
		row("to watch", "since "+dateOf(t.ToWatchAt))
	}
	row("my tags", strings.Join(t.MyTags, ", "))
	if t.Abstract != "" {
		fmt.Fprintf(w, "\n%s\n", t.Abstract)
	}
	if t.Note != "" {
		fmt.Fprintf(w, "\nNote:\n%s\n", t.Note)
	}
}

func (c *cli) rateCommand() *cobra.Command {
	var clear bool
	cmd := &cobra.Command{
		Use:   "rate ID STARS | rate --clear ID",
		Short: "Rate a talk 1 to 5 stars, or clear its rating",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if clear != (len(args) == 1) {
				return usagef("give STARS (1-5) or --clear, not both\nSee 'talkdex rate --help'.")
			}
			stars := 0
			if !clear {
				var err error
				if stars, err = strconv.Atoi(args[1]); err != nil {
					return usagef("stars %q is not a whole number from 1 to 5", args[1])
				}
			}
			return c.withTalk(cmd, args[0], func(cat *app.Catalog, id int64) error {
				if clear {
					return cat.ClearRating(cmd.Context(), id)
				}
				return cat.SetRating(cmd.Context(), id, stars)
			})
		},
	}
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the rating")
	return cmd
}

func (c *cli) noteCommand() *cobra.Command {
	var (
		history bool
		revert  string
	)
	cmd := &cobra.Command{
		Use:   "note ID [TEXT|-] | note --history ID | note --revert REV ID",
		Short: "Print a talk's note, or replace it (- reads stdin; empty text clears it)",
		Long: `With only ID, print the talk's note (Markdown).
With TEXT, replace the note with it; with -, read the note from stdin.
An empty TEXT ("") clears the note. Every body a note had is kept:
--history lists them (newest first, with revision ids) and --revert REV
makes one the note again.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (history || revert != "") && len(args) > 1 {
				return usagef("--history and --revert take only the talk ID")
			}
			return c.withTalk(cmd, args[0], func(cat *app.Catalog, id int64) error {
				if history || revert != "" {
					return c.noteHistoryOrRevert(cmd, cat, id, revert)
				}
				if len(args) == 1 {
					t, err := cat.FindTalkByID(cmd.Context(), id)
					if err != nil {
						return err
					}
					if t.Note != "" {
						fmt.Fprintln(c.io.out, t.Note)
					}
					return nil
				}
				text := strings.Join(args[1:], " ")
				if text == "-" {
					// Read one byte past the limit so an over-long note is
					// reported rather than silently cut.
					b, err := io.ReadAll(io.LimitReader(c.io.in, catalog.MaxNoteBytes+1))
					if err != nil {
						return fmt.Errorf("read note from stdin: %w", err)
					}
					text = string(b)
				}
				return cat.SetNote(cmd.Context(), id, text)
			})
		},
	}
	cmd.Flags().BoolVar(&history, "history", false, "list the note's earlier versions")
	cmd.Flags().StringVar(&revert, "revert", "", "make revision REV (from --history) the note again")
	// Everything after ID is note text, even "- a Markdown bullet".
	cmd.Flags().SetInterspersed(false)
	return cmd
}

func (c *cli) watchedCommand() *cobra.Command {
	var unset bool
	cmd := &cobra.Command{
		Use:   "watched [--no] ID",
		Short: "Mark a talk watched (or, with --no, not watched)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withTalk(cmd, args[0], func(cat *app.Catalog, id int64) error {
				return cat.SetWatched(cmd.Context(), id, !unset)
			})
		},
	}
	cmd.Flags().BoolVar(&unset, "no", false, "mark the talk not watched")
	return cmd
}

// withTalk parses a talk id argument, opens the database (these commands
// never search, so they need no index) and runs fn.
func (c *cli) withTalk(cmd *cobra.Command, idArg string, fn func(cat *app.Catalog, id int64) error) error {
	id, err := parseID(idArg)
	if err != nil {
		return err
	}
	return c.withStore(cmd, func(cat *app.Catalog) error { return fn(cat, id) })
}
