package suggest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// BenchmarkSuggest100k builds an index of 100k talks, the real pyvideo
// catalog replicated with variations (it skips when the shared fixture is
// absent; BenchmarkSuggest100kSynthetic runs anywhere), and times 1,000
// as-you-type queries of one to three words with a partial last word, one
// by one, for p50 and p99.
func BenchmarkSuggest100k(b *testing.B) {
	path := testfixture.Shared(b, "pyvideo/talks.jsonl.gz")
	var base []Talk
	_, err := formats.ReadFile(context.Background(), path, formats.Options{Format: formats.FormatAuto}, func(t *catalog.Talk) error {
		base = append(base, FromCatalog(t))
		return nil
	})
	if err != nil {
		b.Fatalf("read %s: %v", path, err)
	}
	benchmarkSuggest(b, base)
}

// BenchmarkSuggest100kSynthetic is BenchmarkSuggest100k on made-up talks.
func BenchmarkSuggest100kSynthetic(b *testing.B) {
	benchmarkSuggest(b, syntheticTalks(rand.New(rand.NewPCG(1, 2)), 20_000))
}

func benchmarkSuggest(b *testing.B, base []Talk) {
	const size = 100_000
	rng := rand.New(rand.NewPCG(6, 100))
	talks := replicate(rng, base, size)
	queries := benchQueries(rng, talks, 1000)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	// Wall time is what a user waits; CPU time of the work's own thread
	// is what the index costs, and stays meaningful when the machine is
	// busy with other work.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start, startCPU := time.Now(), threadCPU()
	ix := Build(talks)
	buildTime, buildCPU := time.Since(start), threadCPU()-startCPU
	runtime.GC()
	runtime.ReadMemStats(&after)
	stats := ix.Stats()
	b.Logf("%d talks: %+v", size, stats)

	var wall, cpu []time.Duration
	results := 0
	for b.Loop() {
		wall, cpu = wall[:0], cpu[:0]
		for _, q := range queries {
			t0, c0 := time.Now(), threadCPU()
			results += len(ix.Suggest(q, DefaultLimit))
			cpu = append(cpu, threadCPU()-c0)
			wall = append(wall, time.Since(t0))
		}
	}
	reportQuantiles(b, "", wall)
	reportQuantiles(b, "cpu-", cpu)
	b.ReportMetric(float64(results)/float64(b.N*len(queries)), "results/query")
	b.ReportMetric(float64(buildTime.Milliseconds()), "build-ms")
	b.ReportMetric(float64(buildCPU.Milliseconds()), "build-cpu-ms")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/size, "heap-B/talk")
	runtime.KeepAlive(ix)
}

// reportQuantiles reports the p50, p99 and max of durations, in µs.
func reportQuantiles(b *testing.B, prefix string, durations []time.Duration) {
	slices.Sort(durations)
	at := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(at(0.50), prefix+"p50-µs")
	b.ReportMetric(at(0.99), prefix+"p99-µs")
	b.ReportMetric(at(1), prefix+"max-µs")
}

// replicate makes n talks from base, varying titles, speakers and events
// of every copy after the first.
func replicate(rng *rand.Rand, base []Talk, n int) []Talk {
	vocab := titleVocabulary(base)
	talks := make([]Talk, 0, n)
	for copyNo := 0; len(talks) < n; copyNo++ {
		for _, t := range base {
			if len(talks) == n {
				break
			}
			if copyNo > 0 {
				t = varyTalk(rng, t, base, vocab, copyNo)
			}
			t.ID = int64(len(talks) + 1)
			talks = append(talks, t)
		}
	}
	return talks
}

// varyTalk makes another plausible talk from t: a reworded title, sometimes
// new speakers (names recombined from others), and a later edition.
func varyTalk(rng *rand.Rand, t Talk, base []Talk, vocab []string, copyNo int) Talk {
	prefixes := []string{"Advanced", "Practical", "Introduction to", "Beyond", "Revisiting", "Scaling", "Lessons from", "Hands-on", "Demystifying", "Modern"}
	suffixes := []string{"revisited", "at scale", "in production", "for beginners", "the hard way", "in practice", "deep dive", "one year later"}
	words := strings.Fields(t.Title)
	switch rng.IntN(3) {
	case 0:
		words = append([]string{prefixes[rng.IntN(len(prefixes))]}, words...)
	case 1:
		words = append(words, suffixes[rng.IntN(len(suffixes))])
	}
	if len(words) > 0 {
		words[rng.IntN(len(words))] = vocab[rng.IntN(len(vocab))]
	}
	t.Title = strings.Join(words, " ")
	if rng.IntN(2) == 0 {
		speakers := make([]string, len(t.Speakers))
		for i := range speakers {
			first := strings.Fields(base[rng.IntN(len(base))].firstSpeaker())
			last := strings.Fields(base[rng.IntN(len(base))].firstSpeaker())
			if len(first) == 0 || len(last) == 0 {
				continue
			}
			speakers[i] = first[0] + " " + last[len(last)-1]
		}
		t.Speakers = speakers
	}
	t.Event = fmt.Sprintf("%s (%d)", t.Event, copyNo+1)
	return t
}

func (t Talk) firstSpeaker() string {
	if len(t.Speakers) == 0 {
		return ""
	}
	return t.Speakers[0]
}

func titleVocabulary(talks []Talk) []string {
	seen := map[string]bool{}
	var vocab []string
	for _, t := range talks {
		for _, w := range strings.Fields(t.Title) {
			if len(w) > 3 && !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	return vocab
}

func syntheticTalks(rng *rand.Rand, n int) []Talk {
	words := strings.Fields(`bgp ospf isis mpls segment routing evpn vxlan ipv6 ipv4 peering
		transit anycast dns dnssec rpki route origin validation flowspec ddos mitigation
		telemetry streaming gnmi netconf yang automation ansible python golang kubernetes
		datacenter fabric clos spine leaf optical dwdm latency jitter measurement atlas
		internet exchange ixp content delivery cdn cache quic http tls certificate
		monitoring observability outage postmortem capacity planning traffic engineering
		multicast qos queueing buffer congestion control rdma roce ethernet wireless 5g
		satellite starlink submarine cable resilience security firewall zero trust`)
	names := strings.Fields(`geoff job ana maria zoë jürgen lucía pedro chen wei aisha
		olga ivan sara tom rachel nina omar priya`)
	surnames := strings.Fields(`huston snijders müller garcía silva wang smith kowalski
		nakamura okafor dubois rossi jensen novak patel ahmed lee`)
	talks := make([]Talk, n)
	for i := range talks {
		title := make([]string, 3+rng.IntN(6))
		for j := range title {
			title[j] = words[rng.IntN(len(words))]
		}
		series := fmt.Sprintf("NOG%02d", rng.IntN(40))
		talks[i] = Talk{
			Title:    strings.Join(title, " "),
			Speakers: []string{names[rng.IntN(len(names))] + " " + surnames[rng.IntN(len(surnames))]},
			Series:   series,
			Event:    fmt.Sprintf("%s %d", series, 2000+rng.IntN(26)),
		}
	}
	return talks
}

// benchQueries makes n queries as someone typing: one to three consecutive
// words of a title (mostly), a speaker, a series or an event, the last one
// cut short at a random length.
func benchQueries(rng *rand.Rand, talks []Talk, n int) []string {
	queries := make([]string, 0, n)
	for len(queries) < n {
		t := talks[rng.IntN(len(talks))]
		text := t.Title
		switch p := rng.IntN(20); {
		case p < 4:
			text = t.firstSpeaker()
		case p == 4:
			text = t.Series
		case p == 5:
			text = t.Event
		}
		var words []string
		foldWords(text, func(w, _ string) bool {
			words = append(words, w)
			return true
		})
		if len(words) == 0 {
			continue
		}
		from := rng.IntN(len(words))
		words = words[from:min(len(words), from+1+rng.IntN(3))]
		last := words[len(words)-1]
		words[len(words)-1] = last[:1+rng.IntN(len(last))]
		queries = append(queries, strings.Join(words, " "))
	}
	return queries
}
