package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/sqlite"
)

// RestoreReport says what a restore installed and where the database it
// replaced was kept.
type RestoreReport struct {
	Stats      *catalog.Stats
	SafetyCopy string // "" when the data dir had no database
}

// Restore replaces the data dir's database with a backup and rebuilds the
// index from it. Nothing is replaced until the backup has been checked and
// upgraded to the current schema in a copy; the database it replaces is
// first copied to talkdex.db.before-restore-<time> next to it. It refuses
// while another process (a running server) uses the data dir.
func Restore(ctx context.Context, dir, backup string, logger *slog.Logger) (*RestoreReport, error) {
	if err := sqlite.CheckBackup(ctx, backup); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", dir, err)
	}
	lock, err := lockIndex(filepath.Join(dir, lockFile))
	if err != nil {
		return nil, err
	}
	if lock == nil {
		return nil, catalog.Errorf(catalog.ECONFLICT, "another talkdex process (a running server?) uses %s; stop it, then restore", dir)
	}
	report, err := restoreLocked(ctx, dir, backup)
	// Open takes the lock itself; the index directory is gone by now, so
	// whoever opens the dir next rebuilds it from the restored database.
	lock.Close()
	if err != nil {
		return nil, err
	}
	cat, err := Open(ctx, dir, logger)
	if err != nil {
		return nil, fmt.Errorf("open restored catalog: %w", err)
	}
	defer cat.Close()
	if report.Stats, err = cat.Stats(ctx); err != nil {
		return nil, err
	}
	return report, nil
}

func restoreLocked(ctx context.Context, dir, backup string) (*RestoreReport, error) {
	report := &RestoreReport{}
	dbPath := filepath.Join(dir, DatabaseFile)
	if _, err := os.Stat(dbPath); err == nil {
		report.SafetyCopy = dbPath + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		if err := keepSafetyCopy(ctx, dbPath, report.SafetyCopy); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("restore: %w", err)
	}

	staged, err := stageBackup(ctx, dir, backup)
	if err != nil {
		return nil, err
	}
	defer os.Remove(staged)

	// The old database's WAL must not be replayed into the restored file.
	// Closing the store above checkpointed it; any left-over is stale.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("restore: remove %s: %w", dbPath+suffix, err)
		}
	}
	if err := os.Rename(staged, dbPath); err != nil {
		return nil, fmt.Errorf("restore: install %s: %w", dbPath, err)
	}
	syncDir(dir)
	if err := os.RemoveAll(filepath.Join(dir, IndexDir)); err != nil {
		return nil, fmt.Errorf("restore: remove the old index: %w", err)
	}
	return report, nil
}

// keepSafetyCopy keeps the database a restore replaces: a consistent copy
// through SQLite when it opens, else (a damaged database, the very reason to
// restore) its files as they are.
func keepSafetyCopy(ctx context.Context, dbPath, copyPath string) error {
	store, err := sqlite.Open(ctx, dbPath)
	if err == nil {
		err = store.Backup(ctx, copyPath)
		if cerr := store.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("keep a copy of the current database: %w", err)
		}
		return nil
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := copyFile(dbPath+suffix, copyPath+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("keep a copy of the current (unreadable) database: %w", err)
		}
	}
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// stageBackup copies the backup into the data dir (so the final rename is
// atomic), upgrades the copy to the current schema and checks it.
func stageBackup(ctx context.Context, dir, backup string) (string, error) {
	src, err := os.Open(backup)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dir, ".restore-*.db")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	staged := tmp.Name()
	fail := func(err error) (string, error) {
		tmp.Close()
		os.Remove(staged)
		os.Remove(staged + "-wal")
		os.Remove(staged + "-shm")
		return "", err
	}
	if _, err := io.Copy(tmp, src); err != nil {
		return fail(fmt.Errorf("restore: copy %s: %w", backup, err))
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("restore: %w", err))
	}
	if err := tmp.Close(); err != nil {
		return fail(fmt.Errorf("restore: %w", err))
	}
	store, err := sqlite.Open(ctx, staged)
	if err != nil {
		return fail(fmt.Errorf("restore: open the backup: %w", err))
	}
	err = store.IntegrityCheck(ctx)
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(fmt.Errorf("restore: %w", err))
	}
	return staged, nil
}

// syncDir makes a rename durable; where a directory cannot be synced the
// rename is still atomic, just not yet on disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
