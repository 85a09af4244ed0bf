//go:build linux

package main

import (
	"slices"
	"time"
)

// largeFrom is the N from which the costly combinations run in the last run only: an
// apply at the second latency (N creates cost N / parallelism round trips for any
// provider, as no batch create exists; no goal depends on it) and, with -destroy-large,
// a destroy (half a minute of Terraform's own work whatever the provider). The other runs
// reset the state and the mock instead.
const largeFrom = 1000

// kindOrder is the order of the kinds in tables; each run rotates it.
var kindOrder = []string{"provider", "before", "official", "floor", "baseline"}

// applies reports whether a kind has its own state to apply and destroy; "before" plans
// against the provider's state and objects (the same schema, the same mock).
func applies(kind string) bool { return kind != "before" }

// callsAPI reports whether a kind calls the API, and so whether a latency changes it:
// the floor and terraform_data make no call, and their figures at 0 ms stand for every
// latency.
func callsAPI(kind string) bool { return kind == "provider" || kind == "before" || kind == "official" }

// step is one command of a run, made by each of its kinds in turn; "reset" removes each
// kind's state and mock objects instead (no measurement).
type step struct {
	command string // apply, plan, destroy or reset
	latency time.Duration
	kinds   []string
}

// schedule is what run (0-based) of runs does at N, for kinds (in kindOrder). Every
// kind that applies starts and ends a run with no state:
//
//   - apply, then plan, at 0 ms: every kind;
//   - plan at -latency: the kinds that call the API (the state is the 0 ms apply's);
//   - apply at -latency: those that call the API and apply, after a reset; at N >=
//     largeFrom in the last run only;
//   - destroy at 0 ms: every kind that applies; at N >= largeFrom only with
//     -destroy-large, in the last run; otherwise a reset.
func schedule(o options, n, run, runs int, kinds []string) []step {
	order := slices.Clone(kinds)
	if len(order) > 0 {
		r := run % len(order)
		order = append(order[r:], order[:r]...)
	}
	pick := func(keep func(string) bool) []string {
		var out []string
		for _, k := range order {
			if keep(k) {
				out = append(out, k)
			}
		}
		return out
	}
	large, last := n >= largeFrom, run == runs-1
	steps := []step{
		{command: "apply", kinds: pick(applies)},
		{command: "plan", kinds: order},
	}
	if o.latency > 0 {
		steps = append(steps, step{command: "plan", latency: o.latency, kinds: pick(callsAPI)})
		if !large || last {
			both := func(k string) bool { return applies(k) && callsAPI(k) }
			steps = append(steps, step{command: "reset", kinds: pick(both)}, step{command: "apply", latency: o.latency, kinds: pick(both)})
		}
	}
	if !large || (o.destroyLarge && last) {
		return append(steps, step{command: "destroy", kinds: pick(applies)})
	}
	return append(steps, step{command: "reset", kinds: pick(applies)})
}
