package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

// TestMain reports how many exchanges this package's tests validated against the API
// contract (make test adds them up).
func TestMain(m *testing.M) { os.Exit(contract.RunWithStats(m)) }

// fakeClock is an injectable clock for deterministic created/updated values.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Unix(1_761_120_868, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTS starts a TestServer with custom options (credentials are the test ones).
func newTS(t *testing.T, opts Options) *TestServer {
	t.Helper()
	return NewTestServerWith(t, opts)
}

// testClient never reuses connections: net/http silently retries an idempotent
// request that failed on a reused connection, which would hide Drop faults.
var testClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) String() string { return string(r.body) }

// decode unmarshals the body into v, failing the test if it is not valid JSON.
func (r resp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body is not valid JSON for %T: %v\n%s", v, err, r.body)
	}
}

// obj decodes the body as a JSON object.
func (r resp) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

func (r resp) message(t testing.TB) string {
	t.Helper()
	m := r.obj(t)
	msg, ok := m["message"].(string)
	if !ok || len(m) != 1 {
		t.Fatalf("error body is not {\"message\": string}: %s", r.body)
	}
	return msg
}

type reqOpt func(*http.Request)

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }
func noHeader(k string) reqOpt  { return func(r *http.Request) { r.Header.Del(k) } }

// send performs one request with the test credentials. body may be nil, a string
// (sent raw) or anything else (sent as JSON). It returns the error instead of failing.
func send(ts *TestServer, method, path string, body any, opts ...reqOpt) (resp, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return resp{}, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, ts.URL+path, rd)
	if err != nil {
		return resp{}, err
	}
	req.Header.Set("x-api-key", ts.APIKey)
	req.Header.Set("Harness-Account", ts.AccountID)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	res, err := testClient.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}, err
}

// call is send that fails the test on a transport error.
func call(t testing.TB, ts *TestServer, method, path string, body any, opts ...reqOpt) resp {
	t.Helper()
	r, err := send(ts, method, path, body, opts...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// expect checks the status and, for bodies, the JSON content type.
func expect(t testing.TB, r resp, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.body)
	}
	if len(r.body) > 0 && r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", r.header.Get("Content-Type"))
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Fatalf("missing X-Request-Id header")
	}
}

// expectError checks an error answer: status, the {"message"} shape, and that the
// message contains every fragment.
func expectError(t testing.TB, r resp, status int, fragments ...string) {
	t.Helper()
	expect(t, r, status)
	msg := r.message(t)
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Fatalf("message %q does not contain %q", msg, f)
		}
	}
}

const proj = "/v1/orgs/default/projects/demo"

func repoSchemaBody(id string) map[string]any {
	return map[string]any{
		"identifier": id,
		"name":       "Schema " + id,
		"changelog":  map[string]any{"connector": "gitconn", "location": "db/changelog.yaml", "repo": "changelogs"},
	}
}

func instanceBody(id string) map[string]any {
	return map[string]any{"identifier": id, "name": "Instance " + id, "connector": "pgconn", "branch": "main"}
}

// mustCreateSchema creates a Repository schema through the API.
func mustCreateSchema(t testing.TB, ts *TestServer, id string) {
	t.Helper()
	expect(t, call(t, ts, "POST", proj+"/dbschema", repoSchemaBody(id)), http.StatusCreated)
}

func mustCreateInstance(t testing.TB, ts *TestServer, schema string, body map[string]any) {
	t.Helper()
	expect(t, call(t, ts, "POST", proj+"/dbschema/"+schema+"/instance", body), http.StatusCreated)
}
