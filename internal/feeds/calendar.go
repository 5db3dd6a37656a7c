package feeds

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/talkdex/talkdex/internal/catalog"
)

// defaultDuration is how long a talk with no known duration is shown for:
// a common slot length, and long enough to be visible in a day view.
const defaultDuration = 30 * time.Minute

// defaultProdID names talkdex as the calendar's producer (RFC 5545 3.7.3).
const defaultProdID = "-//talkdex//talkdex watch list//EN"

// CalendarInfo describes an iCalendar feed as a whole.
type CalendarInfo struct {
	Name   string // X-WR-CALNAME and NAME: what calendar apps show
	ProdID string // PRODID; empty means talkdex's own
}

// WriteCalendar writes an iCalendar (RFC 5545) calendar with one VEVENT per
// entry whose talk has a start time, and returns how many it wrote. Talks
// without a start are skipped: a calendar cannot place them.
//
// UID is a name-based UUID from the talk's source key (see talkUUID), so a
// subscribed calendar updates the event rather than adding a copy.
// DTSTART and DTEND are in UTC, which every client reads without a
// VTIMEZONE; DTEND is the start plus the duration, 30 minutes when unknown.
// SUMMARY is the title, LOCATION the room, URL the talk's page, CATEGORIES
// its tags, and DESCRIPTION names the event and speakers, then the
// abstract, then the talkdex page where the user's note is.
func WriteCalendar(w io.Writer, info CalendarInfo, entries []Entry) (written int, err error) {
	cal := ics.NewCalendarFor("talkdex")
	cal.SetProductId(firstNonEmpty(line(info.ProdID), defaultProdID))
	cal.SetCalscale("GREGORIAN")
	if name := line(info.Name); name != "" {
		cal.SetName(name)
	}
	for i, e := range entries {
		if e.Talk == nil {
			return 0, catalog.Errorf(catalog.EINVALID, "calendar entry %d has no talk", i)
		}
		if e.Talk.Start.IsZero() {
			continue
		}
		addEvent(cal, e)
		written++
	}
	// Serialise into memory first: golang-ical ignores some write errors,
	// and a calendar cut short must not look like a complete one. The
	// library's default line ending is the platform's; RFC 5545 wants CRLF.
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ics.WithNewLineWindows); err != nil {
		return 0, fmt.Errorf("serialise calendar: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return 0, fmt.Errorf("write calendar: %w", err)
	}
	return written, nil
}

func addEvent(cal *ics.Calendar, e Entry) {
	t := e.Talk
	ev := cal.AddEvent(talkUUID(t).String() + "@talkdex")
	// DTSTAMP is required. For a published calendar it is when the
	// event's data last changed in the store; Added is the closest we
	// know, and unlike the time of the request it keeps the output
	// stable between fetches.
	stamp := e.Added
	if stamp.IsZero() {
		stamp = t.Start
	}
	ev.SetDtStampTime(stamp)
	ev.SetStartAt(t.Start)
	ev.SetEndAt(t.Start.Add(talkDuration(t)))
	ev.SetSummary(line(t.Title))
	if d := calendarDescription(t, e.URL); d != "" {
		ev.SetDescription(d)
	}
	if room := line(t.Room); room != "" {
		ev.SetLocation(room)
	}
	if u := cleanURL(e.URL); u != "" {
		ev.SetURL(u)
	}
	for _, tag := range t.Tags {
		if tag = line(tag); tag != "" {
			ev.AddCategory(tag)
		}
	}
}

func talkDuration(t *catalog.Talk) time.Duration {
	if t.DurationMinutes <= 0 {
		return defaultDuration
	}
	return time.Duration(t.DurationMinutes) * time.Minute
}

// calendarDescription is the event's notes: the event, a "Speakers:" line
// (the form talkdex's own ICS reader, and people, take as the speakers),
// the abstract, and the talk's page, where the user's note and rating are.
func calendarDescription(t *catalog.Talk, page string) string {
	var lines []string
	if event := line(t.Event); event != "" {
		lines = append(lines, "Event: "+event)
	}
	if names := speakerNames(t); len(names) > 0 {
		lines = append(lines, "Speakers: "+strings.Join(names, ", "))
	}
	if abstract := strings.TrimSpace(plainText(t.Abstract)); abstract != "" {
		lines = append(lines, "", abstract)
	}
	if u := cleanURL(page); u != "" {
		lines = append(lines, "", "Notes and rating: "+u)
	}
	return strings.Join(lines, "\n")
}
