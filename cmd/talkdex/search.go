package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/talkdex/talkdex/internal/catalog"
)

func (c *cli) searchCommand() *cobra.Command {
	var (
		asJSON bool
		req    catalog.SearchRequest
	)
	cmd := &cobra.Command{
		Use:   "search [--json] [--series S] [--event E] [--year Y] [--min-rating N] [--limit N] QUERY...",
		Short: "Search talks by keyword, with filters",
		Long: `Search titles, abstracts, speakers, tags and your notes.

Query syntax: words (all must match), "a phrase", +must, -not, and the
field prefixes title: speaker: abstract: note: tag: series: event: year:
An empty query lists every talk that passes the filters.`,
		Example: `  talkdex search bgp -evpn
  talkdex search --series DENOG --year 2017 peering
  talkdex search --json speaker:huston`,
		// Flag parsing is ours: "bgp -evpn" must read -evpn as a query
		// term, not as an unknown flag.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			flagArgs, terms := splitQueryArgs(cmd, args)
			if err := cmd.Flags().Parse(flagArgs); err != nil {
				return usageError{fmt.Errorf("%w\nSee '%s --help'.", err, cmd.CommandPath())}
			}
			if help, _ := cmd.Flags().GetBool("help"); help {
				return cmd.Help()
			}
			req.Query = strings.Join(terms, " ")
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
				enc := json.NewEncoder(c.io.out)
				enc.SetEscapeHTML(false)
				return enc.Encode(res)
			}
			printHits(c.io.out, res)
			from := (res.Page-1)*res.PerPage + 1
			if res.Total == 0 {
				fmt.Fprintln(c.io.err, "no talks found")
			} else {
				fmt.Fprintf(c.io.err, "talks %d-%d of %d (%.1f ms)\n", from, from+len(res.Hits)-1, res.Total, res.TookMS)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the API's search response")
	f.StringSliceVar(&req.Filter.Series, "series", nil, "only this series (repeatable)")
	f.StringSliceVar(&req.Filter.Event, "event", nil, "only this event (repeatable)")
	f.IntSliceVar(&req.Filter.Year, "year", nil, "only this year (repeatable)")
	f.StringSliceVar(&req.Filter.Speaker, "speaker", nil, "only talks by this speaker (repeatable)")
	f.StringSliceVar(&req.Filter.Tag, "tag", nil, "only talks with this tag (repeatable)")
	f.IntVar(&req.Filter.MinRating, "min-rating", 0, "only talks you rated at least N stars")
	f.IntVar(&req.PerPage, "limit", catalog.DefaultPerPage, "how many talks to show")
	f.IntVar(&req.Page, "page", 1, "which page of results")
	f.StringVar(&req.Sort, "sort", catalog.SortRelevance, "relevance, newest, oldest or rating")
	return cmd
}

// splitQueryArgs separates the command's flags (and their values) from
// query terms. A dash-word that is not one of the command's flags is a
// query term ("-evpn"); everything after "--" is too.
func splitQueryArgs(cmd *cobra.Command, args []string) (flagArgs, terms []string) {
	flags := cmd.Flags()
	flags.AddFlagSet(cmd.InheritedFlags())
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return flagArgs, append(terms, args[i+1:]...)
		}
		if len(arg) < 2 || arg[0] != '-' {
			terms = append(terms, arg)
			continue
		}
		name, hasValue := strings.TrimLeft(arg, "-"), false
		if k := strings.IndexByte(name, '='); k >= 0 {
			name, hasValue = name[:k], true
		}
		var f *pflag.Flag
		if strings.HasPrefix(arg, "--") {
			f = flags.Lookup(name)
		} else if len(name) == 1 {
			f = flags.ShorthandLookup(name)
		}
		if f == nil && name != "help" && name != "h" {
			terms = append(terms, arg)
			continue
		}
		flagArgs = append(flagArgs, arg)
		// A flag that takes a value may have it in the next argument.
		if f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++
			flagArgs = append(flagArgs, args[i])
		}
	}
	return flagArgs, terms
}

func printHits(w io.Writer, res *catalog.SearchResult) {
	for _, h := range res.Hits {
		t := h.Talk
		stars := ""
		if t.Rating > 0 {
			stars = " " + strings.Repeat("★", t.Rating)
		}
		fmt.Fprintf(w, "%6d  %s%s\n", t.ID, t.Title, stars)
		meta := []string{t.Event}
		if names := t.SpeakerNames(); len(names) > 0 {
			meta = append(meta, strings.Join(names, ", "))
		}
		fmt.Fprintf(w, "        %s\n", strings.Join(meta, " · "))
	}
}
