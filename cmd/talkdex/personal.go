package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
)

func (c *cli) toWatchCommand() *cobra.Command {
	var remove bool
	cmd := &cobra.Command{
		Use:   "towatch [--no] ID",
		Short: "Put a talk on your to-watch list (or, with --no, take it off the list)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			state := catalog.WatchToWatch
			if remove {
				state = catalog.WatchNone
			}
			return c.withTalk(cmd, args[0], func(cat *app.Catalog, id int64) error {
				return cat.SetWatch(cmd.Context(), id, state)
			})
		},
	}
	cmd.Flags().BoolVar(&remove, "no", false, "take the talk off the watch list (to watch or watched)")
	return cmd
}

func (c *cli) watchListCommand() *cobra.Command {
	var (
		asJSON        bool
		toWatch, seen bool
		since         string
	)
	cmd := &cobra.Command{
		Use:   "watchlist [--to-watch | --watched] [--since DATE|this-month|last-month] [--json]",
		Short: "List your watch list: talks to watch and talks watched, with dates",
		Example: `  talkdex watchlist --to-watch
  talkdex watchlist --watched --since this-month`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			req := catalog.SearchRequest{Sort: catalog.SortNewest, PerPage: catalog.MaxPerPage}
			switch {
			case toWatch && seen:
				return usagef("give --to-watch or --watched, not both")
			case toWatch:
				req.Filter.Watch = []string{catalog.WatchToWatch}
			case seen:
				req.Filter.Watch = []string{catalog.WatchWatched}
			default:
				req.Filter.Watch = []string{catalog.WatchToWatch, catalog.WatchWatched}
			}
			if since != "" {
				from, before, err := parseSince(since, time.Now())
				if err != nil {
					return err
				}
				req.Filter.WatchedSince, req.Filter.WatchedBefore = from, before
			}
			return c.printSearch(cmd, req, asJSON, printWatchList)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&toWatch, "to-watch", false, "only talks still to watch")
	f.BoolVar(&seen, "watched", false, "only talks watched")
	f.StringVar(&since, "since", "", "only talks watched since DATE (YYYY-MM-DD), this-month or last-month")
	f.BoolVar(&asJSON, "json", false, "print the API's search response")
	return cmd
}

// parseSince reads --since: a date, or a month relative to now. last-month
// also ends the range, at the start of this month.
func parseSince(s string, now time.Time) (from, before time.Time, err error) {
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
	switch s {
	case "this-month":
		return month.UTC(), time.Time{}, nil
	case "last-month":
		return month.AddDate(0, -1, 0).UTC(), month.UTC(), nil
	}
	t, perr := time.ParseInLocation(time.DateOnly, s, time.Local)
	if perr != nil {
		return time.Time{}, time.Time{}, usagef("--since %q is not a date (YYYY-MM-DD), this-month or last-month", s)
	}
	return t.UTC(), time.Time{}, nil
}

func printWatchList(w io.Writer, res *catalog.SearchResult) {
	for _, h := range res.Hits {
		t := h.Talk
		when := ""
		switch t.Watch {
		case catalog.WatchWatched:
			when = "watched " + dateOf(t.WatchedAt)
		case catalog.WatchToWatch:
			when = "to watch since " + dateOf(t.ToWatchAt)
		}
		fmt.Fprintf(w, "%6d  %s\n        %s · %s\n", t.ID, t.Title, t.Event, when)
	}
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return t.Local().Format(time.DateOnly)
}

// printSearch runs req through the catalog (or a running server) and
// prints the response as JSON or with print.
func (c *cli) printSearch(cmd *cobra.Command, req catalog.SearchRequest, asJSON bool, print func(io.Writer, *catalog.SearchResult)) error {
	cat, _, err := c.openCatalog(cmd.Context(), slog.LevelWarn)
	if err != nil {
		return err
	}
	defer cat.Close()
	res, err := cat.SearchTalks(cmd.Context(), req)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.io.out, res)
	}
	print(c.io.out, res)
	from := (res.Page-1)*res.PerPage + 1
	if res.Total == 0 {
		fmt.Fprintln(c.io.err, "no talks found")
	} else {
		fmt.Fprintf(c.io.err, "talks %d-%d of %d (%.1f ms)\n", from, from+len(res.Hits)-1, res.Total, res.TookMS)
	}
	if res.CloseMatches && res.Total > 0 {
		fmt.Fprintln(c.io.err, "few talks match every word as typed; close matches are listed too")
	}
	if res.DidYouMean != "" {
		fmt.Fprintf(c.io.err, "did you mean: %s\n", res.DidYouMean)
	}
	return nil
}

// withStore opens the database only (see openStore) and runs fn.
func (c *cli) withStore(cmd *cobra.Command, fn func(cat *app.Catalog) error) error {
	cat, err := c.openStore(cmd.Context())
	if err != nil {
		return err
	}
	defer cat.Close()
	return fn(cat)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (c *cli) tagCommand() *cobra.Command {
	var remove bool
	cmd := &cobra.Command{
		Use:   "tag [--rm] ID [TAG...]",
		Short: "Add your own tags to a talk (or remove them); with only ID, list them",
		Long: `Personal tags are yours: they are kept apart from the source's tags, are a
search facet ("My tags"), a filter (--my-tag, my_tag=) and searchable
(mytag:share). Tags are lower-cased; a comma separates tags in one argument.`,
		Example: `  talkdex tag 42 "to share" bgp
  talkdex tag --rm 42 bgp
  talkdex tag 42`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var tags []string
			for _, a := range args[1:] {
				tags = append(tags, strings.Split(a, ",")...)
			}
			if remove && len(tags) == 0 {
				return usagef("name the tags to remove")
			}
			return c.withTalk(cmd, args[0], func(cat *app.Catalog, id int64) error {
				ctx := cmd.Context()
				var err error
				switch {
				case remove:
					err = cat.RemoveMyTags(ctx, id, tags)
				case len(tags) > 0:
					err = cat.AddMyTags(ctx, id, tags)
				}
				if err != nil {
					return err
				}
				t, err := cat.FindTalkByID(ctx, id)
				if err != nil {
					return err
				}
				for _, tag := range t.MyTags {
					fmt.Fprintln(c.io.out, tag)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&remove, "rm", false, "remove the tags instead of adding them")
	return cmd
}

func (c *cli) tagsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "tags [--json]",
		Short: "List your personal tags with the number of talks that carry each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd, func(cat *app.Catalog) error {
				tags, err := cat.ListMyTags(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(c.io.out, map[string]any{"tags": tags})
				}
				for _, tc := range tags {
					fmt.Fprintf(c.io.out, "%5d  %s\n", tc.Count, tc.Tag)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printNoteHistory lists a note's revisions, newest first, each with its
// id (for note --revert), date, what replaced it and its first line.
func printNoteHistory(w io.Writer, h *catalog.NoteHistory) {
	if h.Current != "" {
		fmt.Fprintf(w, "current  %s  %s\n", dateTimeOf(h.UpdatedAt), firstLine(h.Current))
	} else {
		fmt.Fprintln(w, "current  (no note)")
	}
	for _, r := range h.Revisions {
		by := ""
		if r.Source != "" {
			by = " [replaced by " + r.Source + "]"
		}
		fmt.Fprintf(w, "%7d  %s  %s%s\n", r.ID, dateTimeOf(r.ReplacedAt), firstLine(r.Body), by)
	}
}

func dateTimeOf(t time.Time) string {
	if t.IsZero() {
		return "????-??-?? ??:??"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// firstLine is a note's first non-blank line, cut to fit a terminal row.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if r := []rune(line); len(r) > 60 {
				return string(r[:59]) + "…"
			}
			return line
		}
	}
	return ""
}

func (c *cli) searchesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "searches",
		Short: "Manage saved searches (list, save, run, rm); each has an Atom feed",
		Long: `A saved search is a name for a query plus filters. 'talkdex serve' publishes
each as an Atom feed of new matching talks at
/api/v1/searches/NAME/feed.atom.`,
		Example: `  talkdex searches save "RoCE talks" --series "Networking @Scale" roce
  talkdex searches run "RoCE talks"
  talkdex searches rm "RoCE talks"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return c.listSearches(cmd, false) },
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List saved searches",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return c.listSearches(cmd, asJSON) },
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(list, c.saveSearchCommand(), c.runSearchCommand(), c.removeSearchCommand())
	return cmd
}

func (c *cli) listSearches(cmd *cobra.Command, asJSON bool) error {
	cat, err := c.openStore(cmd.Context())
	if err != nil {
		return err
	}
	defer cat.Close()
	list, err := cat.ListSavedSearches(cmd.Context())
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(c.io.out, map[string]any{"searches": list})
	}
	for _, ss := range list {
		fmt.Fprintf(c.io.out, "%s\t%s\n", ss.Name, ss.Request().Values().Encode())
	}
	if len(list) == 0 {
		fmt.Fprintln(c.io.err, "no saved searches; save one with 'talkdex searches save NAME QUERY'")
	}
	return nil
}

// addFilterFlags registers the search filters shared by search and
// searches save.
func addFilterFlags(f *pflag.FlagSet, req *catalog.SearchRequest) {
	f.StringSliceVar(&req.Filter.Series, "series", nil, "only this series (repeatable)")
	f.StringSliceVar(&req.Filter.Event, "event", nil, "only this event (repeatable)")
	f.IntSliceVar(&req.Filter.Year, "year", nil, "only this year (repeatable)")
	f.StringSliceVar(&req.Filter.Speaker, "speaker", nil, "only talks by this speaker (repeatable)")
	f.StringSliceVar(&req.Filter.Tag, "tag", nil, "only talks with this source tag (repeatable)")
	f.StringSliceVar(&req.Filter.MyTag, "my-tag", nil, "only talks with this personal tag (repeatable)")
	f.StringSliceVar(&req.Filter.Watch, "watch", nil, "only talks to_watch or watched")
	f.BoolVar(&req.Filter.Mine, "mine", false, "only talks you rated, noted, tagged or listed")
	f.IntVar(&req.Filter.MinRating, "min-rating", 0, "only talks you rated at least N stars")
	f.StringVar(&req.Sort, "sort", "", "relevance, newest, oldest, rating or added")
}

func (c *cli) saveSearchCommand() *cobra.Command {
	var req catalog.SearchRequest
	var replace bool
	cmd := &cobra.Command{
		Use:   "save [--replace] NAME [filters] [QUERY...]",
		Short: "Save a query and filters under a name",
		Long: `Save a query and filters under a name. Put query terms that start with a
dash after --:  talkdex searches save "bgp, not evpn" -- bgp -evpn`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ss := &catalog.SavedSearch{Name: args[0], Query: strings.Join(args[1:], " "), Filter: req.Filter, Sort: req.Sort}
			cat, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer cat.Close()
			if replace {
				err = cat.UpdateSavedSearch(cmd.Context(), ss.Name, ss)
				if catalog.ErrorCode(err) == catalog.ENOTFOUND {
					err = cat.CreateSavedSearch(cmd.Context(), ss)
				}
			} else {
				err = cat.CreateSavedSearch(cmd.Context(), ss)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.io.err, "saved %q\n", ss.Name)
			return nil
		},
	}
	addFilterFlags(cmd.Flags(), &req)
	cmd.Flags().BoolVar(&replace, "replace", false, "replace a saved search of the same name")
	return cmd
}

func (c *cli) runSearchCommand() *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "run [--json] NAME",
		Short: "Run a saved search",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := c.openStore(cmd.Context())
			if err != nil {
				return err
			}
			ss, err := store.FindSavedSearch(cmd.Context(), args[0])
			store.Close()
			if err != nil {
				return err
			}
			req := ss.Request()
			req.PerPage = limit
			return c.printSearch(cmd, req, asJSON, printHits)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the API's search response")
	cmd.Flags().IntVar(&limit, "limit", catalog.DefaultPerPage, "how many talks to show")
	return cmd
}

func (c *cli) removeSearchCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Delete a saved search",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withStore(cmd, func(cat *app.Catalog) error { return cat.DeleteSavedSearch(cmd.Context(), args[0]) })
		},
	}
}

func (c *cli) restoreCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the catalog with a backup (from 'talkdex backup') and rebuild the index",
		Long: `Restore checks FILE (an SQLite database that passes its integrity check and
holds talkdex's tables), upgrades a copy of it to the current schema, keeps
the database it replaces as talkdex.db.before-restore-<time>, installs the
copy and rebuilds the search index. Stop a running server first.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := c.resolveDataDir()
			if err != nil {
				return err
			}
			logger, err := c.logger(slog.LevelWarn)
			if err != nil {
				return err
			}
			report, err := app.Restore(cmd.Context(), dir, args[0], logger)
			if err != nil {
				return err
			}
			st := report.Stats
			fmt.Fprintf(c.io.err, "restored %s: %d talks, %d rated, %d noted, %d watched; index rebuilt\n",
				args[0], st.Talks, st.Rated, st.Noted, st.Watched)
			if report.SafetyCopy != "" {
				fmt.Fprintf(c.io.err, "the database it replaced is kept as %s\n", report.SafetyCopy)
			}
			return nil
		},
	}
}

// noteHistoryOrRevert handles note --history and note --revert REV.
func (c *cli) noteHistoryOrRevert(cmd *cobra.Command, cat *app.Catalog, id int64, revert string) error {
	ctx := cmd.Context()
	if revert != "" {
		rev, err := strconv.ParseInt(revert, 10, 64)
		if err != nil || rev < 1 {
			return usagef("--revert %q is not a revision id; 'talkdex note --history %d' lists them", revert, id)
		}
		if err := cat.RevertNote(ctx, id, rev); err != nil {
			return err
		}
	}
	h, err := cat.NoteHistory(ctx, id)
	if err != nil {
		return err
	}
	printNoteHistory(c.io.out, h)
	return nil
}
