// Package contract holds this project's own written contract of the Harness Database
// DevOps API (harness-dbops.yaml, an OpenAPI 3.0.3 document embedded in the binary) and a
// validator that checks one HTTP request, or one HTTP answer, against it.
//
// The document is ours: every schema, parameter and response in it names where the fact
// came from (x-source), and marks where the real server is known to be stricter
// (x-server-stricter) or looser (x-server-looser) than the public specification.
// Request bodies are strict (unknown keys are violations) so that client typos surface;
// response objects are open, because a server may add fields.
//
// Validation is done by github.com/getkin/kin-openapi (openapi3, openapi3filter and the
// gorillamux router); this package only builds the router once, adapts the inputs and
// turns kin-openapi's errors into short, one-line Violations.
package contract

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed harness-dbops.yaml
var document []byte

// Document returns the embedded YAML bytes (a copy), for a standalone mock to serve and
// for documentation.
func Document() []byte { return bytes.Clone(document) }

// Violation is one way an exchange breaks the contract.
type Violation struct {
	Route   string // "METHOD /v1/...{param}..." as in the YAML (the mock's route names use the same form), or "" when no operation matches
	Part    string // "request" or "response"
	Message string // what is wrong, from kin-openapi, made readable (one line)
}

// Error returns "contract: <Route or METHOD path>: <Part>: <Message>".
func (v Violation) Error() string {
	target := v.Route
	if target == "" {
		// An unmatched exchange names its METHOD and path in the message.
		target = "?"
		if rest, ok := strings.CutPrefix(v.Message, noOperationPrefix); ok {
			target, _, _ = strings.Cut(rest, ": ")
		}
	}
	return "contract: " + target + ": " + v.Part + ": " + v.Message
}

// Parts of an exchange.
const (
	PartRequest  = "request"
	PartResponse = "response"
)

const noOperationPrefix = "no operation in the contract for "

// maxMessage bounds a Violation message (kin-openapi messages can be long).
const maxMessage = 300

// prefixes are the path prefixes the same /v1 routes are served behind, longest first:
// the official provider's endpoint, the developer hub's base and Harness's MCP server's
// (the document's servers, EVIDENCE.md).
var prefixes = []string{"/gateway/dbops", "/gateway", "/dbops"}

var (
	statRequests   atomic.Int64
	statResponses  atomic.Int64
	statViolations atomic.Int64
)

// Stats returns how many requests and responses this process has validated through any
// Validator, and how many violations were reported (Report): the violations that fail
// a test or a run, not those provoked on purpose.
func Stats() (requests, responses, violations int64) {
	return statRequests.Load(), statResponses.Load(), statViolations.Load()
}

// Report counts violations that their finder holds against an exchange (a test fails
// on them, a standalone mock lists them), for Stats. A Validator only finds them: the
// contract's own tests and a mock told to allow bad requests provoke some on purpose,
// and those must not count.
func Report(vs []Violation) {
	statViolations.Add(int64(len(vs)))
}

// Expected takes n reported violations back out of Stats: a test that provokes them on
// purpose, to test the reporting itself, says so once it has seen them, so that make
// test's count stays the count of violations nobody expected.
func Expected(n int) {
	statViolations.Add(-int64(n))
}

// StatsFileEnv names the file to which TestMain functions append this process's Stats
// (AppendStats), so that `make test` can say how many exchanges one run validated.
const StatsFileEnv = "CONTRACT_STATS_FILE"

// RunWithStats runs a package's tests (a *testing.M) and appends this process's Stats
// to $CONTRACT_STATS_FILE (AppendStats), for a TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(contract.RunWithStats(m)) }
func RunWithStats(m interface{ Run() int }) int {
	code := m.Run()
	if err := AppendStats(); err != nil {
		fmt.Fprintln(os.Stderr, "contract stats:", err)
	}
	return code
}

// AppendStats appends one line, "requests responses violations", to the file named by
// $CONTRACT_STATS_FILE; it does nothing when the variable is unset.
func AppendStats() error {
	name := os.Getenv(StatsFileEnv)
	if name == "" {
		return nil
	}
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	req, resp, bad := Stats()
	_, err = fmt.Fprintf(f, "%d %d %d\n", req, resp, bad)
	return errors.Join(err, f.Close())
}

// Validator checks exchanges against the embedded contract. It is safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	opts   *openapi3filter.Options
	noBody *openapi3filter.Options // opts, but skipping the response body (reported apart when empty)
}

// New loads the embedded document, validates the document itself and builds the router.
func New() (*Validator, error) {
	ctx := context.Background()
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("contract: loading the embedded document: %w", err)
	}
	if doc.IsOpenAPI31OrLater() {
		// From 3.1 on, openapi3filter validates with JSON Schema 2020-12: `nullable` stops
		// allowing null and DisableSchemaErrorDetails is refused.
		return nil, fmt.Errorf("contract: the embedded document must stay OpenAPI 3.0 (it says %s)", doc.OpenAPI)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("contract: the embedded document is invalid: %w", err)
	}
	// The servers are documentation (the real bases, each with its source). The router
	// must match paths alone: the validator strips the known prefixes itself.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: building the router: %w", err)
	}
	opts := &openapi3filter.Options{
		MultiError:                        true,
		IncludeResponseStatus:             true,
		RejectWhenRequestBodyNotSpecified: true,
		SkipSettingDefaults:               true, // validate only; never rewrite the exchange
		AuthenticationFunc:                authenticate,
		SchemaValidationOptions:           []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
	noBody := *opts
	noBody.ExcludeResponseBody = true
	return &Validator{doc: doc, router: router, opts: opts, noBody: &noBody}, nil
}

// Operations returns every operation of the contract as "METHOD /v1/..." (or /ci/...), sorted: the
// form of the mock's route names, so that a test can hold the two equal.
func (v *Validator) Operations() []string {
	var ops []string
	for path, item := range v.doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

var (
	defaultOnce      sync.Once
	defaultValidator *Validator
)

// Default returns a process-wide Validator built once. It panics if the embedded document
// is invalid, which is a build bug.
func Default() *Validator {
	defaultOnce.Do(func() {
		v, err := New()
		if err != nil {
			panic(err)
		}
		defaultValidator = v
	})
	return defaultValidator
}

// authError is the answer of authenticate: its text is the whole violation message.
type authError struct{ msg string }

func (e *authError) Error() string { return e.msg }

// authenticate checks that the API key header is present and not empty. Its value is not
// part of the contract.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s == nil || s.Type != "apiKey" || s.In != "header" {
		return &authError{fmt.Sprintf("security scheme %q is not an API key header", in.SecuritySchemeName)}
	}
	if strings.TrimSpace(in.RequestValidationInput.Request.Header.Get(s.Name)) == "" {
		return &authError{fmt.Sprintf("header %s: missing or empty (security scheme %s)", s.Name, in.SecuritySchemeName)}
	}
	return nil
}

// exchange is a request rebuilt for kin-openapi, and the operation it matched.
type exchange struct {
	req    *http.Request
	route  *routers.Route
	params map[string]string
	name   string // "METHOD /v1/..." of the matched operation
}

// find rebuilds the request and finds its operation. On no match it returns the message.
func (v *Validator) find(method, rawPath string, query url.Values, header http.Header, body []byte) (*exchange, string) {
	p, q := splitPath(rawPath, query)
	escaped := stripPrefix(p)
	decoded, err := url.PathUnescape(escaped)
	if err != nil {
		return nil, fmt.Sprintf("%s%s %s: %s", noOperationPrefix, method, rawPath, compact(err.Error()))
	}
	u := &url.URL{Scheme: "http", Host: "contract.invalid", Path: decoded, RawPath: escaped, RawQuery: q.Encode()}
	req, err := http.NewRequestWithContext(context.Background(), method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Sprintf("%s%s %s: %s", noOperationPrefix, method, rawPath, compact(err.Error()))
	}
	if len(body) == 0 {
		req.Body, req.ContentLength, req.GetBody = http.NoBody, 0, nil
	}
	req.Header = canonicalHeader(header)
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		msg := noOperationPrefix + method + " " + rawPath
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			msg += ": the path is described, but not for " + method
		}
		return nil, msg
	}
	return &exchange{req: req, route: route, params: params, name: route.Method + " " + route.Path}, ""
}

// CheckRequest validates a request. path is the path as sent on the wire, escaped
// (http.Request.URL.EscapedPath), so that an escaped "/" inside an identifier stays in
// its segment; it may carry any of the prefixes "", "/gateway", "/dbops" and
// "/gateway/dbops" before /v1, and "" or "/gateway" before /ci. body is the raw request
// body (nil or empty for none).
func (v *Validator) CheckRequest(method, path string, query url.Values, header http.Header, body []byte) []Violation {
	statRequests.Add(1)
	ex, miss := v.find(method, path, query, header, body)
	if ex == nil {
		return []Violation{{Part: PartRequest, Message: miss}}
	}
	var out []Violation
	add := func(msgs ...string) {
		for _, m := range msgs {
			out = append(out, Violation{Route: ex.name, Part: PartRequest, Message: m})
		}
	}
	add(undeclaredQuery(ex)...)
	in := &openapi3filter.RequestValidationInput{
		Request:    ex.req,
		PathParams: ex.params,
		Route:      ex.route,
		Options:    v.opts,
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		add(messages(err, "")...)
	}
	return out
}

// CheckResponse validates the answer to such a request: the status must be declared for
// the operation, and the headers and body must match what it declares.
func (v *Validator) CheckResponse(method, path string, query url.Values, reqHeader http.Header, status int, respHeader http.Header, body []byte) []Violation {
	statResponses.Add(1)
	ex, miss := v.find(method, path, query, reqHeader, nil)
	if ex == nil {
		return []Violation{{Part: PartResponse, Message: miss}}
	}
	var out []Violation
	add := func(msgs ...string) {
		for _, m := range msgs {
			out = append(out, Violation{Route: ex.name, Part: PartResponse, Message: m})
		}
	}
	responses := ex.route.Operation.Responses
	ref := responses.Status(status)
	if ref == nil {
		ref = responses.Default()
	}
	if ref == nil || ref.Value == nil {
		add(fmt.Sprintf("status %d is not declared for this operation (declared: %s)", status, declared(responses)))
		return out
	}
	// kin-openapi does not look at the body of a response that declares no content
	// (a 204): any body there is a violation. An empty body where JSON is declared gets
	// a clearer message than the decoder's "EOF".
	respOpts := v.opts
	empty := len(bytes.TrimSpace(body)) == 0
	switch {
	case len(ref.Value.Content) == 0 && !empty:
		add(fmt.Sprintf("body: status %d declares no body, but %d bytes were sent", status, len(body)))
	case len(ref.Value.Content) > 0 && empty:
		add(fmt.Sprintf("body: empty, but status %d declares a JSON body", status))
		respOpts = v.noBody
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    ex.req,
			PathParams: ex.params,
			Route:      ex.route,
			Options:    v.opts,
		},
		Status:  status,
		Header:  canonicalHeader(respHeader),
		Options: respOpts,
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		add(messages(err, "")...)
	}
	return out
}

// declared lists the statuses an operation declares, in order.
func declared(r *openapi3.Responses) string {
	var codes []string
	for code := range r.Map() {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}

// undeclaredQuery reports query parameters the operation does not declare (project
// choice: a misspelled parameter would otherwise be silently ignored by a server).
func undeclaredQuery(ex *exchange) []string {
	q := ex.req.URL.Query()
	if len(q) == 0 {
		return nil
	}
	known := map[string]bool{}
	for _, params := range []openapi3.Parameters{ex.route.PathItem.Parameters, ex.route.Operation.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				known[p.Value.Name] = true
			}
		}
	}
	var names []string
	for name := range q {
		if !known[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := make([]string, 0, len(names))
	for _, name := range names {
		out = append(out, fmt.Sprintf("query %s: parameter is not declared for this operation", name))
	}
	return out
}

// splitPath separates a query string left in path and merges it with query.
func splitPath(path string, query url.Values) (string, url.Values) {
	p, raw, found := strings.Cut(path, "?")
	if !found {
		return path, query
	}
	q := url.Values{}
	if extra, err := url.ParseQuery(raw); err == nil {
		for k, vs := range extra {
			q[k] = append(q[k], vs...)
		}
	}
	for k, vs := range query {
		q[k] = append(q[k], vs...)
	}
	return p, q
}

// ciPrefix is the only prefix the CI routes (/ci/...) are served behind: they belong to
// the CI manager, behind the gateway, not to the DB DevOps service of the /dbops prefixes.
const ciPrefix = "/gateway"

// stripPrefix removes one of the known prefixes in front of /v1, or the gateway's in
// front of /ci.
func stripPrefix(path string) string {
	for _, pre := range prefixes {
		if rest, ok := strings.CutPrefix(path, pre); ok && (rest == "/v1" || strings.HasPrefix(rest, "/v1/")) {
			return rest
		}
	}
	if rest, ok := strings.CutPrefix(path, ciPrefix); ok && strings.HasPrefix(rest, "/ci/") {
		return rest
	}
	return path
}

// canonicalHeader copies h with canonical keys, so that a map built by hand still works
// with Header.Get.
func canonicalHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		out[ck] = append(out[ck], vs...)
	}
	return out
}

// messages flattens a kin-openapi error into one-line messages. where names the part
// of the exchange an inner schema error is about ("body", "query limit", ...).
func messages(err error, where string) []string {
	switch e := err.(type) { //nolint:errorlint // kin-openapi returns these unwrapped; errors.As would also look inside a MultiError
	case openapi3.MultiError:
		var out []string
		for _, inner := range e {
			out = append(out, messages(inner, where)...)
		}
		return out
	case *openapi3filter.SecurityRequirementsError:
		var out []string
		for _, inner := range e.Errors {
			out = append(out, messages(inner, where)...)
		}
		return out
	case *authError:
		return []string{compact(e.msg)}
	case *openapi3filter.RequestError:
		switch {
		case e.Parameter != nil:
			where = e.Parameter.In + " " + e.Parameter.Name
		case e.RequestBody != nil:
			where = "body"
		}
		reason := e.Reason
		if errors.Is(e.Err, openapi3filter.ErrInvalidRequired) {
			return []string{at(where, "required, but missing")}
		}
		switch {
		case strings.HasPrefix(reason, "header Content-Type has unexpected value"):
			return []string{at("header Content-Type", "unexpected value"+strings.TrimPrefix(reason, "header Content-Type has unexpected value")+" for a JSON request body")}
		case strings.HasPrefix(reason, "doesn't match schema"):
			reason = ""
		case reason == "failed to decode request body":
			reason = "not valid JSON"
		}
		if reason == "request body not allowed for this request" || (e.Err != nil && e.Err.Error() == "request body not allowed for this request") {
			return []string{at("body", "this operation takes no request body")}
		}
		return wrapped(e.Err, where, reason)
	case *openapi3filter.ResponseError:
		reason := e.Reason
		switch {
		case strings.HasPrefix(reason, "response body doesn't match schema"):
			where, reason = "body", ""
		case strings.HasPrefix(reason, "failed to decode response body"):
			where, reason = "body", "not valid JSON"
		case strings.HasPrefix(reason, "response header Content-Type has unexpected value"):
			where, reason = "header Content-Type", "unexpected value"+strings.TrimPrefix(reason, "response header Content-Type has unexpected value:")
		case strings.HasPrefix(reason, "response header "):
			rest := strings.TrimPrefix(reason, "response header ")
			name, tail, _ := strings.Cut(strings.TrimPrefix(rest, `"`), `" `)
			where, reason = "header "+name, tail
			if tail == "doesn't match schema" {
				reason = ""
			}
		case strings.HasPrefix(reason, "unable to decode header "):
			rest := strings.TrimPrefix(reason, "unable to decode header ")
			name, _, _ := strings.Cut(strings.Trim(rest, `"`), `"`)
			where, reason = "header "+name, "cannot be decoded"
		}
		return wrapped(e.Err, where, reason)
	case *openapi3.SchemaError:
		w := where
		ptr := e.JSONPointer()
		// A missing property's pointer ends with its own name: name the object instead.
		if n := len(ptr); n > 0 && e.SchemaField == "required" && e.Reason == fmt.Sprintf("property %q is missing", ptr[n-1]) {
			ptr = ptr[:n-1]
		}
		if len(ptr) > 0 {
			if w == "" {
				w = "value"
			}
			w += " /" + strings.Join(ptr, "/")
		}
		if e.Origin != nil {
			return []string{at(w, compact(e.Origin.Error()))}
		}
		reason := e.Reason
		if reason == "" {
			reason = fmt.Sprintf("does not match the schema's %q", e.SchemaField)
		}
		return []string{at(w, compact(reason))}
	}
	return []string{at(where, compact(err.Error()))}
}

// wrapped formats an error that wraps another: the inner schema errors keep their own
// messages; anything else is reason + inner text.
func wrapped(inner error, where, reason string) []string {
	if inner == nil {
		return []string{at(where, compact(reason))}
	}
	var me openapi3.MultiError
	var se *openapi3.SchemaError
	if errors.As(inner, &me) || errors.As(inner, &se) {
		if reason == "" {
			return messages(inner, where)
		}
		var out []string
		for _, m := range messages(inner, "") {
			out = append(out, at(where, reason+": "+m))
		}
		return out
	}
	text := compact(inner.Error())
	if reason != "" && reason != text {
		text = reason + ": " + text
	}
	return []string{at(where, compact(text))}
}

// at joins a location and a message.
func at(where, msg string) string {
	if where == "" {
		return msg
	}
	return where + ": " + msg
}

// compact makes text one short line.
func compact(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage-1]) + "…"
	}
	return s
}
