package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzResponse builds an answer with a status in 100..599.
func fuzzResponse(code int, contentType string, body []byte) *http.Response {
	if code < 100 || code > 599 {
		code = 100 + (code%500+500)%500
	}
	h := http.Header{}
	h.Set("Content-Type", contentType)
	h.Set("X-Request-Id", contentType) // the request ID is server text too
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
}

// checkMessage is what every error text must be: non-empty, valid UTF-8 (Terraform
// diagnostics travel as protobuf strings), free of control characters and of the key.
func checkMessage(t *testing.T, what, msg string) {
	t.Helper()
	switch {
	case strings.TrimSpace(msg) == "":
		t.Fatalf("%s: empty message", what)
	case !utf8.ValidString(msg):
		t.Fatalf("%s: invalid UTF-8: %q", what, msg)
	case strings.Contains(msg, testKey):
		t.Fatalf("%s: the API key leaks: %q", what, msg)
	case strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		t.Fatalf("%s: control characters: %q", what, msg)
	}
}

var fuzzSeeds = []struct {
	code int
	ct   string
	body string
}{
	{200, "application/json", `{"identifier":"s","name":"S","tags":{"a":"b"},"changelog":{"connector":"c","location":"l"}}`},
	{201, "application/json; charset=utf-8", `{"identifier":"i","name":"I","tags":null,"substituteProperties":null,"extra":[1,{"x":null}]}`},
	{200, "application/json", `{"defaultTag":"plugins/drone-liquibase:1","mongoTag":null}`},
	{200, "application/json", `true`},
	{200, "application/json", `[{"identifier":"a"},{"identifier":"b"}]`},
	{200, "application/json", `{"identifier":`},
	{200, "application/json", `{}`},
	{200, "application/json", `null`},
	{200, "application/json", `{"status":"SUCCESS","data":{"identifier":"x"}}`},
	{200, "text/html", `<html><title>Sign in</title><body>login</body></html>`},
	{204, "", ``},
	{400, "application/json", `{"message":"identifier \"overview\" is reserved"}`},
	{400, "application/json", `{"message":"key ` + testKey + ` is bad"}`},
	{502, "text/html; charset=iso-8859-1", "<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body>caf\xe9 x-api-key: " + testKey + "</body></html>"},
	{503, "text/plain", "pat.\x01" + testKey[4:] + "\n\t\x00"},
	{429, "application/json", `{"message":""}`},
	{500, "application/json", `{"message":"\u0000\ud800"}`},
	{404, "", ``},
	{400, "json", `{"messAge":"\b "}`}, // found by this fuzzer: a message of control characters only
	{200, "application/json", ciDocsDefaults},
	{200, "application/json", `{"status":"SUCCESS","data":{"a":1,"b":null,"c":"","d":[{}]}}`},
	{200, "application/json", `{"status":"ERROR","code":"X","message":"` + testKey + `"}`},
	{400, "application/json", `{"status":"ERROR","code":"INVALID_REQUEST","message":"","detailedMessage":null,"responseMessages":[{"message":"m"}],"correlationId":"c"}`},
}

// FuzzDecodeSuccess: any answer to any call decodes or fails with a *DecodeError whose
// text is fit for a diagnostic; what encoding/json accepts as a well-formed entity is
// never refused, and what is accepted always has its identifier.
func FuzzDecodeSuccess(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.code, s.ct, []byte(s.body))
	}
	c, err := New(Config{AccountID: "acc", APIKey: testKey})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, code int, ct string, body []byte) {
		code = 200 + (code%100+100)%100
		outs := map[string]func() any{
			"schema":      func() any { return new(Schema) },
			"instance":    func() any { return new(Instance) },
			"config":      func() any { return &ExecutionConfig{} },
			"bool":        func() any { return new(bool) },
			"schemas":     func() any { return new([]Schema) },
			"no answer":   func() any { return nil },
			"ci read":     func() any { return &ciAnswer{read: true, secret: testKey} },
			"ci customer": func() any { return &ciAnswer{read: true, noDataIsEmpty: true, secret: testKey} },
			"ci write":    func() any { return &ciAnswer{secret: testKey} },
		}
		for name, newOut := range outs {
			out := newOut()
			var header http.Header
			resp := fuzzResponse(code, ct, body)
			err := c.decodeSuccess(context.Background(), call{method: http.MethodGet, path: "/v1/x", out: out, header: &header}, resp)
			_ = resp.Body.Close()
			if err != nil {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("%s: %T %v, want *DecodeError", name, err, err)
				}
				checkMessage(t, name, err.Error())
				var ref Schema
				if _, ok := out.(*Schema); ok && strings.Contains(ct, "json") && json.Unmarshal(body, &ref) == nil && ref.Identifier != "" {
					t.Fatalf("a well-formed schema was refused: %v", err)
				}
				continue
			}
			switch v := out.(type) {
			case *Schema:
				if code != http.StatusNoContent && v.Identifier == "" {
					t.Fatalf("accepted a schema without identifier from %q", body)
				}
			case *Instance:
				if code != http.StatusNoContent && v.Identifier == "" {
					t.Fatalf("accepted an instance without identifier from %q", body)
				}
			case *ciAnswer:
				if code != http.StatusNoContent && (v.Status != "SUCCESS" || v.read && v.config.Images == nil) {
					t.Fatalf("accepted a CI answer with status %q and images %v from %q", v.Status, v.config.Images, body)
				}
			}
		}
	})
}

// FuzzAPIError: any error answer becomes an *APIError whose text names the call, is fit
// for a diagnostic and bounded in size, whatever the body, its encoding or its headers.
func FuzzAPIError(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.code, s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, code int, ct string, body []byte) {
		resp := fuzzResponse(code, ct, body)
		e := newAPIError(http.MethodPost, "/v1/orgs/o/projects/p/dbschema", resp, testKey)
		_ = resp.Body.Close()
		msg := e.Error()
		checkMessage(t, "APIError", msg)
		if !strings.HasPrefix(msg, "POST /v1/orgs/o/projects/p/dbschema: ") || e.StatusCode != resp.StatusCode {
			t.Fatalf("the error does not name the call and status: %q", msg)
		}
		if e.Message == "" || len(e.Message) > 2100+len(notHarnessHint) || len(e.RequestID) > 210 {
			t.Fatalf("message of %d bytes, request ID of %d: %q", len(e.Message), len(e.RequestID), msg)
		}
	})
}
