package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Fault makes the mock misbehave like a real network, gateway or overloaded server,
// so client retries and the create-once logic can be tested. When one fault sets
// several behaviours they apply in this order: Latency, then the first of Drop, Body,
// Status, DropAfter, Malformed. HandleFirst turns Body or Status into "the server acted,
// then the gateway answered an error" (e.g. a 504 after the create was stored).
//
// JSON form (POST /_mock/faults): the field names below in lowerCamelCase; latency is a
// Go duration string ("1500ms", "2s") or an integer number of nanoseconds, e.g.
//
//	{"route": "POST /v1/orgs/{org}/projects/{project}/dbschema", "status": 503, "retryAfter": "1", "times": 2}
type Fault struct {
	Route       string        `json:"route"`       // a Route* constant; "" = every API route (never the test hooks)
	Status      int           `json:"status"`      // answer this status instead of handling (body {"message": Message}); 0 = handle normally
	Message     string        `json:"message"`     // default: the status text
	RetryAfter  string        `json:"retryAfter"`  // Retry-After header value sent with Status or Body
	Body        string        `json:"body"`        // raw body to send instead (with ContentType, status Status or 200), e.g. an HTML proxy error page
	ContentType string        `json:"contentType"` // default "text/html; charset=utf-8"
	Latency     time.Duration `json:"latency"`     // sleep before handling (respects the request ctx)
	Drop        bool          `json:"drop"`        // close the connection without any response, BEFORE handling (state unchanged)
	DropAfter   bool          `json:"dropAfter"`   // handle fully (state changes), then close without response: the "lost response" case
	Malformed   bool          `json:"malformed"`   // handle fully, then send a truncated, invalid JSON body with the real status (no-op on 204)
	HandleFirst bool          `json:"handleFirst"` // with Status or Body: handle fully first (state changes), then send the fault's answer instead of the real one
	Times       int           `json:"times"`       // fault the next N matching requests, then the fault is spent; 0 = until ClearFaults
	Fraction    float64       `json:"fraction"`    // 0 or 1 = every matching request; else the probability a matching request is faulted
}

// faultJSON is Fault with latency as text, for the hook's JSON form.
type faultJSON struct {
	Route       string          `json:"route"`
	Status      int             `json:"status"`
	Message     string          `json:"message"`
	RetryAfter  string          `json:"retryAfter"`
	Body        string          `json:"body"`
	ContentType string          `json:"contentType"`
	Latency     json.RawMessage `json:"latency"`
	Drop        bool            `json:"drop"`
	DropAfter   bool            `json:"dropAfter"`
	Malformed   bool            `json:"malformed"`
	HandleFirst bool            `json:"handleFirst"`
	Times       int             `json:"times"`
	Fraction    float64         `json:"fraction"`
}

// MarshalJSON writes latency as a Go duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{f.Route, f.Status, f.Message, f.RetryAfter, f.Body, f.ContentType, nil, f.Drop, f.DropAfter, f.Malformed, f.HandleFirst, f.Times, f.Fraction}
	j.Latency, _ = json.Marshal(f.Latency.String())
	return json.Marshal(j)
}

// UnmarshalJSON reads latency as a duration string or integer nanoseconds.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := decodeStrict(b, &j); err != nil {
		return err
	}
	*f = Fault{Route: j.Route, Status: j.Status, Message: j.Message, RetryAfter: j.RetryAfter, Body: j.Body, ContentType: j.ContentType,
		Drop: j.Drop, DropAfter: j.DropAfter, Malformed: j.Malformed, HandleFirst: j.HandleFirst, Times: j.Times, Fraction: j.Fraction}
	d, err := parseLatency(j.Latency)
	f.Latency = d
	return err
}

// parseLatency reads a latency as the hooks take it: a Go duration string ("1500ms") or
// integer nanoseconds; absent or null is 0.
func parseLatency(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("latency %q is not a Go duration such as \"1500ms\": %w", s, err)
		}
		return d, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("latency must be a duration string such as \"1500ms\" or integer nanoseconds")
	}
	return time.Duration(n), nil
}

// validate rejects faults that could never fire as meant, so a typo in a test fails
// loudly instead of silently injecting nothing.
func (f Fault) validate() error {
	switch {
	case f.Route != "" && !isRoute(f.Route):
		return fmt.Errorf("fault route %q is not a route; use one of: %s", f.Route, strings.Join(Routes(), "; "))
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("fault status %d is not an HTTP status", f.Status)
	case f.Times < 0:
		return fmt.Errorf("fault times %d is negative", f.Times)
	case f.Fraction < 0 || f.Fraction > 1:
		return fmt.Errorf("fault fraction %v is outside [0, 1]", f.Fraction)
	case f.Latency < 0:
		return fmt.Errorf("fault latency %v is negative", f.Latency)
	case f.Status == 0 && f.Body == "" && f.Latency == 0 && !f.Drop && !f.DropAfter && !f.Malformed:
		return fmt.Errorf("fault does nothing: set status, body, latency, drop, dropAfter or malformed")
	case f.HandleFirst && f.Status == 0 && f.Body == "":
		return fmt.Errorf("handleFirst needs status or body: it is the answer sent after handling")
	}
	return nil
}

// altersAnswer reports whether the fault replaces or withholds the API's own answer
// (anything but pure latency).
func (f *Fault) altersAnswer() bool {
	return f.Status != 0 || f.Body != "" || f.Drop || f.DropAfter || f.Malformed
}

// AddFault arms a fault. It panics on a fault that could never work as meant (unknown
// route, fraction outside [0,1], nothing to do): that is a bug in the calling test.
func (s *Server) AddFault(f Fault) {
	if err := f.validate(); err != nil {
		panic("mockserver.AddFault: " + err.Error())
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults disarms every fault.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = nil
}

// Faults returns copies of the armed faults (Times shows what is left).
func (s *Server) Faults() []Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		out = append(out, *f)
	}
	return out
}

// pickFault returns the first armed fault that matches route and fires for this request
// (Fraction rolled with the seeded source), consuming one of its Times.
func (s *Server) pickFault(route string) *Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i, f := range s.faults {
		if f.Route != "" && f.Route != route {
			continue
		}
		if f.Fraction > 0 && f.Fraction < 1 && s.rng.Float64() >= f.Fraction {
			continue
		}
		fired := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &fired
	}
	return nil
}

// serveFault answers r according to f (next is the normal handling) and returns a
// short description of what was injected, for the request log. For drops it also
// returns the function that closes the connection: the caller runs it after recording
// the request, so a client that sees the drop also sees it in the request log.
func (s *Server) serveFault(w *statusWriter, r *http.Request, f *Fault, next http.Handler) (desc string, closeConn func()) {
	d, c := s.serveFaultDesc(w, r, f, next)
	return strings.Join(d, ","), c
}

func (s *Server) serveFaultDesc(w *statusWriter, r *http.Request, f *Fault, next http.Handler) (desc []string, closeConn func()) {
	if f.Latency > 0 {
		desc = append(desc, "latency="+f.Latency.String())
		if !wait(r.Context(), f.Latency) {
			return append(desc, "canceled"), nil
		}
	}
	if f.HandleFirst && !f.Drop && (f.Body != "" || f.Status != 0) {
		next.ServeHTTP(&bufferWriter{header: http.Header{}}, r) // the real answer is lost
		desc = append(desc, "handled")
	}
	switch {
	case f.Drop:
		closeConn = hijack(w)
		desc = append(desc, "drop")
	case f.Body != "":
		ct := f.ContentType
		if ct == "" {
			ct = "text/html; charset=utf-8"
		}
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", ct)
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Body))
		desc = append(desc, fmt.Sprintf("body(status=%d)", status))
	case f.Status != 0:
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status) + " (injected by the mock)"
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeError(w, f.Status, msg)
		desc = append(desc, fmt.Sprintf("status=%d", f.Status))
	case f.DropAfter || f.Malformed:
		buf := &bufferWriter{header: http.Header{}}
		next.ServeHTTP(buf, r)
		if f.DropAfter {
			w.status = buf.code() // the handler's answer, never delivered
			closeConn = hijack(w)
			desc = append(desc, "drop-after")
			break
		}
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		w.WriteHeader(buf.code())
		_, _ = w.Write(truncate(buf.body.Bytes()))
		desc = append(desc, "malformed")
	default:
		next.ServeHTTP(w, r)
	}
	return desc, closeConn
}

// truncate cuts a JSON body in half. A proper prefix of a JSON object, array, string
// or literal is never valid JSON, so the client must fail to decode it.
func truncate(b []byte) []byte {
	if len(b) < 2 {
		return []byte("{")
	}
	return b[:len(b)/2]
}

// hijack takes the client connection over without writing a response and returns
// the function that closes it.
func hijack(w http.ResponseWriter) func() {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2, a recorder): the closest we can get is an aborted handler.
		return func() { panic(http.ErrAbortHandler) }
	}
	return func() { _ = conn.Close() }
}

// bufferWriter captures a response so it can be dropped or mangled after the handler
// has changed the state.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferWriter) code() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}
