//go:build !unix

package app

import (
	"fmt"
	"os"
)

// lockIndex has no advisory locks to use on this system, so it only opens
// the lock file: talkdex assumes one process per data dir here.
func lockIndex(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open index lock: %w", err)
	}
	return f, nil
}
