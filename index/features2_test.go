package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestLanguageStemming(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "DENOG", Event: "DENOG9", Language: "de", Title: "Sicherheit in Netzwerken"},
		{ID: 2, Series: "ESNOG", Event: "ESNOG 30", Language: "es", Title: "Una red neutral para todos"},
		{ID: 3, Series: "GTER", Event: "GTER 50", Language: "pt-BR", Title: "Nova ligação entre cidades"},
		{ID: 4, Series: "FRnOG", Event: "FRnOG 38", Language: "fr", Title: "Le réseau de demain"},
		// The same German title, declared English: German stemming must
		// be what finds talk 1.
		{ID: 5, Series: "NANOG", Event: "NANOG 80", Language: "en", Title: "Sicherheit in Netzwerken"},
		// No language given: detected from the text.
		{ID: 6, Series: "ESNOG", Event: "ESNOG 31", Title: "Experiencias de despliegue",
			Abstract: "En esta charla contamos cómo desplegamos conexiones redundantes entre los centros de datos de la universidad y qué aprendimos."},
	}
	ix := loadTalks(t, talks)
	tests := []struct {
		query string // quoted: matched as typed, no typo correction
		want  []int64
	}{
		{`"netzwerk"`, []int64{1}},   // de: netzwerken -> netzwerk; not in talk 5, analysed as English
		{`"redes"`, []int64{2}},      // es: redes -> red
		{`"ligações"`, []int64{3}},   // pt: ligações -> ligaca
		{`"réseaux"`, []int64{4}},    // fr: réseaux -> reseau
		{`"redundante"`, []int64{6}}, // es, detected: redundantes -> redundant
		{`"netzwerken"`, []int64{1, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			if got := sortedIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("query %s: got %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestTalkLanguage(t *testing.T) {
	tests := []struct {
		talk catalog.Talk
		want string
	}{
		{catalog.Talk{Language: "de"}, "de"},
		{catalog.Talk{Language: "PT_br"}, "pt"},
		{catalog.Talk{Language: "ja", Title: "Este título está en español, pero el campo dice japonés"}, defaultLanguage},
		{catalog.Talk{Title: "BGP"}, defaultLanguage}, // too short to tell
		{catalog.Talk{Title: "Erfahrungen mit dem Betrieb eines Internetknotens",
			Abstract: "Wir berichten über die Erfahrungen aus zehn Jahren Betrieb und was wir daraus gelernt haben."}, "de"},
		{catalog.Talk{Title: "Lessons from running an internet exchange",
			Abstract: "We report on ten years of operating a peering platform and what we learned from it."}, "en"},
		{catalog.Talk{Title: "Retours d'expérience sur le déploiement",
			Abstract: "Nous présentons les leçons apprises pendant le déploiement de notre réseau national."}, "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.talk.Title, func(t *testing.T) {
			if got := talkLanguage(&tt.talk).code; got != tt.want {
				t.Errorf("talkLanguage = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQuerySyntaxRangesAndOr(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		query string
		want  []int64
	}{
		{"year:2019..2020", []int64{1, 2, 5, 6, 8}},
		{"year:2023..", []int64{3, 7}},
		{"year:<2019", []int64{4}},
		{"year:2019..2023 bgp", []int64{1, 7}},
		{"rating:>=4", []int64{1, 2, 7}},
		{"rating:4", []int64{2}},
		{"rating:>3", []int64{1, 2, 7}},
		{"rating:<=2", []int64{6}},
		{"-rating:>=1", []int64{4, 5, 8}}, // unrated talks
		{"bgp OR peering", []int64{1, 4, 7}},
		{"bgp OR peering OR python", []int64{1, 4, 7, 8}},
		{"huston bgp OR ipv6", []int64{1, 2}},
		{"bgp OR peering -reflector", []int64{4, 7}},
		{"speaker:huston OR speaker:snijders", []int64{1, 2, 7}},
		{"year:2017 OR rating:5", []int64{1, 4, 7}},
		{`"segment routing" -mpls`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			if got := sortedIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("query %q: got %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestSearchRejectsBadSyntax(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"year:2023..2019", []string{"year:2023..2019", "character 1", "empty range"}},
		{"rating:>=9", []string{"rating:>=9", "out of range"}},
		{"bgp foo:bar", []string{`unknown field "foo:"`, "character 5"}},
		{`bgp "segment routing`, []string{"unterminated quote", "character 5"}},
		{"bgp OR", []string{"OR at character 5"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			req := catalog.SearchRequest{Query: tt.query}
			if err := req.Normalize(); err != nil {
				t.Fatal(err)
			}
			_, err := ix.Search(context.Background(), req)
			if catalog.ErrorCode(err) != catalog.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			if msg := catalog.ErrorMessage(err); !containsAll(msg, tt.want...) {
				t.Errorf("message %q lacks one of %q", msg, tt.want)
			}
		})
	}
}

func TestDidYouMean(t *testing.T) {
	ix := loadSample(t)
	tests := []struct {
		query string
		want  string
	}{
		{"rdna", "rdma"},                   // too short to be corrected while searching
		{"rdna ethernet", "rdma ethernet"}, // correct words stay
		{"speaker:snjders rpkl", "speaker:snijders rpki"},
		{"bgp", ""},       // enough is found
		{"rdma", ""},      // nothing better to offer
		{"qqqqqqq", ""},   // nothing near
		{"-rdna bgp", ""}, // exclusions are left alone
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query + " "})
			if res.DidYouMean != tt.want {
				t.Errorf("query %q: did you mean %q, want %q (total %d)", tt.query, res.DidYouMean, tt.want, res.Total)
			}
		})
	}
}

func TestRelevance(t *testing.T) {
	talks := []*catalog.Talk{
		// The words apart in the title ...
		{ID: 1, Series: "S", Event: "E", Title: "Routing policy for segment lists", Start: at("2023-01-01T00:00:00Z")},
		// ... rank below the phrase, even in an older talk.
		{ID: 2, Series: "S", Event: "E", Title: "Segment routing at scale", Start: at("2015-01-01T00:00:00Z")},
		// The same text: the newer talk first.
		{ID: 3, Series: "S", Event: "E", Title: "Peering coordination", Start: at("2016-01-01T00:00:00Z")},
		{ID: 4, Series: "S", Event: "E", Title: "Peering coordination", Start: at("2022-01-01T00:00:00Z")},
		// Title above abstract, abstract after speakers.
		{ID: 5, Series: "S", Event: "E", Title: "Telemetry pipelines"},
		{ID: 6, Series: "S", Event: "E", Title: "Something else", Abstract: "We cover telemetry at length, telemetry everywhere, telemetry."},
	}
	ix := loadTalks(t, talks)
	tests := []struct {
		query string
		want  []int64
	}{
		{"segment routing ", []int64{2, 1}},
		{"peering coordination ", []int64{4, 3}},
		{"telemetry ", []int64{5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			// Equal scores are ordered by the caller, which has the talks
			// (see columnOrder); do what the app does.
			for i := range res.Hits {
				res.Hits[i].Talk = talks[res.Hits[i].ID-1]
			}
			catalog.SortTiesNewest(res.Hits)
			if got := hitIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("query %q: order %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestRelated(t *testing.T) {
	topics := map[string][]string{
		"bgp":     {"BGP route reflector design", "BGP communities in practice", "Scaling BGP route reflectors", "BGP hijack detection"},
		"dns":     {"DNS resolver performance", "DNSSEC signing of zones", "Anycast DNS resolver operations"},
		"optical": {"Optical transport upgrades", "Subsea optical cable faults", "Coherent optical transceivers"},
	}
	var talks []*catalog.Talk
	topicOf := map[int64]string{}
	id := int64(1)
	for _, topic := range []string{"bgp", "dns", "optical"} {
		for _, title := range topics[topic] {
			talks = append(talks, &catalog.Talk{ID: id, Series: "S", Event: "E", Title: title,
				Abstract: "A talk about " + strings.ToLower(title) + " for operators.", Tags: []string{topic}})
			topicOf[id] = topic
			id++
		}
	}
	ix := loadTalks(t, talks)
	for _, talk := range talks {
		related, err := ix.Related(context.Background(), talk, 3)
		if err != nil {
			t.Fatalf("Related(%d): %v", talk.ID, err)
		}
		if slices.Contains(related, talk.ID) {
			t.Errorf("Related(%d) includes the talk itself: %v", talk.ID, related)
		}
		if len(related) == 0 {
			t.Errorf("Related(%d %q): nothing", talk.ID, talk.Title)
			continue
		}
		want := min(3, len(topics[topicOf[talk.ID]])-1)
		for _, r := range related[:want] {
			if topicOf[r] != topicOf[talk.ID] {
				t.Errorf("Related(%d %q) = %v: talk %d is about %s, not %s", talk.ID, talk.Title, related, r, topicOf[r], topicOf[talk.ID])
			}
		}
	}
}

// Words typed cut short in the middle of a query, and other forms of a
// word than the talk's, find the talk; a word enough talks have is taken
// as meant, with no prefix or other forms added.
func TestShortenedWordsAndOtherForms(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "S", Event: "E", Title: "Traffic Engineering for AI Training Networks"},
		{ID: 2, Series: "S", Event: "E", Title: "BGP Peer Analysis based on Netflow"},
		{ID: 3, Series: "S", Event: "E", Title: "Virtualisation of network functions"},
		{ID: 4, Series: "S", Event: "E", Title: "A route to somewhere"},
		{ID: 5, Series: "S", Event: "E", Title: "Every route matters"},
		{ID: 6, Series: "S", Event: "E", Title: "The route less travelled"},
		{ID: 7, Series: "S", Event: "E", Title: "Router reboots at scale"},
	}
	ix := loadTalks(t, talks)
	tests := []struct {
		query string
		first int64 // the talk that must rank first
		not   []int64
	}{
		{"traffic eng ai train", 1, nil},
		{"bgp peer analyse netflow", 2, nil},
		{"virtualise network", 3, nil},
		// "route" is in three talks: meant as typed, so "router" is not
		// a completion of it.
		{"route ", 4, []int64{7}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := runSearch(t, ix, catalog.SearchRequest{Query: tt.query})
			ids := hitIDs(res)
			if rankOf(res, tt.first) != 1 {
				t.Errorf("query %q: got %v, want talk %d first", tt.query, ids, tt.first)
			}
			for _, id := range tt.not {
				if slices.Contains(ids, id) {
					t.Errorf("query %q found talk %d: %v", tt.query, id, ids)
				}
			}
		})
	}
}

// The second try may leave out a plain word, never a quoted phrase or a
// category the user named.
func TestCloseMatchesKeepPhrasesAndCategories(t *testing.T) {
	talks := []*catalog.Talk{
		{ID: 1, Series: "RIPE", Event: "RIPE 90", Title: "Segment Routing with EVPN and VXLAN in practice"},
		{ID: 2, Series: "RIPE", Event: "RIPE 90", Title: "EVPN and VXLAN in practice for zebrafish labs"},
		{ID: 3, Series: "NANOG", Event: "NANOG 90", Title: "EVPN and VXLAN with segment routing at the edge"},
	}
	ix := loadTalks(t, talks)
	// Talk 2 has every word but the phrase, talk 1 all but "zebrafish".
	res := runSearch(t, ix, catalog.SearchRequest{Query: `"segment routing" evpn vxlan practice zebrafish`})
	if got := sortedIDs(res); !res.CloseMatches || !slices.Equal(got, []int64{1}) {
		t.Errorf("phrase kept: close %v, got %v, want [1]", res.CloseMatches, got)
	}
	res = runSearch(t, ix, catalog.SearchRequest{Query: `series:nanog evpn vxlan zebrafish`})
	if got := sortedIDs(res); !slices.Equal(got, []int64{3}) {
		t.Errorf("series kept: got %v, want [3]", got)
	}
}
