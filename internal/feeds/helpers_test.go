package feeds

import (
	"errors"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// talk is a normalised talk with the fields every test needs; change
// what a case is about.
func talk(key, title string, change func(*catalog.Talk)) *catalog.Talk {
	t := &catalog.Talk{
		Series: "DENOG",
		Event:  "DENOG9",
		Title:  title,
		Source: catalog.Source{Name: "denog", Key: key},
	}
	if change != nil {
		change(t)
	}
	t.Normalize()
	return t
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// failingWriter fails every write with err, as a closed connection would.
type failingWriter struct{ err error }

func newFailingWriter() failingWriter { return failingWriter{err: errors.New("connection reset")} }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
