package formats

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

func TestValidateTimeZone(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string // "" when the name is fine
	}{
		{"", ""},
		{"Europe/Berlin", ""},
		{"America/Argentina/Buenos_Aires", ""},
		{"UTC", ""},
		{" Asia/Kolkata ", ""},
		{"Mars/Olympus", `unknown time zone "Mars/Olympus"; use an IANA name such as Europe/Berlin`},
		{"+02:00", `unknown time zone "+02:00"; use an IANA name such as Europe/Berlin`},
		{"../../etc/passwd", `unknown time zone "../../etc/passwd"; use an IANA name such as Europe/Berlin`},
		{"Local", `time zone "Local" is this machine's zone, not the conference's; use an IANA name such as Europe/Berlin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateTimeZone(tt.name)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateTimeZone(%q) = %v, want nil", tt.name, err)
				}
				return
			}
			if catalog.ErrorCode(err) != catalog.EINVALID || catalog.ErrorMessage(err) != tt.wantErr {
				t.Fatalf("ValidateTimeZone(%q) = %v (code %q), want EINVALID %q", tt.name, err, catalog.ErrorCode(err), tt.wantErr)
			}
		})
	}
}

type zonedWant struct {
	title   string
	start   string // RFC 3339 with the offset
	minutes int
}

// Each fixture holds talks on both sides of Europe/Berlin's change to
// summer time (02:00 → 03:00 on 2024-03-31) written as wall-clock times,
// plus times whose zone the input names, which --tz must not touch.
func TestTimeZoneOption(t *testing.T) {
	sessionize := Options{Series: "Spring Meetup", Event: "Spring Meetup 2024"}
	withTZ := func(o Options, tz string) Options { o.TimeZone = tz; return o }
	tests := []struct {
		name string
		file string
		opts Options
		want []zonedWant
	}{
		{
			name: "sessionize without --tz keeps wall clock as UTC",
			file: "sessionize/tz-dst.json", opts: sessionize,
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00Z", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00Z", 120},
				{"Summer Time With A Z", "2024-03-31T10:00:00Z", 30},
				{"A Real Offset", "2024-03-31T10:00:00-04:00", 50},
			},
		},
		{
			name: "sessionize with --tz Europe/Berlin",
			file: "sessionize/tz-dst.json", opts: withTZ(sessionize, "Europe/Berlin"),
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00+01:00", 45},
				// 01:30 CET to 03:30 CEST is one hour.
				{"Through The Night Of The Change", "2024-03-31T01:30:00+01:00", 60},
				// Sessionize's "Z" is the event's wall clock too.
				{"Summer Time With A Z", "2024-03-31T10:00:00+02:00", 30},
				{"A Real Offset", "2024-03-31T10:00:00-04:00", 50},
			},
		},
		{
			name: "ics floating without --tz",
			file: "ics/floating-dst.ics",
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00Z", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00Z", 120},
				{"Summer Time", "2024-03-31T10:00:00Z", 30},
				{"Named Zone", "2024-03-31T10:00:00-04:00", 50},
				{"Plain UTC", "2024-03-31T10:00:00Z", 20},
			},
		},
		{
			name: "ics floating with --tz Europe/Berlin",
			file: "ics/floating-dst.ics", opts: Options{TimeZone: "Europe/Berlin"},
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00+01:00", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00+01:00", 60},
				{"Summer Time", "2024-03-31T10:00:00+02:00", 30},
				{"Named Zone", "2024-03-31T10:00:00-04:00", 50}, // TZID wins
				{"Plain UTC", "2024-03-31T10:00:00Z", 20},       // Z wins
			},
		},
		{
			name: "frab without --tz uses the day's offset, else UTC",
			file: "frab/tz.xml",
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00Z", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00+01:00", 60},
				// The day's start offset, though summer time has begun.
				{"Summer Time", "2024-03-31T10:00:00+01:00", 30},
				{"A Real Offset", "2024-03-31T12:00:00-04:00", 50},
			},
		},
		{
			name: "frab with --tz Europe/Berlin",
			file: "frab/tz.xml", opts: Options{TimeZone: "Europe/Berlin"},
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00+01:00", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00+01:00", 60},
				{"Summer Time", "2024-03-31T10:00:00+02:00", 30},
				{"A Real Offset", "2024-03-31T12:00:00-04:00", 50}, // the event's own offset wins
			},
		},
		{
			name: "c3voc without --tz uses the day's offset, else UTC",
			file: "c3voc/tz.json",
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00Z", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00+01:00", 60},
				{"Summer Time Without An Offset", "2024-03-31T10:00:00+01:00", 30},
				{"A Real Offset", "2024-03-31T12:00:00-04:00", 50},
			},
		},
		{
			name: "c3voc with --tz Europe/Berlin",
			file: "c3voc/tz.json", opts: Options{TimeZone: "Europe/Berlin"},
			want: []zonedWant{
				{"Winter Time", "2024-03-30T10:00:00+01:00", 45},
				{"Through The Night Of The Change", "2024-03-31T01:30:00+01:00", 60},
				{"Summer Time Without An Offset", "2024-03-31T10:00:00+02:00", 30},
				{"A Real Offset", "2024-03-31T12:00:00-04:00", 50},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			talks, skips := readFileOpts(t, filepath.Join("testdata", filepath.FromSlash(tt.file)), tt.opts)
			checkZonedTalks(t, talks, skips, tt.want)
		})
	}
}

func checkZonedTalks(t *testing.T, talks []*catalog.Talk, skips []catalog.Skip, want []zonedWant) {
	t.Helper()
	for _, s := range skips {
		if !s.Warning {
			t.Errorf("skip %s: %s", s.Ref, s.Reason)
		}
	}
	if len(talks) != len(want) {
		t.Fatalf("got %d talks, want %d", len(talks), len(want))
	}
	for _, w := range want {
		tk := findTalk(t, talks, w.title)
		checkStart(t, tk, w.start)
		if tk.DurationMinutes != w.minutes {
			t.Errorf("%q lasts %d minutes, want %d", w.title, tk.DurationMinutes, w.minutes)
		}
	}
}

// What the input says about its zone beats --tz; --tz beats what the
// reader would otherwise guess.
func TestTimeZoneOptionPrecedence(t *testing.T) {
	const ics = "BEGIN:VCALENDAR\nX-WR-CALNAME:Hint 2024\n%s\nBEGIN:VEVENT\nUID:h\nDTSTART:20240331T100000\nDURATION:PT30M\nSUMMARY:Floating\nEND:VEVENT\nEND:VCALENDAR\n"
	frab := func(conference string) string {
		return `<?xml version="1.0"?><schedule><conference>` + conference + `</conference>` +
			`<day date="2024-03-31" start="2024-03-31T08:00:00+05:30"><room name="R"><event id="7"><start>10:00</start><duration>00:30</duration><title>Floating</title></event></room></day></schedule>`
	}
	c3voc := func(conference string) string {
		return `{"schedule":{"version":"1","conference":{` + conference + `,"days":[{"index":1,"date":"2024-03-31","day_start":"2024-03-31T08:00:00+05:30","rooms":{"R":[` +
			`{"id":7,"guid":"0e7a0000-0000-4000-8000-000000000007","start":"10:00","duration":"00:30","room":"R","title":"Floating","persons":[]}]}}]}}}`
	}
	tests := []struct {
		name, input, tz, want string
	}{
		{"ics X-WR-TIMEZONE wins", strings.Replace(ics, "%s", "X-WR-TIMEZONE:America/New_York", 1), "Europe/Berlin", "2024-03-31T10:00:00-04:00"},
		{"ics unknown X-WR-TIMEZONE gives way", strings.Replace(ics, "%s", "X-WR-TIMEZONE:Mars/Olympus", 1), "Europe/Berlin", "2024-03-31T10:00:00+02:00"},
		{"ics no hint", strings.Replace(ics, "%s", "PRODID:x", 1), "Asia/Tokyo", "2024-03-31T10:00:00+09:00"},
		{"frab time_zone_name wins", frab(`<title>Hint 2024</title><time_zone_name>Europe/London</time_zone_name>`), "America/New_York", "2024-03-31T10:00:00+01:00"},
		{"frab known series wins", frab(`<title>FOSDEM 2024</title>`), "America/New_York", "2024-03-31T10:00:00+02:00"},
		{"frab --tz beats the day's offset", frab(`<title>Hint 2024</title>`), "America/New_York", "2024-03-31T10:00:00-04:00"},
		{"frab without --tz: the day's offset", frab(`<title>Hint 2024</title>`), "", "2024-03-31T10:00:00+05:30"},
		{"c3voc time_zone_name wins", c3voc(`"title":"Hint 2024","time_zone_name":"Europe/London"`), "America/New_York", "2024-03-31T10:00:00+01:00"},
		{"c3voc known series wins", c3voc(`"title":"36th Chaos Communication Congress","acronym":"36c3"`), "America/New_York", "2024-03-31T10:00:00+02:00"},
		{"c3voc --tz beats the day's offset", c3voc(`"title":"Hint 2024"`), "America/New_York", "2024-03-31T10:00:00-04:00"},
		{"c3voc without --tz: the day's offset", c3voc(`"title":"Hint 2024"`), "", "2024-03-31T10:00:00+05:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			talks, skips, err := readAll(t, tt.input, Options{Name: "in", TimeZone: tt.tz})
			if err != nil {
				t.Fatal(err)
			}
			checkZonedTalks(t, talks, skips, []zonedWant{{"Floating", tt.want, 30}})
		})
	}
}

// An unknown --tz fails the whole stream before any talk is emitted, in
// every reader that uses it, whether the format is named or detected.
func TestTimeZoneOptionUnknown(t *testing.T) {
	const want = `unknown time zone "Mars/Olympus"; use an IANA name such as Europe/Berlin`
	tests := []struct {
		file, format string
	}{
		{"sessionize/tz-dst.json", FormatSessionize},
		{"ics/floating-dst.ics", FormatICS},
		{"frab/tz.xml", FormatFrab},
		{"c3voc/tz.json", FormatC3VOC},
	}
	for _, tt := range tests {
		for _, format := range []string{tt.format, FormatAuto} {
			t.Run(tt.file+"/"+format, func(t *testing.T) {
				opts := Options{Format: format, Series: "Spring Meetup", Event: "Spring Meetup 2024", TimeZone: "Mars/Olympus"}
				var talks []*catalog.Talk
				skips, err := ReadFile(t.Context(), filepath.Join("testdata", filepath.FromSlash(tt.file)), opts, func(tk *catalog.Talk) error {
					talks = append(talks, tk)
					return nil
				})
				if catalog.ErrorCode(err) != catalog.EINVALID || !strings.Contains(catalog.ErrorMessage(err), want) {
					t.Fatalf("err = %v (code %q), want EINVALID containing %q", err, catalog.ErrorCode(err), want)
				}
				if len(talks) != 0 || len(skips) != 0 {
					t.Errorf("%d talks and %d skips emitted before the error", len(talks), len(skips))
				}
			})
		}
	}
}
