package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// configure runs the provider's Configure on a config built from attrs; absent
// attributes are null, and the string tftypes.UnknownValue marks an unknown one.
func configure(t *testing.T, attrs map[string]tftypes.Value) *provider.ConfigureResponse {
	t.Helper()
	return configureProvider(t, New("test")(), attrs)
}

// configureProvider is configure on a given provider.
func configureProvider(t *testing.T, p provider.Provider, attrs map[string]tftypes.Value) *provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = v
		}
	}
	resp := &provider.ConfigureResponse{}
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}, resp)
	return resp
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func TestConfigure(t *testing.T) {
	for _, env := range []string{envEndpoint, envAccountID, envAPIKey} {
		t.Setenv(env, "")
	}
	t.Setenv(envSkipCheck, "true") // these settings lead nowhere: TestConfigureChecksAccess reaches a mock
	full := map[string]tftypes.Value{"account_id": str("acc"), "api_key": str("key")}
	// with returns full with the given attributes (name, value, ...) set; a null value removes one.
	with := func(kv ...any) map[string]tftypes.Value {
		m := map[string]tftypes.Value{}
		for kk, vv := range full {
			m[kk] = vv
		}
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			v, _ := kv[i+1].(tftypes.Value)
			if v.IsNull() {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	tests := []struct {
		name      string
		attrs     map[string]tftypes.Value
		env       map[string]string
		wantError []string // substrings of the summary+detail; none means success
	}{
		{name: "complete", attrs: full},
		{name: "from environment", env: map[string]string{envAccountID: "acc", envAPIKey: "key", envEndpoint: "http://127.0.0.1:1/gateway"}},
		{name: "missing account", attrs: with("account_id", tftypes.NewValue(tftypes.String, nil)), wantError: []string{"Missing Harness account ID", "HARNESS_ACCOUNT_ID"}},
		{name: "missing api key", attrs: with("api_key", tftypes.NewValue(tftypes.String, nil)), wantError: []string{"Missing Harness API key", "HARNESS_PLATFORM_API_KEY"}},
		{name: "both missing", wantError: []string{"HARNESS_ACCOUNT_ID", "HARNESS_PLATFORM_API_KEY"}},
		{name: "unknown api key", attrs: with("api_key", tftypes.NewValue(tftypes.String, tftypes.UnknownValue)), wantError: []string{"Unknown provider setting api_key", "only known after apply"}},
		{name: "unknown endpoint", attrs: with("endpoint", tftypes.NewValue(tftypes.String, tftypes.UnknownValue)), wantError: []string{"Unknown provider setting endpoint"}},
		{name: "unknown max_retries", attrs: with("max_retries", tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)), wantError: []string{"Unknown provider setting max_retries"}},
		{name: "bad endpoint from env", attrs: full, env: map[string]string{envEndpoint: "app.harness.io"}, wantError: []string{"HARNESS_ENDPOINT", "not an http(s) URL"}},
		{name: "fast retry waits", attrs: with("retry_wait_min", str("10ms"), "retry_wait_max", str("200ms"))},
		{name: "retry_wait_min alone", attrs: with("retry_wait_min", str("5s"))},
		{name: "retry_wait_min above retry_wait_max", attrs: with("retry_wait_min", str("2s"), "retry_wait_max", str("1s")),
			wantError: []string{"Invalid retry waits", "retry_wait_min (2s) is longer than retry_wait_max (1s)", "Set retry_wait_max to at least retry_wait_min"}},
		{name: "retry_wait_min above the default max", attrs: with("retry_wait_min", str("1m")), wantError: []string{"retry_wait_min (1m0s) is longer than retry_wait_max (30s)"}},
		{name: "unknown retry_wait_max", attrs: with("retry_wait_max", tftypes.NewValue(tftypes.String, tftypes.UnknownValue)), wantError: []string{"Unknown provider setting retry_wait_max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			resp := configure(t, tt.attrs)
			var got strings.Builder
			for _, d := range resp.Diagnostics.Errors() {
				got.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			if len(tt.wantError) == 0 {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected errors:\n%s", got.String())
				}
				if d, ok := resp.ResourceData.(*providerData); !ok || d.client == nil || d.claims == nil {
					t.Fatalf("ResourceData = %T, want *providerData with a client", resp.ResourceData)
				}
				if resp.DataSourceData != resp.ResourceData {
					t.Fatal("data sources and resources must share one client")
				}
				return
			}
			for _, want := range tt.wantError {
				if !strings.Contains(got.String(), want) {
					t.Errorf("errors do not mention %q:\n%s", want, got.String())
				}
			}
			if resp.ResourceData != nil {
				t.Error("a failed Configure must not hand out a client")
			}
		})
	}
}

// The API key must never appear in any diagnostic, even when Configure fails on
// another setting.
func TestConfigureNeverEchoesKey(t *testing.T) {
	t.Setenv(envAccountID, "")
	resp := configure(t, map[string]tftypes.Value{"api_key": str("super-secret-key"), "endpoint": str("ftp://nope")})
	for _, d := range resp.Diagnostics {
		if strings.Contains(d.Summary()+d.Detail(), "super-secret-key") {
			t.Fatalf("diagnostic leaks the key: %s: %s", d.Summary(), d.Detail())
		}
	}
	if !resp.Diagnostics.HasError() {
		t.Fatal("expected an error for the missing account ID")
	}
}

// retry_wait_min and retry_wait_max take positive Go durations, checked at validate time.
func TestRetryWaitValidation(t *testing.T) {
	var sresp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &sresp)
	for _, name := range []string{"retry_wait_min", "retry_wait_max"} {
		a, ok := sresp.Schema.Attributes[name].(schema.StringAttribute)
		if !ok || !a.Optional {
			t.Fatalf("%s is not an optional string attribute", name)
		}
		for value, want := range map[string]string{"10ms": "", "1m30s": "", "0s": "positive duration", "-1s": "positive duration", "soon": "positive duration", "10": "positive duration"} {
			got := runStringValidators(a.Validators, types.StringValue(value))
			if (want == "") != (got == "") || !strings.Contains(got, want) {
				t.Errorf("%s = %q: diagnostics %q, want %q", name, value, got, want)
			}
		}
	}
}

// A rejected key surfaces the server's 401 with a hint naming the setting to fix.
// A plan that only creates (so reads nothing) fails on a wrong key, naming the setting
// to check, instead of passing and failing at apply.
func TestAccProvider_rejectedKey(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "harness" {
  endpoint   = "` + srv.URL + `"
  account_id = "` + srv.AccountID + `"
  api_key    = "not-the-key"
}
resource "harness_dbops_image_config" "this" {
  default_tag = "` + acctest.MirrorLiquibase + `"
}
`,
			PlanOnly:    true,
			ExpectError: acctest.InOrder("Cannot use Harness with these settings", "401 Unauthorized", "Check api_key, or the HARNESS_PLATFORM_API_KEY environment variable."),
		}},
	})
	if len(srv.Overrides()) != 0 {
		t.Fatal("the plan wrote to the mock")
	}
}

// Settings missing everywhere are attribute errors that name the environment variable.
func TestAccProvider_missingSettings(t *testing.T) {
	t.Setenv(envAccountID, "")
	t.Setenv(envAPIKey, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `data "harness_dbops_default_images" "this" {}`,
			ExpectError: regexp.MustCompile(`(?s)Missing Harness account ID.*HARNESS_ACCOUNT_ID`),
		}},
	})
}

func TestAccProvider_invalidSettings(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
provider "harness" {
  endpoint        = "app.harness.io/gateway"
  account_id      = "a"
  api_key         = "k"
}
data "harness_dbops_default_images" "this" {}
`,
				ExpectError: regexp.MustCompile(`"app.harness.io/gateway" is not an http\(s\) URL`),
			},
			{
				Config: `
provider "harness" {
  account_id      = "a"
  api_key         = "k"
  request_timeout = "ten seconds"
}
data "harness_dbops_default_images" "this" {}
`,
				ExpectError: regexp.MustCompile(`"ten seconds" is not usable: value must be a positive duration`),
			},
		},
	})
}

// Configure proves the endpoint, the key and the account with one call, once per
// process; each way it can fail is an error that says what to check, and
// skip_credentials_validation (or its environment variable) makes no call at all. A
// plain-HTTP endpoint off the loopback is a warning: the key would travel in clear.
func TestConfigureChecksAccess(t *testing.T) {
	t.Setenv(envSkipCheck, "")
	srv := acctest.NewServer(t)
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><title>Welcome to nginx!</title></html>"))
	}))
	t.Cleanup(html.Close)
	notFound := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"no such path"}`))
	}))
	t.Cleanup(notFound.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	settings := func(endpoint, account, key string, more ...any) map[string]tftypes.Value {
		m := map[string]tftypes.Value{"endpoint": str(endpoint), "account_id": str(account), "api_key": str(key), "retry_wait_min": str("10ms")}
		for i := 0; i+1 < len(more); i += 2 {
			m[more[i].(string)] = more[i+1].(tftypes.Value) //nolint:forcetypeassert // test table
		}
		return m
	}
	for _, tt := range []struct {
		name  string
		attrs map[string]tftypes.Value
		env   string
		calls int
		want  []string // error phrases; none: success
	}{
		{"good", settings(srv.URL+"/gateway", srv.AccountID, srv.APIKey), "", 1, nil},
		{"wrong key", settings(srv.URL+"/gateway", srv.AccountID, "pat.wrong"), "", 1,
			[]string{"Cannot use Harness with these settings", "401 Unauthorized", "Check api_key, or the HARNESS_PLATFORM_API_KEY environment variable.", "skip_credentials_validation = true"}},
		// A 403 proves the key: the calls that are refused say so (TestAccAuth_projectKey).
		{"wrong account", settings(srv.URL+"/gateway", "someone_else", srv.APIKey), "", 1, nil},
		// A token names its account: a mismatch fails before any call, 403 or not.
		{"a token of another account", settings(srv.URL+"/gateway", srv.AccountID, "pat.someone_else.tok1.s3cret"), "", 0,
			[]string{"API key of another account", `token of Harness account "someone_else"`, `account_id (or the HARNESS_ACCOUNT_ID environment variable) is "` + srv.AccountID + `"`}},
		{"a service-account token of this account", settings(srv.URL+"/gateway", srv.AccountID, "sat."+srv.AccountID+".tok1.s3cret"), "", 1,
			[]string{"401 Unauthorized"}},
		{"a key read from a file, with its newline", settings(srv.URL+"/gateway", srv.AccountID+"\n", srv.APIKey+"\r\n"), "", 1, nil},
		{"a line break inside the key", settings(srv.URL+"/gateway", srv.AccountID, "pat.a\nb"), "", 0,
			[]string{"Invalid api_key", "The value of api_key (or the HARNESS_PLATFORM_API_KEY environment variable): the API key holds a line break or another control character (at byte 6 of 7)", "check the secret it comes from"}},
		{"false in the configuration wins over the environment", settings(srv.URL+"/gateway", srv.AccountID, "pat.wrong", "skip_credentials_validation", tftypes.NewValue(tftypes.Bool, false)), "true", 1,
			[]string{"401 Unauthorized"}},
		{"not the Harness API", settings(html.URL, srv.AccountID, srv.APIKey), "", 0,
			[]string{"not JSON", "Check endpoint (or HARNESS_ENDPOINT): it must be the Harness gateway"}},
		{"no route there", settings(notFound.URL, srv.AccountID, srv.APIKey), "", 0,
			[]string{"404 Not Found", "The endpoint answers, but not as the Harness API: check endpoint"}},
		{"closed port", settings(closed.URL, srv.AccountID, srv.APIKey), "", 0,
			[]string{"connection refused", "gave up after 3 attempts", "Check endpoint (or HARNESS_ENDPOINT)."}},
		{"skipped", settings(srv.URL+"/gateway", srv.AccountID, "pat.wrong", "skip_credentials_validation", tftypes.NewValue(tftypes.Bool, true)), "", 0, nil},
		{"skipped by the environment", settings(srv.URL+"/gateway", srv.AccountID, "pat.wrong"), "true", 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envSkipCheck, tt.env)
			srv.ResetRequests()
			resp := configure(t, tt.attrs)
			var got strings.Builder
			for _, d := range resp.Diagnostics.Errors() {
				got.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			text := strings.Join(strings.Fields(got.String()), " ")
			if tt.want == nil && resp.Diagnostics.HasError() {
				t.Fatalf("unexpected errors:\n%s", text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the error lacks %q:\n%s", w, text)
				}
			}
			if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != tt.calls {
				t.Errorf("%d calls to the mock, want %d", n, tt.calls)
			}
		})
	}
	// Once per process: a second Configure with the same settings makes no call.
	p := New("test")()
	srv.ResetRequests()
	for range 2 {
		if resp := configureProvider(t, p, settings(srv.URL+"/gateway", srv.AccountID, srv.APIKey)); resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
	}
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 1 {
		t.Errorf("two Configures of one provider made %d calls, want 1", n)
	}
	// A plain-HTTP endpoint off the loopback: a warning that names it.
	t.Setenv(envSkipCheck, "true")
	resp := configure(t, settings("http://harness.internal.example.com/gateway", "acc", "key"))
	if w := resp.Diagnostics.Warnings(); len(w) != 1 || !strings.Contains(w[0].Detail(), "http://harness.internal.example.com/gateway is plain HTTP") {
		t.Errorf("plain HTTP off the loopback: warnings %v", w)
	}
	if w := configure(t, settings("http://127.0.0.1:8080/gateway", "acc", "key")).Diagnostics.Warnings(); len(w) != 0 {
		t.Errorf("plain HTTP on the loopback warns: %v", w)
	}
}
