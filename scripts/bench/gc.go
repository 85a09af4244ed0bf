//go:build linux

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// gcOptions are the flags of the -gc mode, which measures the provider's own garbage
// collector setting where it can hurt, with and without it, and decides whether to keep
// it (decideGC). Its run of record (2026-12-05, BENCHMARKS.md) removed the one the
// provider had (GOGC=400 within a 40 MiB soft limit); the mode stays for the next
// candidate.
type gcOptions struct {
	enabled     bool
	n           int
	runs        int
	parallelism int
}

func (g *gcOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&g.enabled, "gc", false, "measure the provider's garbage collector setting instead (plan, refresh and list data source of -gc-n instances, with and without it), "+
		"and write its table and decision into -out")
	fs.IntVar(&g.n, "gc-n", 5000, "-gc: the number of instances")
	fs.IntVar(&g.runs, "gc-runs", gcMinRuns, "-gc: rounds, each measuring every workload with and without the setting in alternating order")
	fs.IntVar(&g.parallelism, "gc-parallelism", 50, "-gc: terraform -parallelism")
}

func (g *gcOptions) check() error {
	if g.enabled && (g.n < 1 || g.runs < 1 || g.parallelism < 1) {
		return errors.New("-gc-n, -gc-runs and -gc-parallelism must be at least 1")
	}
	return nil
}

// The decision rule of the -gc mode: the setting trades memory for CPU, and is kept only
// if it never costs more than it saves.
const (
	// gcTolerance is the difference of medians taken as noise: on an idle 2-core
	// machine, interleaved medians of one workload move by a few percent between runs.
	gcTolerance = 0.05
	// gcMinRuns is the fewest rounds a decision is taken on.
	gcMinRuns = 5
)

// The two variants: the provider's own setting, and Go's defaults. GOGC=100 is Go's
// default, and a GOGC in the environment turns the provider's setting off (the user's
// choice wins), so "off" runs the collector as a provider without the setting would.
var gcVariants = []struct{ name, env string }{{"with", ""}, {"without", "GOGC=100"}}

// gcWorkload is one command the -gc mode measures.
type gcWorkload struct {
	name string
	dir  string
	args []string
	want string // what the command's output must contain, a check that it did the work
}

// gcRow is one workload's samples, by variant.
type gcRow struct {
	workload string
	with     []sample
	without  []sample
}

// gcDecision is the rule's outcome: decided is false when the run cannot decide (too few
// rounds, a busy machine); keep says what the rule found.
type gcDecision struct {
	decided, keep bool
	reasons       []string
}

// decideGC applies the rule: keep the setting when, in every workload, the provider's
// median CPU and wall time with it are at most (1 + gcTolerance) times those without it
// and its peak RSS stays under the 64 MiB goal, and in at least one workload it saves
// more than gcTolerance of the CPU. The decision is only taken on gcMinRuns rounds or
// more, on a machine whose load was under maxLoad when measuring began.
func decideGC(rows []gcRow, runs int, load, maxLoad float64) gcDecision {
	d := gcDecision{decided: true, keep: true}
	saves := false
	for _, r := range rows {
		cpuW, _ := medianOf(r.with, func(x sample) float64 { return x.provCPU })
		cpuO, _ := medianOf(r.without, func(x sample) float64 { return x.provCPU })
		wallW, _ := medianOf(r.with, func(x sample) float64 { return x.wall.Seconds() })
		wallO, _ := medianOf(r.without, func(x sample) float64 { return x.wall.Seconds() })
		if cpuW > cpuO*(1+gcTolerance) {
			d.keep = false
			d.reasons = append(d.reasons, fmt.Sprintf("%s: it costs CPU (%.2fx)", r.workload, cpuW/cpuO))
		}
		if wallW > wallO*(1+gcTolerance) {
			d.keep = false
			d.reasons = append(d.reasons, fmt.Sprintf("%s: it costs wall time (%.2fx)", r.workload, wallW/wallO))
		}
		if peak := peakOf(r.with); peak >= goalRSSKiB {
			d.keep = false
			d.reasons = append(d.reasons, fmt.Sprintf("%s: peak RSS %.1f MiB with it, over %d MiB", r.workload, mib(peak), goalRSSKiB>>10))
		}
		if cpuW < cpuO*(1-gcTolerance) {
			saves = true
		}
	}
	if !saves {
		d.keep = false
		d.reasons = append(d.reasons, fmt.Sprintf("it saves no more than %.0f%% of the provider's CPU in any workload", 100*gcTolerance))
	}
	if runs < gcMinRuns {
		d.decided = false
		d.reasons = append(d.reasons, fmt.Sprintf("%d rounds, fewer than the %d a decision needs", runs, gcMinRuns))
	}
	if load >= maxLoad {
		d.decided = false
		d.reasons = append(d.reasons, fmt.Sprintf("the machine was busy (1-minute load %.2f when measuring began, -max-load %.1f)", load, maxLoad))
	}
	return d
}

func peakOf(v []sample) int64 {
	var m int64
	for _, x := range v {
		m = max(m, x.provRSS)
	}
	return m
}

func runGC(ctx context.Context, o options) error {
	started := time.Now()
	b, stopMock, err := setup(ctx, o, []string{"provider"})
	if err != nil {
		return err
	}
	defer stopMock()
	g := o.gc
	announce(fmt.Sprintf("Populating %d instances (one apply, copied)", g.n))
	if err := b.populate(ctx, g.n); err != nil {
		return err
	}
	par, nvar := fmt.Sprintf("-parallelism=%d", g.parallelism), fmt.Sprintf("-var=n=%d", g.n)
	workloads := []gcWorkload{
		{"plan (refresh)", "provider", []string{"plan", "-detailed-exitcode", "-input=false", par, nvar}, "No changes."},
		{"refresh", "provider", []string{"apply", "-refresh-only", "-auto-approve", "-input=false", par, nvar}, "Apply complete!"},
		{"list data source", "list", []string{"plan", "-input=false", par}, fmt.Sprintf("instances = %d", g.n)},
	}
	rows := make([]gcRow, len(workloads))
	for i, w := range workloads {
		rows[i].workload = w.name
	}
	for round := range g.runs {
		for i, w := range workloads {
			for v := range gcVariants {
				variant := gcVariants[(v+round)%len(gcVariants)] // alternating which goes first
				k := b.kinds["provider"]
				k.dir = filepath.Join(b.work, w.dir)
				var env []string
				if variant.env != "" {
					env = []string{variant.env}
				}
				s, err := b.terraformEnv(ctx, k, 0, env, w.args...)
				if err != nil {
					return err
				}
				if err := outputHas(s.log, w.want); err != nil {
					return fmt.Errorf("%s: %w", w.name, err)
				}
				if variant.name == "with" {
					rows[i].with = append(rows[i].with, s)
				} else {
					rows[i].without = append(rows[i].without, s)
				}
				fmt.Printf("round %d  %-17s %-8s %7.2fs  provider %5.2f s CPU, %5.1f MiB\n", round+1, w.name, variant.name, s.wall.Seconds(), s.provCPU, mib(s.provRSS))
			}
		}
	}
	rep := gcReport{o: o, started: started, took: time.Since(started), waited: b.waited, loadStart: b.loadStart, loadEnd: loadAvg(), machine: machine(ctx), rows: rows}
	if err := writeSection(b.outPath(), gcBeginMarker, gcEndMarker, rep.markdown()); err != nil {
		return err
	}
	announce(fmt.Sprintf("Done in %s: %s updated", time.Since(started).Round(time.Second), o.out))
	return nil
}

// outputHas checks that a command's log holds want.
func outputHas(log, want string) error {
	raw, err := os.ReadFile(log)
	if err != nil {
		return err
	}
	if !strings.Contains(string(raw), want) {
		return fmt.Errorf("its output (%s) lacks %q", log, want)
	}
	return nil
}

type gcReport struct {
	o                  options
	started            time.Time
	took, waited       time.Duration
	loadStart, loadEnd string
	machine            string
	rows               []gcRow
}

func (r gcReport) markdown() string {
	var w strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&w, format, a...) }
	g := r.o.gc
	p("## The garbage collector setting\n\n")
	p("Generated by `make bench BENCH_FLAGS=%q` on %s; the whole run took %s", strings.Join(r.o.args, " "), r.started.UTC().Format("2006-01-02 15:04 MST"), r.took.Round(time.Second))
	if r.waited >= time.Second {
		p(", %s of it waiting for the load to drop", r.waited.Round(time.Second))
	}
	p(".\n\n- **Machine**: %s. **Load average** (1, 5, 15 min) when measuring began: %s; when it ended: %s.\n", r.machine, r.loadStart, r.loadEnd)
	p("- **What**: the provider's own setting (`gcSettings`, `internal/provider/serve.go`: `GOGC=400` within a 40 MiB soft memory "+
		"limit, when Terraform collects no provider log) **with** it, and **without** it (`GOGC=100` in the environment: Go's default, "+
		"which also turns the setting off, as any user's `GOGC` or `GOMEMLIMIT` does). Workloads: a plan (with refresh) of one schema "+
		"and %d instances, a refresh of them (`apply -refresh-only`), and `harness_dbops_db_instances` listing all %d (one RPC whose "+
		"answer holds every instance); `-parallelism=%d`. %d rounds; in each, every workload runs with and without the setting, "+
		"the order alternating between rounds. Medians (min–max).\n\n", g.n, g.n, g.parallelism, g.runs)
	p("| workload | provider CPU s, with | without | with / without | wall s, with | without | with / without | peak RSS MiB, with | without |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	cpu := func(x sample) float64 { return x.provCPU }
	wall := func(x sample) float64 { return x.wall.Seconds() }
	for _, row := range r.rows {
		p("| %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n", row.workload, spread(row.with, cpu), spread(row.without, cpu), ratio(row.with, row.without, cpu),
			spread(row.with, wall), spread(row.without, wall), ratio(row.with, row.without, wall), mib(peakOf(row.with)), mib(peakOf(row.without)))
	}
	d := decideGC(r.rows, g.runs, load1(r.loadStart), r.o.maxLoad)
	p("\n**The rule** (`decideGC`, `scripts/bench/gc.go`): keep the setting when, in every workload, the provider's median CPU and "+
		"wall time with it are at most %.0f%% over those without it and its peak RSS stays under %d MiB, and it saves more than %.0f%% of "+
		"the provider's CPU in at least one; decide only on %d rounds or more, measured on a machine whose 1-minute load was under "+
		"`-max-load` (%.1f) when measuring began.\n\n", 100*gcTolerance, goalRSSKiB>>10, 100*gcTolerance, gcMinRuns, r.o.maxLoad)
	switch {
	case !d.decided:
		p("**No decision from this run**: %s.", strings.Join(d.reasons, "; "))
		if d.keep {
			p(" Its figures would keep the setting.\n")
		} else {
			p(" Its figures would not keep the setting.\n")
		}
	case d.keep:
		p("**Decision: keep the setting.**\n")
	default:
		p("**Decision: remove the setting** (`gcSettings` and `tuneGC` in `internal/provider/serve.go`): %s.\n", strings.Join(d.reasons, "; "))
	}
	return w.String()
}
