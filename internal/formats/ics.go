package formats

import (
	"bufio"
	"bytes"
	"context"
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

// FormatICS reads iCalendar (RFC 5545) schedules.
const FormatICS = "ics"

// icsSource is the source name of talks read from iCalendar files.
const icsSource = "ics"

// detectICS claims input whose first line opens a calendar.
func detectICS(h *head) bool {
	const begin = "BEGIN:VCALENDAR"
	b := bytes.TrimLeft(trimBOM(h.bytes), " \t\r\n")
	return len(b) >= len(begin) && strings.EqualFold(string(b[:len(begin)]), begin)
}

// readICS reads an iCalendar file. No library is used for it on purpose: an
// import must keep every sound VEVENT and name the line of each broken one,
// and the candidates reject a whole calendar on its first bad line (arran4's
// golang-ical), panic on some malformed parameters and split unescaped
// commas out of TEXT values (emersion's go-ical), or drop events outside a
// window around today (gocal). None of them evaluates VTIMEZONE rules, which
// we need anyway. What is left is the content-line grammar, which is small.
//
// How a VEVENT becomes a talk record (the README's "Sources" has the table):
//
//   - title is SUMMARY, abstract DESCRIPTION (unless it is only a URL), room
//     LOCATION, tags CATEGORIES with the first one as track, language the
//     LANGUAGE parameter of SUMMARY or DESCRIPTION.
//   - speakers, where the file clearly names them: pretalx's "Title -
//     Name, Name" summaries; a trailing "(talk by Name and Name)"; ATTENDEE
//     common names; "Speaker: …" lines in DESCRIPTION; ORGANIZER common names
//     when the calendar's events do not all share one organizer.
//   - start is DTSTART in its time zone: TZID is looked up in Go's time zone
//     database first and in the file's VTIMEZONE rules second; UTC stays UTC;
//     a floating time is read in the calendar's X-WR-TIMEZONE when it names
//     a zone we know, else in Options.TimeZone (--tz), else kept as
//     wall-clock time marked UTC. An all-day event (a DATE)
//     starts at midnight UTC of its day and has no duration. Duration comes
//     from DTEND or DURATION.
//   - links: URL is the talk's page (and Source.URL); ATTACH URIs are video,
//     slides or a page by their host and file type.
//   - event and series come from X-WR-CALNAME (or NAME) without a trailing
//     "Schedule", "Programme" and the like, named as every schedule is (see
//     editionNames: "PyCon UK 2015" is series "PyCon UK"). Options.Series and
//     Options.Event fill in for a calendar without a name.
//   - Source.Key is "ics:" + UID. A UID repeated with the same title and
//     start (or as a newer SEQUENCE) is one talk: the newest copy is kept
//     and the other is skipped, naming both lines. A UID a generator reused
//     for different talks keys each of them by UID, start and title.
//   - Entries titled only "Lunch", "Break", "Registration / Breakfast" and the
//     like, without speakers, are breaks and are skipped; so are cancelled
//     events.
func readICS(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	floating, err := optionZone(opts.TimeZone)
	if err != nil {
		return err
	}
	cal, err := parseICS(ctx, r, out.name)
	if err != nil {
		return err
	}
	cal.floating = floating
	if !cal.sawCalendar && len(cal.events) == 0 {
		return catalog.Errorf(catalog.EINVALID, "%s is not an iCalendar file: it has no BEGIN:VCALENDAR", out.name)
	}
	entries := make([]*icsEntry, 0, len(cal.events))
	for _, ev := range cal.events {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries = append(entries, cal.entry(ev))
	}
	icsResolveDuplicates(entries)
	if cal.guessedUTC {
		out.warnFile("some times in the calendar have no time zone; they are kept as wall-clock times marked UTC; pass --tz to name the zone")
	}

	calSeries, calEvent := editionNames(icsEventName(cal.name), "", icsFirstYear(entries))
	event, series := firstNonBlank(opts.Event, calEvent), opts.Series
	switch {
	case series != "":
	case opts.Event != "":
		series, _ = editionNames(opts.Event, "", 0)
	default:
		series = calSeries
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		loc := location{line: e.ev.line}
		switch {
		case e.skip != "":
			out.skip(loc, e.skip)
			continue
		case event == "" && opts.Series != "":
			out.skip(loc, "the calendar names no conference (no X-WR-CALNAME) and only --series was given; pass --event too")
			continue
		case event == "":
			out.skip(loc, "the calendar names no conference (no X-WR-CALNAME); pass --series and --event")
			continue
		}
		t := e.talk
		t.Series, t.Event = series, event
		t.Source.Key = icsCalendarKey(t.Source.Key, e.uid, event)
		if t.Start.IsZero() {
			t.Year = yearFromTitle(event)
		}
		if err := out.talk(loc, t); err != nil {
			return err
		}
	}
	return nil
}

// icsFirstYear is the year the calendar's first talk starts in, for naming
// an edition whose calendar name has no year (see editionNames).
func icsFirstYear(entries []*icsEntry) int {
	var first time.Time
	for _, e := range entries {
		if e.talk != nil && !e.talk.Start.IsZero() && (first.IsZero() || e.talk.Start.Before(first)) {
			first = e.talk.Start
		}
	}
	if first.IsZero() {
		return 0
	}
	return first.Year()
}

// icsEventName turns a calendar's name into an event name: "PyCon UK 2015
// Schedule" names the event "PyCon UK 2015".
func icsEventName(calName string) string {
	name := catalog.CleanText(calName)
	for {
		i := strings.LastIndexByte(name, ' ')
		if i < 0 {
			break
		}
		if icsScheduleWord(name[i+1:]) {
			name = strings.TrimRight(name[:i], " -–—:|/")
			continue
		}
		break
	}
	if icsScheduleWord(name) {
		return ""
	}
	return name
}

func icsScheduleWord(w string) bool {
	switch strings.ToLower(strings.Trim(w, ".:()[]")) {
	case "schedule", "programme", "program", "agenda", "calendar", "timetable", "talks", "sessions", "fahrplan", "ics", "ical":
		return true
	}
	return false
}

// icsProp is one content line: NAME;PARAM=value:value.
type icsProp struct {
	name   string              // upper case
	params map[string][]string // names upper case, values unquoted
	value  string              // as written; TEXT values are still escaped
	line   int                 // where the content line starts
}

func (p icsProp) param(name string) string {
	if v := p.params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// text is the value read as TEXT (RFC 5545 3.3.11).
func (p icsProp) text() string { return icsUnescape(p.value) }

// parseICSLine splits an unfolded content line into its parts.
func parseICSLine(s string, line int) (icsProp, error) {
	p := icsProp{line: line}
	i := 0
	for i < len(s) && isICSNameByte(s[i]) {
		i++
	}
	if i == 0 {
		return p, fmt.Errorf("%q is not an iCalendar content line (NAME:value)", icsPreview(s))
	}
	p.name = strings.ToUpper(s[:i])
	if i < len(s) && s[i] != ';' && s[i] != ':' {
		return p, fmt.Errorf("%q is not an iCalendar content line (NAME:value)", icsPreview(s))
	}
	for i < len(s) && s[i] == ';' {
		i++
		start := i
		for i < len(s) && isICSNameByte(s[i]) {
			i++
		}
		pname := strings.ToUpper(s[start:i])
		if pname == "" || i >= len(s) || s[i] != '=' {
			return p, fmt.Errorf("%s has a malformed parameter: %q", p.name, icsPreview(s))
		}
		i++
		for {
			var v string
			if i < len(s) && s[i] == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return p, fmt.Errorf("%s has an unterminated quoted parameter value: %q", p.name, icsPreview(s))
				}
				v = s[i+1 : i+1+end]
				i += end + 2
			} else {
				start := i
				for i < len(s) && s[i] != ';' && s[i] != ':' && s[i] != ',' {
					i++
				}
				v = s[start:i]
			}
			if p.params == nil {
				p.params = map[string][]string{}
			}
			p.params[pname] = append(p.params[pname], icsParamValue(v))
			if i < len(s) && s[i] == ',' {
				i++
				continue
			}
			break
		}
	}
	if i >= len(s) || s[i] != ':' {
		return p, fmt.Errorf("%s has no ':' before its value: %q", p.name, icsPreview(s))
	}
	p.value = s[i+1:]
	return p, nil
}

func isICSNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// icsParamValue decodes RFC 6868 caret escapes in a parameter value.
func icsParamValue(v string) string {
	if !strings.Contains(v, "^") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '^' && i+1 < len(v) {
			switch v[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\'':
				b.WriteByte('"')
				i++
				continue
			case '^':
				b.WriteByte('^')
				i++
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// icsUnescape reads a TEXT value. Besides the escapes RFC 5545 defines it
// accepts any other escaped character as itself ("\:" is a common slip).
func icsUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		if s[i] == 'n' || s[i] == 'N' {
			b.WriteByte('\n')
		} else {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// icsSplitList splits a multi-valued TEXT property (CATEGORIES) at its
// unescaped commas.
func icsSplitList(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ',':
			parts = append(parts, icsUnescape(s[start:i]))
			start = i + 1
		}
	}
	return append(parts, icsUnescape(s[start:]))
}

func icsPreview(s string) string {
	const most = 60
	if len(s) <= most {
		return s
	}
	cut := most
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// icsCalendar is what a pass over the file collects.
type icsCalendar struct {
	name        string         // X-WR-CALNAME or NAME
	zoneHint    string         // X-WR-TIMEZONE: the zone of floating times
	floating    *time.Location // Options.TimeZone: their zone when zoneHint is none we know
	guessedUTC  bool           // a floating time had no zone and was kept as UTC
	prodID      string
	zones       map[string]*icsZone // VTIMEZONE by TZID
	events      []*icsEvent
	sawCalendar bool

	resolved   map[string]icsTZ // TZID → zone, memoised
	organizers int              // distinct ORGANIZER common names
}

// icsEvent is one VEVENT's properties. A broken event keeps the line and
// reason of its first defect and is skipped as a whole.
type icsEvent struct {
	line       int
	props      []icsProp
	brokenLine int
	brokenWhy  string
}

func (e *icsEvent) all(name string) []icsProp {
	var out []icsProp
	for _, p := range e.props {
		if p.name == name {
			out = append(out, p)
		}
	}
	return out
}

func (e *icsEvent) breakAt(line int, why string) {
	if e.brokenWhy == "" {
		e.brokenLine, e.brokenWhy = line, why
	}
}

// icsParser turns content lines into an icsCalendar, tolerating what real
// files get wrong: damage is charged to the VEVENT it occurs in, and damage
// outside any VEVENT costs nothing.
type icsParser struct {
	cal   *icsCalendar
	stack []string // open components, outermost first
	event *icsEvent
	zone  *icsZone
	obs   []icsProp // properties of the open STANDARD/DAYLIGHT
}

func parseICS(ctx context.Context, r *bufio.Reader, name string) (*icsCalendar, error) {
	p := &icsParser{cal: &icsCalendar{zones: map[string]*icsZone{}, resolved: map[string]icsTZ{}}}
	var (
		buf         []byte
		pending     strings.Builder
		pendingLine int
	)
	flush := func() {
		if pendingLine > 0 {
			p.contentLine(pending.String(), pendingLine)
			pending.Reset()
			pendingLine = 0
		}
	}
	lineNo, lastLine := 0, 0
	for {
		lineNo++
		if lineNo%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		raw, tooLong, err := readLine(r, &buf)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, readError(name, err)
		}
		if lineNo == 1 {
			raw = trimBOM(raw)
		}
		switch {
		case tooLong:
			flush()
			p.damage(lineNo, fmt.Sprintf("the line is longer than %d MiB", maxRecordBytes>>20))
		case len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t'):
			// A folded line continues the content line before it.
			if pendingLine > 0 {
				pending.Write(raw[1:])
			} else if len(bytes.TrimSpace(raw)) > 0 {
				p.damage(lineNo, fmt.Sprintf("%q starts with white space but continues no property", icsPreview(string(bytes.TrimSpace(raw)))))
			}
		default:
			flush()
			if len(bytes.TrimSpace(raw)) > 0 {
				pending.Write(raw)
				pendingLine = lineNo
			}
		}
		if len(raw) > 0 || tooLong {
			lastLine = lineNo
		}
		if err != nil {
			break
		}
	}
	flush()
	p.finish(lastLine)
	return p.cal, nil
}

func (p *icsParser) top() string {
	if len(p.stack) == 0 {
		return ""
	}
	return p.stack[len(p.stack)-1]
}

// damage charges a defect to the open VEVENT; elsewhere it is ignored, since
// only events become talks (a bad VTIMEZONE shows up when an event needs it).
func (p *icsParser) damage(line int, why string) {
	if p.event != nil {
		p.event.breakAt(line, why)
	}
}

func (p *icsParser) contentLine(s string, line int) {
	prop, err := parseICSLine(s, line)
	if err != nil {
		p.damage(line, err.Error())
		return
	}
	switch prop.name {
	case "BEGIN":
		p.begin(strings.ToUpper(strings.TrimSpace(prop.value)), line)
	case "END":
		p.end(strings.ToUpper(strings.TrimSpace(prop.value)), line)
	default:
		p.property(prop)
	}
}

func (p *icsParser) begin(comp string, line int) {
	switch comp {
	case "VCALENDAR":
		// A second calendar in one stream (concatenated files) starts
		// afresh; whatever was left open is closed first.
		p.closeAll(fmt.Sprintf("BEGIN:VCALENDAR at line %d", line))
		p.cal.sawCalendar = true
		p.stack = append(p.stack[:0], comp)
		return
	case "VEVENT":
		if p.event != nil {
			p.closeAll(fmt.Sprintf("the next BEGIN:VEVENT at line %d", line))
			p.stack = append(p.stack[:0], "VCALENDAR")
		}
		p.event = &icsEvent{line: line}
	case "VTIMEZONE":
		if p.event == nil {
			p.zone = &icsZone{}
		}
	case "STANDARD", "DAYLIGHT":
		if p.zone != nil && p.top() == "VTIMEZONE" {
			p.obs = []icsProp{}
		}
	}
	p.stack = append(p.stack, comp)
}

func (p *icsParser) end(comp string, line int) {
	idx := -1
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i] == comp {
			idx = i
			break
		}
	}
	if idx < 0 {
		p.damage(line, fmt.Sprintf("END:%s has no BEGIN:%s", comp, comp))
		return
	}
	for len(p.stack) > idx {
		open := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.close(open, comp, fmt.Sprintf("END:%s at line %d", comp, line))
	}
}

// close ends component open because of closer; a VEVENT ended by anything
// but its own END is broken, since we cannot know where it really ended.
func (p *icsParser) close(open, closer, where string) {
	switch open {
	case "VEVENT":
		if p.event == nil {
			return
		}
		if closer != "VEVENT" {
			p.event.breakAt(p.event.line, "it has no END:VEVENT before "+where)
		}
		p.cal.events = append(p.cal.events, p.event)
		p.event = nil
	case "VTIMEZONE":
		if p.zone != nil && p.zone.tzid != "" {
			p.cal.zones[p.zone.tzid] = p.zone
		}
		p.zone = nil
	case "STANDARD", "DAYLIGHT":
		if p.zone != nil && p.obs != nil {
			if o, ok := icsParseObservance(p.obs); ok {
				p.zone.obs = append(p.zone.obs, o)
			}
		}
		p.obs = nil
	}
}

func (p *icsParser) closeAll(where string) {
	for len(p.stack) > 0 {
		open := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.close(open, "", where)
	}
}

func (p *icsParser) finish(lastLine int) {
	p.closeAll(fmt.Sprintf("the input ends at line %d", lastLine))
	names := map[string]bool{}
	for _, ev := range p.cal.events {
		for _, o := range ev.all("ORGANIZER") {
			if cn := catalog.CleanText(o.param("CN")); cn != "" {
				names[strings.ToLower(cn)] = true
			}
		}
	}
	p.cal.organizers = len(names)
}

func (p *icsParser) property(prop icsProp) {
	switch top := p.top(); {
	case p.event != nil:
		if top == "VEVENT" {
			p.event.props = append(p.event.props, prop)
		}
	case p.obs != nil && (top == "STANDARD" || top == "DAYLIGHT"):
		p.obs = append(p.obs, prop)
	case p.zone != nil && top == "VTIMEZONE":
		if prop.name == "TZID" {
			p.zone.tzid = strings.TrimSpace(prop.value)
		}
	case top == "VCALENDAR":
		switch prop.name {
		case "X-WR-CALNAME", "NAME":
			if p.cal.name == "" {
				p.cal.name = catalog.CleanText(prop.text())
			}
		case "X-WR-TIMEZONE":
			p.cal.zoneHint = strings.TrimSpace(prop.value)
		case "VTIMEZONE":
			// "VTIMEZONE:Europe/Rome" is not iCalendar, but its author
			// meant the calendar's zone: read it as X-WR-TIMEZONE.
			if p.cal.zoneHint == "" {
				p.cal.zoneHint = strings.TrimSpace(prop.value)
			}
		case "PRODID":
			p.cal.prodID = strings.TrimSpace(prop.value)
		}
	}
}

// icsEntry is a VEVENT on its way to becoming a talk or a skip.
type icsEntry struct {
	ev         *icsEvent
	talk       *catalog.Talk
	skip       string
	uid        string
	recurrence string
	sequence   int
	stamp      time.Time
}

// entry maps one VEVENT onto a talk record (see readICS), or says why not.
func (c *icsCalendar) entry(ev *icsEvent) *icsEntry {
	e := &icsEntry{ev: ev}
	if ev.brokenWhy != "" {
		if ev.brokenLine == ev.line {
			e.skip = "broken VEVENT: " + ev.brokenWhy
		} else {
			e.skip = fmt.Sprintf("broken VEVENT: line %d: %s", ev.brokenLine, ev.brokenWhy)
		}
		return e
	}
	single := map[string]icsProp{}
	for _, name := range []string{"SUMMARY", "DESCRIPTION", "LOCATION", "URL", "UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE", "STATUS", "DTSTAMP"} {
		props := ev.all(name)
		if len(props) == 0 {
			continue
		}
		for _, q := range props[1:] {
			if q.value != props[0].value || !sameParams(q.params, props[0].params) {
				e.skip = fmt.Sprintf("broken VEVENT: it has %s twice with different values (lines %d and %d)", name, props[0].line, q.line)
				return e
			}
		}
		single[name] = props[0]
	}
	if st, ok := single["STATUS"]; ok && strings.EqualFold(strings.TrimSpace(st.value), "CANCELLED") {
		e.skip = fmt.Sprintf("%q is cancelled (STATUS:CANCELLED)", catalog.CleanText(single["SUMMARY"].text()))
		return e
	}

	t := &catalog.Talk{Source: catalog.Source{Name: icsSource}}
	summary := single["SUMMARY"]
	t.Title = summary.text()
	t.Room = single["LOCATION"].text()
	t.Language = icsLanguage(summary.param("LANGUAGE"), single["DESCRIPTION"].param("LANGUAGE"))

	start, allDay, err := c.time(single["DTSTART"])
	if err != nil {
		e.skip = "broken VEVENT: " + err.Error()
		return e
	}
	t.Start = start
	if !start.IsZero() && !allDay {
		minutes, err := c.durationMinutes(start, single["DTEND"], single["DURATION"])
		if err != nil {
			e.skip = "broken VEVENT: " + err.Error()
			return e
		}
		t.DurationMinutes = minutes
	}

	abstract := single["DESCRIPTION"].text()
	var links []catalog.Link
	page := strings.TrimSpace(single["URL"].value)
	if d := strings.TrimSpace(abstract); isWebURL(d) && !strings.ContainsAny(d, " \t\n") {
		// Some generators put only the talk's URL in DESCRIPTION.
		abstract = ""
		if page == "" {
			page = d
		}
	}
	if page != "" {
		links = append(links, catalog.Link{Kind: catalog.LinkPage, URL: page})
		if isWebURL(page) {
			t.Source.URL = page
		}
	}
	for _, a := range ev.all("ATTACH") {
		if strings.EqualFold(a.param("VALUE"), "BINARY") || a.param("ENCODING") != "" {
			continue
		}
		u := strings.TrimSpace(a.value)
		links = append(links, catalog.Link{Kind: mediaLinkKind(u, a.param("FMTTYPE")+" "+a.param("FILENAME")+" "+a.param("X-LABEL")), URL: u})
	}
	t.Links = links

	for _, cat := range ev.all("CATEGORIES") {
		for _, tag := range icsSplitList(cat.value) {
			if tag = catalog.CleanText(tag); tag != "" && !slices.Contains(t.Tags, tag) {
				t.Tags = append(t.Tags, tag)
			}
		}
	}
	if len(t.Tags) > 0 {
		t.Track = t.Tags[0]
	}

	var speakers []catalog.Speaker
	if c.isPretalx(single["UID"].value) {
		t.Title, speakers = icsPretalxSummary(t.Title)
	} else if title, named, ok := icsBySuffix(t.Title); ok {
		t.Title, speakers = title, named
	}
	abstract, fromText := icsSpeakerLines(abstract)
	speakers = append(speakers, fromText...)
	for _, a := range ev.all("ATTENDEE") {
		role, kind := strings.ToUpper(a.param("ROLE")), strings.ToUpper(a.param("CUTYPE"))
		if role == "NON-PARTICIPANT" || (kind != "" && kind != "INDIVIDUAL") {
			continue
		}
		speakers = append(speakers, catalog.Speaker{Name: a.param("CN")})
	}
	if c.organizers > 1 {
		// One organizer for every event is the calendar's owner; when
		// they differ, each names the person giving the talk.
		for _, o := range ev.all("ORGANIZER") {
			speakers = append(speakers, catalog.Speaker{Name: o.param("CN")})
		}
	}
	t.Speakers = dedupeSpeakers(speakers)
	t.Abstract = abstract

	if len(t.Speakers) == 0 && icsIsBreak(t.Title) {
		e.skip = fmt.Sprintf("%q is a break, not a talk", catalog.CleanText(t.Title))
		return e
	}

	e.talk = t
	e.uid = strings.TrimSpace(single["UID"].value)
	if rid, ok := single["RECURRENCE-ID"]; ok {
		e.recurrence = strings.TrimSpace(rid.value)
	}
	e.sequence, _ = strconv.Atoi(strings.TrimSpace(single["SEQUENCE"].value))
	if stamp, ok := single["DTSTAMP"]; ok {
		e.stamp, _, _ = c.time(stamp)
	}
	return e
}

func sameParams(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func (c *icsCalendar) isPretalx(uid string) bool {
	return strings.HasPrefix(strings.TrimSpace(uid), "pretalx-") || strings.Contains(strings.ToLower(c.prodID), "//pretalx//")
}

// icsPretalxSummary splits pretalx's "Title - Name, Name" summaries (pretalx
// writes the dash even when a talk has no speakers).
func icsPretalxSummary(s string) (string, []catalog.Speaker) {
	trimmed := strings.TrimRight(s, " ")
	if strings.HasSuffix(trimmed, " -") {
		return strings.TrimSuffix(trimmed, " -"), nil
	}
	i := strings.LastIndex(s, " - ")
	if i < 0 {
		return s, nil
	}
	var speakers []catalog.Speaker
	for _, name := range strings.Split(s[i+3:], ", ") {
		speakers = append(speakers, catalog.Speaker{Name: name})
	}
	return s[:i], speakers
}

// icsBySuffix reads a trailing "(talk by Jane Doe and John Roe)" from a
// title, as PyCon UK's generator writes it. The suffix goes from the title
// even when the names in it do not look like names.
func icsBySuffix(title string) (string, []catalog.Speaker, bool) {
	t := strings.TrimSpace(title)
	if !strings.HasSuffix(t, ")") {
		return title, nil, false
	}
	open := strings.LastIndex(t, " (")
	if open < 0 {
		return title, nil, false
	}
	kind, names, ok := strings.Cut(t[open+2:len(t)-1], " by ")
	if !ok {
		return title, nil, false
	}
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "talk", "workshop", "panel", "demo", "keynote", "tutorial", "presentation", "lightning talk", "session", "sprint", "poster":
	default:
		return title, nil, false
	}
	return strings.TrimSpace(t[:open]), splitSpeakerNames(names, true), true
}

// splitSpeakerNames splits "A, B and C" or "A & B" into speakers. With
// affiliations set, a single "Name, Organisation" is one speaker and their
// affiliation. A part that does not look like a name (a colon, too many
// words) discards the whole list: better no speakers than wrong ones.
func splitSpeakerNames(s string, affiliations bool) []catalog.Speaker {
	s = catalog.CleanText(s)
	var parts []string
	for _, p := range strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, " & ", " and "), "; ", " and "), " and ") {
		parts = append(parts, p)
	}
	if affiliations && len(parts) == 1 && strings.Count(parts[0], ", ") == 1 {
		name, org, _ := strings.Cut(parts[0], ", ")
		if !looksLikeName(name) {
			return nil
		}
		return []catalog.Speaker{{Name: name, Affiliation: org}}
	}
	var speakers []catalog.Speaker
	for _, p := range parts {
		for _, name := range strings.Split(p, ", ") {
			name = strings.Trim(name, " ,")
			if name == "" {
				continue
			}
			if !looksLikeName(name) {
				return nil
			}
			speakers = append(speakers, catalog.Speaker{Name: name})
		}
	}
	return speakers
}

func looksLikeName(s string) bool {
	n := len(strings.Fields(s))
	return n > 0 && n <= 6 && !strings.ContainsAny(s, ":()[]{}<>|@/")
}

// icsSpeakerLines takes "Speaker: Jane Doe" (or "Speakers:", "Presenter:")
// lines out of a description and returns the rest and the speakers.
func icsSpeakerLines(abstract string) (string, []catalog.Speaker) {
	if !strings.Contains(strings.ToLower(abstract), ":") {
		return abstract, nil
	}
	var kept []string
	var speakers []catalog.Speaker
	for _, line := range strings.Split(abstract, "\n") {
		label, names, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok {
			switch strings.ToLower(strings.TrimSpace(label)) {
			case "speaker", "speakers", "presenter", "presenters", "presented by", "referent", "referenten", "referentin":
				if found := splitSpeakerNames(names, false); len(found) > 0 {
					speakers = append(speakers, found...)
					continue
				}
			}
		}
		kept = append(kept, line)
	}
	return strings.Join(kept, "\n"), speakers
}

func dedupeSpeakers(speakers []catalog.Speaker) []catalog.Speaker {
	out := make([]catalog.Speaker, 0, len(speakers))
	seen := map[string]bool{}
	for _, s := range speakers {
		s.Name, s.Affiliation = catalog.CleanText(s.Name), catalog.CleanText(s.Affiliation)
		key := strings.ToLower(s.Name)
		if s.Name == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, s)
	}
	return out
}

// icsIsBreak recognises schedule entries that are plainly not talks: their
// title is made only of words like lunch, break and registration. Anything
// with one more word ("Lunchtime Event", "Education Track Lunch") stays.
func icsIsBreak(title string) bool {
	words := strings.Fields(catalog.NormalizeTitle(title))
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		switch w {
		case "registration", "breakfast", "lunch", "break", "coffee", "tea", "dinner", "snack", "snacks", "and",
			"pause", "kaffeepause", "mittagspause", "pranzo", "coffeebreak":
		default:
			return false
		}
	}
	return true
}

func icsLanguage(params ...string) string {
	for _, p := range params {
		if code := languageFromName(p); code != "" {
			return code
		}
	}
	return ""
}

// icsResolveDuplicates decides what a repeated UID means. RFC 5545 makes a
// UID (with RECURRENCE-ID) name one event, so copies with the same title and
// start, or with different SEQUENCE numbers under at most two titles, are
// one talk: the newest copy
// (highest SEQUENCE, then latest DTSTAMP, then last in the file) is kept and
// the others are skipped. Generators also reuse one UID for unrelated talks
// (a category id, say); keeping only one of those would lose real talks, so
// each gets a key made of the UID, its start and its title instead.
func icsResolveDuplicates(entries []*icsEntry) {
	groups := map[string][]*icsEntry{}
	var order []string
	for _, e := range entries {
		if e.skip != "" || e.uid == "" {
			continue
		}
		id := e.uid
		if e.recurrence != "" {
			id += "/" + e.recurrence
		}
		if _, seen := groups[id]; !seen {
			order = append(order, id)
		}
		groups[id] = append(groups[id], e)
	}
	for _, id := range order {
		group := groups[id]
		if len(group) == 1 {
			group[0].talk.Source.Key = icsSource + ":" + id
			continue
		}
		// Different SEQUENCE numbers mark revisions of one talk, which may
		// rename it once; copies under three or more titles are a reused
		// UID, and one edited copy among them must not swallow the rest.
		revisions := false
		titles := map[string]bool{}
		for _, e := range group {
			titles[editionSlug(e.talk.Title)] = true
			if e.sequence != group[0].sequence {
				revisions = true
			}
		}
		if revisions && len(titles) <= 2 {
			icsKeepNewest(group, "another SEQUENCE").talk.Source.Key = icsSource + ":" + id
			continue
		}
		clusters := map[string][]*icsEntry{}
		var clusterOrder []string
		for _, e := range group {
			k := icsStartStamp(e.talk.Start) + "/" + editionSlug(e.talk.Title)
			if _, seen := clusters[k]; !seen {
				clusterOrder = append(clusterOrder, k)
			}
			clusters[k] = append(clusters[k], e)
		}
		for _, k := range clusterOrder {
			cluster := clusters[k]
			kept := icsKeepNewest(cluster, "same title and start")
			if len(clusters) == 1 {
				kept.talk.Source.Key = icsSource + ":" + id
			} else {
				kept.talk.Source.Key = icsSource + ":" + id + "/" + k
			}
		}
	}
}

// icsKeepNewest keeps the newest of several copies of one talk, skips the
// others naming the kept one's line, and returns the kept one.
func icsKeepNewest(copies []*icsEntry, same string) *icsEntry {
	kept := copies[0]
	for _, e := range copies[1:] {
		if e.sequence > kept.sequence || (e.sequence == kept.sequence && !e.stamp.Before(kept.stamp)) {
			kept = e
		}
	}
	for _, e := range copies {
		if e != kept {
			e.skip = fmt.Sprintf("duplicate of the VEVENT at line %d (same UID %q, %s), which is kept", kept.ev.line, e.uid, same)
			e.talk = nil
		}
	}
	return kept
}

func icsStartStamp(t time.Time) string {
	if t.IsZero() {
		return "unscheduled"
	}
	return t.UTC().Format("20060102T150405Z")
}

// time reads a DTSTART-like property. A missing property gives the zero time.
func (c *icsCalendar) time(p icsProp) (t time.Time, allDay bool, err error) {
	if p.name == "" {
		return time.Time{}, false, nil
	}
	v, ok := icsDateTimeValue(p.value)
	if !ok {
		return time.Time{}, false, fmt.Errorf("line %d: %s %q is not an iCalendar date or date-time", p.line, p.name, icsPreview(strings.TrimSpace(p.value)))
	}
	if v.dateOnly {
		return time.Date(v.year, v.month, v.day, 0, 0, 0, 0, time.UTC), true, nil
	}
	if v.utc {
		return v.in(time.UTC), false, nil
	}
	if tzid := strings.TrimSpace(p.param("TZID")); tzid != "" {
		tz, ok := c.zone(tzid)
		if !ok {
			return time.Time{}, false, fmt.Errorf("line %d: %s names time zone %q, which is neither in the time zone database nor defined by a VTIMEZONE in the file", p.line, p.name, tzid)
		}
		return tz.at(v), false, nil
	}
	if c.zoneHint != "" {
		if tz, ok := c.zone(c.zoneHint); ok {
			return tz.at(v), false, nil
		}
	}
	if c.floating != nil {
		return v.in(c.floating), false, nil
	}
	c.guessedUTC = true
	return v.in(time.UTC), false, nil
}

// durationMinutes reads DTEND or DURATION; a missing or backwards end gives
// no duration.
func (c *icsCalendar) durationMinutes(start time.Time, end, dur icsProp) (int, error) {
	var d time.Duration
	switch {
	case end.name != "":
		e, _, err := c.time(end)
		if err != nil {
			return 0, err
		}
		d = e.Sub(start)
	case dur.name != "":
		var ok bool
		if d, ok = parseISO8601Duration(strings.TrimSpace(dur.value)); !ok {
			return 0, fmt.Errorf("line %d: DURATION %q is not an iCalendar duration (like PT45M)", dur.line, icsPreview(strings.TrimSpace(dur.value)))
		}
	}
	if d <= 0 || d > 7*24*time.Hour {
		return 0, nil
	}
	return int((d + 30*time.Second) / time.Minute), nil
}

// icsDateTime is a parsed DATE or DATE-TIME value, before any zone.
type icsDateTime struct {
	year                int
	month               time.Month
	day, hour, min, sec int
	dateOnly, utc       bool
}

func (v icsDateTime) in(loc *time.Location) time.Time {
	return time.Date(v.year, v.month, v.day, v.hour, v.min, v.sec, 0, loc)
}

// icsDateTimeValue parses 20240915, 20240915T130000 and 20240915T130000Z,
// and the same written ISO-style with dashes and colons.
func icsDateTimeValue(s string) (icsDateTime, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 8 && strings.ContainsAny(s, "-:") {
		s = strings.NewReplacer("-", "", ":", "").Replace(s)
	}
	var v icsDateTime
	if len(s) < 8 || !allDigits(s[:8]) {
		return v, false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[4:6])
	d, _ := strconv.Atoi(s[6:8])
	v.year, v.month, v.day = y, time.Month(m), d
	rest := s[8:]
	switch {
	case rest == "":
		v.dateOnly = true
	case len(rest) >= 5 && rest[0] == 'T':
		clock := rest[1:]
		if strings.HasSuffix(clock, "Z") {
			v.utc = true
			clock = clock[:len(clock)-1]
		}
		if len(clock) == 4 {
			clock += "00"
		}
		if len(clock) != 6 || !allDigits(clock) {
			return v, false
		}
		v.hour, _ = strconv.Atoi(clock[:2])
		v.min, _ = strconv.Atoi(clock[2:4])
		v.sec, _ = strconv.Atoi(clock[4:6])
	default:
		return v, false
	}
	if v.month < 1 || v.month > 12 || v.day < 1 || v.day > 31 || v.hour > 23 || v.min > 59 || v.sec > 60 {
		return v, false
	}
	if got := v.in(time.UTC); got.Day() != v.day {
		return v, false // 20240231
	}
	return v, true
}

// parseISO8601Duration reads an ISO 8601 duration as RFC 5545 and schema.org
// use it: [+-]P[nW][nD][T[nH][nM][nS]], fractions allowed in the last unit.
// Years and months have no fixed length and are refused.
func parseISO8601Duration(s string) (time.Duration, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) < 2 || s[0] != 'P' {
		return 0, false
	}
	s = s[1:]
	var total float64
	inTime, any := false, false
	for len(s) > 0 {
		if s[0] == 'T' {
			if inTime {
				return 0, false
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, false
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil {
			return 0, false
		}
		var unit float64
		switch {
		case !inTime && s[i] == 'W':
			unit = float64(7 * 24 * time.Hour)
		case !inTime && s[i] == 'D':
			unit = float64(24 * time.Hour)
		case inTime && s[i] == 'H':
			unit = float64(time.Hour)
		case inTime && s[i] == 'M':
			unit = float64(time.Minute)
		case inTime && s[i] == 'S':
			unit = float64(time.Second)
		default:
			return 0, false
		}
		total += n * unit
		any = true
		s = s[i+1:]
	}
	if !any || total > float64(366*24*time.Hour) {
		return 0, false
	}
	if neg {
		total = -total
	}
	return time.Duration(total), true
}

// icsTZ is a resolved time zone: Go's database, or a VTIMEZONE's rules.
type icsTZ struct {
	loc   *time.Location
	rules *icsZone
}

func (z icsTZ) at(v icsDateTime) time.Time {
	if z.loc != nil {
		return v.in(z.loc)
	}
	offset, name := z.rules.offsetAt(v.in(time.UTC))
	return v.in(time.FixedZone(name, offset))
}

// zone resolves a TZID: Go's database by name (also the tail of a
// "/mozilla.org/20050126_1/Europe/Berlin" style id), else the file's
// VTIMEZONE of that id.
func (c *icsCalendar) zone(tzid string) (icsTZ, bool) {
	if tz, ok := c.resolved[tzid]; ok {
		return tz, tz.loc != nil || tz.rules != nil
	}
	tz := icsTZ{loc: loadZone(tzid)}
	for i := 0; tz.loc == nil && i < len(tzid); i++ {
		if tzid[i] == '/' {
			tz.loc = loadZone(tzid[i+1:])
		}
	}
	if tz.loc == nil {
		if z, ok := c.zones[tzid]; ok && len(z.obs) > 0 {
			tz.rules = z
		}
	}
	c.resolved[tzid] = tz
	return tz, tz.loc != nil || tz.rules != nil
}

// loadZone looks a zone name up in Go's database. "Local" would make the
// result depend on the machine, so it is not a zone here.
func loadZone(name string) *time.Location {
	switch strings.ToUpper(name) {
	case "", "LOCAL":
		return nil
	case "UTC", "GMT", "Z", "ETC/UTC", "ETC/GMT":
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// icsZone is a VTIMEZONE: its observances say which UTC offset applies from
// when on.
type icsZone struct {
	tzid string
	obs  []icsObservance
}

type icsObservance struct {
	name     string
	start    time.Time // wall clock of the first onset, as a UTC time
	from, to int       // UTC offsets in seconds
	rule     *icsYearlyRule
	rdates   []time.Time
}

// icsYearlyRule is the part of RRULE that time zones use: every year, in one
// month, on the nth weekday (or the weekday within BYMONTHDAY days).
type icsYearlyRule struct {
	month     time.Month
	weekday   time.Weekday
	hasDay    bool
	nth       int
	monthDays []int
	until     time.Time
}

func icsParseObservance(props []icsProp) (icsObservance, bool) {
	var o icsObservance
	var haveStart, haveTo bool
	for _, p := range props {
		switch p.name {
		case "DTSTART":
			if v, ok := icsDateTimeValue(p.value); ok {
				o.start, haveStart = v.in(time.UTC), true
			}
		case "TZOFFSETFROM":
			o.from, _ = icsUTCOffset(p.value)
		case "TZOFFSETTO":
			o.to, haveTo = icsUTCOffset(p.value)
		case "TZNAME":
			o.name = strings.TrimSpace(p.text())
		case "RRULE":
			o.rule = icsParseYearlyRule(p.value)
		case "RDATE":
			for _, d := range strings.Split(p.value, ",") {
				if v, ok := icsDateTimeValue(d); ok {
					o.rdates = append(o.rdates, v.in(time.UTC))
				}
			}
		}
	}
	if o.rule != nil && o.rule.month == 0 {
		o.rule.month = o.start.Month()
	}
	return o, haveStart && haveTo
}

// icsUTCOffset reads +0100, -0500 or +053000 as seconds east of UTC.
func icsUTCOffset(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 5 && len(s) != 7 || (s[0] != '+' && s[0] != '-') || !allDigits(s[1:]) {
		return 0, false
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := 0
	if len(s) == 7 {
		sec, _ = strconv.Atoi(s[5:7])
	}
	total := h*3600 + m*60 + sec
	if s[0] == '-' {
		total = -total
	}
	return total, true
}

func icsParseYearlyRule(s string) *icsYearlyRule {
	r := &icsYearlyRule{}
	for _, part := range strings.Split(strings.ToUpper(strings.TrimSpace(s)), ";") {
		key, val, _ := strings.Cut(part, "=")
		switch key {
		case "FREQ":
			if val != "YEARLY" {
				return nil
			}
		case "BYMONTH":
			m, err := strconv.Atoi(strings.Split(val, ",")[0])
			if err != nil || m < 1 || m > 12 {
				return nil
			}
			r.month = time.Month(m)
		case "BYDAY":
			day := strings.Split(val, ",")[0]
			if len(day) < 2 {
				return nil
			}
			wd, ok := icsWeekday(day[len(day)-2:])
			if !ok {
				return nil
			}
			r.weekday, r.hasDay = wd, true
			if n := day[:len(day)-2]; n != "" {
				nth, err := strconv.Atoi(strings.TrimPrefix(n, "+"))
				if err != nil || nth == 0 || nth < -5 || nth > 5 {
					return nil
				}
				r.nth = nth
			}
		case "BYMONTHDAY":
			for _, d := range strings.Split(val, ",") {
				n, err := strconv.Atoi(d)
				if err != nil || n < 1 || n > 31 {
					return nil
				}
				r.monthDays = append(r.monthDays, n)
			}
			sort.Ints(r.monthDays)
		case "UNTIL":
			if v, ok := icsDateTimeValue(val); ok {
				r.until = v.in(time.UTC)
			}
		}
	}
	return r
}

func icsWeekday(s string) (time.Weekday, bool) {
	i := slices.Index([]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}, s)
	return time.Weekday(i), i >= 0
}

// onset returns the rule's onset in year y at the given clock time.
func (r *icsYearlyRule) onset(y int, clock time.Time) (time.Time, bool) {
	at := func(day int) time.Time {
		return time.Date(y, r.month, day, clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
	}
	daysIn := time.Date(y, r.month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	switch {
	case r.hasDay && r.nth > 0:
		first := time.Date(y, r.month, 1, 0, 0, 0, 0, time.UTC).Weekday()
		day := 1 + (int(r.weekday)-int(first)+7)%7 + (r.nth-1)*7
		return at(day), day <= daysIn
	case r.hasDay && r.nth < 0:
		last := time.Date(y, r.month, daysIn, 0, 0, 0, 0, time.UTC).Weekday()
		day := daysIn - (int(last)-int(r.weekday)+7)%7 + (r.nth+1)*7
		return at(day), day >= 1
	case r.hasDay:
		for _, d := range r.monthDays {
			if d <= daysIn && time.Date(y, r.month, d, 0, 0, 0, 0, time.UTC).Weekday() == r.weekday {
				return at(d), true
			}
		}
		return time.Time{}, false
	case len(r.monthDays) > 0:
		return at(r.monthDays[0]), r.monthDays[0] <= daysIn
	}
	return at(clock.Day()), true
}

// latestOnset is the last time at or before wall this observance began.
func (o icsObservance) latestOnset(wall time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(t time.Time) {
		if !t.After(wall) && !t.Before(o.start) && (!found || t.After(best)) {
			best, found = t, true
		}
	}
	consider(o.start)
	for _, d := range o.rdates {
		consider(d)
	}
	if o.rule != nil {
		for y := wall.Year(); y >= wall.Year()-1; y-- {
			if t, ok := o.rule.onset(y, o.start); ok && (o.rule.until.IsZero() || !t.After(o.rule.until.Add(14*time.Hour))) {
				consider(t)
			}
		}
	}
	return best, found
}

// offsetAt is the UTC offset and zone name at a wall-clock time.
func (z *icsZone) offsetAt(wall time.Time) (int, string) {
	var best time.Time
	bestIdx := -1
	for i, o := range z.obs {
		if t, ok := o.latestOnset(wall); ok && (bestIdx < 0 || t.After(best)) {
			best, bestIdx = t, i
		}
	}
	if bestIdx >= 0 {
		return z.obs[bestIdx].to, z.obs[bestIdx].name
	}
	// Before the first onset the offset is what the earliest one left.
	first := z.obs[0]
	for _, o := range z.obs[1:] {
		if o.start.Before(first.start) {
			first = o
		}
	}
	return first.from, ""
}

// mediaLinkKind classifies a link by its URL and any label or media type the
// source gives: recordings are video, decks are slides, the rest pages.
func mediaLinkKind(url, hint string) string {
	u, h := strings.ToLower(url), strings.ToLower(hint)
	pathOnly, _, _ := strings.Cut(u, "?")
	switch {
	case strings.Contains(h, "video"), strings.Contains(h, "recording"),
		strings.Contains(u, "youtube.com/"), strings.Contains(u, "youtu.be/"),
		strings.Contains(u, "vimeo.com/"), strings.Contains(u, "media.ccc.de/"),
		strings.Contains(u, "/videos/watch/"):
		return catalog.LinkVideo
	}
	for _, ext := range []string{".mp4", ".webm", ".mkv", ".m4v", ".mov", ".m3u8"} {
		if strings.HasSuffix(pathOnly, ext) {
			return catalog.LinkVideo
		}
	}
	if strings.Contains(h, "pdf") || strings.Contains(h, "presentation") {
		return catalog.LinkSlides
	}
	return relatedKind(url, hint)
}

func isWebURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// icsCalendarKey qualifies the key of a talk whose UID is not globally
// unique. RFC 5545 asks for UIDs like "20240915-1234@example.org"; a bare
// one ("46939", "1") is only unique inside its own calendar, and two
// calendars using small numbers would otherwise overwrite each other's
// talks. Such keys get the event's name: "ics:<event slug>:<uid…>".
func icsCalendarKey(key, uid, event string) string {
	if key == "" || strings.Contains(uid, "@") || !strings.HasPrefix(key, icsSource+":") {
		return key
	}
	return icsSource + ":" + editionSlug(event) + ":" + strings.TrimPrefix(key, icsSource+":")
}
