package client

import (
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// The developer hub's CI answers (EVIDENCE.md, DH CI images), shortened.
const (
	ciDocsDefaults = `{"status":"SUCCESS","data":{"addonTag":"harness/ci-addon:1.16.92","liteEngineTag":"harness/ci-lite-engine:1.16.92",` +
		`"gitCloneTag":"harness/drone-git:1.6.9-rootless"},"metaData":null,"correlationId":"08919155-a6d6-4bd3-8401-6b86318c85ca"}`
	ciDocsNoOverride = `{"status":"SUCCESS","data":{},"metaData":null,"correlationId":"11ce1bc8-b337-4687-9ab9-e13d553ae82f"}`
	ciTrue           = `{"status":"SUCCESS","data":true,"metaData":null,"correlationId":"c-1"}`
)

// Each call goes to the gateway's /ci/execution-config with the account and the infra
// (in the API's spelling) in the query, and the bodies the docs show.
func TestCIRequests(t *testing.T) {
	type seen struct{ path, query, body, key, account string }
	var got []seen
	var logged []map[string]any
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, seen{r.URL.Path, r.URL.RawQuery, string(b), r.Header.Get("x-api-key"), r.Header.Get("Harness-Account")})
		switch {
		case strings.HasSuffix(r.URL.Path, "-config") && r.Method == http.MethodGet && strings.Contains(r.URL.Path, "default"):
			jsonReply(w, 200, ciDocsDefaults)
		case r.Method == http.MethodGet:
			jsonReply(w, 200, ciDocsNoOverride)
		default:
			jsonReply(w, 200, ciTrue)
		}
	}), func(cfg *Config) {
		cfg.Logger = func(_ context.Context, _ Level, msg string, f map[string]any) {
			if msg == "Harness API request" {
				logged = append(logged, f)
			}
		}
	})
	ctx := context.Background()
	defaults, err := c.GetCIDefaultConfig(ctx, "k8")
	if err != nil || !maps.Equal(defaults.Images, ExecutionConfig{"addonTag": "harness/ci-addon:1.16.92", "liteEngineTag": "harness/ci-lite-engine:1.16.92", "gitCloneTag": "harness/drone-git:1.6.9-rootless"}) || defaults.NotImages != nil {
		t.Fatalf("defaults: %+v, %v", defaults, err)
	}
	if cfg, err := c.GetCICustomerConfig(ctx, CIInfraVM, false); err != nil || cfg.Images == nil || len(cfg.Images) != 0 {
		t.Fatalf("customer config: %+v, %v", cfg, err)
	}
	if err := c.UpdateCIConfig(ctx, " Vm", []ConfigOperation{{Field: "gitCloneTag", Value: "m/git:1"}, {Field: "s3UploadTag", Value: "m/s3:1"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.ResetCIConfig(ctx, CIInfraK8, []string{"addonTag", "liteEngineTag"}); err != nil {
		t.Fatal(err)
	}
	want := []seen{
		{"/gateway/ci/execution-config/get-default-config", "accountIdentifier=acc&infra=K8", "", testKey, "acc"},
		{"/gateway/ci/execution-config/get-customer-config", "accountIdentifier=acc&infra=VM&overridesOnly=false", "", testKey, "acc"},
		{"/gateway/ci/execution-config/update-config", "accountIdentifier=acc&infra=VM", `[{"field":"gitCloneTag","value":"m/git:1"},{"field":"s3UploadTag","value":"m/s3:1"}]`, testKey, "acc"},
		{"/gateway/ci/execution-config/reset-config", "accountIdentifier=acc&infra=K8", `[{"field":"addonTag"},{"field":"liteEngineTag"}]`, testKey, "acc"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests:\n got %q\nwant %q", got, want)
	}
	// The request log hook sees each call with its query, never the key.
	if len(logged) != 4 || logged[2]["path"] != "/gateway/ci/execution-config/update-config" || logged[2]["query"] != "accountIdentifier=acc&infra=VM" {
		t.Errorf("logged: %v", logged)
	}
}

func TestParseCIInfra(t *testing.T) {
	for in, want := range map[string]CIInfra{"K8": CIInfraK8, "k8": CIInfraK8, " vm\n": CIInfraVM, "VM": CIInfraVM} {
		if got, err := ParseCIInfra(in); got != want || err != nil {
			t.Errorf("ParseCIInfra(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "K8S", "kubernetes", "AWS_VM", "K 8"} {
		var ie *InfraError
		if _, err := ParseCIInfra(in); !errors.As(err, &ie) || ie.Value != in || !strings.Contains(err.Error(), "use K8 or VM") {
			t.Errorf("ParseCIInfra(%q): %v", in, err)
		}
	}
	// A call with another infra sends nothing.
	var n atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); jsonReply(w, 200, ciTrue) }))
	ctx := context.Background()
	_, err1 := c.GetCIDefaultConfig(ctx, "docker")
	_, err2 := c.GetCICustomerConfig(ctx, "", true)
	err3 := c.UpdateCIConfig(ctx, "K9", []ConfigOperation{{Field: "a", Value: "b"}})
	err4 := c.ResetCIConfig(ctx, "linux", []string{"a"})
	for i, err := range []error{err1, err2, err3, err4} {
		if _, ok := errors.AsType[*InfraError](err); !ok {
			t.Errorf("call %d: %v, want *InfraError", i, err)
		}
	}
	if n.Load() != 0 || c.UpdateCIConfig(ctx, "nope", nil) != nil || c.ResetCIConfig(ctx, "nope", nil) != nil {
		t.Errorf("%d requests sent; an empty change checks nothing", n.Load())
	}
}

// The CI API is behind the gateway: an endpoint that names the DB DevOps service
// (.../gateway/dbops, .../dbops) loses that segment for CI calls, and only for them.
func TestCIBase(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://app.harness.io/gateway":        "https://app.harness.io/gateway",
		"https://app.harness.io/gateway/dbops":  "https://app.harness.io/gateway",
		"https://app.harness.io/gateway/dbops/": "https://app.harness.io/gateway",
		"https://app.harness.io/dbops":          "https://app.harness.io",
		"https://harness.example.com/gateway":   "https://harness.example.com/gateway",
		"https://app.harness.io/gateway/dbopsx": "https://app.harness.io/gateway/dbopsx",
		"https://h.example/a%2Fb/dbops":         "https://h.example/a%2Fb",
	} {
		c, err := New(Config{Endpoint: endpoint, AccountID: "a", APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.ciBase.String(); got != want {
			t.Errorf("endpoint %s: CI base %s, want %s", endpoint, got, want)
		}
	}
	var paths []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if strings.Contains(r.URL.Path, "/ci/") {
			jsonReply(w, 200, ciDocsDefaults)
			return
		}
		jsonReply(w, 200, `{"gitCloneTag":"harness/drone-git:1.6.4-rootless"}`)
	}), func(cfg *Config) { cfg.Endpoint = strings.TrimSuffix(cfg.Endpoint, "/gateway") + "/gateway/dbops" })
	if _, err := c.GetCIDefaultConfig(context.Background(), CIInfraK8); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDefaultConfig(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"/gateway/ci/execution-config/get-default-config", "/gateway/dbops/v1/dbops/execution-config/get-default-config"}; !slices.Equal(paths, want) {
		t.Errorf("paths %q, want %q", paths, want)
	}
}

// answering is a client with one retry against a server that answers body with 200
// to every call, counting them in n; offContract says why body is outside the contract,
// "" when it is not.
func answering(t *testing.T, body, offContractWhy string, n *atomic.Int32) *Client {
	t.Helper()
	return newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if offContractWhy != "" {
			offContract(w, offContractWhy)
		}
		jsonReply(w, 200, body)
	}), func(cfg *Config) { cfg.MaxRetries = 1 })
}

// Answers are checked, not trusted: the envelope must be the CI API's, with status
// SUCCESS; no data is no override only where the docs say so; values that are not
// strings are no images, and named.
func TestCIAnswers(t *testing.T) {
	type read func(*Client) (CIConfig, error)
	defaults := func(c *Client) (CIConfig, error) { return c.GetCIDefaultConfig(context.Background(), CIInfraK8) }
	customer := func(c *Client) (CIConfig, error) { return c.GetCICustomerConfig(context.Background(), CIInfraK8, true) }
	for _, tt := range []struct {
		name        string
		read        read
		body        string
		offContract string // why the answer is outside the contract on purpose
		want        CIConfig
		wantErr     string
	}{
		{name: "the docs' customer config with no override", read: customer, body: ciDocsNoOverride, want: CIConfig{Images: ExecutionConfig{}}},
		{name: "customer config data null", read: customer, body: `{"status":"SUCCESS","data":null,"metaData":null,"correlationId":"c"}`, want: CIConfig{Images: ExecutionConfig{}}},
		{name: "customer config without data", read: customer, body: `{"status":"SUCCESS"}`, want: CIConfig{Images: ExecutionConfig{}}},
		{name: "empty and null images are no override", read: customer, body: `{"status":"SUCCESS","data":{"addonTag":"","gitCloneTag":null,"liteEngineTag":"m/le:1"}}`,
			offContract: "a null image: the client must read it as no override",
			want:        CIConfig{Images: ExecutionConfig{"liteEngineTag": "m/le:1"}}},
		{name: "values that are not strings", read: defaults,
			body:        `{"status":"SUCCESS","data":{"addonTag":"harness/ci-addon:1","rootless":true,"replicas":3,"pull":{"policy":"always"},"tags":["a"]},"newKey":{}}`,
			offContract: "values that are not strings, which Harness's SDK says occur",
			want:        CIConfig{Images: ExecutionConfig{"addonTag": "harness/ci-addon:1"}, NotImages: []string{"pull", "replicas", "rootless", "tags"}}},
		{name: "defaults with data null", read: defaults, body: `{"status":"SUCCESS","data":null}`, offContract: "a broken answer",
			wantErr: `GET /ci/execution-config/get-default-config: unexpected answer (status 200): the answer has no "data": it holds no images`},
		{name: "the DB DevOps API's flat answer", read: defaults, body: `{"liteEngineTag":"harness/ci-lite-engine:1"}`, offContract: "another API's answer",
			wantErr: `the answer has no "status", so it is not the CI API's envelope {"status": "SUCCESS", "data": ...}: check that the provider's endpoint points at the Harness gateway`},
		{name: "a failure with 200", read: customer, body: `{"status":"ERROR","code":"INVALID_REQUEST","message":"bad ` + testKey + `","data":null}`, offContract: "a failure with 200",
			wantErr: `the answer's status is "ERROR", not SUCCESS (code INVALID_REQUEST): bad ***`},
		{name: "data a list", read: customer, body: `{"status":"SUCCESS","data":["addonTag"]}`, offContract: "a broken answer",
			wantErr: "the answer's data is a list, not images by field name"},
		{name: "data true on a read", read: defaults, body: ciTrue, offContract: "a write's answer to a read",
			wantErr: "the answer's data is a boolean, not images by field name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			c := answering(t, tt.body, tt.offContract, &n)
			got, err := tt.read(c)
			if tt.wantErr != "" {
				var de *DecodeError
				if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), testKey) {
					t.Fatalf("err = %v, want a *DecodeError with %q", err, tt.wantErr)
				}
				if n.Load() != 2 {
					t.Errorf("%d attempts: a garbled answer to a read is retried once (max 1)", n.Load())
				}
				return
			}
			if err != nil || !maps.Equal(got.Images, tt.want.Images) || got.Images == nil || !slices.Equal(got.NotImages, tt.want.NotImages) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// A 204 has no body: no override for the customer config, a broken answer for the
// defaults.
func TestCINoContent(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offContract(w, "a 204, which no CI operation answers")
		w.WriteHeader(http.StatusNoContent)
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	ctx := context.Background()
	if cfg, err := c.GetCICustomerConfig(ctx, CIInfraK8, true); err != nil || cfg.Images == nil || len(cfg.Images) != 0 {
		t.Errorf("customer config: %+v, %v", cfg, err)
	}
	var de *DecodeError
	if _, err := c.GetCIDefaultConfig(ctx, CIInfraK8); !errors.As(err, &de) || de.Status != 204 || !strings.Contains(err.Error(), "no body") {
		t.Errorf("defaults: %v", err)
	}
	if err := c.ResetCIConfig(ctx, CIInfraK8, []string{"addonTag"}); err != nil {
		t.Errorf("a write's 204: %v", err)
	}
}

// A write's answer is true; false is a refusal (not retried), and an answer of another
// shape is garbled (retried).
func TestCIWriteAnswers(t *testing.T) {
	for _, tt := range []struct {
		name, body, offContract, wantErr string
		attempts                         int32
	}{
		{name: "true", body: ciTrue, attempts: 1},
		{name: "an object, as other execution configs answer", body: `{"status":"SUCCESS","data":{}}`, offContract: "the SDK's note: data varies by API", attempts: 1},
		{name: "no data", body: `{"status":"SUCCESS","metaData":null}`, offContract: "data left out", attempts: 1},
		{name: "false", body: `{"status":"SUCCESS","data":false}`, attempts: 1,
			wantErr: "POST /ci/execution-config/update-config: the API answered false: the change was not applied"},
		{name: "a string", body: `{"status":"SUCCESS","data":"done"}`, offContract: "a broken answer", attempts: 2, wantErr: "the answer's data is a string, not the write's result (true)"},
		{name: "the DB DevOps API's bare true", body: `true`, offContract: "another API's answer", attempts: 2,
			wantErr: `the answer is a boolean, not the CI API's envelope {"status": "SUCCESS", "data": ...}: check that the provider's endpoint`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			c := answering(t, tt.body, tt.offContract, &n)
			err := c.UpdateCIConfig(context.Background(), CIInfraK8, []ConfigOperation{{Field: "addonTag", Value: "m/a:1"}})
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) || n.Load() != tt.attempts {
				t.Fatalf("err = %v after %d attempts, want %q after %d", err, n.Load(), tt.wantErr, tt.attempts)
			}
		})
	}
}

// The CI API's errors are NextGen errors: code, message (or its detailed message, or its
// first response message), and the correlation ID where no request ID header is sent.
// The DB DevOps shape is read there too.
func TestCIErrors(t *testing.T) {
	const ngErr = `{"status":"ERROR","code":"INVALID_REQUEST","message":"Field addOnTag does not exist for infra type: K8","correlationId":"corr-1",` +
		`"detailedMessage":null,"responseMessages":[{"code":"INVALID_REQUEST","level":"ERROR","message":"Field addOnTag does not exist for infra type: K8","exception":null,"failureTypes":[]}],"metadata":null}`
	for _, tt := range []struct {
		name, body, header, offContract string
		status                          int
		want                            APIError
		inError                         []string
	}{
		{name: "a NextGen error", status: 400, body: ngErr,
			want:    APIError{StatusCode: 400, Code: "INVALID_REQUEST", Message: "Field addOnTag does not exist for infra type: K8", RequestID: "corr-1"},
			inError: []string{"POST /ci/execution-config/update-config: 400 Bad Request: Field addOnTag does not exist for infra type: K8 (code INVALID_REQUEST) [request ID corr-1]"}},
		{name: "the request ID header wins", status: 400, body: ngErr, header: "req-9",
			want: APIError{StatusCode: 400, Code: "INVALID_REQUEST", Message: "Field addOnTag does not exist for infra type: K8", RequestID: "req-9"}},
		{name: "only a detailed message", status: 500, body: `{"status":"ERROR","code":"UNEXPECTED","message":"","detailedMessage":"Mongo timed out"}`,
			want: APIError{StatusCode: 500, Code: "UNEXPECTED", Message: "Mongo timed out"}, inError: []string{"(code UNEXPECTED) (the Harness API or a gateway in front of it is failing)"}},
		{name: "only response messages", status: 400, body: `{"status":"FAILURE","code":"INVALID_REQUEST","message":"","responseMessages":[{"message":""},{"message":"infra: must not be null"}]}`,
			want: APIError{StatusCode: 400, Code: "INVALID_REQUEST", Message: "infra: must not be null"}},
		{name: "access denied", status: 403, body: `{"status":"ERROR","code":"NG_ACCESS_DENIED","message":"Missing permission core_account_edit on account","failedPermissionChecks":[{}]}`,
			want: APIError{StatusCode: 403, Code: "NG_ACCESS_DENIED", Message: "Missing permission core_account_edit on account"}},
		{name: "the key masked everywhere", status: 401, body: `{"status":"ERROR","code":"` + testKey + `","message":"token ` + testKey + `","correlationId":"` + testKey + `"}`,
			want: APIError{StatusCode: 401, Code: "***", Message: "token ***", RequestID: "***"}},
		{name: "keys of other types", status: 400, body: `{"status":"ERROR","code":7,"message":"m","responseMessages":"x","correlationId":{}}`,
			offContract: "a code that is not a string", want: APIError{StatusCode: 400, Message: "m"}},
		{name: "the DB DevOps shape", status: 400, body: `{"message":"bad field"}`, offContract: "the other API's error shape",
			want: APIError{StatusCode: 400, Message: "bad field"}, inError: []string{": 400 Bad Request: bad field"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.offContract != "" {
					offContract(w, tt.offContract)
				}
				if tt.header != "" {
					w.Header().Set("X-Request-Id", tt.header)
				}
				jsonReply(w, tt.status, tt.body)
			}), func(cfg *Config) { cfg.MaxRetries = 0 })
			err := c.UpdateCIConfig(context.Background(), CIInfraK8, []ConfigOperation{{Field: "addOnTag", Value: "m/a:1"}})
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			got := APIError{StatusCode: ae.StatusCode, Code: ae.Code, Message: ae.Message, RequestID: ae.RequestID}
			if got != tt.want || ae.Path != "/ci/execution-config/update-config" {
				t.Errorf("APIError = %+v at %s, want %+v", got, ae.Path, tt.want)
			}
			for _, want := range tt.inError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Error() = %q, want it to contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("the key leaks: %v", err)
			}
		})
	}
}

// A 403 from the CI execution config, and only from there, is IsCIExecutionConfigDenied.
func TestCIExecutionConfigDenied(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/ci/") {
			jsonReply(w, 403, `{"status":"ERROR","code":"NG_ACCESS_DENIED","message":"Missing permission core_account_view on account"}`)
			return
		}
		jsonReply(w, 403, `{"message":"no"}`)
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, ciErr := c.GetCICustomerConfig(context.Background(), CIInfraVM, true)
	_, dbErr := c.GetCustomerConfig(context.Background(), true)
	if !IsCIExecutionConfigDenied(ciErr) || IsExecutionConfigDenied(ciErr) {
		t.Errorf("the CI config's 403: %v", ciErr)
	}
	if IsCIExecutionConfigDenied(dbErr) || !IsExecutionConfigDenied(dbErr) {
		t.Errorf("the DB DevOps config's 403: %v", dbErr)
	}
	if IsCIExecutionConfigDenied(&APIError{StatusCode: 401, Path: ciExecutionConfigPath + "/get-default-config"}) || IsCIExecutionConfigDenied(errors.New("x")) {
		t.Error("a 401, or no APIError, is not a denial")
	}
}

// The query of a CI call is the account's and the infra's, whatever else a caller adds.
func TestCICallQuery(t *testing.T) {
	c, err := New(Config{AccountID: "acc", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := c.ciCall("vm", http.MethodGet, "/get-customer-config", url.Values{"overridesOnly": {"true"}})
	if err != nil || cl.query.Encode() != "accountIdentifier=acc&infra=VM&overridesOnly=true" || cl.base != c.ciBase || cl.path != "/ci/execution-config/get-customer-config" {
		t.Fatalf("%+v, %v", cl, err)
	}
}
