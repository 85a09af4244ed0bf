package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

var (
	_ resource.Resource                   = (*imageConfigResource)(nil)
	_ resource.ResourceWithConfigure      = (*imageConfigResource)(nil)
	_ resource.ResourceWithImportState    = (*imageConfigResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*imageConfigResource)(nil)
	_ resource.ResourceWithValidateConfig = (*imageConfigResource)(nil)
)

const (
	onDestroyReset  = "reset"
	onDestroyRetain = "retain"
	// importExclusive is the import ID of an exclusive resource.
	importExclusive = "exclusive"
	// privateApplied holds the overrides the last apply wrote, so a plan can say which
	// field drifted and from what.
	privateApplied = "applied"
)

// imageConfigResource manages overrides of the account's execution config. The config
// is one per account, so the resource ID is the account ID; several non-exclusive
// resources may manage disjoint sets of fields.
type imageConfigResource struct {
	client *client.Client
	claims *fieldClaims
}

func newImageConfigResource() resource.Resource { return &imageConfigResource{} }

func (r *imageConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_image_config"
}

func (r *imageConfigResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The Harness account ID: the execution config is one per account.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"exclusive": schema.BoolAttribute{
			MarkdownDescription: "When `true`, this resource owns the whole execution config: overrides on fields it " +
				"does not set are shown in `unmanaged_overrides` and reset on the next apply, and destroy deletes every " +
				"override of the account (`DELETE /v1/dbops/execution-config`). With `exclusive = true` no image " +
				"attribute is required: the resource then keeps the account on the Harness defaults. Default `false`.",
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(false),
		},
		"on_destroy": schema.StringAttribute{
			MarkdownDescription: "What destroy does: `reset` (the default) resets the managed fields to the Harness " +
				"defaults and reads the config back to verify it; if an override is still there, destroy fails and the " +
				"resource stays in state. `retain` leaves the overrides in place and only forgets them.",
			Optional:   true,
			Computed:   true,
			Default:    stringdefault.StaticString(onDestroyReset),
			Validators: []validator.String{stringvalidator.OneOf(onDestroyReset, onDestroyRetain)},
		},
		"unmanaged_overrides": schema.MapAttribute{
			MarkdownDescription: "With `exclusive = true`: the overrides found on fields this resource does not set, " +
				"keyed by API field name. A plan shows them going to `{}`: the apply resets them. Null otherwise.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
	for _, f := range imageFields {
		attrs[f.attr] = schema.StringAttribute{
			MarkdownDescription: "Override of " + f.what + " (API field `" + f.api + "`): a full image reference with a " +
				"tag or digest, such as `registry.example.com/mirror/image:1.2.3`. Remove the attribute to reset the field " +
				"to the Harness default; an empty string is an error.",
			Optional:   true,
			Validators: []validator.String{imageRefValidator{}},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Overrides of the images that Harness DB DevOps pipelines run (the account's execution " +
			"config). Each attribute overrides one field; fields left out keep the Harness default. Refresh reads all " +
			"overrides in one call and shows any change made outside Terraform as drift.",
		Attributes: attrs,
	}
}

func (r *imageConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := dataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		r.client, r.claims = d.client, d.claims
	}
}

// ValidateConfig requires at least one image unless the resource is exclusive, where an
// empty configuration means "no override at all".
func (r *imageConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, diags := readImageConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() || m.Exclusive.IsUnknown() || m.Exclusive.ValueBool() {
		return
	}
	for _, v := range m.Images {
		if !v.IsNull() {
			return
		}
	}
	resp.Diagnostics.AddError("No image to manage",
		"Set at least one image attribute ("+imageFieldNames()+"), or set exclusive = true to keep every field on the Harness default.")
}

func (r *imageConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	plan, diags := readImageConfig(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	// In exclusive mode the apply leaves no unmanaged override: plan {} so that a
	// refresh that found some shows them being removed.
	switch {
	case plan.Exclusive.IsUnknown():
		plan.UnmanagedOverrides = types.MapUnknown(types.StringType)
	case plan.Exclusive.ValueBool():
		plan.UnmanagedOverrides = stringMap(nil)
	default:
		plan.UnmanagedOverrides = types.MapNull(types.StringType)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("unmanaged_overrides"), plan.UnmanagedOverrides)...)

	var state imageConfigModel
	if !req.State.Raw.IsNull() {
		state, diags = readImageConfig(ctx, req.State)
		resp.Diagnostics.Append(diags...)
		r.warnDrift(ctx, req, plan, state, resp)
	}
	r.warnPinsDefault(ctx, plan, state, resp)
	r.warnShared(plan, resp)
}

// warnShared warns when another harness_dbops_image_config of this configuration sets
// a field this one sets too (or owns the whole config): each apply would undo the
// other's change, and the next plan would show it as drift, forever.
func (r *imageConfigResource) warnShared(plan imageConfigModel, resp *resource.ModifyPlanResponse) {
	if r.claims == nil || plan.Exclusive.IsUnknown() {
		return
	}
	fields := plan.managed()
	desired := plan.toAPI()
	if len(desired) < len(fields) {
		return // a value is not known yet: its owner cannot be told apart
	}
	owner, _ := json.Marshal(map[string]any{"exclusive": plan.Exclusive.ValueBool(), "images": desired})
	if plan.Exclusive.ValueBool() {
		fields = append(fields, allFields)
	}
	clashes := r.claims.claim(string(owner), fields)
	for _, f := range slices.Sorted(maps.Keys(clashes)) {
		var other struct {
			Exclusive bool
			Images    map[string]string
		}
		_ = json.Unmarshal([]byte(clashes[f]), &other)
		at, what := path.Root("exclusive"), "owns the whole execution config (exclusive = true)"
		if f != allFields {
			field, _ := imageFieldByName(f)
			at = path.Root(field.attr)
			what = fmt.Sprintf("sets %s (%s)", field.attr, f)
		}
		otherDoes := "sets it too"
		if v, ok := other.Images[f]; ok {
			otherDoes = fmt.Sprintf("sets it to %q", v)
		}
		if other.Exclusive {
			otherDoes = "owns the whole execution config (exclusive = true)"
		}
		resp.Diagnostics.AddAttributeWarning(at, "Two image configs manage the same field",
			fmt.Sprintf("This harness_dbops_image_config %s, and another one in this configuration %s. Each apply "+
				"undoes the other's change and the next plan shows it as drift, for ever; destroying one resets the "+
				"field for both. Manage each field in one resource only.", what, otherDoes))
	}
}

// warnDrift names each managed field whose override changed or vanished outside
// Terraform since the last apply, and what the plan does about it.
func (r *imageConfigResource) warnDrift(ctx context.Context, req resource.ModifyPlanRequest, plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	raw, diags := req.Private.GetKey(ctx, privateApplied)
	resp.Diagnostics.Append(diags...)
	var applied map[string]string
	if len(raw) == 0 || json.Unmarshal(raw, &applied) != nil {
		return
	}
	for _, f := range imageFields {
		last, ok := applied[f.api]
		now := state.Images[f.api]
		if !ok || (!now.IsNull() && now.ValueString() == last) {
			continue
		}
		what := fmt.Sprintf("was changed outside Terraform to %q", now.ValueString())
		if now.IsNull() {
			what = "was removed outside Terraform"
		}
		next := "This plan resets it to the Harness default."
		if p := plan.Images[f.api]; !p.IsNull() && !p.IsUnknown() {
			next = fmt.Sprintf("This plan sets it to %q again.", p.ValueString())
		}
		resp.Diagnostics.AddAttributeWarning(path.Root(f.attr), "Image override drifted: "+f.attr,
			fmt.Sprintf("The override of %s (%s) %s; Terraform last applied %q. %s", f.attr, f.api, what, last, next))
	}
	if m := state.UnmanagedOverrides; plan.Exclusive.ValueBool() && !m.IsNull() && len(m.Elements()) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("unmanaged_overrides"), "Unmanaged image overrides will be reset",
			fmt.Sprintf("This resource is exclusive, and the account has overrides it does not manage: %s. The apply resets them to the Harness defaults.",
				strings.Join(slices.Sorted(maps.Keys(m.Elements())), ", ")))
	}
}

// warnPinsDefault warns where a new or changed override equals the current Harness
// default. It costs one get-default-config per plan, and none when no override changes.
func (r *imageConfigResource) warnPinsDefault(ctx context.Context, plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	changed := map[string]string{}
	for api, v := range plan.toAPI() {
		if s := state.Images[api]; s.IsNull() || s.ValueString() != v {
			changed[api] = v
		}
	}
	if len(changed) == 0 {
		return
	}
	defaults, err := r.client.GetDefaultConfig(ctx)
	if err != nil {
		// The plan does not need the defaults, only this check does: say it was skipped.
		resp.Diagnostics.AddWarning("Could not compare the overrides with the Harness defaults",
			apiErrorDetail("Reading the Harness defaults (get-default-config), to warn when an override equals one,", err)+
				" The plan is complete without this check.")
		return
	}
	for _, f := range imageFields {
		if v, ok := changed[f.api]; ok && defaults[f.api] == v {
			resp.Diagnostics.AddAttributeWarning(path.Root(f.attr), "Override equals the Harness default",
				fmt.Sprintf("%s = %q is the current Harness default, so this override changes nothing today; it only "+
					"keeps this image when Harness moves the default on. Remove it to follow the default.", f.attr, v))
		}
	}
}

func (r *imageConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := readImageConfig(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	current, err := r.client.GetCustomerConfig(ctx, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the execution config overrides", "Reading the overrides (get-customer-config)", err)
		return
	}
	desired := plan.toAPI()
	var ops []client.ConfigOperation
	for _, f := range imageFields {
		v, ok := desired[f.api]
		old, had := current[f.api]
		if !ok || (had && old == v) {
			continue
		}
		if had {
			resp.Diagnostics.AddAttributeWarning(path.Root(f.attr), "Taking over an existing override",
				fmt.Sprintf("The account already overrides %s (%s) with %q; this resource now manages it and sets %q.", f.attr, f.api, old, v))
		}
		ops = append(ops, client.ConfigOperation{Field: f.api, Value: v})
	}
	var resets []string
	if plan.Exclusive.ValueBool() {
		resets = slices.Sorted(maps.Keys(unmanaged(current, plan.managed())))
	}
	if !r.apply(ctx, ops, resets, &resp.Diagnostics) {
		return
	}
	plan.ID = types.StringValue(r.client.AccountID())
	resp.Diagnostics.Append(plan.write(ctx, &resp.State)...)
	resp.Diagnostics.Append(saveApplied(ctx, resp.Private, desired)...)
	tflog.Debug(ctx, "created image config", map[string]any{"set": len(ops), "reset": len(resets), "exclusive": plan.Exclusive.ValueBool()})
}

func (r *imageConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, diags := readImageConfig(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	overrides, err := r.client.GetCustomerConfig(ctx, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the execution config overrides", "Reading the overrides (get-customer-config)", err)
		return
	}
	// Import leaves the defaults unset; fill them so import then plan is empty.
	if m.Exclusive.IsNull() {
		m.Exclusive = types.BoolValue(false)
	}
	if m.OnDestroy.IsNull() {
		m.OnDestroy = types.StringValue(onDestroyReset)
	}
	if m.ID.IsNull() {
		m.ID = types.StringValue(r.client.AccountID())
	}
	m.fromAPI(overrides)
	resp.Diagnostics.Append(m.write(ctx, &resp.State)...)
}

func (r *imageConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := readImageConfig(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	state, diags := readImageConfig(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	desired := plan.toAPI()
	var ops []client.ConfigOperation
	var resets []string
	for _, f := range imageFields {
		v, want := desired[f.api]
		cur := state.Images[f.api]
		switch {
		case want && (cur.IsNull() || cur.ValueString() != v):
			ops = append(ops, client.ConfigOperation{Field: f.api, Value: v})
		case !want && !cur.IsNull():
			resets = append(resets, f.api)
		}
	}
	if plan.Exclusive.ValueBool() && !state.UnmanagedOverrides.IsNull() {
		for api := range state.UnmanagedOverrides.Elements() {
			if _, want := desired[api]; !want && !slices.Contains(resets, api) {
				resets = append(resets, api)
			}
		}
		slices.Sort(resets)
	}
	if !r.apply(ctx, ops, resets, &resp.Diagnostics) {
		// Keep state true to the server: nothing of this update is recorded, and the next
		// refresh reads whatever part of it went through.
		resp.Diagnostics.Append(state.write(ctx, &resp.State)...)
		return
	}
	plan.ID = state.ID
	resp.Diagnostics.Append(plan.write(ctx, &resp.State)...)
	resp.Diagnostics.Append(saveApplied(ctx, resp.Private, desired)...)
	tflog.Debug(ctx, "updated image config", map[string]any{"set": len(ops), "reset": len(resets)})
}

func (r *imageConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := readImageConfig(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if state.OnDestroy.ValueString() == onDestroyRetain {
		tflog.Info(ctx, "on_destroy = retain: leaving the overrides in place", map[string]any{"fields": state.managed()})
		return
	}
	exclusive, check := state.Exclusive.ValueBool(), state.managed()
	switch {
	case exclusive:
		if _, err := r.client.DeleteConfigOverrides(ctx); err != nil {
			addAPIError(&resp.Diagnostics, "Unable to delete the execution config overrides", "The resource stays in state. Deleting every override of the account", err)
			return
		}
	case len(check) == 0:
		return // every managed override is already gone
	default:
		if err := r.client.ResetConfig(ctx, check); err != nil {
			addAPIError(&resp.Diagnostics, "Unable to reset the managed image overrides",
				"The resource stays in state. Resetting "+strings.Join(check, ", "), err)
			return
		}
	}
	left, err := r.client.GetCustomerConfig(ctx, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to verify the reset of the image overrides",
			"The reset was sent; the resource stays in state. Reading the overrides back", err)
		return
	}
	var still []string
	for api, v := range left {
		if exclusive || slices.Contains(check, api) {
			still = append(still, fmt.Sprintf("%s=%q", api, v))
		}
	}
	if len(still) > 0 {
		slices.Sort(still)
		resp.Diagnostics.AddError("Image overrides are still set after the reset",
			"Harness accepted the reset but still reports "+strings.Join(still, ", ")+
				". The resource stays in state; run destroy again, or set on_destroy = \"retain\" to leave them.")
	}
}

// apply sends the update-config and reset-config calls of one change, nothing when
// there is nothing to change. It reports whether both went through.
func (r *imageConfigResource) apply(ctx context.Context, ops []client.ConfigOperation, resets []string, diags *diag.Diagnostics) bool {
	if err := r.client.UpdateConfig(ctx, ops); err != nil {
		addAPIError(diags, "Unable to update the image overrides", "Setting the overrides of "+opFields(ops), err)
		return false
	}
	if err := r.client.ResetConfig(ctx, resets); err != nil {
		addAPIError(diags, "Unable to reset image overrides", "Resetting "+strings.Join(resets, ", "), err)
		return false
	}
	return true
}

// opFields lists the fields of update-config operations, for messages.
func opFields(ops []client.ConfigOperation) string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.Field
	}
	return strings.Join(names, ", ")
}

func saveApplied(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, applied map[string]string) diag.Diagnostics {
	raw, err := json.Marshal(applied)
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Unable to record the applied overrides", err.Error())
		return d
	}
	return private.SetKey(ctx, privateApplied, raw)
}

// ImportState takes the fields to manage, by attribute or API name
// ("default_tag,mongo_tag"), or "exclusive" to own the whole config and manage every
// field that has an override now.
func (r *imageConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	fields, exclusive, err := parseImageImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	// A field with no override has nothing to import: the configuration Terraform would
	// generate for it could not set it (an empty image is an error) and would drop it.
	overrides, err := r.client.GetCustomerConfig(ctx, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the execution config overrides", "Reading the overrides to import (get-customer-config)", err)
		return
	}
	var missing []string
	for _, api := range fields {
		if _, ok := overrides[api]; !ok {
			f, _ := imageFieldByName(api)
			missing = append(missing, f.attr+" ("+api+")")
		}
	}
	if len(missing) > 0 {
		var have []string
		for _, f := range imageFields {
			if _, ok := overrides[f.api]; ok {
				have = append(have, f.attr)
			}
		}
		resp.Diagnostics.AddError("Nothing to import for some fields",
			fmt.Sprintf("The account has no override on %s: it uses the Harness default, so there is nothing to manage. "+
				"Import only fields that have an override (now: %s), and add the others to the configuration to set them.",
				strings.Join(missing, ", "), orNone(have)))
		return
	}
	m := imageConfigModel{
		ID:                 types.StringNull(),
		Exclusive:          types.BoolValue(exclusive),
		OnDestroy:          types.StringValue(onDestroyReset),
		UnmanagedOverrides: types.MapNull(types.StringType),
		Images:             map[string]types.String{},
	}
	for _, f := range imageFields {
		m.Images[f.api] = types.StringNull()
		if exclusive || slices.Contains(fields, f.api) {
			m.Images[f.api] = types.StringValue("") // marks the field managed; Read fills it in
		}
	}
	resp.Diagnostics.Append(m.write(ctx, &resp.State)...)
}

// parseImageImportID returns the API names of the fields an import ID lists.
func parseImageImportID(id string) (fields []string, exclusive bool, err error) {
	id = strings.TrimSpace(id)
	if id == importExclusive {
		return nil, true, nil
	}
	usage := fmt.Sprintf("Use a comma-separated list of the fields to manage, by attribute or API name (for example "+
		"\"default_tag,mongo_tag\"), or %q to own the whole execution config. Valid fields: %s.", importExclusive, imageFieldNames())
	if id == "" {
		return nil, false, fmt.Errorf("the import ID is empty. %s", usage)
	}
	for _, part := range strings.Split(id, ",") {
		name := strings.TrimSpace(part)
		f, ok := imageFieldByName(name)
		if !ok {
			return nil, false, fmt.Errorf("unknown field %q in import ID %q. %s", name, id, usage)
		}
		if slices.Contains(fields, f.api) {
			return nil, false, fmt.Errorf("field %q is listed twice in import ID %q. %s", name, id, usage)
		}
		fields = append(fields, f.api)
	}
	return fields, false, nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
