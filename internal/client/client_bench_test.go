package client_test

import (
	"fmt"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Round trips against an in-process mock over loopback HTTP, with the client set up as
// the provider sets it up (pooled keep-alive transport, retries on, no logger): what one
// API call costs the provider, the mock's work included.

func newBenchClient(b *testing.B) (*client.Client, *mockserver.TestServer) {
	b.Helper()
	srv := mockserver.NewTestServer(b)
	c, err := client.New(client.Config{Endpoint: srv.URL + "/gateway", AccountID: srv.AccountID, APIKey: srv.APIKey, MaxRetries: 4})
	if err != nil {
		b.Fatal(err)
	}
	srv.PutSchema("org", "proj", mockserver.Schema{
		Identifier: "orders", Name: "Orders", Tags: map[string]string{"team": "payments"},
		Changelog: &mockserver.Changelog{Connector: "account.github", Repo: "db", Location: "changelog.yaml"},
	})
	return c, srv
}

// putInstances stores n instances of schema "orders".
func putInstances(b *testing.B, srv *mockserver.TestServer, n int) {
	b.Helper()
	for i := range n {
		if err := srv.PutInstance("org", "proj", "orders", mockserver.Instance{
			Identifier: fmt.Sprintf("db_%d", i), Name: fmt.Sprintf("DB %d", i), Connector: "org.jdbc_pg", Branch: "main",
			Tags: map[string]string{"env": "prod"}, SubstituteProperties: map[string]string{"DB_NAME": "orders"},
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetSchema(b *testing.B) {
	c, _ := newBenchClient(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetSchema(b.Context(), "org", "proj", "orders"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetInstance(b *testing.B) {
	c, srv := newBenchClient(b)
	putInstances(b, srv, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetInstance(b.Context(), "org", "proj", "orders", "db_0"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateDeleteInstance is a POST and a DELETE: the writes of an apply and a
// destroy.
func BenchmarkCreateDeleteInstance(b *testing.B) {
	c, _ := newBenchClient(b)
	in := client.InstanceInput{Identifier: "db", Name: "DB", Connector: "org.jdbc_pg", Branch: "main", Tags: map[string]string{"env": "prod"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CreateInstance(b.Context(), "org", "proj", "orders", in); err != nil {
			b.Fatal(err)
		}
		if err := c.DeleteInstance(b.Context(), "org", "proj", "orders", "db"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListInstances lists 250 instances in pages of 100: three requests.
func BenchmarkListInstances(b *testing.B) {
	c, srv := newBenchClient(b)
	putInstances(b, srv, 250)
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.ListInstances(b.Context(), "org", "proj", "orders", client.ListInstancesOptions{PageSize: 100})
		if err != nil || len(got) != 250 {
			b.Fatal(len(got), err)
		}
	}
}

func BenchmarkGetCustomerConfig(b *testing.B) {
	c, srv := newBenchClient(b)
	for field, v := range map[string]string{"defaultTag": "mirror/liquibase:1", "gitCloneTag": "mirror/git:1"} {
		if err := srv.SetOverride(field, v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetCustomerConfig(b.Context(), true); err != nil {
			b.Fatal(err)
		}
	}
}
