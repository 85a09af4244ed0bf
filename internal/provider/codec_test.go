package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// getModel and setModel give what the framework's Get and Set give, for every model
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
		if d := getModel(ctx, state.Schema, state.Raw, &ours); d.HasError() {
			t.Fatal(d)
		}
		if d := state.Get(ctx, &theirs); d.HasError() {
			t.Fatal(d)
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Errorf("%T, %s: getModel gives\n%+v\nthe framework\n%+v", ours, top, ours, theirs)
		}
		a, b := tfsdk.State{Schema: sresp.Schema}, tfsdk.State{Schema: sresp.Schema}
		if d := setModel(ctx, &a, &ours); d.HasError() {
			t.Fatal(d)
		}
		if d := b.Set(ctx, &ours); d.HasError() {
			t.Fatal(d)
		}
		if !a.Raw.Equal(b.Raw) || !a.Raw.Equal(state.Raw) {
			t.Errorf("%T, %s: setModel writes\n%s\nthe framework\n%s", ours, top, a.Raw, b.Raw)
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
	if d := setModel(ctx, &state, &wrong); !d.HasError() {
		t.Error("a schema model written as an instance state")
	}
	typ := sresp.Schema.Type().TerraformType(ctx)
	if d := getModel(ctx, sresp.Schema, sampleValue(typ, "fill"), &wrong); !d.HasError() {
		t.Error("an instance state read into a schema model")
	}
	if d := getModel(ctx, sresp.Schema, tftypes.NewValue(typ, nil), &dbInstanceModel{}); !d.HasError() {
		t.Error("a null state read into a model")
	}
}
