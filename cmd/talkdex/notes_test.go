package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/testfixture"
)

const demoCatalog = "../../internal/demo/demo.jsonl"

// notesParts runs notes import --dry-run --json and decodes its lines.
func notesParts(t *testing.T, dir, post string) []partJSON {
	t.Helper()
	r := mustRun(t, dir, "notes", "import", "--dry-run", "--json", post)
	var parts []partJSON
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var p partJSON
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		parts = append(parts, p)
	}
	return parts
}

// TestNotesImportExamplePost runs the importer on the real blog post
// against the demo catalog: every talk the post names is matched to the
// right talk, nothing else is attached, --apply appends (never replaces),
// a second run appends nothing, and ratings need --accept-ratings and
// never override the user's.
func TestNotesImportExamplePost(t *testing.T) {
	post := testfixture.Shared(t, "../examples/blog-notes-2023-a.txt")
	dir := t.TempDir()
	mustRun(t, dir, "import", demoCatalog)

	parts := notesParts(t, dir, post)
	wantTitles := []string{
		"Meta's Network Journey to Enable AI",
		"Scaling RoCE Networks for AI Training",
		"Traffic Engineering for AI Training Networks",
		"Networking for GenAI Training and Inference Clusters",
		"Network Observability for AI/HPC Training Workflows",
		"EVPN and proxy-ARP/ND at an IXP (BUM traffic)",
	}
	var matched []string
	noteOf := map[string]string{}
	idOf := map[string]int64{}
	unmatched := 0
	for _, p := range parts {
		switch {
		case p.Talk != nil:
			matched = append(matched, p.Talk.Title)
			noteOf[p.Talk.Title], idOf[p.Talk.Title] = p.Note, p.Talk.ID
			if *p.Confidence < 0.75 || p.Note == "" {
				t.Errorf("%q: confidence %.2f, note %q", p.Talk.Title, *p.Confidence, p.Note)
			}
		case p.Unmatched != "":
			unmatched++
		default:
			t.Errorf("a part is neither matched nor unmatched: %+v", p)
		}
	}
	if !slices.Equal(matched, wantTitles) {
		t.Fatalf("matched %q\nwant    %q", matched, wantTitles)
	}
	if unmatched == 0 {
		t.Errorf("the post's personal prose must be listed as unmatched")
	}
	for _, p := range parts {
		if p.Talk != nil && (p.Talk.Title == "Scaling RoCE Networks for AI Training" || p.Talk.Title == "Networking for GenAI Training and Inference Clusters") && p.SuggestedRating != 5 {
			t.Errorf("%q: suggested rating %d, want 5", p.Talk.Title, p.SuggestedRating)
		}
	}
	// The review table shows the same without writing anything.
	review := mustRun(t, dir, "notes", "import", post)
	if !strings.Contains(review.stdout, "Not matched") || !strings.Contains(review.stderr, "nothing written") {
		t.Errorf("review: %s\n%s", review.stdout, review.stderr)
	}

	roce := idOf["Scaling RoCE Networks for AI Training"]
	genai := idOf["Networking for GenAI Training and Inference Clusters"]
	mustRun(t, dir, "note", fmt.Sprint(roce), "my own words first")
	mustRun(t, dir, "rate", fmt.Sprint(genai), "3")
	// A rating the user cleared stays cleared.
	journey := idOf["Meta's Network Journey to Enable AI"]
	mustRun(t, dir, "rate", fmt.Sprint(journey), "2")
	mustRun(t, dir, "rate", "--clear", fmt.Sprint(journey))
	r := mustRun(t, dir, "notes", "import", "--apply", "--accept-ratings", post)
	if !strings.Contains(r.stderr, "appended 6 notes (0 were there already)") || !strings.Contains(r.stderr, "kept 2 ratings") {
		t.Errorf("apply says %q", r.stderr)
	}
	if talk := showJSON(t, dir, roce); !strings.HasPrefix(talk.Note, "my own words first\n\n") || !strings.Contains(talk.Note, noteOf["Scaling RoCE Networks for AI Training"]) || talk.Rating != 5 {
		t.Errorf("RoCE talk after apply: rating %d, note %q", talk.Rating, talk.Note)
	}
	if talk := showJSON(t, dir, genai); talk.Rating != 3 {
		t.Errorf("the user's rating 3 was overwritten with %d", talk.Rating)
	}
	if talk := showJSON(t, dir, journey); talk.Rating != 0 {
		t.Errorf("a cleared rating was filled with %d", talk.Rating)
	}
	if hist := mustRun(t, dir, "note", "--history", fmt.Sprint(roce)).stdout; !strings.Contains(hist, "notes import: blog-notes-2023-a.txt") {
		t.Errorf("history does not name the post:\n%s", hist)
	}
	again := mustRun(t, dir, "notes", "import", "--apply", post)
	if !strings.Contains(again.stderr, "appended 0 notes (6 were there already)") {
		t.Errorf("second apply says %q", again.stderr)
	}
	// A word of an imported note finds its talk.
	word := strings.Fields(strings.Trim(noteOf["Traffic Engineering for AI Training Networks"], "- "))[0]
	res := searchJSON(t, dir, "note:"+strings.Trim(word, ".,:;()"))
	found := false
	for _, h := range res.Hits {
		found = found || h.Talk.ID == idOf["Traffic Engineering for AI Training Networks"]
	}
	if !found {
		t.Errorf("note:%s does not find the talk its note came from", word)
	}
}

// TestNotesImportCreateMissing: a part naming a talk the catalog lacks is
// listed as missing, and --create-missing adds it under the heading's
// event with the part's note.
func TestNotesImportCreateMissing(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", demoCatalog)
	post := "../../internal/notesimport/testdata/nog-catchup.txt"
	var missing []missingTalkRef
	for _, p := range notesParts(t, dir, post) {
		if p.Missing != nil {
			missing = append(missing, *p.Missing)
		}
	}
	if len(missing) == 0 {
		t.Fatal("the post names a talk the demo lacks, but none is reported missing")
	}
	before := searchJSON(t, dir, "").Total
	r := mustRun(t, dir, "notes", "import", "--apply", "--create-missing", post)
	if !strings.Contains(r.stderr, fmt.Sprintf("created %d talks", len(missing))) {
		t.Errorf("apply says %q", r.stderr)
	}
	if after := searchJSON(t, dir, "").Total; after != before+len(missing) {
		t.Errorf("%d talks after, %d before, %d missing", after, before, len(missing))
	}
	res := searchJSON(t, dir, "--event", missing[0].Event, "title:"+strings.Fields(missing[0].Title)[0])
	if res.Total == 0 || res.Hits[0].Talk.Note == "" || res.Hits[0].Talk.Source.Name != notesImportSource {
		t.Errorf("created talk %q not found with its note: %+v", missing[0].Title, res.Hits)
	}
	// Creating again makes no second copy.
	mustRun(t, dir, "notes", "import", "--apply", "--create-missing", post)
	if again := searchJSON(t, dir, "").Total; again != before+len(missing) {
		t.Errorf("a second --create-missing run made %d talks", again-before-len(missing))
	}
}

func TestNotesImportBadInput(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", demoCatalog)
	for _, args := range [][]string{
		{"notes", "import", "--apply", "--dry-run", "x.txt"},
		{"notes", "import", "--accept-ratings", "x.txt"},
		{"notes", "import", "--min-confidence", "3", "x.txt"},
	} {
		if r := talkdex(t, dir, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)", args, r.code)
		}
	}
	if r := talkdex(t, dir, "", "notes", "import", "no-such-post.txt"); r.code != 1 || !strings.Contains(r.stderr, "no-such-post.txt") {
		t.Errorf("missing file: exit %d %q", r.code, r.stderr)
	}
}

// TestNotesImportFromURL reads an HTML post through the polite fetcher; a
// local address needs --allow-private.
func TestNotesImportFromURL(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", demoCatalog)
	page, err := os.ReadFile("../../internal/notesimport/testdata/weekend-notes.html")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	if r := talkdex(t, dir, "", "notes", "import", srv.URL+"/post"); r.code == 0 {
		t.Errorf("a loopback URL was fetched without --allow-private")
	}
	fromURL := mustRun(t, dir, "notes", "import", "--json", "--allow-private", srv.URL+"/post").stdout
	fromFile := mustRun(t, dir, "notes", "import", "--json", "../../internal/notesimport/testdata/weekend-notes.txt").stdout
	// Line numbers count lines of each post's own text form, so they may
	// differ; everything else must not.
	noLines := regexp.MustCompile(`"line":\d+`)
	fromURL, fromFile = noLines.ReplaceAllString(fromURL, ""), noLines.ReplaceAllString(fromFile, "")
	if fromURL != fromFile || !strings.Contains(fromURL, `"talk"`) {
		t.Errorf("the HTML post read from a URL and the text post differ:\nURL:  %s\nfile: %s", fromURL, fromFile)
	}
}
