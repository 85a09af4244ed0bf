package provider

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// The provider block: its settings, the environment variables and defaults behind them,
// the helpers that read them, and the hints that name them in errors. The client speaks
// only API, so every setting name a user sees comes from here.

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

// harnessProviderModel is the provider block as configured.
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

// providerSchema is the provider block: each setting, its environment variable and its
// default, as the generated docs show them.
func providerSchema() schema.Schema {
	return schema.Schema{
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

// stringOrEnv is a setting's value, else its environment variable's.
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

// endpointOrDefault is the endpoint the client uses: e, else client.DefaultEndpoint.
func endpointOrDefault(e string) string {
	if e == "" {
		return client.DefaultEndpoint
	}
	return e
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

// settingHint names what to check after a failed call: the setting (and its
// environment variable) that can fix it, if one can.
func settingHint(err error) string {
	var re *client.RequestError
	switch status := client.StatusOf(err); {
	case status == http.StatusUnauthorized:
		return " Check api_key, or the " + envAPIKey + " environment variable."
	case client.IsExecutionConfigDenied(err):
		return executionConfigDenied
	case client.IsCIExecutionConfigDenied(err):
		return ciExecutionConfigDenied
	case status == http.StatusForbidden:
		return " Check account_id (or " + envAccountID + ") and the permissions of the API key: DB schemas and " +
			"instances need Harness's DB DevOps permissions (dbops_schema_* and dbops_instance_*: view to read, edit " +
			"to create and change, delete to destroy) in their project."
	case status == http.StatusTooManyRequests:
		return " Try again later, raise max_retries, or lower rate_limit_per_second."
	case status >= http.StatusInternalServerError:
		return " Try again later, or raise max_retries."
	case errors.As(err, &re) && re.TimedOut():
		return " Raise request_timeout, or check endpoint (or " + envEndpoint + ") and the network."
	case errors.As(err, &re) && !re.Ended:
		return " Check endpoint (or " + envEndpoint + ")."
	case errors.As(err, new(*client.DecodeError)):
		return " Check endpoint (or " + envEndpoint + "): it must be the Harness gateway, such as " + client.DefaultEndpoint + "."
	}
	return ""
}

// ciExecutionConfigDenied is the hint for a 403 from the CI execution config: Harness's
// CI manager asks for the account's core_account_view to read it and core_account_edit
// to change it (harness-core CIExecutionConfigResource), permissions of a role bound at
// the account scope.
const ciExecutionConfigDenied = " The API key may not use the account's CI execution config: reading it needs the " +
	"permission core_account_view and changing it core_account_edit, in a role bound " +
	"at the account scope; a key scoped to a project has neither. DB schemas and instances do not need them. Use a " +
	"key with such a role, or manage the CI images from another configuration; if the key has one, check account_id " +
	"(or " + envAccountID + ")."

// executionConfigDenied is the hint for a 403 from the execution config, which belongs
// to the account: a key whose roles are bound in a project (the usual key of a pipeline
// that manages its own schemas) gets it, and may still manage schemas and instances.
// Harness's permissions reference names no permission of its own for the execution
// config (docs/resources/dbops_image_config.md says what is known).
const executionConfigDenied = " The API key may not use the account's DB DevOps execution config: that needs a " +
	"role bound at the account scope, since the execution config belongs to the account and not to a project, " +
	"and a key scoped to a project has none. DB schemas and instances do not need it. Use a key with an " +
	"account-scope role for the execution config, or manage it from another configuration; if the key has such " +
	"a role, check account_id (or " + envAccountID + ")."
