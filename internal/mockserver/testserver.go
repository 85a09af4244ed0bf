package mockserver

import (
	"net/http/httptest"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

// Credentials of NewTestServer.
const (
	TestAccountID = "test_account"
	TestAPIKey    = "pat.test.mock-key"
)

// TestServer is a Server behind a real httptest listener, for tests in any package.
type TestServer struct {
	*Server
	URL       string // e.g. http://127.0.0.1:41234, no trailing slash; the API is at the root and behind every prefix of apiPrefixes
	AccountID string
	APIKey    string

	ts *httptest.Server
}

// NewTestServer starts a fresh mock with TestAccountID and TestAPIKey, closed by
// t.Cleanup. One per test keeps tests isolated and parallel.
//
// Every request and answer is validated against the project's written contract of the
// API (internal/contract): a violation fails t, naming the route and what is wrong.
func NewTestServer(t testing.TB) *TestServer {
	t.Helper()
	return NewTestServerWith(t, Options{})
}

// NewTestServerWith is NewTestServer with options; the credentials are the test ones
// and the contract is always checked.
func NewTestServerWith(t testing.TB, opts Options) *TestServer {
	t.Helper()
	s := NewChecked(t, opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &TestServer{Server: s, URL: ts.URL, AccountID: TestAccountID, APIKey: TestAPIKey, ts: ts}
}

// NewChecked returns a mock with the test credentials that validates every request and
// answer against the contract and fails t for each violation, for a test that serves
// the mock itself (behind a handler of its own). Serve it after this call: cleanups run
// last first, so the listener closes before the violations are read.
func NewChecked(t testing.TB, opts Options) *Server {
	t.Helper()
	opts.AccountID, opts.APIKey, opts.Contract = TestAccountID, TestAPIKey, contract.Default()
	s := New(opts)
	t.Cleanup(func() { // runs after the listener's Close: no request is still in flight
		for _, v := range s.Violations() {
			t.Errorf("the mock saw an exchange outside the API contract: %v", v)
		}
	})
	return s
}

// Close stops the listener early, e.g. to test "connection refused". Safe to call
// before the automatic cleanup.
func (t *TestServer) Close() { t.ts.Close() }
