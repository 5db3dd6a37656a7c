package bench

import (
	"slices"
	"time"
)

// Scores are the relevance figures of one engine over a set of queries.
// Rank 0 means the wanted talk was not among the first RankDepth hits.
type Scores struct {
	Queries int     `json:"queries"`
	At1     float64 `json:"success_at_1"`
	At3     float64 `json:"success_at_3"`
	MRR     float64 `json:"mrr"`
}

// RankDepth is how many hits are looked at for MRR: a talk below it counts
// as not found.
const RankDepth = 10

// scoreRanks turns the wanted talks' ranks (1-based, 0 for not found) into
// success@1, success@3 and mean reciprocal rank.
func scoreRanks(ranks []int) Scores {
	s := Scores{Queries: len(ranks)}
	if len(ranks) == 0 {
		return s
	}
	for _, r := range ranks {
		if r < 1 {
			continue
		}
		if r == 1 {
			s.At1++
		}
		if r <= 3 {
			s.At3++
		}
		s.MRR += 1 / float64(r)
	}
	n := float64(len(ranks))
	s.At1, s.At3, s.MRR = s.At1/n, s.At3/n, s.MRR/n
	return s
}

// Latency summarises a set of timings.
type Latency struct {
	Samples int     `json:"samples"`
	P50MS   float64 `json:"p50_ms"`
	P99MS   float64 `json:"p99_ms"`
	MeanMS  float64 `json:"mean_ms"`
}

// summarize computes nearest-rank percentiles.
func summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	return Latency{
		Samples: len(sorted),
		P50MS:   ms(percentile(sorted, 50)),
		P99MS:   ms(percentile(sorted, 99)),
		MeanMS:  ms(sum / time.Duration(len(sorted))),
	}
}

// percentile is the nearest-rank percentile p of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100 // ceil(n*p/100), 1-based
	return sorted[max(i, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ratio is a/b, or 0 when b is 0 (nothing to compare with).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
