package mockserver

import (
	"net/http/httptest"
	"testing"
)

// Credentials of NewTestServer.
const (
	TestAccountID = "test_account"
	TestAPIKey    = "pat.test.mock-key"
)

// TestServer is a Server behind a real httptest listener, for tests in any package.
type TestServer struct {
	*Server
	URL       string // e.g. http://127.0.0.1:41234, no trailing slash; the API is at the root (and under /gateway)
	AccountID string
	APIKey    string

	ts *httptest.Server
}

// NewTestServer starts a fresh mock with TestAccountID and TestAPIKey, closed by
// t.Cleanup. One per test keeps tests isolated and parallel.
func NewTestServer(t testing.TB) *TestServer {
	t.Helper()
	s := New(Options{AccountID: TestAccountID, APIKey: TestAPIKey})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &TestServer{Server: s, URL: ts.URL, AccountID: TestAccountID, APIKey: TestAPIKey, ts: ts}
}

// Close stops the listener early, e.g. to test "connection refused". Safe to call
// before the automatic cleanup.
func (t *TestServer) Close() { t.ts.Close() }
