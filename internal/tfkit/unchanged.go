package tfkit

import (
	"bytes"
	"context"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// UnchangedPlanIsState marks a resource whose ModifyPlan, if it has one, changes
// nothing, says nothing and records nothing when the configuration does not change the
// object: the plan of such an object is its prior state, which UnchangedPlans answers
// without the framework. Whoever changes that ModifyPlan rereads this.
type UnchangedPlanIsState interface {
	resource.Resource
	UnchangedPlanIsState()
}

// UnchangedPlans answers PlanResourceChange for an object that Terraform proposes to
// leave as it is, of a resource marked UnchangedPlanIsState: the framework's answer
// then is the prior state (terraform-plugin-framework v1.19.0,
// internal/fwserver/server_planresourcechange.go: defaults, then plan modifiers, then
// ModifyPlan), and building it costs a refresh of 1000 instances about a third of the
// provider's CPU, spent walking the schema for every attribute (BENCHMARKS.md). It
// answers only when it can prove that answer:
//
//   - the proposed new state is the prior state, byte for byte, and not null (no
//     change, no unknown value, no create, no destroy);
//   - no attribute with a default is null in the configuration unless the prior state
//     holds that default (the framework would plan the default);
//   - the resource's plan modifiers are all ones that do nothing to an unchanged,
//     known value (UseStateForUnknown, RequiresReplace and RequiresReplaceIf), its
//     attributes are of the kinds checked here, and it has no block;
//   - there is no private state and no provider_meta;
//   - (the provider's part) its Configure never defers (ConfigureResponse.Deferred):
//     the framework would answer a deferral instead.
//
// Anything else (nil) goes to the framework. TestUnchangedPlanPassthrough holds its
// answers equal to the framework's. Remove it when the framework plans an unchanged
// object as cheaply.
type UnchangedPlans struct {
	types map[string]unchangedType
}

type unchangedType struct {
	value    tftypes.Type
	defaults map[string]tftypes.Value // the attributes with a default: the default
	identity *tfprotov6.DynamicValue  // the null identity the framework plans without a prior one; nil without identity
}

// NewUnchangedPlans finds, among resources (the provider's Resources, its type name
// providerTypeName), the ones it can answer for.
func NewUnchangedPlans(ctx context.Context, providerTypeName string, resources []func() resource.Resource) *UnchangedPlans {
	u := &UnchangedPlans{types: map[string]unchangedType{}}
	for _, newResource := range resources {
		r, ok := newResource().(UnchangedPlanIsState)
		if !ok {
			continue
		}
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: providerTypeName}, &meta)
		if t, ok := unchangedTypeOf(ctx, r); ok {
			u.types[meta.TypeName] = t
		}
	}
	return u
}

// Answers reports whether u answers for the resource type.
func (u *UnchangedPlans) Answers(typeName string) bool {
	_, ok := u.types[typeName]
	return ok
}

// Plan returns the framework's plan of an unchanged object, or nil when the framework
// must plan (always, for a nil u).
func (u *UnchangedPlans) Plan(req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeResponse {
	if u == nil {
		return nil
	}
	t, ok := u.types[req.TypeName]
	if !ok || len(req.PriorPrivate) > 0 || !rawMsgPack(req.PriorState) || !rawMsgPack(req.ProposedNewState) ||
		!rawMsgPack(req.Config) || !bytes.Equal(req.PriorState.MsgPack, req.ProposedNewState.MsgPack) ||
		(req.ProviderMeta != nil && !isNullMsgPack(req.ProviderMeta)) || isNullMsgPack(req.PriorState) {
		return nil
	}
	if len(t.defaults) > 0 && !t.keepsDefaults(req) {
		return nil
	}
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState}
	if t.identity != nil {
		resp.PlannedIdentity = &tfprotov6.ResourceIdentityData{IdentityData: t.identity}
		if req.PriorIdentity != nil && req.PriorIdentity.IdentityData != nil {
			resp.PlannedIdentity = req.PriorIdentity
		}
	}
	return resp
}

// keepsDefaults reports whether every attribute with a default that the configuration
// leaves null already holds its default in the prior state.
func (t unchangedType) keepsDefaults(req *tfprotov6.PlanResourceChangeRequest) bool {
	config, err := objectAttrs(req.Config, t.value)
	if err != nil {
		return false
	}
	var prior map[string]tftypes.Value
	for name, def := range t.defaults {
		if !config[name].IsNull() {
			continue
		}
		if prior == nil {
			if prior, err = objectAttrs(req.PriorState, t.value); err != nil {
				return false
			}
		}
		if !prior[name].Equal(def) {
			return false
		}
	}
	return true
}

func objectAttrs(dv *tfprotov6.DynamicValue, typ tftypes.Type) (map[string]tftypes.Value, error) {
	v, err := dv.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	var attrs map[string]tftypes.Value
	return attrs, v.As(&attrs)
}

func rawMsgPack(dv *tfprotov6.DynamicValue) bool {
	return dv != nil && len(dv.MsgPack) > 0 && dv.JSON == nil
}

// isNullMsgPack: msgpack's nil, which is how Terraform sends a null object.
func isNullMsgPack(dv *tfprotov6.DynamicValue) bool {
	return len(dv.MsgPack) == 1 && dv.MsgPack[0] == 0xc0
}

// unchangedTypeOf checks r's schema and reads its defaults; false when UnchangedPlans
// cannot prove the framework's plan of r.
func unchangedTypeOf(ctx context.Context, r resource.Resource) (unchangedType, bool) {
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	if sch.Diagnostics.HasError() || len(sch.Schema.Blocks) > 0 {
		return unchangedType{}, false
	}
	t := unchangedType{value: sch.Schema.Type().TerraformType(ctx), defaults: map[string]tftypes.Value{}}
	for name, a := range sch.Schema.Attributes {
		def, ok := attributeDefault(ctx, path.Root(name), a)
		if !ok {
			return unchangedType{}, false
		}
		if def != nil {
			v, err := def.ToTerraformValue(ctx)
			if err != nil {
				return unchangedType{}, false
			}
			t.defaults[name] = v
		}
	}
	if ri, ok := r.(resource.ResourceWithIdentity); ok {
		var id resource.IdentitySchemaResponse
		ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &id)
		if id.Diagnostics.HasError() {
			return unchangedType{}, false
		}
		typ := id.IdentitySchema.Type().TerraformType(ctx)
		null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		if err != nil {
			return unchangedType{}, false
		}
		t.identity = &null
	}
	return t, true
}

// attributeDefault returns a's default (nil for none), and false when a is of a kind
// not checked here, is write-only, or has a plan modifier that might act on an
// unchanged value.
func attributeDefault(ctx context.Context, p path.Path, a rschema.Attribute) (attr.Value, bool) {
	switch a := a.(type) {
	case rschema.StringAttribute:
		if a.WriteOnly || !safeModifiers(a.PlanModifiers, stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()) {
			return nil, false
		}
		return defaultOf(a.Default, func(d defaults.String) attr.Value {
			var resp defaults.StringResponse
			d.DefaultString(ctx, defaults.StringRequest{Path: p}, &resp)
			return resp.PlanValue
		})
	case rschema.BoolAttribute:
		if a.WriteOnly || !safeModifiers(a.PlanModifiers, boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplace()) {
			return nil, false
		}
		return defaultOf(a.Default, func(d defaults.Bool) attr.Value {
			var resp defaults.BoolResponse
			d.DefaultBool(ctx, defaults.BoolRequest{Path: p}, &resp)
			return resp.PlanValue
		})
	case rschema.Int64Attribute:
		if a.WriteOnly || !safeModifiers(a.PlanModifiers, int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()) {
			return nil, false
		}
		return defaultOf(a.Default, func(d defaults.Int64) attr.Value {
			var resp defaults.Int64Response
			d.DefaultInt64(ctx, defaults.Int64Request{Path: p}, &resp)
			return resp.PlanValue
		})
	case rschema.MapAttribute:
		if a.WriteOnly || !safeModifiers(a.PlanModifiers, mapplanmodifier.UseStateForUnknown(), mapplanmodifier.RequiresReplace()) {
			return nil, false
		}
		return defaultOf(a.Default, func(d defaults.Map) attr.Value {
			var resp defaults.MapResponse
			d.DefaultMap(ctx, defaults.MapRequest{Path: p}, &resp)
			return resp.PlanValue
		})
	}
	return nil, false
}

// defaultOf is d's value, or nil when d is nil.
func defaultOf[D comparable](d D, value func(D) attr.Value) (attr.Value, bool) {
	var none D
	if d == none {
		return nil, true
	}
	v := value(d)
	return v, v != nil
}

// safeModifiers reports whether every modifier is of the type of one of known (the
// framework's UseStateForUnknown and RequiresReplace, whose type RequiresReplaceIf
// shares): each returns at once when the planned value is known and equals the prior.
func safeModifiers[M any](mods []M, known ...M) bool {
	for _, m := range mods {
		safe := false
		for _, k := range known {
			safe = safe || reflect.TypeOf(m) == reflect.TypeOf(k)
		}
		if !safe {
			return false
		}
	}
	return true
}
