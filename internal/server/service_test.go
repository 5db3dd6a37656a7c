package server

import (
	"context"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// newTestService is the one place the server tests get their catalog from.
// It holds the talks of seedTalks. Today it is an in-memory fake; it is meant
// to be replaced by the real SQLite + Bleve service loaded with the same
// records, so the tests only assert behaviour both share.
func newTestService(t *testing.T) catalog.TalkService {
	t.Helper()
	return newFakeService(seedTalks())
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

// fakeService is a small in-memory catalog.TalkService: case-insensitive
// substring search over title, abstract, speakers, note, tags and event,
// with the real service's filters, facets, sorts, pagination and
// validation rules.
type fakeService struct {
	mu     sync.Mutex
	talks  []*catalog.Talk // index i holds the talk with ID i+1
	events []*catalog.Event
}

func newFakeService(talks []*catalog.Talk) *fakeService {
	f := &fakeService{}
	eventIDs := map[string]int64{}
	for i, t := range talks {
		t.Normalize()
		t.ID = int64(i + 1)
		key := t.Series + "\x00" + t.Event
		id, ok := eventIDs[key]
		if !ok {
			id = int64(len(f.events) + 1)
			eventIDs[key] = id
			f.events = append(f.events, &catalog.Event{ID: id, Series: t.Series, Name: t.Event, Year: t.Year, Start: t.Start, End: t.Start})
		}
		t.EventID = id
		ev := f.events[id-1]
		ev.TalkCount++
		if t.Start.Before(ev.Start) {
			ev.Start = t.Start
		}
		if t.Start.After(ev.End) {
			ev.End = t.Start
		}
		f.talks = append(f.talks, t)
	}
	return f
}

func copyTalk(t *catalog.Talk) *catalog.Talk {
	c := *t
	c.Speakers = append([]catalog.Speaker{}, t.Speakers...)
	c.Tags = append([]string{}, t.Tags...)
	c.Links = append([]catalog.Link{}, t.Links...)
	return &c
}

func (f *fakeService) talk(id int64) (*catalog.Talk, error) {
	if id < 1 || id > int64(len(f.talks)) {
		return nil, catalog.Errorf(catalog.ENOTFOUND, "talk %d not found", id)
	}
	return f.talks[id-1], nil
}

func (f *fakeService) FindTalkByID(_ context.Context, id int64) (*catalog.Talk, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.talk(id)
	if err != nil {
		return nil, err
	}
	return copyTalk(t), nil
}

func (f *fakeService) SetRating(_ context.Context, id int64, stars int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.talk(id)
	if err != nil {
		return err
	}
	if stars < catalog.MinStars || stars > catalog.MaxStars {
		return catalog.Errorf(catalog.EINVALID, "rating %d is out of range %d..%d", stars, catalog.MinStars, catalog.MaxStars)
	}
	t.Rating = stars
	return nil
}

func (f *fakeService) ClearRating(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.talk(id)
	if err != nil {
		return err
	}
	t.Rating = 0
	return nil
}

func (f *fakeService) SetNote(_ context.Context, id int64, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.talk(id)
	if err != nil {
		return err
	}
	if len(text) > catalog.MaxNoteBytes {
		return catalog.Errorf(catalog.EINVALID, "note is %d bytes; the limit is %d", len(text), catalog.MaxNoteBytes)
	}
	t.Note = text
	return nil
}

func (f *fakeService) SetWatched(_ context.Context, id int64, watched bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.talk(id)
	if err != nil {
		return err
	}
	t.Watched = watched
	return nil
}

func (f *fakeService) ListSeries(context.Context) ([]*catalog.Series, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	bySeries := map[string]*catalog.Series{}
	var out []*catalog.Series
	for _, ev := range f.events {
		s, ok := bySeries[ev.Series]
		if !ok {
			s = &catalog.Series{ID: int64(len(out) + 1), Name: ev.Series}
			bySeries[ev.Series] = s
			out = append(out, s)
		}
		s.EventCount++
		s.TalkCount += ev.TalkCount
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *fakeService) ListEvents(_ context.Context, filter catalog.EventFilter) ([]*catalog.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*catalog.Event
	for _, ev := range f.events {
		if filter.Series != "" && !strings.EqualFold(ev.Series, filter.Series) {
			continue
		}
		if filter.Year != 0 && ev.Year != filter.Year {
			continue
		}
		c := *ev
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.After(out[j].Start) })
	return out, nil
}

func (f *fakeService) FindEventByID(_ context.Context, id int64) (*catalog.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || id > int64(len(f.events)) {
		return nil, catalog.Errorf(catalog.ENOTFOUND, "event %d not found", id)
	}
	c := *f.events[id-1]
	return &c, nil
}

func (f *fakeService) Stats(context.Context) (*catalog.Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := &catalog.Stats{Events: len(f.events), Talks: len(f.talks)}
	series, speakers := map[string]bool{}, map[string]bool{}
	for _, t := range f.talks {
		series[t.Series] = true
		for _, s := range t.Speakers {
			speakers[s.Name] = true
		}
		if t.Rating > 0 {
			st.Rated++
		}
		if t.Note != "" {
			st.Noted++
		}
		if t.Watched {
			st.Watched++
		}
	}
	st.Series, st.Speakers = len(series), len(speakers)
	return st, nil
}

func (f *fakeService) SearchTalks(_ context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	terms, err := fakeQueryTerms(req.Query)
	if err != nil {
		return nil, err
	}
	var matcher *regexp.Regexp
	if len(terms) > 0 {
		quoted := make([]string, len(terms))
		for i, term := range terms {
			quoted[i] = regexp.QuoteMeta(term)
		}
		matcher = regexp.MustCompile("(?i)" + strings.Join(quoted, "|"))
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	var hits []catalog.SearchHit
	for _, t := range f.talks {
		if !fakeFilterMatches(req.Filter, t) {
			continue
		}
		hit := catalog.SearchHit{ID: t.ID, Talk: copyTalk(t), Score: 1}
		if matcher != nil {
			hit.Score, hit.Highlights = fakeMatch(matcher, t)
			if hit.Score == 0 {
				continue
			}
		}
		hits = append(hits, hit)
	}
	res := &catalog.SearchResult{Total: len(hits), Page: req.Page, PerPage: req.PerPage, Facets: fakeFacets(hits)}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i].Talk, hits[j].Talk
		switch req.Sort {
		case catalog.SortNewest:
			return a.Start.After(b.Start)
		case catalog.SortOldest:
			return a.Start.Before(b.Start)
		case catalog.SortRating:
			return a.Rating > b.Rating
		default:
			return hits[i].Score > hits[j].Score
		}
	})
	from := (req.Page - 1) * req.PerPage
	res.Hits = []catalog.SearchHit{}
	if from < len(hits) {
		res.Hits = hits[from:min(from+req.PerPage, len(hits))]
	}
	return res, nil
}

// fakeQueryTerms splits a query into words and "quoted phrases"; an odd
// number of quotes is a syntax error, as it is for the real query parser.
func fakeQueryTerms(q string) ([]string, error) {
	if strings.Count(q, `"`)%2 != 0 {
		return nil, catalog.Errorf(catalog.EINVALID, "query %q has an unterminated quote", q)
	}
	var terms []string
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			if p := strings.TrimSpace(part); p != "" {
				terms = append(terms, p)
			}
			continue
		}
		terms = append(terms, strings.Fields(part)...)
	}
	return terms, nil
}

func fakeFilterMatches(f catalog.TalkFilter, t *catalog.Talk) bool {
	anyOf := func(want []string, have ...string) bool {
		if len(want) == 0 {
			return true
		}
		for _, w := range want {
			for _, h := range have {
				if strings.EqualFold(w, h) {
					return true
				}
			}
		}
		return false
	}
	years := make([]string, len(f.Year))
	for i, y := range f.Year {
		years[i] = strconv.Itoa(y)
	}
	hasKinds := []string{}
	for _, l := range t.Links {
		hasKinds = append(hasKinds, l.Kind)
	}
	return anyOf(f.Series, t.Series) &&
		anyOf(f.Event, t.Event) &&
		anyOf(years, strconv.Itoa(t.Year)) &&
		anyOf(f.Speaker, t.SpeakerNames()...) &&
		anyOf(f.Tag, t.Tags...) &&
		anyOf(f.Has, hasKinds...) &&
		(f.MinRating == 0 || t.Rating >= f.MinRating) &&
		(f.Watched == nil || *f.Watched == t.Watched)
}

// fakeMatch scores a talk by the number of matches and returns highlight
// fragments: escaped text with <mark> around each match.
func fakeMatch(re *regexp.Regexp, t *catalog.Talk) (float64, map[string][]string) {
	fields := map[string]string{
		"title":    t.Title,
		"abstract": t.Abstract,
		"speakers": strings.Join(t.SpeakerNames(), ", "),
		"note":     t.Note,
		"tags":     strings.Join(t.Tags, ", "),
		"event":    t.Event,
	}
	score := 0.0
	highlights := map[string][]string{}
	for name, text := range fields {
		locs := re.FindAllStringIndex(text, -1)
		if len(locs) == 0 {
			continue
		}
		score += float64(len(locs))
		if name == "title" {
			score += 2
		}
		var b strings.Builder
		last := 0
		for _, loc := range locs {
			b.WriteString(html.EscapeString(text[last:loc[0]]))
			b.WriteString("<mark>" + html.EscapeString(text[loc[0]:loc[1]]) + "</mark>")
			last = loc[1]
		}
		b.WriteString(html.EscapeString(text[last:]))
		highlights[name] = []string{b.String()}
	}
	return score, highlights
}

func fakeFacets(hits []catalog.SearchHit) map[string][]catalog.FacetValue {
	counts := map[string]map[string]int{}
	for _, name := range catalog.FacetNames() {
		counts[name] = map[string]int{}
	}
	for _, h := range hits {
		t := h.Talk
		counts[catalog.FacetSeries][t.Series]++
		counts[catalog.FacetEvent][t.Event]++
		if t.Year != 0 {
			counts[catalog.FacetYear][strconv.Itoa(t.Year)]++
		}
		for _, s := range t.SpeakerNames() {
			counts[catalog.FacetSpeaker][s]++
		}
		for _, tag := range t.Tags {
			counts[catalog.FacetTag][tag]++
		}
		if t.Rating > 0 {
			counts[catalog.FacetRating][strconv.Itoa(t.Rating)]++
		}
	}
	out := map[string][]catalog.FacetValue{}
	for name, byValue := range counts {
		values := []catalog.FacetValue{}
		for v, n := range byValue {
			values = append(values, catalog.FacetValue{Value: v, Count: n})
		}
		sort.Slice(values, func(i, j int) bool {
			if values[i].Count != values[j].Count {
				return values[i].Count > values[j].Count
			}
			return values[i].Value < values[j].Value
		})
		out[name] = values
	}
	return out
}
