package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultStatusRetryAfterAndTimes(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteCreateSchema, Status: 503, RetryAfter: "2", Times: 2})
	for i := range 2 {
		r := call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("s1"))
		expectError(t, r, 503, "Service Unavailable (injected by the mock)")
		if r.header.Get("Retry-After") != "2" {
			t.Fatalf("attempt %d: Retry-After = %q", i, r.header.Get("Retry-After"))
		}
		if _, ok := ts.Schema("default", "demo", "s1"); ok {
			t.Fatal("a faulted request must not change the state")
		}
	}
	// Other routes are not affected, and the fault is spent after two.
	expect(t, call(t, ts, "GET", proj+"/dbschema", nil), 200)
	expect(t, call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("s1")), 201)
	if len(ts.Faults()) != 0 {
		t.Fatalf("spent fault still armed: %+v", ts.Faults())
	}
	recs := ts.Requests()
	if recs[0].Fault != "status=503" || recs[0].Status != 503 || recs[3].Fault != "" {
		t.Fatalf("request log: %+v", recs)
	}
	// A custom message, and Times 0 lasts until ClearFaults.
	ts.AddFault(Fault{Status: 429, Message: "slow down"})
	for range 3 {
		expectError(t, call(t, ts, "GET", cfgDefault, nil), 429, "slow down")
	}
	ts.ClearFaults()
	expect(t, call(t, ts, "GET", cfgDefault, nil), 200)
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteGetDefaultConfig, Latency: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	expect(t, call(t, ts, "GET", cfgDefault, nil), 200)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency fault took only %v", d)
	}
	// The sleep respects the request context: a client that gives up frees the handler.
	ts.AddFault(Fault{Route: RouteGetDefaultConfig, Latency: time.Hour, Times: 1})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+cfgDefault, nil)
	req.Header.Set("x-api-key", ts.APIKey)
	res, err := testClient.Do(req)
	if err == nil {
		_ = res.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a deadline error, got %v", err)
	}
	waitFor(t, func() bool { return len(ts.Requests()) == 2 })
	if rec := ts.Requests()[1]; rec.Status != 0 || rec.Fault != "latency=1h0m0s,canceled" {
		t.Fatalf("record of the abandoned request: %+v", rec)
	}
}

func TestFaultDrop(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteCreateSchema, Drop: true, Times: 1})
	if _, err := send(ts, "POST", proj+"/dbschema", repoSchemaBody("s1")); err == nil {
		t.Fatal("a dropped request must fail on the client")
	}
	if _, ok := ts.Schema("default", "demo", "s1"); ok {
		t.Fatal("Drop happens before handling: the schema must not exist")
	}
	rec := ts.Requests()[0]
	if rec.Route != RouteCreateSchema || rec.Status != 0 || rec.Fault != "drop" {
		t.Fatalf("record: %+v", rec)
	}
	expect(t, call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("s1")), 201)
}

// TestFaultDropAfter is the lost-response case the create-once logic exists for.
func TestFaultDropAfter(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteCreateSchema, DropAfter: true, Times: 1})
	if _, err := send(ts, "POST", proj+"/dbschema", repoSchemaBody("s1")); err == nil {
		t.Fatal("the client must see an error")
	}
	if _, ok := ts.Schema("default", "demo", "s1"); !ok {
		t.Fatal("DropAfter handles the request: the schema must exist")
	}
	if rec := ts.Requests()[0]; rec.Status != 201 || rec.Fault != "drop-after" {
		t.Fatalf("record: %+v", rec)
	}
	// A blind retry now hits "already exists".
	expectError(t, call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("s1")), 400, "already exists")
}

func TestFaultMalformed(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteUpdateConfig, Malformed: true, Times: 1})
	ts.AddFault(Fault{Route: RouteGetDefaultConfig, Malformed: true, Times: 1})
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", cfgUpdate, `[{"field":"mongoTag","value":"m:1"}]`, 201},
		{"GET", cfgDefault, nil, 200},
	} {
		r := call(t, ts, c.method, c.path, c.body)
		if r.status != c.status || r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: status %d content-type %q", c.path, r.status, r.header.Get("Content-Type"))
		}
		var v any
		if err := json.Unmarshal(r.body, &v); err == nil {
			t.Fatalf("%s: body %q is valid JSON", c.path, r.body)
		}
	}
	if ts.Overrides()["mongoTag"] != "m:1" {
		t.Fatal("Malformed handles the request: the override must be set")
	}
}

// TestFaultHandleFirst: the gateway times out after the backend stored the create.
func TestFaultHandleFirst(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteCreateInstance, Status: 504, HandleFirst: true, Times: 1})
	mustCreateSchema(t, ts, "s1")
	expectError(t, call(t, ts, "POST", instPath, instanceBody("i1")), 504, "Gateway Timeout")
	if _, ok := ts.Instance("default", "demo", "s1", "i1"); !ok {
		t.Fatal("HandleFirst must store the instance")
	}
	if rec := ts.Requests()[1]; rec.Status != 504 || rec.Fault != "handled,status=504" {
		t.Fatalf("record: %+v", rec)
	}
	expectError(t, call(t, ts, "POST", instPath, instanceBody("i1")), 400, "already exists")
}

func TestFaultBody(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	page := "<html><body><h1>502 Bad Gateway</h1></body></html>"
	ts.AddFault(Fault{Route: RouteGetSchema, Status: 502, Body: page, Times: 1})
	ts.AddFault(Fault{Route: RouteListSchemas, Body: "<html>login</html>", ContentType: "text/html", Times: 1})
	r := call(t, ts, "GET", proj+"/dbschema/s1", nil)
	if r.status != 502 || string(r.body) != page || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("body fault: %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	r = call(t, ts, "GET", proj+"/dbschema", nil)
	if r.status != 200 || string(r.body) != "<html>login</html>" || r.header.Get("Content-Type") != "text/html" {
		t.Fatalf("status-less body fault: %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
}

func TestFaultFractionIsSeeded(t *testing.T) {
	t.Parallel()
	run := func() []bool {
		ts := newTS(t, Options{Seed: 42})
		ts.AddFault(Fault{Route: RouteGetDefaultConfig, Status: 500, Fraction: 0.3})
		var out []bool
		for range 60 {
			out = append(out, call(t, ts, "GET", cfgDefault, nil).status == 500)
		}
		return out
	}
	a, b := run(), run()
	n := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different sequences at %d", i)
		}
		if a[i] {
			n++
		}
	}
	if n < 6 || n > 35 {
		t.Fatalf("fraction 0.3 faulted %d of 60", n)
	}
}

func TestFaultScope(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests()           // it sends requests outside the contract on purpose
	ts.AddFault(Fault{Status: 500}) // every API route, never the hooks
	expectError(t, call(t, ts, "GET", cfgDefault, nil), 500)
	expectError(t, call(t, ts, "DELETE", proj+"/dbschema/x", nil), 500)
	expect(t, call(t, ts, "GET", "/_mock/state", nil), 200)
	expectError(t, call(t, ts, "GET", "/v1/unknown", nil), 404) // not an API route: not faulted
	// Two faults: the first matching one wins.
	ts.ClearFaults()
	ts.AddFault(Fault{Route: RouteGetSchema, Status: 418, Times: 1})
	ts.AddFault(Fault{Status: 503, Times: 1})
	expectError(t, call(t, ts, "GET", cfgDefault, nil), 503)
	expectError(t, call(t, ts, "GET", proj+"/dbschema/x", nil), 418)
	expectError(t, call(t, ts, "GET", proj+"/dbschema/x", nil), 404)
}

func TestAddFaultRejectsNonsense(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	for _, f := range []Fault{
		{Route: "GET /v1/nope", Status: 500},
		{Route: "/gateway" + RouteGetSchema, Status: 500},
		{Status: 500, Fraction: 1.5},
		{Status: 500, Times: -1},
		{Status: 9},
		{Route: RouteGetSchema}, // does nothing
		{Drop: true, HandleFirst: true},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddFault(%+v) did not panic", f)
				}
			}()
			ts.AddFault(f)
		}()
	}
}

func TestFaultJSON(t *testing.T) {
	t.Parallel()
	var f Fault
	if err := json.Unmarshal([]byte(`{"route":"GET /v1/dbops/execution-config/get-default-config","latency":"1500ms","times":1}`), &f); err != nil {
		t.Fatal(err)
	}
	if f.Latency != 1500*time.Millisecond || f.Times != 1 || f.Route != RouteGetDefaultConfig {
		t.Fatalf("decoded %+v", f)
	}
	if err := json.Unmarshal([]byte(`{"latency":2000000}`), &f); err != nil || f.Latency != 2*time.Millisecond {
		t.Fatalf("integer latency: %v %v", f.Latency, err)
	}
	for _, bad := range []string{`{"latency":"soon"}`, `{"latency":true}`, `{"stauts":500}`} {
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	b, _ := json.Marshal(Fault{Status: 503, Latency: time.Second})
	if !strings.Contains(string(b), `"latency":"1s"`) {
		t.Fatalf("marshal: %s", b)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
