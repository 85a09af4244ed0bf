package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// dropConn closes the connection without an answer, after reading the request: the
// server may have acted, the client cannot know.
func dropConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

// A create whose first answer was lost, whose read-back found nothing, and whose second
// POST was refused as a duplicate (the first one landed late) is resolved by reading the
// entity again: no "already exists" error, and no third POST.
func TestCreateOnceResolvesAlreadyExistsAfterLostAnswer(t *testing.T) {
	var posts, gets atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			if posts.Add(1) == 1 {
				dropConn(w)
				return
			}
			jsonReply(w, 400, `{"message":"database schema \"s\" already exists in org \"o\", project \"p\""}`)
		case http.MethodGet:
			if gets.Add(1) == 1 {
				jsonReply(w, 404, `{"message":"not found"}`)
				return
			}
			jsonReply(w, 200, schemaAnswer("s", "S"))
		}
	}), func(cfg *Config) { cfg.Transport = &http.Transport{DisableKeepAlives: true} })
	got, err := c.CreateSchema(context.Background(), "o", "p", SchemaInput{Identifier: "s", Name: "S"})
	if err != nil {
		t.Fatalf("err = %v, want the entity", err)
	}
	if got.Identifier != "s" || posts.Load() != 2 || gets.Load() != 2 {
		t.Fatalf("got %+v after %d POSTs and %d GETs, want 2 and 2", got, posts.Load(), gets.Load())
	}
}

// A duplicate that was never preceded by an ambiguous failure is someone else's entity:
// the error stands.
func TestCreateOnceReportsAPlainDuplicate(t *testing.T) {
	h, n := scripted(func(w http.ResponseWriter) {
		jsonReply(w, 400, `{"message":"database schema \"s\" already exists"}`)
	})
	c := newTestClient(t, h)
	_, err := c.CreateSchema(context.Background(), "o", "p", SchemaInput{Identifier: "s", Name: "S"})
	if !IsAlreadyExists(err) || n.Load() != 1 {
		t.Fatalf("err = %v after %d calls, want already exists after 1", err, n.Load())
	}
}

// Errors say how many attempts were made, so "stopped at max_retries" is visible.
func TestErrorsCountAttempts(t *testing.T) {
	h, n := scripted(status(503))
	c := newTestClient(t, h) // MaxRetries 3
	_, err := c.GetDefaultConfig(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != 4 || n.Load() != 4 {
		t.Fatalf("err = %v (%d calls), want a 503 after 4 attempts", err, n.Load())
	}
	for _, want := range []string{"503 Service Unavailable", "(the Harness API or a gateway in front of it is failing)", "gave up after 4 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}

	c = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { dropConn(w) }),
		func(cfg *Config) { cfg.MaxRetries = 2; cfg.Transport = &http.Transport{DisableKeepAlives: true} })
	_, err = c.GetDefaultConfig(context.Background())
	var re *RequestError
	if !errors.As(err, &re) || re.Attempts != 3 || !strings.Contains(err.Error(), "gave up after 3 attempts") ||
		!strings.Contains(err.Error(), "check the endpoint, the network and any proxy") {
		t.Fatalf("err = %v, want a RequestError after 3 attempts", err)
	}
}

// A per-attempt timeout that never clears says which setting bounds it.
func TestTimeoutErrorNamesTheSetting(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}), func(cfg *Config) { cfg.RequestTimeout = 50 * time.Millisecond; cfg.MaxRetries = 1 })
	_, err := c.GetDefaultConfig(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no answer within the per-attempt timeout") || !strings.Contains(err.Error(), "GET /v1/dbops/execution-config/get-default-config") {
		t.Fatalf("err = %v", err)
	}
}

// When the ctx deadline ends the wait for a Retry-After, the error says what was being
// retried instead of claiming there was no answer.
func TestDeadlineDuringRetryAfterSaysWhy(t *testing.T) {
	h, n := scripted(status(429, "Retry-After", "30"))
	c := newTestClient(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetDefaultConfig(ctx)
	var re *RequestError
	if !errors.As(err, &re) || !re.Ended || re.LastStatus != 429 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "stopped waiting to retry after 429 Too Many Requests") || time.Since(start) > 5*time.Second || n.Load() != 1 {
		t.Fatalf("err = %v after %v and %d calls", err, time.Since(start), n.Load())
	}
}

// A proxy's HTML error page becomes a short, readable message: its title and text, no
// style sheet or script, no echo of the API key, valid UTF-8, and the hint about the
// endpoint.
func TestProxyErrorPageIsReadable(t *testing.T) {
	page := "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{font:13px/1.4 sans-serif}</style>" +
		"<script>var trace='x'</script></head><body><h1>Bad Gateway</h1><p>upstream sent no answer</p>" +
		"<pre>x-api-key: " + testKey + "</pre><p>caf\xe9 " + strings.Repeat("é", 400) + "</p></body></html>"
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offContract(w, "a proxy's error page")
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(502)
		_, _ = w.Write([]byte(page))
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, err := c.GetSchema(context.Background(), "o", "p", "s")
	msg := err.Error()
	for _, want := range []string{"GET /v1/orgs/o/projects/p/dbschema/s: 502 Bad Gateway: 502 Bad Gateway: Bad Gateway upstream sent no answer", "x-api-key: ***", "not JSON", "endpoint points at the Harness gateway"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	for _, bad := range []string{testKey, "font:", "var trace", "<"} {
		if strings.Contains(msg, bad) {
			t.Errorf("message contains %q:\n%s", bad, msg)
		}
	}
	if !utf8.ValidString(msg) || len(msg) > 1000 {
		t.Errorf("message is not valid UTF-8 or too long (%d bytes):\n%q", len(msg), msg)
	}
}

// Odd but harmless answers decode: unknown fields, absent optional fields and null maps.
// An object that is not an entity at all (no identifier) is a clear error.
func TestOddAnswers(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offContract(w, "odd answers the client must read: missing required keys, null values")
		switch {
		case strings.HasSuffix(r.URL.Path, "/dbschema/odd"):
			jsonReply(w, 200, `{"identifier":"odd","name":"Odd","tags":null,"changelog":null,"futureField":{"a":[1,2]},"usePercona":true}`)
		case strings.HasSuffix(r.URL.Path, "/instance/odd"):
			jsonReply(w, 200, `{"identifier":"odd","tags":null,"substituteProperties":null,"connector":"c"}`)
		case strings.HasSuffix(r.URL.Path, "get-customer-config"):
			jsonReply(w, 200, `{"defaultTag":"a/b:1","mongoTag":null,"gitCloneTag":"","newTag":"n/m:2"}`)
		case strings.HasSuffix(r.URL.Path, "/dbschema/envelope"):
			jsonReply(w, 200, `{"status":"SUCCESS","data":{"identifier":"envelope"}}`)
		default:
			jsonReply(w, 200, `{}`)
		}
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	ctx := context.Background()
	s, err := c.GetSchema(ctx, "o", "p", "odd")
	if err != nil || s.Name != "Odd" || s.Tags != nil || s.Changelog != nil || !s.UsePercona {
		t.Errorf("schema with unknown fields and null maps: %+v, %v", s, err)
	}
	in, err := c.GetInstance(ctx, "o", "p", "s", "odd")
	if err != nil || in.Name != "" || in.Tags != nil || in.SubstituteProperties != nil {
		t.Errorf("instance with missing fields and null maps: %+v, %v", in, err)
	}
	cfg, err := c.GetCustomerConfig(ctx, true)
	if err != nil || len(cfg) != 2 || cfg["defaultTag"] != "a/b:1" || cfg["newTag"] != "n/m:2" {
		t.Errorf("execution config with null and empty values: %v, %v", cfg, err)
	}
	for _, id := range []string{"envelope", "empty"} {
		_, err := c.GetSchema(ctx, "o", "p", id)
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "has no identifier, so it is not a DB schema") ||
			!strings.Contains(err.Error(), "GET /v1/orgs/o/projects/p/dbschema/"+id) {
			t.Errorf("%s: err = %v, want a DecodeError naming the call", id, err)
		}
	}
	if _, err := c.GetInstance(ctx, "o", "p", "s", "empty"); err == nil || !strings.Contains(err.Error(), "not a DB instance") {
		t.Errorf("instance {}: err = %v", err)
	}
}

// A list page with an item that is not an entity is refused, naming the item.
func TestListRefusesStrayItems(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offContract(w, "a list item without an identifier")
		listReply(w, 2, 0, 100, []string{schemaAnswer("a", "A"), `{"name":"no id"}`})
	}))
	_, err := c.ListSchemas(context.Background(), "o", "p", ListSchemasOptions{})
	if err == nil || !strings.Contains(err.Error(), "item 1 of page 0: the answer has no identifier") {
		t.Fatalf("err = %v", err)
	}
}
