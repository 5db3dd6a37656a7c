package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
)

// titleSuffixes vary replicated titles: words a real catalog repeats
// across editions of a talk.
func titleSuffixes() []string {
	return []string{"revisited", "in practice", "part two", "a retrospective", "lessons learned",
		"at scale", "for beginners", "deep dive", "update", "the sequel", "in production"}
}

// Replicate yields n talks made from base: the first copy of each talk is
// the talk itself, later rounds vary it as re-runs of a talk at other
// events would: the title gains a suffix (every other round also rotates
// its first word to the end), the year and start shift, the speakers'
// names are reordered or gain an initial, and the source key gets a
// replica suffix (see baseKey). When n is smaller than base, the talks
// whose keys are in first come before the rest, so that a relevance
// suite's wanted talks are always in the catalog.
func Replicate(base []*catalog.Talk, n int, first []string) app.Source {
	ordered := frontLoad(base, first)
	return func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		if len(ordered) == 0 {
			return nil, nil
		}
		for i := range n {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			t := ordered[i%len(ordered)]
			if round := i / len(ordered); round > 0 {
				t = variant(t, round)
			}
			if err := emit(t); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
}

func frontLoad(base []*catalog.Talk, first []string) []*catalog.Talk {
	if len(first) == 0 {
		return base
	}
	out := make([]*catalog.Talk, 0, len(base))
	var rest []*catalog.Talk
	for _, t := range base {
		if slices.Contains(first, catalog.SourceKey(t)) {
			out = append(out, t)
		} else {
			rest = append(rest, t)
		}
	}
	return append(out, rest...)
}

// variant is copy number round (1, 2, ...) of t.
func variant(t *catalog.Talk, round int) *catalog.Talk {
	v := *t
	v.ID = 0
	v.Source.Key = catalog.SourceKey(t) + replicaMark + fmt.Sprint(round)
	v.Source.URL = ""
	suffixes := titleSuffixes()
	words := strings.Fields(t.Title)
	if round%2 == 0 && len(words) > 1 {
		words = append(words[1:], words[0])
	}
	v.Title = strings.Join(words, " ") + " (" + suffixes[(round-1)%len(suffixes)] + ")"
	shift := 1 + round%5
	if v.Year > 0 {
		v.Year += shift
	}
	if !v.Start.IsZero() {
		v.Start = v.Start.AddDate(shift, 0, 0)
	}
	v.Speakers = make([]catalog.Speaker, len(t.Speakers))
	for i, s := range t.Speakers {
		v.Speakers[i] = catalog.Speaker{Name: mutateName(s.Name, round), Affiliation: s.Affiliation}
	}
	v.Tags = slices.Clone(t.Tags)
	v.Links = slices.Clone(t.Links)
	return &v
}

// mutateName gives a replica's speaker a different but plausible name.
func mutateName(name string, round int) string {
	parts := strings.Fields(name)
	switch {
	case len(parts) < 2:
		return name
	case round%3 == 1:
		return strings.Join(append(parts[1:], parts[0]), " ")
	case round%3 == 2:
		return parts[0] + " " + string(rune('A'+round%26)) + ". " + strings.Join(parts[1:], " ")
	default:
		return name
	}
}

// Synthetic makes n talks from a small vocabulary for machines without the
// pyvideo fixture. Its figures are only indicative: real titles and
// abstracts have a far richer vocabulary.
func Synthetic(n int, seed uint64) []*catalog.Talk {
	topics := []string{"bgp", "routing", "security", "dns", "ipv6", "peering", "automation", "python",
		"monitoring", "optics", "datacenter", "evpn", "mpls", "kubernetes", "testing", "packaging",
		"concurrency", "databases", "observability", "wireless", "satellite", "caching", "latency"}
	verbs := []string{"scaling", "debugging", "operating", "building", "measuring", "securing", "migrating", "automating"}
	nouns := []string{"networks", "services", "pipelines", "clusters", "backbones", "exchanges", "resolvers", "fabrics"}
	first := []string{"Ada", "Grace", "Linus", "Geoff", "Ned", "Brandon", "Mirjam", "Arnold", "Shane", "Jon"}
	last := []string{"Huston", "Rhodes", "Kühne", "Nipper", "Alcock", "Brewer", "Hopper", "Lovelace", "Weible", "Smith"}
	series := []string{"PyCon US", "EuroPython", "DENOG", "NZNOG", "AusNOG", "FOSDEM", "SciPy", "RIPE"}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	out := make([]*catalog.Talk, n)
	for i := range out {
		s := pick(series)
		year := 2008 + rng.IntN(18)
		topic, verb := pick(topics), pick(verbs)
		out[i] = &catalog.Talk{
			Series:   s,
			Event:    fmt.Sprintf("%s %d", s, year),
			Year:     year,
			Title:    fmt.Sprintf("%s %s %s with %s", strings.ToUpper(verb[:1])+verb[1:], topic, pick(nouns), pick(topics)),
			Speakers: []catalog.Speaker{{Name: pick(first) + " " + pick(last)}},
			Abstract: fmt.Sprintf("How we went about %s %s: %s, %s and %s, and what %s taught us.", pick(verbs), pick(nouns), pick(topics), pick(topics), topic, pick(topics)),
			Tags:     []string{topic},
			Source:   catalog.Source{Name: "synthetic", Key: fmt.Sprintf("synthetic:%d", i)},
		}
	}
	return out
}

// LoadTalks reads every talk src yields into memory.
func LoadTalks(ctx context.Context, src app.Source) ([]*catalog.Talk, error) {
	var out []*catalog.Talk
	if _, err := src(ctx, func(t *catalog.Talk) error {
		out = append(out, t)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read talks: %w", err)
	}
	return out, nil
}
