package formats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FormatHTML reads talks from the schema.org JSON-LD that HTML pages embed
// (<script type="application/ld+json">).
const FormatHTML = "html"

// jsonldSource is the source name of talks read from JSON-LD.
const jsonldSource = "jsonld"

// maxLDScriptBytes caps one ld+json script; real ones are kilobytes.
const maxLDScriptBytes = 16 << 20

// detectJSONLD claims markup that carries an ld+json script. Whether its
// JSON describes talks is for the reader to say: a page with only an
// Organization or a BreadcrumbList gets a clear error instead of "unknown
// format". It must run before the JSON detectors, because a pretty-printed
// ld+json script has lines that start with "{".
func detectJSONLD(h *head) bool {
	b := bytes.TrimLeft(trimBOM(h.bytes), " \t\r\n")
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	lower := bytes.ToLower(b)
	return bytes.Contains(lower, []byte("<script")) && bytes.Contains(lower, []byte("application/ld+json"))
}

// readJSONLD reads schema.org Event, EducationEvent and VideoObject nodes
// from a page's ld+json scripts (plain objects, arrays and @graph, with @id
// references resolved across the page's scripts).
//
// How a node becomes a talk record:
//
//   - An Event with subEvents, or one that other nodes name as superEvent,
//     is a conference (or a day or track of one), not a talk; an EventSeries
//     is a series. The outermost conference names the event and the series
//     (see editionNames), an EventSeries' name the series. A talk's own
//     superEvent / isPartOf / recordedAt work the same as being listed.
//     Options.Series/Event fill in for talks that name no conference.
//   - title is name (or headline), abstract description, start startDate
//     (with its offset; a date alone is midnight UTC, a time without an
//     offset is kept as wall-clock time marked UTC), duration from duration
//     (ISO 8601, PT30M) or endDate.
//   - speakers are the Person values of performer, actor, author and
//     creator (affiliation from affiliation or worksFor); organisations are
//     not speakers.
//   - room is the name of a location that has no address (a room, not a
//     venue); language inLanguage; tags keywords.
//   - links: url is the page (and Source.URL); a VideoObject's embedUrl and
//     contentUrl, and videos the Event names in recordedIn, subjectOf or
//     workFeatured, are video; documents there are slides. A VideoObject
//     that is the recording of a talk on the page adds its links to that
//     talk instead of becoming a talk of its own. Relative URLs are resolved
//     against the page's URL (when read from one), <base href> or its
//     canonical link, and dropped when there is none.
//   - A VideoObject on its own is a talk without a start: its year is the
//     event's, else its uploadDate's.
//   - Source.Key is "jsonld:" + the node's @id when that is an absolute URL;
//     else its url (catalog.SourceKey), with the title when several talks
//     on the page share that url, else the event and title.
//   - Cancelled events (eventStatus EventCancelled) are skipped.
func readJSONLD(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	page, err := scanLDPage(ctx, r, out.name)
	if err != nil {
		return err
	}
	base := page.base(opts.Name)
	g := &ldGraph{byID: map[string]*ldThing{}, byPtr: map[uintptr]*ldThing{}}
	for _, s := range page.scripts {
		v, err := decodeLDScript(s.text)
		if err != nil {
			out.skip(location{line: s.line}, "the ld+json script is not valid JSON: "+describeJSONError(err))
			continue
		}
		g.add(v)
	}
	g.link()

	talks := g.talks()
	if len(talks) == 0 {
		if len(page.scripts) == 0 {
			return catalog.Errorf(catalog.EINVALID, "%s has no schema.org JSON-LD (no <script type=\"application/ld+json\">), so it names no talks", out.name)
		}
		if types := g.typesSeen(); len(types) > 0 {
			return catalog.Errorf(catalog.EINVALID, "%s has schema.org JSON-LD of types %s but no Event, EducationEvent or VideoObject: it is not a talk source", out.name, strings.Join(types, ", "))
		}
		if len(out.skips) == 0 {
			return catalog.Errorf(catalog.EINVALID, "%s has ld+json scripts, but they hold no schema.org nodes", out.name)
		}
		return nil
	}
	type built struct {
		loc location
		t   *catalog.Talk
	}
	var ready []built
	sharedURL := map[string]int{} // talks without an @id, by url
	for i, th := range talks {
		if err := ctx.Err(); err != nil {
			return err
		}
		loc := location{label: fmt.Sprintf("JSON-LD %s %d", th.mainType(), i+1)}
		t, reason := g.talk(th, opts, base)
		if reason != "" {
			out.skip(loc, reason)
			continue
		}
		if t.Source.Key == "" {
			sharedURL[t.Source.URL]++
		}
		ready = append(ready, built{loc, t})
	}
	for _, b := range ready {
		// Without an @id a talk is known by its url; a page that gives
		// several sub-events one url (its schedule) needs the title too,
		// or the talks would merge.
		if t := b.t; t.Source.Key == "" && sharedURL[t.Source.URL] > 1 {
			t.Source.Key = jsonldSource + ":" + t.Source.URL + "#" + catalog.NormalizeTitle(t.Title)
		}
		if err := out.talk(b.loc, b.t); err != nil {
			return err
		}
	}
	return nil
}

// ldScript is the text of one ld+json script and the line its tag is on.
type ldScript struct {
	line int
	text string
}

type ldPage struct {
	scripts   []ldScript
	baseHref  string
	canonical string
}

// base is the URL relative links resolve against: the page's own URL when
// it was read from one, else <base href>, else the canonical link.
func (p *ldPage) base(name string) *url.URL {
	for _, candidate := range []string{name, p.baseHref, p.canonical} {
		if u, err := url.Parse(strings.TrimSpace(candidate)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return u
		}
	}
	return nil
}

// scanLDPage tokenises the page and keeps what the reader needs.
func scanLDPage(ctx context.Context, r io.Reader, name string) (*ldPage, error) {
	page := &ldPage{}
	z := html.NewTokenizer(r)
	line := 1
	var (
		inScript   bool
		scriptLine int
		text       bytes.Buffer
		tooLong    bool
	)
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tt := z.Next()
		tokenLine := line
		line += bytes.Count(z.Raw(), []byte("\n"))
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				if inScript {
					page.scripts = append(page.scripts, ldScript{line: scriptLine, text: text.String()})
				}
				return page, nil
			}
			return nil, readError(name, z.Err())
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if _, seen := attrs[string(k)]; !seen {
					attrs[string(k)] = string(v)
				}
			}
			switch string(tag) {
			case "script":
				mediaType, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(attrs["type"])), ";")
				if strings.TrimSpace(mediaType) == "application/ld+json" && tt == html.StartTagToken {
					inScript, scriptLine, tooLong = true, tokenLine, false
					text.Reset()
				}
			case "base":
				if page.baseHref == "" {
					page.baseHref = attrs["href"]
				}
			case "link":
				if slices.Contains(strings.Fields(strings.ToLower(attrs["rel"])), "canonical") && page.canonical == "" {
					page.canonical = attrs["href"]
				}
			}
		case html.TextToken:
			if inScript && !tooLong {
				// Text consumes the token's text: call it once.
				if chunk := z.Text(); text.Len()+len(chunk) > maxLDScriptBytes {
					tooLong = true
				} else {
					text.Write(chunk)
				}
			}
		case html.EndTagToken:
			if tag, _ := z.TagName(); inScript && string(tag) == "script" {
				inScript = false
				if tooLong {
					text.Reset()
					text.WriteString(fmt.Sprintf(`"longer than %d MiB"`, maxLDScriptBytes>>20))
				}
				page.scripts = append(page.scripts, ldScript{line: scriptLine, text: text.String()})
			}
		}
	}
}

// decodeLDScript parses a script's JSON, without the comment and CDATA
// wrappers pages put around it.
func decodeLDScript(s string) (any, error) {
	s = strings.TrimSpace(s)
	for _, wrap := range [][2]string{{"<!--", "-->"}, {"//<![CDATA[", "//]]>"}, {"<![CDATA[", "]]>"}} {
		if strings.HasPrefix(s, wrap[0]) {
			s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(s, wrap[0])), wrap[1]))
		}
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// ldThing is one JSON-LD node of the page.
type ldThing struct {
	props     map[string]any
	types     []string // short names: "Event", not "https://schema.org/Event"
	order     int
	parents   []ldParent
	container bool // a conference, day or track: its parts are the talks
	attached  bool // a recording merged into a talk, or a duplicate
	videos    []*ldThing
}

// ldParent is what a node is part of: a node on the page, or just a name.
type ldParent struct {
	thing *ldThing
	name  string
}

func (t *ldThing) is(types ...string) bool {
	for _, have := range t.types {
		if slices.Contains(types, have) {
			return true
		}
	}
	return false
}

func (t *ldThing) mainType() string {
	for _, typ := range t.types {
		if ldTalkType(typ) {
			return typ
		}
	}
	if len(t.types) > 0 {
		return t.types[0]
	}
	return "node"
}

func ldTalkType(typ string) bool {
	return typ == "Event" || typ == "EducationEvent" || typ == "VideoObject"
}

// isReference tells an {"@id": …} pointer from a node with content.
func (t *ldThing) isReference() bool {
	for k := range t.props {
		if k != "@id" && k != "@type" {
			return false
		}
	}
	return true
}

// str is a text property. Pages often HTML-escape the JSON's strings
// ("&amp;"), so entities are decoded.
func (t *ldThing) str(key string) string {
	return html.UnescapeString(ldString(t.props[key]))
}

// ldGraph holds the nodes of every script of a page.
type ldGraph struct {
	things []*ldThing
	byID   map[string]*ldThing
	byPtr  map[uintptr]*ldThing
}

func (g *ldGraph) add(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			g.add(e)
		}
	case map[string]any:
		th := &ldThing{props: x, types: ldTypeNames(x["@type"]), order: len(g.things)}
		g.things = append(g.things, th)
		g.byPtr[reflect.ValueOf(x).Pointer()] = th
		if id := ldString(x["@id"]); id != "" && !th.isReference() {
			if _, dup := g.byID[id]; dup {
				th.attached = true // the same node described twice
			} else {
				g.byID[id] = th
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			g.add(x[k])
		}
	}
}

// resolve finds the node a value points at: an embedded node, an
// {"@id": …} reference or an @id string.
func (g *ldGraph) resolve(v any) *ldThing {
	switch x := v.(type) {
	case map[string]any:
		th := g.byPtr[reflect.ValueOf(x).Pointer()]
		if th != nil && th.isReference() {
			if full, ok := g.byID[ldString(x["@id"])]; ok {
				return full
			}
		}
		return th
	case string:
		return g.byID[strings.TrimSpace(x)]
	}
	return nil
}

// link works out which nodes are parts of which, and which recordings
// belong to which talk.
func (g *ldGraph) link() {
	for _, th := range g.things {
		if th.isReference() || th.attached {
			continue
		}
		if th.is("EventSeries") {
			th.container = true
		}
		for _, key := range []string{"subEvent", "subEvents"} {
			for _, v := range ldValues(th.props[key]) {
				if child := g.resolve(v); child != nil && child != th {
					th.container = true
					child.parents = append(child.parents, ldParent{thing: th})
				}
			}
		}
		for _, key := range []string{"superEvent", "isPartOf"} {
			for _, v := range ldValues(th.props[key]) {
				g.addParent(th, v)
			}
		}
	}
	for _, th := range g.things {
		if th.isReference() || th.attached {
			continue
		}
		switch {
		case th.is("VideoObject"):
			// recordedAt names the talk or the whole conference; it is
			// the talk when it looks like one.
			for _, v := range ldValues(th.props["recordedAt"]) {
				if ev := g.resolve(v); ev != nil && ev.is("Event", "EducationEvent") && !ev.container &&
					(len(ev.parents) > 0 || ev.props["performer"] != nil || catalog.NormalizeTitle(ev.str("name")) == catalog.NormalizeTitle(th.str("name"))) {
					th.attached = true
					ev.videos = append(ev.videos, th)
				} else {
					g.addParent(th, v)
				}
			}
		case th.is("Event", "EducationEvent"):
			for _, key := range []string{"recordedIn", "subjectOf", "workFeatured", "video"} {
				for _, v := range ldValues(th.props[key]) {
					if doc := g.resolve(v); doc != nil && doc != th && !doc.is("Event", "EducationEvent", "EventSeries") {
						doc.attached = true
						th.videos = append(th.videos, doc)
					}
				}
			}
		}
	}
	// A recording named like a talk on the same page is that talk's.
	for _, v := range g.things {
		if !v.is("VideoObject") || v.attached || v.container || v.isReference() {
			continue
		}
		title := catalog.NormalizeTitle(v.str("name"))
		for _, ev := range g.things {
			if title != "" && ev.is("Event", "EducationEvent") && !ev.container && !ev.attached && catalog.NormalizeTitle(ev.str("name")) == title {
				v.attached = true
				ev.videos = append(ev.videos, v)
				break
			}
		}
	}
}

func (g *ldGraph) addParent(th *ldThing, v any) {
	if p := g.resolve(v); p != nil {
		if p != th {
			p.container = true
			th.parents = append(th.parents, ldParent{thing: p})
		}
		return
	}
	if m, ok := v.(map[string]any); ok {
		v = m["name"]
	}
	if name := catalog.CleanText(ldString(v)); name != "" && !isWebURL(name) {
		th.parents = append(th.parents, ldParent{name: name})
	}
}

// talks are the talk-typed nodes that are neither containers nor merged
// into another talk, in page order.
func (g *ldGraph) talks() []*ldThing {
	var out []*ldThing
	for _, th := range g.things {
		if th.container || th.attached || th.isReference() {
			continue
		}
		for _, typ := range th.types {
			if ldTalkType(typ) {
				out = append(out, th)
				break
			}
		}
	}
	return out
}

func (g *ldGraph) typesSeen() []string {
	var types []string
	for _, th := range g.things {
		for _, typ := range th.types {
			if !slices.Contains(types, typ) {
				types = append(types, typ)
			}
		}
	}
	return types
}

// naming walks up from a talk: the outermost conference names the event
// and an EventSeries the series.
func (g *ldGraph) naming(th *ldThing) (series, event string) {
	seen := map[*ldThing]bool{th: true}
	cur := th
	for depth := 0; depth < 8 && len(cur.parents) > 0; depth++ {
		p := cur.parents[0]
		if p.thing == nil {
			event = p.name
			break
		}
		if seen[p.thing] {
			break
		}
		seen[p.thing] = true
		name := catalog.CleanText(p.thing.str("name"))
		if p.thing.is("EventSeries") {
			if name != "" {
				series = name
			}
		} else if name != "" {
			event = name
		}
		cur = p.thing
	}
	return series, event
}

// talk maps one node onto a talk record (see readJSONLD).
func (g *ldGraph) talk(th *ldThing, opts Options, base *url.URL) (*catalog.Talk, string) {
	title := catalog.CleanText(firstNonBlank(th.str("name"), th.str("headline")))
	if status := th.str("eventStatus"); strings.HasSuffix(status, "EventCancelled") {
		return nil, fmt.Sprintf("%q is cancelled (eventStatus %s)", title, status)
	}
	start, dateOnly, startOK := ldTime(th.str("startDate"))
	if th.str("startDate") != "" && !startOK {
		return nil, fmt.Sprintf("%q has startDate %q, which is not an ISO 8601 date", title, th.str("startDate"))
	}
	year := 0
	if startOK {
		year = start.Year()
	}
	pageSeries, pageEvent := g.naming(th)
	var series, event string
	switch {
	case opts.Event != "":
		event = opts.Event
		series = firstNonBlank(opts.Series, pageSeries)
		if series == "" {
			series, _ = editionNames(event, "", 0)
		}
	case pageEvent != "":
		series, event = editionNames(pageEvent, "", year)
		series = firstNonBlank(opts.Series, pageSeries, series)
	case pageSeries != "" && opts.Series == "":
		series, event = pageSeries, pageSeries // a talk of a series page that names no edition
	case opts.Series != "":
		return nil, fmt.Sprintf("%q names no conference (no superEvent, isPartOf or enclosing Event) and only --series was given; pass --event too", title)
	default:
		return nil, fmt.Sprintf("%q names no conference (no superEvent, isPartOf or enclosing Event); pass --series and --event", title)
	}
	t := &catalog.Talk{
		Series:   series,
		Event:    event,
		Title:    title,
		Abstract: th.str("description"),
		Language: ldLanguage(th.props["inLanguage"]),
		Source:   catalog.Source{Name: jsonldSource},
	}
	if id := ldString(th.props["@id"]); isWebURL(id) {
		t.Source.Key = jsonldSource + ":" + id
	}

	video := th.is("VideoObject")
	if !video {
		t.Start = start
		if startOK && !dateOnly {
			if d, ok := parseISO8601Duration(th.str("duration")); ok && d > 0 {
				t.DurationMinutes = int((d + 30*time.Second) / time.Minute)
			} else if end, endDateOnly, ok := ldTime(th.str("endDate")); ok && !endDateOnly {
				if d := end.Sub(start); d > 0 && d <= 7*24*time.Hour {
					t.DurationMinutes = int((d + 30*time.Second) / time.Minute)
				}
			}
		}
	} else if d, ok := parseISO8601Duration(th.str("duration")); ok && d > 0 {
		t.DurationMinutes = int((d + 30*time.Second) / time.Minute)
	}
	if t.Start.IsZero() {
		t.Year = yearFromTitle(event)
		if uploaded, _, ok := ldTime(th.str("uploadDate")); t.Year == 0 && ok {
			t.Year = uploaded.Year()
		}
	}

	for _, key := range []string{"performer", "performers", "actor", "actors", "author", "creator"} {
		for _, v := range ldValues(th.props[key]) {
			if sp, ok := g.person(v); ok {
				t.Speakers = append(t.Speakers, sp)
			}
		}
	}
	t.Speakers = dedupeSpeakers(t.Speakers)
	t.Room = g.room(th.props["location"])
	t.Tags = ldKeywords(th.props["keywords"])

	links := &ldLinks{base: base}
	page := links.abs(th.str("url"))
	if video {
		links.add(mediaLinkKind(page, ""), page)
		links.add(catalog.LinkVideo, links.abs(th.str("embedUrl")))
		links.add(catalog.LinkVideo, links.abs(th.str("contentUrl")))
	} else {
		links.add(catalog.LinkPage, page)
	}
	for _, v := range th.videos {
		if v.is("VideoObject") {
			links.add(catalog.LinkVideo, links.abs(v.str("embedUrl")))
			links.add(catalog.LinkVideo, links.abs(v.str("contentUrl")))
			links.add(catalog.LinkVideo, links.abs(v.str("url")))
			continue
		}
		u := links.abs(v.str("url"))
		kind := mediaLinkKind(u, strings.Join(v.types, " ")+" "+v.str("encodingFormat")+" "+v.str("name"))
		if v.is("PresentationDigitalDocument", "DigitalDocument") && kind == catalog.LinkPage {
			kind = catalog.LinkSlides
		}
		links.add(kind, u)
	}
	for _, key := range []string{"recordedIn", "subjectOf", "workFeatured", "video"} {
		for _, v := range ldValues(th.props[key]) {
			if s, ok := v.(string); ok && g.resolve(s) == nil {
				hint := ""
				if key == "recordedIn" || key == "video" {
					hint = "video"
				}
				links.add(mediaLinkKind(links.abs(s), hint), links.abs(s))
			}
		}
	}
	t.Links = links.list
	if isWebURL(page) {
		t.Source.URL = page
	}
	return t, ""
}

// person reads a Person (or a bare name) as a speaker; organisations are
// not speakers.
func (g *ldGraph) person(v any) (catalog.Speaker, bool) {
	if s, ok := v.(string); ok {
		if th := g.resolve(s); th != nil {
			v = th.props
		} else {
			name := catalog.CleanText(html.UnescapeString(s))
			return catalog.Speaker{Name: name}, name != "" && !isWebURL(name)
		}
	}
	th := g.resolve(v)
	if th == nil {
		return catalog.Speaker{}, false
	}
	if len(th.types) > 0 && !th.is("Person") {
		return catalog.Speaker{}, false
	}
	name := firstNonBlank(th.str("name"), strings.TrimSpace(th.str("givenName")+" "+th.str("familyName")))
	sp := catalog.Speaker{Name: name}
	for _, key := range []string{"affiliation", "worksFor", "memberOf"} {
		for _, a := range ldValues(th.props[key]) {
			if org := g.resolve(a); org != nil {
				a = org.props["name"]
			}
			if sp.Affiliation = html.UnescapeString(ldString(a)); sp.Affiliation != "" {
				return sp, sp.Name != ""
			}
		}
	}
	return sp, sp.Name != ""
}

// room is the name of a location that is a room rather than a venue: a Place
// without an address, or a short name.
func (g *ldGraph) room(v any) string {
	for _, loc := range ldValues(v) {
		if s, ok := loc.(string); ok {
			if th := g.resolve(s); th != nil {
				loc = th.props
			} else if !strings.Contains(s, ",") && !isWebURL(s) {
				return html.UnescapeString(s)
			} else {
				continue
			}
		}
		th := g.resolve(loc)
		if th == nil || th.is("VirtualLocation") || th.props["address"] != nil {
			continue
		}
		if name := th.str("name"); name != "" {
			return name
		}
	}
	return ""
}

// ldLinks collects a talk's links, resolved and without repeats.
type ldLinks struct {
	base *url.URL
	list []catalog.Link
}

func (l *ldLinks) abs(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if u.IsAbs() {
		if u.Scheme != "http" && u.Scheme != "https" {
			return ""
		}
		return u.String()
	}
	if l.base == nil {
		return ""
	}
	return l.base.ResolveReference(u).String()
}

func (l *ldLinks) add(kind, u string) {
	if u == "" {
		return
	}
	for i, have := range l.list {
		if have.URL == u {
			if kind == catalog.LinkVideo {
				l.list[i].Kind = kind
			}
			return
		}
	}
	l.list = append(l.list, catalog.Link{Kind: kind, URL: u})
}

// ldTypeNames gives the short names of @type: "schema:Event" and
// "https://schema.org/Event" are "Event".
func ldTypeNames(v any) []string {
	var names []string
	for _, t := range ldValues(v) {
		s := strings.TrimSpace(ldString(t))
		if i := strings.LastIndexAny(s, "/#:"); i >= 0 {
			s = s[i+1:]
		}
		if s != "" {
			names = append(names, s)
		}
	}
	return names
}

// ldValues is a property's values: JSON-LD writes one value or a list.
func ldValues(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// ldString is a property's text: a string, a number, a {"@value": …} or
// the first of a list.
func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case map[string]any:
		if val, ok := x["@value"]; ok {
			return ldString(val)
		}
	case []any:
		for _, e := range x {
			if s := ldString(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldTime reads an ISO 8601 date or date-time (see readJSONLD for zones).
func ldTime(s string) (t time.Time, dateOnly, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, false
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return fixedOffset(t), false, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

func ldLanguage(v any) string {
	for _, l := range ldValues(v) {
		if m, ok := l.(map[string]any); ok {
			if code := languageFromName(firstNonBlank(ldString(m["alternateName"]), ldString(m["name"]))); code != "" {
				return code
			}
			continue
		}
		if code := languageFromName(ldString(l)); code != "" {
			return code
		}
	}
	return ""
}

// ldKeywords reads keywords: a comma-separated string or a list.
func ldKeywords(v any) []string {
	var tags []string
	for _, k := range ldValues(v) {
		s := ldString(k)
		if m, ok := k.(map[string]any); ok {
			s = ldString(m["name"])
		}
		for _, tag := range strings.Split(s, ",") {
			if tag = catalog.CleanText(tag); tag != "" && !slices.Contains(tags, tag) {
				tags = append(tags, tag)
			}
		}
	}
	return tags
}
