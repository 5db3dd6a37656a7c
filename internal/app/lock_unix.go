//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockIndex takes an exclusive advisory lock on path. It returns (nil, nil)
// when another process holds it. The kernel drops the lock when the process
// dies, so a kill -9 never leaves a stale lock behind.
func lockIndex(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open index lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil
		}
		return nil, fmt.Errorf("lock index: %w", err)
	}
	return f, nil
}
