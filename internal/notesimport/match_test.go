package notesimport

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/demo"
)

// examplePost is the real user's post in the shared examples; tests that
// read it skip when the shared directory is not there.
const examplePost = "../../../shared/examples/blog-notes-2023-a.txt"

// demoCandidates loads the embedded demo catalog. The records carry no ids,
// so each gets its 1-based line number.
func demoCandidates(t testing.TB) []Candidate {
	t.Helper()
	var cands []Candidate
	sc := bufio.NewScanner(demo.Catalog())
	sc.Buffer(nil, 1<<20)
	for id := int64(1); sc.Scan(); id++ {
		var talk catalog.Talk
		if err := json.Unmarshal(sc.Bytes(), &talk); err != nil {
			t.Fatalf("demo catalog line %d: %v", id, err)
		}
		talk.ID = id
		cands = append(cands, CandidateFromTalk(&talk))
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read demo catalog: %v", err)
	}
	if len(cands) == 0 {
		t.Fatal("demo catalog is empty")
	}
	return cands
}

// talkID finds a demo talk by event and exact title, so that tests name
// talks, not line numbers.
func talkID(t testing.TB, cands []Candidate, event, title string) int64 {
	t.Helper()
	for _, c := range cands {
		if c.Event == event && c.Title == title {
			return c.ID
		}
	}
	t.Fatalf("demo catalog has no %q in %q", title, event)
	return 0
}

// expectation is what one part of a post should come to, keyed by the
// start of its lead line.
type expectation struct {
	lead         string // prefix of Part.Lead
	event, title string // the talk it must match; "" for unmatched
	rating       int
	missing      *catalog.Talk // for unmatched titled parts: the record to create
}

// checkMatches asserts every part's outcome and that no part is missing
// from the result: each part is either expected to match a named talk or
// must be unmatched.
func checkMatches(t *testing.T, cands []Candidate, got []Match, want []expectation) {
	t.Helper()
	opt := Options{}.withDefaults()
	seen := map[string]bool{}
	for _, m := range got {
		var exp *expectation
		for i := range want {
			if strings.HasPrefix(m.Part.Lead, want[i].lead) {
				exp = &want[i]
				break
			}
		}
		if exp == nil {
			// Not named by the test: it must be unmatched and suggest
			// nothing to create.
			if m.Talk != nil {
				t.Errorf("part at line %d (%q) matched %q, want unmatched", m.Part.Line, m.Part.Lead, m.Talk.Title)
			}
			if m.Reason == "" {
				t.Errorf("unmatched part at line %d has no reason", m.Part.Line)
			}
			continue
		}
		seen[exp.lead] = true
		if exp.title == "" {
			if m.Talk != nil {
				t.Errorf("part %q matched %q, want unmatched", exp.lead, m.Talk.Title)
			}
		} else {
			id := talkID(t, cands, exp.event, exp.title)
			switch {
			case m.Talk == nil:
				t.Errorf("part %q unmatched (%s), want %q", exp.lead, m.Reason, exp.title)
			case m.Talk.ID != id:
				t.Errorf("part %q matched %q (%s), want %q (%s)", exp.lead, m.Talk.Title, m.Talk.Event, exp.title, exp.event)
			case m.Confidence < opt.MinConfidence || m.Confidence > 1:
				t.Errorf("part %q matched with confidence %.2f, outside [%.2f, 1]", exp.lead, m.Confidence, opt.MinConfidence)
			}
		}
		if m.Rating != exp.rating {
			t.Errorf("part %q: rating %d, want %d (verdict %q)", exp.lead, m.Rating, exp.rating, m.Part.Verdict)
		}
		switch {
		case exp.missing == nil && m.Missing != nil:
			t.Errorf("part %q: Missing = %+v, want none", exp.lead, m.Missing)
		case exp.missing != nil && m.Missing == nil:
			t.Errorf("part %q: no Missing record (%s)", exp.lead, m.Reason)
		case exp.missing != nil:
			g, w := m.Missing, exp.missing
			if g.Series != w.Series || g.Event != w.Event || g.Year != w.Year || g.Title != w.Title {
				t.Errorf("part %q: Missing = %q/%q/%d/%q, want %q/%q/%d/%q", exp.lead,
					g.Series, g.Event, g.Year, g.Title, w.Series, w.Event, w.Year, w.Title)
			}
			if err := g.Validate(); err != nil {
				t.Errorf("part %q: Missing record invalid: %v", exp.lead, err)
			}
		}
	}
	for _, exp := range want {
		if !seen[exp.lead] {
			t.Errorf("no part starts with %q", exp.lead)
		}
	}
}

func TestMatchExamplePost(t *testing.T) {
	data, err := os.ReadFile(examplePost)
	if os.IsNotExist(err) {
		t.Skipf("%s is absent", examplePost)
	}
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Parse(strings.NewReader(string(data)), "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	cands := demoCandidates(t)
	got := MatchParts(parts, cands, Options{})
	if len(got) != len(parts) {
		t.Fatalf("%d matches for %d parts", len(got), len(parts))
	}
	const nas = "Networking @Scale 2023"
	// The post names five Networking @Scale talks by title and one ESNOG
	// talk loosely. The demo's AusNOG and re:Invent talks are not in this
	// post, so no part may match them (checkMatches requires every other
	// part to be unmatched).
	checkMatches(t, cands, got, []expectation{
		{lead: "Meta", event: nas, title: "Meta's Network Journey to Enable AI", rating: 3},
		{lead: "Scaling RoCE", event: nas, title: "Scaling RoCE Networks for AI Training", rating: 5},
		{lead: "Traffic Engineering", event: nas, title: "Traffic Engineering for AI Training Networks", rating: 3},
		{lead: "Networking for GenAI", event: nas, title: "Networking for GenAI Training and Inference Clusters", rating: 5},
		{lead: "Network Observability", event: nas, title: "Network Observability for AI/HPC Training Workflows"},
		{lead: "From ESNOG", event: "ESNOG (GORE)", title: "EVPN and proxy-ARP/ND at an IXP (BUM traffic)"},
	})

	// Unmatched parts are reported by their first line as written, and
	// nothing of the post is lost: every non-blank line that is not a
	// heading or talk line is in some part's note.
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var notes strings.Builder
	for _, m := range got {
		if want := strings.TrimSpace(lines[m.Part.Line-1]); m.Part.Lead != want {
			t.Errorf("part at line %d: lead %q, want the line as written %q", m.Part.Line, m.Part.Lead, want)
		}
		notes.WriteString(m.Part.Note + "\n")
	}
	kinds := classify(lines)
	for i, l := range lines {
		if kinds[i] != lineProse && kinds[i] != lineBullet {
			continue
		}
		text := strings.TrimSpace(l)
		if b, ok := bulletText(l); ok {
			text = b
		}
		if !strings.Contains(notes.String(), text) {
			t.Errorf("line %d %q is in no part's note", i+1, text)
		}
	}
}

func TestMatchOwnPost(t *testing.T) {
	cands := demoCandidates(t)
	parts := parseFile(t, filepath.Join("testdata", "nog-catchup.txt"), "text/plain")
	got := MatchParts(parts, cands, Options{})
	checkMatches(t, cands, got, []expectation{
		// Punctuation dropped.
		{lead: "OpenBGPD", event: "DENOG10", title: "OpenBGPD, gotta go fast!", rating: 4},
		// Exact, while another talk of the event shares "VXLAN".
		{lead: "VXLAN 101", event: "DENOG10", title: "VXLAN 101", rating: 2},
		// A typo ("deamon") and a missing comma.
		{lead: "BIO routing", event: "DENOG10", title: "BIO routing - a versatile, fast and reliable open source routing daemon in golang", rating: 4},
		// Truncated, other punctuation, British spelling.
		{lead: "Containerlab", event: "NZNOG 2024", title: "Containerlab: the power of containerization for network testing and development", rating: 5},
		// Swapped letters, a colon for the dash, a space before the colon.
		{lead: "Coherent optical", event: "NZNOG 2024", title: "Coherent optical transceivers - current capabilities and future possibilities", rating: 3},
		// Not in the catalog: a record to create under the heading's event.
		{lead: "Low-earth orbit", rating: 4, missing: &catalog.Talk{
			Series: "NZNOG", Event: "NZNOG 2024", Year: 2024, Title: "Low-earth orbit capacity planning for rural ISPs"}},
		// Named only loosely: the lead names the event, the notes the talk.
		{lead: "From NZNOG 2023", event: "NZNOG 2023", title: "Opensource Traffic Generator – TRex"},
		{lead: "Honey I shrunk", event: "FOSDEM 2025", title: "Honey, I shrunk DNSdist", rating: 5},
		// The title without its subtitle.
		{lead: "Fast UDP", event: "FOSDEM 2025", title: "Fast UDP makes QUIC quicker - optimizing Firefox’s HTTP3 IO stack", rating: 3},
		// Prose about nothing in the catalog.
		{lead: "Catching up on NOG recordings"},
		{lead: "Unrelated:"},
	})
	for i, m := range got {
		if m.Part != parts[i] {
			t.Errorf("match %d is for part at line %d, want the parts' order (line %d)", i, m.Part.Line, parts[i].Line)
		}
	}
}

func TestMatchUnknownTalksAttachNothing(t *testing.T) {
	cands := demoCandidates(t)
	parts := parseFile(t, filepath.Join("testdata", "unknown-talks.txt"), "text/plain")
	got := MatchParts(parts, cands, Options{})
	titled := 0
	for _, m := range got {
		if m.Talk != nil {
			t.Errorf("part %q matched %q (%s); the catalog holds none of these talks", m.Part.Lead, m.Talk.Title, m.Talk.Event)
		}
		if m.Part.Title == "" {
			continue
		}
		titled++
		// Headings that name no catalog event still yield records, with
		// series and year derived from the heading text.
		if m.Missing == nil {
			t.Errorf("part %q: no Missing record (%s)", m.Part.Lead, m.Reason)
			continue
		}
		wantSeries, wantEvent, wantYear := "RIPE", "RIPE 87", 0
		if m.Part.Heading == "SREcon 2024" {
			wantSeries, wantEvent, wantYear = "SREcon", "SREcon 2024", 2024
		}
		if m.Missing.Series != wantSeries || m.Missing.Event != wantEvent || m.Missing.Year != wantYear {
			t.Errorf("part %q: Missing under %q/%q/%d, want %q/%q/%d", m.Part.Lead,
				m.Missing.Series, m.Missing.Event, m.Missing.Year, wantSeries, wantEvent, wantYear)
		}
	}
	if titled != 5 {
		t.Errorf("%d titled parts, want 5", titled)
	}
}

// TestMatchNeverTwoPartsOneTalk: when two parts claim one talk, the more
// confident keeps it and the other is reported unmatched, pointing at it.
func TestMatchNeverTwoPartsOneTalk(t *testing.T) {
	cands := demoCandidates(t)
	parts := []Part{
		{Line: 3, Heading: "AusNOG 2023", Title: "Vendor Support API"},                                           // main title: 0.95
		{Line: 9, Heading: "AusNOG 2023", Title: "Vendor Support API (RMA automation through a vendor TAC API)"}, // exact: 1
		{Line: 12, Heading: "AusNOG 2023", Title: "No Packet Behind"},
		{Line: 15, Heading: "AusNOG 2023", Title: "No Packet Behind"},
	}
	got := MatchParts(parts, cands, Options{})
	vendor := talkID(t, cands, "AusNOG 2023", "Vendor Support API (RMA automation through a vendor TAC API)")
	packet := talkID(t, cands, "AusNOG 2023", "No Packet Behind")
	tests := []struct {
		i          int
		wantTalk   int64 // 0: unmatched
		suggestion int64
		reason     string
	}{
		{0, 0, vendor, "line 9"},
		{1, vendor, 0, ""},
		{2, packet, 0, ""}, // a tie goes to the earlier part
		{3, 0, packet, "line 12"},
	}
	for _, tt := range tests {
		m := got[tt.i]
		gotID := int64(0)
		if m.Talk != nil {
			gotID = m.Talk.ID
		}
		if gotID != tt.wantTalk {
			t.Errorf("part %d: talk %d, want %d", tt.i, gotID, tt.wantTalk)
		}
		if tt.suggestion != 0 && (m.Suggestion == nil || m.Suggestion.ID != tt.suggestion) {
			t.Errorf("part %d: suggestion %+v, want talk %d", tt.i, m.Suggestion, tt.suggestion)
		}
		if !strings.Contains(m.Reason, tt.reason) {
			t.Errorf("part %d: reason %q, want it to mention %q", tt.i, m.Reason, tt.reason)
		}
		if m.Missing != nil {
			t.Errorf("part %d: Missing set for a talk the catalog holds", tt.i)
		}
	}
}

func TestMatchSameMissingTalkOnce(t *testing.T) {
	cands := demoCandidates(t)
	parts := []Part{
		{Line: 3, Heading: "NZNOG 2024", Title: "Low-earth orbit capacity planning"},
		{Line: 8, Heading: "NZNOG 2024", Title: "Low-Earth Orbit Capacity Planning!"},
		{Line: 12, Heading: "NZNOG 2025", Title: "Low-earth orbit capacity planning"},
	}
	got := MatchParts(parts, cands, Options{})
	if got[0].Missing == nil || got[0].Missing.Event != "NZNOG 2024" {
		t.Errorf("first part: Missing = %+v, want a record under NZNOG 2024", got[0].Missing)
	}
	if got[1].Missing != nil || !strings.Contains(got[1].Reason, "line 3") {
		t.Errorf("second part, same talk: Missing = %+v, reason %q; want none, pointing at line 3", got[1].Missing, got[1].Reason)
	}
	// The same title at another event is another talk.
	if got[2].Missing == nil || got[2].Missing.Event != "NZNOG 2025" {
		t.Errorf("third part: Missing = %+v, want a record under NZNOG 2025", got[2].Missing)
	}
}

func TestMatchTitleRules(t *testing.T) {
	cands := demoCandidates(t)
	tests := []struct {
		name, heading, title string
		event, want          string // "" want: unmatched
	}{
		{"curly apostrophe", "Networking Scale 2023", "Meta’s Network Journey to Enable AI", "Networking @Scale 2023", "Meta's Network Journey to Enable AI"},
		{"dropped middle word", "Networking Scale 2023", "Network Observability for AI Training Workflows", "Networking @Scale 2023", "Network Observability for AI/HPC Training Workflows"},
		{"heading with extra words", "Notes from DENOG 10", "VXLAN 101", "DENOG10", "VXLAN 101"},
		{"series-only heading", "DENOG", "Avoid blackholing: Selective Next-Hop Resolution", "DENOG9", "Avoid blackholing: Selective Next-Hop Resolution"},
		{"no heading, exact title", "", "Scaling RoCE Networks for AI Training", "Networking @Scale 2023", "Scaling RoCE Networks for AI Training"},
		// A recurring title: the heading's edition is the one meant, and
		// another edition's talk of that name is never taken instead.
		{"recurring title, right edition", "NZNOG 2025", "Internet Governance", "NZNOG 2025", "Internet Governance"},
		{"recurring title, edition not in catalog", "NZNOG 2021", "OpenLI Update", "", ""},
		{"recurring title, no heading", "", "Internet Governance", "", ""},
		// One shared generic word is no match.
		{"shared generic word", "NZNOG 2024", "Network Security Roundup", "", ""},
		{"shared 'AI'", "Networking Scale 2023", "AI Ethics in Hiring", "", ""},
		// One rare word more, in a title that is otherwise the same.
		{"negated title", "DENOG1", "DE-CIX Non-Technical Update", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MatchParts([]Part{{Line: 1, Heading: tt.heading, Title: tt.title}}, cands, Options{})[0]
			switch {
			case tt.want == "" && got.Talk != nil:
				t.Errorf("matched %q (%s) at %.2f, want unmatched", got.Talk.Title, got.Talk.Event, got.Confidence)
			case tt.want == "" && got.Reason == "":
				t.Errorf("unmatched without a reason")
			case tt.want != "" && got.Talk == nil:
				t.Errorf("unmatched (%s), want %q", got.Reason, tt.want)
			case tt.want != "" && got.Talk.ID != talkID(t, cands, tt.event, tt.want):
				t.Errorf("matched %q (%s), want %q (%s)", got.Talk.Title, got.Talk.Event, tt.want, tt.event)
			}
		})
	}
}

// TestMatchAbsentTalkUnderItsHeading takes each demo talk out of the
// catalog in turn and looks for it under its own event's heading: it must
// never be attached to another talk. This is the "wrong talk" guarantee
// over the whole demo catalog, not only the titles picked for the posts.
func TestMatchAbsentTalkUnderItsHeading(t *testing.T) {
	cands := demoCandidates(t)
	for i, c := range cands {
		rest := append(append([]Candidate(nil), cands[:i]...), cands[i+1:]...)
		m := newMatcher(rest, Options{}.withDefaults())
		got := m.matchTitled(Part{Line: 1, Heading: c.Event, Title: c.Title})
		if got.Talk != nil {
			t.Errorf("%q (%s), absent, matched %q (%s) at %.2f", c.Title, c.Event, got.Talk.Title, got.Talk.Event, got.Confidence)
		}
	}
}

// TestMatchVariantsOfEveryTitle writes each demo title the ways users do
// (lower case, without subtitle, with two letters swapped) under its
// event's heading: the result is the talk itself or unmatched, never
// another talk, and exact titles always match.
func TestMatchVariantsOfEveryTitle(t *testing.T) {
	cands := demoCandidates(t)
	m := newMatcher(cands, Options{}.withDefaults())
	variants := map[string]func(string) string{
		"exact":   func(s string) string { return s },
		"lower":   strings.ToLower,
		"main":    mainTitle,
		"swapped": swapLetters,
	}
	for name, variant := range variants {
		matched := 0
		for _, c := range cands {
			got := m.matchTitled(Part{Line: 1, Heading: c.Event, Title: variant(c.Title)})
			switch {
			case got.Talk != nil && got.Talk.ID != c.ID:
				t.Errorf("%s %q (%s) matched another talk, %q (%s)", name, variant(c.Title), c.Event, got.Talk.Title, got.Talk.Event)
			case got.Talk != nil:
				matched++
			case name == "exact" || name == "lower":
				t.Errorf("%s %q (%s) unmatched: %s", name, variant(c.Title), c.Event, got.Reason)
			}
		}
		// A floor, not a snapshot: most typos and subtitle cuts must still
		// be found.
		if min := len(cands) * 9 / 10; matched < min {
			t.Errorf("%s: %d of %d titles matched, want at least %d", name, matched, len(cands), min)
		}
	}
}

// swapLetters swaps the two middle letters of the longest word of seven or
// more letters, the commonest typing slip.
func swapLetters(s string) string {
	ws := strings.Fields(s)
	best := -1
	for i, w := range ws {
		if len(w) >= 7 && strings.IndexFunc(w, func(r rune) bool { return !('a' <= r && r <= 'z') }) < 0 &&
			(best < 0 || len(w) > len(ws[best])) {
			best = i
		}
	}
	if best < 0 {
		return s
	}
	r := []byte(ws[best])
	mid := len(r) / 2
	r[mid-1], r[mid] = r[mid], r[mid-1]
	ws[best] = string(r)
	return strings.Join(ws, " ")
}

func TestMatchLoosePart(t *testing.T) {
	cands := demoCandidates(t)
	tests := []struct {
		name      string
		lead      string
		note      string
		wantEvent string // "" for unmatched
		wantTitle string
	}{
		{"one talk of the event, several words", "From ESNOG I saw this one.", "EVPN at the exchange, BUM traffic, ProxyARP.",
			"ESNOG (GORE)", "EVPN and proxy-ARP/ND at an IXP (BUM traffic)"},
		{"one word only is a suggestion", "From ESNOG I saw this one.", "Something about EVPN.", "", ""},
		{"several talks of the series share the words", "At DENOG someone showed EVPN.", "EVPN to the host and EVPN backbones, BGP.", "", ""},
		{"the heading alone does not name the event", "I watched a talk.", "EVPN at the exchange, BUM traffic, ProxyARP.", "", ""},
		{"event named, notes unrelated", "From ESNOG, a talk.", "Coffee was good.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Part{Line: 1, Heading: "ESNOG (GORE)", Lead: tt.lead, Note: tt.lead + "\n\n" + tt.note}
			got := MatchParts([]Part{p}, cands, Options{})[0]
			switch {
			case tt.wantTitle == "" && got.Talk != nil:
				t.Errorf("matched %q at %.2f, want unmatched", got.Talk.Title, got.Confidence)
			case tt.wantTitle != "" && got.Talk == nil:
				t.Errorf("unmatched (%s), want %q", got.Reason, tt.wantTitle)
			case tt.wantTitle != "" && got.Talk.ID != talkID(t, cands, tt.wantEvent, tt.wantTitle):
				t.Errorf("matched %q, want %q", got.Talk.Title, tt.wantTitle)
			}
			if got.Missing != nil {
				t.Errorf("an untitled part got a Missing record")
			}
		})
	}
}

func TestResolveHeading(t *testing.T) {
	x := newEventIndex(demoCandidates(t))
	tests := []struct {
		text   string
		fuzzy  bool
		events []string
		series string
	}{
		{"Networking Scale 2023", true, []string{"Networking @Scale 2023"}, "Networking @Scale"},
		{"networking @scale 2023", true, []string{"Networking @Scale 2023"}, "Networking @Scale"},
		{"Netwroking Scale 2023", true, []string{"Networking @Scale 2023"}, "Networking @Scale"},
		{"AusNOG 2023", true, []string{"AusNOG 2023"}, "AusNOG"},
		{"AWS reInvent 2023", true, []string{"AWS re:Invent 2023"}, "AWS re:Invent"},
		{"DENOG 9", true, []string{"DENOG9"}, "DENOG"},
		{"DENOG9", true, []string{"DENOG9"}, "DENOG"},
		{"DENOG 1", true, []string{"DENOG1"}, "DENOG"},
		{"DENOG 11", true, nil, "DENOG"},
		{"NZNOG 2021", true, nil, "NZNOG"},
		{"From ESNOG (although …) I saw this", false, []string{"ESNOG (GORE)"}, "ESNOG"},
		{"ESNOG", true, []string{"ESNOG (GORE)"}, "ESNOG"},
		{"FOSDEM", true, []string{"FOSDEM 2024", "FOSDEM 2025"}, "FOSDEM"},
		// Typos count in a heading, not in prose.
		{"From Netwroking Scale I saw", false, nil, ""},
		{"RIPE 87", true, nil, ""},
		{"Love is not enough", true, nil, ""},
		{"", true, nil, ""},
	}
	for _, tt := range tests {
		res := x.resolve(tt.text, tt.fuzzy)
		var names []string
		for _, ei := range res.events {
			names = append(names, x.events[ei].Event)
		}
		if strings.Join(names, "|") != strings.Join(tt.events, "|") || res.series != tt.series {
			t.Errorf("resolve(%q) = %q series %q, want %q series %q", tt.text, names, res.series, tt.events, tt.series)
		}
	}
}

func TestMatchOptions(t *testing.T) {
	cands := demoCandidates(t)
	p := Part{Line: 1, Heading: "Networking Scale 2023", Title: "Network Observability for AI Training Workflows"}
	loose := MatchParts([]Part{p}, cands, Options{})[0]
	if loose.Talk == nil {
		t.Fatalf("unmatched at the default threshold: %s", loose.Reason)
	}
	// A threshold above the match's confidence turns it into a suggestion.
	strict := MatchParts([]Part{p}, cands, Options{MinConfidence: loose.Confidence + 0.01})[0]
	if strict.Talk != nil || strict.Suggestion == nil || strict.Suggestion.ID != loose.Talk.ID {
		t.Errorf("strict: talk %+v suggestion %+v, want unmatched suggesting %d", strict.Talk, strict.Suggestion, loose.Talk.ID)
	}
	if got := MatchParts(nil, cands, Options{}); len(got) != 0 {
		t.Errorf("no parts: %d matches", len(got))
	}
	if got := MatchParts([]Part{p}, nil, Options{}); len(got) != 1 || got[0].Talk != nil {
		t.Errorf("empty catalog: %+v", got)
	}
}
