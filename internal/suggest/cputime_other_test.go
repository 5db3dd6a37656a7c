//go:build !linux

package suggest

import "time"

// threadCPU falls back to the wall clock where no per-thread CPU clock is
// at hand; the cpu figures then equal the wall ones.
func threadCPU() time.Duration {
	return time.Duration(time.Now().UnixNano())
}
