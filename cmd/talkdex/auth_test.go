package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTokenCommand(t *testing.T) {
	dir := t.TempDir()
	first := strings.TrimSpace(mustRun(t, dir, "token").stdout)
	if len(first) < 40 {
		t.Fatalf("token %q is too short to be a secret", first)
	}
	info, err := os.Stat(filepath.Join(dir, "token"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	if again := strings.TrimSpace(mustRun(t, dir, "token").stdout); again != first {
		t.Errorf("token changed without --rotate")
	}
	if rotated := strings.TrimSpace(mustRun(t, dir, "token", "--rotate").stdout); rotated == first || len(rotated) != len(first) {
		t.Errorf("--rotate gave %q after %q", rotated, first)
	}
}

// TestServeBeyondLoopbackNeedsToken: on an address other machines can
// reach, the server refuses to start without a token, and with one it
// takes writes only from who has it.
func TestServeBeyondLoopbackNeedsToken(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "import", "testdata/talks.jsonl")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	addr := "0.0.0.0:" + itoaInt(port)

	r := talkdex(t, dir, "", "serve", "--addr", addr)
	if r.code != 1 || !strings.Contains(r.stderr, "refusing to serve") || !strings.Contains(r.stderr, "talkdex token") {
		t.Fatalf("serve without a token: exit %d, %q", r.code, r.stderr)
	}
	for _, proxied := range [][]string{{"--trust-proxy", "127.0.0.1/32"}, {"--allow-host", "talks.example.com"}} {
		r := talkdex(t, dir, "", append([]string{"serve", "--addr", "127.0.0.1:" + itoaInt(port)}, proxied...)...)
		if r.code != 1 || !strings.Contains(r.stderr, "refusing to serve") {
			t.Errorf("serve on loopback behind a proxy (%v) without a token: exit %d, %q", proxied, r.code, r.stderr)
		}
	}
	if r := talkdex(t, dir, "", "serve", "--read-access", "token"); r.code != 2 {
		t.Errorf("--read-access token on loopback: exit %d, want a usage error", r.code)
	}

	token := strings.TrimSpace(mustRun(t, dir, "token").stdout)
	cmd := exec.Command(os.Getenv("TALKDEX_TEST_BIN"), "--data", dir, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "TALKDEX_DATA=", "XDG_DATA_HOME=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://127.0.0.1:" + itoaInt(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	id := itoaInt(int(findID(t, dir, "anycast")))
	rate := func(auth string) int {
		req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/talks/"+id+"/rating", strings.NewReader(`{"stars": 3}`))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := rate(""); got != http.StatusUnauthorized {
		t.Errorf("write without the token: %d", got)
	}
	if got := rate("Bearer " + token); got != http.StatusOK {
		t.Errorf("write with the token: %d", got)
	}
	if resp, err := http.Get(base + "/api/v1/talks?q=anycast"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("public read: %v %v", err, resp)
	}
}

func itoaInt(n int) string { return strconv.Itoa(n) }
