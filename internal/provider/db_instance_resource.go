package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ resource.Resource                     = (*dbInstanceResource)(nil)
	_ resource.ResourceWithConfigure        = (*dbInstanceResource)(nil)
	_ resource.ResourceWithImportState      = (*dbInstanceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*dbInstanceResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*dbInstanceResource)(nil)
	_ tfkit.UnchangedPlanIsState            = (*dbInstanceResource)(nil)
)

// dbInstanceImportParts is the import ID format of a DB instance, which is also its id.
var dbInstanceImportParts = []string{"org_id", "project_id", "schema_id", "instance_id"}

// dbInstanceResource manages a DB instance: POST/GET/PUT/DELETE
// /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance[/{dbinstance}].
type dbInstanceResource struct {
	client *client.Client
	db     *dbPlan
	reads  *readCache
}

func newDBInstanceResource() resource.Resource { return &dbInstanceResource{} }

func (r *dbInstanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_instance"
}

func (r *dbInstanceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	revision := tfkit.Setting{Optional: true, Strings: tfkit.NonEmpty(),
		More: "At most one of `branch`, `commit_sha` and `git_tag` may be set, and Harness needs one when the schema's " +
			"changelog is in Git or Harness Code; switching from one to another clears the other in Harness. Harness " +
			"expressions are allowed."}
	// Pipelines move these, an update does not: the plan of an update shows them as they
	// are, and Update keeps the planned values (the next refresh reads the new ones).
	deployment := tfkit.Setting{More: "It changes when pipelines deploy, never causing a plan difference.",
		StringMods: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Harness Database DevOps **DB instance**: one database that a DB schema's changelog " +
			"is applied to, reached through a JDBC connector.\n\n" +
			"Import ID: `org_id/project_id/schema/identifier`. An instance deleted outside Terraform (or whose " +
			"schema was) is removed from state with a warning at the next refresh, and the next apply creates it " +
			"again. `last_applied_tag` and `last_deployed_change_set_tag` follow pipeline deployments and never " +
			"cause a plan difference.",
		Attributes: dbInstanceAttrs.Resource(scopeSettings(map[string]tfkit.Setting{
			"schema": {Required: true, More: tfkit.ReplaceNote, Strings: schemaIdentifierValidators(), StringMods: tfkit.ReplaceOnChange()},
			"identifier": {Required: true, More: "It " + identifierRuleMarkdown + ". " + tfkit.ReplaceNote,
				Strings: identifierValidators(), StringMods: tfkit.ReplaceOnChange()},
			"name":      {Required: true, More: "1 to 128 characters.", Strings: []validator.String{stringvalidator.UTF8LengthBetween(1, 128)}},
			"tags":      tagsSetting(),
			"connector": {Required: true, Strings: connectorRefValidators(false)},
			"context":   {Optional: true, Strings: tfkit.NonEmpty()},
			"substitute_properties": {Optional: true, Computed: true,
				More:       "Removing them from the configuration clears them in Harness.",
				MapDefault: mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				Maps:       []validator.Map{mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1))}},
			"branch":                       revision,
			"commit_sha":                   revision,
			"git_tag":                      revision,
			"created":                      {Int64Mods: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"last_applied_tag":             deployment,
			"last_deployed_change_set_tag": deployment,
		})),
	}
}

func (r *dbInstanceResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		tfkit.AtMostOneOf{"branch", "commit_sha", "git_tag"},
	}
}

func (r *dbInstanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := dataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		r.client, r.db, r.reads = d.client, &d.db, d.reads
	}
}

// dbInstanceReplacedBy are the attributes whose change replaces an instance (their plan
// modifier is RequiresReplace; TestReplacedBy keeps the two in step).
var dbInstanceReplacedBy = []string{"identifier", "org_id", "project_id", "schema"}

// ModifyPlan records the instances this plan destroys, for their schema's cascade
// warning (Terraform plans an instance's destroy before its schema's in a destroy
// plan); warns when the plan replaces an instance, which deletes its migration
// history; and checks what Harness would refuse at apply: a second resource creating
// the same instance, and a missing revision.
func (r *dbInstanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.db == nil {
		return
	}
	var prior, plan dbInstanceModel
	if resp.Diagnostics.Append(tfkit.PlanModels(ctx, req, &prior, &plan)...); resp.Diagnostics.HasError() {
		return
	}
	switch {
	case req.Plan.Raw.IsNull():
		r.db.destroys(prior.ids())
	case req.State.Raw.IsNull(): // a create, or the create half of a replacement
		if tfkit.KnownStrings(plan.OrgID, plan.ProjectID, plan.Schema, plan.Identifier) {
			r.db.checkCreate(dbInstanceKind, "a DB schema", plan.where(), instanceKey(plan.OrgID.ValueString(),
				plan.ProjectID.ValueString(), plan.Schema.ValueString(), plan.Identifier.ValueString()), &resp.Diagnostics)
		}
		r.checkRevision(ctx, plan, &resp.Diagnostics)
	default:
		if changed := tfkit.Replacing(ctx, req, dbInstanceReplacedBy, &resp.Diagnostics); len(changed) > 0 {
			r.db.destroys(prior.ids())
			resp.Diagnostics.AddWarning(fmt.Sprintf("Replacing DB instance %q deletes its migration history", prior.Identifier.ValueString()),
				fmt.Sprintf("A change of %s replaces the DB instance: Harness deletes the %s and its migration history, and "+
					"the apply creates a new instance with none. The database itself is not touched. If that is not what you "+
					"want, stop here and change the plan.", strings.Join(changed, ", "), prior.where()))
		} else if !req.Plan.Raw.Equal(req.State.Raw) {
			r.checkRevision(ctx, plan, &resp.Diagnostics)
		}
	}
}

// UnchangedPlanIsState: ModifyPlan leaves an unchanged instance alone (it acts on a
// destroy, a create, a replacement or a change), so the plan of an unchanged instance
// is its state, answered without the framework (tfkit.UnchangedPlans): a third of a
// refresh's provider CPU. A change to ModifyPlan that acts on unchanged instances
// removes this method.
func (r *dbInstanceResource) UnchangedPlanIsState() {}

// checkRevision fails the plan of an instance with none of branch, commit_sha and
// git_tag when its schema's changelog is in Git or Harness Code, which Harness refuses
// (a 400 about branch, Harness's MCP server), so that the plan fails rather than the
// apply, after the schema was created. The schema's source kind comes from its plan in
// this run or, for a schema only in Harness, from one read per schema
// (dbPlan.sourceOf); when it is not known, the plan goes on.
func (r *dbInstanceResource) checkRevision(ctx context.Context, plan dbInstanceModel, diags *diag.Diagnostics) {
	if !plan.Branch.IsNull() || !plan.CommitSHA.IsNull() || !plan.GitTag.IsNull() || !tfkit.KnownStrings(plan.OrgID, plan.ProjectID, plan.Schema) {
		return // a revision is set (or not known yet), or the schema is not known yet
	}
	where := map[string]string{sourceGit: "Git", sourceHarnessCode: "Harness Code Repository"}[r.db.sourceOf(ctx, r.client,
		plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Schema.ValueString())]
	if where == "" {
		return
	}
	diags.AddAttributeError(path.Root("branch"), "Missing changelog revision",
		fmt.Sprintf("The changelog of DB schema %q is in %s, so Harness needs to know which revision of it to apply, and "+
			"refuses the %s without one. Set branch, commit_sha or git_tag.", plan.Schema.ValueString(), where, plan.where()))
}

func (r *dbInstanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dbInstanceModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.Plan.Schema, req.Plan.Raw, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID := plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Schema.ValueString()
	r.reads.wroteInstance(org, project, schemaID, in.Identifier)
	inst, err := r.client.CreateInstance(ctx, org, project, schemaID, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, "Unable to create DB instance", "Creating "+plan.where(), "harness_dbops_db_instance",
			importID(org, project, schemaID, in.Identifier), err)
		return
	}
	tflog.Debug(ctx, "created DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": inst.Identifier})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.State, &plan)...)
	dbInstanceIdentity.set(resp.Identity, org, project, schemaID, inst.Identifier)
	addMismatches(&resp.Diagnostics, plan.where(), in.Mismatches(inst), nil)
}

func (r *dbInstanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dbInstanceModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Schema.ValueString(), state.Identifier.ValueString()
	dbInstanceIdentity.set(resp.Identity, org, project, schemaID, id) // even when gone: the framework wants one
	inst, err := r.reads.instance(ctx, org, project, schemaID, id)
	if client.IsNotFound(err) {
		// The API answers 404 for a missing instance and for a missing parent schema:
		// either way the instance is gone.
		tflog.Warn(ctx, "DB instance not found; removing it from state", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id})
		resp.Diagnostics.AddWarning("DB instance no longer exists",
			"The "+state.where()+" no longer exists in Harness; it was removed from state and will be created again on apply.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read DB instance", "Reading "+state.where(), err)
		return
	}
	resp.Diagnostics.Append(state.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.State, &state)...)
}

// Update sends the plan, as a change from the refreshed state (client
// NewInstanceUpdate: a removed value is sent empty, which clears it whether Harness
// merges or replaces a PUT), then checks that Harness's answer holds the plan.
func (r *dbInstanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dbInstanceModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.Plan.Schema, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desired, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	prior, diags := state.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Schema.ValueString(), plan.Identifier.ValueString()
	r.reads.wroteInstance(org, project, schemaID, id)
	inst, err := r.client.UpdateInstance(ctx, org, project, schemaID, id, client.NewInstanceUpdate(prior, desired))
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to update DB instance", "Updating "+plan.where(), err)
		return
	}
	tflog.Debug(ctx, "updated DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id})
	lastApplied, lastDeployed := plan.LastAppliedTag, plan.LastDeployedChangeSetTag // known in the plan: keep them
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, schemaID, inst)...)
	plan.LastAppliedTag, plan.LastDeployedChangeSetTag = lastApplied, lastDeployed
	resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.State, &plan)...)
	dbInstanceIdentity.set(resp.Identity, org, project, schemaID, id)
	addMismatches(&resp.Diagnostics, plan.where(), desired.Mismatches(inst), nil)
}

// Delete deletes the instance; one already gone (404: the instance, or its schema,
// which Harness deletes with its instances) counts as deleted.
func (r *dbInstanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dbInstanceModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Schema.ValueString(), state.Identifier.ValueString()
	r.reads.wroteInstance(org, project, schemaID, id)
	err := r.client.DeleteInstance(ctx, org, project, schemaID, id)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Unable to delete DB instance", "Deleting "+state.where(), err)
		return
	}
	tflog.Debug(ctx, "deleted DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id, "already_gone": err != nil})
}

func (r *dbInstanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := dbInstanceIdentity.importID(ctx, req)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	parts, err := parseImportID(id, dbInstanceImportParts)
	if err != nil {
		resp.Diagnostics.AddError("Invalid DB instance import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org_id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("schema"), parts[2])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("identifier"), parts[3])...)
	dbInstanceIdentity.set(resp.Identity, parts...)
}
