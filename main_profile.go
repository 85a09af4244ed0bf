//go:build profile

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// profileDirEnv names the directory where a provider built with -tags profile writes a
// CPU profile of each of its processes (cpu-<pid>.pprof), from start to the moment
// Terraform stops it: `make bench BENCH_FLAGS=-profile` sets it. Release builds have no
// such tag, and ignore the variable.
const profileDirEnv = "HARNESS_PROVIDER_CPUPROFILE_DIR"

func init() {
	dir := os.Getenv(profileDirEnv)
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		return
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "profile:", err)
		_ = f.Close()
		return
	}
	afterServe = func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
