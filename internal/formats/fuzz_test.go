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
	} {
		f.Add([]byte(seed))
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "pyvideo", "talks.jsonl")); err == nil {
		f.Add(b)
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
