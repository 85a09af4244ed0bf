package tfkit

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework's Get and Set of a whole plan or state (tfsdk.Plan.Get, State.Get,
// State.Set) reflect over the model on every call: struct tags parsed again, and every
// field name matched against a regular expression (internal/reflect, v1.19.0). For the
// resources Terraform handles by the thousand, a DB instance's Create spent two thirds
// of its own time there (BENCHMARKS.md). GetModel and SetModel do the same conversion
// with each model type's field table built once. A model is a struct whose fields are
// attr.Values tagged `tfsdk:"name"`, one per attribute of the schema; nested objects
// are types.Object. The provider's TestModelCodec holds them equal to the framework's Get
// and Set for each of its models.

// schemaType is the part of a schema (tfsdk.Plan.Schema, State.Schema) the codec uses.
type schemaType interface {
	Type() attr.Type
}

// codecField is one field of a model: its attribute name and its index in the struct.
type codecField struct {
	name  string
	index int
}

var codecFields sync.Map // reflect.Type of a model -> []codecField

func fieldsOf(t reflect.Type) []codecField {
	if f, ok := codecFields.Load(t); ok {
		if fields, ok := f.([]codecField); ok {
			return fields
		}
	}
	var fields []codecField
	for i := range t.NumField() {
		if name := t.Field(i).Tag.Get("tfsdk"); name != "" && name != "-" {
			fields = append(fields, codecField{name, i})
		}
	}
	codecFields.Store(t, fields)
	return fields
}

// GetModel fills *m from raw, a value of schema's type (a plan, a state or a config).
func GetModel[M any](ctx context.Context, schema schemaType, raw tftypes.Value, m *M) diag.Diagnostics {
	var diags diag.Diagnostics
	objType, ok := schema.Type().(attr.TypeWithAttributeTypes)
	var vals map[string]tftypes.Value
	if !ok || !raw.IsKnown() || raw.IsNull() || raw.As(&vals) != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("Cannot read the provider's data from %s. This is a bug in the provider; please report it.", raw))
		return diags
	}
	types := objType.AttributeTypes()
	v := reflect.ValueOf(m).Elem()
	for _, f := range fieldsOf(v.Type()) {
		t, ok := types[f.name]
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("The model has attribute %s, which the schema does not. This is a bug in the provider; please report it.", f.name))
			continue
		}
		value, err := t.ValueFromTerraform(ctx, vals[f.name])
		if err != nil || value == nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("Cannot read attribute %s: %v. This is a bug in the provider; please report it.", f.name, err))
			continue
		}
		field := v.Field(f.index)
		rv := reflect.ValueOf(value)
		if !rv.Type().AssignableTo(field.Type()) {
			diags.AddError("Value Conversion Error", fmt.Sprintf("Attribute %s is a %s, and the model holds a %s. This is a bug in the provider; please report it.", f.name, rv.Type(), field.Type()))
			continue
		}
		field.Set(rv)
	}
	return diags
}

// modelValue is *m as a value of schema's type, for State.Set (which checks the type).
func modelValue[M any](ctx context.Context, schema schemaType, m *M) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	v := reflect.ValueOf(m).Elem()
	fields := fieldsOf(v.Type())
	vals := make(map[string]tftypes.Value, len(fields))
	for _, f := range fields {
		value, ok := v.Field(f.index).Interface().(attr.Value)
		if !ok {
			diags.AddError("Value Conversion Error", fmt.Sprintf("Field %s of the model is not an attribute value. This is a bug in the provider; please report it.", f.name))
			continue
		}
		tv, err := toTerraform(ctx, value)
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("Cannot write attribute %s: %v. This is a bug in the provider; please report it.", f.name, err))
			continue
		}
		vals[f.name] = tv
	}
	typ := schema.Type().TerraformType(ctx)
	if err := tftypes.ValidateValue(typ, vals); diags.HasError() || err != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("The model does not fit the schema: %v. This is a bug in the provider; please report it.", err))
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(typ, vals), diags
}

// SetModel writes *m as the whole state.
func SetModel[M any](ctx context.Context, state *tfsdk.State, m *M) diag.Diagnostics {
	v, diags := modelValue(ctx, state.Schema, m)
	if diags.HasError() {
		return diags
	}
	return state.Set(ctx, v)
}

// toTerraform is value.ToTerraformValue, which panics for the zero value of some types
// (a MapValue without its element type): an error instead.
func toTerraform(ctx context.Context, value attr.Value) (tv tftypes.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%T cannot be converted: %v", value, r)
		}
	}()
	return value.ToTerraformValue(ctx)
}
