package provider

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// inFlight counts the API requests a handler is serving at once, and the most it served.
// It holds each request hold picks (for at most a second) until more than over requests
// are in flight, once: Terraform's walk may be slow to start requests on a busy machine,
// and without the hold such a machine could keep the count at 10 whatever -parallelism
// says. At -parallelism=10 no eleventh request comes and each held one goes on after its
// second.
type inFlight struct {
	next     http.Handler
	now, top atomic.Int64
	hold     func(*http.Request) bool
	over     int64
	reached  chan struct{}
	once     sync.Once
}

func (h *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.URL.Path, "/_mock") {
		n := h.now.Add(1)
		defer h.now.Add(-1)
		for top := h.top.Load(); n > top && !h.top.CompareAndSwap(top, n); top = h.top.Load() {
		}
		if n > h.over {
			h.once.Do(func() { close(h.reached) })
		}
		if h.hold != nil && h.hold(r) {
			select {
			case <-h.reached:
			case <-time.After(time.Second):
			}
		}
	}
	h.next.ServeHTTP(w, r)
}

// One apply of 100 DB instances (and their 4 schemas) at -parallelism=20, with the
// provider in this race-instrumented test binary: no data race, every entity created
// exactly once even when some create answers are lost, more than 10 requests in flight
// at once (Terraform's default parallelism is 10, so the flag took effect), the state
// true to the server, then a destroy at the same parallelism that leaves nothing.
func TestAccConcurrency_hundredInstances(t *testing.T) {
	t.Parallel()
	srv := mockserver.NewChecked(t, mockserver.Options{Seed: 20}) // every exchange within the contract
	// Each create takes 50ms, so that concurrent creates overlap even on a busy machine;
	// one in twenty loses its answer after the server stored the instance.
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, DropAfter: true, Fraction: 0.05})
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, Latency: 50 * time.Millisecond})
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteDeleteInstance, Latency: 50 * time.Millisecond})
	counter := &inFlight{next: srv, over: 10, reached: make(chan struct{}), hold: func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/instance")
	}}
	ts := httptest.NewServer(counter)
	t.Cleanup(ts.Close)

	f := acctest.Fleet{Schemas: 4, PerSchema: 25, Generation: 1}
	vars, err := json.Marshal(f.Vars(ts.URL, mockserver.TestAccountID, mockserver.TestAPIKey, map[string]config.Variable{}))
	if err != nil {
		t.Fatal(err)
	}
	c := newTFCLI(t)
	c.CopyDir("testdata/fleet")
	c.Write(map[string]string{"fleet.auto.tfvars.json": string(vars)})
	c.MustRun("init", "-input=false")

	start := time.Now()
	c.MustRun("apply", "-input=false", "-auto-approve", "-parallelism=20")
	applied := time.Since(start)
	applyTop := counter.top.Load()

	if err := f.CheckMock(srv); err != nil {
		t.Error(err)
	}
	if err := f.CheckState(acctest.FlatFromJSON(c.ShowState()), srv); err != nil {
		t.Error(err)
	}
	stored, dups := acctest.Creates(srv)
	if err := acctest.CreatedOnce(srv); err != nil || len(stored) != 104 {
		t.Errorf("%d entities created (want 104): %v", len(stored), err)
	}
	if n := srv.RouteCount(mockserver.RouteCreateInstance); n != 100 {
		t.Errorf("%d instance creates sent, want 100: a lost answer must be read back, not sent again", n)
	}
	_, byKind := acctest.FaultTally(srv)
	lost := byKind["drop-after"]
	if lost == 0 {
		t.Error("no create answer was lost: the test did not exercise create-once under concurrency")
	}
	if applyTop <= 10 {
		t.Errorf("at most %d requests in flight: -parallelism=20 did not take effect", applyTop)
	}
	if stdout, stderr, err := c.Run("plan", "-input=false", "-detailed-exitcode", "-parallelism=20"); err != nil {
		t.Errorf("the plan after the apply is not empty (%v):\n%s%s", err, stdout, stderr)
	}

	counter.top.Store(0)
	start = time.Now()
	c.MustRun("destroy", "-input=false", "-auto-approve", "-parallelism=20")
	destroyed := time.Since(start)
	if st := srv.Snapshot(); len(st.Schemas)+len(st.Instances) != 0 {
		t.Errorf("left after destroy: %d schemas, %d instances", len(st.Schemas), len(st.Instances))
	}
	t.Logf("FIGURES %s: apply of %d resources in %v with up to %d requests in flight (%d create answers lost, %d duplicate creates); destroy in %v with up to %d in flight",
		t.Name(), f.Resources(), applied.Round(time.Millisecond), applyTop, lost, acctest.Sum(dups), destroyed.Round(time.Millisecond), counter.top.Load())
}
