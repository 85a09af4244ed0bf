package client_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// newMockClient returns a client with fast retries against a fresh mock, through the
// /gateway prefix as in production.
func newMockClient(t *testing.T) (*client.Client, *mockserver.TestServer) {
	t.Helper()
	srv := mockserver.NewTestServer(t)
	c, err := client.New(client.Config{
		Endpoint: srv.URL + "/gateway", AccountID: srv.AccountID, APIKey: srv.APIKey,
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
		// No keep-alives: a dropped connection must surface, not be replayed by net/http.
		Transport: &http.Transport{DisableKeepAlives: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestExecutionConfigRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)

	defaults, err := c.GetDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(defaults) != 17 || defaults["gitCloneTag"] != "harness/drone-git:1.6.4-rootless" {
		t.Fatalf("defaults = %v", defaults)
	}
	if ov, err := c.GetCustomerConfig(ctx, true); err != nil || len(ov) != 0 {
		t.Fatalf("overrides on a fresh account = %v, %v", ov, err)
	}

	ops := []client.ConfigOperation{{Field: "gitCloneTag", Value: "mirror/git:1"}, {Field: "mongoTag", Value: "mirror/mongo:1"}}
	if err := c.UpdateConfig(ctx, ops); err != nil {
		t.Fatal(err)
	}
	if got := srv.Overrides(); !maps.Equal(got, map[string]string{"gitCloneTag": "mirror/git:1", "mongoTag": "mirror/mongo:1"}) {
		t.Fatalf("mock overrides = %v", got)
	}
	ov, err := c.GetCustomerConfig(ctx, true)
	if err != nil || len(ov) != 2 || ov["mongoTag"] != "mirror/mongo:1" {
		t.Fatalf("overridesOnly = %v, %v", ov, err)
	}
	eff, err := c.GetCustomerConfig(ctx, false)
	if err != nil || len(eff) != 17 || eff["gitCloneTag"] != "mirror/git:1" || eff["defaultTag"] != defaults["defaultTag"] {
		t.Fatalf("effective = %v, %v", eff, err)
	}

	if err := c.ResetConfig(ctx, []string{"gitCloneTag"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Overrides(); !maps.Equal(got, map[string]string{"mongoTag": "mirror/mongo:1"}) {
		t.Fatalf("after reset: %v", got)
	}
	removed, err := c.DeleteConfigOverrides(ctx)
	if err != nil || !removed || len(srv.Overrides()) != 0 {
		t.Fatalf("delete: %v %v, left %v", removed, err, srv.Overrides())
	}
	if removed, err := c.DeleteConfigOverrides(ctx); err != nil || removed {
		t.Fatalf("second delete: removed=%v err=%v, want false, nil", removed, err)
	}

	err = c.UpdateConfig(ctx, []client.ConfigOperation{{Field: "latestTag", Value: "x:1"}})
	if !client.IsBadRequest(err) {
		t.Fatalf("unknown field: %v", err)
	}
	// No call is made for an empty change.
	srv.ResetRequests()
	if err := c.UpdateConfig(ctx, nil); err != nil || c.ResetConfig(ctx, nil) != nil || len(srv.Requests()) != 0 {
		t.Fatalf("empty changes reached the API: %v", srv.RouteCounts())
	}
}

func TestSchemaRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)

	in := client.SchemaInput{
		Identifier: "orders", Name: "Orders", Tags: map[string]string{"team": "payments"},
		Changelog: &client.Changelog{Connector: "account.github", Repo: "db", Location: "changelog.yaml"},
		Service:   "orders-svc", UsePercona: true,
	}
	created, err := c.CreateSchema(ctx, "org", "proj", in)
	if err != nil {
		t.Fatal(err)
	}
	if created.Identifier != "orders" || created.Type != "Repository" || created.MigrationType != "Liquibase" ||
		created.SchemaSourceType != "Git" || created.Created == 0 || created.ParentID == "" || !created.UsePercona {
		t.Fatalf("created = %+v", created)
	}
	got, err := c.GetSchema(ctx, "org", "proj", "orders")
	if err != nil || got.Name != "Orders" || got.Changelog.Location != "changelog.yaml" || got.Tags["team"] != "payments" {
		t.Fatalf("get = %+v, %v", got, err)
	}

	// Clearing really clears: tags emptied, service removed, use_percona back to false.
	want := client.SchemaInput{Identifier: "orders", Name: "Orders v2", Type: "Repository", MigrationType: "Liquibase",
		Changelog: &client.Changelog{Connector: "account.github", Repo: "db", Location: "changelog.yaml"}}
	upd, err := c.UpdateSchema(ctx, "org", "proj", "orders", client.NewSchemaUpdate(in, want))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Schema("org", "proj", "orders")
	if upd.Name != "Orders v2" || len(stored.Tags) != 0 || stored.Service != "" || stored.UsePercona {
		t.Fatalf("after clearing update: response %+v, stored %+v", upd, stored)
	}
	if m := want.Mismatches(upd); len(m) != 0 {
		t.Fatalf("the answer does not hold what was asked: %+v", m)
	}

	if _, err := c.CreateSchema(ctx, "org", "proj", in); !client.IsAlreadyExists(err) {
		t.Fatalf("duplicate create: %v", err)
	}
	if _, err := c.GetSchema(ctx, "org", "proj", "nope"); !client.IsNotFound(err) {
		t.Fatalf("missing schema: %v", err)
	}
	if err := c.DeleteSchema(ctx, "org", "proj", "orders"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSchema(ctx, "org", "proj", "orders"); !client.IsNotFound(err) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestInstanceRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	if _, err := c.CreateSchema(ctx, "org", "proj", client.SchemaInput{
		Identifier: "s", Name: "S", ChangeLogScript: &client.ChangeLogScript{Image: "alpine:3", Command: "get.sh", Shell: "Bash", Location: "cl.yaml"}, Type: "Script",
	}); err != nil {
		t.Fatal(err)
	}
	in, err := c.CreateInstance(ctx, "org", "proj", "s", client.InstanceInput{
		Identifier: "prod", Name: "Prod", Connector: "org.pg", Branch: "main", Context: "prod",
		SubstituteProperties: map[string]string{"DB": "orders"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.Branch != "main" || in.LastDeployedChangeSetTag != "" || in.Created == 0 || in.SubstituteProperties["DB"] != "orders" {
		t.Fatalf("created = %+v", in)
	}
	// Switching the revision from branch to git tag clears the branch; removing context
	// and substitute properties clears them.
	prior := client.InstanceInput{Identifier: "prod", Name: "Prod", Connector: "org.pg", Branch: "main", Context: "prod",
		SubstituteProperties: map[string]string{"DB": "orders"}}
	want := client.InstanceInput{Identifier: "prod", Name: "Prod", Connector: "org.pg", GitTag: "v1.2.0"}
	upd, err := c.UpdateInstance(ctx, "org", "proj", "s", "prod", client.NewInstanceUpdate(prior, want))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Instance("org", "proj", "s", "prod")
	if upd.GitTag != "v1.2.0" || stored.Branch != "" || stored.Context != "" || len(stored.SubstituteProperties) != 0 {
		t.Fatalf("after switch: %+v / %+v", upd, stored)
	}
	if m := want.Mismatches(upd); len(m) != 0 {
		t.Fatalf("the answer does not hold what was asked: %+v", m)
	}
	got, err := c.GetInstance(ctx, "org", "proj", "s", "prod")
	if err != nil || got.GitTag != "v1.2.0" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	if err := c.DeleteInstance(ctx, "org", "proj", "s", "prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetInstance(ctx, "org", "proj", "s", "prod"); !client.IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
	// Deleting the schema deletes its instances: reading one afterwards is a 404.
	if _, err := c.CreateInstance(ctx, "org", "proj", "s", client.InstanceInput{Identifier: "dev", Name: "Dev", Connector: "org.pg"}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteSchema(ctx, "org", "proj", "s"); err != nil {
		t.Fatalf("deleting a schema with an instance: %v", err)
	}
	if err := c.DeleteInstance(ctx, "org", "proj", "s", "dev"); !client.IsNotFound(err) {
		t.Fatalf("deleting an instance after its schema: %v, want 404", err)
	}
	if _, err := c.CreateInstance(ctx, "org", "proj", "missing", client.InstanceInput{Identifier: "x", Name: "x", Connector: "c"}); !client.IsNotFound(err) {
		t.Fatalf("instance of a missing schema: %v", err)
	}
}

func TestListsFollowEveryPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	for i := range 23 {
		mt := "Liquibase"
		if i%3 == 0 {
			mt = "Flyway"
		}
		srv.PutSchema("org", "proj", mockserver.Schema{Identifier: fmt.Sprintf("s%02d", i), Name: fmt.Sprintf("Schema %02d", i),
			MigrationType: mt, Changelog: &mockserver.Changelog{Location: "cl.yaml"}})
	}
	srv.ResetRequests()
	all, err := c.ListSchemas(ctx, "org", "proj", client.ListSchemasOptions{PageSize: 5})
	if err != nil || len(all) != 23 {
		t.Fatalf("listed %d, %v", len(all), err)
	}
	if n := srv.RouteCount(mockserver.RouteListSchemas); n != 5 {
		t.Fatalf("%d pages requested, want 5", n)
	}
	seen := map[string]bool{}
	for _, s := range all {
		if seen[s.Identifier] {
			t.Fatalf("%s listed twice", s.Identifier)
		}
		seen[s.Identifier] = true
	}
	flyway, err := c.ListSchemas(ctx, "org", "proj", client.ListSchemasOptions{MigrationType: "Flyway"})
	if err != nil || len(flyway) != 8 {
		t.Fatalf("flyway schemas = %d, %v", len(flyway), err)
	}
	found, err := c.ListSchemas(ctx, "org", "proj", client.ListSchemasOptions{SearchTerm: "schema 1"})
	if err != nil || len(found) != 10 {
		t.Fatalf("search = %d, %v", len(found), err)
	}

	for i := range 12 {
		tags := map[string]string{"env": "dev"}
		if i%2 == 0 {
			tags["env"] = "prod"
		}
		if err := srv.PutInstance("org", "proj", "s00", mockserver.Instance{Identifier: fmt.Sprintf("i%02d", i), Name: "I", Connector: "c", Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	insts, err := c.ListInstances(ctx, "org", "proj", "s00", client.ListInstancesOptions{PageSize: 5})
	if err != nil || len(insts) != 12 {
		t.Fatalf("instances = %d, %v", len(insts), err)
	}
	prod := "prod"
	tagged, err := c.ListInstances(ctx, "org", "proj", "s00", client.ListInstancesOptions{Tags: []client.InstanceTag{{Key: "env", Value: &prod}}})
	if err != nil || len(tagged) != 6 {
		t.Fatalf("env=prod instances = %d, %v", len(tagged), err)
	}
	empty, err := c.ListInstances(ctx, "org", "proj", "s01", client.ListInstancesOptions{})
	if err != nil || len(empty) != 0 {
		t.Fatalf("empty list = %v, %v", empty, err)
	}
}

// The create's answer is lost after the server stored the schema: the client reads it
// back and returns it, and there is exactly one POST and one schema.
func TestCreateOnceAfterLostAnswer(t *testing.T) {
	t.Parallel()
	for _, fault := range []mockserver.Fault{
		{Route: mockserver.RouteCreateSchema, DropAfter: true, Times: 1},
		{Route: mockserver.RouteCreateSchema, Status: 504, HandleFirst: true, Times: 1},
		{Route: mockserver.RouteCreateSchema, Malformed: true, Times: 1},
	} {
		t.Run(fmt.Sprintf("%+v", fault), func(t *testing.T) {
			ctx := context.Background()
			c, srv := newMockClient(t)
			srv.AddFault(fault)
			got, err := c.CreateSchema(ctx, "o", "p", client.SchemaInput{Identifier: "s", Name: "S", Changelog: &client.Changelog{Connector: "git", Location: "x"}})
			if err != nil {
				t.Fatal(err)
			}
			if got.Identifier != "s" || got.Name != "S" {
				t.Fatalf("returned %+v", got)
			}
			if n := srv.RouteCount(mockserver.RouteCreateSchema); n != 1 {
				t.Fatalf("%d POSTs, want exactly 1", n)
			}
			if n := srv.RouteCount(mockserver.RouteGetSchema); n != 1 {
				t.Fatalf("%d read-backs, want 1", n)
			}
		})
	}
}

// The connection drops before the server acts: the read-back finds nothing and the POST
// is sent again; one instance exists at the end.
func TestCreateOnceRetriesWhenNothingWasCreated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "s", Name: "S", Changelog: &mockserver.Changelog{Connector: "git", Location: "x"}})
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, Drop: true, Times: 2})
	got, err := c.CreateInstance(ctx, "o", "p", "s", client.InstanceInput{Identifier: "i", Name: "I", Connector: "c", Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Identifier != "i" || len(srv.Instances("o", "p", "s")) != 1 {
		t.Fatalf("got %+v, instances %v", got, srv.Instances("o", "p", "s"))
	}
	if n := srv.RouteCount(mockserver.RouteCreateInstance); n != 3 {
		t.Fatalf("%d POSTs, want 3 (two dropped, one through)", n)
	}
}

// An entity someone else created under the same identifier is never adopted silently.
func TestCreateOnceRefusesSomeoneElsesEntity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "s", Name: "Theirs", Changelog: &mockserver.Changelog{Connector: "git", Location: "x"}})
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateSchema, Drop: true, Times: 1})
	_, err := c.CreateSchema(ctx, "o", "p", client.SchemaInput{Identifier: "s", Name: "Mine", Changelog: &client.Changelog{Connector: "git", Location: "x"}})
	if !errors.Is(err, client.ErrCreateConflict) {
		t.Fatalf("err = %v, want ErrCreateConflict", err)
	}
}

// update-config and reset-config are idempotent: a lost answer is simply retried.
func TestConfigWritesSurviveLostAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteUpdateConfig, DropAfter: true, Times: 1})
	if err := c.UpdateConfig(ctx, []client.ConfigOperation{{Field: "defaultTag", Value: "m/l:1"}}); err != nil {
		t.Fatal(err)
	}
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteResetConfig, DropAfter: true, Times: 1})
	if err := c.ResetConfig(ctx, []string{"defaultTag"}); err != nil {
		t.Fatal(err)
	}
	if len(srv.Overrides()) != 0 || srv.RouteCount(mockserver.RouteUpdateConfig) != 2 || srv.RouteCount(mockserver.RouteResetConfig) != 2 {
		t.Fatalf("overrides %v, counts %v", srv.Overrides(), srv.RouteCounts())
	}
}

// A permanent fault ends with the server's message after max_retries, naming the call.
func TestPermanentFaultNamesTheCall(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetDefaultConfig, Status: 503, Message: "maintenance window"})
	_, err := c.GetDefaultConfig(context.Background())
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || ae.Message != "maintenance window" ||
		ae.Path != "/v1/dbops/execution-config/get-default-config" {
		t.Fatalf("err = %v", err)
	}
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 4 {
		t.Fatalf("%d attempts, want 1 + 3 retries", n)
	}
}

func TestAuthFailures(t *testing.T) {
	t.Parallel()
	srv := mockserver.NewTestServer(t)
	for _, tt := range []struct {
		account, key string
		status       int
	}{
		{srv.AccountID, "wrong", 401},
		{"other_account", srv.APIKey, 403},
	} {
		c, err := client.New(client.Config{Endpoint: srv.URL, AccountID: tt.account, APIKey: tt.key})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetDefaultConfig(context.Background()); client.StatusOf(err) != tt.status {
			t.Errorf("account %s key %s: %v", tt.account, tt.key, err)
		}
	}
}

// A 403 from the execution config, and only from there, is IsExecutionConfigDenied: a
// project's key may still manage schemas, a 403 elsewhere and a 401 are something else.
// The check is one call: a 403 is not retried.
func TestExecutionConfigDenied(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t)
	srv.SetKeyScope(mockserver.KeyScopeProject)
	ctx := context.Background()
	_, err := c.CheckAccess(ctx)
	if !client.IsExecutionConfigDenied(err) || srv.RouteCount(mockserver.RouteGetDefaultConfig) != 1 {
		t.Errorf("CheckAccess: %v after %d calls", err, srv.RouteCount(mockserver.RouteGetDefaultConfig))
	}
	if _, err := c.GetCustomerConfig(ctx, true); !client.IsExecutionConfigDenied(err) {
		t.Errorf("GetCustomerConfig: %v", err)
	}
	if err := c.UpdateConfig(ctx, []client.ConfigOperation{{Field: "gitCloneTag", Value: "mirror/drone-git:1"}}); !client.IsExecutionConfigDenied(err) {
		t.Errorf("UpdateConfig: %v", err)
	}
	if _, err := c.CreateSchema(ctx, "o", "p", client.SchemaInput{Identifier: "s", Name: "S", Changelog: &client.Changelog{Connector: "git", Location: "x"}}); err != nil {
		t.Errorf("a project's key creates schemas: %v", err)
	}
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetSchema, Status: 403, Times: 1})
	if _, err := c.GetSchema(ctx, "o", "p", "s"); client.StatusOf(err) != 403 || client.IsExecutionConfigDenied(err) {
		t.Errorf("a 403 on a schema: %v", err)
	}
	wrongKey, err := client.New(client.Config{Endpoint: srv.URL, AccountID: srv.AccountID, APIKey: "pat.wrong"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrongKey.GetDefaultConfig(ctx); client.StatusOf(err) != 401 || client.IsExecutionConfigDenied(err) {
		t.Errorf("a wrong key: %v", err)
	}
}

// A create whose answers are all lost, and that reading back never finds, is sent
// max_retries + 1 times, no more, and the error says so.
func TestCreateOnceGivesUpAfterItsRetries(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t) // MaxRetries 3
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "s", Name: "S", Changelog: &mockserver.Changelog{Connector: "git", Location: "x"}})
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, Drop: true})
	_, err := c.CreateInstance(context.Background(), "o", "p", "s", client.InstanceInput{Identifier: "i", Name: "I", Connector: "c", Branch: "main"})
	if err == nil || !strings.Contains(err.Error(), "sent 4 times; each time its answer was lost and reading it back found nothing") {
		t.Fatalf("err = %v", err)
	}
	if n := srv.RouteCount(mockserver.RouteCreateInstance); n != 4 {
		t.Fatalf("%d POSTs, want 4", n)
	}
}
