package formats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FormatFrab names frab/pentabarf schedule XML: FOSDEM, CCC, pretalx's
// schedule.xml.
const FormatFrab = "frab"

// detectFrab claims XML whose root element is <schedule> and which holds a
// <conference> or a <day>. It looks at elements only, so an xCal export
// (root <iCalendar>) or an HTML page is not mistaken for it.
func detectFrab(h *head) bool {
	return isFrabXML(h.bytes)
}

func isFrabXML(b []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(trimBOM(b)))
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	root := false
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !root && len(bytes.TrimSpace(t)) > 0 {
				return false // text before the root: not an XML document
			}
		case xml.StartElement:
			if !root {
				if t.Name.Local != "schedule" {
					return false
				}
				root = true
				continue
			}
			switch t.Name.Local {
			case "conference", "day":
				return true
			}
		}
	}
}

// frabConference is the <conference> element.
type frabConference struct {
	Acronym   string `xml:"acronym"`
	Title     string `xml:"title"`
	Start     string `xml:"start"`
	DayChange string `xml:"day_change"`
	BaseURL   string `xml:"base_url"`
	TimeZone  string `xml:"time_zone_name"`
}

// frabEvent is one <event>; decoding one at a time keeps a 2 MB schedule
// from ever being held as a tree.
type frabEvent struct {
	GUID        string       `xml:"guid,attr"`
	ID          string       `xml:"id,attr"`
	Date        string       `xml:"date"`
	Start       string       `xml:"start"`
	Duration    string       `xml:"duration"`
	Room        string       `xml:"room"`
	URL         string       `xml:"url"`
	Title       string       `xml:"title"`
	Subtitle    string       `xml:"subtitle"`
	Track       string       `xml:"track"`
	Language    string       `xml:"language"`
	Abstract    string       `xml:"abstract"`
	Description string       `xml:"description"`
	Persons     []frabPerson `xml:"persons>person"`
	Links       []frabLink   `xml:"links>link"`
	Attachments []frabLink   `xml:"attachments>attachment"`
}

type frabPerson struct {
	Name string `xml:",chardata"`
}

type frabLink struct {
	Href  string `xml:"href,attr"`
	Type  string `xml:"type,attr"`
	Title string `xml:",chardata"`
}

// frabReader holds the state of one XML schedule as it streams past.
type frabReader struct {
	out  *sink
	zone *time.Location // Options.TimeZone, nil when not given
	conf *schedConf
	day  schedDay
	room string // the enclosing <room name=…> of the current events
	seen map[string]int
}

// readFrab streams a frab/pentabarf schedule: <schedule> → <conference>,
// then <day date=…> → [<room name=…>] → <event>. FOSDEM 2007 puts events
// straight under <day>; later years and pretalx group them in rooms. See schedConf.talk for how an event becomes a talk record.
//
// Broken XML stops the decoder: the events before the damage are kept and
// the rest of the file becomes one skip naming the line. An event that
// parses but cannot be used (no title, a start that is not a time) is a
// skip naming its line and id; so is a second event with the same guid.
func readFrab(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	zone, err := optionZone(opts.TimeZone)
	if err != nil {
		return err
	}
	if h, _ := r.Peek(headSize); len(bytes.TrimSpace(trimBOM(h))) == 0 {
		return nil // nothing to import is not an error
	}
	dec := xml.NewDecoder(r)
	dec.Entity = xml.HTMLEntity // hand-written schedules use &nbsp; and friends
	dec.CharsetReader = charset.NewReaderLabel
	fr := &frabReader{out: out, zone: zone, seen: map[string]int{}}
	defer func() { fr.conf.warnGuessedUTC(out) }()
	root := false
	depth := 0
	dayDepth, roomDepth := -1, -1
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if !root {
				return catalog.Errorf(catalog.EINVALID, "%s is not a frab schedule: it has no <schedule> element", out.name)
			}
			return nil
		}
		if err != nil {
			return fr.fail(dec, err, root)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !root {
				if t.Name.Local != "schedule" {
					return catalog.Errorf(catalog.EINVALID, "%s is not a frab schedule: its root element is <%s>, not <schedule>", out.name, t.Name.Local)
				}
				root = true
				continue
			}
			switch {
			case t.Name.Local == "conference" && dayDepth < 0:
				var c frabConference
				if err := dec.DecodeElement(&c, &t); err != nil {
					return fr.fail(dec, err, root)
				}
				depth--
				fr.conf = newSchedConf(schedConfInput{
					title: c.Title, acronym: c.Acronym, start: c.Start,
					timeZone: c.TimeZone, baseURL: c.BaseURL, dayChange: c.DayChange,
				})
				fr.conf.fillZone(fr.zone)
			case t.Name.Local == "day" && dayDepth < 0:
				dayDepth = depth
				fr.day = schedDay{date: xmlAttr(t, "date")}
				if s, err := time.Parse(time.RFC3339, xmlAttr(t, "start")); err == nil {
					fr.day.start = s
				}
			case t.Name.Local == "room" && dayDepth >= 0 && roomDepth < 0:
				roomDepth = depth
				fr.room = xmlAttr(t, "name")
			case t.Name.Local == "event":
				line, _ := dec.InputPos()
				var ev frabEvent
				if err := dec.DecodeElement(&ev, &t); err != nil {
					return fr.fail(dec, err, root)
				}
				depth--
				if err := fr.event(line, &ev); err != nil {
					return err
				}
			}
		case xml.EndElement:
			switch depth {
			case roomDepth:
				roomDepth, fr.room = -1, ""
			case dayDepth:
				dayDepth, fr.day = -1, schedDay{}
			}
			depth--
		}
	}
}

// fail turns a decoding error into the right outcome: damaged XML after
// the root is one skip for the rest of the file; before it, the input is
// not a schedule; anything else is a failed read.
func (fr *frabReader) fail(dec *xml.Decoder, err error, root bool) error {
	var syntax *xml.SyntaxError
	if errors.As(err, &syntax) {
		if !root {
			return catalog.Errorf(catalog.EINVALID, "%s is not frab schedule XML: line %d: %s", fr.out.name, syntax.Line, syntax.Msg)
		}
		fr.out.skip(location{line: syntax.Line}, "broken XML: "+syntax.Msg+"; the rest of the file was not read")
		return nil
	}
	if !root && !xmlReadFailure(err) {
		// An undeclared charset and the like.
		return catalog.Errorf(catalog.EINVALID, "%s is not readable XML: %v", fr.out.name, err)
	}
	return readError(fr.out.name, err)
}

// xmlReadFailure tells errors of the reader under the decoder from the
// decoder's own complaints.
func xmlReadFailure(err error) bool {
	return !strings.HasPrefix(err.Error(), "xml:")
}

func (fr *frabReader) event(line int, ev *frabEvent) error {
	id := strings.TrimSpace(ev.ID)
	label := fmt.Sprintf("line %d", line)
	if id != "" {
		label += ", event " + id
	}
	loc := location{label: label}
	if fr.conf == nil {
		// No <conference> before the events: the talks have no series
		// unless the user names one.
		fr.conf = newSchedConf(schedConfInput{})
		fr.conf.fillZone(fr.zone)
	}
	if fr.conf.series == "" && fr.out.series == "" {
		fr.out.skip(loc, "the schedule names no conference (no <conference> title before its events); pass --series and --event")
		return nil
	}
	se := schedEvent{
		guid: ev.GUID, id: id, date: ev.Date, start: ev.Start, duration: ev.Duration,
		room: firstNonBlank(ev.Room, fr.room), track: ev.Track, language: ev.Language,
		url: ev.URL, title: ev.Title, subtitle: ev.Subtitle, abstract: ev.Abstract, descr: ev.Description,
	}
	for _, p := range ev.Persons {
		se.persons = append(se.persons, catalog.Speaker{Name: p.Name})
	}
	for _, l := range ev.Links {
		se.refs = append(se.refs, schedRef{url: l.Href, title: l.Title, mime: l.Type})
	}
	for _, a := range ev.Attachments {
		se.refs = append(se.refs, schedRef{url: a.Href, title: a.Title, kind: a.Type, attachment: true})
	}
	t, reason := fr.conf.talk(&se, fr.day)
	if reason != "" {
		fr.out.skip(loc, reason)
		return nil
	}
	if t.Source.Key != "" {
		if first, dup := fr.seen[t.Source.Key]; dup {
			fr.out.skip(loc, fmt.Sprintf("the same event (%s) as line %d, which was imported", t.Source.Key, first))
			return nil
		}
		fr.seen[t.Source.Key] = line
	}
	return fr.out.talk(loc, t)
}

func xmlAttr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// The frab family of schedules: frab/pentabarf XML (frab.go) and its JSON
// twin, the c3voc schedule JSON (c3voc.go). Both readers turn their input
// into schedEvent values and let schedConf map them onto talk records, so
// that the same talk reads the same from either export.

// frabSource is the source name of talks read from frab-family schedules,
// XML or JSON: the two are exports of the same data and their talks share
// their keys (see schedConf.talk).
const frabSource = "frab"

// schedConf is what a schedule says about its conference, resolved into
// what the talk records need.
type schedConf struct {
	series, event string
	year          int
	// keyScope prefixes per-conference numeric event ids in source keys
	// when an event has no guid: the acronym, else the edition's slug.
	keyScope string
	// loc is the zone of the schedule's wall-clock times: the one it names,
	// else its series' known home, else Options.TimeZone; nil when none of
	// them says (then a day's own offset, else UTC).
	loc       *time.Location
	base      *url.URL
	dayChange time.Duration // clock times before it belong to the next calendar day
	// guessedUTC records that some wall-clock time had no zone at all and
	// was kept as UTC, which the reader then reports once.
	guessedUTC bool
}

// warnGuessedUTC reports, once per schedule, that times were kept as
// wall-clock UTC for want of a zone.
func (c *schedConf) warnGuessedUTC(out *sink) {
	if c != nil && c.guessedUTC {
		out.warnFile("the schedule names no time zone; its times are kept as wall-clock times marked UTC; pass --tz to name the zone")
	}
}

// schedConfInput is the raw conference data of a schedule.
type schedConfInput struct {
	title, acronym string
	start          string // YYYY-MM-DD or an RFC 3339 time
	timeZone       string
	baseURL        string
	dayChange      string // HH:MM[:SS]
}

func newSchedConf(in schedConfInput) *schedConf {
	year := 0
	if len(in.start) >= 4 && isYear(in.start[:4]) {
		year, _ = strconv.Atoi(in.start[:4])
	}
	if year == 0 {
		year = yearFromTitle(in.title)
	}
	c := &schedConf{year: year}
	c.series, c.event = editionNames(in.title, in.acronym, year)
	c.keyScope = editionSlug(in.acronym)
	if c.keyScope == "" {
		c.keyScope = editionSlug(c.event)
	}
	c.loc = scheduleZone(in.timeZone)
	if c.loc == nil {
		c.loc = scheduleZone(seriesZone(c.series))
	}
	if u, err := url.Parse(strings.TrimSpace(in.baseURL)); err == nil && u.IsAbs() {
		c.base = u
	}
	if d, ok := schedClock(in.dayChange); ok {
		c.dayChange = d
	}
	return c
}

// schedDay is the day an event is listed under.
type schedDay struct {
	date  string    // YYYY-MM-DD
	start time.Time // the day's start with its offset, zero when not given
}

// schedEvent is one event of a schedule, as the format gives it.
type schedEvent struct {
	guid, id string
	date     string // the start as an RFC 3339 time, when given
	start    string // HH:MM on the day's date, when date is not given
	end      string // RFC 3339, used for the duration when none is given
	duration string // HH:MM[:SS] or ISO 8601 (PT1H30M)
	room     string
	track    string
	language string
	url      string
	title    string
	subtitle string
	abstract string
	descr    string
	persons  []catalog.Speaker
	refs     []schedRef
}

// schedRef is a link or an attachment of an event.
type schedRef struct {
	url, title string
	mime       string // a link's type attribute (video/mp4), if any
	kind       string // the c3voc reference type (slides, media, …), if any
	attachment bool
}

// talk maps one event onto a talk record, or says why it cannot be used.
//
//   - start: the event's own RFC 3339 date when given (its offset is
//     kept); else the day's date and the HH:MM start in the conference's
//     zone, a clock time before the conference's day_change being on the
//     next calendar day.
//   - duration: HH:MM (or ISO 8601) in minutes, else the time from start
//     to end.
//   - abstract: subtitle, abstract and description as plain text, one
//     paragraph each (HTML is turned into text).
//   - source: key frab:<guid>, else frab:<acronym>:<id>; url the event's
//     page.
//
// A start, date or duration that is there but cannot be read makes the
// event unusable: we would rather skip it than import it at the wrong time.
func (c *schedConf) talk(ev *schedEvent, day schedDay) (*catalog.Talk, string) {
	t := &catalog.Talk{
		Series:   c.series,
		Event:    c.event,
		Year:     c.year,
		Title:    ev.title,
		Abstract: scheduleAbstract(ev.subtitle, ev.abstract, ev.descr),
		Track:    ev.track,
		Room:     ev.room,
		Language: languageFromName(ev.language),
		Speakers: ev.persons,
		Source:   catalog.Source{Name: frabSource},
	}
	start, reason := c.startOf(ev, day)
	if reason != "" {
		return nil, reason
	}
	if !start.IsZero() {
		t.Start, t.Year = start, start.Year()
	} else if y, ok := dateYear(day.date); ok {
		t.Year = y
	}
	minutes, ok := scheduleMinutes(ev.duration)
	if (!ok || minutes == 0) && strings.TrimSpace(ev.end) != "" && !start.IsZero() {
		// The end says it as well (and v2 prefers it).
		end, err := time.Parse(time.RFC3339, strings.TrimSpace(ev.end))
		if err != nil {
			return nil, fmt.Sprintf("end %q is not an RFC 3339 time", strings.TrimSpace(ev.end))
		}
		if d := end.Sub(start); d >= 0 {
			minutes, ok = int(d.Round(time.Minute)/time.Minute), true
		}
	}
	if !ok {
		return nil, fmt.Sprintf("duration %q is not HH:MM (or ISO 8601, like PT45M)", strings.TrimSpace(ev.duration))
	}
	t.DurationMinutes = minutes

	page := c.resolve(ev.url, nil, false)
	base := c.base
	if page != nil {
		t.Source.URL = page.String()
		base = page
	}
	t.Links = scheduleLinks(ev.refs, func(raw string, attachment bool) *url.URL {
		return c.resolve(raw, base, !attachment)
	})
	switch guid := strings.ToLower(strings.TrimSpace(ev.guid)); {
	case guid != "":
		t.Source.Key = frabSource + ":" + guid
	case strings.TrimSpace(ev.id) != "" && c.keyScope != "":
		t.Source.Key = frabSource + ":" + c.keyScope + ":" + strings.TrimSpace(ev.id)
	}
	return t, ""
}

// startOf works out an event's start; a zero time means the schedule does
// not say when it is.
func (c *schedConf) startOf(ev *schedEvent, day schedDay) (time.Time, string) {
	if date := strings.TrimSpace(ev.date); date != "" {
		if t, err := time.Parse(time.RFC3339, date); err == nil {
			return t, ""
		}
		if t, err := time.ParseInLocation("2006-01-02T15:04:05", date, c.zoneOf(day)); err == nil {
			return t, ""
		}
		return time.Time{}, fmt.Sprintf("date %q is not an RFC 3339 time (like 2025-02-01T10:30:00+01:00)", date)
	}
	clock := strings.TrimSpace(ev.start)
	if clock == "" {
		return time.Time{}, ""
	}
	offset, ok := schedClock(clock)
	if !ok || offset >= 24*time.Hour {
		return time.Time{}, fmt.Sprintf("start %q is not a time of day (HH:MM)", clock)
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(day.date))
	if err != nil {
		return time.Time{}, fmt.Sprintf("start %s is on a day without a date (day date %q)", clock, day.date)
	}
	if offset < c.dayChange {
		// frab lists events after midnight under the day they belong to.
		d = d.AddDate(0, 0, 1)
	}
	h, m := int(offset/time.Hour), int(offset%time.Hour/time.Minute)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, c.zoneOf(day)), ""
}

// fillZone makes loc (Options.TimeZone, nil when not given) the zone of the
// schedule's wall-clock times when neither the schedule nor its series
// names one: a schedule knows its own zone best.
func (c *schedConf) fillZone(loc *time.Location) {
	if c.loc == nil {
		c.loc = loc
	}
}

// zoneOf is the zone of wall-clock times on a day: the conference's (see
// schedConf.loc), else the day's own offset, else UTC.
func (c *schedConf) zoneOf(day schedDay) *time.Location {
	if c.loc != nil {
		return c.loc
	}
	if !day.start.IsZero() {
		return day.start.Location()
	}
	c.guessedUTC = true
	return time.UTC
}

// resolve makes an absolute http(s) URL of a schedule's link, or nil.
// Relative references resolve against base (the event's page, else the
// schedule's base_url); without one they are dropped. For links (not
// attachments), "example.org/x" is taken as a host name whose scheme was
// left out, as people type them into frab.
func (c *schedConf) resolve(raw string, base *url.URL, bareHost bool) *url.URL {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	if base == nil {
		base = c.base
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	if !u.IsAbs() && u.Host == "" && bareHost && schedLooksLikeHost(raw) {
		if u, err = url.Parse("http://" + raw); err != nil {
			return nil
		}
	}
	if !u.IsAbs() {
		if base == nil {
			return nil
		}
		u = base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp":
	default:
		return nil
	}
	if u.Host == "" {
		return nil
	}
	return u
}

// schedLooksLikeHost tells "nymtech.net" or "www.example.org/x" (a URL missing
// its scheme) from a relative path.
func schedLooksLikeHost(s string) bool {
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "?") || strings.HasPrefix(s, "#") {
		return false
	}
	host, _, _ := strings.Cut(s, "/")
	host, port, hasPort := strings.Cut(host, ":")
	if hasPort && !allDigits(port) {
		return false
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.IndexFunc(l, func(r rune) bool {
			return !(r < 128 && (schedASCIILetter(byte(r)) || r >= '0' && r <= '9' || r == '-'))
		}) >= 0 {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return len(tld) >= 2 && strings.IndexFunc(tld, func(r rune) bool { return !(r < 128 && schedASCIILetter(byte(r))) }) < 0
}

// scheduleLinks maps links and attachments onto talk links (see
// scheduleLinkKind), dropping those that resolve to nothing and repeats.
func scheduleLinks(refs []schedRef, resolve func(raw string, attachment bool) *url.URL) []catalog.Link {
	links := make([]catalog.Link, 0, len(refs))
	seen := make(map[string]bool, len(refs))
	for _, ref := range refs {
		u := resolve(ref.url, ref.attachment)
		if u == nil || seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		links = append(links, catalog.Link{Kind: scheduleLinkKind(u, ref), URL: u.String()})
	}
	return links
}

// scheduleLinkKind classifies a link or attachment:
//
//   - video: a video MIME type, a c3voc "media" reference, a video host
//     (media.ccc.de, video.fosdem.org, YouTube, Vimeo), a video file
//     (.mp4, .webm, .ogv, .ogg, .mkv, .mov, .avi), or a title that says
//     video or recording;
//   - slides: a c3voc "slides" reference, a deck file (.pdf, .odp, .ppt,
//     .pptx, .key), a slides host or path, or a title that says slides;
//   - otherwise a page for links and "other" for attachments (files such as
//     images or papers).
func scheduleLinkKind(u *url.URL, ref schedRef) string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	ext := strings.ToLower(path.Ext(u.Path))
	title := strings.ToLower(ref.title)
	kind := strings.ToLower(strings.TrimSpace(ref.kind))
	switch {
	case strings.HasPrefix(strings.ToLower(ref.mime), "video/"), kind == "media":
		return catalog.LinkVideo
	case kind == "slides":
		return catalog.LinkSlides
	case host == "media.ccc.de", host == "youtube.com", host == "youtu.be", host == "vimeo.com",
		strings.HasPrefix(host, "video."), strings.HasSuffix(host, ".youtube.com"):
		return catalog.LinkVideo
	}
	switch ext {
	case ".mp4", ".webm", ".ogv", ".ogg", ".mkv", ".mov", ".avi", ".m4v", ".mpg", ".mpeg":
		return catalog.LinkVideo
	}
	if strings.Contains(title, "video") || strings.Contains(title, "recording") || strings.Contains(title, "aufzeichnung") {
		return catalog.LinkVideo
	}
	if relatedKind(u.String(), ref.title) == catalog.LinkSlides || strings.Contains(title, "folien") {
		return catalog.LinkSlides
	}
	if ref.attachment {
		return catalog.LinkOther
	}
	return catalog.LinkPage
}

// schedClock reads HH:MM or HH:MM:SS as a duration since midnight.
func schedClock(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ":")
	if len(parts) != 2 && len(parts) != 3 {
		return 0, false
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 3 || !allDigits(p) {
			return 0, false
		}
		n[i], _ = strconv.Atoi(p)
		if i > 0 && (len(p) != 2 || n[i] > 59) {
			return 0, false
		}
	}
	return time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute + time.Duration(n[2])*time.Second, true
}

// scheduleMinutes reads a duration: HH:MM, HH:MM:SS or ISO 8601 (PT1H30M,
// as c3voc v2 writes it). "" is no duration.
func scheduleMinutes(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	if strings.HasPrefix(s, "P") {
		d, ok := schedISODuration(s)
		return int(d.Round(time.Minute) / time.Minute), ok
	}
	d, ok := schedClock(s)
	if !ok {
		return 0, false
	}
	return int(d.Round(time.Minute) / time.Minute), true
}

// schedISODuration reads the ISO 8601 durations schedules use: days,
// hours, minutes and seconds (PT45M, PT1H30M, P1DT2H). Years, months and
// weeks have no fixed length and are refused.
func schedISODuration(s string) (time.Duration, bool) {
	m := regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`).FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute} {
		if m[i+1] != "" {
			n, err := strconv.Atoi(m[i+1])
			if err != nil {
				return 0, false
			}
			d += time.Duration(n) * unit
		}
	}
	if m[4] != "" {
		f, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			return 0, false
		}
		d += time.Duration(f * float64(time.Second))
	}
	return d, true
}

func dateYear(date string) (int, bool) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(date))
	if err != nil {
		return 0, false
	}
	return d.Year(), true
}

// scheduleAbstract joins subtitle, abstract and description into the
// abstract, one paragraph block each, as plain text. A description that
// repeats the abstract is not repeated.
func scheduleAbstract(subtitle, abstract, description string) string {
	var parts []string
	if s := catalog.CleanText(scheduleText(subtitle)); s != "" {
		parts = append(parts, s)
	}
	a, d := scheduleText(abstract), scheduleText(description)
	if a != "" {
		parts = append(parts, a)
	}
	if d != "" && !strings.Contains(a, d) {
		parts = append(parts, d)
	}
	return strings.Join(parts, "\n\n")
}

// scheduleText turns a schedule's text into plain text. FOSDEM and frab
// put HTML in abstracts; pretalx puts Markdown, which is kept as it is.
// Paragraphs are separated by blank lines, as the talk page expects.
func scheduleText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\u00a0", " ").Replace(s)
	if !schedLooksLikeHTML(s) {
		return schedTrimLines(s)
	}
	var b strings.Builder
	brk, space, pre := 0, false, 0
	write := func(text string) {
		if b.Len() > 0 {
			switch {
			case brk >= 2:
				b.WriteString("\n\n")
			case brk == 1:
				b.WriteString("\n")
			case space:
				b.WriteString(" ")
			}
		}
		brk, space = 0, false
		b.WriteString(text)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			text := string(z.Text())
			if pre > 0 {
				if strings.TrimSpace(text) != "" {
					write(strings.Trim(text, "\n"))
				}
				continue
			}
			if strings.TrimSpace(text) == "" {
				space = space || text != ""
				continue
			}
			lead := text[0] == ' ' || text[0] == '\n' || text[0] == '\t'
			trail := strings.TrimRight(text, " \n\t\r") != text
			space = space || lead
			write(strings.Join(strings.Fields(text), " "))
			space = trail
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "section", "article":
				brk = 2
			case "pre":
				brk = 2
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
			case "br", "tr", "dt", "dd":
				brk = max(brk, 1)
			case "li":
				if tt == html.StartTagToken {
					brk = max(brk, 1)
					write("-")
					space = true
				}
			}
		}
	}
	return schedTrimLines(strings.ReplaceAll(b.String(), "\u00a0", " "))
}

// schedLooksLikeHTML finds a tag (<p>, </a>, <br/>) or a character reference
// (&amp;, &#233;) in s; "a < b" is text.
func schedLooksLikeHTML(s string) bool {
	for i := 0; i < len(s)-1; i++ {
		switch s[i] {
		case '<':
			j := i + 1
			if s[j] == '/' {
				j++
			}
			if j < len(s) && schedASCIILetter(s[j]) && strings.IndexByte(s[j:], '>') > 0 {
				return true
			}
		case '&':
			end := strings.IndexByte(s[i+1:], ';')
			if end <= 0 || end > 10 {
				continue
			}
			ref := s[i+1 : i+1+end]
			if ref[0] == '#' {
				ref = strings.TrimPrefix(strings.TrimPrefix(ref[1:], "x"), "X")
			}
			if ref != "" && strings.IndexFunc(ref, func(r rune) bool { return !(r < 128 && (schedASCIILetter(byte(r)) || r >= '0' && r <= '9')) }) < 0 {
				return true
			}
		}
	}
	return false
}

func schedASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// schedTrimLines trims each line's trailing blanks, folds runs of blank lines
// into one and trims the whole.
func schedTrimLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) == "" {
			blank = true
			continue
		}
		if blank && len(out) > 0 {
			out = append(out, "")
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
