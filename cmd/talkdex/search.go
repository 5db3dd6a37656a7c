package main

import (
	"fmt"
	"io"
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
			return c.printSearch(cmd, req, asJSON, printHits)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the API's search response")
	addFilterFlags(f, &req)
	f.IntVar(&req.PerPage, "limit", catalog.DefaultPerPage, "how many talks to show")
	f.IntVar(&req.Page, "page", 1, "which page of results")
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
