package scrape

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// diskCache keeps revalidatable responses so that a re-scrape of an
// unchanged page costs the site a 304 instead of the whole page.
//
// One file per URL, named by the hex SHA-256 of the URL: a line of JSON
// metadata, then the body bytes as received. Bodies stay raw (no base64)
// because they can be tens of MiB.
type diskCache struct {
	dir string
}

// cacheEntry is one cached response.
type cacheEntry struct {
	URL        string      `json:"url"`       // the URL asked for
	FinalURL   string      `json:"final_url"` // where the body came from; validators belong to it
	Status     int         `json:"status"`
	Header     http.Header `json:"header"`
	FetchedAt  time.Time   `json:"fetched_at"`
	BodyLength int         `json:"body_length"`
	Body       []byte      `json:"-"`
}

func openDiskCache(dir string) (*diskCache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating HTTP cache directory: %w", err)
	}
	return &diskCache{dir: dir}, nil
}

func (c *diskCache) path(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:]))
}

// load returns the entry for rawURL, or nil when there is none or it is
// unreadable: the cache is only an optimisation, and a miss merely costs an
// unconditional GET, which then overwrites the bad file.
func (c *diskCache) load(rawURL string) *cacheEntry {
	if c == nil {
		return nil
	}
	data, err := os.ReadFile(c.path(rawURL))
	if err != nil {
		return nil
	}
	meta, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil
	}
	var e cacheEntry
	if err := json.Unmarshal(meta, &e); err != nil {
		return nil
	}
	if e.URL != rawURL || e.BodyLength != len(body) || e.Header == nil {
		return nil
	}
	e.Body = body
	return &e
}

// store writes e atomically: readers see the old entry or the new one,
// never half of either.
func (c *diskCache) store(e *cacheEntry) (err error) {
	e.BodyLength = len(e.Body)
	meta, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encoding cache entry for %s: %w", e.URL, err)
	}
	final := c.path(e.URL)
	tmp, err := os.CreateTemp(c.dir, ".tmp-"+filepath.Base(final)+"-*")
	if err != nil {
		return fmt.Errorf("caching %s: %w", e.URL, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	// json.Marshal escapes newlines, so the first '\n' ends the metadata.
	meta = append(meta, '\n')
	if _, err = tmp.Write(meta); err != nil {
		return fmt.Errorf("caching %s: %w", e.URL, err)
	}
	if _, err = tmp.Write(e.Body); err != nil {
		return fmt.Errorf("caching %s: %w", e.URL, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("caching %s: %w", e.URL, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("caching %s: %w", e.URL, err)
	}
	if err = os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("caching %s: %w", e.URL, err)
	}
	return nil
}
