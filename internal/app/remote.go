package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// AdvertiseServer records the address a server in this process listens on,
// so that other processes on the same data dir can send searches to it.
// Close removes the record.
func (c *Catalog) AdvertiseServer(addr string) error {
	if c.lock == nil {
		return catalog.Errorf(catalog.ECONFLICT, "this process does not own the index in %s", c.dir)
	}
	path := filepath.Join(c.dir, serverFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return fmt.Errorf("advertise server address: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("advertise server address: %w", err)
	}
	c.advertised = true
	return nil
}

// remoteSearch answers a search through the API of the process that owns
// the index.
func (c *Catalog) remoteSearch(ctx context.Context, req catalog.SearchRequest) (*catalog.SearchResult, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, serverFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, catalog.Errorf(catalog.ECONFLICT, "another talkdex process owns the index in %s and serves no API to search through", c.dir)
	}
	if err != nil {
		return nil, fmt.Errorf("read server address: %w", err)
	}
	u := url.URL{Scheme: "http", Host: strings.TrimSpace(string(b)), Path: "/api/v1/talks", RawQuery: searchParams(req).Encode()}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("search via the running server: %w", err)
	}
	// A server beyond loopback may want its token for reads; the CLI on
	// the same data dir has it.
	if token, err := ReadToken(c.dir); err == nil && token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("search via the running server at %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error catalog.Error `json:"error"`
		}
		if json.NewDecoder(resp.Body).Decode(&e) == nil && e.Error.Code != "" {
			return nil, &e.Error
		}
		return nil, fmt.Errorf("search via the running server at %s: %s", u.Host, resp.Status)
	}
	var res catalog.SearchResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return nil, fmt.Errorf("decode search response from %s: %w", u.Host, err)
	}
	for i := range res.Hits {
		if res.Hits[i].Talk != nil {
			res.Hits[i].ID = res.Hits[i].Talk.ID
		}
	}
	return &res, nil
}

// searchParams encodes a request as the API's query parameters.
func searchParams(req catalog.SearchRequest) url.Values { return req.Values() }
