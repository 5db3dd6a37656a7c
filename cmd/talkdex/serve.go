package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/demo"
	"github.com/talkdex/talkdex/internal/formats"
	"github.com/talkdex/talkdex/internal/server"
)

// outboxPollInterval is how often the server applies writes that other
// processes (the CLI) left in the outbox while the server owned the index.
const outboxPollInterval = 2 * time.Second

func (c *cli) serveCommand() *cobra.Command {
	var (
		addr           string
		demoMode       bool
		readAccess     string
		trustedProxies []string
		allowedHosts   []string
	)
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--demo]",
		Short: "Serve the web UI and the JSON API",
		Long: `Serve the web UI and the JSON API under /api/v1.

--demo starts on a temporary data directory loaded with the embedded demo
catalog of real NOG talks; it is deleted when the server stops.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if demoMode {
				if c.dataDir != "" {
					return usagef("--demo uses a temporary data directory; drop --data")
				}
				dir, err := os.MkdirTemp("", "talkdex-demo-*")
				if err != nil {
					return fmt.Errorf("create demo data dir: %w", err)
				}
				defer os.RemoveAll(dir)
				c.dataDir = dir
			}
			tightenGC()
			// The guard is settled before the catalog opens, so that a
			// server that may not start touches nothing.
			cfg := server.Config{Addr: addr, AllowedHosts: allowedHosts, TrustedProxies: trustedProxies}
			dir, err := c.resolveDataDir()
			if err != nil {
				return err
			}
			if err := c.guardServer(&cfg, dir, readAccess); err != nil {
				return err
			}
			// A server starts at once whatever state its index is in: a
			// damaged or outdated index is rebuilt in the background while
			// searches are answered from the database. The demo's fresh
			// catalog is indexed as it loads.
			cat, logger, err := c.openCatalogWith(ctx, slog.LevelInfo, app.Options{BackgroundRebuild: !demoMode, Completions: true, WarmIndex: true})
			if err != nil {
				return err
			}
			defer cat.Close()
			if !cat.OwnsIndex() {
				return catalog.Errorf(catalog.ECONFLICT, "another talkdex process holds the search index in %s (a server, or an import or reindex still running)", cat.Dir())
			}
			if demoMode {
				report, err := importDemo(ctx, cat)
				if err != nil {
					return err
				}
				logger.Info("demo catalog loaded", "talks", report.Inserted, "dir", cat.Dir())
			}
			srv, err := server.New(cfg, cat, logger)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			if err := cat.AdvertiseServer(ln.Addr().String()); err != nil {
				ln.Close()
				return err
			}
			logger.Info("serving", "url", "http://"+ln.Addr().String()+"/", "data", cat.Dir())
			go pollOutbox(ctx, cat, logger)
			return srv.Serve(ctx, ln)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&demoMode, "demo", false, "serve the embedded demo catalog from a temporary data dir")
	cmd.Flags().StringSliceVar(&allowedHosts, "allow-host", nil, "extra host name the browser may use to reach the server (repeatable); guards against DNS rebinding")
	cmd.Flags().StringVar(&readAccess, "read-access", readPublic, "beyond loopback: who may read, public or token (writes always need the token)")
	cmd.Flags().StringSliceVar(&trustedProxies, "trust-proxy", nil, "CIDR of a reverse proxy whose X-Forwarded-For names the client (repeatable)")
	return cmd
}

func importDemo(ctx context.Context, cat *app.Catalog) (catalogReport, error) {
	src := func(ctx context.Context, emit func(*catalogTalk) error) ([]catalogSkip, error) {
		return formats.Read(ctx, demo.Catalog(), formats.Options{Format: formats.FormatJSONL, Name: "demo catalog"}, emit)
	}
	report, err := cat.Import(ctx, src, nil)
	if err != nil {
		return report, fmt.Errorf("load demo catalog: %w", err)
	}
	return report, nil
}

func pollOutbox(ctx context.Context, cat *app.Catalog, logger *slog.Logger) {
	t := time.NewTicker(outboxPollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := cat.Sync(ctx); err != nil && ctx.Err() == nil {
				logger.Error("apply index outbox", "err", err)
			}
		}
	}
}

// Read access of a server beyond loopback.
const (
	readPublic = "public"
	readToken  = "token"
)

// guardServer decides how a server is guarded. On loopback only this
// machine's users reach it, and it needs no login. On any other address
// every write needs the data dir's token ('talkdex token'), reads too with
// --read-access token, and without a token the server refuses to start.
func (c *cli) guardServer(cfg *server.Config, dir, readAccess string) error {
	if readAccess != readPublic && readAccess != readToken {
		return usagef("--read-access %q: use %s or %s", readAccess, readPublic, readToken)
	}
	// A loopback server behind a reverse proxy (--trust-proxy, or a public
	// name in --allow-host) is reached from the network all the same.
	if server.IsLoopback(cfg.Addr) && !reachedThroughProxy(cfg) {
		if readAccess == readToken {
			return usagef("--read-access token needs an address beyond loopback (or a proxy: --trust-proxy); on loopback the server needs no login")
		}
		return nil
	}
	token, err := app.ReadToken(dir)
	if err != nil {
		return err
	}
	if token == "" {
		return catalog.Errorf(catalog.EUNAUTHORIZED, "refusing to serve on %s (or through a proxy) without a token: anyone on the network could change your ratings and notes; run 'talkdex token' first", cfg.Addr)
	}
	cfg.TokenFile = filepath.Join(dir, app.TokenFile)
	cfg.ReadNeedsToken = readAccess == readToken
	return nil
}

// reachedThroughProxy reports whether a server is set up to be reached
// through a reverse proxy: trusted proxy ranges, or a host name other than
// this machine's own among the allowed hosts.
func reachedThroughProxy(cfg *server.Config) bool {
	if len(cfg.TrustedProxies) > 0 {
		return true
	}
	for _, h := range cfg.AllowedHosts {
		if !server.IsLoopback(h) {
			return true
		}
	}
	return false
}

// serverGCPercent is the garbage collector's target for a server: the heap
// may grow half again over what is live before a collection, not double.
// A server's live heap is mostly the completion index (about 60 MB at 100k
// talks), and each search leaves garbage behind; at the default of 100 the
// collected garbage of a few searches kept about 40 MB more resident over
// 100k talks, for a collector that takes 2% of the CPU.
const serverGCPercent = 50

// tightenGC applies serverGCPercent unless the user set GOGC.
func tightenGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
}
