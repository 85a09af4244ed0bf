//go:build linux

package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The goals of issue 26 ("Plans that cost pages, not objects"), as ratios from one run.
const (
	goalN            = 1000
	goalPlanCalls    = 15 // API calls of a plan of goalN instances under one schema
	goalLatency      = 100 * time.Millisecond
	goalVsBefore     = 0.5  // plan at goalLatency / the same plan before refresh by list
	goalVsBaseline   = 2.2  // plan at 0 ms / terraform_data
	goalVsFloor      = 1.3  // plan at 0 ms / floor
	goalApplyVsBase  = 1.05 // apply at 0 ms / terraform_data
	goalRSSN         = 5000
	goalRSSKiB       = 64 << 10 // 64 MiB, as getrusage counts (KiB)
	statusMet        = "met"
	statusNotMet     = "**not met**"
	statusNotMeasure = "not measured"
)

// goalResult is one line of the goals table.
type goalResult struct {
	goal, measured, status string
}

func verdict(ok bool) string {
	if ok {
		return statusMet
	}
	return statusNotMet
}

// evaluateGoals judges every goal of issue 26 from one run's figures; a goal whose
// figures the run did not take (another -n, -latency, -rss-n, or no -before) is "not
// measured", with the reason.
func evaluateGoals(sizes []sizeResult, rss *rssResult, latency time.Duration) []goalResult {
	var s *sizeResult
	for i := range sizes {
		if sizes[i].n == goalN {
			s = &sizes[i]
		}
	}
	notRun := fmt.Sprintf("this run has no N=%d", goalN)
	wallOf := func(kind, command string, lat time.Duration) (float64, bool) {
		if s == nil {
			return 0, false
		}
		return medianOf(s.of(kind, command, lat), func(x sample) float64 { return x.wall.Seconds() })
	}
	ratioGoal := func(text, command, base string, limit float64) goalResult {
		g := goalResult{goal: text, status: statusNotMeasure, measured: notRun}
		p, ok1 := wallOf("provider", command, 0)
		q, ok2 := wallOf(base, command, 0)
		if ok1 && ok2 {
			g.measured = fmt.Sprintf("%.2f s / %.2f s = %.2fx", p, q, p/q)
			g.status = verdict(p/q <= limit)
		}
		return g
	}

	calls := goalResult{goal: fmt.Sprintf("API calls of a plan of %d instances under one schema: at most %d", goalN, goalPlanCalls), status: statusNotMeasure, measured: notRun}
	if s != nil {
		if p := s.of("provider", "plan", 0); len(p) > 0 {
			n := total(p[0].requests)
			calls.measured, calls.status = fmt.Sprint(n), verdict(n <= goalPlanCalls)
			if b := s.of("before", "plan", 0); len(b) > 0 {
				calls.measured += fmt.Sprintf(" (before refresh by list: %d)", total(b[0].requests))
			}
		}
	}

	vsBefore := goalResult{goal: fmt.Sprintf("plan N=%d at %s: at most %.1fx our own plan before refresh by list (commit %s)", goalN, fmtLatency(goalLatency), goalVsBefore, beforeCommit[:7]),
		status: statusNotMeasure, measured: notRun}
	switch p, ok1 := wallOf("provider", "plan", goalLatency); {
	case latency != goalLatency:
		vsBefore.measured = fmt.Sprintf("this run's latency is %s", fmtLatency(latency))
	case s == nil:
	case !ok1:
		vsBefore.measured = "no plan at this latency"
	default:
		q, ok2 := wallOf("before", "plan", goalLatency)
		if !ok2 {
			vsBefore.measured = fmt.Sprintf("ours %.2f s; the provider before refresh by list was not measured (-before)", p)
			break
		}
		vsBefore.measured = fmt.Sprintf("%.2f s / %.2f s = %.2fx", p, q, p/q)
		vsBefore.status = verdict(p/q <= goalVsBefore)
	}
	if o, ok := wallOf("official", "plan", goalLatency); ok && latency == goalLatency {
		vsBefore.measured += fmt.Sprintf("; the official provider: %.2f s", o)
	}

	mem := goalResult{goal: fmt.Sprintf("peak provider RSS of a plan at N=%d under %d MiB", goalRSSN, goalRSSKiB>>10), status: statusNotMeasure,
		measured: fmt.Sprintf("this run has no plan of %d (-rss-n)", goalRSSN)}
	if rss != nil && rss.n == goalRSSN {
		mem.measured, mem.status = fmt.Sprintf("%.1f MiB", mib(rss.s.provRSS)), verdict(rss.s.provRSS < goalRSSKiB)
	}

	return []goalResult{
		calls,
		vsBefore,
		ratioGoal(fmt.Sprintf("plan N=%d at 0 ms: at most %.1fx terraform_data", goalN, goalVsBaseline), "plan", "baseline", goalVsBaseline),
		ratioGoal(fmt.Sprintf("plan N=%d at 0 ms: at most %.1fx the floor", goalN, goalVsFloor), "plan", "floor", goalVsFloor),
		mem,
		ratioGoal(fmt.Sprintf("apply N=%d at 0 ms: at most %.2fx terraform_data", goalN, goalApplyVsBase), "apply", "baseline", goalApplyVsBase),
	}
}

// The budget of a command: what this provider may call at most, before and after
// refresh by list (internal/provider/budget_test.go holds the exact counts).
var (
	// perObject is the calls per managed object: a plan reads each at most once, an apply
	// from nothing creates each once, a destroy reads and deletes each.
	perObject = map[string]int{"plan": 1, "apply": 1, "destroy": 2}
	// configures is how often Terraform configures the provider in a command (a plan; an
	// apply's plan and apply; a destroy's refresh, plan and apply), each with one
	// credentials check.
	configures = map[string]int{"plan": 1, "apply": 2, "destroy": 3}
)

// listPages is the list calls a command may add for n instances under one schema: every
// page of instances (100 a page) and the page of schemas, as refresh by list reads them
// and a destroy's plan lists a schema's instances to name them.
func listPages(n int) int { return (n+99)/100 + 1 }

// budget is the most calls a command may make at N.
func budget(command string, n int) int {
	return perObject[command]*(n+1) + configures[command] + listPages(n)
}

// budgetAlarms checks this provider's calls in every command of the run: each within
// its budget, an apply with exactly one create per object, every run of a command
// making the same calls, at every latency. It returns what broke, or nothing.
func budgetAlarms(sizes []sizeResult) []string {
	var alarms []string
	for _, s := range sizes {
		cells := slices.SortedFunc(maps.Keys(s.samples), func(a, b cell) int {
			return strings.Compare(fmt.Sprint(a.command, a.latency), fmt.Sprint(b.command, b.latency))
		})
		for _, c := range cells {
			if c.kind != "provider" {
				continue
			}
			runs := s.samples[c]
			first := runs[0].requests
			where := fmt.Sprintf("N=%d %s at %s", s.n, c.command, fmtLatency(c.latency))
			for i, x := range runs[1:] {
				if !maps.Equal(x.requests, first) {
					alarms = append(alarms, fmt.Sprintf("%s: run %d made %d calls (%s), run 1 %d (%s)", where, i+2, total(x.requests), routeSummary(x.requests), total(first), routeSummary(first)))
				}
			}
			if zero := s.of(c.kind, c.command, 0); c.latency != 0 && len(zero) > 0 && !maps.Equal(zero[0].requests, first) {
				alarms = append(alarms, fmt.Sprintf("%s made %d calls (%s), at 0 ms %d (%s)", where, total(first), routeSummary(first), total(zero[0].requests), routeSummary(zero[0].requests)))
			}
			if limit := budget(c.command, s.n); total(first) > limit {
				alarms = append(alarms, fmt.Sprintf("%s made %d calls (%s), over its budget of %d", where, total(first), routeSummary(first), limit))
			}
			if c.command == "apply" {
				if creates := first[mockserver.RouteCreateSchema] + first[mockserver.RouteCreateInstance]; creates != s.resources() {
					alarms = append(alarms, fmt.Sprintf("%s made %d creates for %d objects", where, creates, s.resources()))
				}
			}
		}
	}
	return alarms
}

// fmtLatency writes a latency as the report does: "0 ms", "100 ms", "1.5 s".
func fmtLatency(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%g s", d.Seconds())
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// routeSummary lists request counts by a short name of the mock's route.
func routeSummary(m map[string]int) string {
	byName := map[string]int{}
	for route, n := range m {
		byName[shortRoute(route)] += n
	}
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		parts = append(parts, fmt.Sprintf("%s %d", name, byName[name]))
	}
	return strings.Join(parts, ", ")
}

// shortRoute turns "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}" into
// "GET schema", and the execution-config routes into their last path segment.
func shortRoute(route string) string {
	method, path, _ := strings.Cut(route, " ")
	switch {
	case strings.HasSuffix(path, "migrationstate"):
		name := method + " schema"
		if strings.Contains(path, "{dbinstance}") {
			name = method + " instance"
		}
		if strings.Contains(path, "/flyway/") {
			name += " flyway"
		}
		return name + " migration state"
	case strings.HasPrefix(path, "/ci/"):
		return "ci " + path[strings.LastIndex(path, "/")+1:]
	case strings.HasSuffix(path, "/instancelist"):
		return method + " instance list"
	case strings.HasSuffix(path, "{dbinstance}"), strings.HasSuffix(path, "/instance"):
		return method + " instance"
	case strings.HasSuffix(path, "/dbschema/overview"):
		return method + " schema overview"
	case strings.HasSuffix(path, "{dbschema}"):
		return method + " schema"
	case strings.HasSuffix(path, "/dbschema") && method == "POST":
		return "POST schema"
	case strings.HasSuffix(path, "/dbschema"):
		return method + " schema list"
	case strings.Contains(path, "/execution-config/"):
		return path[strings.LastIndex(path, "/")+1:]
	case strings.HasSuffix(path, "/execution-config"):
		return method + " execution-config"
	}
	return route
}

func medianOf(v []sample, f func(sample) float64) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	xs := make([]float64, len(v))
	for i, x := range v {
		xs[i] = f(x)
	}
	return median(xs), true
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianDur(v []time.Duration) time.Duration {
	f := make([]float64, len(v))
	for i, d := range v {
		f[i] = float64(d)
	}
	return time.Duration(median(f)).Round(time.Millisecond)
}

// mib converts getrusage's maxrss, which Linux counts in KiB (1024 bytes), to MiB.
func mib(kib int64) float64 { return float64(kib) / 1024 }
