package formats

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FormatSessionize reads Sessionize API v2 exports.
const FormatSessionize = "sessionize"

// sessionizeSource is the source name of talks read from Sessionize.
const sessionizeSource = "sessionize"

// maxSessionizeBytes caps one export. The biggest real ones are a few
// megabytes; the whole export is held in memory because sessions name
// speakers, rooms and categories that the All export lists after them.
const maxSessionizeBytes = 256 << 20

// detectSessionize claims Sessionize's exports by the field names only it
// uses: isServiceSession in sessions, isTopSpeaker beside fullName in
// speakers. The key must be followed by a colon, so that a quoted mention in
// some other file's text does not count.
func detectSessionize(h *head) bool {
	return h.json && (hasJSONKey(h.bytes, "isServiceSession") || (hasJSONKey(h.bytes, "isTopSpeaker") && hasJSONKey(h.bytes, "fullName")))
}

// hasJSONKey reports whether b holds "key" as an object key.
func hasJSONKey(b []byte, key string) bool {
	needle := []byte(`"` + key + `"`)
	for {
		i := bytes.Index(b, needle)
		if i < 0 {
			return false
		}
		b = b[i+len(needle):]
		if rest := bytes.TrimLeft(b, " \t\r\n"); len(rest) > 0 && rest[0] == ':' {
			return true
		}
	}
}

// readSessionize reads the Sessionize API v2 exports that list sessions:
// "All" (one object: sessions, speakers, rooms, categories, questions),
// "Sessions" (a list of groups, each with its sessions) and "GridSmart" (a
// list of days, each with rooms and their sessions). The Speakers and
// SpeakerWall exports list people, not talks, and are refused on their own;
// a Speakers export beside a Sessions or GridSmart file completes it (see
// loadSpeakersBeside).
//
// How a session becomes a talk record:
//
//   - Sessionize exports do not name the conference: series and event come
//     from Options (--series, --event; the series defaults to what
//     editionNames makes of the event). Without them every session is
//     skipped saying so.
//   - title, abstract (description); start and duration from startsAt and
//     endsAt. Sessionize writes the event's local wall-clock time, without an
//     offset (or with a "Z" that means the same). The export does not say
//     where the event is: with Options.TimeZone (--tz) that wall-clock time
//     is read in the zone named, with the offset of its day (so a duration
//     across a DST change is right too); without it, talkdex keeps the
//     wall-clock time and marks it UTC. A time with a real offset keeps it.
//   - speakers: ids resolved to full names (All) or the names the session
//     embeds (Sessions, GridSmart). A speaker's affiliation comes from their
//     tagLine (see sessionizeAffiliation), which the All export carries and
//     a Sessions or GridSmart export does not: for those it is read from a
//     Speakers export beside the file, which also supplies the full name.
//     All and Sessions + Speakers of one event give the same records.
//   - room: the room's name; categories: an item of a category whose title
//     contains "Track" is the track, one of a "Language" category the
//     language, every other item (format, level, topics) a tag.
//   - recordingUrl is a video link.
//   - service sessions (isServiceSession: breaks, lunch) are skipped; plenum
//     sessions (keynotes) are talks. Sessions whose status says they are
//     not accepted are skipped.
//   - Source.Key is "sessionize:" + the session id.
func readSessionize(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	zone, err := optionZone(opts.TimeZone)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSessionizeBytes+1))
	if err != nil {
		return readError(out.name, err)
	}
	if len(data) > maxSessionizeBytes {
		return catalog.Errorf(catalog.EINVALID, "%s is larger than %d MiB, more than any Sessionize export", out.name, maxSessionizeBytes>>20)
	}
	data = trimBOM(data)
	s := &sessionizeReader{
		opts: opts, zone: zone, out: out, data: data,
		seen:     map[string]bool{},
		speakers: map[string]sessionizeProfile{},
		rooms:    map[string]string{},
		items:    map[string]sessionizeItem{},
		complete: map[string]bool{},
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	switch trimmed[0] {
	case '{':
		return s.readAll(ctx)
	case '[':
		return s.readList(ctx)
	}
	return catalog.Errorf(catalog.EINVALID, "%s is not a Sessionize export: it is not JSON (it starts with %q)", out.name, preview(data))
}

type sessionizeReader struct {
	opts Options
	zone *time.Location // Options.TimeZone; nil keeps wall-clock times as UTC
	out  *sink
	data []byte
	seen map[string]bool // session ids already emitted or skipped
	n    int             // sessions met so far, for records without an id

	// The All export's lookup tables, and which of them were read whole.
	// speakers is also filled from a Speakers export beside a Sessions
	// or GridSmart file.
	speakers map[string]sessionizeProfile // speaker id → name, affiliation
	rooms    map[string]string            // room id → name
	items    map[string]sessionizeItem    // category item id → item
	complete map[string]bool

	// Where the JSON broke, if it did: nothing after it can be read.
	brokenLine int
	broken     string
}

// sessionizeProfile is what a speaker list says about one speaker.
type sessionizeProfile struct {
	name, affiliation string
}

// sessionizeItem is one category item and the title of its category.
type sessionizeItem struct {
	category, name string
}

// sessionizeID is an id Sessionize writes as a string or a number.
type sessionizeID string

func (id *sessionizeID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = sessionizeID(strings.TrimSpace(s))
		return nil
	}
	if string(b) == "null" {
		*id = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*id = sessionizeID(n.String())
	return nil
}

// sessionizeSpeakerRef is a session's speaker: an id (All) or {id, name}.
type sessionizeSpeakerRef struct {
	ID   sessionizeID
	Name string
}

func (s *sessionizeSpeakerRef) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &s.ID)
	}
	var obj struct {
		ID   sessionizeID `json:"id"`
		Name string       `json:"name"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	s.ID, s.Name = obj.ID, obj.Name
	return nil
}

type sessionizeSession struct {
	ID               sessionizeID           `json:"id"`
	Title            string                 `json:"title"`
	Description      *string                `json:"description"`
	StartsAt         *string                `json:"startsAt"`
	EndsAt           *string                `json:"endsAt"`
	IsServiceSession bool                   `json:"isServiceSession"`
	Speakers         []sessionizeSpeakerRef `json:"speakers"`
	CategoryItems    []sessionizeID         `json:"categoryItems"` // All: item ids
	Categories       []struct {             // Sessions, GridSmart: the items themselves
		Name  string `json:"name"`
		Items []struct {
			Name string `json:"name"`
		} `json:"categoryItems"`
	} `json:"categories"`
	RoomID       sessionizeID `json:"roomId"`
	Room         *string      `json:"room"`
	RecordingURL *string      `json:"recordingUrl"`
	Status       *string      `json:"status"`
}

// readAll reads the All export. Sessions come first and name speakers,
// rooms and category items by id, so they are converted after the whole
// object is read.
func (s *sessionizeReader) readAll(ctx context.Context) error {
	dec := json.NewDecoder(bytes.NewReader(s.data))
	if _, err := dec.Token(); err != nil {
		return s.badJSON(dec, err)
	}
	var sessions []json.RawMessage
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if err != nil {
			s.markBroken(dec, err)
			break
		}
		key, _ := tok.(string)
		var each func(json.RawMessage)
		switch key {
		case "sessions":
			each = func(raw json.RawMessage) { sessions = append(sessions, raw) }
		case "speakers":
			each = s.addSpeaker
		case "rooms":
			each = s.addRoom
		case "categories":
			each = s.addCategory
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				s.markBroken(dec, err)
			}
		}
		if s.broken != "" {
			break
		}
		if each == nil {
			continue
		}
		isList, err := eachJSONElement(dec, each)
		if err != nil {
			s.markBroken(dec, err)
			break
		}
		if !isList {
			s.out.skip(location{label: key}, fmt.Sprintf("%q is not a list; its entries were not read", key))
			continue
		}
		s.complete[key] = true
	}
	for _, raw := range sessions {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.session(raw); err != nil {
			return err
		}
	}
	s.reportBroken()
	return nil
}

// readList reads the Sessions export (groups of sessions) or GridSmart
// (days of rooms of sessions); what the first element holds decides which.
func (s *sessionizeReader) readList(ctx context.Context) error {
	dec := json.NewDecoder(bytes.NewReader(s.data))
	if _, err := dec.Token(); err != nil {
		return s.badJSON(dec, err)
	}
	shape := ""
	for i := 1; dec.More(); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			s.markBroken(dec, err)
			break
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(raw, &keys) != nil {
			s.out.skip(location{index: i}, "not a Sessionize group or day: it is not a JSON object")
			continue
		}
		if shape == "" {
			shape = sessionizeShape(keys)
			switch shape {
			case "speakers":
				return catalog.Errorf(catalog.EINVALID, "%s: a Sessionize Speakers export lists people, not talks; put it beside the Sessions export (same name with Speakers) and import the Sessions file%s, or import the All export", s.out.name, sessionsNameHint(s.out.name))
			case "speakerwall":
				return catalog.Errorf(catalog.EINVALID, "%s is a Sessionize SpeakerWall export: it lists speakers only; import the All, Sessions or GridSmart export", s.out.name)
			case "":
				return catalog.Errorf(catalog.EINVALID, "%s is a list but not a Sessionize Sessions or GridSmart export: its first entry has neither sessions nor rooms", s.out.name)
			}
			if err := s.loadSpeakersBeside(ctx); err != nil {
				return err
			}
		}
		if err := s.listEntry(shape, i, raw); err != nil {
			return err
		}
	}
	s.reportBroken()
	return nil
}

func sessionizeShape(keys map[string]json.RawMessage) string {
	has := func(k string) bool { _, ok := keys[k]; return ok }
	switch {
	case has("rooms") && (has("timeSlots") || has("date")):
		return "gridsmart"
	case has("sessions") && (has("groupId") || has("groupName")):
		return "sessions"
	case has("fullName") && has("sessions"):
		return "speakers"
	case has("fullName") || has("isTopSpeaker"):
		return "speakerwall"
	case has("sessions"):
		return "sessions"
	}
	return ""
}

// listEntry reads one group (Sessions) or day (GridSmart).
func (s *sessionizeReader) listEntry(shape string, i int, raw json.RawMessage) error {
	var sessions []json.RawMessage
	switch shape {
	case "sessions":
		var group struct {
			Sessions []json.RawMessage `json:"sessions"`
		}
		if reason, ok := decodeRecord(raw, &group, "a Sessionize session group"); !ok {
			s.out.skip(location{label: fmt.Sprintf("group %d", i)}, reason)
			return nil
		}
		sessions = group.Sessions
	case "gridsmart":
		var day struct {
			Rooms []struct {
				Sessions []json.RawMessage `json:"sessions"`
			} `json:"rooms"`
		}
		if reason, ok := decodeRecord(raw, &day, "a Sessionize GridSmart day"); !ok {
			s.out.skip(location{label: fmt.Sprintf("day %d", i)}, reason)
			return nil
		}
		for _, room := range day.Rooms {
			sessions = append(sessions, room.Sessions...)
		}
	}
	for _, raw := range sessions {
		if err := s.session(raw); err != nil {
			return err
		}
	}
	return nil
}

// eachJSONElement hands each element of the array dec is at to fn. null is
// an empty list; any other non-list value is consumed and reported as such.
func eachJSONElement(dec *json.Decoder, fn func(json.RawMessage)) (isList bool, err error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	switch tok {
	case nil:
		return true, nil
	case json.Delim('['):
	case json.Delim('{'):
		return false, skipValue(dec, 1)
	default:
		return false, nil
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return true, err
		}
		fn(raw)
	}
	_, err = dec.Token()
	return true, err
}

// addSpeaker reads one speaker of the All or the Speakers export; both
// write the same fields.
func (s *sessionizeReader) addSpeaker(raw json.RawMessage) {
	var sp struct {
		ID        sessionizeID    `json:"id"`
		FullName  string          `json:"fullName"`
		FirstName string          `json:"firstName"`
		LastName  string          `json:"lastName"`
		TagLine   json.RawMessage `json:"tagLine"`
	}
	if json.Unmarshal(raw, &sp) != nil || sp.ID == "" {
		return // sessions naming this speaker are skipped as unresolved
	}
	// A tagLine that is not a string costs the affiliation, not the
	// speaker.
	var tagLine string
	_ = json.Unmarshal(sp.TagLine, &tagLine)
	s.speakers[string(sp.ID)] = sessionizeProfile{
		name:        firstNonBlank(sp.FullName, strings.TrimSpace(sp.FirstName+" "+sp.LastName)),
		affiliation: sessionizeAffiliation(tagLine),
	}
}

func (s *sessionizeReader) addRoom(raw json.RawMessage) {
	var room struct {
		ID   sessionizeID `json:"id"`
		Name string       `json:"name"`
	}
	if json.Unmarshal(raw, &room) == nil && room.ID != "" {
		s.rooms[string(room.ID)] = room.Name
	}
}

func (s *sessionizeReader) addCategory(raw json.RawMessage) {
	var cat struct {
		Title string `json:"title"`
		Items []struct {
			ID   sessionizeID `json:"id"`
			Name string       `json:"name"`
		} `json:"items"`
	}
	if json.Unmarshal(raw, &cat) != nil {
		return
	}
	for _, it := range cat.Items {
		if it.ID != "" {
			s.items[string(it.ID)] = sessionizeItem{category: cat.Title, name: it.Name}
		}
	}
}

// session decodes one session and emits it or records why not.
func (s *sessionizeReader) session(raw json.RawMessage) error {
	s.n++
	loc := location{label: fmt.Sprintf("session %d", s.n)}
	var sess sessionizeSession
	if reason, ok := decodeRecord(raw, &sess, "a Sessionize session"); !ok {
		s.out.skip(loc, reason)
		return nil
	}
	if sess.ID != "" {
		if s.seen[string(sess.ID)] {
			return nil // the same session listed under another group
		}
		s.seen[string(sess.ID)] = true
		loc.label = "session " + string(sess.ID)
	}
	t, reason := s.talk(&sess)
	if reason != "" {
		s.out.skip(loc, reason)
		return nil
	}
	return s.out.talk(loc, t)
}

// talk maps a session onto a talk record (see readSessionize).
func (s *sessionizeReader) talk(sess *sessionizeSession) (*catalog.Talk, string) {
	title := catalog.CleanText(sess.Title)
	if sess.IsServiceSession {
		return nil, fmt.Sprintf("%q is a service session (a break or the like), not a talk", title)
	}
	if sess.Status != nil {
		switch st := strings.ToLower(strings.TrimSpace(*sess.Status)); st {
		case "", "accepted", "accept_queue", "confirmed":
		default:
			return nil, fmt.Sprintf("%q has status %q, not accepted", title, *sess.Status)
		}
	}
	event, series := s.opts.Event, s.opts.Series
	switch {
	case event == "" && series != "":
		return nil, "Sessionize exports do not name the conference and only --series was given; pass --event too"
	case event == "":
		return nil, "Sessionize exports do not name the conference; pass --series and --event"
	case series == "":
		series, _ = editionNames(event, "", 0)
	}
	t := &catalog.Talk{
		Series: series,
		Event:  event,
		Title:  sess.Title,
		Source: catalog.Source{Name: sessionizeSource},
	}
	if sess.ID != "" {
		t.Source.Key = sessionizeSource + ":" + string(sess.ID)
	}
	if sess.Description != nil {
		t.Abstract = *sess.Description
	}
	if sess.StartsAt != nil && strings.TrimSpace(*sess.StartsAt) != "" {
		start, ok := sessionizeTime(*sess.StartsAt, s.zone)
		if !ok {
			return nil, fmt.Sprintf("startsAt %q is not a date and time", *sess.StartsAt)
		}
		t.Start = start
		if sess.EndsAt != nil && strings.TrimSpace(*sess.EndsAt) != "" {
			end, ok := sessionizeTime(*sess.EndsAt, s.zone)
			if !ok {
				return nil, fmt.Sprintf("endsAt %q is not a date and time", *sess.EndsAt)
			}
			if d := end.Sub(start); d > 0 && d <= 7*24*time.Hour {
				t.DurationMinutes = int((d + 30*time.Second) / time.Minute)
			}
		}
	} else {
		t.Year = yearFromTitle(event)
	}

	for _, ref := range sess.Speakers {
		sp := catalog.Speaker{Name: ref.Name}
		if p, ok := s.speakers[string(ref.ID)]; ok {
			// The speaker list's full name wins over the name a
			// Sessions export embeds, so All and Sessions + Speakers
			// agree.
			sp = catalog.Speaker{Name: firstNonBlank(p.name, ref.Name), Affiliation: p.affiliation}
		} else if ref.Name == "" {
			return nil, s.unresolved("speakers", "speaker", string(ref.ID))
		}
		t.Speakers = append(t.Speakers, sp)
	}
	t.Speakers = dedupeSpeakers(t.Speakers)

	switch {
	case sess.Room != nil:
		t.Room = *sess.Room
	case sess.RoomID != "":
		room, ok := s.rooms[string(sess.RoomID)]
		if !ok {
			return nil, s.unresolved("rooms", "room", string(sess.RoomID))
		}
		t.Room = room
	}

	for _, id := range sess.CategoryItems {
		item, ok := s.items[string(id)]
		if !ok {
			return nil, s.unresolved("categories", "category item", string(id))
		}
		sessionizeCategory(t, item.category, item.name)
	}
	for _, cat := range sess.Categories {
		for _, it := range cat.Items {
			sessionizeCategory(t, cat.Name, it.Name)
		}
	}

	if sess.RecordingURL != nil && strings.TrimSpace(*sess.RecordingURL) != "" {
		t.Links = append(t.Links, catalog.Link{Kind: catalog.LinkVideo, URL: *sess.RecordingURL})
	}
	return t, ""
}

// unresolved words the reason a session naming a missing id is skipped:
// the export lacks it, or it was cut off before the list holding it.
func (s *sessionizeReader) unresolved(table, what, id string) string {
	if !s.complete[table] && s.broken != "" {
		return fmt.Sprintf("%s %s cannot be looked up: the JSON breaks (%s) before the export's %s list was read whole", what, id, s.broken, table)
	}
	return fmt.Sprintf("%s %s is not in the export's %s list", what, id, table)
}

// sessionizeCategory files one category item under track, language or tags.
func sessionizeCategory(t *catalog.Talk, category, item string) {
	item = catalog.CleanText(item)
	if item == "" {
		return
	}
	c := strings.ToLower(category)
	switch {
	case strings.Contains(c, "track") && t.Track == "":
		t.Track = item
		return
	case strings.Contains(c, "language") || c == "sprache" || c == "idioma" || c == "langue" || c == "lingua":
		if code := languageFromName(item); code != "" && t.Language == "" {
			t.Language = code
			return
		}
	}
	for _, tag := range t.Tags {
		if tag == item {
			return
		}
	}
	t.Tags = append(t.Tags, item)
}

// sessionizeTime reads startsAt/endsAt. Without an offset, or with "Z",
// the time is the event's wall clock: read in zone when there is one, else
// kept and marked UTC (see readSessionize). A real offset is kept.
func sessionizeTime(s string, zone *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	wallClock := time.UTC
	if zone != nil {
		wallClock = zone
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, wallClock); err == nil {
			return t, true
		}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	if zone != nil && (strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z")) {
		// Sessionize's "Z" is the same wall clock, not UTC.
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), zone), true
	}
	return fixedOffset(t), true
}

// fixedOffset pins a parsed time to its offset alone: time.Parse hands back
// time.Local when the offset happens to match it, which would make records
// differ between machines. UTC stays UTC.
func fixedOffset(t time.Time) time.Time {
	_, offset := t.Zone()
	if offset == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", offset))
}

func (s *sessionizeReader) markBroken(dec *json.Decoder, err error) {
	if s.broken == "" {
		s.brokenLine = s.errorLine(dec, err)
		s.broken = fmt.Sprintf("line %d: %s", s.brokenLine, describeJSONError(err))
	}
}

func (s *sessionizeReader) reportBroken() {
	if s.broken != "" {
		_, why, _ := strings.Cut(s.broken, ": ")
		s.out.skip(location{line: s.brokenLine}, "bad JSON: "+why+"; the rest of the input was not read")
	}
}

// badJSON is the error for an input that is broken before its first value.
func (s *sessionizeReader) badJSON(dec *json.Decoder, err error) error {
	return catalog.Errorf(catalog.EINVALID, "%s is not valid JSON: line %d: %s", s.out.name, s.errorLine(dec, err), describeJSONError(err))
}

func (s *sessionizeReader) errorLine(dec *json.Decoder, err error) int {
	off := dec.InputOffset()
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		off = syntax.Offset
	}
	off = min(max(off, 0), int64(len(s.data)))
	return 1 + bytes.Count(s.data[:off], []byte("\n"))
}

// loadSpeakersBeside completes a Sessions or GridSmart export, whose
// sessions carry only their speakers' ids and names, from the Speakers
// export of the same event when it sits beside the input file: the input's
// name with Sessions or GridSmart replaced by Speakers
// (sessionize-demo-Sessions.json → sessionize-demo-Speakers.json), else
// speakers.json in the same directory. The first of them whose content is a
// Speakers export (a JSON list of objects with fullName and sessions) is
// used; a file there that is something else, or cannot be read, is left
// alone, as is the input read from stdin or a URL. Speakers are matched by
// id; a speaker the list lacks keeps the name the session embeds. A damaged
// tail of the list costs only the speakers in it.
func (s *sessionizeReader) loadSpeakersBeside(ctx context.Context) error {
	if s.opts.Dir == "" || s.opts.Name == "" {
		return nil
	}
	for _, name := range speakersExportNames(s.opts.Name) {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, ok := readSpeakersFile(filepath.Join(s.opts.Dir, name))
		if ok && s.addSpeakersExport(data) {
			return nil
		}
	}
	return nil
}

// speakersExportNames lists the names a Speakers export beside the input
// may have, most specific first.
func speakersExportNames(input string) []string {
	var names []string
	add := func(name string) {
		for _, n := range names {
			if n == name {
				return
			}
		}
		if name != input {
			names = append(names, name)
		}
	}
	for _, r := range [][2]string{
		{"Sessions", "Speakers"}, {"sessions", "speakers"}, {"SESSIONS", "SPEAKERS"},
		{"GridSmart", "Speakers"}, {"Gridsmart", "Speakers"}, {"gridsmart", "speakers"},
	} {
		// The last occurrence: the export's name is appended to the
		// event's, which may hold the word too.
		if i := strings.LastIndex(input, r[0]); i >= 0 {
			add(input[:i] + r[1] + input[i+len(r[0]):])
		}
	}
	add("speakers.json")
	return names
}

// readSpeakersFile reads a candidate Speakers export, gzipped or not; ok is
// false when there is no regular file there or it cannot be read whole.
func readSpeakersFile(path string) (data []byte, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, false
	}
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); isGzip(magic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, false
		}
		defer zr.Close()
		r = zr
	}
	data, err = io.ReadAll(io.LimitReader(r, maxSessionizeBytes+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) || len(data) > maxSessionizeBytes {
		return nil, false
	}
	return trimBOM(data), true
}

// addSpeakersExport adds the speakers of a Speakers export and reports
// whether data is one; anything else adds nothing.
func (s *sessionizeReader) addSpeakersExport(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return false
	}
	confirmed := false
	for dec.More() {
		var raw json.RawMessage
		if dec.Decode(&raw) != nil {
			break
		}
		if !confirmed {
			var keys map[string]json.RawMessage
			if json.Unmarshal(raw, &keys) != nil || sessionizeShape(keys) != "speakers" {
				return false
			}
			confirmed = true
		}
		s.addSpeaker(raw)
	}
	return confirmed
}

// sessionsNameHint names the Sessions export a Speakers export belongs
// beside, for the error that refuses the Speakers export on its own.
func sessionsNameHint(name string) string {
	for _, r := range [][2]string{{"Speakers", "Sessions"}, {"speakers", "sessions"}, {"SPEAKERS", "SESSIONS"}} {
		if i := strings.LastIndex(name, r[0]); i >= 0 {
			return fmt.Sprintf(" (here %s)", name[:i]+r[1]+name[i+len(r[0]):])
		}
	}
	return ""
}

// sessionizeAffiliation makes an affiliation of a speaker's tagLine, a free
// line that is often "Role at Company" but as often a role alone, a motto
// or a list of hats. The rule is conservative, because an empty affiliation
// costs less than a wrong one. A tagLine gives
//
//   - the organisation after " at ", " @ " or " bei ", when the words
//     before it hold a job title (engineer, CTO, founder, student, ...) and
//     no self-description (speaker, author, enthusiast, MVP, ...):
//     "CTO at Example GmbH" → "Example GmbH", "Tester @ Sessionize" →
//     "Sessionize", but "Speaker at DevConf" → "" (a conference one speaks
//     at is no affiliation);
//   - the other half of a tagLine of exactly two parts split by ", ",
//     " | ", " / " or " - ", when the first half is such a job title and the
//     second none: "CEO / Contoso" → "Contoso", "Developer, speaker and
//     author" → "", "ABC, DEF, GHI" → ""; or the first half when it has a
//     word only organisations have and the second is a job title:
//     "Example GmbH, CTO" → "Example GmbH";
//   - the whole tagLine when it has a word only organisations have (GmbH,
//     Inc, Ltd, AG, University, Institute, Foundation, Networks, Labs, ...)
//     and no job title or self-description: "Example Networks" →
//     "Example Networks";
//
// and nothing otherwise ("Professional public speaker", "Miss Venezuela",
// "Developer @Example": a handle is not a name). Whatever is taken must look
// like a name: at most six words and 60 characters, a capital letter or a
// digit, no further separator, "and", URL or handle, and no job title or
// self-description unless it also has a word only organisations have.
func sessionizeAffiliation(tagLine string) string {
	tag := catalog.CleanText(tagLine)
	if tag == "" {
		return ""
	}
	for _, sep := range []string{" at ", " At ", " AT ", " @ ", " bei "} {
		i := strings.Index(tag, sep)
		if i < 0 {
			continue
		}
		role, org := tag[:i], strings.TrimSpace(tag[i+len(sep):])
		if isJobTitle(role) && orgName(org) {
			return org
		}
		return ""
	}
	parts := strings.Split(replaceAll(tag, listSeparators(), "\x00"), "\x00")
	switch len(parts) {
	case 1:
		if w := classifyWords(tag); w.org && !w.job && !w.self && orgName(tag) {
			return tag
		}
	case 2:
		first, second := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		if isJobTitle(first) && orgName(second) {
			return second
		}
		if w := classifyWords(first); w.org && !w.job && !w.self && isJobTitle(second) && orgName(first) {
			return first
		}
	}
	return ""
}

func listSeparators() []string {
	return []string{", ", " | ", " / ", " - ", " – ", " — ", " · ", " • "}
}

func replaceAll(s string, olds []string, new string) string {
	for _, old := range olds {
		s = strings.ReplaceAll(s, old, new)
	}
	return s
}

// isJobTitle reports whether a short phrase names what someone does for
// an organisation, not how they see themselves.
func isJobTitle(s string) bool {
	w := classifyWords(s)
	return w.job && !w.self && len(strings.Fields(s)) <= 6
}

// orgName reports whether s can be an organisation's name (see
// sessionizeAffiliation).
func orgName(s string) bool {
	if s == "" || len([]rune(s)) > 60 || len(strings.Fields(s)) > 6 {
		return false
	}
	// "Example, Inc." is one name, not a list.
	if name, form, ok := strings.Cut(s, ", "); ok && !strings.Contains(form, ",") && isLegalForm(strings.Trim(form, ". ")) {
		s = name + " " + form
	}
	lower := " " + strings.ToLower(s) + " "
	for _, bad := range append(listSeparators(), " at ", " bei ", "@", "#", "http", "www.", " and ", " und ", " or ", ";", ":", "!", "?", "(", ")") {
		if strings.Contains(lower, bad) {
			return false
		}
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsDigit(r) }) {
		return false
	}
	w := classifyWords(s)
	return w.org || (!w.job && !w.self)
}

// tagLineWords is what kinds of word a phrase holds.
type tagLineWords struct {
	org  bool // a word only organisations have: GmbH, University, Labs
	job  bool // a job title: engineer, CTO, founder, student
	self bool // a self-description: speaker, author, enthusiast, MVP
}

func classifyWords(s string) tagLineWords {
	var w tagLineWords
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '&'
	})
	for _, word := range words {
		word = strings.Trim(word, ".&")
		lower := strings.ToLower(word)
		switch {
		case word == "":
		case isLegalForm(word) || isOrgNoun(lower):
			w.org = true
		case isSelfWord(lower):
			w.self = true
		case isJobWord(lower):
			w.job = true
		}
	}
	return w
}

// isLegalForm knows company forms, written as companies write them ("AG"
// but not "ag", so that an ordinary word in another language is not one).
func isLegalForm(word string) bool {
	switch strings.ReplaceAll(word, ".", "") {
	case "GmbH", "gmbh", "GMBH", "AG", "SE", "KG", "KGaA", "UG", "eV", "GbR", "OHG",
		"Inc", "INC", "Corp", "Ltd", "LTD", "LLC", "LLP", "PLC", "plc", "Pty",
		"BV", "NV", "AB", "ASA", "Oy", "Oyj", "SA", "SAS", "SARL", "Sarl", "SRL", "Srl", "SpA", "SL", "KK":
		return true
	}
	return false
}

func isOrgNoun(word string) bool {
	switch word {
	case "gmbh", "inc", "ltd", "llc", "corporation", "incorporated", "limited", "company",
		"university", "universität", "universitat", "universidad", "université", "universite", "università", "universiteit", "uniwersytet",
		"college", "institute", "institut", "instituto", "school", "academy", "akademie", "hochschule",
		"foundation", "stiftung", "association", "verein", "verband", "society", "gesellschaft", "consortium",
		"network", "networks", "labs", "lab", "laboratory", "laboratories", "systems", "technologies", "technology",
		"solutions", "consulting", "consultancy", "engineering", "software", "group", "gruppe", "agency", "services",
		"telecom", "telekom", "telecommunications", "communications", "hosting", "bank", "ministry", "council",
		"authority", "registry":
		return true
	}
	return false
}

func isSelfWord(word string) bool {
	switch word {
	case "mvp", "gde", "fan", "lover", "geek", "nerd", "guy", "girl", "gal", "dude", "hacker", "maker",
		"husband", "wife", "father", "mother", "dad", "mom", "mum", "parent", "gamer", "addict", "ninja",
		"rockstar", "wizard", "guru", "passionate", "passion", "loves", "love":
		return true
	}
	for _, stem := range []string{"speak", "author", "blog", "podcast", "youtub", "stream", "influenc", "enthusias",
		"organiz", "organis", "travel", "aficionad", "volunteer", "redner", "autor"} {
		if strings.HasPrefix(word, stem) {
			return true
		}
	}
	return false
}

func isJobWord(word string) bool {
	switch word {
	case "ceo", "cto", "cio", "cfo", "coo", "cso", "ciso", "cmo", "cpo", "cdo", "vp", "svp", "evp", "avp",
		"sre", "phd", "dev", "devs", "admin", "head", "heads", "lead", "leads", "leader", "owner", "staff",
		"chair", "chairman", "chairwoman", "chairperson", "intern", "member", "fellow", "partner",
		"cofounder", "officer", "chief", "principal", "expert", "coach", "mentor", "writer":
		return true
	}
	for _, stem := range []string{"engineer", "develop", "architect", "consult", "manag", "director", "programm",
		"design", "analyst", "scientist", "research", "professor", "lecturer", "postdoc", "administrat",
		"sysadmin", "netadmin", "operator", "evangelist", "advocate", "maintainer", "contributor", "devops",
		"trainer", "instructor", "teacher", "educator", "editor", "journalist", "strateg", "technologist",
		"coordinator", "executive", "associate", "advis", "freelanc", "employee", "specialist", "tester",
		"founder", "president", "student",
		"entwickl", "berater", "leiter", "geschäftsführ", "gründer", "architekt", "ingenieur", "inhaber",
		"vorstand", "referent", "dozent", "mitarbeiter", "doktorand", "informatiker"} {
		if strings.HasPrefix(word, stem) {
			return true
		}
	}
	return false
}
