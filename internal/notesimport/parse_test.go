package notesimport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// weekendParts is what testdata/weekend-notes.{txt,html} hold, part by
// part. Line numbers are those of the text version.
var weekendParts = []Part{
	{Line: 1, Lead: "Weekend viewing list",
		Note: "Weekend viewing list\n\nI finally cleared the backlog of conference recordings that piled up over the winter. Short notes below, mostly for future me."},
	{Line: 8, Heading: "Networking Scale 2023", Title: "Scaling RoCE Networks for AI Training", Verdict: "Really really good.",
		Lead: "Scaling RoCE Networks for AI Training: video — Really really good.",
		Note: "- Lossless fabric tuning matters more than raw link speed.\n- Watch the part about congestion signals twice."},
	{Line: 13, Heading: "Networking Scale 2023", Title: "Traffic Engineering for AI Training Networks", Verdict: "so so",
		Lead: "Traffic Engineering for AI Training Networks : video – so so",
		Note: "- Central controller decides the paths.\n- Failures are handled by quick reroutes from a backup channel."},
	{Line: 18, Heading: "Networking Scale 2023", Title: "Network Observability for AI/HPC Training Workflows",
		Lead: "Network Observability for AI/HPC Training Workflows: video",
		Note: "- Collect counters from both hosts and switches."},
	// Prose after a talk's bullets is a part of its own, never silently
	// added to the talk's note.
	{Line: 22, Heading: "Networking Scale 2023", Lead: "Side thought: I should measure our own fabric before buying anything.",
		Note: "Side thought: I should measure our own fabric before buying anything.\n\nStorage tiers and other musings\n\nQuick aside about my home lab, which needs a bigger switch."},
	{Line: 31, Heading: "AusNOG 2023", Title: "Vendor Support API", Verdict: "great",
		Lead: "Vendor Support API: - great",
		Note: "- Opening hardware replacement cases straight from a script."},
	{Line: 35, Heading: "AusNOG 2023", Title: "No Packet Behind", Lead: "No Packet Behind:",
		Note: "- Loss budgets per service."},
	{Line: 41, Heading: "AusNOG 2023", Lead: "From ESNOG I finally watched the recording everybody mentioned.",
		Note: "From ESNOG I finally watched the recording everybody mentioned.\n\nEVPN control plane at the exchange keeps the MAC tables tidy.\n\nProxy-ARP cuts the broadcast noise on the peering LAN."},
}

func parseFile(t *testing.T, path, contentType string) []Part {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parts, err := Parse(f, contentType)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return parts
}

func TestParse(t *testing.T) {
	tests := []struct {
		file, contentType string
		compareLines      bool
	}{
		{"weekend-notes.txt", "text/plain; charset=utf-8", true},
		{"weekend-notes.txt", "", true},
		// The HTML version renders to different line numbers, but to the
		// same parts; its navigation, footer and script must not leak in.
		{"weekend-notes.html", "text/html; charset=utf-8", false},
		{"weekend-notes.html", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			got := parseFile(t, filepath.Join("testdata", tt.file), tt.contentType)
			if len(got) != len(weekendParts) {
				for _, p := range got {
					t.Logf("got part %+v", p)
				}
				t.Fatalf("got %d parts, want %d", len(got), len(weekendParts))
			}
			for i, want := range weekendParts {
				g := got[i]
				if !tt.compareLines {
					g.Line = want.Line
				}
				if g != want {
					t.Errorf("part %d:\n got %+v\nwant %+v", i, g, want)
				}
			}
		})
	}
}

func TestParseTalkLine(t *testing.T) {
	tests := []struct {
		line, title, verdict string
		ok, bare             bool
	}{
		{"Scaling RoCE Networks for AI Training: video — Really really good.", "Scaling RoCE Networks for AI Training", "Really really good.", true, false},
		{"Traffic Engineering\u00a0: video – interesting both parts.", "Traffic Engineering", "interesting both parts.", true, false},
		{"Networking for GenAI: video Super Good!", "Networking for GenAI", "Super Good!", true, false},
		{"Network Observability: video", "Network Observability", "", true, false},
		{"Vendor Support API: - great", "Vendor Support API", "great", true, false},
		{"Vendor Support API: Video - meh", "Vendor Support API", "meh", true, false},
		{"Vendor Support API : slides — ok", "Vendor Support API", "ok", true, false},
		{"Love is not enough:", "Love is not enough", "", true, true},
		// A colon inside the title stays in the title.
		{"Containerlab: the power of containers: video — good", "Containerlab: the power of containers", "good", true, false},
		{"AWS re:Invent keynote: video", "AWS re:Invent keynote", "", true, false},
		// Prose with a colon is not a talk line.
		{"Scale out vs scale up: storage DB", "", "", false, false},
		{"Solution: EVPN + ProxyARP/ND Agent.", "", "", false, false},
		{"See https://example.org/x for more", "", "", false, false},
		{"Videos: videography is fun", "", "", false, false},
		{"  • AI fabric: backend", "", "", false, false},
		{"", "", "", false, false},
	}
	for _, tt := range tests {
		got, ok := parseTalkLine(tt.line)
		if ok != tt.ok || got.title != tt.title || got.verdict != tt.verdict || got.bare != tt.bare {
			t.Errorf("parseTalkLine(%q) = %+v, %v; want title %q verdict %q bare %v ok %v",
				tt.line, got, ok, tt.title, tt.verdict, tt.bare, tt.ok)
		}
	}
}

func TestParseStructure(t *testing.T) {
	tests := []struct {
		name string
		post string
		want []Part
	}{{
		name: "bare title line needs notes under it",
		post: "Summary:\n\nall fine.\n\nAgenda item:\n\n- first\n",
		want: []Part{
			{Line: 1, Lead: "Summary:", Note: "Summary:\n\nall fine."},
			{Line: 5, Title: "Agenda item", Lead: "Agenda item:", Note: "- first"},
		},
	}, {
		name: "two blank lines end a prose part, one does not",
		post: "one\n\ntwo\n\n\nthree\n",
		want: []Part{
			{Line: 1, Lead: "one", Note: "one\n\ntwo"},
			{Line: 6, Lead: "three", Note: "three"},
		},
	}, {
		name: "heading stays in force, rule ends a part",
		post: "DENOG9\n\nPeering DB Update: video\n* a\n---\nafter\n\nNZNOG 2024\n\nStarlink: video — ok\n",
		want: []Part{
			{Line: 3, Heading: "DENOG9", Title: "Peering DB Update", Lead: "Peering DB Update: video", Note: "- a"},
			{Line: 6, Heading: "DENOG9", Lead: "after", Note: "after"},
			{Line: 10, Heading: "NZNOG 2024", Title: "Starlink", Verdict: "ok", Lead: "Starlink: video — ok"},
		},
	}, {
		name: "short lines without an event marker are prose, not headings",
		post: "Friendship > Love\n\nCatching up on NOG talks\n",
		want: []Part{{Line: 1, Lead: "Friendship > Love", Note: "Friendship > Love\n\nCatching up on NOG talks"}},
	}, {
		name: "CRLF, BOM and bullets without a talk line",
		post: "\uFEFFRIPE 87\r\n\r\n• lone note\r\n  that wraps\r\n",
		want: []Part{{Line: 3, Heading: "RIPE 87", Lead: "• lone note", Note: "- lone note that wraps"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.post), "text/plain")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d parts %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("part %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseContentType(t *testing.T) {
	tests := []struct {
		contentType string
		wantErr     bool
	}{
		{"text/plain", false},
		{"text/markdown", false},
		{"text/html", false},
		{"application/xhtml+xml", false},
		{"application/pdf", true},
		{"not a type;;", true},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader("AusNOG 2023\n\nNo Packet Behind: video\n"), tt.contentType)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse with %q: err = %v, want error %v", tt.contentType, err, tt.wantErr)
		}
	}
}
