//go:build linux

// Command rsswrap stands in for the provider binary during `make bench`, so the
// benchmark can read the provider's own peak RSS and CPU time, which Terraform does not
// report. Terraform starts it through dev_overrides as if it were the provider; it runs
// the real provider ($BENCH_REAL_PROVIDER) with the same arguments, standard streams and
// environment, forwards SIGINT and SIGTERM, and when the provider exits writes one file
// to $BENCH_RUSAGE_DIR:
//
//	<pid>.rusage: "maxrss_kib user_seconds system_seconds"
//
// maxrss is getrusage's ru_maxrss, which Linux counts in KiB (1024 bytes): the bench
// divides by 1024 and reports MiB.
//
// It adds one fork and exec to each provider start (about a millisecond).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
)

func main() {
	os.Exit(wrap(os.Getenv("BENCH_REAL_PROVIDER"), os.Getenv("BENCH_RUSAGE_DIR"), os.Args[1:]))
}

// wrap runs provider with args and this process's standard streams, and writes its
// rusage into dir; it returns the provider's exit code.
func wrap(provider, dir string, args []string) int {
	if provider == "" || dir == "" {
		fmt.Fprintln(os.Stderr, "rsswrap: BENCH_REAL_PROVIDER and BENCH_RUSAGE_DIR must be set (this binary is only for make bench)")
		return 1
	}
	cmd := exec.CommandContext(context.Background(), provider, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		return 1
	}
	// Linux counts ru_maxrss in KiB (getrusage(2): "in kilobytes", of 1024 bytes).
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		line := fmt.Sprintf("%d %.6f %.6f\n", ru.Maxrss, seconds(ru.Utime), seconds(ru.Stime))
		name := filepath.Join(dir, strconv.Itoa(cmd.Process.Pid)+".rusage")
		if werr := os.WriteFile(name, []byte(line), 0o644); werr != nil {
			fmt.Fprintln(os.Stderr, "rsswrap:", werr)
		}
	}
	return cmd.ProcessState.ExitCode()
}

func seconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}
