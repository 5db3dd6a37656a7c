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
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FormatPretalx reads what pretalx serves beyond the c3voc/frab/ICS exports:
// its schedule widget JSON and pages of its REST API.
const FormatPretalx = "pretalx"

// maxDocumentBytes caps a whole-document JSON input (a widget file, an API
// page, an Indico export): these are read into memory to resolve their
// cross-references, and real ones are a few MiB at most.
const maxDocumentBytes = 256 << 20

// pretalxSource is the source name of talks read from pretalx data.
const pretalxSource = "pretalx"

// detectPretalx claims pretalx's schedule widget JSON (talks that refer to
// speakers, rooms and tracks listed beside them) and pages of its REST API
// whose results are talks. It looks at the document's outline rather than
// sniff's keys: a widget's talks list can be longer than the head, and the
// keys after it would never be seen.
func detectPretalx(h *head) bool {
	o := outlineJSON(h.bytes)
	return o.isPretalxWidget() || o.isPretalxAPIPage()
}

func (o *jsonOutline) isPretalxWidget() bool {
	if o.kind("talks") != 'a' || o.has("schedule") {
		return false
	}
	if o.has("talks[].code") && (o.has("talks[].speakers") || o.has("talks[].start")) {
		return true
	}
	// No talks yet, or a break first: the widget's other members decide.
	return o.has("timezone") && (o.has("rooms") || o.has("speakers"))
}

func (o *jsonOutline) isPretalxAPIPage() bool {
	return o.kind("results") == 'a' && o.has("count") &&
		o.has("results[].code") && o.has("results[].title") &&
		(o.has("results[].speakers") || o.has("results[].slot") || o.has("results[].slots") || o.has("results[].submission_type"))
}

// readPretalx reads a pretalx schedule widget file or a page of talks from
// pretalx's REST API (see readPretalxWidget and readPretalxAPI). Given
// --format pretalx, the other pretalx exports (schedule.json, .xml, .ics)
// are handed to their own readers.
func readPretalx(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	h, err := r.Peek(headSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return readError(out.name, err)
	}
	o := outlineJSON(h)
	switch {
	case o.isPretalxWidget():
		return readPretalxWidget(ctx, r, opts, out)
	case o.isPretalxAPIPage() || (o.kind("results") == 'a' && o.has("count") && !o.has("results[].code")):
		return readPretalxAPI(ctx, r, opts, out)
	}
	if len(bytes.TrimSpace(trimBOM(h))) == 0 {
		return nil
	}
	name, err := Detect(h)
	if err == nil && name != FormatPretalx && isPretalxExportFormat(name) {
		f, _ := lookup(name)
		return f.read(ctx, r, opts, out)
	}
	if err == nil {
		return catalog.Errorf(catalog.EINVALID, "%s is %s data, not pretalx's; import it with --format %s or auto", out.name, name, name)
	}
	return catalog.Errorf(catalog.EINVALID, "%s is not pretalx data: expected the schedule widget JSON (schedule/widget/v2.json), a page of /api/events/<event>/talks/, or a schedule export", out.name)
}

// isPretalxExportFormat names the formats pretalx's schedule exports come
// in, which --format pretalx passes on to their readers.
func isPretalxExportFormat(name string) bool {
	switch name {
	case FormatC3VOC, FormatFrab, FormatICS:
		return true
	}
	return false
}

// pretalxEvent is what a pretalx reader knows about the event: its series
// and edition names, the slug that names it in pretalx's URLs, the site's
// base URL for talk pages, and its time zone.
type pretalxEvent struct {
	name, series string
	slug         string
	base         string // "https://pretalx.example" (+ any path prefix), "" when unknown
	loc          *time.Location
	year         int // from the event's dates, for talks not yet scheduled
}

// pretalxAPIEvent is pretalx's event object (/api/events/<event>/).
type pretalxAPIEvent struct {
	Name     i18nText `json:"name"`
	Slug     string   `json:"slug"`
	DateFrom string   `json:"date_from"`
	Timezone string   `json:"timezone"`
	URLs     struct {
		Base string `json:"base"`
	} `json:"urls"`
}

// pretalxEventFor works out the event. Neither the widget nor an API page
// names it: it comes from --event, or from the event object that talkdex's
// API pager puts beside the results, and is named like every schedule
// (see editionNames). The slug and site come from any URL the input came
// from or refers to. Without an event name the talks cannot be placed, so
// that is an error the user can fix with --event.
func pretalxEventFor(opts Options, what string, api *pretalxAPIEvent, urls ...string) (*pretalxEvent, error) {
	ev := &pretalxEvent{}
	if api == nil {
		api = &pretalxAPIEvent{}
	}
	for _, u := range append([]string{opts.Name}, urls...) {
		if base, slug, ok := pretalxURLParts(u); ok {
			ev.base, ev.slug = base, slug
			break
		}
	}
	// The event object's own base URL (https://pretalx.com/democon/) is the
	// last resort: a copy served elsewhere would link to the original.
	if b, err := url.Parse(strings.TrimSpace(api.URLs.Base)); ev.base == "" && err == nil && (b.Scheme == "http" || b.Scheme == "https") && b.Host != "" {
		if segs := strings.Split(strings.Trim(b.Path, "/"), "/"); segs[len(segs)-1] != "" {
			ev.base, ev.slug = b.Scheme+"://"+b.Host+prefixPath(segs[:len(segs)-1]), segs[len(segs)-1]
		}
	}
	if api.Slug != "" {
		ev.slug = api.Slug
	}
	ev.loc = loadZone(api.Timezone)
	ev.year, _ = dateYear(api.DateFrom)
	switch {
	case strings.TrimSpace(opts.Event) != "":
		// The sink puts opts.Event on every talk; the series still has to
		// come from somewhere when --series is not given.
		ev.series, _ = editionNames(opts.Event, "", 0)
		ev.name = catalog.CleanText(opts.Event)
	case api.Name.String() != "":
		ev.series, ev.name = editionNames(api.Name.String(), api.Slug, ev.year)
	default:
		return nil, catalog.Errorf(catalog.EINVALID, "%s is %s, which does not name its event; name it with --event (and --series)", opts.displayName(), what)
	}
	if s := catalog.CleanText(opts.Series); s != "" {
		ev.series = s
	}
	if ev.slug == "" {
		ev.slug = editionSlug(ev.name)
	}
	return ev, nil
}

// pretalxURLParts finds the event slug and the site's base URL in a pretalx
// URL: /api/events/<slug>/…, /<slug>/schedule/…, /<slug>/talk/…,
// /<slug>/speaker/… or /<slug>/widgets/….
func pretalxURLParts(raw string) (base, slug string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	origin := u.Scheme + "://" + u.Host
	for i, s := range segs {
		if s == "api" && i+2 < len(segs) && segs[i+1] == "events" && segs[i+2] != "" {
			return origin + prefixPath(segs[:i]), segs[i+2], true
		}
	}
	for i := 1; i < len(segs); i++ {
		switch segs[i] {
		case "schedule", "talk", "speaker", "widgets", "featured", "cfp":
			if segs[i-1] != "" && segs[i-1] != "api" {
				return origin + prefixPath(segs[:i-1]), segs[i-1], true
			}
		}
	}
	return "", "", false
}

func prefixPath(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	return "/" + strings.Join(segs, "/")
}

// talkURL is the talk's page on the pretalx site, when the site is known.
func (ev *pretalxEvent) talkURL(code string) string {
	if ev.base == "" || code == "" {
		return ""
	}
	return ev.base + "/" + url.PathEscape(ev.slug) + "/talk/" + url.PathEscape(code) + "/"
}

func (ev *pretalxEvent) key(code string) string {
	return pretalxSource + ":" + ev.slug + ":" + code
}

// --- the schedule widget -------------------------------------------------

type pretalxWidgetTalk struct {
	Code     string     `json:"code"`
	Title    i18nText   `json:"title"`
	Abstract i18nText   `json:"abstract"`
	Speakers []string   `json:"speakers"`
	Track    *flexID    `json:"track"`
	Room     *flexID    `json:"room"`
	Start    string     `json:"start"`
	End      string     `json:"end"`
	Duration *flexFloat `json:"duration"`
}

type pretalxWidgetNamed struct {
	ID   flexID   `json:"id"`
	Code string   `json:"code"`
	Name i18nText `json:"name"`
}

// readPretalxWidget reads schedule/widget/v2.json: talks that refer to
// speakers by code and to rooms and tracks by id, with those listed beside
// them. The file does not name its event (see pretalxEventFor).
//
// How a widget talk becomes a talk record: title and abstract as given;
// speakers by code from the speakers list (no affiliations: pretalx has
// none); room and track by id; start as given, shown in the widget's time
// zone; duration from start to end (else "duration"); key
// "pretalx:<event slug>:<talk code>"; url the talk's page when the file
// came from a pretalx URL. Entries without a code are breaks and are left
// out. A talk that refers to a speaker, room or track the file does not
// list is skipped rather than imported with a hole in it.
func readPretalxWidget(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	data, err := readDocument(r, out.name)
	if err != nil {
		return err
	}
	doc, err := parseJSONTree(data, topLevel)
	if err != nil {
		return catalog.Errorf(catalog.EINVALID, "%s: %v", out.name, err)
	}
	ev, err := pretalxEventFor(opts, "pretalx schedule widget data", nil)
	if err != nil {
		return err
	}
	if doc.broken != "" {
		out.skip(location{line: doc.brokenLine}, doc.broken)
	}
	if loc := loadZone(doc.str("timezone")); loc != nil {
		ev.loc = loc
	}
	speakers, speakersDone := namedTable(doc, "speakers", true)
	rooms, roomsDone := namedTable(doc, "rooms", false)
	tracks, tracksDone := namedTable(doc, "tracks", false)

	for _, el := range doc.member("talks").elemsOrNil() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !el.complete {
			continue // cut off by the damage reported above
		}
		var rec pretalxWidgetTalk
		if reason, ok := decodeRecord(el.raw, &rec, "a pretalx widget talk"); !ok {
			out.skip(location{line: el.line}, reason)
			continue
		}
		if rec.Code == "" {
			continue // a break or other blocker, not a talk
		}
		loc := location{label: fmt.Sprintf("line %d, talk %s", el.line, rec.Code), line: el.line}
		t := &catalog.Talk{
			Series:   ev.series,
			Event:    ev.name,
			Title:    rec.Title.String(),
			Abstract: scheduleAbstract("", rec.Abstract.String(), ""),
			Source:   catalog.Source{Name: pretalxSource, URL: ev.talkURL(rec.Code), Key: ev.key(rec.Code)},
		}
		var missing []string
		for _, code := range rec.Speakers {
			name, ok := speakers[code]
			if !ok {
				missing = append(missing, "speaker "+strconv.Quote(code)+" is not in the speakers list"+unfinished(speakersDone))
				continue
			}
			t.Speakers = append(t.Speakers, catalog.Speaker{Name: name})
		}
		if rec.Room != nil {
			name, ok := rooms[rec.Room.String()]
			if !ok {
				missing = append(missing, "room "+rec.Room.String()+" is not in the rooms list"+unfinished(roomsDone))
			}
			t.Room = name
		}
		if rec.Track != nil {
			name, ok := tracks[rec.Track.String()]
			if !ok {
				missing = append(missing, "track "+rec.Track.String()+" is not in the tracks list"+unfinished(tracksDone))
			}
			t.Track = name
		}
		if len(missing) > 0 {
			out.skip(loc, strings.Join(missing, "; "))
			continue
		}
		if reason := setPretalxTimes(t, rec.Start, rec.End, rec.Duration, ev.loc); reason != "" {
			out.skip(loc, reason)
			continue
		}
		if err := out.talk(loc, t); err != nil {
			return err
		}
	}
	return nil
}

func unfinished(done bool) string {
	if done {
		return ""
	}
	return " (the file breaks off before that list ends)"
}

// namedTable maps the ids (or, for speakers, codes) of a widget list to
// names. done is false when the list was cut short by a damaged file.
func namedTable(doc *jsonDoc, key string, byCode bool) (map[string]string, bool) {
	names := map[string]string{}
	m := doc.member(key)
	if m == nil {
		return names, doc.broken == ""
	}
	for _, el := range m.elems {
		if !el.complete {
			continue
		}
		var n pretalxWidgetNamed
		if json.Unmarshal(el.raw, &n) != nil {
			continue
		}
		id := n.ID.String()
		if byCode {
			id = n.Code
		}
		if id != "" {
			names[id] = n.Name.String()
		}
	}
	return names, m.complete
}

// setPretalxTimes sets start and duration from RFC 3339 times; a start
// that cannot be read makes the record unusable (its reason is returned).
func setPretalxTimes(t *catalog.Talk, start, end string, duration *flexFloat, loc *time.Location) string {
	if start == "" {
		if duration != nil {
			t.DurationMinutes = int(duration.v + 0.5)
		}
		return ""
	}
	st, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return fmt.Sprintf("start %q is not an RFC 3339 time", start)
	}
	if loc != nil {
		st = st.In(loc)
	}
	t.Start = st
	if end != "" {
		if et, err := time.Parse(time.RFC3339, end); err == nil && et.After(st) {
			t.DurationMinutes = int(et.Sub(st).Round(time.Minute) / time.Minute)
		}
	}
	if t.DurationMinutes == 0 && duration != nil && duration.v > 0 {
		t.DurationMinutes = int(duration.v + 0.5)
	}
	return ""
}

// --- the REST API --------------------------------------------------------

// pretalxAPITalk is one result of /api/events/<event>/talks/ or
// /submissions/, in either API generation: the legacy API embeds speakers
// and gives one "slot"; API v1 (pretalx 2025.1) gives ids unless the
// request expands them (expand=speakers,track,submission_type,slots.room).
type pretalxAPITalk struct {
	Code          string            `json:"code"`
	Title         i18nText          `json:"title"`
	State         string            `json:"state"`
	Abstract      i18nText          `json:"abstract"`
	Description   i18nText          `json:"description"`
	Duration      *flexFloat        `json:"duration"`
	ContentLocale string            `json:"content_locale"`
	Speakers      []pretalxRef      `json:"speakers"`
	Track         *pretalxRef       `json:"track"`
	Slot          *pretalxSlot      `json:"slot"`
	Slots         []pretalxSlotRef  `json:"slots"`
	Resources     []pretalxResource `json:"resources"`
	Tags          []pretalxRef      `json:"tags"`
}

type pretalxSlot struct {
	Start string      `json:"start"`
	End   string      `json:"end"`
	Room  *pretalxRef `json:"room"`
}

// pretalxSlotRef is an expanded v1 slot, or just its id.
type pretalxSlotRef struct {
	pretalxSlot
	idOnly bool
}

func (s *pretalxSlotRef) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] != '{' {
		s.idOnly = true
		return nil
	}
	return json.Unmarshal(b, &s.pretalxSlot)
}

// pretalxRef is a related object as the API gives it: a plain or
// multi-language name (legacy), an object with a "name", "tag" or
// "public_name" (expanded v1), or a bare id or code (unexpanded v1).
type pretalxRef struct {
	name   string
	idOnly bool
	id     string
}

func (p *pretalxRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		// A string is a name in the legacy API but a speaker code in v1;
		// the caller knows which.
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		p.name, p.id = s, s
		return nil
	case b[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return err
		}
		for _, k := range []string{"name", "public_name", "tag"} {
			if v, ok := obj[k]; ok {
				var t i18nText
				if err := json.Unmarshal(v, &t); err != nil {
					return err
				}
				p.name = t.String()
				return nil
			}
		}
		var t i18nText
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		p.name = t.String()
		return nil
	default:
		p.idOnly, p.id = true, string(b)
		return nil
	}
}

type pretalxResource struct {
	Resource    string `json:"resource"`
	Link        string `json:"link"`
	Description string `json:"description"`
	idOnly      bool
}

func (p *pretalxResource) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] != '{' {
		p.idOnly = true
		return nil
	}
	type plain pretalxResource
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = pretalxResource(v)
	return nil
}

// readPretalxAPI reads one page of pretalx's talks or submissions API:
// {"count", "next", "previous", "results": [talk…]}. The page does not
// name its event: that takes --event, or an "event" member holding
// pretalx's event object (/api/events/<event>/), which talkdex's pager
// (scrape.Discover) adds when it hands over all pages' results as one.
//
// How an API talk becomes a talk record: title; abstract, then description
// after a blank line; speakers by name (the API has no affiliations); track
// by name; room and start from the slot (the earliest, when v1 lists
// several), duration from "duration" else the slot's length; language from
// content_locale ("de-formal" → "de"); tags by name; resources become
// slides, video or other links by their URL and description; key
// "pretalx:<event slug>:<code>" and url the talk's page, with the slug and
// site taken from the page's own URL or its next/previous links. Results in
// a state other than confirmed or accepted are not talks and are skipped;
// so are results that give speakers by code only (fetch with
// expand=speakers).
func readPretalxAPI(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	data, err := readDocument(r, out.name)
	if err != nil {
		return err
	}
	doc, err := parseJSONTree(data, topLevel)
	if err != nil {
		return catalog.Errorf(catalog.EINVALID, "%s: %v", out.name, err)
	}
	results := doc.member("results")
	if results == nil || len(results.elems) == 0 {
		if doc.broken != "" {
			out.skip(location{line: doc.brokenLine}, doc.broken)
		}
		return nil
	}
	var api *pretalxAPIEvent
	if m := doc.member("event"); m != nil && m.complete {
		api = &pretalxAPIEvent{}
		if reason, ok := decodeRecord(m.raw, api, "a pretalx event"); !ok {
			return catalog.Errorf(catalog.EINVALID, "%s: the event beside the results is %s", out.name, reason)
		}
	}
	ev, err := pretalxEventFor(opts, "a page of pretalx's API", api, doc.str("next"), doc.str("previous"))
	if err != nil {
		return err
	}
	if doc.broken != "" {
		out.skip(location{line: doc.brokenLine}, doc.broken)
	}
	for _, el := range results.elems {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !el.complete {
			continue // cut off by the damage reported above
		}
		var rec pretalxAPITalk
		if reason, ok := decodeRecord(el.raw, &rec, "a pretalx talk"); !ok {
			out.skip(location{line: el.line}, reason)
			continue
		}
		loc := location{label: fmt.Sprintf("line %d, talk %s", el.line, rec.Code), line: el.line}
		if rec.Code == "" {
			loc = location{line: el.line}
		}
		t, reason := ev.apiTalk(&rec)
		if reason != "" {
			out.skip(loc, reason)
			continue
		}
		if err := out.talk(loc, t); err != nil {
			return err
		}
	}
	return nil
}

func (ev *pretalxEvent) apiTalk(rec *pretalxAPITalk) (*catalog.Talk, string) {
	switch rec.State {
	case "", "confirmed", "accepted":
	default:
		return nil, fmt.Sprintf("state is %q: only confirmed and accepted submissions are talks", rec.State)
	}
	t := &catalog.Talk{
		Series:   ev.series,
		Event:    ev.name,
		Year:     ev.year,
		Title:    rec.Title.String(),
		Abstract: scheduleAbstract("", rec.Abstract.String(), rec.Description.String()),
		Language: languageFromName(rec.ContentLocale),
		Source:   catalog.Source{Name: pretalxSource},
	}
	if rec.Code != "" {
		t.Source.URL, t.Source.Key = ev.talkURL(rec.Code), ev.key(rec.Code)
	}
	// API v1 gives related objects as ids or codes unless the request
	// expands them; a talk without its speakers' names, its slot, room,
	// track or resources would be imported with holes in it.
	var unexpanded []string
	for _, s := range rec.Speakers {
		// Legacy pages embed speaker objects; a bare string is a v1
		// speaker code, which names nobody.
		if s.idOnly || s.id != "" {
			unexpanded = appendOnce(unexpanded, "speakers")
			continue
		}
		t.Speakers = append(t.Speakers, catalog.Speaker{Name: s.name})
	}
	if rec.Track != nil {
		if rec.Track.idOnly {
			unexpanded = append(unexpanded, "track")
		}
		t.Track = rec.Track.name
	}
	for _, tag := range rec.Tags {
		if !tag.idOnly { // tags are extras; ids alone are left out
			t.Tags = append(t.Tags, tag.name)
		}
	}
	// A submission may take place more than once (slot_count); the first
	// scheduled slot is the talk's.
	slot := rec.Slot
	var first time.Time
	for i := range rec.Slots {
		s := &rec.Slots[i]
		if s.idOnly {
			unexpanded = appendOnce(unexpanded, "slots")
			continue
		}
		st, err := time.Parse(time.RFC3339, s.Start)
		if s.Start != "" && err != nil {
			return nil, fmt.Sprintf("start %q is not an RFC 3339 time", s.Start)
		}
		if err == nil && (first.IsZero() || st.Before(first)) {
			first, slot = st, &s.pretalxSlot
		}
	}
	if slot != nil && slot.Room != nil {
		if slot.Room.idOnly {
			unexpanded = append(unexpanded, "slots.room")
		}
		t.Room = slot.Room.name
	}
	for _, res := range rec.Resources {
		if res.idOnly {
			unexpanded = appendOnce(unexpanded, "resources")
			continue
		}
		// A v1 resource is an uploaded file or an external link.
		if l, ok := resourceLink(firstNonBlank(res.Link, res.Resource), res.Description, "", res.Link == ""); ok {
			t.Links = append(t.Links, l)
		}
	}
	if len(unexpanded) > 0 {
		return nil, strings.Join(unexpanded, ", ") + " given by id or code only; fetch the API with expand=" + strings.Join(unexpanded, ",")
	}
	start, end := "", ""
	if slot != nil {
		start, end = slot.Start, slot.End
	}
	if reason := setPretalxTimes(t, start, end, rec.Duration, ev.loc); reason != "" {
		return nil, reason
	}
	return t, ""
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// resourceLink makes a talk link of a resource or attachment URL, sorted
// into video, slides or other the way the schedule readers do (see
// scheduleLinkKind). URLs that are not absolute http(s) are dropped.
func resourceLink(raw, title, mime string, attachment bool) (catalog.Link, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return catalog.Link{}, false
	}
	ref := schedRef{url: u.String(), title: title, mime: mime, attachment: attachment}
	return catalog.Link{Kind: scheduleLinkKind(u, ref), URL: u.String()}, true
}

// --- JSON helpers shared by the whole-document readers --------------------

// i18nText is a string, or pretalx's and Indico's multi-language object
// ({"en": "…", "de": "…"}), of which English is taken, else the first
// language in alphabetical order so that re-imports agree.
type i18nText struct{ s string }

func (t i18nText) String() string { return t.s }

func (t *i18nText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &t.s)
	case b[0] == '{':
		var m map[string]*string
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		if v := m["en"]; v != nil && strings.TrimSpace(*v) != "" {
			t.s = *v
			return nil
		}
		langs := make([]string, 0, len(m))
		for k, v := range m {
			if v != nil && strings.TrimSpace(*v) != "" {
				langs = append(langs, k)
			}
		}
		if len(langs) > 0 {
			slices.Sort(langs)
			t.s = *m[langs[0]]
		}
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonValueName(b), Type: reflect.TypeFor[string]()}
}

// flexID is an id given as a number or a string.
type flexID struct{ s string }

func (f flexID) String() string { return f.s }

func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &f.s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		f.s = n.String()
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonValueName(b), Type: reflect.TypeFor[string]()}
}

// flexFloat is a number given as a number or a numeric string.
type flexFloat struct{ v float64 }

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[float64]()}
		}
		f.v = v
		return nil
	}
	return json.Unmarshal(b, &f.v)
}

func jsonValueName(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	case b[0] == '"':
		return "string"
	}
	return "number"
}

// readDocument reads a whole-document input into memory.
func readDocument(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDocumentBytes+1))
	if err != nil {
		return nil, readError(name, err)
	}
	if len(data) > maxDocumentBytes {
		return nil, catalog.Errorf(catalog.EINVALID, "%s is larger than %d MiB", name, maxDocumentBytes>>20)
	}
	return trimBOM(data), nil
}

// jsonDoc is a JSON object read as a tree of nodes down to the paths a
// reader asks for (see parseJSONTree). Below those, values are kept as raw
// bytes for decoding into structs; at them, containers are read child by
// child, so that damage costs only the records it touches.
type jsonDoc struct {
	root       *jsonNode
	broken     string // why reading stopped before the end, "" if it did not
	brokenLine int
}

// jsonNode is one value. Containers that were descended into also have
// their children; raw is set whenever the value was read to its end.
type jsonNode struct {
	raw      json.RawMessage
	line     int // where the value starts
	complete bool
	keys     []string // members in document order, for descended objects
	members  map[string]*jsonNode
	elems    []*jsonNode // for descended arrays
}

// member returns a member of a descended object, or nil.
func (n *jsonNode) member(key string) *jsonNode {
	if n == nil {
		return nil
	}
	return n.members[key]
}

// str returns a member that is a string, or "".
func (n *jsonNode) str(key string) string {
	m := n.member(key)
	if m == nil || !m.complete {
		return ""
	}
	var s string
	if json.Unmarshal(m.raw, &s) != nil {
		return ""
	}
	return s
}

// decodeMember decodes a complete member into v; false when it is missing,
// cut off or of another shape.
func (n *jsonNode) decodeMember(key string, v any) bool {
	m := n.member(key)
	return m != nil && m.complete && json.Unmarshal(m.raw, v) == nil
}

func (d *jsonDoc) member(key string) *jsonNode { return d.root.member(key) }

// elemsOrNil returns the elements of a descended array; nil for nil.
func (n *jsonNode) elemsOrNil() []*jsonNode {
	if n == nil {
		return nil
	}
	return n.elems
}
func (d *jsonDoc) str(key string) string { return d.root.str(key) }

// topLevel descends into the document's own members only: their elements
// are the records.
func topLevel(path []string) bool { return len(path) <= 1 }

// parseJSONTree reads data as one JSON object, descending into containers
// at the paths descend accepts (a path is keys, with "[]" for array
// elements; the root is always descended). A syntax error cannot be read
// past, so it ends the read: what came before it is kept, nodes it cut are
// left incomplete, and broken says where and why. Only input that is not
// an object at all is an error.
func parseJSONTree(data []byte, descend func(path []string) bool) (*jsonDoc, error) {
	start := skipSeparators(data, 0)
	if start >= len(data) || data[start] != '{' {
		return nil, fmt.Errorf("not a JSON object (it starts with %q)", preview(data))
	}
	t := &jsonTreeReader{data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: lineCounter{data: data}, descend: descend}
	doc := &jsonDoc{root: &jsonNode{}}
	if err := t.value(doc.root, nil); err != nil {
		offset := int64(len(data))
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			offset = syntax.Offset
		}
		doc.brokenLine = t.lines.at(offset)
		doc.broken = "bad JSON: " + describeJSONError(err) + "; the rest of the input was not read"
	}
	return doc, nil
}

type jsonTreeReader struct {
	data    []byte
	dec     *json.Decoder
	lines   lineCounter
	descend func(path []string) bool
}

func (t *jsonTreeReader) value(n *jsonNode, path []string) error {
	start := skipSeparators(t.data, int(t.dec.InputOffset()))
	n.line = t.lines.at(int64(start))
	if start >= len(t.data) {
		return io.ErrUnexpectedEOF
	}
	c := t.data[start]
	if (c != '{' && c != '[') || (path != nil && !t.descend(path)) {
		var raw json.RawMessage
		if err := t.dec.Decode(&raw); err != nil {
			return err
		}
		n.raw, n.complete = raw, true
		return nil
	}
	if _, err := t.dec.Token(); err != nil {
		return err
	}
	if c == '{' {
		n.members = map[string]*jsonNode{}
		for t.dec.More() {
			tok, err := t.dec.Token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			child := &jsonNode{}
			if _, dup := n.members[key]; !dup {
				n.keys = append(n.keys, key)
			}
			n.members[key] = child
			if err := t.value(child, append(path, key)); err != nil {
				return err
			}
		}
	} else {
		for t.dec.More() {
			child := &jsonNode{}
			n.elems = append(n.elems, child)
			if err := t.value(child, append(path, "[]")); err != nil {
				return err
			}
		}
	}
	if _, err := t.dec.Token(); err != nil {
		return err
	}
	n.raw, n.complete = t.data[start:t.dec.InputOffset()], true
	return nil
}

// skipSeparators skips what may stand between JSON values: blanks, the
// colon after a key and the comma between members.
func skipSeparators(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n', ':', ',':
			i++
			continue
		}
		return i
	}
	return i
}

// lineCounter turns increasing byte offsets into 1-based line numbers
// without rescanning from the start each time.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (c *lineCounter) at(off int64) int {
	off = max(0, min(off, int64(len(c.data))))
	if off < c.off {
		c.off, c.line = 0, 0
	}
	c.line += bytes.Count(c.data[c.off:off], []byte("\n"))
	c.off = off
	return c.line + 1
}

// jsonOutline is the shape of the head of a JSON object: the paths of the
// keys seen ("talks", "talks[].code", "schedule.conference"), with the kind
// of each value, and top-level string values. Only the first element of an
// array is looked into, and only two levels down. A head cut anywhere still
// yields every key before the cut, which is what detection needs.
type jsonOutline struct {
	kinds   map[string]byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null, '?' cut off
	strings map[string]string
}

const outlineDepth = 3

func outlineJSON(b []byte) *jsonOutline {
	o := &jsonOutline{kinds: map[string]byte{}, strings: map[string]string{}}
	b = bytes.TrimLeft(trimBOM(b), " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return o
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return o
	}
	o.walkObject(dec, "", 1)
	return o
}

func (o *jsonOutline) has(path string) bool {
	_, ok := o.kinds[path]
	return ok
}

func (o *jsonOutline) kind(path string) byte { return o.kinds[path] }

// walkObject records the members of the object dec is inside; false means
// the head ended (or broke) and walking must stop.
func (o *jsonOutline) walkObject(dec *json.Decoder, prefix string, depth int) bool {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		key, ok := tok.(string)
		if !ok {
			return false
		}
		path := prefix + key
		o.kinds[path] = '?'
		if !o.walkValue(dec, path, depth) {
			return false
		}
	}
	_, err := dec.Token()
	return err == nil
}

func (o *jsonOutline) walkValue(dec *json.Decoder, path string, depth int) bool {
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			o.kinds[path] = 'o'
			if depth >= outlineDepth {
				return skipValue(dec, 1) == nil
			}
			return o.walkObject(dec, path+".", depth+1)
		}
		o.kinds[path] = 'a'
		for first := true; dec.More(); first = false {
			if first && depth < outlineDepth {
				// Arrays count towards the depth too: nested arrays must not
				// escape the outline's limit (a "[[[[…" input would otherwise
				// recurse and rebuild its path at every level).
				if !o.walkValue(dec, path+"[]", depth+1) {
					return false
				}
				continue
			}
			if !skipOne(dec) {
				return false
			}
		}
		_, err := dec.Token()
		return err == nil
	case string:
		o.kinds[path] = 's'
		if depth == 1 {
			o.strings[path] = v
		}
	case float64, json.Number:
		o.kinds[path] = 'n'
	case bool:
		o.kinds[path] = 'b'
	default:
		o.kinds[path] = 'z'
	}
	return true
}

// skipOne consumes one value.
func skipOne(dec *json.Decoder) bool {
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return skipValue(dec, 1) == nil
	}
	return true
}
