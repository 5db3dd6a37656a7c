package scrape

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// reinventAdapter reads the AWS re:Invent session catalog API.
//
// Unchecked: no saved catalog response exists here. The shape assumed is
// that of https://hub.reinvent.awsevents.com/attendee-portal-api/public-catalog/
// as a public project that mirrors it (amwhalen/aws-reinvent-2023-sessions)
// reads it: {"data": [session, …]}, each session with "thirdPartyID" (the
// session code, e.g. "NET301"), "title", "description", "trackName" (the
// session type), "venueName", "locationName", "startDateTime" and
// "endDateTime" (Unix seconds, "" while unscheduled) and "tags"
// ({"tagName", "parentTagName"} with parents such as "Topic", "Areas of
// Interest", "Level", "Day"). That project shows no speakers, so the
// speaker fields tried ("speakers" or "participants" with first/last/full
// name and company) and the recording fields ("videoUrl", "youtubeUrl") are
// guesses; "code" is accepted for the session code as well. The endpoint
// serves the current year's catalog only, so an edition names the year to
// file the talks under. Zone-less times are read in America/Los_Angeles
// (the conference is in Las Vegas).
type reinventAdapter struct{}

const reinventCatalog = "https://hub.reinvent.awsevents.com/attendee-portal-api/public-catalog/"

func (reinventAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:        "reinvent",
		Series:      "AWS re:Invent",
		URLPatterns: []string{reinventCatalog},
		Editions:    "2023 → AWS re:Invent 2023 (the API serves the current year only)",
	}
}

func (reinventAdapter) EditionURLs(edition string) ([]string, error) {
	if _, err := yearEdition("reinvent", edition, 2012); err != nil {
		return nil, err
	}
	return []string{reinventCatalog}, nil
}

func (reinventAdapter) Match(u *url.URL) (string, bool) {
	return "", hostIs(u, "reinvent.awsevents.com") && strings.Contains(u.Path, "/public-catalog")
}

// reinventSession is one catalog entry; flexible fields take whichever of
// their guessed names the API uses.
type reinventSession struct {
	ThirdPartyID string          `json:"thirdPartyID"`
	Code         string          `json:"code"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	TrackName    string          `json:"trackName"`
	Tags         []reinventTag   `json:"tags"`
	Speakers     []reinventSpeak `json:"speakers"`
	Participant  []reinventSpeak `json:"participants"`
	Start        json.RawMessage `json:"startDateTime"`
	End          json.RawMessage `json:"endDateTime"`
	Duration     json.Number     `json:"duration"`
	VenueName    string          `json:"venueName"`
	LocationName string          `json:"locationName"`
	Room         string          `json:"room"`
	VideoURL     string          `json:"videoUrl"`
	YouTubeURL   string          `json:"youtubeUrl"`
}

type reinventTag struct {
	Name   string `json:"tagName"`
	Parent string `json:"parentTagName"`
}

type reinventSpeak struct {
	FullName  string `json:"fullName"`
	Name      string `json:"name"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Company   string `json:"companyName"`
	Company2  string `json:"company"`
}

func (a reinventAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	var body struct {
		Data []reinventSession `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(page.Body))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "reinvent: %s is not the session catalog JSON: %v", page.URL, err)
	}
	zone := mustZone("America/Los_Angeles")
	year := 0
	if page.Edition != "" {
		y, err := yearEdition("reinvent", page.Edition, 2012)
		if err != nil {
			return nil, err
		}
		year = y
	}
	pat := newAgendaPatterns()
	var rows []reinventRow
	for _, s := range body.Data {
		title := catalog.CleanText(s.Title)
		if title == "" || pat.isBreak(title) {
			continue
		}
		start := reinventTime(s.Start, zone)
		if year == 0 && !start.IsZero() {
			year = start.Year()
		}
		rows = append(rows, reinventRow{s, start})
	}
	if year == 0 && len(rows) > 0 {
		return nil, catalog.Errorf(catalog.EINVALID, "reinvent: the catalog at %s gives no session times; name the year, e.g. 2023", page.URL)
	}
	event := "AWS re:Invent " + strconv.Itoa(year)
	talks := make([]*catalog.Talk, 0, len(rows))
	for _, r := range rows {
		talks = append(talks, reinventTalk(r, event, year, page.URL, zone))
	}
	return &Result{Series: "AWS re:Invent", Event: event, Talks: talks, Path: "re:Invent session catalog API"}, nil
}

type reinventRow struct {
	reinventSession
	start time.Time
}

func reinventTalk(r reinventRow, event string, year int, pageURL string, zone *time.Location) *catalog.Talk {
	t := &catalog.Talk{
		Series:   "AWS re:Invent",
		Event:    event,
		Year:     year,
		Title:    r.Title,
		Abstract: r.Description,
		Start:    r.start,
		Room:     reinventRoom(r.reinventSession),
		Track:    r.TrackName,
		Source:   catalog.Source{Name: "reinvent", URL: pageURL},
	}
	if end := reinventTime(r.End, zone); !end.IsZero() && !r.start.IsZero() && end.After(r.start) {
		t.DurationMinutes = int(end.Sub(r.start) / time.Minute)
	} else if d, err := r.Duration.Int64(); err == nil && d > 0 {
		t.DurationMinutes = int(d)
	}
	if code := firstNonEmpty(r.ThirdPartyID, r.Code); code != "" {
		t.Source.Key = "reinvent:" + strconv.Itoa(year) + ":" + strings.ToUpper(code)
	} else {
		t.Source.Key = "reinvent:" + catalog.NormalizeTitle(event) + ":" + catalog.NormalizeTitle(r.Title)
	}
	for _, p := range append(r.Speakers, r.Participant...) {
		name := firstNonEmpty(p.FullName, p.Name, strings.TrimSpace(p.FirstName+" "+p.LastName))
		t.Speakers = append(t.Speakers, catalog.Speaker{Name: name, Affiliation: firstNonEmpty(p.Company, p.Company2)})
	}
	for _, tag := range r.Tags {
		switch strings.ToLower(tag.Parent) {
		case "topic", "topics", "areas of interest", "area of interest", "services":
			t.Tags = append(t.Tags, tag.Name)
		}
	}
	t.Links = append(t.Links, catalog.Link{Kind: catalog.LinkVideo, URL: firstNonEmpty(r.VideoURL, r.YouTubeURL)})
	t.Normalize()
	return t
}

// reinventRoom joins venue and room: "Venetian - Level 3, Room 1".
func reinventRoom(s reinventSession) string {
	venue, room := strings.TrimSpace(s.VenueName), firstNonEmpty(s.LocationName, s.Room)
	switch {
	case venue == "":
		return room
	case room == "":
		return venue
	}
	return venue + " - " + room
}

// reinventTime reads Unix seconds (or milliseconds), RFC 3339, or a
// zone-less "2006-01-02T15:04:05" in venue time; "" and null are no time.
func reinventTime(raw json.RawMessage, zone *time.Location) time.Time {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		s = string(raw)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		switch {
		case n <= 0:
			return time.Time{}
		case n >= 1e12:
			return time.UnixMilli(n).In(zone)
		default:
			return time.Unix(n, 0).In(zone)
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t
		}
	}
	return time.Time{}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
