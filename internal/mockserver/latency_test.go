package mockserver

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Every API request waits the latency before it is handled; test hooks never wait; a
// request whose client gives up during the wait is not handled; PUT /_mock/latency sets
// it and refuses what is not a duration.
func TestLatency(t *testing.T) {
	t.Parallel()
	ts := newTS(t, Options{Latency: 300 * time.Millisecond})
	start := time.Now()
	expect(t, call(t, ts, "GET", proj+"/dbschema", nil), http.StatusOK)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("an API request took %v with a latency of 300ms", d)
	}

	// An hour: a hook that waited would run into the test client's 30 s timeout.
	r := call(t, ts, "PUT", "/_mock/latency", `{"latency": "1h"}`)
	expect(t, r, http.StatusOK)
	if got := r.obj(t)["latency"]; got != "1h0m0s" || ts.Latency() != time.Hour {
		t.Fatalf("PUT /_mock/latency answered %v; Latency() = %v", got, ts.Latency())
	}
	if got := call(t, ts, "GET", "/gateway/_mock/latency", nil).obj(t)["latency"]; got != "1h0m0s" {
		t.Fatalf("GET /_mock/latency = %v", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+proj+"/dbschema", strings.NewReader(`{"identifier": "lost", "name": "Lost", "changelog": {"connector": "c", "location": "l", "repo": "r"}}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", ts.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := testClient.Do(req)
	if err == nil {
		_ = res.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a create under a latency of 1h answered before the client's 200ms deadline: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(ts.Requests()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if reqs := ts.Requests(); len(reqs) != 2 || reqs[1].Route != RouteCreateSchema || reqs[1].Status != 0 {
		t.Fatalf("the abandoned create is not logged as unanswered: %+v", reqs)
	}

	expect(t, call(t, ts, "PUT", "/_mock/latency", `{"latency": 0}`), http.StatusOK)
	expect(t, call(t, ts, "GET", proj+"/dbschema/lost", nil), http.StatusNotFound)
	expectError(t, call(t, ts, "PUT", "/_mock/latency", `{"latency": "-1s"}`), http.StatusBadRequest, "negative")
	expectError(t, call(t, ts, "PUT", "/_mock/latency", `{"latency": "soon"}`), http.StatusBadRequest, "not a Go duration")
	expectError(t, call(t, ts, "PUT", "/_mock/latency", `{}`), http.StatusBadRequest, `{"latency": "100ms"}`)
	if ts.Latency() != 0 {
		t.Fatalf("a refused PUT changed the latency to %v", ts.Latency())
	}
}
