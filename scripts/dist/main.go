package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/semver"
)

// Usage: go run ./scripts/dist -version 1.2.3 [-out dist] [-platforms linux_amd64,...]
func main() {
	version := flag.String("version", "", "the release `version`, without v (semantic, such as 0.1.0)")
	out := flag.String("out", "dist", "the `folder` the artifacts go to; emptied first")
	platforms := flag.String("platforms", "", "comma-separated os_arch `list` to build (default: every platform .goreleaser.yml builds)")
	cfg := flag.String("config", ".goreleaser.yml", "the goreleaser `file` to follow")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *cfg, *version, *out, *platforms); err != nil {
		_, _ = fmt.Fprintln(os.Stderr, "dist:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, cfgPath, version, out, platforms string) error {
	if !semver.IsValid("v"+version) || strings.HasPrefix(version, "v") {
		return fmt.Errorf("-version %q is not a semantic version such as 0.1.0 (without v): Terraform reads the version from the archive's name", version)
	}
	c, err := loadConfig(cfgPath)
	if err != nil {
		return err
	}
	commit, err := commitTime(ctx)
	if err != nil {
		return err
	}
	var list []string
	if platforms != "" {
		list = strings.Split(platforms, ",")
	}
	_, err = build(ctx, c, options{Version: version, Out: out, Platforms: list, Commit: commit, Log: os.Stderr})
	return err
}

// commitTime is the time of the commit being built (goreleaser's CommitTimestamp).
func commitTime(ctx context.Context) (time.Time, error) {
	b, err := exec.CommandContext(ctx, "git", "log", "-1", "--format=%ct").Output()
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the commit's time (git log -1): %w", err)
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the commit's time: %q: %w", b, err)
	}
	return time.Unix(sec, 0), nil
}
