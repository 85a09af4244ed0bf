package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const executionConfigPath = "/v1/dbops/execution-config"

// checkAccessTimeout bounds CheckAccess as a whole, so that an endpoint that never
// answers stops a plan within seconds too.
const checkAccessTimeout = 20 * time.Second

// ExecutionConfig maps an API field name (for example "gitCloneTag") to an image
// reference. It is a map, not a struct, so fields the server adds later still arrive.
type ExecutionConfig map[string]string

// ConfigOperation is one element of an update-config body.
type ConfigOperation struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// GetDefaultConfig returns the images Harness uses when the account overrides nothing.
func (c *Client) GetDefaultConfig(ctx context.Context) (ExecutionConfig, error) {
	out := ExecutionConfig{}
	err := c.do(ctx, call{method: http.MethodGet, path: executionConfigPath + "/get-default-config", out: &out})
	return nonNil(out), err
}

// CheckAccess proves the endpoint, the API key and the account with one cheap
// authenticated read (get-default-config: account-level, small, read-only), so that a
// caller can fail early instead of at its first real call. It retries once at most,
// after a short wait: a closed port or a wrong key fails within seconds. It returns
// what it read, the default config, so the caller need not read it again.
func (c *Client) CheckAccess(ctx context.Context) (ExecutionConfig, error) {
	ctx, cancel := context.WithTimeout(ctx, checkAccessTimeout)
	defer cancel()
	out := ExecutionConfig{}
	if err := c.do(ctx, call{method: http.MethodGet, path: executionConfigPath + "/get-default-config", out: &out, quick: true}); err != nil {
		return nil, err
	}
	return nonNil(out), nil
}

// GetCustomerConfig returns the account's overrides alone (overridesOnly) or the
// effective config: the defaults merged with the overrides.
func (c *Client) GetCustomerConfig(ctx context.Context, overridesOnly bool) (ExecutionConfig, error) {
	out := ExecutionConfig{}
	err := c.do(ctx, call{
		method: http.MethodGet,
		path:   executionConfigPath + "/get-customer-config",
		query:  url.Values{"overridesOnly": {strconv.FormatBool(overridesOnly)}},
		out:    &out,
	})
	return nonNil(out), err
}

// UpdateConfig sets overrides. Setting a value is idempotent, so it is retried freely.
func (c *Client) UpdateConfig(ctx context.Context, ops []ConfigOperation) error {
	if len(ops) == 0 {
		return nil
	}
	return c.boolCall(ctx, call{method: http.MethodPost, path: executionConfigPath + "/update-config", body: ops})
}

// ResetConfig removes the overrides of fields, putting them back on their defaults. It
// sends the spec's form, a JSON array of field names.
func (c *Client) ResetConfig(ctx context.Context, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	return c.boolCall(ctx, call{method: http.MethodPost, path: executionConfigPath + "/reset-config", body: fields})
}

// DeleteConfigOverrides removes every override of the account. The API answers true
// when it removed some and false when there were none; both are success.
func (c *Client) DeleteConfigOverrides(ctx context.Context) (removed bool, err error) {
	err = c.do(ctx, call{method: http.MethodDelete, path: executionConfigPath, out: &removed})
	return removed, err
}

// boolCall runs a write whose answer is a JSON boolean; false means the server did not
// apply it, which is an error.
func (c *Client) boolCall(ctx context.Context, cl call) error {
	var ok bool
	cl.out = &ok
	if err := c.do(ctx, cl); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s %s: the API answered false: the change was not applied", cl.method, cl.path)
	}
	return nil
}

// nonNil returns m without empty values, never nil: a null or empty image is no
// override at all (the API refuses to set one), so it must not show as one.
func nonNil(m ExecutionConfig) ExecutionConfig {
	out := make(ExecutionConfig, len(m))
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
