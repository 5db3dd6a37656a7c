package index

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FuzzParseQuery feeds arbitrary user queries to parseQuery and then to
// Search on a small real index. Whatever a user types, the parser must not
// panic, must refuse with an EINVALID message or return clauses within the
// limits, and Search must never fail for a query the parser accepted: a
// query string reaches Bleve only as typed clauses, never as Bleve syntax.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		"", "bgp", `"route reflector"`, "+bgp -ospf isis", "speaker:huston", `event:"ausnog 2023"`,
		"year:2019", "year:0", "year:99999999999999999999", "title:a:b", "10:30", "nosuchfield:x",
		`title:""`, `"unterminated`, "- x", "+", "-", "--x", "a*b*c*d*e*f*g*h", "/(a+)+$/", "~~~~",
		"bgp~2", "title:bgp^100", "(a OR b) AND NOT c", "[* TO *]", `\\\"`, "grüße straße",
		"note:\x00", "\xff\xfe", strings.Repeat("w ", maxClauses+1), strings.Repeat("x", catalog.MaxQueryChars+1),
		"<script>alert(1)</script>", "mytag:watch", "tag:\u200b", "year: 2019",
	} {
		f.Add(seed)
	}
	ix, talks := openFuzzIndex(f)
	f.Fuzz(func(t *testing.T, q string) {
		clauses, err := parseQuery(q)
		if err != nil {
			checkInvalid(t, q, err)
		} else {
			checkClauses(t, q, clauses)
		}

		req := catalog.SearchRequest{Query: q}
		if err := req.Normalize(); err != nil {
			t.Fatalf("Normalize(%q): %v", q, err)
		}
		res, searchErr := ix.SearchLoading(context.Background(), req, loaderOf(talks))
		if (err == nil) != (searchErr == nil) {
			t.Fatalf("parseQuery(%q) error %v, but Search error %v", q, err, searchErr)
		}
		if searchErr != nil {
			checkInvalid(t, q, searchErr)
			return
		}
		for _, h := range res.Hits {
			for field, fragments := range h.Highlights {
				for _, fr := range fragments {
					rest := strings.NewReplacer(markOpen, "", markClose, "").Replace(fr)
					if strings.ContainsAny(rest, "<>") {
						t.Errorf("query %q: highlight of %s holds markup besides <mark>: %q", q, field, fr)
					}
				}
			}
		}
	})
}

func checkInvalid(t *testing.T, q string, err error) {
	t.Helper()
	if code := catalog.ErrorCode(err); code != catalog.EINVALID {
		t.Fatalf("query %q: error %v has code %q, want %q", q, err, code, catalog.EINVALID)
	}
	if strings.TrimSpace(catalog.ErrorMessage(err)) == "" {
		t.Fatalf("query %q: error without a message", q)
	}
}

// checkClauses asserts the shape parseQuery promises for an accepted query.
func checkClauses(t *testing.T, q string, clauses []clause) {
	t.Helper()
	if len(clauses) > maxClauses {
		t.Errorf("query %q: %d clauses, over the limit of %d", q, len(clauses), maxClauses)
	}
	for _, c := range clauses {
		if c.Field != "" && !slices.Contains(catalog.QueryPrefixes(), c.Field) {
			t.Errorf("query %q: clause on field %q, which users may not name", q, c.Field)
		}
		if strings.Contains(c.Text, `"`) {
			t.Errorf("query %q: clause text %q holds a quote", q, c.Text)
		}
		if !c.Phrase && (c.Text == "" || strings.IndexFunc(c.Text, unicode.IsSpace) >= 0) {
			t.Errorf("query %q: word clause %q is empty or holds a space", q, c.Text)
		}
		if c.IsNumeric() && (c.Lo < 1 || c.Hi < c.Lo) {
			t.Errorf("query %q: %s clause %q with bounds %d..%d", q, c.Field, c.Text, c.Lo, c.Hi)
		}
	}
}

// openFuzzIndex opens an index holding two talks: enough for every text,
// keyword and numeric field to have terms, and for highlights to run over
// markup in a title.
func openFuzzIndex(f *testing.F) (*Index, []*catalog.Talk) {
	ix, err := Open(filepath.Join(f.TempDir(), "index.bleve"))
	if err != nil {
		f.Fatalf("open index: %v", err)
	}
	f.Cleanup(func() { _ = ix.Close() })
	talks := []*catalog.Talk{
		{ID: 1, Series: "NANOG", Event: "NANOG 76", Year: 2019, Title: "BGP Route Reflector Design",
			Speakers: []catalog.Speaker{{Name: "Geoff Huston"}}, Abstract: "Route reflectors in large networks.",
			Tags: []string{"bgp"}, Rating: 4, Note: "follow up on the zebra slide", MyTags: []string{"watch"}},
		{ID: 2, Series: "DENOG", Event: "DENOG9", Year: 2017, Title: "<script>alert(1)</script> & <b>Grüße</b>",
			Speakers: []catalog.Speaker{{Name: "Eve <img src=x onerror=alert(1)>"}}, Abstract: "x < y > z"},
	}
	for _, t := range talks {
		t.Normalize()
	}
	if err := ix.Apply(context.Background(), talks, nil); err != nil {
		f.Fatalf("index talks: %v", err)
	}
	return ix, talks
}
