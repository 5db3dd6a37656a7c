package server

import (
	"context"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
)

// newTestService is the one place the server tests get their catalog from:
// the real SQLite + Bleve service in a temporary data dir, holding the talks
// of seedTalks.
func newTestService(t testing.TB) catalog.TalkService {
	t.Helper()
	ctx := context.Background()
	cat, err := app.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatalf("open catalog: %v", err)
	}
	t.Cleanup(func() { cat.Close() })
	report, err := cat.Import(ctx, func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		for _, talk := range seedTalks() {
			if err := emit(talk); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}, nil)
	if err != nil || report.Inserted != len(seedTalks()) {
		t.Fatalf("load seed talks: %+v, %v", report, err)
	}
	return cat
}

// seedTalks is the test catalog: plain records, as an importer would produce
// them. Three series, five events, eight talks.
func seedTalks() []*catalog.Talk {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []*catalog.Talk{
		{
			Series: "AusNOG", Event: "AusNOG 2023", Title: "RoCE in the Data Centre",
			Speakers: []catalog.Speaker{{Name: "Jane Smith", Affiliation: "Acme Networks"}},
			Abstract: "Lossless Ethernet for RDMA traffic: PFC, ECN and what breaks when a < b & c.\n\nA second paragraph about buffers.",
			Start:    at("2023-09-07T10:00:00+10:00"), DurationMinutes: 30, Track: "Main", Room: "Ballroom", Language: "en",
			Tags:   []string{"datacenter", "rdma"},
			Links:  []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://video.example/roce"}, {Kind: catalog.LinkSlides, URL: "https://slides.example/roce.pdf"}},
			Source: catalog.Source{Name: "test", URL: "https://ausnog.example/2023/roce"},
		},
		{
			Series: "AusNOG", Event: "AusNOG 2023", Title: "BGP Route Reflector Design",
			Speakers: []catalog.Speaker{{Name: "Tom Lee", Affiliation: "ISP One"}},
			Abstract: "How to lay out route reflectors in a national backbone.",
			Start:    at("2023-09-07T11:00:00+10:00"), DurationMinutes: 30, Language: "en",
			Tags:   []string{"bgp"},
			Links:  []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://video.example/rr"}},
			Source: catalog.Source{Name: "test", URL: "https://ausnog.example/2023/rr"},
		},
		{
			Series: "AusNOG", Event: "AusNOG 2022", Title: "IPv6 Only Networks at Scale",
			Speakers: []catalog.Speaker{{Name: "Jane Smith", Affiliation: "Acme Networks"}},
			Abstract: "Turning off IPv4 on a campus network.",
			Start:    at("2022-09-01T14:00:00+10:00"), DurationMinutes: 25, Language: "en",
			Tags:   []string{"ipv6"},
			Links:  []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://slides.example/v6.pdf"}},
			Source: catalog.Source{Name: "test", URL: "https://ausnog.example/2022/v6"},
		},
		{
			Series: "DENOG", Event: "DENOG9", Title: "Peering DB Update",
			Speakers: []catalog.Speaker{{Name: "Arnold Nipper", Affiliation: "PeeringDB"}},
			Abstract: "News from the peering database.",
			Start:    at("2017-11-23T13:15:00+01:00"), DurationMinutes: 30, Language: "de",
			Tags:   []string{"peering"},
			Links:  []catalog.Link{{Kind: catalog.LinkSlides, URL: "https://slides.example/pdb.pdf"}},
			Source: catalog.Source{Name: "test", URL: "https://denog.example/9/pdb"},
		},
		{
			Series: "DENOG", Event: "DENOG9", Title: "Segment Routing in Practice",
			Speakers: []catalog.Speaker{{Name: "Max Mustermann", Affiliation: "Carrier AG"}, {Name: "Erika Musterfrau"}},
			Abstract: "Migrating an MPLS core to SR-MPLS.",
			Start:    at("2017-11-23T14:00:00+01:00"), DurationMinutes: 45, Language: "de",
			Tags:   []string{"mpls", "segment-routing"},
			Links:  []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://video.example/sr"}},
			Source: catalog.Source{Name: "test", URL: "https://denog.example/9/sr"},
		},
		{
			Series: "RIPE", Event: "RIPE 86", Title: "RPKI Deployment Status",
			Speakers: []catalog.Speaker{{Name: "Alice Example", Affiliation: "RIPE NCC"}},
			Abstract: "Route origin validation across the region.",
			Start:    at("2023-05-23T09:30:00+02:00"), DurationMinutes: 20, Language: "en",
			Tags:   []string{"rpki", "bgp"},
			Links:  []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://video.example/rpki"}, {Kind: catalog.LinkSlides, URL: "https://slides.example/rpki.pdf"}},
			Source: catalog.Source{Name: "test", URL: "https://ripe.example/86/rpki"},
		},
		{
			Series: "RIPE", Event: "RIPE 86", Title: "DNS Privacy Measurements",
			Speakers: []catalog.Speaker{{Name: "Bob Example"}},
			Abstract: "Measuring encrypted DNS adoption.",
			Start:    at("2023-05-24T11:00:00+02:00"), DurationMinutes: 20, Language: "en",
			Tags:   []string{"dns"},
			Source: catalog.Source{Name: "test", URL: "https://ripe.example/86/dns"},
		},
		{
			Series: "RIPE", Event: "RIPE 87", Title: "Measuring BGP Convergence",
			Speakers: []catalog.Speaker{{Name: "Tom Lee", Affiliation: "ISP One"}},
			Abstract: "Lab results on how fast the routing table settles.",
			Start:    at("2023-11-28T15:00:00+01:00"), DurationMinutes: 30, Language: "en",
			Tags:   []string{"bgp", "measurement"},
			Links:  []catalog.Link{{Kind: catalog.LinkVideo, URL: "https://video.example/conv"}},
			Source: catalog.Source{Name: "test", URL: "https://ripe.example/87/conv"},
		},
	}
}
