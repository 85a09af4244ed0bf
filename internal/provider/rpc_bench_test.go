package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// These benchmarks call the provider's protocol server as Terraform does, but in
// process: no gRPC, no msgpack transport, no go-plugin logging. What they measure is
// the framework's work on each request plus ours (mapping, client, an HTTP round trip to
// an in-process mock). make bench puts them next to the Terraform-level figures.

// benchProvider is a configured provider server and the mock behind it.
type benchProvider struct {
	srv     tfprotov6.ProviderServer
	schemas map[string]*tfprotov6.Schema
	mock    *mockserver.TestServer
}

func newBenchProvider(b testing.TB) *benchProvider {
	return newProtocolProvider(b, providerserver.NewProtocol6(New("bench")())())
}

// newProtocolProvider configures srv against a new mock.
func newProtocolProvider(b testing.TB, srv tfprotov6.ProviderServer) *benchProvider {
	b.Helper()
	mock := mockserver.NewTestServer(b)
	sch, err := srv.GetProviderSchema(b.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || benchHasError(sch.Diagnostics) {
		b.Fatalf("GetProviderSchema: %v %v", err, sch.Diagnostics)
	}
	cfg := benchObjectValue(sch.Provider, map[string]tftypes.Value{
		"endpoint":   tftypes.NewValue(tftypes.String, mock.URL+"/gateway"),
		"account_id": tftypes.NewValue(tftypes.String, mock.AccountID),
		"api_key":    tftypes.NewValue(tftypes.String, mock.APIKey),
	})
	resp, err := srv.ConfigureProvider(b.Context(), &tfprotov6.ConfigureProviderRequest{Config: benchDynamicValue(b, sch.Provider, cfg)})
	if err != nil || benchHasError(resp.Diagnostics) {
		b.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
	}
	return &benchProvider{srv: srv, schemas: sch.ResourceSchemas, mock: mock}
}

// seed stores one schema with one instance, and two image overrides, in the mock.
func (p *benchProvider) seed(b testing.TB) {
	b.Helper()
	p.mock.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{
		Identifier: "orders", Name: "Orders", Tags: map[string]string{"team": "payments"},
		Changelog: &mockserver.Changelog{Connector: "account.github", Repo: "db", Location: "changelog.yaml"},
	})
	if err := p.mock.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "orders", mockserver.Instance{
		Identifier: "prod", Name: "Prod", Connector: "org.jdbc_pg", Branch: "main",
		Tags: map[string]string{"env": "prod"}, SubstituteProperties: map[string]string{"DB_NAME": "orders"},
	}); err != nil {
		b.Fatal(err)
	}
	for field, v := range map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit} {
		if err := p.mock.SetOverride(field, v); err != nil {
			b.Fatal(err)
		}
	}
}

// importedState is the state of each resource type right after an import: what
// identifies it, everything else null (image config: the managed fields set).
func (p *benchProvider) importedState(typeName string) tftypes.Value {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	set := map[string]tftypes.Value{"org_id": str(acctest.DBTestOrg), "project_id": str(acctest.DBTestProject)}
	switch typeName {
	case "harness_dbops_db_schema":
		set["identifier"] = str("orders")
	case "harness_dbops_db_instance":
		set["schema"], set["identifier"] = str("orders"), str("prod")
	case "harness_dbops_image_config":
		set = map[string]tftypes.Value{
			"default_tag": str(""), "git_clone_tag": str(""),
			"exclusive": tftypes.NewValue(tftypes.Bool, false), "on_destroy": str(onDestroyReset),
		}
	}
	return benchObjectValue(p.schemas[typeName], set)
}

// read runs ReadResource and returns the new state, failing on any error.
func (p *benchProvider) read(b testing.TB, typeName string, state *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	resp, err := p.srv.ReadResource(b.Context(), &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: state})
	if err != nil || benchHasError(resp.Diagnostics) || resp.NewState == nil {
		b.Fatalf("ReadResource %s: %v %v", typeName, err, benchDiags(resp.Diagnostics))
	}
	return resp.NewState
}

var benchResourceTypes = []string{"harness_dbops_db_schema", "harness_dbops_db_instance", "harness_dbops_image_config"}

// BenchmarkProviderGetSchema is what each provider process does first: build every
// schema and serve them. A new server per iteration, as in a new process.
func BenchmarkProviderGetSchema(b *testing.B) {
	for b.Loop() {
		srv := providerserver.NewProtocol6(New("bench")())()
		resp, err := srv.GetProviderSchema(b.Context(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || benchHasError(resp.Diagnostics) {
			b.Fatal(err, resp.Diagnostics)
		}
	}
}

// BenchmarkProviderReadResource is one resource of a refresh: the framework decodes
// the state, our Read makes one GET and maps the answer, the framework encodes it.
func BenchmarkProviderReadResource(b *testing.B) {
	for _, typeName := range benchResourceTypes {
		b.Run(typeName, func(b *testing.B) {
			p := newBenchProvider(b)
			p.seed(b)
			state := p.read(b, typeName, benchDynamicValue(b, p.schemas[typeName], p.importedState(typeName)))
			b.ReportAllocs()
			for b.Loop() {
				p.read(b, typeName, state)
			}
		})
	}
}

// BenchmarkProviderPlanResourceChange is one resource of a plan that finds nothing to
// change: defaults, plan modifiers and (for the image config) ModifyPlan. No API call.
func BenchmarkProviderPlanResourceChange(b *testing.B) {
	for _, typeName := range benchResourceTypes {
		b.Run(typeName, func(b *testing.B) {
			p := newBenchProvider(b)
			p.seed(b)
			sch := p.schemas[typeName]
			state := p.read(b, typeName, benchDynamicValue(b, sch, p.importedState(typeName)))
			config := benchDynamicValue(b, sch, benchConfigFromState(b, sch, state))
			req := &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: state, ProposedNewState: state, Config: config}
			p.mock.ResetRequests()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := p.srv.PlanResourceChange(b.Context(), req)
				if err != nil || benchHasError(resp.Diagnostics) || resp.RequiresReplace != nil {
					b.Fatalf("PlanResourceChange: %v %v %v", err, benchDiags(resp.Diagnostics), resp.RequiresReplace)
				}
			}
			if n := len(p.mock.Requests()); n != 0 {
				b.Fatalf("an unchanged plan made %d API calls: %v", n, p.mock.RouteCounts())
			}
		})
	}
}

// BenchmarkProviderPlanUnchanged is the plan of an unchanged DB instance, the one
// resource of a refresh that users have by the thousand, through the framework alone
// and through the server this provider runs (detachedServer: tfkit.UnchangedPlans
// answers it).
func BenchmarkProviderPlanUnchanged(b *testing.B) {
	const typeName = "harness_dbops_db_instance"
	for name, srv := range map[string]tfprotov6.ProviderServer{
		"framework": providerserver.NewProtocol6(New("bench")())(),
		"served":    ProtocolServer("bench", true)(),
	} {
		b.Run(name, func(b *testing.B) {
			p := newProtocolProvider(b, srv)
			p.seed(b)
			sch := p.schemas[typeName]
			state := p.read(b, typeName, benchDynamicValue(b, sch, p.importedState(typeName)))
			config := benchDynamicValue(b, sch, benchConfigFromState(b, sch, state))
			req := &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: state, ProposedNewState: state, Config: config}
			b.ReportAllocs()
			for b.Loop() {
				resp, err := p.srv.PlanResourceChange(b.Context(), req)
				if err != nil || benchHasError(resp.Diagnostics) || resp.RequiresReplace != nil {
					b.Fatalf("PlanResourceChange: %v %v %v", err, benchDiags(resp.Diagnostics), resp.RequiresReplace)
				}
			}
		})
	}
}

// BenchmarkProviderValidateResourceConfig is the validation Terraform asks for each
// resource instance of a plan.
func BenchmarkProviderValidateResourceConfig(b *testing.B) {
	for _, typeName := range benchResourceTypes {
		b.Run(typeName, func(b *testing.B) {
			p := newBenchProvider(b)
			p.seed(b)
			sch := p.schemas[typeName]
			state := p.read(b, typeName, benchDynamicValue(b, sch, p.importedState(typeName)))
			req := &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: benchDynamicValue(b, sch, benchConfigFromState(b, sch, state))}
			b.ReportAllocs()
			for b.Loop() {
				resp, err := p.srv.ValidateResourceConfig(b.Context(), req)
				if err != nil || benchHasError(resp.Diagnostics) {
					b.Fatalf("ValidateResourceConfig: %v %v", err, benchDiags(resp.Diagnostics))
				}
			}
		})
	}
}

// benchObjectValue builds a value of the schema's object type: the attributes in set, every
// other one null.
func benchObjectValue(sch *tfprotov6.Schema, set map[string]tftypes.Value) tftypes.Value {
	typ, _ := sch.ValueType().(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(typ, vals)
}

// benchConfigFromState is the configuration that state came from: state with the
// attributes that only the provider sets (computed, not optional) nulled.
func benchConfigFromState(b testing.TB, sch *tfprotov6.Schema, state *tfprotov6.DynamicValue) tftypes.Value {
	b.Helper()
	v, err := state.Unmarshal(sch.ValueType())
	if err != nil {
		b.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		b.Fatal(err)
	}
	for _, a := range sch.Block.Attributes {
		if a.Computed && !a.Optional {
			attrs[a.Name] = tftypes.NewValue(attrs[a.Name].Type(), nil)
		}
	}
	return tftypes.NewValue(sch.ValueType(), attrs)
}

func benchDynamicValue(b testing.TB, sch *tfprotov6.Schema, v tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	dv, err := tfprotov6.NewDynamicValue(sch.ValueType(), v)
	if err != nil {
		b.Fatal(err)
	}
	return &dv
}

func benchHasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func benchDiags(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, fmt.Sprintf("%s: %s: %s", d.Severity, d.Summary, d.Detail))
	}
	return out
}
