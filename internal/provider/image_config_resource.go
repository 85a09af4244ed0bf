package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
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
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
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
	// privateApplied holds the overrides the last apply wrote, so a plan can say which
	// field drifted and from what.
	privateApplied = "applied"
)

// imageConfigResource manages overrides of an execution config (kind): DB DevOps's, one
// per account, whose resource ID is the account ID, or Harness CI's of one infra
// ("<account>/<infra>"). Several non-exclusive resources may manage disjoint sets of
// fields.
type imageConfigResource struct {
	kind *execConfigKind
	data *providerData
}

func newImageConfigResource() resource.Resource { return &imageConfigResource{kind: dbopsKind} }

func (r *imageConfigResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.typeName
}

// config returns the calls of the config m manages.
func (r *imageConfigResource) config(m imageConfigModel) execConfig {
	return configFor(r.kind, r.data, m.Infra.ValueString())
}

// advice returns what the plan of m tells its reviewer (imageConfigAdvice).
// Without a known infra (a CI config whose infra is known only at apply) it has no
// config to compare with, and says nothing.
func (r *imageConfigResource) advice(m imageConfigModel) imageConfigAdvice {
	if r.kind.hasInfra && (m.Infra.IsNull() || m.Infra.IsUnknown()) {
		return imageConfigAdvice{kind: r.kind}
	}
	return imageConfigAdvice{kind: r.kind, cfg: r.config(m)}
}

// resourceID is the ID of the resource that manages the config of m.
func (r *imageConfigResource) resourceID(m imageConfigModel) types.String {
	if r.kind.hasInfra {
		return types.StringValue(r.data.client.AccountID() + "/" + m.Infra.ValueString())
	}
	return types.StringValue(r.data.client.AccountID())
}

func (r *imageConfigResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.resourceSchema(imageConfigAttributes(r.kind))
}

// imageConfigAttributes are the attributes every image config resource has.
func imageConfigAttributes(kind *execConfigKind) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: kind.idDoc,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"exclusive": schema.BoolAttribute{
			MarkdownDescription: "When `true`, this resource owns the whole execution config: the apply resets the " +
				"overrides on fields it does not set (the plan shows them leaving `unmanaged_overrides`, with a warning), " +
				"and destroy " + kind.exclusiveDestroy + ". With " +
				"`exclusive = true` no image is required: the resource then keeps the config on the Harness " +
				"defaults. Turning it off changes nothing in Harness. Default `false`.",
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
			MarkdownDescription: "The overrides the last refresh found on fields this resource does not set, keyed by " +
				"API field name, in both modes. With `exclusive = true` the plan shows them going to `{}`, as the apply " +
				"resets them; with `exclusive = false` the apply leaves them alone and the plan keeps them (less any field " +
				"the configuration now sets). Known after apply when a shared resource is created.",
			ElementType: types.StringType,
			Computed:    true,
		},
		"images": schema.MapAttribute{
			MarkdownDescription: kind.imagesDoc,
			ElementType:         types.StringType,
			Optional:            true,
			Validators:          []validator.Map{mapvalidator.ValueStringsAre(imageRefValidator{})},
		},
	}
}

// dbopsResourceSchema is harness_dbops_image_config's schema: the common attributes, and
// a typed attribute per field.
func dbopsResourceSchema(attrs map[string]schema.Attribute) schema.Schema {
	for _, f := range imageFields {
		attrs[f.attr] = schema.StringAttribute{
			MarkdownDescription: "Override of " + f.what + " (API field `" + f.api + "`): a full image reference with a " +
				"tag or digest, such as `registry.example.com/mirror/image:1.2.3`; no tag, and the tag `latest`, are errors " +
				"(they float). Remove the attribute to reset the field to the Harness default; an empty string is an error.",
			Optional:   true,
			Validators: []validator.String{imageRefValidator{}},
		}
	}
	return schema.Schema{
		MarkdownDescription: "Overrides of the images that Harness DB DevOps pipelines run (the account's execution " +
			"config). Each attribute overrides one field; fields left out keep the Harness default. Refresh reads all " +
			"overrides in one call and shows any change made outside Terraform as drift.",
		Attributes: attrs,
	}
}

// dbopsImagesDoc documents harness_dbops_image_config's images map.
const dbopsImagesDoc = "The bulk form: overrides keyed by API field name (`gitCloneTag`, as " +
	"`harness_dbops_default_images.images` is keyed), the alternative to the typed attributes. It also takes " +
	"fields Harness adds after this provider's release: a key must be a field this provider knows or one Harness " +
	"has a default for (checked at plan time; when the defaults cannot be read, a warning, and the server " +
	"decides at apply). A field may be set in the map or by its typed attribute, not both. Mirror every " +
	"default with `images = { for f, img in data.harness_dbops_default_images.d.images : f => " +
	"provider::harness::rehost_image(img, local.mirror) }`."

func (r *imageConfigResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig requires at least one image unless the resource is exclusive, where an
// empty configuration means "no override at all", and each field set in one place.
func (r *imageConfigResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m, diags := readImageConfig(ctx, r.kind, req.Config)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	for _, api := range m.Twice {
		f, _ := r.kind.field(api)
		resp.Diagnostics.AddAttributeError(path.Root("images").AtMapKey(api), "Image set twice",
			fmt.Sprintf("%s is set both by %s and by images[%q]. Set it in one place.", api, f.attr, api))
	}
	for api := range m.InMap {
		if f, ok := r.kind.field(api); ok && f.api != api {
			resp.Diagnostics.AddAttributeError(path.Root("images").AtMapKey(api), "images is keyed by API field name",
				fmt.Sprintf("%q is the name of the attribute; the images map takes the API field name: use %q.", api, f.api))
		}
	}
	if m.Exclusive.IsUnknown() || m.Exclusive.ValueBool() || m.MapUnknown || len(m.Twice) > 0 {
		return
	}
	for _, v := range m.Images {
		if !v.IsNull() {
			return
		}
	}
	resp.Diagnostics.AddError("No image to manage", r.kind.noImageHint())
}

// ModifyPlan plans unmanaged_overrides (what the apply leaves of the overrides the refresh
// found) and adds what the plan tells its reviewer (imageConfigAdvice).
func (r *imageConfigResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		warnDestroyKeeps(ctx, r.kind, req.State, resp)
		return
	}
	plan, diags := readImageConfig(ctx, r.kind, req.Plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	var state imageConfigModel
	if !creating {
		state, diags = readImageConfig(ctx, r.kind, req.State)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
	}
	plan.UnmanagedOverrides = plan.plannedUnmanaged(state, creating)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("unmanaged_overrides"), plan.UnmanagedOverrides)...)

	r.advice(plan).advise(ctx, req, plan, state, resp)
}

func (r *imageConfigResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := readImageConfig(ctx, r.kind, req.Plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	cfg := r.config(plan)
	current, err := cfg.overrides(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the "+cfg.name+" overrides", "Reading the overrides (get-customer-config)", err)
		return
	}
	desired := plan.toAPI()
	var ops []client.ConfigOperation
	for _, api := range slices.Sorted(maps.Keys(desired)) {
		v := desired[api]
		old, had := current[api]
		if had && old == v {
			continue
		}
		if had {
			resp.Diagnostics.AddAttributeWarning(plan.fieldPath(api), "Taking over an existing override",
				fmt.Sprintf("The account already overrides %s with %q; this resource now manages it and sets %q.", plan.fieldLabel(api), old, v))
		}
		ops = append(ops, client.ConfigOperation{Field: api, Value: v})
	}
	var resets []string
	others := unmanaged(current, plan.managed())
	if plan.Exclusive.ValueBool() {
		resets = slices.Sorted(maps.Keys(others))
	}
	if !apply(ctx, cfg, ops, resets, &resp.Diagnostics) {
		return
	}
	plan.ID = r.resourceID(plan)
	if plan.UnmanagedOverrides.IsUnknown() { // shared mode: the overrides the apply left alone
		plan.UnmanagedOverrides = tfkit.StringMap(others)
	}
	resp.Diagnostics.Append(plan.write(ctx, &resp.State)...)
	resp.Diagnostics.Append(setConfigIdentity(ctx, resp.Identity, plan, r.data.client.AccountID())...)
	resp.Diagnostics.Append(saveApplied(ctx, resp.Private, desired)...)
	resp.Diagnostics.Append(r.advice(plan).recordSeen(ctx, nil, plan, resp.Private)...)
	tflog.Debug(ctx, "created image config", map[string]any{"set": len(ops), "reset": len(resets), "exclusive": plan.Exclusive.ValueBool()})
}

func (r *imageConfigResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m, diags := readImageConfig(ctx, r.kind, req.State)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	cfg := r.config(m)
	overrides, err := cfg.overrides(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the "+cfg.name+" overrides", "Reading the overrides (get-customer-config)", err)
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
		m.ID = r.resourceID(m)
	}
	m.fromAPI(overrides)
	resp.Diagnostics.Append(m.write(ctx, &resp.State)...)
	resp.Diagnostics.Append(setConfigIdentity(ctx, resp.Identity, m, r.data.client.AccountID())...)
}

func (r *imageConfigResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := readImageConfig(ctx, r.kind, req.Plan)
	resp.Diagnostics.Append(diags...)
	state, diags := readImageConfig(ctx, r.kind, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setConfigIdentity(ctx, resp.Identity, plan, r.data.client.AccountID())...)
	desired := plan.toAPI()
	var ops []client.ConfigOperation
	var resets []string
	fields := append(slices.Collect(maps.Keys(desired)), state.managed()...)
	slices.Sort(fields)
	for _, api := range slices.Compact(fields) {
		v, want := desired[api]
		cur := state.Images[api]
		switch {
		case want && (cur.IsNull() || cur.ValueString() != v):
			ops = append(ops, client.ConfigOperation{Field: api, Value: v})
		case !want && !cur.IsNull():
			resets = append(resets, api)
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
	if !apply(ctx, r.config(plan), ops, resets, &resp.Diagnostics) {
		// Keep state true to the server: nothing of this update is recorded, and the next
		// refresh reads whatever part of it went through.
		resp.Diagnostics.Append(state.write(ctx, &resp.State)...)
		return
	}
	plan.ID = state.ID
	if plan.UnmanagedOverrides.IsUnknown() { // the images map was unknown at plan time
		plan.UnmanagedOverrides = plan.plannedUnmanaged(state, false)
	}
	resp.Diagnostics.Append(plan.write(ctx, &resp.State)...)
	resp.Diagnostics.Append(saveApplied(ctx, resp.Private, desired)...)
	seen, diags := req.Private.GetKey(ctx, privateSeen)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(r.advice(plan).recordSeen(ctx, seen, plan, resp.Private)...)
	tflog.Debug(ctx, "updated image config", map[string]any{"set": len(ops), "reset": len(resets)})
}

func (r *imageConfigResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := readImageConfig(ctx, r.kind, req.State)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if state.OnDestroy.ValueString() == onDestroyRetain {
		tflog.Info(ctx, "on_destroy = retain: leaving the overrides in place", map[string]any{"fields": state.managed()})
		return
	}
	cfg := r.config(state)
	exclusive, check := state.Exclusive.ValueBool(), state.managed()
	switch {
	case exclusive:
		if err := cfg.resetAll(ctx); err != nil {
			addAPIError(&resp.Diagnostics, "Unable to delete the "+cfg.name+" overrides", "The resource stays in state. Deleting every override of the "+cfg.name, err)
			return
		}
	case len(check) == 0:
		return // every managed override is already gone
	default:
		if err := cfg.reset(ctx, check); err != nil {
			addAPIError(&resp.Diagnostics, "Unable to reset the managed image overrides",
				"The resource stays in state. Resetting "+strings.Join(check, ", "), err)
			return
		}
	}
	left, err := cfg.overrides(ctx)
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
func apply(ctx context.Context, cfg execConfig, ops []client.ConfigOperation, resets []string, diags *diag.Diagnostics) bool {
	if err := cfg.update(ctx, ops); err != nil {
		addAPIError(diags, "Unable to update the image overrides", "Setting the overrides of "+opFields(ops), err)
		return false
	}
	if err := cfg.reset(ctx, resets); err != nil {
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
