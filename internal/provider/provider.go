// Package provider implements the Terraform provider for Harness Database DevOps.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// The environment variables of the official Harness provider, so that pipelines that
// already hold these secrets work unchanged.
const (
	envEndpoint  = "HARNESS_ENDPOINT"
	envAccountID = "HARNESS_ACCOUNT_ID"
	envAPIKey    = "HARNESS_PLATFORM_API_KEY"
	// envSkipCheck turns the credentials check off, like skip_credentials_validation.
	envSkipCheck = "HARNESS_SKIP_CREDENTIALS_VALIDATION"
)

const (
	defaultMaxRetries     = 4
	defaultRequestTimeout = 60 * time.Second
	defaultRetryWaitMin   = time.Second
	defaultRetryWaitMax   = 30 * time.Second
)

var (
	_ provider.Provider              = (*harnessProvider)(nil)
	_ provider.ProviderWithFunctions = (*harnessProvider)(nil)
)

type harnessProvider struct {
	version string

	mu      sync.Mutex
	checked map[string]error // credentials already checked in this process: endpoint, account, key -> result
}

type harnessProviderModel struct {
	Endpoint           types.String  `tfsdk:"endpoint"`
	AccountID          types.String  `tfsdk:"account_id"`
	APIKey             types.String  `tfsdk:"api_key"`
	MaxRetries         types.Int64   `tfsdk:"max_retries"`
	RequestTimeout     types.String  `tfsdk:"request_timeout"`
	RateLimitPerSecond types.Float64 `tfsdk:"rate_limit_per_second"`
	RetryWaitMin       types.String  `tfsdk:"retry_wait_min"`
	RetryWaitMax       types.String  `tfsdk:"retry_wait_max"`
	SkipCredentials    types.Bool    `tfsdk:"skip_credentials_validation"`
}

// New returns the provider factory; version is set by the release build's ldflags.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &harnessProvider{version: version} }
}

func (p *harnessProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "harness"
	resp.Version = p.version
}

func (p *harnessProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Harness Database DevOps: the account's execution config (the images its " +
			"pipelines run), DB schemas and DB instances. It uses the same environment variables as the official " +
			"Harness provider.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Harness API; API paths (`/v1/...`) are joined to it. Defaults to " +
					"the `" + envEndpoint + "` environment variable, then to `" + client.DefaultEndpoint + "`.",
				Optional:   true,
				Validators: []validator.String{tfkit.HTTPURL{Example: client.DefaultEndpoint}},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Harness account identifier, sent as the `Harness-Account` header. Defaults to the `" +
					envAccountID + "` environment variable; one of the two is required. Whitespace around it is dropped. When the API key is a Harness token " +
					"(`pat.<account>.<token>.<secret>` or `sat....`), it must name the same account: a mismatch fails the plan.",
				Optional: true,
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Harness API key (a personal or service-account token), sent as the `x-api-key` " +
					"header and never logged. Defaults to the `" + envAPIKey + "` environment variable; one of the two is required. " +
					"Whitespace around it, such as the newline that `file()` keeps from a secret file, is dropped: no Harness key " +
					"holds any. A line break inside it is an error.",
				Optional:  true,
				Sensitive: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after 429, 502, 503, 504 or a "+
					"connection error (and 500 for calls that are safe to repeat), honouring `Retry-After`: 0 to 20. "+
					"Default %d.", defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP attempt, as a Go duration such as `30s` or `2m`; a timed-out " +
					"attempt is retried. Default `" + defaultRequestTimeout.String() + "`.",
				Optional:   true,
				Validators: []validator.String{tfkit.Duration{}},
			},
			"rate_limit_per_second": schema.Float64Attribute{
				MarkdownDescription: "Client-side limit on requests per second across this provider instance, retries " +
					"included, for busy accounts that share Harness's rate limits. `0` (the default) means no limit.",
				Optional:   true,
				Validators: []validator.Float64{tfkit.NotNegative{}},
			},
			"retry_wait_min": schema.StringAttribute{
				MarkdownDescription: "Wait before the first retry, as a Go duration such as `500ms` or `2s`; each " +
					"further retry waits twice as long, up to `retry_wait_max`. A `Retry-After` from the server is " +
					"honoured instead. Default `" + defaultRetryWaitMin.String() + "`.",
				Optional:   true,
				Validators: []validator.String{tfkit.Duration{}},
			},
			"skip_credentials_validation": schema.BoolAttribute{
				MarkdownDescription: "When the provider is configured it proves the endpoint and the API key with one " +
					"cheap read (`GET /v1/dbops/execution-config/get-default-config`), so that a plan with a key Harness does " +
					"not know (401) or a wrong endpoint fails instead of failing at apply. A 403 there does not fail it: " +
					"Harness knows the key, which may only not read the account's execution config (a key scoped to a " +
					"project); the image config resource and data sources then report the missing permission. Set `true` " +
					"(or the `" + envSkipCheck + "` environment variable to `true`) to plan without reaching Harness, for " +
					"example in an air-gapped review. A value set here wins over the environment variable: `false` runs " +
					"the check even when the variable is `true`. Default `false`.",
				Optional: true,
			},
			"retry_wait_max": schema.StringAttribute{
				MarkdownDescription: "Longest wait between two retries when the server sends no `Retry-After`, as a " +
					"Go duration; at least `retry_wait_min`. Default `" + defaultRetryWaitMax.String() + "`.",
				Optional:   true,
				Validators: []validator.String{tfkit.Duration{}},
			},
		},
	}
}

// Configure builds the API client and proves it with one call (the credentials check),
// unless skip_credentials_validation is set; the defaults that call reads serve the rest
// of the run. (Terraform does not configure the provider for `terraform validate`.)
func (p *harnessProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg harnessProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	for _, a := range []struct {
		name    string
		unknown bool
	}{
		{"endpoint", cfg.Endpoint.IsUnknown()},
		{"account_id", cfg.AccountID.IsUnknown()},
		{"api_key", cfg.APIKey.IsUnknown()},
		{"max_retries", cfg.MaxRetries.IsUnknown()},
		{"request_timeout", cfg.RequestTimeout.IsUnknown()},
		{"rate_limit_per_second", cfg.RateLimitPerSecond.IsUnknown()},
		{"retry_wait_min", cfg.RetryWaitMin.IsUnknown()},
		{"retry_wait_max", cfg.RetryWaitMax.IsUnknown()},
		{"skip_credentials_validation", cfg.SkipCredentials.IsUnknown()},
	} {
		if a.unknown {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Unknown provider setting "+a.name,
				"The provider needs "+a.name+" to build its Harness API client, but its value is only known after "+
					"apply. Set it from a literal, a variable or its environment variable, not from a resource attribute.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	endpoint := stringOrEnv(cfg.Endpoint, envEndpoint)
	accountID := credential(cfg.AccountID, envAccountID)
	apiKey := credential(cfg.APIKey, envAPIKey)
	if accountID == "" {
		resp.Diagnostics.AddAttributeError(path.Root("account_id"), "Missing Harness account ID",
			"Set account_id in the provider block or the "+envAccountID+" environment variable.")
	}
	if apiKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing Harness API key",
			"Set api_key in the provider block or the "+envAPIKey+" environment variable.")
	}
	if keyAccount := accountOfKey(apiKey); accountID != "" && keyAccount != "" && keyAccount != accountID {
		resp.Diagnostics.AddAttributeError(path.Root("account_id"), "API key of another account",
			fmt.Sprintf("The API key is a token of Harness account %q (its second part), but account_id (or the %s "+
				"environment variable) is %q. Harness refuses every call made for one account with another account's "+
				"key. Set account_id to %q, or use a key of account %q.", keyAccount, envAccountID, accountID, keyAccount, accountID))
	}
	if cfg.Endpoint.IsNull() && endpoint != "" && !tfkit.IsHTTPURL(endpoint) { // a configured value is checked by tfkit.HTTPURL
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Harness endpoint",
			fmt.Sprintf("The %s environment variable holds %q, which is not an http(s) URL such as %s.", envEndpoint, endpoint, client.DefaultEndpoint))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	timeout := durationOr(cfg.RequestTimeout, defaultRequestTimeout)
	retries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	}
	waitMin, waitMax := durationOr(cfg.RetryWaitMin, defaultRetryWaitMin), durationOr(cfg.RetryWaitMax, defaultRetryWaitMax)
	if waitMin > waitMax {
		at := path.Root("retry_wait_max")
		if cfg.RetryWaitMax.IsNull() {
			at = path.Root("retry_wait_min")
		}
		resp.Diagnostics.AddAttributeError(at, "Invalid retry waits",
			fmt.Sprintf("retry_wait_min (%s) is longer than retry_wait_max (%s). Set retry_wait_max to at least retry_wait_min.", waitMin, waitMax))
		return
	}

	c, err := client.New(client.Config{
		Endpoint:       endpoint,
		AccountID:      accountID,
		APIKey:         apiKey,
		Version:        p.version,
		MaxRetries:     int(retries),
		RequestTimeout: timeout,
		RateLimit:      cfg.RateLimitPerSecond.ValueFloat64(),
		RetryWaitMin:   waitMin,
		RetryWaitMax:   waitMax,
		Logger:         apiLogger(apiKey),
	})
	var hv *client.HeaderValueError
	switch {
	case errors.As(err, &hv):
		attr, env := "api_key", envAPIKey
		if hv.Name != "API key" {
			attr, env = "account_id", envAccountID
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Invalid "+attr,
			fmt.Sprintf("The value of %s (or the %s environment variable): %v. Harness never puts one in a key or an "+
				"account ID: check the secret it comes from.", attr, env, err))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to configure the Harness API client", err.Error())
		return
	}
	if u, _ := url.Parse(endpointOrDefault(endpoint)); u != nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		resp.Diagnostics.AddAttributeWarning(path.Root("endpoint"), "The API key travels unencrypted",
			fmt.Sprintf("The endpoint %s is plain HTTP on a host that is not this machine, so the API key is sent in clear "+
				"text with every request. Use an https:// endpoint; plain HTTP is only safe on the loopback (a local mock).", u.Redacted()))
	}
	var defaults client.ExecutionConfig
	var denied error // the check's 403, for the defaults cache
	if !skipCheck(cfg.SkipCredentials) {
		var fresh bool
		defaults, fresh, err = p.checkAccess(ctx, c, endpoint+"\x00"+accountID+"\x00"+apiKey)
		switch {
		case client.IsExecutionConfigDenied(err):
			// Harness knows the key: it only may not read the account's execution config, as a
			// key scoped to a project may not. Schemas and instances do not need it; the
			// resources and data sources of the execution config report the 403 themselves.
			tflog.Info(ctx, "the API key may not read the execution config; only its resources and data sources will fail", map[string]any{"status": client.StatusOf(err)})
			if fresh {
				denied = err
			}
		case err != nil:
			detail := apiErrorDetail("Checking the endpoint, the API key and the account (GET /v1/dbops/execution-config/get-default-config)", err)
			if client.IsNotFound(err) {
				detail += " The endpoint answers, but not as the Harness API: check endpoint (or " + envEndpoint + "), such as " + client.DefaultEndpoint + "."
			}
			resp.Diagnostics.AddError("Cannot use Harness with these settings",
				detail+" To plan without reaching Harness, set skip_credentials_validation = true (or "+envSkipCheck+"=true).")
			return
		}
	}
	tflog.Debug(ctx, "configured Harness API client", map[string]any{
		"endpoint": endpointOrDefault(endpoint), "account_id": accountID, "max_retries": retries, "request_timeout": timeout.String(),
		"retry_wait_min": waitMin.String(), "retry_wait_max": waitMax.String(),
	})
	data := &providerData{client: c, claims: &fieldClaims{}, defaults: newHarnessDefaults(c, defaults, denied)}
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *harnessProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newImageConfigResource,
		newDBSchemaResource,
		newDBInstanceResource,
	}
}

func (p *harnessProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newDefaultImagesDataSource,
		newImageConfigDataSource,
		newDBSchemaDataSource,
		newDBInstanceDataSource,
		newDBSchemasDataSource,
		newDBInstancesDataSource,
	}
}

// Functions need no configuration: they work offline, before the provider is configured.
func (p *harnessProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		newParseImageFunction,
		newRehostImageFunction,
	}
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// credential is stringOrEnv for the API key and the account ID, without the whitespace
// around them, such as the newline at the end of a secret file that file() or $(cat)
// keeps. Trimming is safe: a Harness key (pat.<account>.<id>.<secret>, sat.... for a
// service account) and an account ID never hold whitespace; net/http refuses to send a
// header value with a line break, and a server strips the spaces and tabs around one
// (RFC 9110 5.5), so no key that works has any. A control character inside the value is
// refused by client.New (HeaderValueError).
func credential(v types.String, env string) string {
	return strings.TrimSpace(stringOrEnv(v, env))
}

// accountOfKey is the account a Harness token belongs to, or "" when the key does not have
// the token form pat.<account>.<token id>.<secret> (sat. for a service account), which
// Harness's own MCP server reads the account from (harness/mcp-server @ 07012721,
// cmd/harness-mcp-server/main.go, extractAccountIDFromAPIKey). Since a 403 no longer
// fails configure (a project's key may not read the execution config), this is what
// still catches a wrong account_id at plan time; keys of other forms are not judged.
func accountOfKey(key string) string {
	parts := strings.Split(key, ".")
	if len(parts) != 4 || (parts[0] != "pat" && parts[0] != "sat") || slices.Contains(parts, "") {
		return ""
	}
	return parts[1]
}

// durationOr parses a duration already checked by tfkit.Duration; null is def.
func durationOr(v types.String, def time.Duration) time.Duration {
	if v.IsNull() {
		return def
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil || d <= 0 {
		return def
	}
	return d
}

func endpointOrDefault(e string) string {
	if e == "" {
		return client.DefaultEndpoint
	}
	return e
}

// checkAccess runs client.CheckAccess once per process for a given endpoint, account
// and key (Terraform configures a provider once per process; the cache keeps a second
// configuration with the same settings from calling again). fresh is false when the
// result came from the cache, and the defaults are then nil: a provider served for many
// runs (debug mode, tests) must not take an old run's answer for this one's.
func (p *harnessProvider) checkAccess(ctx context.Context, c *client.Client, key string) (defaults client.ExecutionConfig, fresh bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err, done := p.checked[key]; done {
		return nil, false, err
	}
	defaults, err = c.CheckAccess(ctx)
	if p.checked == nil {
		p.checked = map[string]error{}
	}
	p.checked[key] = err
	return defaults, true, err
}

// skipCheck is skip_credentials_validation, else its environment variable.
func skipCheck(v types.Bool) bool {
	if !v.IsNull() {
		return v.ValueBool()
	}
	skip, _ := strconv.ParseBool(os.Getenv(envSkipCheck))
	return skip
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
