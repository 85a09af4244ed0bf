package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

// TestMain reports how many exchanges this package's tests validated against the API
// contract (make test adds them up).
func TestMain(m *testing.M) { os.Exit(contract.RunWithStats(m)) }

const testKey = "pat.secret-key-value"

// newTestClient points a client with fast retries at h. Every request the client sends,
// and every answer h makes up, is validated against the API contract
// (internal/contract); an answer outside it on purpose says so (offContract).
func newTestClient(t *testing.T, h http.Handler, mod ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(contractChecked(t, h))
	t.Cleanup(srv.Close)
	cfg := Config{
		Endpoint: srv.URL + "/gateway", AccountID: "acc", APIKey: testKey, Version: "1.2.3",
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// contractChecked fails t for every request outside the API contract, lets h answer,
// then fails t for an answer outside it, unless h marked the answer with offContract.
func contractChecked(t interface{ Errorf(string, ...any) }, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request body: %v", err)
		}
		v := contract.Default()
		vs := v.CheckRequest(r.Method, r.URL.EscapedPath(), r.URL.Query(), r.Header, body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		cw := &checkedWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		if cw.status != 0 && cw.offContract == "" {
			vs = append(vs, v.CheckResponse(r.Method, r.URL.EscapedPath(), r.URL.Query(), r.Header, cw.status, w.Header(), cw.body.Bytes())...)
		}
		contract.Report(vs)
		for _, v := range vs {
			t.Errorf("a request or a made-up answer outside the API contract: %v", v)
		}
	})
}

// errorList records what contractChecked reports, for the test of contractChecked.
type errorList []string

func (e *errorList) Errorf(format string, args ...any) { *e = append(*e, fmt.Sprintf(format, args...)) }

// A made-up answer outside the contract fails the test like a bad request does, unless
// its handler marked it; a request's violation is reported even when the answer is marked.
func TestMadeUpAnswersAreChecked(t *testing.T) {
	const route = "contract: GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}: "
	for _, tt := range []struct {
		query  string
		marked bool
		want   string // a violation reported, "" for none
	}{
		{"", false, route + `response: body: property "identifier" is missing`},
		{"", true, ""},
		{"?bogus=1", true, route + "request: query bogus: parameter is not declared for this operation"},
	} {
		var got errorList
		h := contractChecked(&got, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tt.marked {
				offContract(w, "on purpose")
			}
			jsonReply(w, 200, `{"name":"no identifier"}`)
		}))
		r := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/gateway/v1/orgs/o/projects/p/dbschema/s"+tt.query, nil)
		r.Header.Set("x-api-key", testKey)
		h.ServeHTTP(httptest.NewRecorder(), r)
		want := "a request or a made-up answer outside the API contract: " + tt.want
		if tt.want == "" && len(got) > 0 || tt.want != "" && !slices.Contains(got, want) || tt.marked && len(got) > 1 {
			t.Errorf("query %q, marked %v: contractChecked reported\n%s\nwant %q", tt.query, tt.marked, strings.Join(got, "\n"), tt.want)
		}
		contract.Expected(len(got)) // provoked on purpose: not make test's to count
	}
}

// checkedWriter keeps the status and body of an answer for contractChecked.
type checkedWriter struct {
	http.ResponseWriter
	status      int
	body        bytes.Buffer
	offContract string // why the answer is outside the contract on purpose
}

func (w *checkedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *checkedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (dropConn).
func (w *checkedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// offContract marks the answer h is about to write as outside the API contract on
// purpose (why: a gateway's 503, a proxy's HTML page, a garbled body), so that
// contractChecked does not fail the test for it.
func offContract(w http.ResponseWriter, why string) {
	cw, ok := w.(*checkedWriter)
	if !ok {
		panic("offContract: the handler is not served by contractChecked")
	}
	cw.offContract = why
}

// schemaAnswer and instanceAnswer are DB schema and instance answers as the contract
// describes them (every required key), for handlers whose test is about something else.
func schemaAnswer(id, name string) string {
	return `{"identifier":"` + id + `","name":"` + name + `","created":1700000000,"updated":1700000000,"instanceCount":0,` +
		`"type":"Repository","migrationType":"Liquibase","parentId":"p1","changelog":{"connector":"git","location":"c.yaml"}}`
}

func instanceAnswer(id, name string) string {
	return `{"identifier":"` + id + `","name":"` + name + `","created":1700000000,"connector":"jdbc","lastDeployedChangeSetTag":""}`
}

// listReply answers a list page with the paging headers the contract requires.
func listReply(w http.ResponseWriter, total, page, limit int, items []string) {
	pageReply(w, total, page, limit, "["+strings.Join(items, ",")+"]")
}

// pageReply answers one page, body, with the paging headers.
func pageReply(w http.ResponseWriter, total, page, limit int, body string) {
	w.Header().Set("X-Total-Elements", strconv.Itoa(total))
	w.Header().Set("X-Page-Number", strconv.Itoa(page))
	w.Header().Set("X-Page-Size", strconv.Itoa(limit))
	jsonReply(w, 200, body)
}

func jsonReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func TestNewValidates(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{Endpoint: "app.harness.io", AccountID: "a", APIKey: "k"}, "not an http(s) URL"},
		{Config{Endpoint: "ftp://x", AccountID: "a", APIKey: "k"}, "not an http(s) URL"},
		{Config{APIKey: "k"}, "account ID is empty"},
		{Config{AccountID: "a"}, "API key is empty"},
		{Config{AccountID: "a", APIKey: "k", MaxRetries: -1}, "must not be negative"},
		{Config{AccountID: "a", APIKey: "pat.a.b.secret\n"}, "the API key holds a line break or another control character (at its end), which no HTTP header can carry"},
		{Config{AccountID: "a", APIKey: "pat.a\r\nb"}, "the API key holds a line break or another control character (at byte 6 of 8)"},
		{Config{AccountID: "a", APIKey: "pat.a\r\n"}, "the API key holds a line break or another control character (at its end)"},
		{Config{AccountID: "a\n", APIKey: "k"}, "the account ID holds a line break"},
	} {
		if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want error containing %q", tt.cfg, err, tt.want)
		}
	}
	c, err := New(Config{AccountID: "a", APIKey: "k"})
	if err != nil || c.base.String() != DefaultEndpoint {
		t.Fatalf("default endpoint: %v %v", c, err)
	}
	// A tab and non-ASCII text can travel in a header: the server decides about them.
	if _, err := New(Config{AccountID: "a", APIKey: "k\té"}); err != nil {
		t.Errorf("a tab inside the key: %v", err)
	}
}

// A key with a line break never reaches the network: net/http would refuse to send it
// and fail the call as a network error that blames the endpoint. The error names the
// key, is typed, and does not print it.
func TestNewRefusesAKeyNoHeaderCarries(t *testing.T) {
	const key = "pat.acc.tok.s3cret\n"
	_, err := New(Config{AccountID: "a", APIKey: key})
	var hv *HeaderValueError
	if !errors.As(err, &hv) || hv.Name != "API key" {
		t.Fatalf("err = %#v, want a *HeaderValueError for the API key", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("the error shows the key: %v", err)
	}
	// What the check spares the user: net/http's own refusal.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1:1", nil)
	req.Header.Set("x-api-key", key)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "invalid header field value") {
		t.Errorf("net/http sent a header with a line break: %v", err)
	}
}

func TestHeadersAndPath(t *testing.T) {
	var got *http.Request
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		jsonReply(w, 200, `{"defaultTag":"plugins/drone-liquibase:1"}`)
	}))
	cfg, err := c.GetCustomerConfig(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg["defaultTag"] != "plugins/drone-liquibase:1" {
		t.Fatalf("decoded %v", cfg)
	}
	for k, want := range map[string]string{
		"x-api-key":       testKey,
		"Harness-Account": "acc",
		"Accept":          "application/json",
		"User-Agent":      "terraform-provider-harness/1.2.3",
	} {
		if v := got.Header.Get(k); v != want {
			t.Errorf("header %s = %q, want %q", k, v, want)
		}
	}
	if got.URL.Path != "/gateway/v1/dbops/execution-config/get-customer-config" || got.URL.Query().Get("overridesOnly") != "false" {
		t.Errorf("request URL %s", got.URL)
	}
}

func TestPathEscaping(t *testing.T) {
	var gotPath string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.EscapedPath()
		jsonReply(w, 200, schemaAnswer("x", "x"))
	}))
	if _, err := c.GetSchema(context.Background(), "o/rg", "p?x", "s#1"); err != nil {
		t.Fatal(err)
	}
	if want := "/gateway/v1/orgs/o%2Frg/projects/p%3Fx/dbschema/s%231"; gotPath != want {
		t.Fatalf("path %s, want %s", gotPath, want)
	}
}

func hasStatus(code int) func(error) bool {
	return func(err error) bool { return StatusOf(err) == code }
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		check       func(error) bool
		wantMsg     string
		wantInError []string
	}{
		{"json message verbatim", 400, "application/json", `{"message":"identifier \"overview\" is reserved"}`, IsBadRequest,
			`identifier "overview" is reserved`, []string{"400 Bad Request", `identifier "overview" is reserved`, "[request ID req-1]"}},
		{"not found", 404, "application/json", `{"message":"schema s not found"}`, IsNotFound, "schema s not found", []string{"404 Not Found"}},
		{"unauthorized hint", 401, "application/json", `{"message":"Invalid API key"}`, hasStatus(401), "Invalid API key", []string{"(the API key was rejected)"}},
		{"forbidden hint", 403, "application/json", `{"message":"no"}`, hasStatus(403), "no", []string{"(the API key may not act on this account or scope)"}},
		{"html from a proxy", 400, "text/html", `<html><body><h1>Bad gateway config</h1></body></html>`, IsBadRequest,
			"Bad gateway config; the answer is not JSON: " + notHarnessHint, []string{"Bad gateway config", "endpoint points at the Harness gateway"}},
		{"empty body", 400, "application/json", ``, IsBadRequest, "(empty body)", nil},
		{"already exists", 400, "application/json", `{"message":"DB schema s already exists"}`, IsAlreadyExists, "DB schema s already exists", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "application/json" || tt.body == "" {
					offContract(w, "a proxy's page or an empty body: what the client must still read")
				}
				w.Header().Set("X-Request-Id", "req-1")
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			_, err := c.GetSchema(context.Background(), "o", "p", "s")
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			if !tt.check(err) {
				t.Errorf("helper did not match %v", err)
			}
			if ae.Message != tt.wantMsg || ae.StatusCode != tt.status || ae.RequestID != "req-1" {
				t.Errorf("APIError = %+v, want message %q", ae, tt.wantMsg)
			}
			for _, want := range tt.wantInError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Error() = %q, want it to contain %q", err.Error(), want)
				}
			}
		})
	}
}

func TestNonJSONSuccessIsAClearError(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offContract(w, "a login page where JSON was expected")
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>login</html>"))
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, err := c.GetDefaultConfig(context.Background())
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "not JSON") || !strings.Contains(err.Error(), "endpoint") {
		t.Fatalf("err = %v", err)
	}
}

// scripted answers the i-th request with steps[i] (the last one repeats).
func scripted(steps ...func(http.ResponseWriter)) (http.Handler, *atomic.Int32) {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w)
	}), &n
}

// status answers code with the API's error shape. 429, 502, 503 and 504 come from a
// gateway in front of Harness, not from the API, whose contract declares none of them.
func status(code int, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if slices.Contains([]int{429, 502, 503, 504}, code) {
			offContract(w, "a gateway's answer")
		}
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		jsonReply(w, code, `{"message":"status `+http.StatusText(code)+`"}`)
	}
}

func ok(body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { jsonReply(w, 200, body) }
}

// garbled answers 200 with a JSON body cut short, as a dropped proxy stream does.
func garbled(body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		offContract(w, "a body cut short on the way")
		ok(body)(w)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		steps     []func(http.ResponseWriter)
		wantCalls int32
		wantErr   func(error) bool
	}{
		{"429 then ok", []func(http.ResponseWriter){status(429), ok(`{}`)}, 2, nil},
		{"502 503 504 then ok", []func(http.ResponseWriter){status(502), status(503), status(504), ok(`{}`)}, 4, nil},
		{"500 retried on a read", []func(http.ResponseWriter){status(500), ok(`{}`)}, 2, nil},
		{"garbled body retried on a read", []func(http.ResponseWriter){garbled(`{"defaultTag":`), ok(`{}`)}, 2, nil},
		{"400 not retried", []func(http.ResponseWriter){status(400), ok(`{}`)}, 1, IsBadRequest},
		{"404 not retried", []func(http.ResponseWriter){status(404), ok(`{}`)}, 1, IsNotFound},
		{"gives up after max_retries with the last answer", []func(http.ResponseWriter){status(503)}, 4, func(err error) bool { return StatusOf(err) == 503 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, n := scripted(tt.steps...)
			c := newTestClient(t, h)
			_, err := c.GetDefaultConfig(context.Background())
			if got := n.Load(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if tt.wantErr == nil && err != nil {
				t.Fatalf("err = %v", err)
			}
			if tt.wantErr != nil && !tt.wantErr(err) {
				t.Fatalf("err = %v did not match", err)
			}
		})
	}
}

// The wait before a retry follows Retry-After, not the (tiny) configured backoff.
func TestRetryAfterIsHonoured(t *testing.T) {
	h, n := scripted(status(429, "Retry-After", "1"), ok(`{}`))
	c := newTestClient(t, h)
	start := time.Now()
	if _, err := c.GetDefaultConfig(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Fatalf("retried after %v, want about 1s (Retry-After: 1)", waited)
	}
	if n.Load() != 2 {
		t.Fatalf("calls = %d", n.Load())
	}
}

// A ctx deadline ends the wait for a long Retry-After at once, with an error that says so.
func TestCtxDeadlineBoundsRetries(t *testing.T) {
	h, _ := scripted(status(429, "Retry-After", "30"))
	c := newTestClient(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetDefaultConfig(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("waited %v past a 200ms deadline", waited)
	}
}

func TestCtxCancelDuringRequest(t *testing.T) {
	release := make(chan struct{})
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := c.GetDefaultConfig(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var re *RequestError
	if !errors.As(err, &re) || re.Method != http.MethodGet {
		t.Fatalf("err = %#v, want *RequestError naming the call", err)
	}
}

// A per-attempt timeout is a transient failure: the next attempt may succeed.
func TestRequestTimeoutIsRetried(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		jsonReply(w, 200, `{}`)
	}), func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	if _, err := c.GetDefaultConfig(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Fatalf("calls = %d, want 2", n.Load())
	}
}

func TestRateLimitSpacesRequests(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, `{}`) }),
		func(cfg *Config) { cfg.RateLimit = 20 })
	start := time.Now()
	for range 25 { // a burst of 20, then 5 more at 20/s
		if _, err := c.GetDefaultConfig(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Fatalf("25 requests at 20/s took %v", took)
	}
}

// The hook sees every attempt with method, path, status and request ID, and never the
// key, even in bodies that carry it.
func TestLoggerHookNeverSeesKey(t *testing.T) {
	var mu sync.Mutex
	var events []string
	logger := func(_ context.Context, _ Level, msg string, fields map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		var b strings.Builder
		b.WriteString(msg)
		for k, v := range fields {
			b.WriteString(" " + k + "=")
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(toString(v), "\n", " ")))
		}
		events = append(events, b.String())
	}
	h, _ := scripted(status(503), func(w http.ResponseWriter) {
		w.Header().Set("X-Request-Id", "rid-9")
		jsonReply(w, 201, `true`)
	})
	c := newTestClient(t, h, func(cfg *Config) { cfg.Logger = logger })
	if err := c.UpdateConfig(context.Background(), []ConfigOperation{{Field: "defaultTag", Value: "x/" + testKey}}); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(events, "\n")
	if strings.Contains(all, testKey) {
		t.Fatalf("the key reached the log hook:\n%s", all)
	}
	for _, want := range []string{"status=503", "status=201", "request_id=rid-9", "retrying", "path=/gateway/v1/dbops/execution-config/update-config", "x/***"} {
		if !strings.Contains(all, want) {
			t.Errorf("log lacks %q:\n%s", want, all)
		}
	}
}

func toString(v any) string { return fmt.Sprint(v) }

// CheckAccess is quick: a rejected key is not retried, a closed port is tried
// 1+quickRetries times with at most quickWait between, a 503 is retried as usual, and TLS spoken to a plain-HTTP port is not retried.
func TestCheckAccess(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int32
	ok := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		jsonReply(w, 200, `{"gitCloneTag":"harness/drone-git:1.6.4"}`)
	}))
	if got, err := ok.CheckAccess(ctx); err != nil || calls.Load() != 1 || got["gitCloneTag"] != "harness/drone-git:1.6.4" {
		t.Fatalf("a good endpoint: %v, %v after %d calls", got, err, calls.Load())
	}

	calls.Store(0)
	busy := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 3 {
			status(503)(w)
			return
		}
		jsonReply(w, 200, `{}`)
	})) // MaxRetries 3
	if _, err := busy.CheckAccess(ctx); err != nil || calls.Load() != 4 {
		t.Fatalf("three 503s then an answer: %v after %d calls", err, calls.Load())
	}

	calls.Store(0)
	rejected := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		jsonReply(w, 401, `{"message":"invalid API key"}`)
	}))
	if _, err := rejected.CheckAccess(ctx); StatusOf(err) != 401 || calls.Load() != 1 {
		t.Fatalf("a rejected key: %v after %d calls, want one 401", err, calls.Load())
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	var waits []string
	c, err := New(Config{Endpoint: closed.URL, AccountID: "a", APIKey: "k", MaxRetries: 5, RetryWaitMin: 5 * time.Second, RetryWaitMax: 30 * time.Second,
		Logger: func(_ context.Context, _ Level, msg string, f map[string]any) {
			if msg == "retrying Harness API request" {
				waits = append(waits, fmt.Sprint(f["wait"]))
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	var re *RequestError
	if _, err := c.CheckAccess(ctx); !errors.As(err, &re) || re.Attempts != 1+quickRetries || !slices.Equal(waits, []string{"1s", "1s"}) {
		t.Fatalf("a closed port: %v (attempts %v), waits %v; want %d attempts, waits of %s", err, re, waits, 1+quickRetries, quickWait)
	}

	calls.Store(0)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	t.Cleanup(plain.Close)
	tlsToPlain, err := New(Config{Endpoint: strings.Replace(plain.URL, "http://", "https://", 1), AccountID: "a", APIKey: "k", MaxRetries: 5, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tlsToPlain.CheckAccess(ctx); !errors.As(err, &re) || re.Attempts != 1 || !strings.Contains(err.Error(), "HTTP response to HTTPS client") {
		t.Fatalf("https to a plain-HTTP port: %v; want one attempt", err)
	}
	selfSigned := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	selfSigned.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake error is the point
	selfSigned.StartTLS()
	t.Cleanup(selfSigned.Close)
	untrusted, err := New(Config{Endpoint: selfSigned.URL, AccountID: "a", APIKey: "k", MaxRetries: 5, RetryWaitMin: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := untrusted.CheckAccess(ctx); !errors.As(err, &re) || re.Attempts != 1 || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an untrusted certificate: %v; want one attempt", err)
	}
	if calls.Load() != 0 {
		t.Fatalf("%d requests reached the handlers behind a TLS mismatch", calls.Load())
	}
}
