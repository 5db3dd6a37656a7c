package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// PrintRelevance writes a relevance report as a table: success@1,
// success@3 and MRR per kind and overall, talkdex beside FTS5, then the
// queries either engine failed to put in its top three.
func PrintRelevance(w io.Writer, rep *RelevanceReport) error {
	fmt.Fprintf(w, "relevance on the %s catalog (%d talks)\n", rep.Catalog, rep.Talks)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tqueries\ttalkdex s@1\ts@3\tMRR\tFTS5 s@1\ts@3\tMRR\t")
	for _, k := range append(rep.Kinds, rep.Overall) {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", k.Kind, k.Talkdex.Queries,
			k.Talkdex.At1, k.Talkdex.At3, k.Talkdex.MRR, k.FTS5.At1, k.FTS5.At3, k.FTS5.MRR)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Failures) == 0 {
		_, err := fmt.Fprintln(w, "every wanted talk is in both engines' top 3")
		return err
	}
	fmt.Fprintln(w, "\nnot in the top 3 (rank: talkdex / FTS5; - is below 10):")
	for _, o := range rep.Failures {
		fmt.Fprintf(w, "  [%s] %q  wants %q  rank %s / %s\n", o.Kind, o.Query.Query, o.Title, rankText(o.TalkdexRank, o.TalkdexError), rankText(o.FTS5Rank, o.FTS5Error))
		if o.TalkdexRank < 1 || o.TalkdexRank > 3 {
			fmt.Fprintf(w, "      talkdex top: %s\n", topText(o.TalkdexTop, o.TalkdexError))
		}
		if o.FTS5Rank < 1 || o.FTS5Rank > 3 {
			fmt.Fprintf(w, "      FTS5 top:    %s\n", topText(o.FTS5Top, o.FTS5Error))
		}
	}
	return nil
}

func rankText(rank int, errText string) string {
	switch {
	case errText != "":
		return "error"
	case rank == 0:
		return "-"
	default:
		return fmt.Sprint(rank)
	}
}

func topText(titles []string, errText string) string {
	if errText != "" {
		return "error: " + errText
	}
	if len(titles) == 0 {
		return "(nothing)"
	}
	return strings.Join(titles, " | ")
}

// PrintBench writes the benchmark as tables, one block per catalog size.
func PrintBench(w io.Writer, rep *Report) error {
	for _, s := range rep.Sizes {
		fmt.Fprintf(w, "== %d talks (%s) ==\n", s.Talks, rep.Source)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "import\t%.0f talks/s\t(%.1f s through app.Import)\n", s.ImportPerSec, s.ImportSeconds)
		if s.FloorPerSec > 0 {
			fmt.Fprintf(tw, "Bleve floor\t%.0f talks/s\t(%.1f s: plain Bleve, titles, abstracts and speakers with positions, no SQLite; import %.2f of it)\n",
				s.FloorPerSec, s.FloorSeconds, s.ImportPerSec/s.FloorPerSec)
		}
		fmt.Fprintf(tw, "index size\t%s\t(talkdex.db %s; FTS5 baseline %s, loaded in %.1f s)\n",
			mib(s.IndexBytes), mib(s.DatabaseBytes), mib(s.FTS5Bytes), s.FTS5LoadSec)
		fmt.Fprintf(tw, "search p50\t%.2f ms\t(FTS5 %.2f ms, ratio %.2f)\n", s.Search.Talkdex.P50MS, s.Search.FTS5.P50MS, s.Search.P50Ratio)
		fmt.Fprintf(tw, "search p99\t%.2f ms\t(FTS5 %.2f ms, ratio %.2f)\n", s.Search.Talkdex.P99MS, s.Search.FTS5.P99MS, s.Search.P99Ratio)
		fmt.Fprintf(tw, "searches\t%d\t(found nothing: talkdex %d, FTS5 %d)\n", s.Search.Talkdex.Samples, s.Search.TalkdexEmpty, s.Search.FTS5Empty)
		fmt.Fprintf(tw, "/api/v1/talks\t%.0f req/s\t(%d clients, %.1f s, %d errors)\n", s.HTTP.RequestsPerSecond, s.HTTP.Clients, s.HTTP.Seconds, s.HTTP.Errors)
		fmt.Fprintf(tw, "bench RSS\t%s\t(peak %s; holds the FTS5 baseline too)\n", mib(s.Bench.RSS), mib(s.Bench.Peak))
		if cs := s.ColdStart; cs != nil {
			fmt.Fprintf(tw, "cold start\t%.0f ms\t(spawn to first answered search)\n", cs.MS)
			fmt.Fprintf(tw, "server RSS\t%s\t(peak %s; the spawned server after warm searches)\n", mib(cs.Server.RSS), mib(cs.Server.Peak))
		}
		if r := s.Relevance; r != nil {
			fmt.Fprintf(tw, "suite s@3\t%.2f\t(FTS5 %.2f; MRR %.2f vs %.2f; %d queries)\n", r.Overall.Talkdex.At3, r.Overall.FTS5.At3, r.Overall.Talkdex.MRR, r.Overall.FTS5.MRR, r.Overall.Talkdex.Queries)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "by kind\tn\ttalkdex p50\tp99\tFTS5 p50\tp99\t")
		for _, k := range s.Search.ByKind {
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t\n", k.Kind, k.Talkdex.Samples, k.Talkdex.P50MS, k.Talkdex.P99MS, k.FTS5.P50MS, k.FTS5.P99MS)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
