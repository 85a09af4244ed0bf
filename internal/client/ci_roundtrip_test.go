package client_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The four CI calls against the mock, K8 and VM apart, every exchange checked against
// the contract.
func TestCIExecutionConfigRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)

	k8, err := c.GetCIDefaultConfig(ctx, client.CIInfraK8)
	if err != nil || !maps.Equal(map[string]string(k8.Images), mockserver.DefaultCIImages("K8")) || k8.NotImages != nil {
		t.Fatalf("K8 defaults: %d images, %v", len(k8.Images), err)
	}
	vm, err := c.GetCIDefaultConfig(ctx, "vm")
	if err != nil || !maps.Equal(map[string]string(vm.Images), mockserver.DefaultCIImages("VM")) {
		t.Fatalf("VM defaults: %v, %v", vm.Images, err)
	}
	if ov, err := c.GetCICustomerConfig(ctx, client.CIInfraK8, true); err != nil || ov.Images == nil || len(ov.Images) != 0 {
		t.Fatalf("no override: %+v, %v", ov, err)
	}

	ops := []client.ConfigOperation{{Field: "liteEngineTag", Value: "mirror/ci-lite-engine:1.16.92"}, {Field: "addonTag", Value: "mirror/ci-addon:1.16.92"}}
	if err := c.UpdateCIConfig(ctx, client.CIInfraK8, ops); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateCIConfig(ctx, client.CIInfraVM, []client.ConfigOperation{{Field: "gitCloneTag", Value: "mirror/drone-git:1.6.9"}}); err != nil {
		t.Fatal(err)
	}
	wantK8 := map[string]string{"liteEngineTag": "mirror/ci-lite-engine:1.16.92", "addonTag": "mirror/ci-addon:1.16.92"}
	if !maps.Equal(srv.CIOverrides("K8"), wantK8) || !maps.Equal(srv.CIOverrides("VM"), map[string]string{"gitCloneTag": "mirror/drone-git:1.6.9"}) {
		t.Fatalf("mock overrides K8 %v, VM %v", srv.CIOverrides("K8"), srv.CIOverrides("VM"))
	}
	if ov, err := c.GetCICustomerConfig(ctx, client.CIInfraK8, true); err != nil || !maps.Equal(map[string]string(ov.Images), wantK8) {
		t.Fatalf("overridesOnly: %v, %v", ov.Images, err)
	}
	eff, err := c.GetCICustomerConfig(ctx, client.CIInfraK8, false)
	if err != nil || len(eff.Images) != len(k8.Images) || eff.Images["addonTag"] != "mirror/ci-addon:1.16.92" || eff.Images["gitCloneTag"] != k8.Images["gitCloneTag"] {
		t.Fatalf("effective: %v", err)
	}

	if err := c.ResetCIConfig(ctx, client.CIInfraK8, []string{"addonTag"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.CIOverrides("K8"); !maps.Equal(got, map[string]string{"liteEngineTag": "mirror/ci-lite-engine:1.16.92"}) || len(srv.CIOverrides("VM")) != 1 {
		t.Fatalf("after the K8 reset: K8 %v, VM %v", got, srv.CIOverrides("VM"))
	}

	// A field VM does not have: the API's 400, in its words, and nothing changed.
	err = c.UpdateCIConfig(ctx, client.CIInfraVM, []client.ConfigOperation{{Field: "gitCloneTag", Value: "m/git:2"}, {Field: "liteEngineTag", Value: "m/le:1"}})
	var ae *client.APIError
	if !errors.As(err, &ae) || !client.IsBadRequest(err) || ae.Code != "INVALID_REQUEST" || !strings.Contains(ae.Message, "Field liteEngineTag does not exist for infra type: VM") ||
		ae.RequestID == "" || srv.CIOverrides("VM")["gitCloneTag"] != "mirror/drone-git:1.6.9" {
		t.Fatalf("unknown field: %v", err)
	}
	// No call is made for an empty change.
	srv.ResetRequests()
	if err := c.UpdateCIConfig(ctx, client.CIInfraK8, nil); err != nil || c.ResetCIConfig(ctx, client.CIInfraK8, nil) != nil || len(srv.Requests()) != 0 {
		t.Fatalf("empty changes reached the API: %v", srv.RouteCounts())
	}
}

// A customer config answered with "data": null, as the docs allow, is no override.
func TestCICustomerConfigNull(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIGetCustomerConfig, Status: 200, ContentType: "application/json",
		Body: `{"status":"SUCCESS","data":null,"metaData":null,"correlationId":"c"}`, Times: 1})
	if cfg, err := c.GetCICustomerConfig(context.Background(), client.CIInfraK8, true); err != nil || cfg.Images == nil || len(cfg.Images) != 0 {
		t.Fatalf("data null: %+v, %v", cfg, err)
	}
}

// update-config and reset-config are idempotent: a lost answer is simply retried.
func TestCIWritesSurviveLostAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIUpdateConfig, DropAfter: true, Times: 1})
	if err := c.UpdateCIConfig(ctx, client.CIInfraK8, []client.ConfigOperation{{Field: "addonTag", Value: "m/a:1"}}); err != nil {
		t.Fatal(err)
	}
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIResetConfig, Status: 502, Times: 1})
	if err := c.ResetCIConfig(ctx, client.CIInfraK8, []string{"addonTag"}); err != nil {
		t.Fatal(err)
	}
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIGetDefaultConfig, Malformed: true, Times: 1})
	if _, err := c.GetCIDefaultConfig(ctx, client.CIInfraVM); err != nil {
		t.Fatal(err)
	}
	counts := srv.RouteCounts()
	if len(srv.CIOverrides("K8")) != 0 || counts[mockserver.RouteCIUpdateConfig] != 2 || counts[mockserver.RouteCIResetConfig] != 2 || counts[mockserver.RouteCIGetDefaultConfig] != 2 {
		t.Fatalf("overrides %v, counts %v", srv.CIOverrides("K8"), counts)
	}
}

// A permanent fault ends with the server's message after max_retries, naming the call.
func TestCIPermanentFaultNamesTheCall(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIGetCustomerConfig, Status: 503, Message: "maintenance window"})
	_, err := c.GetCICustomerConfig(context.Background(), client.CIInfraK8, false)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || ae.Message != "maintenance window" || ae.Attempts != 4 ||
		ae.Path != "/ci/execution-config/get-customer-config" || srv.RouteCount(mockserver.RouteCIGetCustomerConfig) != 4 {
		t.Fatalf("err = %v after %d requests", err, srv.RouteCount(mockserver.RouteCIGetCustomerConfig))
	}
}

// A project's key may not read or write the CI config: a 403 naming the permission,
// one call (a 403 is not retried), IsCIExecutionConfigDenied.
func TestCIDenied(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t)
	srv.SetKeyScope(mockserver.KeyScopeProject)
	ctx := context.Background()
	_, err := c.GetCIDefaultConfig(ctx, client.CIInfraK8)
	var ae *client.APIError
	if !client.IsCIExecutionConfigDenied(err) || client.IsExecutionConfigDenied(err) || !errors.As(err, &ae) || ae.Code != "NG_ACCESS_DENIED" ||
		!strings.Contains(ae.Message, "core_account_view") || srv.RouteCount(mockserver.RouteCIGetDefaultConfig) != 1 {
		t.Errorf("read: %v", err)
	}
	if err := c.ResetCIConfig(ctx, client.CIInfraVM, []string{"gitCloneTag"}); !client.IsCIExecutionConfigDenied(err) || !strings.Contains(err.Error(), "core_account_edit") {
		t.Errorf("write: %v", err)
	}
	wrongKey, err := client.New(client.Config{Endpoint: srv.URL, AccountID: srv.AccountID, APIKey: "pat.wrong"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrongKey.GetCIDefaultConfig(ctx, client.CIInfraK8); client.StatusOf(err) != 401 || client.IsCIExecutionConfigDenied(err) || !strings.Contains(err.Error(), "(code INVALID_TOKEN)") {
		t.Errorf("a wrong key: %v", err)
	}
}

// An endpoint that names the DB DevOps service (.../gateway/dbops) still reaches the CI
// API, behind the gateway; the mock, like Harness, has no /ci routes behind /dbops.
func TestCIThroughADBOpsEndpoint(t *testing.T) {
	t.Parallel()
	srv := mockserver.NewTestServer(t)
	c, err := client.New(client.Config{
		Endpoint: srv.URL + "/gateway/dbops/", AccountID: srv.AccountID, APIKey: srv.APIKey,
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.UpdateCIConfig(ctx, client.CIInfraK8, []client.ConfigOperation{{Field: "gitCloneTag", Value: "m/git:1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDefaultConfig(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/gateway/ci/execution-config/update-config" || reqs[1].Path != "/gateway/dbops/v1/dbops/execution-config/get-default-config" {
		t.Fatalf("requests: %+v", reqs)
	}
}
