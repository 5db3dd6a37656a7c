package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/demo"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/server"
)

// site is a real talkdex server over a real catalog in a temporary
// directory, loaded with the embedded demo talks.
type site struct {
	url string       // base URL, http://127.0.0.1:port
	cat *app.Catalog // the service the server writes to, for checking what the UI did
}

// startSite opens a catalog in t.TempDir(), imports the demo catalog plus
// extra, and serves it on loopback. The server's Host check stays on: its
// Config has no Addr, which it treats as loopback, and the browser sends
// Host 127.0.0.1:port, one of the names it allows.
func startSite(t *testing.T, extra ...*catalog.Talk) *site {
	t.Helper()
	// Every site here is for a browser; without one, skip before the import.
	requireChromium(t)
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cat, err := app.Open(ctx, t.TempDir(), logger)
	if err != nil {
		t.Fatalf("open catalog: %v", err)
	}
	t.Cleanup(func() {
		if err := cat.Close(); err != nil {
			t.Errorf("close catalog: %v", err)
		}
	})
	importJSONL(t, cat, "demo catalog", demo.Catalog())
	if len(extra) > 0 {
		var lines bytes.Buffer
		enc := json.NewEncoder(&lines)
		for _, talk := range extra {
			if err := enc.Encode(talk); err != nil {
				t.Fatalf("encode talk %q: %v", talk.Title, err)
			}
		}
		importJSONL(t, cat, "test talks", &lines)
	}

	srv, err := server.New(server.Config{}, cat, logger)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &site{url: ts.URL, cat: cat}
}

// importJSONL imports talk records through the same reader `talkdex import`
// uses, so that test talks reach the UI exactly as imported ones do.
func importJSONL(t *testing.T, cat *app.Catalog, name string, r io.Reader) {
	t.Helper()
	src := func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		return formats.Read(ctx, r, formats.Options{Format: formats.FormatJSONL, Name: name}, emit)
	}
	report, err := cat.Import(context.Background(), src, nil)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	if report.Inserted == 0 || report.Skipped > 0 {
		t.Fatalf("import %s: %+v; want every record inserted", name, report)
	}
}

// talk reads a talk back from the catalog.
func (s *site) talk(t *testing.T, id int64) *catalog.Talk {
	t.Helper()
	talk, err := s.cat.FindTalkByID(context.Background(), id)
	if err != nil {
		t.Fatalf("find talk %d: %v", id, err)
	}
	return talk
}

// testWriter sends the server's warnings and errors to the test log, where
// they explain a failing page.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}
