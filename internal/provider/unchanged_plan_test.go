package provider

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The unchanged-plan passthrough (tfkit.UnchangedPlans, in detachedServer) answers
// PlanResourceChange exactly as the configured framework server does, and answers
// every plan in which Terraform proposes no change and the framework plans none. The
// requests are built as Terraform builds them: a state from a real refresh of
// instances of every shape, configurations that set or leave out each optional
// attribute (the proposed new state merged from configuration and state as Terraform
// merges it), with and without the prior identity. (A refresh leaves no private state;
// one is left to the framework, below.)
func TestUnchangedPlanPassthrough(t *testing.T) {
	ctx := context.Background()
	framework := newProtocolProvider(t, providerserver.NewProtocol6(New("test")())())
	const typeName = "harness_dbops_db_instance"
	sch := framework.schemas[typeName]
	plans := (&unchangedPlans{version: "test"}).get(ctx)
	for name := range framework.schemas {
		if got, want := plans.Answers(name), name == typeName; got != want {
			t.Errorf("the passthrough answers for %s: %v, want %v (only a resource marked UnchangedPlanIsState)", name, got, want)
		}
	}

	framework.mock.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "orders", Name: "Orders"})
	instances := []mockserver.Instance{
		{Identifier: "full", Name: "Full", Connector: "org.jdbc_pg", Branch: "main", Context: "prod",
			Tags: map[string]string{"env": "prod"}, SubstituteProperties: map[string]string{"DB_NAME": "orders"},
			LastAppliedTag: "v1", LastDeployedChangeSetTag: "v1"},
		{Identifier: "bare", Name: "Bare", Connector: "org.jdbc_pg", CommitSHA: "0123abc"},
		{Identifier: "tagged", Name: "Tagged", Connector: "account.jdbc", GitTag: "v2", Tags: map[string]string{"a": "b"}},
	}
	var answered, cases int
	for _, inst := range instances {
		if err := framework.mock.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "orders", inst); err != nil {
			t.Fatal(err)
		}
		imported := benchObjectValue(sch, map[string]tftypes.Value{
			"org_id": tftypes.NewValue(tftypes.String, acctest.DBTestOrg), "project_id": tftypes.NewValue(tftypes.String, acctest.DBTestProject),
			"schema": tftypes.NewValue(tftypes.String, "orders"), "identifier": tftypes.NewValue(tftypes.String, inst.Identifier),
		})
		read, err := framework.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: benchDynamicValue(t, sch, imported)})
		if err != nil || len(read.Diagnostics) > 0 || read.NewIdentity == nil {
			t.Fatalf("read %s: %v %v", inst.Identifier, err, benchDiags(read.Diagnostics))
		}
		prior, err := read.NewState.Unmarshal(sch.ValueType())
		if err != nil {
			t.Fatal(err)
		}
		for _, config := range configVariants(t, sch, prior) {
			for _, identity := range []*tfprotov6.ResourceIdentityData{nil, read.NewIdentity} {
				cases++
				proposed := proposedNewState(t, sch, prior, config.value)
				req := &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: read.NewState,
					ProposedNewState: benchDynamicValue(t, sch, proposed), Config: benchDynamicValue(t, sch, config.value),
					PriorIdentity: identity, PriorPrivate: read.Private}
				what := fmt.Sprintf("instance %q, configuration %s, identity %v", inst.Identifier, config.name, identity != nil)
				want, err := framework.srv.PlanResourceChange(ctx, req)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				planned, err := want.PlannedState.Unmarshal(sch.ValueType())
				if err != nil {
					t.Fatal(err)
				}
				unchanged := planned.Equal(prior) && len(want.Diagnostics) == 0 && len(want.RequiresReplace) == 0 && proposed.Equal(prior)
				got := plans.Plan(req)
				switch {
				case got == nil && unchanged:
					t.Errorf("%s: the framework plans no change, and the passthrough left it to the framework", what)
				case got != nil && !unchanged:
					t.Errorf("%s: the passthrough answered a plan that changes the instance:\n framework %v %v", what, planned, benchDiags(want.Diagnostics))
				case got != nil:
					answered++
					assertSamePlan(t, what, sch, got, want)
				}
			}
		}
	}
	if answered == 0 || answered == cases {
		t.Fatalf("the passthrough answered %d of %d plans: the cases do not tell answers from refusals", answered, cases)
	}
	t.Logf("the passthrough answered %d of %d plans, as the framework did", answered, cases)

	// What it must never answer, whatever the values: a create, a destroy, another type.
	for what, req := range map[string]*tfprotov6.PlanResourceChangeRequest{
		"a create":  {TypeName: typeName, PriorState: nullDynamicValue(t, sch), ProposedNewState: nullDynamicValue(t, sch), Config: nullDynamicValue(t, sch)},
		"no state":  {TypeName: typeName},
		"JSON":      {TypeName: typeName, PriorState: &tfprotov6.DynamicValue{JSON: []byte(`{}`)}, ProposedNewState: &tfprotov6.DynamicValue{JSON: []byte(`{}`)}, Config: &tfprotov6.DynamicValue{JSON: []byte(`{}`)}},
		"a schema":  {TypeName: "harness_dbops_db_schema", PriorState: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}, ProposedNewState: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}, Config: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}},
		"a private": {TypeName: typeName, PriorState: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}, ProposedNewState: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}, Config: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}, PriorPrivate: []byte(`{"k":"dg=="}`)},
	} {
		if plans.Plan(req) != nil {
			t.Errorf("the passthrough answered %s", what)
		}
	}
}

type configVariant struct {
	name  string
	value tftypes.Value
}

// configVariants are configurations of the object in prior: each optional attribute as
// prior holds it or left out (null), and the attributes only the provider sets null.
func configVariants(t *testing.T, sch *tfprotov6.Schema, prior tftypes.Value) []configVariant {
	base := benchConfigFromState(t, sch, &tfprotov6.DynamicValue{MsgPack: mustMsgPack(t, sch, prior)})
	var attrs map[string]tftypes.Value
	if err := base.As(&attrs); err != nil {
		t.Fatal(err)
	}
	variants := []configVariant{{"as the state", base}}
	for _, a := range sch.Block.Attributes {
		if !a.Optional || attrs[a.Name].IsNull() {
			continue
		}
		changed := make(map[string]tftypes.Value, len(attrs))
		for k, v := range attrs {
			changed[k] = v
		}
		changed[a.Name] = tftypes.NewValue(attrs[a.Name].Type(), nil)
		variants = append(variants, configVariant{"without " + a.Name, tftypes.NewValue(sch.ValueType(), changed)})
	}
	return variants
}

// proposedNewState merges configuration and prior state as Terraform does for a
// top-level attribute (plans/objchange.ProposedNew): the configuration's value, except
// for a computed attribute the configuration leaves null, which keeps the prior value.
func proposedNewState(t *testing.T, sch *tfprotov6.Schema, prior, config tftypes.Value) tftypes.Value {
	var p, c map[string]tftypes.Value
	if err := prior.As(&p); err != nil {
		t.Fatal(err)
	}
	if err := config.As(&c); err != nil {
		t.Fatal(err)
	}
	out := make(map[string]tftypes.Value, len(c))
	for _, a := range sch.Block.Attributes {
		out[a.Name] = c[a.Name]
		if a.Computed && c[a.Name].IsNull() {
			out[a.Name] = p[a.Name]
		}
	}
	return tftypes.NewValue(sch.ValueType(), out)
}

// assertSamePlan compares the passthrough's plan with the framework's: the same values
// (each side decoded), private state, replacement paths and diagnostics.
func assertSamePlan(t *testing.T, what string, sch *tfprotov6.Schema, got, want *tfprotov6.PlanResourceChangeResponse) {
	t.Helper()
	gotState, err1 := got.PlannedState.Unmarshal(sch.ValueType())
	wantState, err2 := want.PlannedState.Unmarshal(sch.ValueType())
	if err1 != nil || err2 != nil || !gotState.Equal(wantState) {
		t.Errorf("%s: planned state\n passthrough %v (%v)\n framework   %v (%v)", what, gotState, err1, wantState, err2)
	}
	if (got.PlannedIdentity == nil) != (want.PlannedIdentity == nil) {
		t.Errorf("%s: planned identity %v, framework %v", what, got.PlannedIdentity, want.PlannedIdentity)
	} else if got.PlannedIdentity != nil {
		if !bytes.Equal(got.PlannedIdentity.IdentityData.MsgPack, want.PlannedIdentity.IdentityData.MsgPack) {
			t.Errorf("%s: planned identity %x, framework %x", what, got.PlannedIdentity.IdentityData.MsgPack, want.PlannedIdentity.IdentityData.MsgPack)
		}
	}
	if !bytes.Equal(got.PlannedPrivate, want.PlannedPrivate) || len(got.RequiresReplace) != len(want.RequiresReplace) ||
		len(got.Diagnostics) != len(want.Diagnostics) || (got.Deferred == nil) != (want.Deferred == nil) {
		t.Errorf("%s: passthrough private %q, replace %v, diagnostics %v, deferred %v; framework %q, %v, %v, %v", what,
			got.PlannedPrivate, got.RequiresReplace, benchDiags(got.Diagnostics), got.Deferred,
			want.PlannedPrivate, want.RequiresReplace, benchDiags(want.Diagnostics), want.Deferred)
	}
}

func nullDynamicValue(t *testing.T, sch *tfprotov6.Schema) *tfprotov6.DynamicValue {
	return benchDynamicValue(t, sch, tftypes.NewValue(sch.ValueType(), nil))
}

func mustMsgPack(t *testing.T, sch *tfprotov6.Schema, v tftypes.Value) []byte {
	return benchDynamicValue(t, sch, v).MsgPack
}
