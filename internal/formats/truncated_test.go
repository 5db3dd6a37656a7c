package formats

import (
	"context"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// TestTruncatedArrayKeepsWhatCameBefore: an export cut off after a
// record's comma is bad JSON at its end, not a failed read; the records
// before the cut are imported and the cut is a skip with a reason.
func TestTruncatedArrayKeepsWhatCameBefore(t *testing.T) {
	in := `[{"series":"S","event":"S 2020","title":"Kept","source":{"name":"x","key":"k1"}},`
	var got []*catalog.Talk
	skips, err := Read(context.Background(), strings.NewReader(in), Options{Format: FormatJSONL, Name: "cut.json"},
		func(t *catalog.Talk) error { got = append(got, t); return nil })
	if err != nil {
		t.Fatalf("a truncated array failed the import: %v", err)
	}
	if len(got) != 1 || got[0].Title != "Kept" {
		t.Errorf("imported %d talks", len(got))
	}
	if catalog.CountSkips(skips) != 1 || !strings.Contains(skips[0].Reason, "bad JSON") {
		t.Errorf("skips %+v", skips)
	}
}
