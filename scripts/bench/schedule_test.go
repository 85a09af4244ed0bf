//go:build linux

package main

import (
	"fmt"
	"testing"
	"time"
)

// The schedule, played over every run of an N, keeps each kind's state right: an apply
// starts from nothing (else it measures a no-op), a plan and a destroy have something,
// every run ends with nothing. Latency runs only the kinds that call the API; "before"
// never applies; at N >= largeFrom the apply at the latency runs once, and a destroy only
// with -destroy-large; the order rotates between runs.
func TestSchedule(t *testing.T) {
	ms := 100 * time.Millisecond
	for _, tt := range []struct {
		n, runs      int
		latency      time.Duration
		destroyLarge bool
		// how many times each (kind command latency) runs over all runs
		want map[string]int
	}{
		{n: 100, runs: 5, latency: ms, want: map[string]int{
			"provider apply 0s": 5, "provider plan 0s": 5, "provider plan 100ms": 5, "provider apply 100ms": 5, "provider destroy 0s": 5,
			"before plan 0s": 5, "before plan 100ms": 5,
			"official apply 0s": 5, "official plan 0s": 5, "official plan 100ms": 5, "official apply 100ms": 5, "official destroy 0s": 5,
			"floor apply 0s": 5, "floor plan 0s": 5, "floor destroy 0s": 5,
			"baseline apply 0s": 5, "baseline plan 0s": 5, "baseline destroy 0s": 5,
		}},
		{n: 1000, runs: 3, latency: ms, want: map[string]int{
			"provider apply 0s": 3, "provider plan 0s": 3, "provider plan 100ms": 3, "provider apply 100ms": 1,
			"before plan 0s": 3, "before plan 100ms": 3,
			"official apply 0s": 3, "official plan 0s": 3, "official plan 100ms": 3, "official apply 100ms": 1,
			"floor apply 0s": 3, "floor plan 0s": 3,
			"baseline apply 0s": 3, "baseline plan 0s": 3,
		}},
		{n: 1000, runs: 3, latency: ms, destroyLarge: true, want: map[string]int{
			"provider apply 0s": 3, "provider plan 0s": 3, "provider plan 100ms": 3, "provider apply 100ms": 1, "provider destroy 0s": 1,
			"before plan 0s": 3, "before plan 100ms": 3,
			"official apply 0s": 3, "official plan 0s": 3, "official plan 100ms": 3, "official apply 100ms": 1, "official destroy 0s": 1,
			"floor apply 0s": 3, "floor plan 0s": 3, "floor destroy 0s": 1,
			"baseline apply 0s": 3, "baseline plan 0s": 3, "baseline destroy 0s": 1,
		}},
		{n: 100, runs: 2, latency: 0, want: map[string]int{
			"provider apply 0s": 2, "provider plan 0s": 2, "provider destroy 0s": 2, "before plan 0s": 2,
			"official apply 0s": 2, "official plan 0s": 2, "official destroy 0s": 2,
			"floor apply 0s": 2, "floor plan 0s": 2, "floor destroy 0s": 2,
			"baseline apply 0s": 2, "baseline plan 0s": 2, "baseline destroy 0s": 2,
		}},
	} {
		name := fmt.Sprintf("N=%d runs=%d latency=%s destroy-large=%v", tt.n, tt.runs, tt.latency, tt.destroyLarge)
		o := options{latency: tt.latency, destroyLarge: tt.destroyLarge}
		has := map[string]bool{} // state of each kind that applies; "before" uses the provider's
		stateOf := func(k string) string {
			if k == "before" {
				return "provider"
			}
			return k
		}
		got := map[string]int{}
		var firsts []string
		for run := range tt.runs {
			steps := schedule(o, tt.n, run, tt.runs, kindOrder)
			firsts = append(firsts, steps[1].kinds[0])
			for _, st := range steps {
				for _, k := range st.kinds {
					switch st.command {
					case "reset":
						has[stateOf(k)] = false
						continue
					case "apply":
						if has[k] {
							t.Errorf("%s: run %d applies %s at %s over a state: it would measure a plan with nothing to do", name, run+1, k, st.latency)
						}
						has[k] = true
					case "plan":
						if !has[stateOf(k)] {
							t.Errorf("%s: run %d plans %s with no state", name, run+1, k)
						}
					case "destroy":
						if !has[k] {
							t.Errorf("%s: run %d destroys %s with no state", name, run+1, k)
						}
						has[k] = false
					}
					got[fmt.Sprintf("%s %s %s", k, st.command, st.latency)]++
				}
			}
			for k, v := range has {
				if v {
					t.Errorf("%s: run %d ends with a state for %s", name, run+1, k)
				}
			}
		}
		for key, n := range tt.want {
			if got[key] != n {
				t.Errorf("%s: %s ran %d times, want %d", name, key, got[key], n)
			}
		}
		for key := range got {
			if _, ok := tt.want[key]; !ok {
				t.Errorf("%s: %s ran %d times, want never", name, key, got[key])
			}
		}
		for i := 1; i < len(firsts); i++ {
			if firsts[i] == firsts[i-1] {
				t.Errorf("%s: runs %d and %d begin with %s: the order does not rotate", name, i, i+1, firsts[i])
			}
		}
	}
}
