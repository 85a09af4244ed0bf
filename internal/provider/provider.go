// Package provider implements the Terraform provider for Harness Database DevOps.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
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

// New returns the provider factory; version is set by the release build's ldflags.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &harnessProvider{version: version} }
}

func (p *harnessProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "harness"
	resp.Version = p.version
}

func (p *harnessProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
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
	data := &providerData{client: c, claims: &fieldClaims{}, defaults: newHarnessDefaults(c, defaults, denied), ciDefaults: newCIDefaults(c), reads: newReadCache(c)}
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *harnessProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newImageConfigResource,
		newCIImageConfigResource,
		newDBSchemaResource,
		newDBInstanceResource,
	}
}

func (p *harnessProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newDefaultImagesDataSource,
		newImageConfigDataSource,
		newCIDefaultImagesDataSource,
		newCIImageConfigDataSource,
		newDBSchemaDataSource,
		newDBInstanceDataSource,
		newDBSchemasDataSource,
		newDBInstancesDataSource,
		newMigrationStateDataSource,
		newSchemaMigrationStateDataSource,
	}
}

// Functions need no configuration: they work offline, before the provider is configured.
func (p *harnessProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		newParseImageFunction,
		newRehostImageFunction,
	}
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
