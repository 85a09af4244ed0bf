package mockserver

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	const path = "/v1/dbops/execution-config/get-default-config"
	tests := []struct {
		name   string
		opts   []reqOpt
		status int
		frag   string
	}{
		{"valid key and account", nil, 200, ""},
		{"account header absent", []reqOpt{noHeader("Harness-Account")}, 200, ""},
		{"key missing", []reqOpt{noHeader("x-api-key")}, 401, "missing x-api-key"},
		{"key wrong", []reqOpt{header("x-api-key", "pat.other.key")}, 401, "invalid API key"},
		{"key wrong and account absent", []reqOpt{header("x-api-key", "nope"), noHeader("Harness-Account")}, 401, "invalid API key"},
		{"other account", []reqOpt{header("Harness-Account", "someone_else")}, 403, `"someone_else"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, prefix := range []string{"", "/gateway"} {
				r := call(t, ts, "GET", prefix+path, nil, tt.opts...)
				if tt.status == 200 {
					expect(t, r, 200)
					continue
				}
				expectError(t, r, tt.status, tt.frag)
			}
		})
	}
	// A 401 must not have touched the state: even a write is refused.
	r := call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("s1"), noHeader("x-api-key"))
	expectError(t, r, 401)
	if _, ok := ts.Schema("default", "demo", "s1"); ok {
		t.Fatal("unauthenticated create changed the state")
	}
}

// A project's key (SetKeyScope, PUT /_mock/key-scope) gets 403 on every route of the
// account-level execution config and nowhere else; a wrong key is still 401 there, and
// the scope "account" gives the routes back. The answers are within the contract.
func TestKeyScope(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	mustCreateSchema(t, ts, "s1")
	expect(t, call(t, ts, "PUT", "/_mock/key-scope", `{"scope": "project"}`), 200)
	if ts.KeyScope() != KeyScopeProject {
		t.Fatalf("KeyScope() = %q after the hook", ts.KeyScope())
	}
	config := map[string]any{
		RouteGetDefaultConfig: nil, RouteGetCustomerConfig: nil, RouteDeleteConfig: nil,
		RouteUpdateConfig: `[{"field": "gitCloneTag", "value": "mirror/drone-git:1"}]`, RouteResetConfig: `["gitCloneTag"]`,
	}
	for route, body := range config {
		method, path, _ := strings.Cut(route, " ")
		expectError(t, call(t, ts, method, "/gateway"+path, body), 403, "may not access the DB DevOps execution config", "belongs to the account")
	}
	if len(ts.Overrides()) != 0 {
		t.Errorf("a refused update-config changed the overrides: %v", ts.Overrides())
	}
	expect(t, call(t, ts, "GET", proj+"/dbschema/s1", nil), 200)
	expect(t, call(t, ts, "POST", proj+"/dbschema/s1/instance", instanceBody("i1")), 201)
	expectError(t, call(t, ts, "GET", "/v1/dbops/execution-config/get-default-config", nil, header("x-api-key", "pat.other.key")), 401, "invalid API key")

	expect(t, call(t, ts, "PUT", "/_mock/key-scope", `{"scope": "account"}`), 200)
	expect(t, call(t, ts, "GET", "/v1/dbops/execution-config/get-default-config", nil), 200)
	expectError(t, call(t, ts, "PUT", "/_mock/key-scope", `{"scope": "org"}`), 400, `{"scope": "project"}`)
	if n := len(ts.Violations()); n != 0 {
		t.Errorf("%d contract violations: %v", n, ts.Violations())
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "s1")
	tests := []struct {
		name, method, path string
		status             int
		allow              string
		frag               string
	}{
		{"unknown path", "GET", "/v1/nothing", 404, "", "no API route matches GET /v1/nothing"},
		{"unknown path under gateway", "GET", "/gateway/v1/nothing", 404, "", "no API route matches GET /gateway/v1/nothing"},
		{"gateway alone", "GET", "/gateway", 404, "", "no API route"},
		{"root", "GET", "/", 404, "", "no API route"},
		{"dbops alone", "GET", "/dbops", 404, "", "no API route"},
		{"dbops twice", "GET", "/dbops/dbops/v1/orgs/default/projects/demo/dbschema", 404, "", ""},
		{"trailing slash", "GET", proj + "/dbschema/s1/", 404, "", ""},
		{"wrong method on schema", "PATCH", proj + "/dbschema/s1", 405, "GET, PUT, DELETE", "method PATCH is not allowed"},
		{"wrong method on config", "GET", "/v1/dbops/execution-config", 405, "DELETE", ""},
		{"wrong method on instancelist", "GET", proj + "/dbschema/s1/instancelist", 405, "POST", ""},
		{"wrong method under gateway", "PUT", "/gateway" + proj + "/dbschema", 405, "GET, POST", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, ts, tt.method, tt.path, nil)
			expectError(t, r, tt.status, tt.frag)
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Fatalf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestPrefixes: every route answers the same at the root and behind each prefix
// Harness serves it under (its MCP server, its docs, the official provider).
func TestPrefixes(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	prefixes := []string{"", "/gateway", "/dbops", "/gateway/dbops"}
	for i, prefix := range prefixes {
		id := fmt.Sprintf("s%d", i)
		expect(t, call(t, ts, "POST", prefix+proj+"/dbschema", repoSchemaBody(id)), 201)
		expect(t, call(t, ts, "GET", prefix+proj+"/dbschema/"+id, nil), 200)
		expect(t, call(t, ts, "POST", prefix+proj+"/dbschema/"+id+"/instance", instanceBody("i1")), 201)
		expect(t, call(t, ts, "GET", prefix+proj+"/dbschema/"+id+"/instance/i1", nil), 200)
		expect(t, call(t, ts, "POST", prefix+proj+"/dbschema/"+id+"/instancelist", nil), 200)
		expect(t, call(t, ts, "GET", prefix+proj+"/dbschema", nil), 200)
		expect(t, call(t, ts, "GET", prefix+proj+"/dbschema/overview", nil), 200)
		expect(t, call(t, ts, "GET", prefix+"/v1/dbops/execution-config/get-customer-config", nil), 200)
	}
	a := call(t, ts, "GET", "/v1/dbops/execution-config/get-default-config", nil)
	for _, prefix := range prefixes[1:] {
		b := call(t, ts, "GET", prefix+"/v1/dbops/execution-config/get-default-config", nil)
		if !bytes.Equal(a.body, b.body) {
			t.Fatalf("root and %s differ:\n%s\n%s", prefix, a.body, b.body)
		}
	}
	counts := ts.RouteCounts()
	if counts[RouteCreateSchema] != len(prefixes) || counts[RouteGetDefaultConfig] != len(prefixes) {
		t.Fatalf("every prefix must map to the same route: %v", counts)
	}
	// A prefix must be a whole path segment.
	expectError(t, call(t, ts, "GET", "/gatewayx/v1/dbops/execution-config/get-default-config", nil), 404, "no API route matches")
	expectError(t, call(t, ts, "GET", "/dbops/gateway/v1/dbops/execution-config/get-default-config", nil), 404, "no API route matches")
}

func TestRequestIDsAreUnique(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	seen := map[string]bool{}
	for range 5 {
		r := call(t, ts, "GET", "/nope", nil) // even errors carry one
		id := r.header.Get("X-Request-Id")
		if !strings.HasPrefix(id, "mock-") || seen[id] {
			t.Fatalf("X-Request-Id %q is not a fresh mock-<n>", id)
		}
		seen[id] = true
	}
	r := call(t, ts, "GET", "/_mock/state", nil)
	if r.header.Get("X-Request-Id") == "" {
		t.Fatal("test hooks must carry X-Request-Id too")
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	var buf safeBuffer
	clock := newClock()
	ts := newTS(t, Options{RequestLog: &buf, Now: clock.Now})
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "s1")
	call(t, ts, "GET", "/gateway"+proj+"/dbschema/s1", nil)
	call(t, ts, "GET", proj+"/dbschema/missing?x=1&y=a%20b", nil)
	call(t, ts, "GET", "/v1/unknown", nil)
	call(t, ts, "GET", "/_mock/state", nil) // hooks are not recorded

	recs := ts.Requests()
	want := []RequestRecord{
		{Method: "POST", Path: proj + "/dbschema", Route: RouteCreateSchema, Status: 201, Body: `{"changelog":{"connector":"gitconn","location":"db/changelog.yaml","repo":"changelogs"},"identifier":"s1","name":"Schema s1"}`},
		{Method: "GET", Path: "/gateway" + proj + "/dbschema/s1", Route: RouteGetSchema, Status: 200},
		{Method: "GET", Path: proj + "/dbschema/missing", Query: "x=1&y=a%20b", Route: RouteGetSchema, Status: 404, Violations: []string{
			"contract: GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}: request: query x: parameter is not declared for this operation",
			"contract: GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}: request: query y: parameter is not declared for this operation",
		}},
		{Method: "GET", Path: "/v1/unknown", Route: "", Status: 404, Violations: []string{
			"contract: GET /v1/unknown: request: no operation in the contract for GET /v1/unknown",
		}},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i, w := range want {
		w.Time = clock.Now()
		got := recs[i]
		// The headers as the client sent them, with the API key masked.
		wantHeader := map[string]string{"X-Api-Key": "***", "Harness-Account": TestAccountID}
		if got.Body != "" {
			wantHeader["Content-Type"] = "application/json"
		}
		for k, v := range wantHeader {
			if g := got.Header.Get(k); g != v {
				t.Errorf("record %d: header %s = %q, want %q", i, k, g, v)
			}
		}
		if strings.Contains(fmt.Sprint(got.Header), TestAPIKey) {
			t.Errorf("record %d holds the API key: %v", i, got.Header)
		}
		got.Header = nil
		if !reflect.DeepEqual(got, w) {
			t.Errorf("record %d = %+v, want %+v", i, got, w)
		}
	}
	if n := ts.RouteCount(RouteGetSchema); n != 2 {
		t.Errorf("RouteCount(GetSchema) = %d, want 2", n)
	}
	if c := ts.RouteCounts(); len(c) != 2 || c[RouteCreateSchema] != 1 {
		t.Errorf("RouteCounts = %v", c)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("request log has %d lines, want 5 (4 API + 1 hook):\n%s", len(lines), buf.String())
	}
	if f := strings.Fields(lines[0]); len(f) != 5 || f[1] != "POST" || f[2] != proj+"/dbschema" || f[3] != "201" {
		t.Errorf("log line = %q, want: time POST path 201 duration", lines[0])
	}
	ts.ResetRequests()
	if len(ts.Requests()) != 0 || ts.RouteCount(RouteGetSchema) != 0 {
		t.Fatal("ResetRequests did not empty the log")
	}
}

// TestConcurrency runs 50 clients creating and reading distinct entities at once;
// -race checks the locking.
func TestConcurrency(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("s%02d", i)
			steps := []struct {
				method, path string
				body         any
				status       int
			}{
				{"POST", proj + "/dbschema", repoSchemaBody(id), 201},
				{"GET", proj + "/dbschema/" + id, nil, 200},
				{"POST", proj + "/dbschema/" + id + "/instance", instanceBody("i1"), 201},
				{"GET", proj + "/dbschema/" + id + "/instance/i1", nil, 200},
				{"POST", proj + "/dbschema/" + id + "/instancelist", nil, 200},
				{"GET", proj + "/dbschema?limit=100", nil, 200},
				{"POST", "/v1/dbops/execution-config/update-config", []map[string]string{{"field": "gitCloneTag", "value": "harness/drone-git:" + id}}, 201},
				{"GET", "/v1/dbops/execution-config/get-customer-config", nil, 200},
			}
			for _, st := range steps {
				r, err := send(ts, st.method, st.path, st.body)
				if err == nil && r.status != st.status {
					err = fmt.Errorf("%s %s = %d: %s", st.method, st.path, r.status, r.body)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			ts.Schemas("default", "demo")
			ts.Snapshot()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(ts.Schemas("default", "demo")); got != n {
		t.Fatalf("%d schemas, want %d", got, n)
	}
	if got := ts.RouteCount(RouteCreateInstance); got != n {
		t.Fatalf("RouteCount(CreateInstance) = %d, want %d", got, n)
	}
}

// safeBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNewRequiresCredentials(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("New without an API key must panic")
		}
	}()
	New(Options{AccountID: "a"})
}

// recordingT is a testing.TB whose failures and cleanups a test can inspect.
type recordingT struct {
	*testing.T
	errors   []string
	cleanups []func()
}

func (r *recordingT) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingT) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// A test server fails its test for every request or answer outside the contract,
// naming the route and the violation; faulted answers are not the API's and are not
// checked; AllowBadRequests spares requests, never answers.
func TestContractViolationsFailTheTest(t *testing.T) {
	t.Parallel()
	rt := &recordingT{T: t}
	ts := NewTestServerWith(rt, Options{})
	ts.PutSchema("default", "demo", Schema{Identifier: "odd", Name: "Odd", Type: "Bogus", Changelog: &Changelog{Connector: "c", Location: "l"}})
	call(t, ts, "GET", proj+"/dbschema/odd", nil)                      // an answer outside the contract (type)
	call(t, ts, "POST", proj+"/dbschema", map[string]any{"name": "n"}) // a request outside it (no identifier)
	ts.AddFault(Fault{Route: RouteGetDefaultConfig, Status: 502, Body: "<html>bad gateway</html>", Times: 1})
	call(t, ts, "GET", "/v1/dbops/execution-config/get-default-config", nil) // a faulted answer: not checked
	ts.AllowBadRequests()
	call(t, ts, "POST", proj+"/dbschema", map[string]any{"name": "n"}) // spared
	call(t, ts, "GET", proj+"/dbschema/odd", nil)                      // an answer is never spared
	for i := len(rt.cleanups) - 1; i >= 0; i-- {
		rt.cleanups[i]()
	}
	badAnswer := `the mock saw an exchange outside the API contract: contract: GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}: response: body /type: value is not one of the allowed values ["Repository","Script"]`
	want := []string{
		badAnswer,
		`the mock saw an exchange outside the API contract: contract: POST /v1/orgs/{org}/projects/{project}/dbschema: request: body: property "identifier" is missing`,
		badAnswer,
	}
	if !reflect.DeepEqual(rt.errors, want) {
		t.Fatalf("the test failed with\n%s\nwant\n%s", strings.Join(rt.errors, "\n"), strings.Join(want, "\n"))
	}
	contract.Expected(len(ts.Violations())) // provoked on purpose: not make test's to count
}

// The mock serves exactly the operations the contract describes: a route without an
// operation would go unchecked, and an operation without a route would be a contract
// nobody tests.
func TestRoutesAreTheContractsOperations(t *testing.T) {
	t.Parallel()
	routes, ops := Routes(), contract.Default().Operations()
	for _, r := range routes {
		if !slices.Contains(ops, r) {
			t.Errorf("the mock serves %s, which the contract does not describe", r)
		}
	}
	for _, op := range ops {
		if !slices.Contains(routes, op) {
			t.Errorf("the contract describes %s, which the mock does not serve", op)
		}
	}
}
