package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

var (
	_ resource.Resource                     = (*dbSchemaResource)(nil)
	_ resource.ResourceWithConfigure        = (*dbSchemaResource)(nil)
	_ resource.ResourceWithImportState      = (*dbSchemaResource)(nil)
	_ resource.ResourceWithConfigValidators = (*dbSchemaResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*dbSchemaResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*dbSchemaResource)(nil)
)

// dbSchemaBlocks maps the API names of the schema's source blocks to their attributes.
var dbSchemaBlocks = map[string]string{"changelog": "schema_source", "changeLogScript": "changelog_script"}

// dbSchemaImportParts is the import ID format of a DB schema, which is also its id.
var dbSchemaImportParts = []string{"org_id", "project_id", "schema_id"}

// dbSchemaResource manages a DB schema: POST/GET/PUT/DELETE
// /v1/orgs/{org}/projects/{project}/dbschema[/{dbschema}].
type dbSchemaResource struct {
	client *client.Client
}

func newDBSchemaResource() resource.Resource { return &dbSchemaResource{} }

func (r *dbSchemaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_schema"
}

func (r *dbSchemaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	required, optional := setting{required: true, strings: nonEmpty()}, setting{optional: true, strings: nonEmpty()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Harness Database DevOps **DB schema**: where the changelog of a database lives " +
			"(a Git or Harness Code repository, an Artifactory archive, or a script that fetches it) and which " +
			"migration tool applies it. Exactly one of `schema_source` and `changelog_script` must be set.\n\n" +
			"Import ID: `org_id/project_id/identifier`. A schema deleted outside Terraform is removed from state " +
			"with a warning at the next refresh, and the next apply creates it again. Deleting a schema deletes its " +
			"DB instances and their migration history in Harness too; a plan that destroys or replaces a schema with " +
			"instances says so in a warning.",
		Attributes: dbSchemaAttrs.resource(scopeSettings(map[string]setting{
			"identifier": {required: true, more: "It " + identifierRuleMarkdown + ". `overview` is reserved by the API. " + replaceNote,
				strings: schemaIdentifierValidators(), stringMods: replaceOnChange()},
			"name": {required: true, more: "1 to 128 characters.", strings: []validator.String{stringvalidator.UTF8LengthBetween(1, 128)}},
			"tags": tagsSetting(),
			"service": {optional: true, strings: nonEmpty(),
				more: "Must not be empty when set; removing it from the configuration clears it in Harness."},
			"migration_type": {optional: true, computed: true, more: "Default `Liquibase`. The API cannot change it on an " +
				"existing schema. " + replaceNote, stringDefault: stringdefault.StaticString("Liquibase"),
				strings: []validator.String{stringvalidator.OneOf("Liquibase", "Flyway")}, stringMods: replaceOnChange()},
			"use_percona": {optional: true, computed: true, more: "Default `false`.", boolDefault: booldefault.StaticBool(false)},
			"type":        {more: "Known at plan time.", stringMods: []planmodifier.String{schemaTypeFromSource{}}},
			"schema_source": {optional: true, more: "Conflicts with `changelog_script`.", nested: map[string]setting{
				"connector":    {optional: true, strings: connectorRefValidators(true)},
				"repo":         optional,
				"location":     required,
				"archive_path": optional,
				"toml":         optional,
			}},
			"changelog_script": {optional: true, more: "Conflicts with `schema_source`.", nested: map[string]setting{
				"image": required, "command": required, "toml": optional,
				// The API requires these keys, not a value (AE ChangeLogScript): a schema
				// made in Harness with "" must import into a configuration that says so.
				"shell":    {required: true, more: "May be empty (`\"\"`), as Harness allows."},
				"location": {required: true, more: "May be empty (`\"\"`), as Harness allows."},
			}},
			"created": {int64Mods: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			// Instances move it, an update does not: Update keeps the planned value.
			"instance_count": {int64Mods: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"schema_source_type": {stringMods: []planmodifier.String{
				useStateWhenUnchanged{paths: []path.Path{path.Root("schema_source"), path.Root("changelog_script")}},
			}},
			"parent_id": {stringMods: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		})),
	}
}

func (r *dbSchemaResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("schema_source"), path.MatchRoot("changelog_script")),
	}
}

// ValidateConfig refuses at plan time a Harness Code Repository source (no connector)
// without repo, which Harness refuses (both providers' docs; the API answers 400).
func (r *dbSchemaResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var src types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("schema_source"), &src)...)
	if resp.Diagnostics.HasError() || src.IsNull() || src.IsUnknown() {
		return
	}
	var m dbSchemaSourceModel
	resp.Diagnostics.Append(src.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	if resp.Diagnostics.HasError() || m.Connector.IsUnknown() || m.Repo.IsUnknown() {
		return
	}
	if m.Connector.ValueString() == "" && m.Repo.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("schema_source").AtName("repo"), "Missing repository for Harness Code",
			"schema_source has no connector, which means Harness Code Repository, and Harness needs the repository "+
				"name then. Set schema_source.repo, or set schema_source.connector to a Git or Artifactory connector.")
	}
}

// dbSchemaReplacedBy are the attributes whose change replaces a schema (their plan
// modifier is RequiresReplace; TestDBSchemaReplacedBy keeps the two in step). The
// framework does not tell ModifyPlan which attributes require replacement.
var dbSchemaReplacedBy = []string{"identifier", "migration_type", "org_id", "project_id"}

// ModifyPlan warns when the plan destroys or replaces a schema that has DB instances:
// Harness deletes them and their migration history with it (Harness's MCP server).
func (r *dbSchemaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	verb := "Destroying"
	if !req.Plan.Raw.IsNull() {
		verb = ""
		for _, name := range dbSchemaReplacedBy {
			var planned, prior types.String
			resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(name), &planned)...)
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), &prior)...)
			if !planned.Equal(prior) {
				verb = "Replacing"
			}
		}
	}
	var count types.Int64
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("instance_count"), &count)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("identifier"), &id)...)
	if resp.Diagnostics.HasError() || verb == "" || count.ValueInt64() <= 0 {
		return
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("%s DB schema %q deletes its %d DB instance(s)", verb, id.ValueString(), count.ValueInt64()),
		fmt.Sprintf("Harness deletes a DB schema's DB instances and their migration history with it: %s DB schema %q "+
			"deletes its %d DB instance(s) as they were at the last refresh, whether Terraform manages them or not. "+
			"The databases themselves are not touched. If that is not what you want, stop here and change the plan.",
			strings.ToLower(verb), id.ValueString(), count.ValueInt64()))
}

func (r *dbSchemaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *dbSchemaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dbSchemaModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Schema, req.Plan.Raw, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project := plan.OrgID.ValueString(), plan.ProjectID.ValueString()
	s, err := r.client.CreateSchema(ctx, org, project, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, "Unable to create DB schema", "Creating "+plan.where(), "harness_dbops_db_schema",
			importID(org, project, in.Identifier), err)
		return
	}
	tflog.Debug(ctx, "created DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": s.Identifier})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(setModel(ctx, &resp.State, &plan)...)
	addMismatches(&resp.Diagnostics, plan.where(), in.Mismatches(s), dbSchemaBlocks)
}

func (r *dbSchemaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dbSchemaModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Identifier.ValueString()
	s, err := r.client.GetSchema(ctx, org, project, id)
	if client.IsNotFound(err) {
		tflog.Warn(ctx, "DB schema not found; removing it from state", map[string]any{"org_id": org, "project_id": project, "identifier": id})
		resp.Diagnostics.AddWarning("DB schema no longer exists",
			"The "+state.where()+" no longer exists in Harness; it was removed from state and will be created again on apply.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read DB schema", "Reading "+state.where(), err)
		return
	}
	resp.Diagnostics.Append(state.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(setModel(ctx, &resp.State, &state)...)
}

// Update sends the plan, as a change from the refreshed state (client NewSchemaUpdate:
// a removed value is sent empty, which clears it whether Harness merges or replaces a
// PUT), then checks that Harness's answer holds the plan.
func (r *dbSchemaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dbSchemaModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan.Schema, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State.Schema, req.State.Raw, &state)...)
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
	org, project, id := plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Identifier.ValueString()
	s, err := r.client.UpdateSchema(ctx, org, project, id, client.NewSchemaUpdate(prior, desired))
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to update DB schema", "Updating "+plan.where(), err)
		return
	}
	tflog.Debug(ctx, "updated DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id})
	instances := plan.InstanceCount // known in the plan: keep it (the next refresh reads the new one)
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, s)...)
	plan.InstanceCount = instances
	resp.Diagnostics.Append(setModel(ctx, &resp.State, &plan)...)
	addMismatches(&resp.Diagnostics, plan.where(), desired.Mismatches(s), dbSchemaBlocks)
}

func (r *dbSchemaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dbSchemaModel
	resp.Diagnostics.Append(getModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Identifier.ValueString()
	err := r.client.DeleteSchema(ctx, org, project, id)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Unable to delete DB schema", "Deleting "+state.where(), err)
		return
	}
	tflog.Debug(ctx, "deleted DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id, "already_gone": err != nil})
}

func (r *dbSchemaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, err := parseImportID(req.ID, dbSchemaImportParts)
	if err != nil {
		resp.Diagnostics.AddError("Invalid DB schema import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org_id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("identifier"), parts[2])...)
}

// schemaTypeFromSource computes `type` at plan time from the source attribute that is
// set, so that the plan shows it instead of "known after apply".
type schemaTypeFromSource struct{}

var _ planmodifier.String = schemaTypeFromSource{}

func (schemaTypeFromSource) Description(context.Context) string {
	return "Repository when schema_source is set, Script when changelog_script is set."
}

func (m schemaTypeFromSource) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (schemaTypeFromSource) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	var src, scr types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("schema_source"), &src)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("changelog_script"), &scr)...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case !src.IsNull() && !src.IsUnknown():
		resp.PlanValue = types.StringValue(schemaTypeRepository)
	case !scr.IsNull() && !scr.IsUnknown():
		resp.PlanValue = types.StringValue(schemaTypeScript)
	}
}
