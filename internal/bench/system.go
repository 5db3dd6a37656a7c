package bench

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Memory is a process's resident set now and at its peak, in bytes.
type Memory struct {
	RSS  int64 `json:"rss_bytes"`
	Peak int64 `json:"peak_rss_bytes"`
}

// readMemory reads VmRSS and VmHWM from /proc/<pid>/status ("self" for
// this process). Elsewhere than Linux it returns zeros and no error: the
// figure is then simply missing from the report.
func readMemory(pid string) (Memory, error) {
	f, err := os.Open(filepath.Join("/proc", pid, "status"))
	if os.IsNotExist(err) {
		return Memory{}, nil
	}
	if err != nil {
		return Memory{}, fmt.Errorf("read memory of process %s: %w", pid, err)
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			m.RSS = kb * 1024
		case "VmHWM:":
			m.Peak = kb * 1024
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("read memory of process %s: %w", pid, err)
	}
	return m, nil
}

// databaseSize is an SQLite database's size with its WAL and shared-memory
// files, where recent writes sit until a checkpoint.
func databaseSize(path string) (int64, error) {
	var total int64
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("measure %s: %w", p, err)
		}
		total += info.Size()
	}
	return total, nil
}

// diskUsage sums the sizes of the regular files under path.
func diskUsage(path string) (int64, error) {
	var total int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", path, err)
	}
	return total, nil
}
