package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
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
)

var (
	_ resource.Resource                     = (*dbInstanceResource)(nil)
	_ resource.ResourceWithConfigure        = (*dbInstanceResource)(nil)
	_ resource.ResourceWithImportState      = (*dbInstanceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*dbInstanceResource)(nil)
)

// dbInstanceImportParts is the import ID format of a DB instance, which is also its id.
var dbInstanceImportParts = []string{"org_id", "project_id", "schema_id", "instance_id"}

// dbInstanceResource manages a DB instance: POST/GET/PUT/DELETE
// /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance[/{dbinstance}].
type dbInstanceResource struct {
	client *client.Client
}

func newDBInstanceResource() resource.Resource { return &dbInstanceResource{} }

// dbInstanceModel is the resource's state; the data sources use it too, since they
// expose the same attributes.
type dbInstanceModel struct {
	ID                       types.String `tfsdk:"id"`
	OrgID                    types.String `tfsdk:"org_id"`
	ProjectID                types.String `tfsdk:"project_id"`
	Schema                   types.String `tfsdk:"schema"`
	Identifier               types.String `tfsdk:"identifier"`
	Name                     types.String `tfsdk:"name"`
	Tags                     types.Map    `tfsdk:"tags"`
	Connector                types.String `tfsdk:"connector"`
	Context                  types.String `tfsdk:"context"`
	SubstituteProperties     types.Map    `tfsdk:"substitute_properties"`
	Branch                   types.String `tfsdk:"branch"`
	CommitSHA                types.String `tfsdk:"commit_sha"`
	GitTag                   types.String `tfsdk:"git_tag"`
	Created                  types.Int64  `tfsdk:"created"`
	Updated                  types.Int64  `tfsdk:"updated"`
	LastAppliedTag           types.String `tfsdk:"last_applied_tag"`
	LastDeployedChangeSetTag types.String `tfsdk:"last_deployed_change_set_tag"`
}

// dbInstanceAttrTypes is the object type of dbInstanceModel, for the list data source.
var dbInstanceAttrTypes = attrTypes(dbInstanceDataSourceAttributes(false))

// toAPI builds the create body from a plan whose configured values are all known.
func (m dbInstanceModel) toAPI(ctx context.Context) (client.InstanceInput, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	in := client.InstanceInput{
		Identifier: m.Identifier.ValueString(),
		Name:       m.Name.ValueString(),
		Branch:     m.Branch.ValueString(),
		CommitSHA:  m.CommitSHA.ValueString(),
		GitTag:     m.GitTag.ValueString(),
		Connector:  m.Connector.ValueString(),
		Context:    m.Context.ValueString(),
	}
	in.Tags, d = mapToAPI(ctx, m.Tags)
	diags.Append(d...)
	in.SubstituteProperties, d = mapToAPI(ctx, m.SubstituteProperties)
	diags.Append(d...)
	return in, diags
}

// fromAPI sets every attribute from the API's answer; empty strings become null.
func (m *dbInstanceModel) fromAPI(_ context.Context, org, project, schemaID string, in *client.Instance) diag.Diagnostics {
	m.ID = types.StringValue(importID(org, project, schemaID, in.Identifier))
	m.OrgID = types.StringValue(org)
	m.ProjectID = types.StringValue(project)
	m.Schema = types.StringValue(schemaID)
	m.Identifier = types.StringValue(in.Identifier)
	m.Name = types.StringValue(in.Name)
	m.Connector = types.StringValue(in.Connector)
	m.Context = optionalString(in.Context)
	m.Branch = optionalString(in.Branch)
	m.CommitSHA = optionalString(in.CommitSHA)
	m.GitTag = optionalString(in.GitTag)
	m.Created = types.Int64Value(in.Created)
	m.Updated = types.Int64Value(in.Updated)
	m.LastAppliedTag = optionalString(in.LastAppliedTag)
	m.LastDeployedChangeSetTag = optionalString(in.LastDeployedChangeSetTag)
	m.Tags = stringMap(in.Tags)
	m.SubstituteProperties = stringMap(in.SubstituteProperties)
	return nil
}

func (r *dbInstanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_instance"
}

func (r *dbInstanceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	revision := func(what, api string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: what + " (`" + api + "`). At most one of `branch`, `commit_sha` and `git_tag` may " +
				"be set, and Harness needs one when the schema's changelog is in Git or Harness Code; switching from " +
				"one to another clears the other in Harness. Harness expressions are allowed.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Harness Database DevOps **DB instance**: one database that a DB schema's changelog " +
			"is applied to, reached through a JDBC connector.\n\n" +
			"Import ID: `org_id/project_id/schema/identifier`. An instance deleted outside Terraform (or whose " +
			"schema was) is removed from state with a warning at the next refresh, and the next apply creates it " +
			"again. `last_applied_tag` and `last_deployed_change_set_tag` follow pipeline deployments and never " +
			"cause a plan difference.",
		Attributes: withScopeAttributes("`org_id/project_id/schema/identifier`, the same format as the import ID.", map[string]schema.Attribute{
			"schema": schema.StringAttribute{
				MarkdownDescription: "Identifier of the parent DB schema (path `{dbschema}`)." + replaceNote,
				Required:            true,
				Validators:          schemaIdentifierValidators(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"identifier": schema.StringAttribute{
				MarkdownDescription: "Identifier of the DB instance (`identifier`): it " + identifierRuleMarkdown + "." + replaceNote,
				Required:            true,
				Validators:          identifierValidators(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Display name (`name`), 1 to 128 characters.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 128)},
			},
			"tags": tagsResourceAttribute("Tags (`tags`): at most 128, each value at most 128 characters. " +
				"Removing them from the configuration clears them in Harness."),
			"connector": schema.StringAttribute{
				MarkdownDescription: "Reference of the JDBC connector that reaches the database (`connector`), such as " +
					"`my_jdbc`, `org.my_jdbc` or `account.my_jdbc`.",
				Required:   true,
				Validators: connectorRefValidators(false),
			},
			"context": schema.StringAttribute{
				MarkdownDescription: "Liquibase context that selects the changesets to apply (`context`).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"substitute_properties": schema.MapAttribute{
				MarkdownDescription: "Placeholders replaced in the migration scripts, passed to every Liquibase " +
					"command (`substituteProperties`). Removing them from the configuration clears them in Harness.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				Validators:  []validator.Map{mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1))},
			},
			"branch":     revision("Git branch the changelog is read from", "branch"),
			"commit_sha": revision("Git commit the changelog is pinned to", "commitSha"),
			"git_tag":    revision("Git tag the changelog is pinned to", "gitTag"),
			"created": schema.Int64Attribute{
				MarkdownDescription: "Creation time, in epoch seconds (`created`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"updated": schema.Int64Attribute{
				MarkdownDescription: "Last update time, in epoch seconds (`updated`).",
				Computed:            true,
			},
			"last_applied_tag": schema.StringAttribute{
				MarkdownDescription: "Most recent tag applied to the database by a pipeline (`lastAppliedTag`); null " +
					"until one is. It changes when pipelines deploy, never causing a plan difference.",
				Computed: true,
			},
			"last_deployed_change_set_tag": schema.StringAttribute{
				MarkdownDescription: "Tag of the last changeset a pipeline deployed (`lastDeployedChangeSetTag`); null " +
					"until one is. It changes when pipelines deploy, never causing a plan difference.",
				Computed: true,
			},
		}),
	}
}

func (r *dbInstanceResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("branch"), path.MatchRoot("commit_sha"), path.MatchRoot("git_tag")),
	}
}

func (r *dbInstanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *dbInstanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dbInstanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID := plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Schema.ValueString()
	inst, err := r.client.CreateInstance(ctx, org, project, schemaID, in)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create DB instance", dbInstanceDetail("Creating", org, project, schemaID, in.Identifier, err))
		return
	}
	tflog.Debug(ctx, "created DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": inst.Identifier})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	addMismatches(&resp.Diagnostics, dbInstanceName(schemaID, in.Identifier), in.Mismatches(inst), nil)
}

func (r *dbInstanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dbInstanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Schema.ValueString(), state.Identifier.ValueString()
	inst, err := r.client.GetInstance(ctx, org, project, schemaID, id)
	if client.IsNotFound(err) {
		// The API answers 404 for a missing instance and for a missing parent schema:
		// either way the instance is gone.
		tflog.Warn(ctx, "DB instance not found; removing it from state", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id})
		resp.Diagnostics.AddWarning("DB instance no longer exists",
			fmt.Sprintf("DB instance %q of schema %q (org %q, project %q) no longer exists in Harness; it was removed "+
				"from state and will be created again on apply.", id, schemaID, org, project))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read DB instance", dbInstanceDetail("Reading", org, project, schemaID, id, err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update sends what changed from the refreshed state to the plan (client
// NewInstanceUpdate: the API merges a PUT, so a removed value is sent empty to clear
// it), then checks that Harness's answer holds the plan.
func (r *dbInstanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dbInstanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
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
	inst, err := r.client.UpdateInstance(ctx, org, project, schemaID, id, client.NewInstanceUpdate(prior, desired))
	if err != nil {
		resp.Diagnostics.AddError("Unable to update DB instance", dbInstanceDetail("Updating", org, project, schemaID, id, err))
		return
	}
	tflog.Debug(ctx, "updated DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	addMismatches(&resp.Diagnostics, dbInstanceName(schemaID, id), desired.Mismatches(inst), nil)
}

func (r *dbInstanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dbInstanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Schema.ValueString(), state.Identifier.ValueString()
	fields := map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id}
	err := r.client.DeleteInstance(ctx, org, project, schemaID, id)
	if client.IsNotFound(err) {
		tflog.Debug(ctx, "DB instance already deleted", fields)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to delete DB instance", dbInstanceDetail("Deleting", org, project, schemaID, id, err))
		return
	}
	tflog.Debug(ctx, "deleted DB instance", fields)
}

func (r *dbInstanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, err := parseImportID(req.ID, dbInstanceImportParts)
	if err != nil {
		resp.Diagnostics.AddError("Invalid DB instance import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org_id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("schema"), parts[2])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("identifier"), parts[3])...)
}

func dbInstanceName(schemaID, id string) string {
	return fmt.Sprintf("DB instance %q of schema %q", id, schemaID)
}

func dbInstanceDetail(verb, org, project, schemaID, id string, err error) string {
	return fmt.Sprintf("%s DB instance %q of schema %q in org %q, project %q failed: %s", verb, id, schemaID, org, project, err)
}
