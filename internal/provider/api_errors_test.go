package provider

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

// The provider, not the client, names its settings: each kind of failure ends with
// the setting or environment variable to check, and a 400 (the server's own message)
// with none.
func TestAPIErrorDetail(t *testing.T) {
	api := func(status int) error {
		return &client.APIError{StatusCode: status, Method: "GET", Path: "/v1/x", Message: "m"}
	}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"401", api(http.StatusUnauthorized), "Check api_key, or the HARNESS_PLATFORM_API_KEY environment variable."},
		{"403", api(http.StatusForbidden), "Check account_id (or HARNESS_ACCOUNT_ID) and the permissions of the API key: DB schemas and " +
			"instances need Harness's DB DevOps permissions (dbops_schema_* and dbops_instance_*: view to read, edit to create and " +
			"change, delete to destroy) in their project."},
		{"403 from the execution config", &client.APIError{StatusCode: http.StatusForbidden, Method: "GET", Path: "/v1/dbops/execution-config/get-customer-config"},
			"The API key may not use the account's DB DevOps execution config: that needs a role bound at the account scope, since " +
				"the execution config belongs to the account and not to a project, and a key scoped to a project has none. DB schemas " +
				"and instances do not need it. Use a key with an account-scope role for the execution config, or manage it from another " +
				"configuration; if the key has such a role, check account_id (or HARNESS_ACCOUNT_ID)."},
		{"429", api(http.StatusTooManyRequests), "Try again later, raise max_retries, or lower rate_limit_per_second."},
		{"502", api(http.StatusBadGateway), "Try again later, or raise max_retries."},
		{"timeout", &client.RequestError{Method: "GET", Path: "/v1/x", Err: timeoutErr{}}, "Raise request_timeout, or check endpoint (or HARNESS_ENDPOINT) and the network."},
		{"refused", &client.RequestError{Method: "GET", Path: "/v1/x", Err: errors.New("connection refused")}, "Check endpoint (or HARNESS_ENDPOINT)."},
		{"cancelled", &client.RequestError{Method: "GET", Path: "/v1/x", Err: context.Canceled, Ended: true}, ""},
		{"400", api(http.StatusBadRequest), ""},
	} {
		got := apiErrorDetail("Reading it", tt.err)
		if !strings.HasPrefix(got, "Reading it failed: "+tt.err.Error()) || !strings.HasSuffix(got, tt.err.Error()+optionalSpace(tt.want)) {
			t.Errorf("%s: %q, want it to end with %q", tt.name, got, tt.want)
		}
	}
}

func optionalSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}
