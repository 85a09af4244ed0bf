package tfkit

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Conversions between the Go values of an API and Terraform values.

// OptionalString is s as a Terraform string: "" (absent) is null.
func OptionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// StringMap is m as a Terraform map; nil and empty are both {}.
func StringMap(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// GoStringMap is a Terraform map of strings as a Go map; null, unknown and empty are
// all nil.
func GoStringMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() || len(m.Elements()) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// ObjectList maps API items to a list of model objects sorted by identifier, for
// list data sources. The API's order is its own (newest first by default, the order
// the client asks for, or a server's tie-break): sorted here, an entity added or
// removed moves only the items after its identifier.
func ObjectList[T, M any](ctx context.Context, attrTypes map[string]attr.Type, items []T, identifier func(*T) string, fromAPI func(*M, *T) diag.Diagnostics) (types.List, diag.Diagnostics) {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b T) int { return strings.Compare(identifier(&a), identifier(&b)) })
	return Objects(ctx, attrTypes, items, fromAPI)
}

// Objects maps API items to a list of model objects in the items' order, for lists
// whose order means something (a history in the order it was recorded).
func Objects[T, M any](ctx context.Context, attrTypes map[string]attr.Type, items []T, fromAPI func(*M, *T) diag.Diagnostics) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make([]attr.Value, 0, len(items))
	for i := range items {
		var m M
		diags.Append(fromAPI(&m, &items[i])...)
		obj, d := types.ObjectValueFrom(ctx, attrTypes, m)
		diags.Append(d...)
		elems = append(elems, obj)
	}
	if diags.HasError() {
		return types.ListNull(types.ObjectType{AttrTypes: attrTypes}), diags
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, elems)
	diags.Append(d...)
	return list, diags
}
