package formats

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FuzzRead feeds arbitrary bytes to every reader, through detection and
// directly: no input may panic, every emitted talk must validate, and a
// failure must be a user-facing EINVALID (the input is in memory, so there
// is no I/O to fail).
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		canonicalLine + "\n" + canonicalLine + "\n",
		"[" + canonicalLine + "]",
		pyvideoLine + "\n",
		pyvideoFile,
		`{"title":"T","speakers":["A"],"related_urls":["u",{"url":"v","label":"slides"}],"duration":12.5}`,
		"{oops\n" + canonicalLine,
		"[{\"series\":1}",
		"",
		"\x1f\x8b\x08",
		gzipped(f, canonicalLine+"\n"),
		// pretalx: widget data (it names no event, so only its refusal runs
		// here) and an API page with the event object the pager adds.
		`{"talks":[{"code":"AB12CD","title":"T","speakers":["SPK"],"room":1,"track":null,"start":"2024-05-14T10:00:00+02:00","end":"2024-05-14T10:30:00+02:00"}],"timezone":"Europe/Berlin","rooms":[{"id":1,"name":{"en":"R"}}],"speakers":[{"code":"SPK","name":"A"}]}`,
		`{"count":1,"next":null,"previous":null,"event":{"name":{"en":"Con 2024"},"slug":"con24","timezone":"Europe/Berlin"},"results":[{"code":"AB12CD","title":"T","speakers":[{"name":"A","code":"SPK"}],"state":"confirmed","slot":{"start":"2024-05-14T10:00:00+02:00","end":"2024-05-14T10:30:00+02:00","room":{"en":"R"}},"resources":[{"resource":"https://x.example/s.pdf","description":"Slides"}]}]}`,
		// Indico: an event export and a timetable.
		`{"_type":"HTTPAPIResult","results":[{"id":"5","title":"UKNOF5","timezone":"Europe/London","contributions":[{"db_id":1,"title":"T","startDate":{"date":"2024-01-02","time":"10:00:00","tz":"Europe/London"},"duration":20,"speakers":[{"first_name":"A","last_name":"B","affiliation":"C"}],"folders":[{"attachments":[{"download_url":"https://x.example/a.pdf","title":"a.pdf"}]}]}]}]}`,
		`{"_type":"HTTPAPIResult","results":{"5":{"20240102":{"s1":{"entryType":"Session","title":"S","entries":{"c2":{"entryType":"Contribution","contributionId":3,"title":"T","startDate":{"date":"2024-01-02","time":"10:00:00","tz":"UTC"}}}},"b3":{"entryType":"Break","title":"B"}}}}}`,
		// frab XML (rooms, no rooms, after midnight, broken) and c3voc JSON v1 and v2.
		`<?xml version="1.0"?><schedule><conference><acronym>31c3</acronym><title>31st Chaos Communication Congress</title><day_change>04:00</day_change></conference><day date="2014-12-27"><room name="R"><event guid="0f5a3c1e-1111-4c2d-9e8f-000000000001" id="1"><start>00:30</start><duration>00:30</duration><title>T</title><persons><person id="1">A</person></persons><links><link href="https://media.ccc.de/v/x">Video</link></links></event></room></day></schedule>`,
		`<schedule><conference><title>FOSDEM 2007</title></conference><day date="2007-02-25"><event id="0"><start>15:00</start><duration>00:45</duration><room>R</room><title>T</title><abstract>&lt;p&gt;x&lt;/p&gt;</abstract></event><event id="1"><start>16:00</start><title>U</title></day></schedule>`,
		`{"schedule":{"version":"1","conference":{"acronym":"con","title":"Con 2020","start":"2020-01-01","time_zone_name":"Europe/Berlin","days":[{"index":1,"date":"2020-01-01","rooms":{"R":[{"guid":"3e9b2f10-4444-4a7b-9c1d-000000000001","id":1,"start":"10:00","duration":"00:30","title":"T","persons":[{"id":1,"public_name":"A"}],"links":[{"url":"/x.pdf","title":"Slides"}]}]}}]}}}`,
		`{"schedule":{"version":"1","conference":{"acronym":"con","title":"Con","start":"2030-01-01T10:00:00Z","end":"2030-01-01T18:00:00Z","rooms":[{"name":"R","guid":"5d0c9a76-3b41-4c1a-9f6e-0000000000a1"}],"days":[]},"events":[{"guid":"11111111-2222-4333-8444-555555555555","start":"2030-01-01T10:00:00Z","end":"2030-01-01T10:20:00Z","title":"T","type":"TALK","room":{"guid":"5d0c9a76-3b41-4c1a-9f6e-0000000000a1"},"participants":[{"name":"A","guid":"2c1f8e1a-0000-4000-8000-000000000001"}]},{"type":"BREAK","title":"B"}]}}`,
		// ICS (folded, zoned, broken), Sessionize (All with a BOM) and JSON-LD in HTML.
		"BEGIN:VCALENDAR\r\nX-WR-CALNAME:Con 2020\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART;TZID=Europe/Berlin:20200101T100000\r\nDURATION:PT30M\r\nSUMMARY:T (talk by A & B)\r\n  continued\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=\"X:1\r\nEND:VEVENT\r\n",
		"\xef\xbb\xbf" + `{"sessions":[{"id":"1","title":"T","startsAt":"2020-01-01T10:00:00","endsAt":"2020-01-01T10:30:00","isServiceSession":false,"speakers":["s"],"categoryItems":[7],"roomId":1}],"speakers":[{"id":"s","fullName":"A"}],"categories":[{"title":"Track","items":[{"id":7,"name":"X"}]}],"rooms":[{"id":1,"name":"R"}]}`,
		`<html><script type="application/ld+json">{"@graph":[{"@type":"Event","@id":"https://c.example/#e","name":"Con 2020","subEvent":{"@id":"https://c.example/#t"}},{"@type":"Event","@id":"https://c.example/#t","name":"T","startDate":"2020-01-01T10:00:00+01:00","duration":"PT30M","performer":{"@type":"Person","name":"A"}}]}</script></html>`,
	} {
		f.Add([]byte(seed))
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "pyvideo", "talks.jsonl")); err == nil {
		f.Add(b)
	}
	for _, pattern := range []string{"testdata/frab/*.xml", "testdata/c3voc/*.json", "testdata/ics/*.ics", "testdata/sessionize/*.json", "testdata/jsonld/*.html"} {
		files, _ := filepath.Glob(filepath.FromSlash(pattern))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range append([]string{FormatAuto}, Names()...) {
			_, err := Read(context.Background(), bytes.NewReader(data), Options{Format: format, Name: "fuzz"}, func(tk *catalog.Talk) error {
				if err := tk.Validate(); err != nil {
					t.Errorf("%s: emitted a talk that does not validate: %v", format, err)
				}
				if tk.Speakers == nil || tk.Tags == nil || tk.Links == nil || tk.Source.Key == "" {
					t.Errorf("%s: emitted a talk that was not normalised: %+v", format, tk)
				}
				return nil
			})
			if err != nil && catalog.ErrorCode(err) != catalog.EINVALID {
				t.Errorf("%s: error %v is not EINVALID", format, err)
			}
		}
	})
}
