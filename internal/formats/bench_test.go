package formats

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/testfixture"
)

// BenchmarkReadPyvideo parses the whole real pyvideo dump (21,570 talks,
// gzip) from memory, with event titles from its events.jsonl.
func BenchmarkReadPyvideo(b *testing.B) {
	dir := testfixture.Shared(b, "pyvideo")
	data, err := os.ReadFile(filepath.Join(dir, "talks.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Format: FormatAuto, Name: "talks.jsonl.gz", Dir: dir}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	talks := 0
	for b.Loop() {
		_, err := Read(context.Background(), bytes.NewReader(data), opts, func(*catalog.Talk) error {
			talks++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(talks)/b.Elapsed().Seconds(), "talks/s")
}

// BenchmarkExportJSONL writes the pyvideo talks back out as JSON lines.
func BenchmarkExportJSONL(b *testing.B) {
	dir := testfixture.Shared(b, "pyvideo")
	var talks []*catalog.Talk
	if _, err := ReadFile(context.Background(), filepath.Join(dir, "talks.jsonl.gz"), Options{Format: FormatAuto}, func(t *catalog.Talk) error {
		talks = append(talks, t)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var out bytes.Buffer
		ex, err := NewExporter(&out, ExportJSONL)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range talks {
			if err := ex.Write(t); err != nil {
				b.Fatal(err)
			}
		}
		if err := ex.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(talks)*b.N)/b.Elapsed().Seconds(), "talks/s")
}
