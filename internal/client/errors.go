package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
)

// maxBody bounds what is read of any answer, so a misbehaving proxy cannot exhaust memory.
const maxBody = 16 << 20

const notHarnessHint = "check that the provider's endpoint points at the Harness gateway " +
	"(for example " + DefaultEndpoint + ") and that no proxy is answering in its place"

// APIError is an answer from the server with an error status. Message is the server's
// own `message`, verbatim.
type APIError struct {
	StatusCode int
	Message    string
	RequestID  string
	Method     string
	Path       string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if hint := statusHint(e.StatusCode); hint != "" {
		b.WriteString(" (" + hint + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" [request ID " + e.RequestID + "]")
	}
	return b.String()
}

func statusHint(code int) string {
	switch code {
	case http.StatusUnauthorized:
		return "the API key was rejected: check api_key or HARNESS_PLATFORM_API_KEY"
	case http.StatusForbidden:
		return "the API key may not act on this account or scope: check account_id or HARNESS_ACCOUNT_ID and the key's permissions"
	}
	return ""
}

// RequestError is a call that got no usable answer: the connection failed, the ctx
// ended, or retries ran out on a transport error. Sent is false only when the request
// surely never reached the server (the dial failed).
type RequestError struct {
	Method string
	Path   string
	Err    error
	Sent   bool
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("%s %s: no answer from the Harness API: %v", e.Method, e.Path, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// DecodeError is a success status whose body could not be understood.
type DecodeError struct {
	Method string
	Path   string
	Status int
	Reason string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s %s: unexpected answer (status %d): %s", e.Method, e.Path, e.Status, e.Reason)
}

func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is a 404 from the API.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsBadRequest reports whether err is a 400 from the API.
func IsBadRequest(err error) bool { return statusOf(err) == http.StatusBadRequest }

// IsUnauthorized reports whether err is a 401 from the API.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsForbidden reports whether err is a 403 from the API.
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsRateLimited reports whether err is a 429 from the API (retries ran out).
func IsRateLimited(err error) bool { return statusOf(err) == http.StatusTooManyRequests }

// IsAlreadyExists reports whether err is the API's answer to a duplicate identifier.
// The API has no 409: a duplicate is a 400 whose message says it already exists.
func IsAlreadyExists(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(ae.Message), "already exists")
}

var tags = regexp.MustCompile(`<[^>]*>|\s+`)

func newAPIError(method, path string, resp *http.Response) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path, RequestID: requestID(resp.Header)}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var wire struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && json.Unmarshal(body, &wire) == nil && wire.Message != "" {
		e.Message = wire.Message
		return e
	}
	text := strings.TrimSpace(tags.ReplaceAllString(string(body), " "))
	if text == "" {
		e.Message = "(empty body)"
	} else {
		e.Message = truncate(text, 300)
	}
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		e.Message += "; the answer is not JSON: " + notHarnessHint
	}
	return e
}

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Harness-Request-Id", "Request-Id", "X-Correlation-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// notSent reports whether err proves the request never reached the server.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
