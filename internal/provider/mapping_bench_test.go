package provider

import (
	"context"
	"io"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// The model mapping of each resource: toAPI builds a request body from the plan,
// fromAPI sets the state from an answer. Both run once per resource per apply, and
// fromAPI once per resource per refresh.

var (
	benchSchema = client.Schema{
		Identifier: "orders", Name: "Orders", Tags: map[string]string{"team": "payments", "tier": "1"},
		Changelog: &client.Changelog{Connector: "account.github", Repo: "db", Location: "changelog.yaml"},
		Service:   "orders-svc", Type: "Repository", MigrationType: "Liquibase", Created: 1700000000, Updated: 1700000100,
		InstanceCount: 3, SchemaSourceType: "Git", ParentID: "parent-1",
	}
	benchInstance = client.Instance{
		Identifier: "prod", Name: "Prod", Tags: map[string]string{"env": "prod"}, Branch: "main", Connector: "org.jdbc_pg",
		Context: "prod", SubstituteProperties: map[string]string{"DB_NAME": "orders", "SCHEMA": "public"},
		Created: 1700000000, Updated: 1700000100, LastDeployedChangeSetTag: "v1",
	}
)

func BenchmarkDBSchemaModel(b *testing.B) {
	ctx := context.Background()
	b.Run("fromAPI", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m dbSchemaModel
			if d := m.fromAPI(ctx, "org", "proj", &benchSchema); d.HasError() {
				b.Fatal(d)
			}
		}
	})
	b.Run("toAPI", func(b *testing.B) {
		var m dbSchemaModel
		m.fromAPI(ctx, "org", "proj", &benchSchema)
		b.ReportAllocs()
		for b.Loop() {
			if _, d := m.toAPI(ctx); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}

func BenchmarkDBInstanceModel(b *testing.B) {
	ctx := context.Background()
	b.Run("fromAPI", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m dbInstanceModel
			if d := m.fromAPI(ctx, "org", "proj", "orders", &benchInstance); d.HasError() {
				b.Fatal(d)
			}
		}
	})
	b.Run("toAPI", func(b *testing.B) {
		var m dbInstanceModel
		m.fromAPI(ctx, "org", "proj", "orders", &benchInstance)
		b.ReportAllocs()
		for b.Loop() {
			if _, d := m.toAPI(ctx); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}

// The image config manages 2 of the 17 fields; the account has 3 overrides.
func BenchmarkImageConfigModel(b *testing.B) {
	overrides := client.ExecutionConfig{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit, "mongoTag": acctest.MirrorMongo}
	b.Run("fromAPI", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := model(false, map[string]string{"defaultTag": "old:1", "gitCloneTag": "old:1"})
			m.fromAPI(overrides)
		}
	})
	b.Run("toAPI", func(b *testing.B) {
		m := model(false, map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit})
		b.ReportAllocs()
		for b.Loop() {
			if len(m.toAPI()) != 2 {
				b.Fatal("toAPI lost a field")
			}
		}
	})
}

// BenchmarkAPILogger is what the client's log hook costs for one HTTP request (its
// debug line and its trace-level body line): with a provider logger at trace level, as
// Terraform runs a provider by default, with the level off, and with no logger at all.
func BenchmarkAPILogger(b *testing.B) {
	log := apiLogger(benchAPIKey)
	request := map[string]any{"method": "GET", "path": "/gateway/v1/orgs/o/projects/p/dbschema/s/instance/i", "duration_ms": int64(1), "status": 200, "request_id": "req-1"}
	body := map[string]any{"method": "GET", "path": "/v1/orgs/o/projects/p/dbschema/s/instance/i", "status": 200,
		"body": `{"identifier":"i","name":"I","connector":"org.jdbc_pg","branch":"main","created":1700000000,"updated":1700000000}`}
	for _, tt := range []struct {
		name string
		ctx  func(b *testing.B) context.Context
	}{
		{"trace", func(*testing.B) context.Context { return tflogtest.RootLogger(context.Background(), io.Discard) }},
		{"off", func(b *testing.B) context.Context {
			b.Setenv("BENCH_TF_LOG", "off")
			return tfsdklog.NewRootProviderLogger(context.Background(), tfsdklog.WithLevelFromEnv("BENCH_TF_LOG"))
		}},
		{"no logger", func(*testing.B) context.Context { return context.Background() }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := tt.ctx(b)
			b.ReportAllocs()
			for b.Loop() {
				log(ctx, client.LevelDebug, "Harness API request", request)
				log(ctx, client.LevelTrace, "response body", body)
			}
		})
	}
}

const benchAPIKey = "pat.bench.mock-key"
