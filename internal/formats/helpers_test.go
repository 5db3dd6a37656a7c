package formats

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// readAll runs Read and collects what it emits.
func readAll(t *testing.T, input string, opts Options) ([]*catalog.Talk, []catalog.Skip, error) {
	t.Helper()
	var talks []*catalog.Talk
	skips, err := Read(context.Background(), strings.NewReader(input), opts, func(tk *catalog.Talk) error {
		talks = append(talks, tk)
		return nil
	})
	return talks, skips, err
}

// readFileAll runs ReadFile and collects what it emits.
func readFileAll(t *testing.T, path, format string) ([]*catalog.Talk, []catalog.Skip) {
	t.Helper()
	var talks []*catalog.Talk
	skips, err := ReadFile(context.Background(), path, Options{Format: format}, func(tk *catalog.Talk) error {
		talks = append(talks, tk)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return talks, skips
}

func gzipped(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func titles(talks []*catalog.Talk) []string {
	out := make([]string, len(talks))
	for i, t := range talks {
		out[i] = t.Title
	}
	return out
}

func wantCode(t *testing.T, err error, code string, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := catalog.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}
