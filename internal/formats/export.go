package formats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Export format names.
const (
	ExportJSON     = "json"
	ExportJSONL    = "jsonl"
	ExportCSV      = "csv"
	ExportMarkdown = "md"
)

// ExportFormats lists the formats NewExporter writes.
func ExportFormats() []string {
	return []string{ExportJSON, ExportJSONL, ExportCSV, ExportMarkdown}
}

// Exporter writes talks one at a time. Close finishes the output (closing
// brackets, buffered Markdown) and flushes it; it does not close the
// underlying writer.
type Exporter interface {
	Write(t *catalog.Talk) error
	Close() error
}

// NewExporter returns an exporter writing format to w:
//
//   - json: one JSON array of talk records, indented.
//   - jsonl: one talk record a line; the canonical form Read imports back
//     (with --format jsonl or auto) without losing anything.
//   - csv: see newCSVExporter for the columns.
//   - md: a Markdown post; see newMarkdownExporter.
func NewExporter(w io.Writer, format string) (Exporter, error) {
	switch format {
	case ExportJSON:
		return &jsonExporter{w: bufio.NewWriter(w)}, nil
	case ExportJSONL:
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonlExporter{w: bw, enc: enc}, nil
	case ExportCSV:
		return newCSVExporter(w)
	case ExportMarkdown:
		return newMarkdownExporter(w), nil
	}
	return nil, catalog.Errorf(catalog.EINVALID, "unknown export format %q; use %s", format, strings.Join(ExportFormats(), ", "))
}

type jsonlExporter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func (e *jsonlExporter) Write(t *catalog.Talk) error {
	if err := e.enc.Encode(t); err != nil {
		return fmt.Errorf("export talk %q as JSON lines: %w", t.Title, err)
	}
	return nil
}

func (e *jsonlExporter) Close() error {
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("export JSON lines: %w", err)
	}
	return nil
}

// jsonExporter streams the array: each talk is written as it comes, so an
// export of any size needs memory for one talk only.
type jsonExporter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	n   int
}

func (e *jsonExporter) Write(t *catalog.Talk) error {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(t); err != nil {
		return fmt.Errorf("export talk %q as JSON: %w", t.Title, err)
	}
	sep := ",\n  "
	if e.n == 0 {
		sep = "[\n  "
	}
	e.n++
	if _, err := e.w.WriteString(sep); err != nil {
		return fmt.Errorf("export JSON: %w", err)
	}
	if _, err := e.w.Write(bytes.TrimRight(e.buf.Bytes(), "\n")); err != nil {
		return fmt.Errorf("export JSON: %w", err)
	}
	return nil
}

func (e *jsonExporter) Close() error {
	end := "\n]\n"
	if e.n == 0 {
		end = "[]\n"
	}
	if _, err := e.w.WriteString(end); err != nil {
		return fmt.Errorf("export JSON: %w", err)
	}
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("export JSON: %w", err)
	}
	return nil
}
