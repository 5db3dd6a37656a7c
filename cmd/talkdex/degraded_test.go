package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// writeSyntheticCatalog writes n talk records as JSONL and returns the path.
func writeSyntheticCatalog(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "talks.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	words := []string{"routing", "peering", "anycast", "optics", "automation", "telemetry", "dns", "ipv6"}
	for i := range n {
		t := catalog.Talk{
			Series: "Synth NOG", Event: fmt.Sprintf("Synth NOG %d", 2000+i%20),
			Title:    fmt.Sprintf("%s and %s, part %d", words[i%len(words)], words[(i/8)%len(words)], i),
			Speakers: []catalog.Speaker{{Name: fmt.Sprintf("Speaker %d", i%700)}},
			Abstract: fmt.Sprintf("Talk %d on %s.", i, words[(i+3)%len(words)]),
			Source:   catalog.Source{Name: "synth", Key: fmt.Sprintf("synth:%d", i)},
		}
		if err := enc.Encode(&t); err != nil {
			panic(err)
		}
	}
	return path
}

func getHealth(t *testing.T, base string) map[string]any {
	t.Helper()
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestServerStartsOnDamagedIndex: the server starts and answers however
// the index was damaged; /healthz says "degraded" while the index is
// rebuilt in the background and "ok" after; searches work throughout.
func TestServerStartsOnDamagedIndex(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", writeSyntheticCatalog(t, 3000))
	id := findID(t, dir, "anycast")
	mustRun(t, dir, "note", fmt.Sprint(id), "a quokka asked the first question")

	damage := map[string]func(){
		"deleted": func() { os.RemoveAll(filepath.Join(dir, "index.bleve")) },
		"garbled": func() {
			filepath.Walk(filepath.Join(dir, "index.bleve"), func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					os.WriteFile(p, []byte(strings.Repeat("garbage ", int(info.Size()/8)+1)), 0o644)
				}
				return nil
			})
		},
	}
	for _, how := range []string{"deleted", "garbled"} {
		damage[how]()
		started := time.Now()
		srv := startServer(t, dir)
		t.Logf("%s index: /healthz answered %v after start", how, time.Since(started).Round(time.Millisecond))
		sawDegraded := false
		deadline := time.Now().Add(60 * time.Second)
		for {
			h := getHealth(t, srv.base)
			resp, err := http.Get(srv.base + "/api/v1/talks?q=quokka")
			if err != nil {
				t.Fatal(err)
			}
			var res catalog.SearchResult
			json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || res.Total != 1 || res.Hits[0].Talk.ID != id {
				t.Fatalf("%s index, state %v: search status %d, %d hits", how, h["index"], resp.StatusCode, res.Total)
			}
			if h["status"] == "degraded" {
				sawDegraded = true
				// The rebuild may end between the health check and the
				// search; only an answer given while the server said it was
				// degraded before and after must say so too.
				if after := getHealth(t, srv.base); after["status"] == "degraded" && !res.Degraded {
					t.Errorf("a degraded server's answer is not marked degraded")
				}
			}
			if h["index"] == "ready" && h["status"] == "ok" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s index: still %v after 60 s", how, h)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("%s index: saw the degraded state: %v", how, sawDegraded)
		srv.cmd.Process.Kill()
		srv.cmd.Wait()
	}
}
