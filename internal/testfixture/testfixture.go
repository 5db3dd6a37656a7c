// Package testfixture finds the real files in ../shared/fixtures for tests.
// They sit beside the checkout in this workspace and are absent from a
// fresh clone elsewhere, so a test that needs one skips when it is missing.
package testfixture

import (
	"os"
	"path/filepath"
	"testing"
)

// Shared returns <repo root>/../shared/fixtures/<rel> (rel uses slashes),
// or skips the test when that file is not there. The repo root is the
// nearest directory above the test's working directory holding go.mod.
func Shared(tb testing.TB, rel string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("no go.mod above the test directory")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "fixtures", filepath.FromSlash(rel))
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared fixture %s is not available: %v", rel, err)
	}
	return path
}
