package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/notesimport"
	"github.com/talkdex/talkdex/internal/scrape"
)

// notesImportSource is the Source.Name of talks created by
// notes import --create-missing.
const notesImportSource = "notes-import"

func (c *cli) notesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notes",
		Short: "Import talk notes from a blog post (notes import)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(c.notesImportCommand())
	return cmd
}

// notesImportFlags are the options of notes import.
type notesImportFlags struct {
	apply, acceptRatings, createMissing bool
	dryRun, asJSON, allowPrivate        bool
	minConfidence                       float64
}

func (c *cli) notesImportCommand() *cobra.Command {
	var fl notesImportFlags
	cmd := &cobra.Command{
		Use:   "import [--apply [--accept-ratings] [--create-missing]] [--dry-run --json] FILE|URL",
		Short: "Match a blog post of talk notes to talks, show the matches, and with --apply attach the notes",
		Long: `Reads a blog post of talk notes (text, Markdown or HTML; a file, - for stdin,
or a URL) written the usual way: an event heading, a line per talk
("Title: video — verdict") and bullet points under it. Each part is matched
to a talk: a fuzzy title match within the event the heading names, then
across the catalog. Without --apply it only shows the review table:
part → talk, confidence and the note's first line; parts it could not place
are listed, never dropped.

--apply appends each matched note below the talk's note (never replacing
it; running the import again appends nothing twice; the note's history
records the post). Verdicts ("Super good!", "interesting") become rating
suggestions, written only with --accept-ratings and never over a rating you
gave. --create-missing adds the talks a post names that the catalog lacks,
under the event its heading names, and attaches their notes.`,
		Example: `  talkdex notes import blog-2023.txt
  talkdex notes import --dry-run --json blog-2023.txt
  talkdex notes import --apply --accept-ratings blog-2023.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if fl.apply && fl.dryRun {
				return usagef("--apply and --dry-run contradict each other")
			}
			if (fl.acceptRatings || fl.createMissing) && !fl.apply {
				return usagef("--accept-ratings and --create-missing only act with --apply")
			}
			if fl.minConfidence < 0 || fl.minConfidence > 1 {
				return usagef("--min-confidence %.2f is out of range 0..1", fl.minConfidence)
			}
			return c.notesImport(cmd.Context(), args[0], fl)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fl.apply, "apply", false, "write the matched notes")
	f.BoolVar(&fl.acceptRatings, "accept-ratings", false, "with --apply, also write the suggested ratings of unrated talks")
	f.BoolVar(&fl.createMissing, "create-missing", false, "with --apply, add talks the post names that the catalog lacks")
	f.BoolVar(&fl.dryRun, "dry-run", false, "write nothing (the default without --apply)")
	f.BoolVar(&fl.asJSON, "json", false, "print one JSON object a part instead of the table")
	f.BoolVar(&fl.allowPrivate, "allow-private", false, "let a URL reach this machine or the local network")
	f.Float64Var(&fl.minConfidence, "min-confidence", notesimport.DefaultMinConfidence, "least confidence to attach a note to a talk")
	return cmd
}

func (c *cli) notesImport(ctx context.Context, arg string, fl notesImportFlags) error {
	body, contentType, name, err := c.readPost(ctx, arg, fl.allowPrivate)
	if err != nil {
		return err
	}
	parts, err := notesimport.Parse(bytes.NewReader(body), contentType)
	if err != nil {
		return catalog.Errorf(catalog.EINVALID, "%s: %v", name, err)
	}
	cat, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	var cands []notesimport.Candidate
	if err := cat.Store().EachTalk(ctx, func(t *catalog.Talk) error {
		cands = append(cands, notesimport.CandidateFromTalk(t))
		return nil
	}); err != nil {
		return fmt.Errorf("notes import: read the catalog: %w", err)
	}
	matches := notesimport.MatchParts(parts, cands, notesimport.Options{MinConfidence: fl.minConfidence})

	if fl.asJSON {
		for _, m := range matches {
			if err := writeJSON(c.io.out, matchJSON(m)); err != nil {
				return err
			}
		}
	} else {
		printReview(c.io.out, matches)
	}
	matched := 0
	for _, m := range matches {
		if m.Talk != nil {
			matched++
		}
	}
	fmt.Fprintf(c.io.err, "%s: %d parts, %d matched, %d unmatched\n", name, len(matches), matched, len(matches)-matched)
	if !fl.apply {
		fmt.Fprintln(c.io.err, "nothing written; --apply attaches the matched notes")
		return nil
	}
	return c.applyNotes(ctx, cat, matches, "notes import: "+name, fl)
}

// readPost reads the post from a file, stdin (-) or a URL, with the
// polite fetcher for URLs.
func (c *cli) readPost(ctx context.Context, arg string, allowPrivate bool) (body []byte, contentType, name string, err error) {
	switch {
	case arg == "-":
		body, err = io.ReadAll(io.LimitReader(c.io.in, maxDownloadBytes+1))
		if err == nil && len(body) > maxDownloadBytes {
			return nil, "", "", catalog.Errorf(catalog.EINVALID, "the post on stdin is larger than %d bytes", maxDownloadBytes)
		}
		return body, "", "stdin", err
	case isURL(arg):
		fetcher, err := scrape.NewFetcher(scrape.FetcherConfig{
			UserAgent: scrape.DefaultUserAgent(buildVersion()), AllowPrivate: allowPrivate, MaxBodyBytes: maxDownloadBytes,
		})
		if err != nil {
			return nil, "", "", err
		}
		resp, err := fetcher.Get(ctx, arg)
		if err != nil {
			return nil, "", "", err
		}
		mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		return resp.Body, mt, arg, nil
	default:
		body, err = os.ReadFile(arg)
		if err != nil {
			if os.IsNotExist(err) {
				return nil, "", "", catalog.Errorf(catalog.ENOTFOUND, "%s does not exist", arg)
			}
			return nil, "", "", fmt.Errorf("notes import: %w", err)
		}
		mt := ""
		switch strings.ToLower(filepath.Ext(arg)) {
		case ".html", ".htm":
			mt = "text/html"
		}
		return body, mt, filepath.Base(arg), nil
	}
}

// partJSON is one line of notes import --json.
type partJSON struct {
	Talk            *talkRef        `json:"talk,omitempty"`
	Confidence      *float64        `json:"confidence,omitempty"`
	Note            string          `json:"note,omitempty"`
	SuggestedRating int             `json:"suggested_rating,omitempty"`
	Unmatched       string          `json:"unmatched,omitempty"`
	Line            int             `json:"line"`
	Reason          string          `json:"reason,omitempty"`
	Suggestion      *talkRef        `json:"suggestion,omitempty"`
	Missing         *missingTalkRef `json:"missing,omitempty"`
}

type talkRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Event string `json:"event,omitempty"`
}

type missingTalkRef struct {
	Title string `json:"title"`
	Event string `json:"event"`
}

func matchJSON(m notesimport.Match) partJSON {
	p := partJSON{Line: m.Part.Line}
	if m.Talk != nil {
		conf := round2(m.Confidence)
		p.Talk = &talkRef{ID: m.Talk.ID, Title: m.Talk.Title, Event: m.Talk.Event}
		p.Confidence = &conf
		p.Note = m.Part.Note
		p.SuggestedRating = m.Rating
		return p
	}
	p.Unmatched = m.Part.Lead
	p.Reason = m.Reason
	if m.Suggestion != nil {
		p.Suggestion = &talkRef{ID: m.Suggestion.ID, Title: m.Suggestion.Title, Event: m.Suggestion.Event}
	}
	if m.Missing != nil {
		p.Missing = &missingTalkRef{Title: m.Missing.Title, Event: m.Missing.Event}
	}
	return p
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// printReview prints the review table: matched parts, then the parts it
// could not place with the reason and any suggestion.
func printReview(w io.Writer, matches []notesimport.Match) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE\tTALK\tCONF\tRATING?\tNOTE")
	for _, m := range matches {
		if m.Talk == nil {
			continue
		}
		rating := ""
		if m.Rating > 0 {
			rating = strings.Repeat("★", m.Rating)
		}
		fmt.Fprintf(tw, "%d\t#%d %s\t%.2f\t%s\t%s\n", m.Part.Line, m.Talk.ID, clip(m.Talk.Title, 48), m.Confidence, rating, clip(firstLine(m.Part.Note), 50))
	}
	tw.Flush()
	var unmatched []notesimport.Match
	for _, m := range matches {
		if m.Talk == nil {
			unmatched = append(unmatched, m)
		}
	}
	if len(unmatched) == 0 {
		return
	}
	fmt.Fprintf(w, "\nNot matched (%d):\n", len(unmatched))
	for _, m := range unmatched {
		fmt.Fprintf(w, "  line %d: %s\n", m.Part.Line, clip(m.Part.Lead, 70))
		if m.Reason != "" {
			fmt.Fprintf(w, "      %s\n", m.Reason)
		}
		if m.Suggestion != nil {
			fmt.Fprintf(w, "      perhaps #%d %s (%s)?\n", m.Suggestion.ID, m.Suggestion.Title, m.Suggestion.Event)
		}
		if m.Missing != nil {
			fmt.Fprintf(w, "      not in the catalog; --create-missing adds it to %s\n", m.Missing.Event)
		}
	}
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// applyNotes writes what the review showed: notes appended to matched
// talks, ratings when accepted, and missing talks when asked.
func (c *cli) applyNotes(ctx context.Context, cat *app.Catalog, matches []notesimport.Match, source string, fl notesImportFlags) error {
	var appended, already, rated, keptRating, created int
	for _, m := range matches {
		id := int64(0)
		switch {
		case m.Talk != nil:
			id = m.Talk.ID
		case m.Missing != nil && fl.createMissing:
			t := *m.Missing
			t.Source = catalog.Source{Name: notesImportSource}
			var err error
			if id, err = cat.CreateTalk(ctx, &t); err != nil {
				return fmt.Errorf("create %q: %w", t.Title, err)
			}
			created++
		default:
			continue
		}
		if strings.TrimSpace(m.Part.Note) != "" {
			ok, err := cat.AppendNote(ctx, id, m.Part.Note, source)
			if err != nil {
				return fmt.Errorf("append note to talk %d: %w", id, err)
			}
			if ok {
				appended++
			} else {
				already++
			}
		}
		if m.Rating > 0 && fl.acceptRatings {
			// Never over the user's rating, nor over one they cleared.
			ok, err := cat.SuggestRating(ctx, id, m.Rating)
			if err != nil {
				return err
			}
			if ok {
				rated++
			} else {
				keptRating++
			}
		}
	}
	fmt.Fprintf(c.io.err, "appended %d notes (%d were there already)", appended, already)
	if created > 0 {
		fmt.Fprintf(c.io.err, ", created %d talks", created)
	}
	if fl.acceptRatings {
		fmt.Fprintf(c.io.err, ", rated %d talks (kept %d ratings you gave)", rated, keptRating)
	}
	fmt.Fprintln(c.io.err)
	return nil
}
