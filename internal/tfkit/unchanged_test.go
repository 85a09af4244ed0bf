package tfkit

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fakeResource is a resource with the given attributes and blocks, marked
// UnchangedPlanIsState when marked.
type fakeResource struct {
	name   string
	attrs  map[string]rschema.Attribute
	blocks map[string]rschema.Block
}

func (r fakeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.name
}

func (r fakeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = rschema.Schema{Attributes: r.attrs, Blocks: r.blocks}
}

func (fakeResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (fakeResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (fakeResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (fakeResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

type markedResource struct{ fakeResource }

func (markedResource) UnchangedPlanIsState() {}

// UnchangedPlans answers only for a marked resource whose plan it can prove: every
// attribute of a kind it checks, with no plan modifier but the framework's no-ops on an
// unchanged value, and no block.
func TestUnchangedPlansEligibility(t *testing.T) {
	id := rschema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}
	with := func(name string, a rschema.Attribute) map[string]rschema.Attribute {
		return map[string]rschema.Attribute{"id": id, name: a}
	}
	for _, tt := range []struct {
		r    resource.Resource
		want bool
	}{
		{markedResource{fakeResource{name: "plain", attrs: with("n", rschema.Int64Attribute{Computed: true})}}, true},
		{markedResource{fakeResource{name: "kept", attrs: with("s", rschema.StringAttribute{Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}})}}, true},
		{fakeResource{name: "unmarked", attrs: with("n", rschema.Int64Attribute{Computed: true})}, false},
		{markedResource{fakeResource{name: "own_modifier", attrs: with("s", rschema.StringAttribute{Computed: true,
			PlanModifiers: []planmodifier.String{UseStateWhenUnchanged{Paths: []path.Path{path.Root("id")}}}})}}, false},
		{markedResource{fakeResource{name: "list", attrs: with("l", rschema.ListAttribute{Optional: true, ElementType: types.StringType})}}, false},
		{markedResource{fakeResource{name: "write_only", attrs: with("w", rschema.StringAttribute{Optional: true, WriteOnly: true})}}, false},
		{markedResource{fakeResource{name: "block", attrs: with("n", rschema.Int64Attribute{Computed: true}),
			blocks: map[string]rschema.Block{"b": rschema.SingleNestedBlock{}}}}, false},
	} {
		var meta resource.MetadataResponse
		tt.r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "x"}, &meta)
		u := NewUnchangedPlans(context.Background(), "x", []func() resource.Resource{func() resource.Resource { return tt.r }})
		if got := u.Answers(meta.TypeName); got != tt.want {
			t.Errorf("%s: answers %v, want %v", meta.TypeName, got, tt.want)
		}
	}
}

// A default that the configuration leaves null is planned by the framework: the
// passthrough answers only when the state already holds it.
func TestUnchangedPlansDefaults(t *testing.T) {
	ctx := context.Background()
	r := markedResource{fakeResource{name: "d", attrs: map[string]rschema.Attribute{
		"id":   rschema.StringAttribute{Required: true},
		"mode": rschema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("auto")},
	}}}
	u := NewUnchangedPlans(ctx, "x", []func() resource.Resource{func() resource.Resource { return r }})
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "mode": tftypes.String}}
	obj := func(mode any) *tfprotov6.DynamicValue {
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{
			"id": tftypes.NewValue(tftypes.String, "a"), "mode": tftypes.NewValue(tftypes.String, mode)}))
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	for _, tt := range []struct {
		state, config any
		want          bool
	}{
		{"auto", nil, true},    // left out, and the state holds the default
		{"manual", nil, false}, // left out: the framework plans "auto"
		{"manual", "manual", true},
	} {
		req := &tfprotov6.PlanResourceChangeRequest{TypeName: "x_d", PriorState: obj(tt.state), ProposedNewState: obj(tt.state), Config: obj(tt.config)}
		if got := u.Plan(req) != nil; got != tt.want {
			t.Errorf("state %v, configuration %v: answered %v, want %v", tt.state, tt.config, got, tt.want)
		}
	}
}
