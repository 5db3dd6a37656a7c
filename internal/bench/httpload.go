package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/server"
)

// Throughput is what the HTTP load test measured.
type Throughput struct {
	Clients           int     `json:"clients"`
	Seconds           float64 `json:"seconds"`
	Requests          int64   `json:"requests"`
	Errors            int64   `json:"errors"`
	RequestsPerSecond float64 `json:"requests_per_second"`
}

// talksURL is the API search for q on the server at base.
func talksURL(base string, q MixedQuery) string {
	v := url.Values{"q": {q.Text}}
	if q.Series != "" {
		v.Set("series", q.Series)
	}
	if q.Year != 0 {
		v.Set("year", strconv.Itoa(q.Year))
	}
	return base + "/api/v1/talks?" + v.Encode()
}

// loadServer serves svc with the real server on a loopback port and drives
// GET /api/v1/talks with clients concurrent clients for d, cycling through
// queries. Any answer but 200 counts as an error.
func loadServer(ctx context.Context, svc catalog.TalkService, queries []MixedQuery, clients int, d time.Duration) (Throughput, error) {
	if len(queries) == 0 || clients < 1 {
		return Throughput{}, fmt.Errorf("HTTP load test needs queries and at least one client")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Throughput{}, fmt.Errorf("listen for the HTTP load test: %w", err)
	}
	srv, err := server.New(server.Config{Addr: ln.Addr().String()}, svc, nil)
	if err != nil {
		ln.Close()
		return Throughput{}, fmt.Errorf("start server for the HTTP load test: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	defer func() {
		hs.Close()
		<-served
	}()

	base := "http://" + ln.Addr().String()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients},
	}
	defer client.CloseIdleConnections()
	var (
		next, okCount, errCount atomic.Int64
		firstErr                error
		errOnce                 sync.Once
		wg                      sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	started := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				q := queries[int(next.Add(1)-1)%len(queries)]
				err := getOK(ctx, client, talksURL(base, q))
				switch {
				case err == nil:
					okCount.Add(1)
				case ctx.Err() != nil:
					return // cut off by the end of the run, not a failure
				default:
					errCount.Add(1)
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(started)
	t := Throughput{
		Clients:           clients,
		Seconds:           elapsed.Seconds(),
		Requests:          okCount.Load(),
		Errors:            errCount.Load(),
		RequestsPerSecond: float64(okCount.Load()) / elapsed.Seconds(),
	}
	if t.Requests == 0 && firstErr != nil {
		return t, fmt.Errorf("HTTP load test: every request failed: %w", firstErr)
	}
	return t, nil
}

// getOK fetches url, reads the whole body (as a client would) and wants 200.
func getOK(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, copyErr := io.Copy(io.Discard, resp.Body)
	closeErr := resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return errors.Join(copyErr, closeErr)
}
