package tfkit

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// UseStateWhenUnchanged keeps the prior value of a computed attribute when none of the
// attributes it derives from changes, and leaves it unknown otherwise.
type UseStateWhenUnchanged struct {
	Paths []path.Path
}

var _ planmodifier.String = UseStateWhenUnchanged{}

func (m UseStateWhenUnchanged) Description(context.Context) string {
	return fmt.Sprintf("Keeps the prior value unless one of %v changes.", m.Paths)
}

func (m UseStateWhenUnchanged) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m UseStateWhenUnchanged) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	for _, p := range m.Paths {
		var planned, prior attr.Value
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, p, &planned)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, p, &prior)...)
		if resp.Diagnostics.HasError() || !planned.Equal(prior) {
			return
		}
	}
	resp.PlanValue = req.StateValue
}

// KnownStrings reports whether every value is known and not null.
func KnownStrings(vs ...types.String) bool {
	for _, v := range vs {
		if v.IsNull() || v.IsUnknown() {
			return false
		}
	}
	return true
}

// PlanModels reads the prior state and the plan of a ModifyPlan into models, each when
// it is not null (a create has no prior state, a destroy no plan).
func PlanModels[M any](ctx context.Context, req resource.ModifyPlanRequest, prior, plan *M) diag.Diagnostics {
	var diags diag.Diagnostics
	if !req.State.Raw.IsNull() {
		diags.Append(GetModel(ctx, req.State.Schema, req.State.Raw, prior)...)
	}
	if !req.Plan.Raw.IsNull() {
		diags.Append(GetModel(ctx, req.Plan.Schema, req.Plan.Raw, plan)...)
	}
	return diags
}

// Replacing returns the attributes of names (those whose change replaces the resource)
// that the plan changes: the framework does not tell ModifyPlan which attributes
// require replacement.
func Replacing(ctx context.Context, req resource.ModifyPlanRequest, names []string, diags *diag.Diagnostics) []string {
	var changed []string
	for _, name := range names {
		var planned, was types.String
		diags.Append(req.Plan.GetAttribute(ctx, path.Root(name), &planned)...)
		diags.Append(req.State.GetAttribute(ctx, path.Root(name), &was)...)
		if !planned.Equal(was) {
			changed = append(changed, name)
		}
	}
	return changed
}
