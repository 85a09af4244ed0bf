// Package client is a hand-written client for the Harness Database DevOps API, and for
// Harness CI's execution config (the images every containerised stage pulls, DB DevOps
// stages included).
//
// It knows HTTP and JSON only: it imports nothing from Terraform, never logs on its
// own (it calls the Logger hook it is given), and returns *APIError for every answer
// the server gave with an error status.
package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// DefaultEndpoint is the Harness SaaS gateway; API paths start with /v1 below it.
const DefaultEndpoint = "https://app.harness.io/gateway"

// Config holds everything New needs. Zero values take the documented defaults.
type Config struct {
	Endpoint  string // base URL; API paths are joined to it ("/v1/...")
	AccountID string // sent as Harness-Account
	APIKey    string // sent as x-api-key; never logged; no control character (HeaderValueError)
	Version   string // provider version, for the User-Agent

	MaxRetries     int           // retries after the first attempt; 0 means none
	RequestTimeout time.Duration // per attempt; 0 means no per-attempt limit
	RateLimit      float64       // requests per second across the client; 0 means unlimited
	RetryWaitMin   time.Duration // first backoff; default 1s
	RetryWaitMax   time.Duration // backoff cap when the server sends no Retry-After; default 30s

	// Transport is the base RoundTripper; nil means a pooled default transport.
	Transport http.RoundTripper
	// Logger receives one event per HTTP attempt and per retry decision.
	Logger Logger
}

// Client talks to one Harness account. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	ciBase     *url.URL // the CI API's base (ciBaseOf)
	accountID  string
	apiKey     string
	userAgent  string
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	log        Logger
	http       *http.Client
}

// New validates cfg and builds a Client. It makes no network call.
func New(cfg Config) (*Client, error) {
	endpoint := strings.TrimRight(cfg.Endpoint, "/")
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	base, err := url.Parse(endpoint)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("endpoint %q is not an http(s) URL such as %s", cfg.Endpoint, DefaultEndpoint)
	}
	if cfg.AccountID == "" {
		return nil, errors.New("account ID is empty")
	}
	if cfg.APIKey == "" {
		return nil, errors.New("API key is empty")
	}
	for _, h := range []struct{ name, value string }{{"API key", cfg.APIKey}, {"account ID", cfg.AccountID}} {
		if i := strings.IndexFunc(h.value, notInHeader); i >= 0 {
			return nil, &HeaderValueError{Name: h.name, Index: i, Len: len(h.value), AtEnd: strings.TrimRightFunc(h.value, notInHeader) == h.value[:i]}
		}
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("max retries must not be negative, got %d", cfg.MaxRetries)
	}
	c := &Client{
		base:       base,
		ciBase:     ciBaseOf(base),
		accountID:  cfg.AccountID,
		apiKey:     cfg.APIKey,
		userAgent:  "terraform-provider-harness/" + orDefault(cfg.Version, "dev"),
		maxRetries: cfg.MaxRetries,
		waitMin:    orDefaultDuration(cfg.RetryWaitMin, time.Second),
		waitMax:    orDefaultDuration(cfg.RetryWaitMax, 30*time.Second),
		log:        cfg.Logger,
	}
	if c.log == nil {
		c.log = func(context.Context, Level, string, map[string]any) {}
	}
	transport := cfg.Transport
	if transport == nil {
		transport = cleanhttp.DefaultPooledTransport()
	}
	transport = &loggingTransport{next: transport, log: c.log, secret: c.apiKey}
	if cfg.RateLimit > 0 {
		burst := max(1, int(cfg.RateLimit))
		transport = &rateLimitTransport{next: transport, limiter: rate.NewLimiter(rate.Limit(cfg.RateLimit), burst)}
	}
	c.http = &http.Client{Transport: transport, Timeout: cfg.RequestTimeout}
	return c, nil
}

// ciBaseOf is the base of the CI API for an endpoint: the endpoint itself (the gateway,
// as for the official provider and Harness's CI docs: .../gateway/ci/...), less a last
// /dbops segment. The developer hub and Harness's MCP server name .../gateway/dbops and
// .../dbops as the DB DevOps base: those lead to the DB DevOps service, which has no /ci
// routes, while the CI API is another service behind the same gateway.
func ciBaseOf(base *url.URL) *url.URL {
	out := *base
	out.RawPath = strings.TrimSuffix(strings.TrimRight(base.EscapedPath(), "/"), "/dbops")
	out.Path, _ = url.PathUnescape(out.RawPath)
	return &out
}

// notInHeader reports the characters net/http refuses in a header value (RFC 9110's
// control characters but the tab).
func notInHeader(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }

// call describes one API operation.
type call struct {
	method string
	path   string   // below the base, starting with /v1 (or /ci)
	base   *url.URL // nil: the endpoint
	query  url.Values
	body   any // JSON-encoded when non-nil
	out    any // decoded from a 2xx JSON body when non-nil
	// createOnce marks the non-idempotent creates: they are retried blindly only when
	// the server cannot have acted on them (see createOnce).
	createOnce bool
	// header is set on 2xx answers, for callers that read paging headers.
	header *http.Header
	// quick marks a check that must fail within seconds when the endpoint cannot be
	// reached: connection errors are retried quickRetries times at most, after waits of
	// quickWait at most (CheckAccess). Answers are retried as usual: they prove the
	// endpoint is there.
	quick bool
}

// do runs one operation with retries and returns *APIError for error statuses.
func (c *Client) do(ctx context.Context, cl call) error {
	base := c.base
	if cl.base != nil {
		base = cl.base
	}
	u := *base
	// cl.path is already escaped segment by segment; RawPath keeps it that way.
	u.RawPath = strings.TrimRight(base.EscapedPath(), "/") + cl.path
	u.Path, _ = url.PathUnescape(u.RawPath)
	u.RawQuery = cl.query.Encode()

	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("%s %s: encoding request: %w", cl.method, cl.path, err)
		}
		c.log(ctx, LevelTrace, "request body", map[string]any{"method": cl.method, "path": cl.path, "body": scrub(string(payload), c.apiKey)})
	}
	var reqBody any
	if payload != nil {
		reqBody = payload
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u.String(), reqBody)
	if err != nil {
		return fmt.Errorf("%s %s: building request: %w", cl.method, cl.path, err)
	}
	req.Header.Set("x-api-key", c.apiKey)
	req.Header.Set("Harness-Account", c.accountID)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	// Success bodies are decoded inside the retry loop, so that a garbled answer to an
	// idempotent call is retried like any other transient failure.
	req.SetResponseHandler(func(resp *http.Response) error {
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil
		}
		return c.decodeSuccess(ctx, cl, resp)
	})

	// attempts counts what was sent, retries included; lastStatus is the last answer's
	// status. Both are local to this call: do runs on one goroutine.
	attempts, lastStatus := 1, 0
	check := c.retryPolicy(!cl.createOnce)
	connRetries := 0 // of a quick call
	rc := &retryablehttp.Client{
		HTTPClient:   c.http,
		RetryMax:     c.maxRetries,
		RetryWaitMin: c.waitMin,
		RetryWaitMax: c.waitMax,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			if resp != nil {
				lastStatus = resp.StatusCode
			}
			retry, cerr := check(ctx, resp, err)
			if retry && cl.quick && resp == nil && !isDecodeError(err) {
				if connRetries >= quickRetries {
					return false, cerr
				}
				connRetries++
			}
			return retry, cerr
		},
		Backoff:      c.backoff(ctx, cl),
		PrepareRetry: func(*http.Request) error { attempts++; return nil },
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	resp, err := rc.Do(req)
	if resp != nil {
		defer func() { _ = resp.Body.Close() }()
	}
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return de
		}
		re := &RequestError{Method: cl.method, Path: cl.path, Err: err, Sent: !notSent(err), Attempts: attempts}
		if ctxErr := ctx.Err(); ctxErr != nil {
			re.Ended = true
			if !errors.Is(err, ctxErr) {
				re.Err = fmt.Errorf("%w (%w)", err, ctxErr)
			}
			var ue *url.Error
			if !errors.As(err, &ue) && lastStatus != 0 {
				// The ctx ended while waiting for the next attempt, not during one: say
				// what was being retried.
				re.LastStatus = lastStatus
			}
		}
		return re
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := newAPIError(cl.method, cl.path, resp, c.apiKey)
		e.Attempts = attempts
		return e
	}
	return nil
}

func (c *Client) decodeSuccess(ctx context.Context, cl call, resp *http.Response) error {
	if cl.header != nil {
		*cl.header = resp.Header.Clone()
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return &DecodeError{Method: cl.method, Path: cl.path, Status: resp.StatusCode, Reason: "reading the body: " + err.Error()}
	}
	c.log(ctx, LevelTrace, "response body", map[string]any{"method": cl.method, "path": cl.path, "status": resp.StatusCode, "body": truncate(scrub(string(body), c.apiKey), 4096)})
	if cl.out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		return &DecodeError{Method: cl.method, Path: cl.path, Status: resp.StatusCode,
			Reason: fmt.Sprintf("the answer is %q, not JSON: %s", clean(ct, c.apiKey, 200), notHarnessHint)}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(cl.out); err != nil {
		return &DecodeError{Method: cl.method, Path: cl.path, Status: resp.StatusCode, Reason: "invalid JSON: " + err.Error()}
	}
	if ch, ok := cl.out.(checker); ok {
		if err := ch.check(); err != nil {
			return &DecodeError{Method: cl.method, Path: cl.path, Status: resp.StatusCode, Reason: err.Error()}
		}
	}
	return nil
}

// checker is an answer that can tell a well-formed entity from a stray JSON object, such
// as {} or another API's envelope ({"status": "SUCCESS", "data": {...}}). Unknown fields,
// absent optional fields and null maps are fine; an entity without its identifier is not.
type checker interface{ check() error }

func missingIdentifier(what string) error {
	return fmt.Errorf("the answer has no identifier, so it is not a %s: %s", what, notHarnessHint)
}

// retryPolicy retries 429, 502, 503, 504 (and 500 for idempotent calls), connection
// errors and garbled success bodies. A non-idempotent call is retried here only when the
// server cannot have acted on it; createOnce resolves the ambiguous cases.
func (c *Client) retryPolicy(idempotent bool) retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err != nil {
			var de *DecodeError
			if errors.As(err, &de) {
				return idempotent, err
			}
			if permanent(err) {
				return false, err
			}
			if !idempotent && !notSent(err) {
				return false, err
			}
			return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
		}
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			return true, nil
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
			return idempotent, nil
		}
		return false, nil
	}
}

// quickRetries and quickWait bound the retries of a quick call after connection errors:
// a closed port fails it within about quickRetries seconds.
const (
	quickRetries = 2
	quickWait    = time.Second
)

func isDecodeError(err error) bool {
	var de *DecodeError
	return errors.As(err, &de)
}

// permanent reports transport errors that no retry can fix: a certificate that is not
// trusted, or TLS spoken to a plain-HTTP port (and the reverse).
func permanent(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) ||
		errors.As(err, &record) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}

// backoff honours Retry-After on 429 and 503 and otherwise backs off exponentially.
func (c *Client) backoff(ctx context.Context, cl call) retryablehttp.Backoff {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		wait := retryablehttp.DefaultBackoff(lo, hi, attempt, resp)
		if cl.quick && resp == nil {
			wait = min(wait, quickWait)
		}
		fields := map[string]any{"method": cl.method, "path": cl.path, "attempt": attempt + 1, "wait": wait.String()}
		if resp != nil {
			fields["status"] = resp.StatusCode
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				fields["retry_after"] = ra
			}
		}
		c.log(ctx, LevelDebug, "retrying Harness API request", fields)
		return wait
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orDefaultDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// rateLimitTransport spaces out every attempt, retries included.
type rateLimitTransport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
}

func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		return nil, fmt.Errorf("waiting for the client-side rate limit: %w", err)
	}
	return t.next.RoundTrip(req)
}

// AccountID is the account every call acts on.
func (c *Client) AccountID() string { return c.accountID }
