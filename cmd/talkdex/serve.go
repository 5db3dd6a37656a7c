package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
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
		addr         string
		demoMode     bool
		allowedHosts []string
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
			// A server starts at once whatever state its index is in: a
			// damaged or outdated index is rebuilt in the background while
			// searches are answered from the database. The demo's fresh
			// catalog is indexed as it loads.
			cat, logger, err := c.openCatalogWith(ctx, slog.LevelInfo, app.Options{BackgroundRebuild: !demoMode})
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
			srv, err := server.New(server.Config{Addr: addr, AllowedHosts: allowedHosts}, cat, logger)
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
