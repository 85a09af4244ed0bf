//go:build linux

package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// sample is one terraform command.
type sample struct {
	wall      time.Duration
	tfCPU     float64 // Terraform's own CPU seconds: its rusage minus the provider processes'
	tfRSS     int64   // KiB; for provider runs the max of Terraform and its providers
	provCPU   float64
	provRSS   int64 // KiB, the largest provider process of the command
	provProcs int
	mockCPU   float64
	requests  map[string]int // API calls by the mock's route name
	log       string         // the file holding the command's output
}

// terraform runs one command of kind k with the mock at latency lat, and measures it.
func (b *bench) terraform(ctx context.Context, k kind, lat time.Duration, args ...string) (sample, error) {
	return b.terraformEnv(ctx, k, lat, nil, args...)
}

// terraformEnv is terraform with more environment variables. A plan runs with
// -detailed-exitcode: one that finds changes fails the run.
func (b *bench) terraformEnv(ctx context.Context, k kind, lat time.Duration, env []string, args ...string) (sample, error) {
	var s sample
	if err := b.setLatency(ctx, lat); err != nil {
		return s, err
	}
	entries, _ := os.ReadDir(b.rusageDir)
	for _, e := range entries {
		_ = os.Remove(filepath.Join(b.rusageDir, e.Name()))
	}
	if err := b.mockHook(ctx, http.MethodDelete, "/_mock/requests", nil, nil); err != nil {
		return s, err
	}
	mockBefore := b.mockCPU()
	logName := filepath.Join(b.work, "logs", fmt.Sprintf("%s-%s-%s.log", k.name, args[0], lat))
	s.log = logName
	logf, err := os.Create(logName)
	if err != nil {
		return s, err
	}
	defer func() { _ = logf.Close() }()
	if b.o.profile && k.name == "provider" {
		dir, err := b.profileDir(logName)
		if err != nil {
			return s, err
		}
		env = append(env, profileDirEnv+"="+dir)
	}
	cmd := exec.CommandContext(ctx, "terraform", append([]string{"-chdir=" + k.dir}, args...)...)
	cmd.Env, cmd.Stdout, cmd.Stderr = b.envFor(k, env...), logf, logf
	// On Ctrl-C, let Terraform stop its providers and save its state.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	start := time.Now()
	err = cmd.Run()
	s.wall = time.Since(start)
	if err != nil {
		return s, fmt.Errorf("terraform %s (%s, latency %s): %w (see %s)", strings.Join(args, " "), k.name, fmtLatency(lat), err, logName)
	}
	s.mockCPU = b.mockCPU() - mockBefore
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.tfCPU = tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
		s.tfRSS = ru.Maxrss
	}
	if s.provProcs, s.provCPU, s.provRSS, err = readRusage(b.rusageDir); err != nil {
		return s, err
	}
	// Terraform's rusage includes the providers it waited for.
	s.tfCPU -= s.provCPU
	var log struct {
		Counts map[string]int `json:"counts"`
	}
	if err := b.mockHook(ctx, http.MethodGet, "/_mock/requests", nil, &log); err != nil {
		return s, err
	}
	s.requests = log.Counts
	return s, nil
}

// profileDirEnv is where a provider built with -tags profile writes its CPU profiles
// (main_profile.go at the repository root).
const profileDirEnv = "HARNESS_PROVIDER_CPUPROFILE_DIR"

// profileDir empties and returns the profile directory of the command whose log is
// logName: build/bench/profiles/<kind>-<command>-<latency>, so the last run stays.
func (b *bench) profileDir(logName string) (string, error) {
	dir := filepath.Join(b.work, "profiles", strings.TrimSuffix(filepath.Base(logName), ".log"))
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// readRusage adds up the files rsswrap wrote into dir, one per provider process
// ("maxrss_kib user_seconds system_seconds"): how many processes, their CPU seconds, and
// the largest peak RSS in KiB.
func readRusage(dir string) (procs int, cpu float64, peakKiB int64, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return 0, 0, 0, err
		}
		var rss int64
		var user, sys float64
		if _, err := fmt.Sscan(string(raw), &rss, &user, &sys); err != nil {
			return 0, 0, 0, fmt.Errorf("%s: %w", e.Name(), err)
		}
		procs++
		cpu += user + sys
		peakKiB = max(peakKiB, rss)
	}
	return procs, cpu, peakKiB, nil
}

// cell names what a sample measured.
type cell struct {
	kind, command string
	latency       time.Duration
}

// sizeResult holds every sample of one N.
type sizeResult struct {
	n, runs int
	samples map[cell][]sample
}

// resources is what each configuration manages: one schema and n instances.
func (s sizeResult) resources() int { return s.n + 1 }

func (s sizeResult) of(kind, command string, lat time.Duration) []sample {
	return s.samples[cell{kind, command, lat}]
}

// commandArgs are the arguments of a measured command at N.
func (b *bench) commandArgs(command string, n int) []string {
	par, nvar := fmt.Sprintf("-parallelism=%d", b.o.parallelism), fmt.Sprintf("-var=n=%d", n)
	switch command {
	case "plan":
		return []string{"plan", "-detailed-exitcode", "-input=false", par, nvar}
	default:
		return []string{command, "-auto-approve", "-input=false", par, nvar}
	}
}

func (b *bench) measureSize(ctx context.Context, n, runs int, kinds []string) (sizeResult, error) {
	r := sizeResult{n: n, runs: runs, samples: map[cell][]sample{}}
	for i := range runs {
		for _, st := range schedule(b.o, n, i, runs, kinds) {
			for _, name := range st.kinds {
				k := b.kinds[name]
				if st.command == "reset" {
					if err := b.reset(ctx, k); err != nil {
						return r, err
					}
					continue
				}
				s, err := b.terraform(ctx, k, st.latency, b.commandArgs(st.command, n)...)
				if err != nil {
					return r, err
				}
				c := cell{name, st.command, st.latency}
				r.samples[c] = append(r.samples[c], s)
				fmt.Printf("N=%-5d run %d  %-8s %-6s %-9s %7.2fs", n, i+1, st.command, fmtLatency(st.latency), name, s.wall.Seconds())
				if s.provProcs > 0 {
					fmt.Printf("  provider %5.1f MiB, %d API calls", mib(s.provRSS), total(s.requests))
				}
				fmt.Println()
			}
		}
	}
	return r, nil
}

// rssResult is the plan of -rss-n instances.
type rssResult struct {
	n int
	s sample
}

func (b *bench) measureRSS(ctx context.Context, n int) (*rssResult, error) {
	if err := b.populate(ctx, n); err != nil {
		return nil, err
	}
	s, err := b.terraform(ctx, b.kinds["provider"], 0, b.commandArgs("plan", n)...)
	if err != nil {
		return nil, err
	}
	fmt.Printf("N=%d plan: %.2fs, provider %.1f MiB, %.2f s CPU, %d API calls\n", n, s.wall.Seconds(), mib(s.provRSS), s.provCPU, total(s.requests))
	return &rssResult{n: n, s: s}, b.reset(ctx, b.kinds["provider"])
}

// startupResult is what start-up costs.
type startupResult struct {
	schemaProvider, schemaBaseline, handshake []time.Duration
	runs                                      int
}

// measureStartup times `terraform providers schema -json` with and without the provider
// (interleaved), and the provider alone from exec to its go-plugin handshake line.
func (b *bench) measureStartup(ctx context.Context) (startupResult, error) {
	const runs = 7
	r := startupResult{runs: runs}
	for range runs {
		for _, name := range []string{"provider", "baseline"} {
			s, err := b.terraform(ctx, b.kinds[name], 0, "providers", "schema", "-json")
			if err != nil {
				return r, err
			}
			if name == "provider" {
				r.schemaProvider = append(r.schemaProvider, s.wall)
			} else {
				r.schemaBaseline = append(r.schemaBaseline, s.wall)
			}
		}
		d, err := b.handshake(ctx)
		if err != nil {
			return r, err
		}
		r.handshake = append(r.handshake, d)
	}
	fmt.Printf("providers schema: provider %s, baseline %s; exec to handshake %s\n",
		medianDur(r.schemaProvider), medianDur(r.schemaBaseline), medianDur(r.handshake))
	return r, nil
}

// handshake starts the provider as Terraform would and times it until it prints its
// go-plugin handshake line, then kills it.
func (b *bench) handshake(ctx context.Context) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, b.kinds["provider"].real)
	cmd.Env = append(b.envFor(b.kinds["provider"]), "TF_PLUGIN_MAGIC_COOKIE="+tfPluginCookie, "PLUGIN_PROTOCOL_VERSIONS=6")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	d := time.Since(start)
	if err != nil || !strings.Contains(line, "|") {
		return 0, fmt.Errorf("no handshake from the provider: %q, %w", line, err)
	}
	return d, nil
}

func (b *bench) runGoBenchmarks(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", b.o.benchtime, "-count", "1",
		"./internal/client/", "./internal/provider/")
	cmd.Dir = b.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go test -bench: %w\n%s", err, out)
	}
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "pkg:") || strings.HasPrefix(l, "cpu:") {
			keep = append(keep, strings.TrimRight(l, " \t"))
		}
	}
	fmt.Println(strings.Join(keep, "\n"))
	return strings.Join(keep, "\n"), nil
}
