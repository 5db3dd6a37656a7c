package formats

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FormatIndico reads Indico's HTTP export API: an event with its
// contributions (/export/event/<id>.json?detail=contributions, or
// detail=sessions) and an event's timetable (/export/timetable/<id>.json).
const FormatIndico = "indico"

const indicoSource = "indico"

// detectIndico claims the export API's envelope ({"_type":
// "HTTPAPIResult", …, "results": …}), which every Indico export has, and a
// bare list of events with contributions.
func detectIndico(h *head) bool {
	o := outlineJSON(h.bytes)
	if o.strings["_type"] == "HTTPAPIResult" {
		return true
	}
	return o.kind("results") == 'a' && o.has("results[].contributions") && o.has("results[].startDate")
}

// indicoDate is how Indico exports a point in time.
type indicoDate struct {
	Date string `json:"date"`
	Time string `json:"time"`
	TZ   string `json:"tz"`
}

// at resolves the date in its own zone, else in fallback.
func (d *indicoDate) at(fallback *time.Location) (time.Time, string) {
	if d == nil || strings.TrimSpace(d.Date) == "" {
		return time.Time{}, ""
	}
	loc := fallback
	if tz := strings.TrimSpace(d.TZ); tz != "" {
		if loc = loadZone(tz); loc == nil {
			return time.Time{}, fmt.Sprintf("time zone %q is not a known IANA zone", tz)
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	clock := strings.TrimSpace(d.Time)
	if clock == "" {
		clock = "00:00:00"
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04:05.999999", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(d.Date)+" "+clock, loc); err == nil {
			return t, ""
		}
	}
	return time.Time{}, fmt.Sprintf("start %s %s is not a date and time", d.Date, d.Time)
}

type indicoPerson struct {
	FullName    string `json:"fullName"`
	Name        string `json:"name"` // timetable presenters: "First Last"
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	FirstName2  string `json:"firstName"` // timetable presenters
	FamilyName  string `json:"familyName"`
	Affiliation string `json:"affiliation"`
	IsSpeaker   *bool  `json:"is_speaker"`
}

// speaker names a person first name first. fullName is "Last, First" in
// Indico's event export, so it is only the last resort, turned around.
func (p *indicoPerson) speaker() catalog.Speaker {
	first := firstNonBlank(p.FirstName, p.FirstName2)
	last := firstNonBlank(p.LastName, p.FamilyName)
	name := strings.TrimSpace(first + " " + last)
	if first == "" || last == "" {
		name = firstNonBlank(p.Name, name)
	}
	if name == "" {
		name = p.FullName
		if lastName, firstName, ok := strings.Cut(name, ","); ok && !strings.Contains(firstName, ",") {
			name = strings.TrimSpace(firstName) + " " + strings.TrimSpace(lastName)
		}
	}
	return catalog.Speaker{Name: name, Affiliation: p.Affiliation}
}

type indicoAttachment struct {
	Title       string `json:"title"`
	DownloadURL string `json:"download_url"`
	LinkURL     string `json:"link_url"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Type        string `json:"type"`
}

type indicoFolder struct {
	Title       string             `json:"title"`
	Attachments []indicoAttachment `json:"attachments"`
}

// indicoContribution is a contribution of the event export.
type indicoContribution struct {
	ID             flexID         `json:"id"`
	DBID           flexID         `json:"db_id"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	StartDate      *indicoDate    `json:"startDate"`
	EndDate        *indicoDate    `json:"endDate"`
	Duration       *flexFloat     `json:"duration"`
	Speakers       []indicoPerson `json:"speakers"`
	PrimaryAuthors []indicoPerson `json:"primaryauthors"`
	Track          *string        `json:"track"`
	Session        *string        `json:"session"`
	Room           *string        `json:"room"`
	RoomFullname   *string        `json:"roomFullname"`
	URL            string         `json:"url"`
	Keywords       []string       `json:"keywords"`
	Folders        []indicoFolder `json:"folders"`
}

// indicoEntry is one entry of the timetable export: a contribution, a
// break, or a session block holding entries of its own.
type indicoEntry struct {
	EntryType      string                  `json:"entryType"`
	ID             string                  `json:"id"`
	ContributionID flexID                  `json:"contributionId"`
	ConferenceID   flexID                  `json:"conferenceId"`
	Title          string                  `json:"title"`
	Description    string                  `json:"description"`
	StartDate      *indicoDate             `json:"startDate"`
	EndDate        *indicoDate             `json:"endDate"`
	Duration       *flexFloat              `json:"duration"`
	Room           string                  `json:"room"`
	Presenters     []indicoPerson          `json:"presenters"`
	URL            string                  `json:"url"`
	Attachments    *indicoEntryAttachments `json:"attachments"`
}

type indicoEntryAttachments struct {
	Files   []indicoAttachment `json:"files"`
	Folders []indicoFolder     `json:"folders"`
}

// indicoReader holds what the talks of one input share.
type indicoReader struct {
	opts Options
	out  *sink
	base *url.URL        // where relative URLs in the input resolve, nil when unknown
	seen map[string]bool // source keys emitted, so an event listed twice counts once
}

// readIndico reads Indico's export API JSON.
//
// How a contribution becomes a talk record:
//
//   - series and event from the event's title (see editionNames): UKNOF53 →
//     series "UKNOF", event "UKNOF53". A subtitle after " - " or ": " is
//     dropped when what comes before is a numbered edition ("UKNOF53 -
//     Manchester" → "UKNOF53"). The timetable export does not carry the
//     event's title: it needs --event.
//   - start from startDate in its own zone (the offset is kept); duration
//     in minutes; room is the full room name.
//   - speakers: the contribution's speakers (first name first, with their
//     affiliations), else its primary authors; in the timetable, the
//     presenters.
//   - track: the contribution's track, else its session's title.
//   - abstract: the description as plain text; tags: the keywords.
//   - links: every attachment in the contribution's folders, sorted into
//     slides, video or other (see scheduleLinkKind); url is the
//     contribution's page.
//   - key "indico:<host>:<event id>:<contribution id>" (see indicoKey), the database id both
//     exports give, so that importing either upserts the same talks.
//
// Breaks are not talks and are left out.
func readIndico(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	data, err := readDocument(r, out.name)
	if err != nil {
		return err
	}
	doc, err := parseJSONTree(data, indicoDescend)
	if err != nil {
		return catalog.Errorf(catalog.EINVALID, "%s: %v", out.name, err)
	}
	ir := &indicoReader{opts: opts, out: out, seen: map[string]bool{}}
	for _, u := range []string{opts.Name, doc.str("url")} {
		if b, err := url.Parse(strings.TrimSpace(u)); err == nil && (b.Scheme == "http" || b.Scheme == "https") && b.Host != "" {
			ir.base = b
			break
		}
	}
	var readErr error
	switch results := doc.member("results"); {
	case results == nil:
		if doc.broken == "" {
			return catalog.Errorf(catalog.EINVALID, "%s is not an Indico export: it has no \"results\"", out.name)
		}
	case results.members != nil:
		readErr = ir.timetable(ctx, results)
	default:
		readErr = ir.events(ctx, results.elems)
	}
	if doc.broken != "" {
		out.skip(location{line: doc.brokenLine}, doc.broken)
	}
	return readErr
}

// indicoDescend reads the event export down to its contributions
// (results[].contributions[], and per session block with detail=sessions)
// and the timetable down to its entries and the entries of session blocks
// (results.<event>.<day>.<entry>.entries.<entry>), so that a damaged file
// loses only what the damage touches.
func indicoDescend(p []string) bool {
	if len(p) <= 2 {
		return len(p) < 2 || p[0] == "results"
	}
	if p[0] != "results" {
		return false
	}
	if p[1] == "[]" {
		rest := strings.Join(p[2:], "/")
		return rest == "contributions" || rest == "sessions" || rest == "sessions/[]" || rest == "sessions/[]/contributions"
	}
	return len(p) <= 4 || (len(p) <= 6 && p[4] == "entries")
}

func (ir *indicoReader) events(ctx context.Context, events []*jsonNode) error {
	for _, en := range events {
		if en.members == nil {
			if en.complete {
				ir.out.skip(location{line: en.line}, "not an Indico event: it is a JSON "+jsonValueName(bytes.TrimSpace(en.raw)))
			}
			continue
		}
		var id flexID
		var start *indicoDate
		en.decodeMember("id", &id)
		en.decodeMember("startDate", &start)
		evLoc := loadZone(en.str("timezone"))
		evStart, _ := start.at(evLoc)
		series, name := indicoEdition(en.str("title"), evStart.Year())
		contribs := slices.Clone(en.member("contributions").elemsOrNil())
		for _, block := range en.member("sessions").elemsOrNil() {
			contribs = append(contribs, block.member("contributions").elemsOrNil()...)
		}
		for i, cn := range contribs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !cn.complete {
				continue // cut off by the damage reported at the end
			}
			loc := location{label: fmt.Sprintf("line %d, event %s, contribution %d", cn.line, id, i+1), line: cn.line}
			var c indicoContribution
			if reason, ok := decodeRecord(cn.raw, &c, "an Indico contribution"); !ok {
				ir.out.skip(loc, reason)
				continue
			}
			cid := firstNonBlank(c.DBID.String(), c.ID.String())
			if cid != "" {
				loc.label = fmt.Sprintf("line %d, event %s, contribution %s", cn.line, id, cid)
			}
			t := &catalog.Talk{
				Series:   series,
				Event:    name,
				Title:    c.Title,
				Abstract: scheduleText(c.Description),
				Track:    firstNonBlank(deref(c.Track), deref(c.Session)),
				Room:     firstNonBlank(deref(c.RoomFullname), deref(c.Room)),
				Tags:     c.Keywords,
				Source:   catalog.Source{Name: indicoSource, URL: ir.resolve(c.URL)},
			}
			if !evStart.IsZero() {
				t.Year = evStart.Year()
			}
			if cid != "" && id.String() != "" {
				t.Source.Key = indicoKey(t.Source.URL, id.String(), cid)
			}
			people := c.Speakers
			if len(people) == 0 {
				people = c.PrimaryAuthors
			}
			for _, p := range people {
				t.Speakers = append(t.Speakers, p.speaker())
			}
			if reason := indicoTimes(t, c.StartDate, c.EndDate, c.Duration, evLoc); reason != "" {
				ir.out.skip(loc, reason)
				continue
			}
			t.Links = ir.links(nil, c.Folders)
			if err := ir.emit(loc, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// timetable reads {"<event id>": {"<yyyymmdd>": {"<entry id>": entry}}},
// where session blocks hold entries of their own. Talks are emitted by
// start time, then in the order the file lists them.
func (ir *indicoReader) timetable(ctx context.Context, results *jsonNode) error {
	if len(results.keys) == 0 {
		return nil
	}
	if strings.TrimSpace(ir.opts.Event) == "" {
		return catalog.Errorf(catalog.EINVALID, "%s is an Indico timetable, which does not name its event; name it with --event (and --series), or import the event export (/export/event/<id>.json?detail=contributions)", ir.out.name)
	}
	series, name := indicoEdition(ir.opts.Event, 0)
	type found struct {
		t      *catalog.Talk
		loc    location
		reason string
	}
	for _, eventID := range results.keys {
		var talks []found
		var walk func(entries *jsonNode, session string)
		walk = func(entries *jsonNode, session string) {
			if entries == nil {
				return
			}
			for _, key := range entries.keys {
				en := entries.members[key]
				loc := location{label: fmt.Sprintf("line %d, event %s, entry %s", en.line, eventID, key), line: en.line}
				switch en.str("entryType") {
				case "Session":
					walk(en.member("entries"), en.str("title"))
					continue
				case "Contribution":
				default:
					continue // breaks, and whatever newer Indicos add, are not talks
				}
				if !en.complete {
					continue // cut off by the damage reported at the end
				}
				var e indicoEntry
				if reason, ok := decodeRecord(en.raw, &e, "an Indico timetable entry"); !ok {
					talks = append(talks, found{loc: loc, reason: reason})
					continue
				}
				t := &catalog.Talk{
					Series:   series,
					Event:    name,
					Title:    e.Title,
					Abstract: scheduleText(e.Description),
					Track:    session,
					Room:     e.Room,
					Source:   catalog.Source{Name: indicoSource, URL: ir.resolve(e.URL)},
				}
				if id := e.ContributionID.String(); id != "" {
					t.Source.Key = indicoKey(t.Source.URL, eventID, id)
					loc.label = fmt.Sprintf("line %d, event %s, contribution %s", en.line, eventID, id)
				}
				speakers := e.Presenters
				if slices.ContainsFunc(speakers, func(p indicoPerson) bool { return p.IsSpeaker != nil }) {
					speakers = slices.DeleteFunc(slices.Clone(speakers), func(p indicoPerson) bool { return p.IsSpeaker == nil || !*p.IsSpeaker })
				}
				for _, p := range speakers {
					t.Speakers = append(t.Speakers, p.speaker())
				}
				if e.Attachments != nil {
					t.Links = ir.links(e.Attachments.Files, e.Attachments.Folders)
				}
				talks = append(talks, found{t: t, loc: loc, reason: indicoTimes(t, e.StartDate, e.EndDate, e.Duration, nil)})
			}
		}
		days := results.members[eventID]
		if days == nil {
			continue
		}
		for _, day := range days.keys {
			if err := ctx.Err(); err != nil {
				return err
			}
			walk(days.members[day], "")
		}
		slices.SortStableFunc(talks, func(a, b found) int {
			var at, bt time.Time
			if a.t != nil {
				at = a.t.Start
			}
			if b.t != nil {
				bt = b.t.Start
			}
			return at.Compare(bt)
		})
		for _, f := range talks {
			if f.reason != "" {
				ir.out.skip(f.loc, f.reason)
				continue
			}
			if err := ir.emit(f.loc, f.t); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ir *indicoReader) emit(loc location, t *catalog.Talk) error {
	if k := t.Source.Key; k != "" {
		if ir.seen[k] {
			return nil
		}
		ir.seen[k] = true
	}
	return ir.out.talk(loc, t)
}

// indicoTimes sets start and duration; a start that cannot be read makes
// the contribution unusable.
func indicoTimes(t *catalog.Talk, start, end *indicoDate, duration *flexFloat, fallback *time.Location) string {
	st, reason := start.at(fallback)
	if reason != "" {
		return reason
	}
	t.Start = st
	if duration != nil && duration.v > 0 {
		t.DurationMinutes = int(duration.v + 0.5)
	} else if et, reason := end.at(fallback); reason == "" && !st.IsZero() && et.After(st) {
		t.DurationMinutes = int(et.Sub(st).Round(time.Minute) / time.Minute)
	}
	return ""
}

// links turns attachments into talk links: a link attachment points at its
// link, a file at its download URL.
func (ir *indicoReader) links(files []indicoAttachment, folders []indicoFolder) []catalog.Link {
	all := slices.Clone(files)
	for _, f := range folders {
		all = append(all, f.Attachments...)
	}
	var links []catalog.Link
	seen := map[string]bool{}
	for _, a := range all {
		raw := ir.resolve(firstNonBlank(a.LinkURL, a.DownloadURL))
		title := strings.TrimSpace(a.Title + " " + a.Filename)
		if l, ok := resourceLink(raw, title, a.ContentType, a.Type != "link"); ok && !seen[l.URL] {
			if l.Kind == catalog.LinkOther && isSlidesMIME(a.ContentType) {
				l.Kind = catalog.LinkSlides
			}
			seen[l.URL] = true
			links = append(links, l)
		}
	}
	return links
}

func isSlidesMIME(mime string) bool {
	mime = strings.ToLower(mime)
	return mime == "application/pdf" || strings.Contains(mime, "presentation") || strings.Contains(mime, "powerpoint")
}

// resolve makes a URL absolute against the input's own URL (the timetable
// gives relative ones); a relative URL with nothing to resolve it against
// is dropped.
func (ir *indicoReader) resolve(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.IsAbs() {
		return u.String()
	}
	if ir.base == nil {
		return ""
	}
	return ir.base.ResolveReference(u).String()
}

// indicoEdition names the series and edition of an Indico event. Meeting
// titles often carry a place or theme after the edition ("UKNOF53 -
// Manchester"); the edition alone names the event when it is a numbered
// one.
func indicoEdition(title string, year int) (series, event string) {
	title = catalog.CleanText(title)
	if m := regexp.MustCompile(`^(.+?)\s*(?:\s[-–—|]\s|:\s)`).FindStringSubmatch(title); m != nil {
		if stem, ok := numberedEdition(m[1]); ok {
			return stem, m[1]
		}
	}
	return editionNames(title, "", year)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// indicoKey names a contribution: "indico:<host>:<event id>:<contribution
// id>". Ids are small numbers per Indico server, so the server's host (from
// the contribution's URL) keeps two servers' talks apart; without a URL the
// key is "indico:<event id>:<contribution id>".
func indicoKey(contributionURL, eventID, contributionID string) string {
	if u, err := url.Parse(contributionURL); err == nil && u.Host != "" {
		return indicoSource + ":" + strings.ToLower(u.Host) + ":" + eventID + ":" + contributionID
	}
	return indicoSource + ":" + eventID + ":" + contributionID
}
