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
	"unicode/utf8"
)

// maxBody bounds what is read of any answer, so a misbehaving proxy cannot exhaust memory.
const maxBody = 16 << 20

const notHarnessHint = "check that the provider's endpoint points at the Harness gateway " +
	"(for example " + DefaultEndpoint + ") and that no proxy is answering in its place"

// APIError is an answer from the server with an error status. Message is the server's
// own `message`, verbatim, except that the API key is masked and the text is made valid
// UTF-8 (it ends up in Terraform diagnostics, which must be). Both error shapes are read:
// DB DevOps's {"message"} and the NextGen envelope of the CI API, {"status": "ERROR",
// "code", "message", "correlationId", "detailedMessage", "responseMessages", ...}.
type APIError struct {
	StatusCode int
	Message    string
	// Code is Harness's error code (NextGen errors: INVALID_REQUEST, NG_ACCESS_DENIED...),
	// "" when the answer has none.
	Code      string
	RequestID string // the X-Request-Id header, else the answer's correlationId
	Method    string
	Path      string
	// Attempts is how many times the call was sent, retries included.
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	if hint := statusHint(e.StatusCode); hint != "" {
		b.WriteString(" (" + hint + ")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	if e.RequestID != "" {
		b.WriteString(" [request ID " + e.RequestID + "]")
	}
	return b.String()
}

// statusHint says what a status means for the caller, in the API's terms; the provider
// adds which of its settings to change (internal/provider, apiErrorDetail).
func statusHint(code int) string {
	switch code {
	case http.StatusUnauthorized:
		return "the API key was rejected"
	case http.StatusForbidden:
		return "the API key may not act on this account or scope"
	case http.StatusTooManyRequests:
		return "Harness is rate limiting this account"
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "the Harness API or a gateway in front of it is failing"
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
	// Attempts is how many times the call was sent, retries included.
	Attempts int
	// Ended is true when the caller's ctx ended (canceled or past its deadline): the
	// operation was stopped, not the network.
	Ended bool
	// LastStatus is the status of the last answer when the ctx ended while waiting to
	// retry it (a 429 with a long Retry-After, for example); 0 otherwise.
	LastStatus int
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("%s %s: no answer from the Harness API: %v", e.Method, e.Path, e.Err)
	if e.LastStatus != 0 {
		s = fmt.Sprintf("%s %s: stopped waiting to retry after %d %s: %v", e.Method, e.Path, e.LastStatus, http.StatusText(e.LastStatus), e.Err)
	}
	switch {
	case e.Ended:
	case e.TimedOut():
		s += " (no answer within the per-attempt timeout)"
	default:
		s += " (check the endpoint, the network and any proxy in between)"
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (gave up after %d attempts)", e.Attempts)
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// TimedOut reports whether the last attempt got no answer within Config.RequestTimeout
// (and the caller's ctx did not end).
func (e *RequestError) TimedOut() bool {
	var ne net.Error
	return !e.Ended && errors.As(e.Err, &ne) && ne.Timeout()
}

// HeaderValueError is a credential that no HTTP header can carry: it holds a line break
// or another control character (a key read from a file with its trailing newline, for
// example). net/http refuses to send such a header and fails the call before it leaves,
// as if the network had failed; New refuses the credential instead, so that the error
// names it. The value itself is never in the error.
type HeaderValueError struct {
	Name  string // "API key" or "account ID"
	Index int    // byte offset of the first control character
	Len   int    // length of the value in bytes
	AtEnd bool   // only such characters follow, as a file's line end
}

func (e *HeaderValueError) Error() string {
	where := fmt.Sprintf("at byte %d of %d", e.Index+1, e.Len)
	if e.AtEnd {
		where = "at its end"
	}
	return fmt.Sprintf("the %s holds a line break or another control character (%s), which no HTTP header can carry", e.Name, where)
}

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

// StatusOf is the status of the API's answer when err is an *APIError, else 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is a 404 from the API.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsExecutionConfigDenied reports whether err is a 403 from the account-level execution
// config: Harness knows the API key (else it would answer 401), but the key may not act
// on the account's execution config, as a key whose roles are bound in a project may not.
func IsExecutionConfigDenied(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusForbidden && strings.HasPrefix(ae.Path, executionConfigPath)
}

// IsBadRequest reports whether err is a 400 from the API.
func IsBadRequest(err error) bool { return StatusOf(err) == http.StatusBadRequest }

// IsAlreadyExists reports whether err is the API's answer to a duplicate identifier.
// The API has no 409: a duplicate is a 400 whose message says it already exists.
func IsAlreadyExists(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(ae.Message), "already exists")
}

var (
	// tags matches what an HTML page shows no text for: script and style blocks,
	// comments and tags.
	tags   = regexp.MustCompile(`(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
	// htmlTitle finds the <title> of an HTML page, usually the clearest line of a proxy's error page.
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title\s*>`)
)

// newAPIError reads an error answer. secret (the API key) is masked wherever the
// answer echoes it, as some proxies' debug pages echo the request headers.
func newAPIError(method, path string, resp *http.Response, secret string) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path, RequestID: clean(requestID(resp.Header), secret, 200)}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	isJSON := strings.Contains(resp.Header.Get("Content-Type"), "json")
	var wire map[string]json.RawMessage
	if isJSON && json.Unmarshal(body, &wire) == nil {
		e.Code = clean(jsonText(wire["code"]), secret, 100)
		if e.RequestID == "" {
			e.RequestID = clean(jsonText(wire["correlationId"]), secret, 200)
		}
		if e.Message = clean(errorMessage(wire), secret, 2000); e.Message != "" {
			return e
		}
	}
	e.Message = clean(pageText(string(body)), secret, 300)
	if e.Message == "" {
		e.Message = "(empty body)"
	}
	if !isJSON {
		e.Message += "; the answer is not JSON: " + notHarnessHint
	}
	return e
}

// errorMessage is the message of a JSON error: its message, else (NextGen errors) its
// detailedMessage or the first message of its responseMessages.
func errorMessage(wire map[string]json.RawMessage) string {
	for _, k := range []string{"message", "detailedMessage"} {
		if m := jsonText(wire[k]); strings.TrimSpace(m) != "" {
			return m
		}
	}
	var list []map[string]json.RawMessage
	_ = json.Unmarshal(wire["responseMessages"], &list)
	for _, rm := range list {
		if m := jsonText(rm["message"]); strings.TrimSpace(m) != "" {
			return m
		}
	}
	return ""
}

// jsonText is a JSON string's text; "" for anything else (a key of another type must
// not cost the rest of the answer).
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// pageText is the readable text of an error body: for an HTML page its title, then its
// text without scripts, styles and tags.
func pageText(body string) string {
	text := plainText(body)
	if m := htmlTitle.FindStringSubmatch(body); m != nil {
		if title := plainText(m[1]); title != "" {
			for strings.HasPrefix(text, title) { // the title, often repeated as the heading
				text = strings.TrimSpace(strings.TrimPrefix(text, title))
			}
			if text == "" {
				return title
			}
			return title + ": " + text
		}
	}
	return text
}

func plainText(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(tags.ReplaceAllString(s, " "), " "))
}

// clean makes text from the server fit for an error message: valid UTF-8, no control
// characters, the secret masked, at most n bytes. The secret is masked last but one, so
// that no later step can join its pieces back together.
func clean(s, secret string, n int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return truncate(strings.TrimSpace(scrub(s, secret)), n)
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

// truncate cuts s to at most n bytes, on a rune boundary, marking the cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
