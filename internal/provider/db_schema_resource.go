package provider

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
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

const (
	schemaTypeRepository = "Repository"
	schemaTypeScript     = "Script"
)

// dbSchemaImportParts is the import ID format of a DB schema, which is also its id.
var dbSchemaImportParts = []string{"org_id", "project_id", "schema_id"}

// dbSchemaResource manages a DB schema: POST/GET/PUT/DELETE
// /v1/orgs/{org}/projects/{project}/dbschema[/{dbschema}].
type dbSchemaResource struct {
	client *client.Client
}

func newDBSchemaResource() resource.Resource { return &dbSchemaResource{} }

// dbSchemaModel is the resource's state; the data sources use it too, since they
// expose the same attributes.
type dbSchemaModel struct {
	ID               types.String `tfsdk:"id"`
	OrgID            types.String `tfsdk:"org_id"`
	ProjectID        types.String `tfsdk:"project_id"`
	Identifier       types.String `tfsdk:"identifier"`
	Name             types.String `tfsdk:"name"`
	Tags             types.Map    `tfsdk:"tags"`
	Service          types.String `tfsdk:"service"`
	MigrationType    types.String `tfsdk:"migration_type"`
	UsePercona       types.Bool   `tfsdk:"use_percona"`
	Type             types.String `tfsdk:"type"`
	SchemaSource     types.Object `tfsdk:"schema_source"`
	ChangelogScript  types.Object `tfsdk:"changelog_script"`
	Created          types.Int64  `tfsdk:"created"`
	Updated          types.Int64  `tfsdk:"updated"`
	InstanceCount    types.Int64  `tfsdk:"instance_count"`
	SchemaSourceType types.String `tfsdk:"schema_source_type"`
	ParentID         types.String `tfsdk:"parent_id"`
}

// dbSchemaSourceModel is schema_source, the API's `changelog`.
type dbSchemaSourceModel struct {
	Connector   types.String `tfsdk:"connector"`
	Repo        types.String `tfsdk:"repo"`
	Location    types.String `tfsdk:"location"`
	ArchivePath types.String `tfsdk:"archive_path"`
	TOML        types.String `tfsdk:"toml"`
}

// dbChangelogScriptModel is changelog_script, the API's `changeLogScript`.
type dbChangelogScriptModel struct {
	Image    types.String `tfsdk:"image"`
	Command  types.String `tfsdk:"command"`
	Shell    types.String `tfsdk:"shell"`
	Location types.String `tfsdk:"location"`
	TOML     types.String `tfsdk:"toml"`
}

// The object types of the models follow from the data source's attributes, which are
// the resource's, so there is one description of the shape.
var (
	dbSchemaAttrTypes          = attrTypes(dbSchemaDataSourceAttributes(false))
	dbSchemaSourceAttrTypes    = nestedAttrTypes(dbSchemaAttrTypes, "schema_source")
	dbChangelogScriptAttrTypes = nestedAttrTypes(dbSchemaAttrTypes, "changelog_script")
)

// toAPI builds the create body from a plan whose configured values are all known.
func (m dbSchemaModel) toAPI(ctx context.Context) (client.SchemaInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := client.SchemaInput{
		Identifier:    m.Identifier.ValueString(),
		Name:          m.Name.ValueString(),
		Service:       m.Service.ValueString(),
		MigrationType: m.MigrationType.ValueString(),
		UsePercona:    m.UsePercona.ValueBool(),
	}
	in.Tags, diags = mapToAPI(ctx, m.Tags)
	if !m.SchemaSource.IsNull() && !m.SchemaSource.IsUnknown() {
		var src dbSchemaSourceModel
		diags.Append(m.SchemaSource.As(ctx, &src, basetypes.ObjectAsOptions{})...)
		in.Type = schemaTypeRepository
		// An absent or empty connector means Harness Code Repository; it is always
		// sent, because the API keeps the stored connector when the key is absent.
		in.Changelog = &client.Changelog{
			Connector:   src.Connector.ValueString(),
			Repo:        src.Repo.ValueString(),
			Location:    src.Location.ValueString(),
			ArchivePath: src.ArchivePath.ValueString(),
			TOML:        src.TOML.ValueString(),
		}
	}
	if !m.ChangelogScript.IsNull() && !m.ChangelogScript.IsUnknown() {
		var scr dbChangelogScriptModel
		diags.Append(m.ChangelogScript.As(ctx, &scr, basetypes.ObjectAsOptions{})...)
		in.Type = schemaTypeScript
		in.ChangeLogScript = &client.ChangeLogScript{
			Image:    scr.Image.ValueString(),
			Command:  scr.Command.ValueString(),
			Shell:    scr.Shell.ValueString(),
			Location: scr.Location.ValueString(),
			TOML:     scr.TOML.ValueString(),
		}
	}
	return in, diags
}

// fromAPI sets every attribute from the API's answer. Empty optional strings become
// null, except schema_source.connector, where "" means Harness Code Repository: it
// keeps the form ("" or null) that m held before, so that both configurations are
// stable and an import (which has no prior form) gives null.
func (m *dbSchemaModel) fromAPI(ctx context.Context, org, project string, s *client.Schema) diag.Diagnostics {
	var diags diag.Diagnostics
	priorConnector := types.StringNull()
	if !m.SchemaSource.IsNull() && !m.SchemaSource.IsUnknown() {
		if c, ok := m.SchemaSource.Attributes()["connector"].(types.String); ok {
			priorConnector = c
		}
	}

	m.ID = types.StringValue(importID(org, project, s.Identifier))
	m.OrgID = types.StringValue(org)
	m.ProjectID = types.StringValue(project)
	m.Identifier = types.StringValue(s.Identifier)
	m.Name = types.StringValue(s.Name)
	m.Service = optionalString(s.Service)
	// Schemas created before Flyway support may come back without migrationType: they
	// are Liquibase, the API's default. Null here would plan a replacement.
	m.MigrationType = types.StringValue(cmp.Or(s.MigrationType, "Liquibase"))
	m.UsePercona = types.BoolValue(s.UsePercona)
	m.Created = types.Int64Value(s.Created)
	m.Updated = types.Int64Value(s.Updated)
	m.InstanceCount = types.Int64Value(s.InstanceCount)
	m.SchemaSourceType = optionalString(s.SchemaSourceType)
	m.ParentID = optionalString(s.ParentID)

	var d diag.Diagnostics
	m.Tags = stringMap(s.Tags)

	m.SchemaSource = types.ObjectNull(dbSchemaSourceAttrTypes)
	if c := s.Changelog; c != nil {
		connector := optionalString(c.Connector)
		if c.Connector == "" && priorConnector.Equal(types.StringValue("")) {
			connector = priorConnector
		}
		m.SchemaSource, d = types.ObjectValueFrom(ctx, dbSchemaSourceAttrTypes, dbSchemaSourceModel{
			Connector:   connector,
			Repo:        optionalString(c.Repo),
			Location:    types.StringValue(c.Location),
			ArchivePath: optionalString(c.ArchivePath),
			TOML:        optionalString(c.TOML),
		})
		diags.Append(d...)
	}
	m.ChangelogScript = types.ObjectNull(dbChangelogScriptAttrTypes)
	if c := s.ChangeLogScript; c != nil {
		m.ChangelogScript, d = types.ObjectValueFrom(ctx, dbChangelogScriptAttrTypes, dbChangelogScriptModel{
			Image:    types.StringValue(c.Image),
			Command:  types.StringValue(c.Command),
			Shell:    types.StringValue(c.Shell),
			Location: types.StringValue(c.Location),
			TOML:     optionalString(c.TOML),
		})
		diags.Append(d...)
	}

	switch {
	case s.Type != "":
		m.Type = types.StringValue(s.Type)
	case s.ChangeLogScript != nil:
		m.Type = types.StringValue(schemaTypeScript)
	default:
		m.Type = types.StringValue(schemaTypeRepository)
	}
	return diags
}

func (r *dbSchemaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_schema"
}

func (r *dbSchemaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Harness Database DevOps **DB schema**: where the changelog of a database lives " +
			"(a Git or Harness Code repository, an Artifactory archive, or a script that fetches it) and which " +
			"migration tool applies it. Exactly one of `schema_source` and `changelog_script` must be set.\n\n" +
			"Import ID: `org_id/project_id/identifier`. A schema deleted outside Terraform is removed from state " +
			"with a warning at the next refresh, and the next apply creates it again. Deleting a schema deletes its " +
			"DB instances and their migration history in Harness too; a plan that destroys or replaces a schema with " +
			"instances says so in a warning.",
		Attributes: withScopeAttributes("`org_id/project_id/identifier`, the same format as the import ID.", map[string]schema.Attribute{
			"identifier": schema.StringAttribute{
				MarkdownDescription: "Identifier of the DB schema (`identifier`): it " + identifierRuleMarkdown +
					". `overview` is reserved by the API." + replaceNote,
				Required:      true,
				Validators:    schemaIdentifierValidators(),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Display name (`name`), 1 to 128 characters.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 128)},
			},
			"tags": tagsResourceAttribute("Tags (`tags`): at most 128, each value at most 128 characters. " +
				"Removing them from the configuration clears them in Harness."),
			"service": schema.StringAttribute{
				MarkdownDescription: "Identifier of the Harness service the schema belongs to (`service`). Must not be " +
					"empty when set; removing it from the configuration clears it in Harness.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"migration_type": schema.StringAttribute{
				MarkdownDescription: "Migration tool (`migrationType`): `Liquibase` (the default) or `Flyway`. The API " +
					"cannot change it on an existing schema." + replaceNote,
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString("Liquibase"),
				Validators:    []validator.String{stringvalidator.OneOf("Liquibase", "Flyway")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"use_percona": schema.BoolAttribute{
				MarkdownDescription: "Whether schema changes run through Percona Toolkit (`usePercona`). Default `false`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Kind of schema source (`type`): `Repository` when `schema_source` is set, `Script` " +
					"when `changelog_script` is set. Known at plan time.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{schemaTypeFromSource{}},
			},
			"schema_source": schema.SingleNestedAttribute{
				MarkdownDescription: "The changelog kept in a repository or an Artifactory archive (`changelog`; " +
					"`type` = `Repository`). Conflicts with `changelog_script`.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"connector": schema.StringAttribute{
						MarkdownDescription: "Git or Artifactory connector reference (`changelog.connector`), such as " +
							"`my_connector`, `org.my_connector` or `account.my_connector`. Omit it (or set `\"\"`) to use " +
							"Harness Code Repository, which needs `repo`.",
						Optional:   true,
						Validators: connectorRefValidators(true),
					},
					"repo": schema.StringAttribute{
						MarkdownDescription: "Repository name (`changelog.repo`): required for Harness Code Repository and " +
							"for account-level Git connectors.",
						Optional:   true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"location": schema.StringAttribute{
						MarkdownDescription: "Path of the changelog file or folder in the repository (`changelog.location`).",
						Required:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"archive_path": schema.StringAttribute{
						MarkdownDescription: "Path of the archive in Artifactory (`changelog.archivePath`); Artifactory " +
							"connectors only.",
						Optional:   true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"toml": schema.StringAttribute{
						MarkdownDescription: "Flyway configuration file (`changelog.toml`).",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
				},
			},
			"changelog_script": schema.SingleNestedAttribute{
				MarkdownDescription: "A script, run in a container, that fetches the changelog (`changeLogScript`; " +
					"`type` = `Script`). Conflicts with `schema_source`.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"image": schema.StringAttribute{
						MarkdownDescription: "Container image that runs the script (`changeLogScript.image`), such as " +
							"`plugins/image:latest`.",
						Required:   true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"command": schema.StringAttribute{
						MarkdownDescription: "The script that downloads the changelog (`changeLogScript.command`).",
						Required:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"shell": schema.StringAttribute{
						MarkdownDescription: "Shell that runs the script (`changeLogScript.shell`), such as `Sh` or `Bash`, " +
							"or a Harness expression.",
						Required:   true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"location": schema.StringAttribute{
						MarkdownDescription: "Path of the changelog once downloaded (`changeLogScript.location`).",
						Required:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"toml": schema.StringAttribute{
						MarkdownDescription: "Flyway configuration file (`changeLogScript.toml`).",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
				},
			},
			"created": schema.Int64Attribute{
				MarkdownDescription: "Creation time, in epoch seconds (`created`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"updated": schema.Int64Attribute{
				MarkdownDescription: "Last update time, in epoch seconds (`updated`).",
				Computed:            true,
			},
			"instance_count": schema.Int64Attribute{
				MarkdownDescription: "Number of DB instances of the schema (`instanceCount`).",
				Computed:            true,
			},
			"schema_source_type": schema.StringAttribute{
				MarkdownDescription: "Where the changelog comes from, as Harness classifies it (`schemaSourceType`), " +
					"such as `Git`, `Artifactory`, `HarnessCode` or `Custom`.",
				Computed: true,
				PlanModifiers: []planmodifier.String{
					useStateWhenUnchanged{paths: []path.Path{path.Root("schema_source"), path.Root("changelog_script")}},
				},
			},
			"parent_id": schema.StringAttribute{
				MarkdownDescription: "Harness's unique ID of the org/project scope the schema belongs to (`parentId`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		}),
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
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
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
		resp.Diagnostics.AddError("Unable to create DB schema", dbSchemaDetail("Creating", org, project, in.Identifier, err))
		return
	}
	tflog.Debug(ctx, "created DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": s.Identifier})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	addMismatches(&resp.Diagnostics, dbSchemaName(in.Identifier), in.Mismatches(s), dbSchemaBlocks)
}

func (r *dbSchemaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dbSchemaModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Identifier.ValueString()
	s, err := r.client.GetSchema(ctx, org, project, id)
	if client.IsNotFound(err) {
		tflog.Warn(ctx, "DB schema not found; removing it from state", map[string]any{"org_id": org, "project_id": project, "identifier": id})
		resp.Diagnostics.AddWarning("DB schema no longer exists",
			fmt.Sprintf("DB schema %q (org %q, project %q) no longer exists in Harness; it was removed from state and "+
				"will be created again on apply.", id, org, project))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read DB schema", dbSchemaDetail("Reading", org, project, id, err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update sends what changed from the refreshed state to the plan (client
// NewSchemaUpdate: the API merges a PUT, so a removed value is sent empty to clear it),
// then checks that Harness's answer holds the plan.
func (r *dbSchemaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dbSchemaModel
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
	org, project, id := plan.OrgID.ValueString(), plan.ProjectID.ValueString(), plan.Identifier.ValueString()
	s, err := r.client.UpdateSchema(ctx, org, project, id, client.NewSchemaUpdate(prior, desired))
	if err != nil {
		resp.Diagnostics.AddError("Unable to update DB schema", dbSchemaDetail("Updating", org, project, id, err))
		return
	}
	tflog.Debug(ctx, "updated DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id})
	resp.Diagnostics.Append(plan.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	addMismatches(&resp.Diagnostics, dbSchemaName(id), desired.Mismatches(s), dbSchemaBlocks)
}

func (r *dbSchemaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dbSchemaModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := state.OrgID.ValueString(), state.ProjectID.ValueString(), state.Identifier.ValueString()
	err := r.client.DeleteSchema(ctx, org, project, id)
	if client.IsNotFound(err) {
		tflog.Debug(ctx, "DB schema already deleted", map[string]any{"org_id": org, "project_id": project, "identifier": id})
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to delete DB schema", dbSchemaDetail("Deleting", org, project, id, err))
		return
	}
	tflog.Debug(ctx, "deleted DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id})
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

func dbSchemaName(id string) string { return fmt.Sprintf("DB schema %q", id) }

func dbSchemaDetail(verb, org, project, id string, err error) string {
	return fmt.Sprintf("%s DB schema %q in org %q, project %q failed: %s", verb, id, org, project, err)
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

// useStateWhenUnchanged keeps the prior value of a computed attribute when none of the
// attributes it derives from changes, and leaves it unknown otherwise.
type useStateWhenUnchanged struct {
	paths []path.Path
}

var _ planmodifier.String = useStateWhenUnchanged{}

func (m useStateWhenUnchanged) Description(context.Context) string {
	return fmt.Sprintf("Keeps the prior value unless one of %v changes.", m.paths)
}

func (m useStateWhenUnchanged) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m useStateWhenUnchanged) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	for _, p := range m.paths {
		var planned, prior attr.Value
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, p, &planned)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, p, &prior)...)
		if resp.Diagnostics.HasError() || !planned.Equal(prior) {
			return
		}
	}
	resp.PlanValue = req.StateValue
}

// tagsResourceAttribute is an optional map that defaults to {}: the API does not tell
// "no tags" from "empty tags", so state always holds a map and null never differs from {}.
func tagsResourceAttribute(description string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		Optional:            true,
		Computed:            true,
		Default:             mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
		Validators: []validator.Map{
			mapvalidator.SizeAtMost(128),
			mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
			mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(128)),
		},
	}
}
