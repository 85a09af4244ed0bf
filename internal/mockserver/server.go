// Package mockserver is a stateful, in-memory fake of the Harness Database DevOps
// REST API: execution config (image tags), DB schemas, DB instances and the migration
// state of each instance (which changesets its pipelines recorded); and of Harness
// CI's execution config (the lite engine, the CI add-on and the other images every
// containerised stage pulls, DB DevOps stages included).
//
// It exists so the client and the provider can be tested end to end over real HTTP
// without a Harness account. It follows the public API facts (paths, JSON field
// names, status codes) and, where Harness documents nothing, the choices written in
// DESIGN.md. It also offers what a real server cannot: out-of-band state changes (as a
// change in the Harness UI would do), a request log, fault injection and a state file.
//
// The package uses only the standard library and has its own wire types on purpose:
// sharing types with internal/client would let a client bug hide behind a matching
// mock bug.
package mockserver

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

// Route constants are the ServeMux patterns of the API, without a prefix (apiPrefixes).
// They name routes in the request log and in faults.
const (
	RouteGetDefaultConfig  = "GET " + executionConfigPath + "/get-default-config"
	RouteGetCustomerConfig = "GET " + executionConfigPath + "/get-customer-config"
	RouteUpdateConfig      = "POST " + executionConfigPath + "/update-config"
	RouteResetConfig       = "POST " + executionConfigPath + "/reset-config"
	RouteDeleteConfig      = "DELETE " + executionConfigPath

	RouteListSchemas    = "GET /v1/orgs/{org}/projects/{project}/dbschema"
	RouteCreateSchema   = "POST /v1/orgs/{org}/projects/{project}/dbschema"
	RouteGetSchema      = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	RouteUpdateSchema   = "PUT /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	RouteDeleteSchema   = "DELETE /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	RouteSchemaOverview = "GET /v1/orgs/{org}/projects/{project}/dbschema/overview"

	RouteCreateInstance = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance"
	RouteGetInstance    = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}"
	RouteUpdateInstance = "PUT /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}"
	RouteDeleteInstance = "DELETE /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}"
	RouteListInstances  = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instancelist"

	RouteCIGetDefaultConfig  = "GET " + ciExecutionConfigPath + "/get-default-config"
	RouteCIGetCustomerConfig = "GET " + ciExecutionConfigPath + "/get-customer-config"
	RouteCIUpdateConfig      = "POST " + ciExecutionConfigPath + "/update-config"
	RouteCIResetConfig       = "POST " + ciExecutionConfigPath + "/reset-config"
	// The migration-state views, read-only. The instance ones say dbinstance where the
	// entity routes say instance, as Harness's API reference does.
	RouteInstanceMigrationState       = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/dbinstance/{dbinstance}/migrationstate"
	RouteInstanceFlywayMigrationState = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/dbinstance/{dbinstance}/flyway/migrationstate"
	RouteSchemaMigrationState         = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/migrationstate"
	RouteSchemaFlywayMigrationState   = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/flyway/migrationstate"
)

// executionConfigPath is the account-level part of the API: every route below it acts on
// the account, with no org or project.
const executionConfigPath = "/v1/dbops/execution-config"

// apiPrefixes are the prefixes Harness serves the /v1/... routes behind, longest first:
// the official provider calls {endpoint}/v1/... with endpoint .../gateway, the developer
// hub names .../gateway/dbops as the base, and Harness's MCP server calls
// .../dbops/v1/.... The mock also serves the bare /v1/...
// form, which Harness's docs show for curl. Test hooks answer behind them too. The CI
// routes (/ci/...) belong to another service: they answer at the root and behind
// /gateway only (ciServed).
var apiPrefixes = []string{"/gateway/dbops", "/gateway", "/dbops"}

// Options configures a Server.
type Options struct {
	AccountID  string           // required: the account the API key belongs to
	APIKey     string           // required: the only accepted x-api-key value
	Now        func() time.Time // nil: time.Now
	RequestLog io.Writer        // nil: no per-request log lines; else one line per request: time method path status duration [fault]
	LogJSON    bool             // the request log as one JSON object per line: time, method, path, status, duration_ms, fault, violations, hook
	Seed       int64            // seeds the random source used by Fraction faults (deterministic tests)
	// Contract, when set, validates every API request and every answer the mock gives
	// (faulted answers aside: they stand for the network, not for Harness) against the
	// project's written contract; Violations lists what broke it.
	Contract *contract.Validator
	// PutMode is how a PUT of a schema or an instance treats a key its body leaves out:
	// PutMerge ("" too) keeps the stored value, PutReplace clears it. A state document
	// (a seed) may set it too.
	PutMode string
	// Latency is what every API request waits before it is handled (SetLatency).
	Latency time.Duration
}

// The PUT modes. Harness's MCP server says its PUTs merge; the official provider's
// update bodies leave removed keys out, which only a replacing server would honour.
// Nothing public decides between them (DESIGN.md), so the mock serves both.
const (
	PutMerge   = "merge"
	PutReplace = "replace"
)

// PutModes are the valid PUT modes, the default first.
func PutModes() []string { return []string{PutMerge, PutReplace} }

// Server is the fake API. It implements http.Handler and is safe for concurrent use.
type Server struct {
	accountID string
	apiKey    string
	now       func() time.Time
	logw      io.Writer
	logJSON   bool
	logwMu    sync.Mutex

	api   *http.ServeMux // routeTable
	hooks *http.ServeMux

	mu sync.Mutex // guards st
	st store

	faultMu sync.Mutex // guards faults and rng
	faults  []*Fault
	rng     *rand.Rand

	reqMu   sync.Mutex // guards records and counts
	records []RequestRecord
	counts  map[string]int

	reqSeq atomic.Uint64

	contract         *contract.Validator
	violations       []contract.Violation // guarded by reqMu
	allowBadRequests atomic.Bool

	projectKey atomic.Bool  // SetKeyScope(KeyScopeProject)
	latency    atomic.Int64 // SetLatency, in nanoseconds
}

// New returns a Server with the seeded default images and no schemas. It panics if
// AccountID or APIKey is empty: a mock that accepts any key would hide auth bugs.
func New(opts Options) *Server {
	if opts.AccountID == "" || opts.APIKey == "" {
		panic("mockserver.New: Options.AccountID and Options.APIKey are required")
	}
	if opts.PutMode == "" {
		opts.PutMode = PutMerge
	}
	if !slices.Contains(PutModes(), opts.PutMode) {
		panic(fmt.Sprintf("mockserver.New: Options.PutMode %q: use %s", opts.PutMode, strings.Join(PutModes(), " or ")))
	}
	s := &Server{
		accountID: opts.AccountID,
		apiKey:    opts.APIKey,
		now:       opts.Now,
		logw:      opts.RequestLog,
		logJSON:   opts.LogJSON,
		api:       http.NewServeMux(),
		hooks:     http.NewServeMux(),
		rng:       rand.New(rand.NewPCG(uint64(opts.Seed), 0x6d6f636b)),
		counts:    map[string]int{},
		st:        newStore(),
		contract:  opts.Contract,
	}
	s.st.putMode = opts.PutMode
	s.SetLatency(opts.Latency)
	if s.now == nil {
		s.now = time.Now
	}
	for _, rt := range routeTable {
		scoped := strings.Contains(rt.pattern, "/projects/{project}/")
		s.api.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			if scoped && !s.scopeExists(w, r) {
				return
			}
			rt.handle(s, w, r)
		})
	}
	s.registerHooks()
	return s
}

// routeTable is the mock's one list of API routes, each with its handler.
var routeTable = []struct {
	pattern string
	handle  func(*Server, http.ResponseWriter, *http.Request)
}{
	{RouteGetDefaultConfig, (*Server).handleGetDefaultConfig},
	{RouteGetCustomerConfig, (*Server).handleGetCustomerConfig},
	{RouteUpdateConfig, (*Server).handleUpdateConfig},
	{RouteResetConfig, (*Server).handleResetConfig},
	{RouteDeleteConfig, (*Server).handleDeleteConfig},
	{RouteListSchemas, (*Server).handleListSchemas},
	{RouteCreateSchema, (*Server).handleCreateSchema},
	{RouteGetSchema, (*Server).handleGetSchema},
	{RouteUpdateSchema, (*Server).handleUpdateSchema},
	{RouteDeleteSchema, (*Server).handleDeleteSchema},
	{RouteSchemaOverview, (*Server).handleSchemaOverview},
	{RouteCreateInstance, (*Server).handleCreateInstance},
	{RouteGetInstance, (*Server).handleGetInstance},
	{RouteUpdateInstance, (*Server).handleUpdateInstance},
	{RouteDeleteInstance, (*Server).handleDeleteInstance},
	{RouteListInstances, (*Server).handleListInstances},
	{RouteCIGetDefaultConfig, (*Server).handleCIGetDefaultConfig},
	{RouteCIGetCustomerConfig, (*Server).handleCIGetCustomerConfig},
	{RouteCIUpdateConfig, (*Server).handleCIUpdateConfig},
	{RouteCIResetConfig, (*Server).handleCIResetConfig},
	{RouteInstanceMigrationState, func(s *Server, w http.ResponseWriter, r *http.Request) { liquibaseKind.serveInstance(s, w, r) }},
	{RouteInstanceFlywayMigrationState, func(s *Server, w http.ResponseWriter, r *http.Request) { flywayKind.serveInstance(s, w, r) }},
	{RouteSchemaMigrationState, func(s *Server, w http.ResponseWriter, r *http.Request) { liquibaseKind.serveSchema(s, w, r) }},
	{RouteSchemaFlywayMigrationState, func(s *Server, w http.ResponseWriter, r *http.Request) { flywayKind.serveSchema(s, w, r) }},
}

// Routes returns every API route, sorted.
func Routes() []string {
	r := make([]string, len(routeTable))
	for i, rt := range routeTable {
		r[i] = rt.pattern
	}
	sort.Strings(r)
	return r
}

func isRoute(route string) bool { return slices.Contains(Routes(), route) }

// ServeHTTP strips an API prefix, sends test hooks to their own mux, and otherwise runs
// the API pipeline: match route, inject a fault if one is armed, check auth, handle.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w.Header().Set("X-Request-Id", fmt.Sprintf("mock-%d", s.reqSeq.Add(1)))
	r2, prefix := stripPrefix(r)
	sw := &statusWriter{ResponseWriter: w, capture: s.contract != nil}

	if p := r2.URL.Path; p == "/_mock" || strings.HasPrefix(p, "/_mock/") {
		s.serveHook(sw, r2)
		s.logLine(r, sw.status, time.Since(start), true, "", nil)
		return
	}

	// Keep the request body for the log (tests assert what the client sent), and give
	// the handler an identical copy.
	var body []byte
	if r2.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r2.Body, maxBody+1))
	}
	r2 = r2.WithContext(r2.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))

	route := s.matchRoute(r2)
	served := ciServed(prefix, r2.URL.Path)
	if !served {
		route = ""
	}
	var fault string
	var closeConn func()
	faithful := route != "" // the answer is the API's own, not a fault's nor the no-route one
	if d := s.Latency(); d > 0 && !wait(r2.Context(), d) {
		faithful = false // the client gave up on the way: nothing handled, nothing answered
	} else if route == "" {
		s.serveUnmatched(sw, r2, r.URL.Path, served)
	} else if f := s.pickFault(route); f != nil {
		fault, closeConn = s.serveFault(sw, r2, f, http.HandlerFunc(s.serveAPI))
		faithful = !f.altersAnswer()
	} else {
		s.serveAPI(sw, r2)
	}
	rec := RequestRecord{
		Time: s.now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: maskedHeader(r.Header),
		Route: route, Status: sw.status, Fault: fault, Body: string(body[:min(len(body), maxRecordedBody)]),
	}
	if s.contract != nil {
		for _, v := range s.checkContract(r, body, sw, faithful) {
			rec.Violations = append(rec.Violations, v.Error())
		}
	}
	s.record(rec)
	s.logLine(r, sw.status, time.Since(start), false, fault, rec.Violations)
	if closeConn != nil {
		closeConn()
	}
}

// checkContract validates the request and, when faithful, the answer against the
// contract. It keeps the violations that count (Violations): request violations do not
// when a test sends bad requests on purpose (AllowBadRequests).
func (s *Server) checkContract(r *http.Request, body []byte, sw *statusWriter, faithful bool) []contract.Violation {
	vs := s.contract.CheckRequest(r.Method, r.URL.EscapedPath(), r.URL.Query(), r.Header, body)
	counted := vs
	if s.allowBadRequests.Load() {
		counted = nil
	}
	if faithful && sw.status != 0 {
		resp := s.contract.CheckResponse(r.Method, r.URL.EscapedPath(), r.URL.Query(), r.Header, sw.status, sw.Header(), sw.body.Bytes())
		vs = append(vs, resp...)
		counted = append(counted, resp...)
	}
	if len(counted) > 0 {
		contract.Report(counted)
		s.reqMu.Lock()
		s.violations = append(s.violations, counted...)
		s.reqMu.Unlock()
	}
	return vs
}

// Violations returns the contract violations seen so far (Options.Contract), oldest
// first: the requests and answers that broke the project's written contract of the API.
func (s *Server) Violations() []contract.Violation {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return slices.Clone(s.violations)
}

// AllowBadRequests stops counting requests that break the contract as Violations, for
// tests that send bad requests on purpose to test the mock's own validation. Answers
// are still checked.
func (s *Server) AllowBadRequests() { s.allowBadRequests.Store(true) }

// serveAPI checks the credentials, then lets the API mux (which sets path values)
// dispatch to the handler.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	s.api.ServeHTTP(w, r)
}

// ciServed reports whether a request may reach a CI route: the CI API is the CI manager's,
// behind the gateway, and the /dbops prefixes lead to the DB DevOps service, which has
// no /ci routes.
func ciServed(prefix, path string) bool {
	return !isCIPath(path) || !strings.HasSuffix(prefix, "/dbops")
}

// authorize enforces DESIGN.md: a missing or wrong x-api-key is 401; a Harness-Account
// header naming another account is 403; an absent Harness-Account is fine (the x-api-key
// already identifies the account, as the Harness spec says); a project-scoped key
// (SetKeyScope) gets 403 on the account-level execution configs, DB DevOps and CI. The
// CI API answers them in its own error envelope.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	writeError := writeError
	if isCIPath(r.URL.Path) {
		writeError = writeNGError
	}
	key := r.Header.Get("x-api-key")
	if key == "" {
		writeError(w, http.StatusUnauthorized, "missing x-api-key header: send a Harness API key (PAT or SAT) in the x-api-key header")
		return false
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.apiKey)) != 1 {
		writeError(w, http.StatusUnauthorized, "invalid API key: the x-api-key header does not hold a valid token for this account")
		return false
	}
	if acct := r.Header.Get("Harness-Account"); acct != "" && acct != s.accountID {
		writeError(w, http.StatusForbidden, fmt.Sprintf("Harness-Account header names account %q, but the API key belongs to another account", acct))
		return false
	}
	if s.projectKey.Load() && strings.HasPrefix(r.URL.Path, executionConfigPath) {
		writeError(w, http.StatusForbidden, fmt.Sprintf("the API key may not access the DB DevOps execution config of account %q: "+
			"its roles are bound in a project, and the execution config belongs to the account", s.accountID))
		return false
	}
	if s.projectKey.Load() && isCIPath(r.URL.Path) {
		// harness-core CIExecutionConfigResource: reads need the account's view
		// permission, writes its edit permission.
		perm := "core_account_view"
		if r.Method != http.MethodGet {
			perm = "core_account_edit"
		}
		writeError(w, http.StatusForbidden, fmt.Sprintf("Missing permission %s on account %s: the API key's roles are bound in a project, "+
			"and the CI execution config belongs to the account", perm, s.accountID))
		return false
	}
	return true
}

// The scopes a key can have (SetKeyScope).
const (
	// KeyScopeAccount is a key with a role at the account scope: it may use every route.
	KeyScopeAccount = "account"
	// KeyScopeProject is a key whose roles are bound in a project, such as a project's
	// service-account token: the account-level execution-config routes answer 403, as
	// Harness answers a key that Harness knows but that may not act there. The schema and
	// instance routes answer as before (the mock does not check which project).
	KeyScopeProject = "project"
)

// SetKeyScope sets the scope of the mock's API key (KeyScopeAccount, the default, or
// KeyScopeProject); it panics on another value, a bug in the calling test.
func (s *Server) SetKeyScope(scope string) {
	switch scope {
	case KeyScopeAccount, KeyScopeProject:
		s.projectKey.Store(scope == KeyScopeProject)
	default:
		panic(fmt.Sprintf("mockserver.SetKeyScope: scope %q is neither %q nor %q", scope, KeyScopeAccount, KeyScopeProject))
	}
}

// KeyScope is the scope of the mock's API key (SetKeyScope).
func (s *Server) KeyScope() string {
	if s.projectKey.Load() {
		return KeyScopeProject
	}
	return KeyScopeAccount
}

// scopeExists answers 404 for a request under an org or project that the state does
// not declare (State.Orgs), before the handler runs: Harness checks the scope before
// the entity, so even a create or a list answers 404 there.
func (s *Server) scopeExists(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	msg := s.st.unknownScope(r.PathValue("org"), r.PathValue("project"))
	s.mu.Unlock()
	if msg != "" {
		writeError(w, http.StatusNotFound, msg)
		return false
	}
	return true
}

// matchRoute returns the route constant the request maps to, or "".
func (s *Server) matchRoute(r *http.Request) string {
	_, pattern := s.api.Handler(r)
	return pattern
}

// serveUnmatched answers 405 (with Allow) when the path exists for another method,
// else 404, both as JSON so clients always get the documented error shape (the CI API's
// own on a CI path it serves). served is false for a CI path behind a /dbops prefix:
// no method is served there.
func (s *Server) serveUnmatched(w http.ResponseWriter, r *http.Request, path string, served bool) {
	writeError := writeError
	if served && isCIPath(r.URL.Path) {
		writeError = writeNGError
	}
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method || !served {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if s.matchRoute(probe) != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, path, strings.Join(allowed, ", ")))
		return
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("no API route matches %s %s (paths start at /v1/..., optionally under /gateway, /dbops or /gateway/dbops; "+
		"the CI execution config's at /ci/..., optionally under /gateway)", r.Method, path))
}

// stripPrefix returns r with a leading API prefix (apiPrefixes) removed from its path,
// and the prefix.
func stripPrefix(r *http.Request) (*http.Request, string) {
	p := r.URL.Path
	for _, prefix := range apiPrefixes {
		if p != prefix && !strings.HasPrefix(p, prefix+"/") {
			continue
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimPrefix(p, prefix)
		if r2.URL.Path == "" {
			r2.URL.Path = "/"
		}
		r2.URL.RawPath = ""
		return r2, prefix
	}
	return r, ""
}

// unix is the API's timestamp format: epoch seconds.
func (s *Server) unix() int64 { return s.now().Unix() }

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "mock: cannot encode response: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError sends the documented error shape {"message": "..."}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// statusWriter remembers the status for the request log and passes Hijack through so
// Drop faults work.
type statusWriter struct {
	http.ResponseWriter
	status  int
	capture bool         // keep a copy of the body, for the contract check
	body    bytes.Buffer // the body written, when capture is set (at most maxBody)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.capture && w.body.Len() < maxBody {
		w.body.Write(b[:min(len(b), maxBody-w.body.Len())])
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (Hijack).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// RequestRecord is one API request as the mock saw it. Test hooks are not recorded.
type RequestRecord struct {
	Time   time.Time   `json:"time"`
	Method string      `json:"method"`
	Path   string      `json:"path"`   // as received, including any prefix such as /gateway
	Query  string      `json:"query"`  // the raw query string, "" if none
	Header http.Header `json:"header"` // the request headers as received; the x-api-key value is masked
	Route  string      `json:"route"`  // a Route* constant; "" if no route matched
	Status int         `json:"status"` // 0 when no response was sent (Drop, or the client went away)
	Fault  string      `json:"fault"`  // "" or what was injected, e.g. "status=503", "drop-after"
	Body   string      `json:"body"`   // the request body as sent (first 64 KiB), "" if none
	// Violations are the ways the request or its answer broke the contract
	// (Options.Contract), each as contract.Violation.Error() reads.
	Violations []string `json:"violations,omitempty"`
}

// maskedHeader copies h with the API key's value masked, so that a request log (which
// the standalone mock serves over HTTP) never holds a key.
func maskedHeader(h http.Header) http.Header {
	out := h.Clone()
	if v := out.Values("X-Api-Key"); len(v) > 0 {
		out["X-Api-Key"] = slices.Repeat([]string{"***"}, len(v))
	}
	return out
}

// maxRecordedBody caps RequestRecord.Body.
const maxRecordedBody = 64 << 10

func (s *Server) record(rec RequestRecord) {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.records = append(s.records, rec)
	if rec.Route != "" {
		s.counts[rec.Route]++
	}
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []RequestRecord {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return append([]RequestRecord(nil), s.records...)
}

// RouteCount is how many requests matched route (whatever their status).
func (s *Server) RouteCount(route string) int {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return s.counts[route]
}

// RouteCounts returns a copy of the per-route request counts.
func (s *Server) RouteCounts() map[string]int {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ResetRequests empties the request log and the counts.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.records = nil
	s.counts = map[string]int{}
}

// logLine writes one human-readable line per request to Options.RequestLog.
func (s *Server) logLine(r *http.Request, status int, d time.Duration, hook bool, fault string, violations []string) {
	if s.logw == nil {
		return
	}
	var line []byte
	if s.logJSON {
		line, _ = json.Marshal(struct {
			Time       string   `json:"time"`
			Method     string   `json:"method"`
			Path       string   `json:"path"`
			Status     int      `json:"status"`
			DurationMS float64  `json:"duration_ms"`
			Hook       bool     `json:"hook,omitempty"`
			Fault      string   `json:"fault,omitempty"`
			Violations []string `json:"violations,omitempty"`
		}{s.now().UTC().Format(time.RFC3339Nano), r.Method, r.URL.Path, status, float64(d.Microseconds()) / 1000, hook, fault, violations})
	} else {
		notes := violations
		if fault != "" {
			notes = append([]string{"fault=" + fault}, notes...)
		}
		if hook {
			notes = append(notes, "(test hook)")
		}
		line = fmt.Appendf(nil, "%s %s %s %d %s", s.now().UTC().Format(time.RFC3339Nano), r.Method, r.URL.Path, status, d.Round(time.Microsecond))
		if len(notes) > 0 {
			line = append(append(line, ' '), strings.Join(notes, " ")...)
		}
	}
	s.logwMu.Lock()
	defer s.logwMu.Unlock()
	_, _ = s.logw.Write(append(line, '\n'))
}
