package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ resource.Resource                     = (*dbSchemaResource)(nil)
	_ resource.ResourceWithConfigure        = (*dbSchemaResource)(nil)
	_ resource.ResourceWithImportState      = (*dbSchemaResource)(nil)
	_ resource.ResourceWithConfigValidators = (*dbSchemaResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*dbSchemaResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*dbSchemaResource)(nil)
)

// dbSchemaCreatedNote is what `created` means to a configuration: Harness deletes a
// schema's instances with it, so an instance that names `created` in
// replace_triggered_by is replaced with its schema, and one apply converges.
const dbSchemaCreatedNote = "It changes exactly when the schema is replaced, and is unknown in a plan that replaces it: " +
	"name it in the `lifecycle.replace_triggered_by` of each `harness_dbops_db_instance` of the schema, so that a plan " +
	"that replaces the schema (which deletes its instances in Harness) shows them replaced too, and one apply re-creates them."

// dbSchemaBlocks maps the API names of the schema's source blocks to their attributes.
var dbSchemaBlocks = map[string]string{"changelog": "schema_source", "changeLogScript": "changelog_script"}

// dbSchemaImportParts is the import ID format of a DB schema, which is also its id.
var dbSchemaImportParts = []string{"org_id", "project_id", "schema_id"}

// dbSchemaResource manages a DB schema: POST/GET/PUT/DELETE
// /v1/orgs/{org}/projects/{project}/dbschema[/{dbschema}].
type dbSchemaResource struct {
	client *client.Client
	db     *dbPlan
	reads  *readCache
}

func newDBSchemaResource() resource.Resource { return &dbSchemaResource{} }

func (r *dbSchemaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_schema"
}

func (r *dbSchemaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	required, optional := tfkit.Setting{Required: true, Strings: tfkit.NonEmpty()}, tfkit.Setting{Optional: true, Strings: tfkit.NonEmpty()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Harness Database DevOps **DB schema**: where the changelog of a database lives " +
			"(a Git or Harness Code repository, an Artifactory archive, or a script that fetches it) and which " +
			"migration tool applies it. Exactly one of `schema_source` and `changelog_script` must be set.\n\n" +
			"Import ID: `org_id/project_id/identifier`. A schema deleted outside Terraform is removed from state " +
			"with a warning at the next refresh, and the next apply creates it again. Deleting a schema deletes its " +
			"DB instances and their migration history in Harness too; a plan that destroys or replaces a schema with " +
			"instances says so in a warning.",
		Attributes: dbSchemaAttrs.Resource(scopeSettings(map[string]tfkit.Setting{
			"identifier": {Required: true, More: "It " + identifierRuleMarkdown + ". `overview` is reserved by the API. " + tfkit.ReplaceNote,
				Strings: schemaIdentifierValidators(), StringMods: tfkit.ReplaceOnChange()},
			"name": {Required: true, More: "1 to 128 characters.", Strings: []validator.String{stringvalidator.UTF8LengthBetween(1, 128)}},
			"tags": tagsSetting(),
			"service": {Optional: true, Strings: tfkit.NonEmpty(),
				More: "Must not be empty when set; removing it from the configuration clears it in Harness."},
			"migration_type": {Optional: true, Computed: true, More: "Default `Liquibase`. The API cannot change it on an " +
				"existing schema. " + tfkit.ReplaceNote, StringDefault: stringdefault.StaticString("Liquibase"),
				Strings: []validator.String{stringvalidator.OneOf("Liquibase", "Flyway")}, StringMods: tfkit.ReplaceOnChange()},
			"use_percona": {Optional: true, Computed: true, More: "Default `false`.", BoolDefault: booldefault.StaticBool(false)},
			"type":        {More: "Known at plan time.", StringMods: []planmodifier.String{schemaTypeFromSource{}}},
			"schema_source": {Optional: true, More: "Conflicts with `changelog_script`.", Nested: map[string]tfkit.Setting{
				"connector":    {Optional: true, Strings: connectorRefValidators(true)},
				"repo":         optional,
				"location":     required,
				"archive_path": optional,
				"toml":         optional,
			}},
			"changelog_script": {Optional: true, More: "Conflicts with `schema_source`.", Nested: map[string]tfkit.Setting{
				"image": required, "command": required, "toml": optional,
				// The API requires these keys, not a value (AE ChangeLogScript): a schema
				// made in Harness with "" must import into a configuration that says so.
				"shell":    {Required: true, More: "May be empty (`\"\"`), as Harness allows."},
				"location": {Required: true, More: "May be empty (`\"\"`), as Harness allows."},
			}},
			// Unknown in any plan that replaces the schema (Terraform plans the new object from a
			// null prior state), known and unchanged otherwise: instances name it in
			// replace_triggered_by to be replaced with their schema (dbSchemaCreatedNote).
			"created": {More: dbSchemaCreatedNote, Int64Mods: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			// Instances move it, an update does not: Update keeps the planned value.
			"instance_count": {Int64Mods: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"schema_source_type": {StringMods: []planmodifier.String{
				tfkit.UseStateWhenUnchanged{Paths: []path.Path{path.Root("schema_source"), path.Root("changelog_script")}},
			}},
			"parent_id": {StringMods: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
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
// modifier is RequiresReplace; TestReplacedBy keeps the two in step).
var dbSchemaReplacedBy = []string{"identifier", "migration_type", "org_id", "project_id"}

// ModifyPlan warns when the plan destroys or replaces a schema that has DB instances:
// Harness deletes them and their migration history with it (Harness's MCP server). It
// also records in r.db, for the instances Terraform plans after their schema, the
// schema's source kind, and refuses a second resource that creates the same schema.
func (r *dbSchemaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.db == nil {
		return
	}
	var prior, plan dbSchemaModel
	if resp.Diagnostics.Append(tfkit.PlanModels(ctx, req, &prior, &plan)...); resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		r.warnCascade(ctx, prior, "Destroying", &resp.Diagnostics)
		return
	}
	if org, project, id := plan.OrgID, plan.ProjectID, plan.Identifier; tfkit.KnownStrings(org, project, id) {
		r.db.plansSchema(org.ValueString(), project.ValueString(), id.ValueString(), plan.sourceKind())
		if req.State.Raw.IsNull() {
			r.db.checkCreate(dbSchemaKind, "a project", plan.where(), schemaKey(org.ValueString(), project.ValueString(), id.ValueString()), &resp.Diagnostics)
		}
	}
	if req.State.Raw.IsNull() {
		return
	}
	if len(tfkit.Replacing(ctx, req, dbSchemaReplacedBy, &resp.Diagnostics)) > 0 {
		r.warnCascade(ctx, prior, "Replacing", &resp.Diagnostics)
	}
}

// maxNamed is how many instances a cascade warning names; it counts them all.
const maxNamed = 20

// warnCascade warns that destroying or replacing the schema deletes its DB instances,
// as Harness holds them now: the state's instance_count is only as fresh as the last
// refresh, and Terraform 1.11 plans the destroy of a resource removed from the
// configuration before it refreshes it (NodePlannableResourceInstanceOrphan). The
// instances this plan destroys on their own are left out. This costs one list call,
// in these two paths only.
func (r *dbSchemaResource) warnCascade(ctx context.Context, prior dbSchemaModel, verb string, diags *diag.Diagnostics) {
	org, project, id := prior.OrgID.ValueString(), prior.ProjectID.ValueString(), prior.Identifier.ValueString()
	insts, err := r.client.ListInstances(ctx, org, project, id, client.ListInstancesOptions{})
	if client.IsNotFound(err) {
		return // gone already, and its instances with it
	}
	if err != nil {
		n := int(prior.InstanceCount.ValueInt64())
		diags.AddWarning(fmt.Sprintf("%s DB schema %q deletes its DB instances", verb, id),
			fmt.Sprintf("Harness deletes a DB schema's DB instances and their migration history with it. %s At the last "+
				"refresh the schema had %d %s. If that is not what you want, stop here and change the plan.",
				apiErrorDetail("Listing the DB instances of the "+prior.where(), err), n, plural(n, "DB instance", "DB instances")))
		return
	}
	var left []string
	for _, in := range insts {
		if !r.db.isDestroyed(org, project, id, in.Identifier) {
			left = append(left, in.Identifier)
		}
	}
	if len(left) == 0 {
		return
	}
	slices.Sort(left)
	named := strings.Join(left[:min(len(left), maxNamed)], ", ")
	if len(left) > maxNamed {
		named += fmt.Sprintf(" and %d more", len(left)-maxNamed)
	}
	count := fmt.Sprintf("%d %s", len(left), plural(len(left), "DB instance", "DB instances"))
	detail := fmt.Sprintf("Harness deletes a DB schema's DB instances, and their migration history, with the schema. "+
		"%s the %s deletes %s that Harness holds now: %s.", verb, prior.where(), count, named)
	if n := len(insts) - len(left); n > 0 {
		detail += fmt.Sprintf(" (%d more, which this plan destroys on their own, are not counted.)", n)
	}
	switch verb {
	case "Destroying":
		detail += " An instance whose own destroy Terraform plans after this schema's is listed too: it plans the " +
			"resources removed from a configuration in no set order."
	case "Replacing":
		detail += " This apply re-creates only the instances whose resource names harness_dbops_db_schema.<name>.created " +
			"in lifecycle.replace_triggered_by (the plan then shows them replaced); the others that Terraform manages " +
			"come back at the next apply."
	}
	diags.AddWarning(fmt.Sprintf("%s DB schema %q deletes %s", verb, id, count),
		detail+" The databases themselves are not touched. If that is not what you want, stop here and change the plan.")
}

func (r *dbSchemaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := dataFrom(req.ProviderData, &resp.Diagnostics); d != nil {
		r.client, r.db, r.reads = d.client, &d.db, d.reads
	}
}

func (r *dbSchemaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dbSchemaModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.Plan.Schema, req.Plan.Raw, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project := plan.OrgID.ValueString(), plan.ProjectID.ValueString()
	r.reads.wroteSchema(org, project, in.Identifier)
	s, err := r.client.CreateSchema(ctx, org, project, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, "Unable to create DB schema", "Creating "+plan.where(), "harness_dbops_db_schema",
			importID(org, project, in.Identifier), err)
		return
	}
	tflog.Debug(ctx, "created DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": s.Identifier})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.State, &plan)...)
	dbSchemaIdentity.set(resp.Identity, org, project, s.Identifier)
	addMismatches(&resp.Diagnostics, plan.where(), in.Mismatches(s), dbSchemaBlocks)
}

func (r *dbSchemaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dbSchemaModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Identifier.ValueString()
	dbSchemaIdentity.set(resp.Identity, org, project, id) // even when gone: the framework wants one
	s, err := r.reads.schema(ctx, org, project, id)
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
	resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.State, &state)...)
}

// Update sends the plan, as a change from the refreshed state (client NewSchemaUpdate:
// a removed value is sent empty, which clears it whether Harness merges or replaces a
// PUT), then checks that Harness's answer holds the plan.
func (r *dbSchemaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dbSchemaModel
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
	org, project, id := plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Identifier.ValueString()
	r.reads.wroteSchema(org, project, id)
	s, err := r.client.UpdateSchema(ctx, org, project, id, client.NewSchemaUpdate(prior, desired))
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to update DB schema", "Updating "+plan.where(), err)
		return
	}
	tflog.Debug(ctx, "updated DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id})
	instances := plan.InstanceCount // known in the plan: keep it (the next refresh reads the new one)
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, s)...)
	plan.InstanceCount = instances
	resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.State, &plan)...)
	dbSchemaIdentity.set(resp.Identity, org, project, id)
	addMismatches(&resp.Diagnostics, plan.where(), desired.Mismatches(s), dbSchemaBlocks)
}

func (r *dbSchemaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dbSchemaModel
	resp.Diagnostics.Append(tfkit.GetModel(ctx, req.State.Schema, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Identifier.ValueString()
	r.reads.wroteSchema(org, project, id)
	err := r.client.DeleteSchema(ctx, org, project, id)
	if err != nil && !client.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Unable to delete DB schema", "Deleting "+state.where(), err)
		return
	}
	tflog.Debug(ctx, "deleted DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id, "already_gone": err != nil})
}

func (r *dbSchemaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := dbSchemaIdentity.importID(ctx, req)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	parts, err := parseImportID(id, dbSchemaImportParts)
	if err != nil {
		resp.Diagnostics.AddError("Invalid DB schema import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("org_id"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("identifier"), parts[2])...)
	dbSchemaIdentity.set(resp.Identity, parts...)
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
