package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// sampleValue is a value of typ: every attribute set (fill), null, or unknown, at the
// top level; nested objects and collections are filled.
func sampleValue(typ tftypes.Type, top string) tftypes.Value {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return fillValue(typ)
	}
	vals := map[string]tftypes.Value{}
	for name, t := range obj.AttributeTypes {
		switch top {
		case "null":
			vals[name] = tftypes.NewValue(t, nil)
		case "unknown":
			vals[name] = tftypes.NewValue(t, tftypes.UnknownValue)
		default:
			vals[name] = fillValue(t)
		}
	}
	return tftypes.NewValue(obj, vals)
}

func fillValue(typ tftypes.Type) tftypes.Value {
	switch t := typ.(type) {
	case tftypes.Object:
		return sampleValue(t, "fill")
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{"k": fillValue(t.ElementType)})
	case tftypes.List:
		return tftypes.NewValue(t, []tftypes.Value{fillValue(t.ElementType)})
	case tftypes.Set:
		return tftypes.NewValue(t, []tftypes.Value{fillValue(t.ElementType)})
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, "v")
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, true)
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, 7)
	}
	panic("no sample for " + typ.String())
}

// GetModel and SetModel give what the framework's Get and Set give, for every model
// they serve, with values set, null and unknown.
func TestModelCodec(t *testing.T) {
	checkCodec[dbInstanceModel](t, newDBInstanceResource)
	checkCodec[dbSchemaModel](t, newDBSchemaResource)
}

func checkCodec[M any](t *testing.T, newResource func() resource.Resource) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	newResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx)
	for _, top := range []string{"fill", "null", "unknown"} {
		state := tfsdk.State{Schema: sresp.Schema, Raw: sampleValue(typ, top)}
		var ours, theirs M
		if d := tfkit.GetModel(ctx, state.Schema, state.Raw, &ours); d.HasError() {
			t.Fatal(d)
		}
		if d := state.Get(ctx, &theirs); d.HasError() {
			t.Fatal(d)
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Errorf("%T, %s: GetModel gives\n%+v\nthe framework\n%+v", ours, top, ours, theirs)
		}
		a, b := tfsdk.State{Schema: sresp.Schema}, tfsdk.State{Schema: sresp.Schema}
		if d := tfkit.SetModel(ctx, &a, &ours); d.HasError() {
			t.Fatal(d)
		}
		if d := b.Set(ctx, &ours); d.HasError() {
			t.Fatal(d)
		}
		if !a.Raw.Equal(b.Raw) || !a.Raw.Equal(state.Raw) {
			t.Errorf("%T, %s: SetModel writes\n%s\nthe framework\n%s", ours, top, a.Raw, b.Raw)
		}
	}
}

// A model that does not fit the schema is an error, never a panic.
func TestModelCodecMismatch(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	newDBInstanceResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	state := tfsdk.State{Schema: sresp.Schema}
	var wrong dbSchemaModel
	if d := tfkit.SetModel(ctx, &state, &wrong); !d.HasError() {
		t.Error("a schema model written as an instance state")
	}
	typ := sresp.Schema.Type().TerraformType(ctx)
	if d := tfkit.GetModel(ctx, sresp.Schema, sampleValue(typ, "fill"), &wrong); !d.HasError() {
		t.Error("an instance state read into a schema model")
	}
	if d := tfkit.GetModel(ctx, sresp.Schema, tftypes.NewValue(typ, nil), &dbInstanceModel{}); !d.HasError() {
		t.Error("a null state read into a model")
	}
}

// tfkit.AtMostOneOf says what resourcevalidator.Conflicting says, in the same cases: two or
// more of the attributes set (unknown and null do not count), at the first one set.
func TestAtMostOneOf(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	newDBInstanceResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema's type is not an object")
	}
	ours := tfkit.AtMostOneOf{"branch", "commit_sha", "git_tag"}
	library := resourcevalidator.Conflicting(path.MatchRoot("branch"), path.MatchRoot("commit_sha"), path.MatchRoot("git_tag"))
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for name, set := range map[string]map[string]tftypes.Value{
		"none":            {},
		"one":             {"branch": str("main")},
		"two":             {"commit_sha": str("abc"), "git_tag": str("v1")},
		"three":           {"branch": str("main"), "commit_sha": str("abc"), "git_tag": str("v1")},
		"one and unknown": {"branch": str("main"), "git_tag": unknown},
		"empty strings":   {"branch": str(""), "git_tag": str("")},
	} {
		vals := map[string]tftypes.Value{}
		for attrName, t := range typ.AttributeTypes {
			vals[attrName] = tftypes.NewValue(t, nil)
			if v, ok := set[attrName]; ok {
				vals[attrName] = v
			}
		}
		req := resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}
		var got, want resource.ValidateConfigResponse
		ours.ValidateResource(ctx, req, &got)
		library.ValidateResource(ctx, req, &want)
		if !got.Diagnostics.Equal(want.Diagnostics) {
			t.Errorf("%s: %v, the library says %v", name, got.Diagnostics, want.Diagnostics)
		}
		if wantErr := len(set) >= 2 && name != "one and unknown"; got.Diagnostics.HasError() != wantErr {
			t.Errorf("%s: error %v, want %v", name, got.Diagnostics.HasError(), wantErr)
		}
	}
	if ours.Description(ctx) != library.Description(ctx) {
		t.Errorf("descriptions differ: %q, %q", ours.Description(ctx), library.Description(ctx))
	}
}
