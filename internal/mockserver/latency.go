package mockserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// SetLatency makes every API request wait d before the mock handles it, as each call to
// Harness over the internet waits 50 to 300 ms: against the loopback mock a call costs
// well under a millisecond, so only with a latency does a benchmark show what the number
// of calls costs a user (make bench measures at 0 and 100 ms). Test hooks never wait. A
// request whose client gives up during the wait is not handled, as one lost on its way;
// a Latency fault waits on top of it. It panics on a negative d, a bug in the caller.
func (s *Server) SetLatency(d time.Duration) {
	if d < 0 {
		panic(fmt.Sprintf("mockserver.SetLatency: negative latency %v", d))
	}
	s.latency.Store(int64(d))
}

// Latency is what every API request waits before it is handled (SetLatency).
func (s *Server) Latency() time.Duration { return time.Duration(s.latency.Load()) }

// wait sleeps for d, or until ctx is done; it reports whether the whole d passed.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) hookGetLatency(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"latency": s.Latency().String()})
}

func (s *Server) hookSetLatency(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Latency json.RawMessage `json:"latency"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Latency == nil {
		writeError(w, http.StatusBadRequest, `body must be {"latency": "100ms"} (a Go duration, or integer nanoseconds; "0s" turns it off)`)
		return
	}
	d, err := parseLatency(body.Latency)
	if err == nil && d < 0 {
		err = fmt.Errorf("latency %v is negative", d)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.SetLatency(d)
	s.hookGetLatency(w, r)
}
