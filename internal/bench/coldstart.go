package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// coldStartTimeout bounds how long the server may take to answer at all.
const coldStartTimeout = 2 * time.Minute

// ColdStart is the real binary's start-up, measured from a fresh process.
type ColdStart struct {
	// MS is the time from spawning `talkdex serve` until the first
	// /api/v1/talks?q=... answered 200.
	MS float64 `json:"ms"`
	// Server is the server process's memory after it answered the warm-up
	// searches: what a user's `talkdex serve` holds.
	Server Memory `json:"server_memory"`
}

// measureColdStart spawns `binary serve` on dir (which no other process may
// have open), times the first answered search, runs warm searches through
// it and reads its memory, then stops it.
func measureColdStart(ctx context.Context, binary, dir string, queries []MixedQuery) (ColdStart, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return ColdStart{}, err
	}
	cmd := exec.CommandContext(ctx, binary, "serve", "--data", dir, "--addr", addr, "--log-level", "error")
	cmd.Env = append(os.Environ(), "TALKDEX_DATA=", "TALKDEX_LOG_LEVEL=")
	cmd.WaitDelay = 5 * time.Second
	base := "http://" + addr
	client := &http.Client{Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()

	started := time.Now()
	if err := cmd.Start(); err != nil {
		return ColdStart{}, fmt.Errorf("start %s serve: %w", binary, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return // already gone
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}

	first := talksURL(base, MixedQuery{Text: "network"})
	var cs ColdStart
	for {
		if err := getOK(ctx, client, first); err == nil {
			cs.MS = ms(time.Since(started))
			break
		}
		select {
		case err := <-exited:
			return ColdStart{}, fmt.Errorf("talkdex serve exited before answering: %v", err)
		case <-ctx.Done():
			stop()
			return ColdStart{}, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Since(started) > coldStartTimeout {
			stop()
			return ColdStart{}, fmt.Errorf("talkdex serve did not answer a search within %s", coldStartTimeout)
		}
	}
	var searchErr error
	for _, q := range queries {
		if err := getOK(ctx, client, talksURL(base, q)); err != nil {
			searchErr = fmt.Errorf("warm search on the spawned server: %w", err)
			break
		}
	}
	mem, memErr := readMemory(strconv.Itoa(cmd.Process.Pid))
	cs.Server = mem
	stop()
	return cs, errors.Join(searchErr, memErr)
}

// freeLoopbackAddr finds a loopback port no one listens on. Another process
// could take it before the child binds it; on a bench machine that is rare
// enough, and the child then fails loudly.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	return addr, nil
}
