package index

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestParseQuery(t *testing.T) {
	word := func(s string) clause { return clause{Text: s} }
	tests := []struct {
		query string
		want  []clause
	}{
		{"", nil},
		{" \t\n ", nil},
		{"bgp", []clause{word("bgp")}},
		{"  bgp   ospf  ", []clause{word("bgp"), word("ospf")}},
		{`"route reflector"`, []clause{{Text: "route reflector", Phrase: true}}},
		{`""`, []clause{{Text: "", Phrase: true}}},
		{"+bgp", []clause{word("bgp")}},
		{"-ospf", []clause{{Exclude: true, Text: "ospf"}}},
		{`-"route reflector"`, []clause{{Exclude: true, Text: "route reflector", Phrase: true}}},
		{"+bgp -ospf isis", []clause{word("bgp"), {Exclude: true, Text: "ospf"}, word("isis")}},
		{"title:bgp", []clause{{Field: prefixTitle, Text: "bgp"}}},
		{"speaker:huston", []clause{{Field: prefixSpeaker, Text: "huston"}}},
		{"Speaker:Huston", []clause{{Field: prefixSpeaker, Text: "Huston"}}},
		{"abstract:rdma", []clause{{Field: prefixAbstract, Text: "rdma"}}},
		{"note:zebra", []clause{{Field: prefixNote, Text: "zebra"}}},
		{"tag:ipv6", []clause{{Field: prefixTag, Text: "ipv6"}}},
		{"series:nanog", []clause{{Field: prefixSeries, Text: "nanog"}}},
		{`event:"ausnog 2023"`, []clause{{Field: prefixEvent, Text: "ausnog 2023", Phrase: true}}},
		{"year:2019", []clause{{Field: prefixYear, Text: "2019", Lo: 2019, Hi: 2019}}},
		{`year:"2019"`, []clause{{Field: prefixYear, Text: "2019", Phrase: true, Lo: 2019, Hi: 2019}}},
		{"year:2019..2023", []clause{{Field: prefixYear, Text: "2019..2023", Lo: 2019, Hi: 2023}}},
		{"year:2019..", []clause{{Field: prefixYear, Text: "2019..", Lo: 2019, Hi: catalog.MaxYear}}},
		{"year:..2019", []clause{{Field: prefixYear, Text: "..2019", Lo: catalog.MinYear, Hi: 2019}}},
		{"year:>=2019", []clause{{Field: prefixYear, Text: ">=2019", Lo: 2019, Hi: catalog.MaxYear}}},
		{"rating:4", []clause{{Field: prefixRating, Text: "4", Lo: 4, Hi: 4}}},
		{"rating:>=4", []clause{{Field: prefixRating, Text: ">=4", Lo: 4, Hi: 5}}},
		{"rating:>3", []clause{{Field: prefixRating, Text: ">3", Lo: 4, Hi: 5}}},
		{"rating:<=2", []clause{{Field: prefixRating, Text: "<=2", Lo: 1, Hi: 2}}},
		{"rating:<3", []clause{{Field: prefixRating, Text: "<3", Lo: 1, Hi: 2}}},
		{"rating:2..4", []clause{{Field: prefixRating, Text: "2..4", Lo: 2, Hi: 4}}},
		{"bgp OR ospf", []clause{word("bgp"), {Or: true, Text: "ospf"}}},
		{"bgp OR ospf OR isis -evpn", []clause{word("bgp"), {Or: true, Text: "ospf"}, {Or: true, Text: "isis"}, {Exclude: true, Text: "evpn"}}},
		{`speaker:huston OR "route server"`, []clause{{Field: prefixSpeaker, Text: "huston"}, {Or: true, Text: "route server", Phrase: true}}},
		{"bgp or ospf", []clause{word("bgp"), word("or"), word("ospf")}},
		{"ORACLE", []clause{word("ORACLE")}},
		{"-speaker:huston", []clause{{Exclude: true, Field: prefixSpeaker, Text: "huston"}}},
		{`+title:"data center"`, []clause{{Field: prefixTitle, Text: "data center", Phrase: true}}},
		{"title:a:b", []clause{{Field: prefixTitle, Text: "a:b"}}},
		{"10:30", []clause{word("10:30")}},
		{"ipv6:only", []clause{word("ipv6:only")}},
		{"bgp* ?x ~y ^z /re/ (a) [b] {c} a\\b", []clause{word("bgp*"), word("?x"), word("~y"), word("^z"), word("/re/"),
			word("(a)"), word("[b]"), word("{c}"), word("a\\b")}},
		{"a-b c+d", []clause{word("a-b"), word("c+d")}},
		{"--x", []clause{{Exclude: true, Text: "-x"}}},
		{`foo"bar baz"`, []clause{word("foo"), {Text: "bar baz", Phrase: true}}},
		{`"a"b`, []clause{{Text: "a", Phrase: true}, word("b")}},
		{"AND OR NOT", []clause{word("AND"), {Or: true, Text: "NOT"}}},
		{"grüße straße", []clause{word("grüße"), word("straße")}},
		{strings.Repeat("w ", maxClauses), repeatClause(word("w"), maxClauses)},
		{strings.Repeat("x", catalog.MaxQueryChars), []clause{word(strings.Repeat("x", catalog.MaxQueryChars))}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := parseQuery(tt.query)
			if err != nil {
				t.Fatalf("parseQuery(%q): %v", tt.query, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseQuery(%q)\n got %+v\nwant %+v", tt.query, got, tt.want)
			}
		})
	}
}

func repeatClause(c clause, n int) []clause {
	out := make([]clause, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		query string
		want  []string // substrings of the message
	}{
		{"foo:bar", []string{`unknown field "foo:"`, "character 1", "title:, speaker:", "or mytag:"}},
		{"bgp Foo:bar", []string{`unknown field "Foo:"`, "character 5"}},
		{"-foo:bar", []string{`unknown field "foo:"`, "character 2"}},
		{"re:invent", []string{`unknown field "re:"`, "in quotes"}},
		{`"open`, []string{"unterminated quote", "character 1"}},
		{`bgp "route reflector`, []string{"unterminated quote", "character 5"}},
		{`title:"open`, []string{"unterminated quote", "character 7"}},
		{`"a" "b" "c`, []string{"unterminated quote", "character 9"}},
		{"title:", []string{"field title:", "character 1", "has no value"}},
		{"bgp speaker: huston", []string{"field speaker:", "character 5", "has no value"}},
		{"-note:", []string{"field note:", "has no value"}},
		{"year:", []string{"field year:", "has no value"}},
		{`title:""`, []string{"field title:", "empty value"}},
		{`tag:"  "`, []string{"field tag:", "empty value"}},
		{"-", []string{`"-" at character 1`, "needs a word"}},
		{"+", []string{`"+" at character 1`}},
		{"bgp -", []string{`"-" at character 5`}},
		{"bgp + ospf", []string{`"+" at character 5`}},
		{"year:soon", []string{"year:soon at character 1 is not a number"}},
		{"year:2019-2020", []string{"year:2019-2020 at character 1 is not a number", "year:2019..2023"}},
		{"year:-5", []string{"is not a number"}},
		{"year:0", []string{"out of range"}},
		{"bgp year:2023..2019", []string{"year:2023..2019 at character 5", "empty range"}},
		{"year:..", []string{"without bounds"}},
		{"rating:>=9", []string{"rating:>=9 at character 1", "out of range", "from 1 to 5"}},
		{"rating:>5", []string{"rating:>5", "out of range"}},
		{"rating:<1", []string{"out of range"}},
		{"rating:0", []string{"out of range"}},
		{"rating:good", []string{"rating:good", "not a number", "rating:>=4"}},
		{"OR bgp", []string{"OR at character 1", "on each side"}},
		{"bgp OR", []string{"OR at character 5", "after it"}},
		{"bgp OR OR ospf", []string{"OR at character 8"}},
		{"-bgp OR ospf", []string{"OR at character 6"}},
		{"bgp OR -ospf", []string{"OR at character 5", "cannot join a -word"}},
		{strings.Repeat("x", catalog.MaxQueryChars+1), []string{"1001 characters", "limit is 1000"}},
		{strings.Repeat("é", catalog.MaxQueryChars+1), []string{"1001 characters"}},
		{strings.Repeat("w ", maxClauses+1), []string{"more than 32"}},
	}
	for _, tt := range tests {
		name := tt.query
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		t.Run(name, func(t *testing.T) {
			got, err := parseQuery(tt.query)
			if err == nil {
				t.Fatalf("parseQuery(%q) = %+v, want an error", tt.query, got)
			}
			if code := catalog.ErrorCode(err); code != catalog.EINVALID {
				t.Errorf("code %q, want %q", code, catalog.EINVALID)
			}
			msg := catalog.ErrorMessage(err)
			for _, s := range tt.want {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
		})
	}
}

// TestCompiledQueriesHaveNoPatternOperators checks that whatever a user
// types, the compiled query holds only match, phrase, numeric and boolean
// queries: never a wildcard, regexp, fuzzy, prefix or query-string query.
// Typo tolerance and completion included: they look words up in the
// index's dictionary and ask for those words exactly.
func TestCompiledQueriesHaveNoPatternOperators(t *testing.T) {
	ix := loadSample(t)
	reader, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	inputs := []string{
		"bgp*", "b?p", "bgp~", "bgp~2", "bgp^10", "/b.*p/", "title:/x/", "speaker:hus*",
		`"route ref*"`, "+a* -b?", "tag:~x", "*", "?", "a:b", "_all:x", "title:*", "note:(a OR b)",
		"series:nan*", "event:/re/", "field:value", "bgp AND ospf", "bgp||ospf",
		"segmnt rout", "speaker:hustn", "border gateway protocol", "dc OR te", "year:2019..2023 rating:>=4",
	}
	for _, in := range inputs {
		clauses, err := parseQuery(in)
		if err != nil {
			continue // rejected inputs compile to nothing
		}
		dict := &dictionary{ctx: context.Background(), r: reader}
		comp := &compiler{m: ix.bi.Mapping(), syn: ix.synonyms, words: dict, partial: lastWordIsPartial(in, clauses)}
		q, _ := comp.compile(clauses)
		if dict.err != nil {
			t.Fatalf("query %q: dictionary: %v", in, dict.err)
		}
		if err := walkQuery(q); err != nil {
			t.Errorf("query %q: %v", in, err)
		}
	}
}

func walkQuery(q query.Query) error {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot, q.Filter} {
			if sub != nil {
				if err := walkQuery(sub); err != nil {
					return err
				}
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			if err := walkQuery(sub); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			if err := walkQuery(sub); err != nil {
				return err
			}
		}
	case *query.MatchQuery:
		if q.Fuzziness != 0 || q.Prefix != 0 {
			return fmt.Errorf("match query %q is fuzzy (%d) or prefixed (%d)", q.Match, q.Fuzziness, q.Prefix)
		}
	case *query.MatchPhraseQuery:
		if q.Fuzziness != 0 {
			return fmt.Errorf("phrase query %q is fuzzy", q.MatchPhrase)
		}
	case *query.MatchAllQuery, *query.NumericRangeQuery, *query.TermQuery, *query.BoolFieldQuery:
	default:
		return fmt.Errorf("unexpected query type %T", q)
	}
	return nil
}
