package client

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Level is the severity of a log event.
type Level int

const (
	LevelTrace Level = iota
	LevelDebug
	LevelWarn
)

// Logger receives the client's log events. The provider connects it to tflog. Fields
// never hold headers, so the API key cannot reach a log through them; free text is
// scrubbed of the key as well.
type Logger func(ctx context.Context, level Level, msg string, fields map[string]any)

// loggingTransport reports every HTTP attempt, retries included.
type loggingTransport struct {
	next   http.RoundTripper
	log    Logger
	secret string
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if req.URL.RawQuery != "" {
		fields["query"] = req.URL.RawQuery
	}
	if err != nil {
		fields["error"] = scrub(err.Error(), t.secret)
		t.log(req.Context(), LevelDebug, "Harness API request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	if id := requestID(resp.Header); id != "" {
		fields["request_id"] = id
	}
	t.log(req.Context(), LevelDebug, "Harness API request", fields)
	return resp, nil
}

// scrub removes the API key from text bound for a log.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "***")
}
