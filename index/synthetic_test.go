package index

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// talkGen makes deterministic synthetic talks with realistic text lengths
// (title ~8 words, abstract ~120 words, 1-3 speakers) and a Zipf-distributed
// vocabulary, for tests that need volume and for benchmarks.
type talkGen struct {
	words  []string
	first  []string
	last   []string
	series []string
	tags   []string
}

func newTalkGen() *talkGen {
	base := strings.Fields(`network routing bgp ospf isis mpls segment peering transit ipv6 ipv4
		dns rpki validation security ddos mitigation automation python ansible telemetry
		monitoring measurement latency bandwidth optical fibre subsea cable datacenter fabric
		evpn vxlan multicast anycast cdn cache edge cloud kubernetes container service mesh
		firewall nat cgnat address allocation registry policy governance community exchange
		ixp route server reflector convergence failover resilience outage incident postmortem
		hardware silicon asic switch router linecard optics power cooling capacity planning
		traffic engineering congestion queue buffer tcp quic http tls certificate encryption
		privacy abuse spam botnet scanning census topology graph dataset research operator
		deployment migration lessons learned experience practice design architecture scale`)
	gen := &talkGen{
		first: strings.Fields(`Ana Ben Chen Dana Eve Femi Geoff Hana Ivan Job Kim Lena Mark Nora Omar Pia Quinn
			Rosa Sam Tara Uma Vik Wen Xia Yuki Zoe Arnold Bruno Carla Dmitri Elena Farid Greta Hugo Ines
			Jonas Karin Luis Maya Nils Olga Pablo Rhea Sven Tomas Ulla Vera Walter Yara Zeno`),
		last: strings.Fields(`Huston Lopez Smith Nipper Snijders Tan Garcia Muller Rossi Silva Kowalski Nguyen
			Haddad Okafor Berg Novak Ito Park Costa Dubois Andersen Bianchi Castro Dahl Eriksen Fischer
			Gomez Hansen Ivanova Jensen Keller Larsen Moreau Nowak Olsen Petrov Quist Richter Santos
			Torres Usman Varga Weber Xu Yilmaz Zimmer Baker Clarke Evans Foster`),
		series: strings.Fields("NANOG RIPE AusNOG DENOG NZNOG ESNOG APRICOT UKNOF LACNIC AfNOG SANOG MENOG PHNOG IDNOG JANOG CaribNOG GPF SwiNOG NLNOG PLNOG"),
	}
	// The most frequent words of real prose are stop words, which the
	// analyzer drops; putting them first keeps domain words at a realistic
	// document frequency (a few to a few dozen percent of talks).
	gen.words = append(gen.words, strings.Fields(`the of and to a in is for that on with as are this
		by be from at an it we or which will how our can has have not their these more also
		into what about when its they but was were than all been other new you this such`)...)
	gen.words = append(gen.words, base...)
	// Pad with made-up words so the vocabulary has a long tail.
	r := rand.New(rand.NewPCG(1, 2))
	for len(gen.words) < 5000 {
		n := 4 + r.IntN(6)
		var b strings.Builder
		for range n {
			b.WriteByte(byte('a' + r.IntN(26)))
		}
		gen.words = append(gen.words, b.String())
	}
	gen.tags = base[:60] // as a sub-slice of base, not of gen.words
	return gen
}

func (g *talkGen) text(r *rand.Rand, z *rand.Zipf, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.words[z.Uint64()]
	}
	if n > 0 {
		ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	}
	return strings.Join(ws, " ")
}

// talk returns talk id; the same id always gives the same talk.
func (g *talkGen) talk(id int64) *catalog.Talk {
	r := rand.New(rand.NewPCG(uint64(id), 7))
	z := rand.NewZipf(r, 1.1, 2, uint64(len(g.words)-1))
	series := g.series[r.IntN(len(g.series))]
	year := 2005 + r.IntN(20)
	t := &catalog.Talk{
		ID:       id,
		Series:   series,
		Event:    fmt.Sprintf("%s %d", series, year),
		Year:     year,
		Title:    g.text(r, z, 5+r.IntN(7)),
		Abstract: g.text(r, z, 80+r.IntN(80)) + ".",
	}
	for range 1 + r.IntN(3) {
		t.Speakers = append(t.Speakers, catalog.Speaker{Name: g.first[r.IntN(len(g.first))] + " " + g.last[r.IntN(len(g.last))]})
	}
	for range r.IntN(4) {
		t.Tags = append(t.Tags, g.tags[r.IntN(len(g.tags))])
	}
	if r.IntN(20) != 0 {
		t.Start = time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 9+r.IntN(9), 0, 0, 0, time.UTC)
	}
	if r.IntN(10) < 6 {
		t.Links = append(t.Links, catalog.Link{Kind: catalog.LinkVideo, URL: fmt.Sprintf("https://video.example/%d", id)})
	}
	if r.IntN(2) == 0 {
		t.Links = append(t.Links, catalog.Link{Kind: catalog.LinkSlides, URL: fmt.Sprintf("https://slides.example/%d.pdf", id)})
	}
	if r.IntN(10) < 3 {
		t.Rating = 1 + r.IntN(5)
	}
	if r.IntN(10) == 0 {
		t.Note = g.text(r, z, 10+r.IntN(30))
	}
	t.Watched = r.IntN(10) == 0
	t.Normalize()
	return t
}

func (g *talkGen) talks(n int) []*catalog.Talk {
	out := make([]*catalog.Talk, n)
	for i := range out {
		out[i] = g.talk(int64(i + 1))
	}
	return out
}
