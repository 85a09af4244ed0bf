//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// childEnv makes this test binary the provider that TestWrap runs.
const childEnv = "RSSWRAP_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		// A provider that touches 64 MiB, then exits with 3.
		b := make([]byte, 64<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		runtime.KeepAlive(b)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// rsswrap passes the provider's exit code on and records its peak RSS in KiB, the unit
// the bench divides by 1024 to report MiB: a provider that touched 64 MiB records
// between 65536 and 131072.
func TestWrap(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(childEnv, "1")
	if code := wrap(os.Args[0], dir, []string{"-test.run=^$"}); code != 3 {
		t.Fatalf("exit code %d, want the provider's 3", code)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.rusage"))
	if len(files) != 1 {
		t.Fatalf("rusage files: %q", files)
	}
	raw, _ := os.ReadFile(files[0])
	var rss int64
	var user, sys float64
	if _, err := fmt.Sscan(string(raw), &rss, &user, &sys); err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	if rss < 64<<10 || rss >= 128<<10 {
		t.Errorf("a provider that touched 64 MiB recorded maxrss %d: not KiB", rss)
	}
	if code := wrap("", dir, nil); code != 1 {
		t.Errorf("without a provider: exit code %d", code)
	}
}
