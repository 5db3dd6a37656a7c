package formats

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// TestPretalxExportsShareKeys: schedule.xml, schedule.json, the ICS feed and
// the widget of one pretalx event name each talk by the same source key, so
// importing a second export updates talks instead of listing them twice.
func TestPretalxExportsShareKeys(t *testing.T) {
	dir := testfixture.Shared(t, "pretalx-democon")
	keys := func(name string, opts Options) []string {
		t.Helper()
		var out []string
		_, err := ReadFile(context.Background(), filepath.Join(dir, name), opts, func(tk *catalog.Talk) error {
			out = append(out, tk.Source.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		slices.Sort(out)
		return out
	}
	xml := keys("schedule.xml", Options{})
	json := keys("schedule.json", Options{})
	ics := keys("schedule.ics", Options{Event: "DemoCon 2022"})
	widget := keys("schedule-widget-v2.json", Options{Event: "DemoCon 2022"})
	if len(xml) == 0 || !slices.Equal(xml, json) {
		t.Fatalf("xml and json keys differ:\n%v\n%v", xml, json)
	}
	for _, k := range xml {
		if !slices.Contains(ics, k) {
			t.Errorf("ICS lacks key %s of the XML export", k)
		}
		// A saved widget file does not name its event's slug (only the URL
		// it came from does), so from a file only the talk codes agree.
		code := k[strings.LastIndex(k, ":"):]
		if !slices.ContainsFunc(widget, func(w string) bool { return strings.HasSuffix(w, code) }) {
			t.Errorf("widget lacks talk code %s of the XML export", code)
		}
	}
	if xml[0][:8] != "pretalx:" {
		t.Errorf("keys are not pretalx keys: %s", xml[0])
	}
}

func TestPretalxTalkKey(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"https://pretalx.com/democon/talk/XFUR3C/", "pretalx:democon:XFUR3C"},
		{"https://talks.example.org/pretalx/DENOG15/talk/AB12CD", "pretalx:denog15:AB12CD"},
		{"https://pretalx.com/democon/talk/XFUR3C/?lang=de", "pretalx:democon:XFUR3C"},
		{"https://fosdem.org/2025/schedule/event/fosdem-2025-4321-x/", ""},
		{"https://pretalx.com/democon/talk/lowercase/", ""},
		{"https://pretalx.com/talk/XFUR3C/", ""},
		{"ftp://pretalx.com/democon/talk/XFUR3C/", ""},
		{"https://pretalx.com/democon/talk/XFUR3C/feedback/", ""},
		{"https://pretalx.com/democon/talk/XFUR3C#slides", "pretalx:democon:XFUR3C"},
	}
	for _, tt := range tests {
		got, ok := pretalxTalkKey(&catalog.Talk{Source: catalog.Source{URL: tt.url}})
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("pretalxTalkKey(%q) = %q, %v; want %q", tt.url, got, ok, tt.want)
		}
	}
}
