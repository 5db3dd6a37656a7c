package formats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FormatC3VOC names the c3voc schedule JSON (frab's and pretalx's
// schedule.json), both v1 (days → rooms → events) and v2 (a flat events
// list).
const FormatC3VOC = "c3voc"

// maxScheduleBytes caps a schedule JSON read into memory. The largest real
// ones (a congress, FOSDEM) are a few MB.
const maxScheduleBytes = 256 << 20

// detectC3VOC claims JSON whose top-level "schedule" object holds a
// "conference" or an "events" list. It walks tokens rather than relying on
// the sniffed keys, because a schedule is one object larger than the head.
func detectC3VOC(h *head) bool {
	return isC3VOCJSON(h.bytes)
}

func isC3VOCJSON(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(trimBOM(b)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key != "schedule" {
			if _, err := readValueKind(dec); err != nil {
				return false
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return false
		}
		for dec.More() {
			inner, err := dec.Token()
			if err != nil {
				return false
			}
			kind, err := readValueKind(dec)
			switch {
			case inner == "conference" && (kind == kindObject || err != nil):
				return true
			case inner == "events" && (kind == kindObjectArray || kind == kindEmptyArray):
				return true
			case err != nil:
				return false
			}
		}
		return false
	}
	return false
}

// c3vocDoc is a schedule JSON taken apart: the conference and the events
// with where they sit, as raw JSON. Events are mapped only once the whole
// document has been walked, so that a v2 schedule's persons and rooms can
// come after its events.
type c3vocDoc struct {
	lines   []int // offsets of line starts, for line numbers
	root    map[string]json.RawMessage
	sched   map[string]json.RawMessage
	conf    map[string]json.RawMessage
	days    []*c3vocDayDoc
	events  []c3vocItem // v2: schedule.events (or a top-level events)
	persons []c3vocItem // v2: schedule.persons (or a top-level persons)
	hasDays bool
	// hasEvents says the schedule lists its events flat (v2).
	hasEvents  bool
	eventsList bool // … and they are a list
	hasConf    bool
	// shape lists what was not shaped like a schedule at all (days that
	// are not a list, …), reported with the conformance findings.
	shape []conformanceFinding
	// broken is the JSON syntax error that ended the walk, if any.
	broken     error
	brokenLine int
}

type c3vocDayDoc struct {
	path     []string
	fields   map[string]json.RawMessage
	hasRooms bool
	rooms    []*c3vocRoomDoc
}

type c3vocRoomDoc struct {
	name   string
	events []c3vocItem
}

type c3vocItem struct {
	raw  json.RawMessage
	line int
	path []string // JSON pointer tokens
}

// readC3VOC reads a c3voc schedule JSON. v1 lists events per day and room
// (schedule.conference.days[].rooms{room: [events]}), as frab and pretalx
// export it; v2 lists them in schedule.events with rooms and tracks by
// reference to the conference's lists. Both map like frab XML (see
// schedConf.talk), and a talk has the same key in either export.
//
// The schema's rules are checked as the file is read (see conformance.go):
// an event the schema rejects but that is still a usable talk is imported,
// and what does not conform is summarised in skips whose reason starts
// with "imported anyway"; events that are not usable (no title, a start
// that is not a time) are skipped. A JSON syntax error keeps the events
// before it and turns the rest of the file into one skip.
func readC3VOC(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	zone, err := optionZone(opts.TimeZone)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxScheduleBytes+1))
	if err != nil {
		return readError(out.name, err)
	}
	if len(data) > maxScheduleBytes {
		return catalog.Errorf(catalog.EINVALID, "%s is larger than %d MiB; that is no schedule", out.name, maxScheduleBytes>>20)
	}
	if len(bytes.TrimSpace(trimBOM(data))) == 0 {
		return nil // nothing to import is not an error
	}
	doc, err := walkC3VOC(ctx, data)
	if err != nil {
		if catalog.ErrorCode(err) == catalog.EINVALID {
			return catalog.Errorf(catalog.EINVALID, "%s %s", out.name, catalog.ErrorMessage(err))
		}
		return err
	}
	cr := newC3VOCReader(doc, out)
	defer func() { cr.conf.warnGuessedUTC(out) }()
	cr.conf.fillZone(zone)
	if err := cr.run(ctx); err != nil {
		return err
	}
	if doc.broken != nil {
		out.skip(location{line: doc.brokenLine}, "bad JSON: "+describeJSONError(doc.broken)+"; the rest of the file was not read")
	}
	cr.reportConformance()
	return nil
}

// walkC3VOC takes a schedule apart token by token, so that a file broken
// half way still yields the events before the damage. Only input that is
// not a schedule at all is an error.
func walkC3VOC(ctx context.Context, data []byte) (*c3vocDoc, error) {
	doc := &c3vocDoc{
		root:  map[string]json.RawMessage{},
		sched: map[string]json.RawMessage{},
		conf:  map[string]json.RawMessage{},
	}
	doc.lines = append(doc.lines, 0)
	for i, b := range data {
		if b == '\n' {
			doc.lines = append(doc.lines, i+1)
		}
	}
	w := &c3vocWalker{doc: doc, dec: json.NewDecoder(bytes.NewReader(data)), ctx: ctx}
	w.dec.UseNumber()
	start := len(data) - len(trimBOM(data))
	if start > 0 {
		w.dec = json.NewDecoder(bytes.NewReader(data[start:]))
		w.dec.UseNumber()
		w.base = start
	}
	err := w.walkRoot()
	if err == nil {
		return doc, nil
	}
	if errors.Is(err, errNotSchedule) {
		return nil, catalog.Errorf(catalog.EINVALID, "is not a c3voc schedule: it has no \"schedule\" object")
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if len(doc.root) == 0 && len(doc.sched) == 0 && len(doc.conf) == 0 {
		return nil, catalog.Errorf(catalog.EINVALID, "is not JSON (or breaks off before its schedule): %s", describeJSONError(err))
	}
	doc.broken = err
	// Name the line of the damage: where the syntax error is, or the end
	// of a file cut short.
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		doc.brokenLine = doc.lineAt(w.base + int(syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		doc.brokenLine = doc.lineAt(len(data))
	default:
		doc.brokenLine = doc.lineAt(w.offset())
	}
	return doc, nil
}

// c3vocWalkError is the walker's own complaint, told apart from JSON
// syntax errors.
type c3vocWalkError string

func (e c3vocWalkError) Error() string { return string(e) }

const errNotSchedule c3vocWalkError = "not a schedule"

type c3vocWalker struct {
	ctx  context.Context
	doc  *c3vocDoc
	dec  *json.Decoder
	base int // bytes skipped before the decoder's input (a BOM)
}

func (w *c3vocWalker) offset() int { return w.base + int(w.dec.InputOffset()) }

func (d *c3vocDoc) lineAt(offset int) int {
	return sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > offset })
}

// raw decodes the next value whole and says on which line it started.
func (w *c3vocWalker) raw() (json.RawMessage, int, error) {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return nil, 0, err
	}
	return raw, w.doc.lineAt(w.offset() - len(raw)), nil
}

// open reads the next token and reports whether it opens want ('{' or
// '['). Any other value is consumed whole; placeholder is a JSON value of
// the same type, for the conformance checks to report.
func (w *c3vocWalker) open(want json.Delim) (ok bool, placeholder json.RawMessage, err error) {
	tok, err := w.dec.Token()
	if err != nil {
		return false, nil, err
	}
	if tok == want {
		return true, nil, nil
	}
	switch v := tok.(type) {
	case json.Delim:
		if err := skipValue(w.dec, 1); err != nil {
			return false, nil, err
		}
		if v == '{' {
			return false, json.RawMessage(`{}`), nil
		}
		return false, json.RawMessage(`[]`), nil
	case string:
		return false, json.RawMessage(`""`), nil
	case json.Number, float64:
		return false, json.RawMessage(`0`), nil
	case bool:
		return false, json.RawMessage(`false`), nil
	}
	return false, json.RawMessage(`null`), nil
}

// misshapen records a value that is not the object or list a schedule
// has at path, where the conformance checks do not look themselves.
func (w *c3vocWalker) misshapen(path []string, placeholder json.RawMessage, want string) {
	var v any
	_ = json.Unmarshal(placeholder, &v)
	w.doc.shape = append(w.doc.shape, conformanceFinding{path: slices.Clone(path), rule: "is " + schemaTypeName(schemaTypeOf(v)) + ", want " + want})
}

func (w *c3vocWalker) key() (string, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return "", err
	}
	k, _ := tok.(string)
	return k, nil
}

func (w *c3vocWalker) walkRoot() error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return errNotSchedule
	}
	sawSchedule := false
	for w.dec.More() {
		k, err := w.key()
		if err != nil {
			return err
		}
		switch k {
		case "schedule":
			ok, _, err := w.open('{')
			if err != nil {
				return err
			}
			if !ok {
				return errNotSchedule
			}
			sawSchedule = true
			if err := w.walkSchedule(); err != nil {
				return err
			}
		case "events", "persons":
			// Some v2 writers put these next to "schedule".
			w.doc.root[k] = nil
			if err := w.walkItems(k, []string{k}); err != nil {
				return err
			}
		default:
			raw, _, err := w.raw()
			if err != nil {
				return err
			}
			w.doc.root[k] = raw
		}
	}
	if !sawSchedule {
		return errNotSchedule
	}
	_, err = w.dec.Token() // the closing brace
	return err
}

func (w *c3vocWalker) walkSchedule() error {
	for w.dec.More() {
		k, err := w.key()
		if err != nil {
			return err
		}
		switch k {
		case "conference":
			ok, placeholder, err := w.open('{')
			if err != nil {
				return err
			}
			if !ok {
				w.doc.sched[k] = placeholder
				continue
			}
			w.doc.hasConf = true
			if err := w.walkConference(); err != nil {
				return err
			}
		case "events", "persons":
			if err := w.walkItems(k, []string{"schedule", k}); err != nil {
				return err
			}
		default:
			raw, _, err := w.raw()
			if err != nil {
				return err
			}
			w.doc.sched[k] = raw
		}
	}
	_, err := w.dec.Token()
	return err
}

func (w *c3vocWalker) walkItems(which string, path []string) error {
	if which == "events" {
		w.doc.hasEvents = true
	}
	ok, placeholder, err := w.open('[')
	if err != nil {
		return err
	}
	if !ok {
		if len(path) == 1 {
			w.doc.root[which] = placeholder
		} else {
			w.doc.sched[which] = placeholder
		}
		return nil
	}
	if which == "events" {
		w.doc.eventsList = true
	}
	for i := 0; w.dec.More(); i++ {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		raw, line, err := w.raw()
		if err != nil {
			return err
		}
		item := c3vocItem{raw: raw, line: line, path: append(slices.Clone(path), strconv.Itoa(i))}
		if which == "events" {
			w.doc.events = append(w.doc.events, item)
		} else {
			w.doc.persons = append(w.doc.persons, item)
		}
	}
	_, err = w.dec.Token()
	return err
}

func (w *c3vocWalker) walkConference() error {
	for w.dec.More() {
		k, err := w.key()
		if err != nil {
			return err
		}
		if k != "days" {
			raw, _, err := w.raw()
			if err != nil {
				return err
			}
			w.doc.conf[k] = raw
			continue
		}
		path := []string{"schedule", "conference", "days"}
		ok, placeholder, err := w.open('[')
		if err != nil {
			return err
		}
		if !ok {
			w.doc.conf[k] = placeholder
			continue
		}
		w.doc.hasDays = true
		for i := 0; w.dec.More(); i++ {
			if err := w.walkDay(append(slices.Clone(path), strconv.Itoa(i))); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

func (w *c3vocWalker) walkDay(path []string) error {
	ok, placeholder, err := w.open('{')
	if err != nil {
		return err
	}
	if !ok {
		w.misshapen(path, placeholder, "object")
		return nil
	}
	day := &c3vocDayDoc{path: path, fields: map[string]json.RawMessage{}}
	w.doc.days = append(w.doc.days, day)
	for w.dec.More() {
		k, err := w.key()
		if err != nil {
			return err
		}
		if k != "rooms" {
			raw, _, err := w.raw()
			if err != nil {
				return err
			}
			day.fields[k] = raw
			continue
		}
		roomsPath := append(slices.Clone(path), "rooms")
		ok, placeholder, err := w.open('{')
		if err != nil {
			return err
		}
		if !ok {
			day.fields[k] = placeholder
			continue
		}
		day.hasRooms = true
		for w.dec.More() {
			name, err := w.key()
			if err != nil {
				return err
			}
			roomPath := append(slices.Clone(roomsPath), name)
			room := &c3vocRoomDoc{name: name}
			day.rooms = append(day.rooms, room)
			ok, placeholder, err := w.open('[')
			if err != nil {
				return err
			}
			if !ok {
				w.misshapen(roomPath, placeholder, "array")
				continue
			}
			for i := 0; w.dec.More(); i++ {
				if err := w.ctx.Err(); err != nil {
					return err
				}
				raw, line, err := w.raw()
				if err != nil {
					return err
				}
				room.events = append(room.events, c3vocItem{raw: raw, line: line, path: append(slices.Clone(roomPath), strconv.Itoa(i))})
			}
			if _, err := w.dec.Token(); err != nil {
				return err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return err
		}
	}
	_, err = w.dec.Token()
	return err
}

// c3vocReader maps a walked schedule onto talks.
type c3vocReader struct {
	doc      *c3vocDoc
	out      *sink
	conf     *schedConf
	v2       bool
	rooms    map[string]string // v2: room guid or slug → name
	tracks   map[string]string // v2: track slug → name
	persons  map[string]string // v2: person guid → name
	seen     map[string]int
	check    *schemaChecker
	findings []conformanceFinding
}

func newC3VOCReader(doc *c3vocDoc, out *sink) *c3vocReader {
	cr := &c3vocReader{doc: doc, out: out, seen: map[string]int{}, check: newSchemaChecker(), rooms: map[string]string{}, tracks: map[string]string{}, persons: map[string]string{}}
	cr.v2 = doc.hasEvents
	conf := c3vocFields(doc.conf)
	sched := c3vocFields(doc.sched)
	cr.conf = newSchedConf(schedConfInput{
		title:     c3vocString(conf["title"]),
		acronym:   c3vocString(conf["acronym"]),
		start:     c3vocString(conf["start"]),
		timeZone:  c3vocString(conf["time_zone_name"]),
		baseURL:   firstNonBlank(c3vocString(sched["base_url"]), c3vocString(conf["url"])),
		dayChange: c3vocString(conf["day_change"]),
	})
	for _, room := range c3vocList(conf["rooms"]) {
		m, _ := room.(map[string]any)
		name := c3vocString(m["name"])
		for _, k := range []string{"guid", "slug", "name"} {
			if id := c3vocString(m[k]); id != "" && name != "" {
				cr.rooms[strings.ToLower(id)] = name
			}
		}
	}
	for _, track := range c3vocList(conf["tracks"]) {
		m, _ := track.(map[string]any)
		if slug, name := c3vocString(m["slug"]), c3vocString(m["name"]); slug != "" && name != "" {
			cr.tracks[strings.ToLower(slug)] = name
		}
	}
	for _, p := range doc.persons {
		var m map[string]any
		if c3vocDecode(p.raw, &m) == nil {
			if guid, name := c3vocString(m["guid"]), c3vocPersonName(m); guid != "" && name != "" {
				cr.persons[strings.ToLower(guid)] = name
			}
		}
	}
	return cr
}

func (cr *c3vocReader) run(ctx context.Context) error {
	cr.findings = append(cr.findings, cr.doc.shape...)
	if cr.doc.broken == nil {
		// Of a file cut short we know only part of the document; what it
		// seems to lack may be after the damage. Its events are whole.
		cr.findings = append(cr.findings, c3vocConformDocument(cr.doc, cr.v2)...)
	}
	if cr.v2 {
		for _, item := range cr.doc.events {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := cr.event(item, schedDay{}, ""); err != nil {
				return err
			}
		}
		return nil
	}
	for _, day := range cr.doc.days {
		fields := c3vocFields(day.fields)
		sd := schedDay{date: c3vocString(fields["date"])}
		if s, ok := c3vocTime(c3vocString(fields["day_start"])); ok {
			sd.start = s
		}
		for _, room := range day.rooms {
			for _, item := range room.events {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := cr.event(item, sd, room.name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// event maps one event. Its conformance findings are collected whatever
// becomes of it.
func (cr *c3vocReader) event(item c3vocItem, day schedDay, room string) error {
	var m map[string]any
	err := c3vocDecode(item.raw, &m)
	label := cr.label(item, m)
	loc := location{label: label}
	if err != nil || m == nil {
		cr.findings = append(cr.findings, conformanceFinding{path: item.path, rule: "is not an object"})
		cr.out.skip(loc, "the event is not a JSON object")
		return nil
	}
	if cr.v2 {
		cr.findings = append(cr.findings, c3vocConformEventV2(cr.check, item.path, m)...)
	} else {
		cr.findings = append(cr.findings, c3vocConformEventV1(cr.check, item.path, m)...)
	}
	if cr.conf.series == "" && cr.out.series == "" {
		cr.out.skip(loc, "the schedule names no conference (no conference title or acronym); pass --series and --event")
		return nil
	}
	var se schedEvent
	if cr.v2 {
		if reason := cr.eventV2(m, &se); reason != "" {
			cr.out.skip(loc, reason)
			return nil
		}
	} else {
		cr.eventV1(m, &se, room)
	}
	t, reason := cr.conf.talk(&se, day)
	if reason != "" {
		cr.out.skip(loc, reason)
		return nil
	}
	if t.Source.Key != "" {
		if first, dup := cr.seen[t.Source.Key]; dup {
			cr.out.skip(loc, fmt.Sprintf("the same event (%s) as %s, which was imported", t.Source.Key, cr.lineRef(first)))
			return nil
		}
		cr.seen[t.Source.Key] = item.line
	}
	return cr.out.talk(loc, t)
}

// label names an event in skips: its line when the file has lines, its id
// or guid, else where it sits.
func (cr *c3vocReader) label(item c3vocItem, m map[string]any) string {
	var parts []string
	if len(cr.doc.lines) > 2 {
		parts = append(parts, fmt.Sprintf("line %d", item.line))
	}
	if id := firstNonBlank(c3vocString(m["id"]), c3vocString(m["code"]), c3vocString(m["guid"])); id != "" {
		parts = append(parts, "event "+id)
	} else if len(parts) == 0 {
		parts = append(parts, schemaPointerText(item.path))
	}
	return strings.Join(parts, ", ")
}

func (cr *c3vocReader) lineRef(line int) string {
	if len(cr.doc.lines) > 2 {
		return fmt.Sprintf("the event at line %d", line)
	}
	return "an earlier event"
}

func (cr *c3vocReader) eventV1(m map[string]any, se *schedEvent, room string) {
	*se = schedEvent{
		guid: c3vocString(m["guid"]), id: c3vocString(m["id"]),
		date: c3vocString(m["date"]), start: c3vocString(m["start"]), end: c3vocString(m["end"]),
		duration: c3vocString(m["duration"]),
		room:     firstNonBlank(c3vocString(m["room"]), room),
		track:    c3vocTrackName(m["track"], cr.tracks),
		language: c3vocString(m["language"]),
		url:      c3vocString(m["url"]),
		title:    c3vocString(m["title"]), subtitle: c3vocString(m["subtitle"]),
		abstract: c3vocLocalized(m["abstract"], ""), descr: c3vocLocalized(m["description"], ""),
	}
	for _, p := range c3vocList(m["persons"]) {
		if name := c3vocPersonName(p); name != "" {
			se.persons = append(se.persons, catalog.Speaker{Name: name})
		}
	}
	se.refs = c3vocRefs(m)
}

// eventV2 maps a v2 event. Breaks and meta entries are not talks, and
// neither are events the schedule marks as cancelled or not (yet)
// accepted.
func (cr *c3vocReader) eventV2(m map[string]any, se *schedEvent) string {
	switch typ := strings.ToUpper(c3vocString(m["type"])); typ {
	case "BREAK", "META":
		return fmt.Sprintf("a %s entry, not a talk", strings.ToLower(typ))
	}
	switch state := strings.ToUpper(c3vocString(m["state"])); state {
	case "", "CONFIRMED", "ACCEPTED", "DELAYED":
	default:
		return fmt.Sprintf("the event is %s", strings.ToLower(state))
	}
	lang := c3vocString(m["language"])
	*se = schedEvent{
		guid: c3vocString(m["guid"]), id: c3vocString(m["code"]),
		date: c3vocString(m["start"]), end: c3vocString(m["end"]),
		duration: c3vocString(m["duration"]),
		room:     cr.roomName(m["room"]),
		track:    c3vocTrackName(m["track"], cr.tracks),
		language: lang,
		url:      c3vocString(m["url"]),
		title:    c3vocString(m["title"]), subtitle: c3vocString(m["subtitle"]),
		abstract: c3vocLocalized(m["abstract"], lang), descr: c3vocLocalized(m["description"], lang),
	}
	for _, p := range c3vocList(m["participants"]) {
		pm, _ := p.(map[string]any)
		switch strings.ToUpper(c3vocString(pm["role"])) {
		case "", "SPEAKER", "MODERATOR", "HOST", "GUEST":
		default:
			continue // contributors work behind the scenes
		}
		name := c3vocPersonName(p)
		if name == "" {
			name = cr.persons[strings.ToLower(c3vocString(pm["guid"]))]
		}
		if name != "" {
			se.persons = append(se.persons, catalog.Speaker{Name: name})
		}
	}
	se.refs = c3vocRefs(m)
	return ""
}

func (cr *c3vocReader) roomName(v any) string {
	switch r := v.(type) {
	case string:
		return r
	case map[string]any:
		if name := c3vocString(r["name"]); name != "" {
			return name
		}
		for _, k := range []string{"guid", "slug"} {
			if name := cr.rooms[strings.ToLower(c3vocString(r[k]))]; name != "" {
				return name
			}
		}
	}
	return ""
}

// c3vocTrackName reads a track given as its name (v1) or by reference (v2:
// {"slug": …}, looked up in the conference's tracks).
func c3vocTrackName(v any, tracks map[string]string) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		if name := c3vocString(t["name"]); name != "" {
			return name
		}
		slug := c3vocString(t["slug"])
		if name := tracks[strings.ToLower(slug)]; name != "" {
			return name
		}
		return slug
	}
	return ""
}

func c3vocPersonName(v any) string {
	switch p := v.(type) {
	case string:
		return p
	case map[string]any:
		return firstNonBlank(c3vocString(p["name"]), c3vocString(p["public_name"]), c3vocString(p["full_public_name"]))
	}
	return ""
}

func c3vocRefs(m map[string]any) []schedRef {
	var refs []schedRef
	for _, key := range []string{"links", "attachments"} {
		for _, v := range c3vocList(m[key]) {
			ref := schedRef{attachment: key == "attachments"}
			switch l := v.(type) {
			case string:
				ref.url = l
			case map[string]any:
				ref.url, ref.title, ref.kind = c3vocString(l["url"]), c3vocString(l["title"]), c3vocString(l["type"])
			}
			refs = append(refs, ref)
		}
	}
	return refs
}

// c3vocLocalized reads a v2 LocalizableString: a string, or a map of language
// code to text, of which the talk's language, else English, else the first
// language in order is taken.
func c3vocLocalized(v any, lang string) string {
	switch s := v.(type) {
	case string:
		return s
	case map[string]any:
		for _, k := range []string{strings.ToLower(lang), "en"} {
			if text := c3vocString(s[k]); text != "" {
				return text
			}
		}
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if text := c3vocString(s[k]); text != "" {
				return text
			}
		}
	}
	return ""
}

// reportConformance sums up what did not conform to the schema, one note
// per rule and place (every event's slug breaking the same pattern is one
// note with a count, not eighty).
func (cr *c3vocReader) reportConformance() {
	if len(cr.findings) == 0 {
		return
	}
	schema := "c3voc schedule schema (v1)"
	if cr.v2 {
		schema = "c3voc schedule schema v2"
	}
	type group struct {
		first conformanceFinding
		n     int
	}
	var order []string
	groups := map[string]*group{}
	for _, f := range cr.findings {
		k := schemaPointerPattern(f.path) + " " + f.rule
		g, ok := groups[k]
		if !ok {
			g = &group{first: f}
			groups[k] = g
			order = append(order, k)
		}
		g.n++
	}
	for _, k := range order {
		g := groups[k]
		where := schemaPointerText(g.first.path)
		msg := fmt.Sprintf("imported anyway; does not conform to the %s: %s %s", schema, where, g.first.rule)
		if g.first.value != "" {
			msg += " (" + g.first.value + ")"
		}
		if g.n > 1 {
			msg = fmt.Sprintf("imported anyway; does not conform to the %s: %s %s, and %d more like it at %s", schema, where, g.first.rule, g.n-1, schemaPatternText(schemaPointerPattern(g.first.path)))
			if g.first.value != "" {
				msg = fmt.Sprintf("imported anyway; does not conform to the %s: %s %s (%s), and %d more like it at %s", schema, where, g.first.rule, g.first.value, g.n-1, schemaPatternText(schemaPointerPattern(g.first.path)))
			}
		}
		cr.out.skips = append(cr.out.skips, catalog.Skip{Ref: cr.out.name + ": schema", Reason: msg, Warning: true})
	}
}

func c3vocFields(raw map[string]json.RawMessage) map[string]any {
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		var x any
		if c3vocDecode(v, &x) == nil {
			out[k] = x
		}
	}
	return out
}

// c3vocDecode decodes with numbers kept as json.Number, so that ids and
// integer checks see what the file says.
func c3vocDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// c3vocString reads a string or a number as text; anything else is "".
func c3vocString(v any) string {
	switch s := v.(type) {
	case string:
		return strings.TrimSpace(s)
	case json.Number:
		return s.String()
	}
	return ""
}

func c3vocTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	return t, err == nil
}

func c3vocList(v any) []any {
	l, _ := v.([]any)
	return l
}
