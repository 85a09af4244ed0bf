package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

var (
	_ datasource.DataSource              = (*dbSchemaDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dbSchemaDataSource)(nil)
)

// dbSchemaDataSource reads one DB schema by identifier. Its attributes are the
// resource's, so that its model is dbSchemaModel.
type dbSchemaDataSource struct {
	client *client.Client
}

func newDBSchemaDataSource() datasource.DataSource { return &dbSchemaDataSource{} }

func (d *dbSchemaDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_schema"
}

func (d *dbSchemaDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Harness Database DevOps DB schema by its identifier " +
			"(`GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}`). A schema that does not exist is an error.",
		Attributes: dbSchemaDataSourceAttributes(true),
	}
}

// dbSchemaDataSourceAttributes are the attributes of a DB schema as data sources show
// them. lookup makes org_id, project_id and identifier required inputs (the single data
// source); otherwise every attribute is computed (an element of the list data source).
func dbSchemaDataSourceAttributes(lookup bool) map[string]schema.Attribute {
	str := computedString
	key := func(desc string, validators []validator.String) schema.StringAttribute {
		return lookupString(lookup, desc, validators)
	}
	return map[string]schema.Attribute{
		"id":         str("`org_id/project_id/identifier`, the resource's import ID."),
		"org_id":     key("Identifier of the Harness organization (path `{org}`).", identifierValidators()),
		"project_id": key("Identifier of the Harness project (path `{project}`).", identifierValidators()),
		"identifier": key("Identifier of the DB schema (`identifier`).", schemaIdentifierValidators()),
		"name":       str("Display name (`name`)."),
		"tags": schema.MapAttribute{
			MarkdownDescription: "Tags (`tags`); `{}` when there are none.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"service":        str("Identifier of the Harness service (`service`); null when there is none."),
		"migration_type": str("Migration tool (`migrationType`): `Liquibase` or `Flyway`."),
		"use_percona": schema.BoolAttribute{
			MarkdownDescription: "Whether schema changes run through Percona Toolkit (`usePercona`).",
			Computed:            true,
		},
		"type": str("Kind of schema source (`type`): `Repository` (see `schema_source`) or `Script` (see `changelog_script`)."),
		"schema_source": schema.SingleNestedAttribute{
			MarkdownDescription: "The changelog kept in a repository or an Artifactory archive (`changelog`); null for " +
				"`Script` schemas.",
			Computed: true,
			Attributes: map[string]schema.Attribute{
				"connector": str("Git or Artifactory connector reference (`changelog.connector`); null for Harness " +
					"Code Repository."),
				"repo":         str("Repository name (`changelog.repo`)."),
				"location":     str("Path of the changelog file or folder (`changelog.location`)."),
				"archive_path": str("Path of the archive in Artifactory (`changelog.archivePath`)."),
				"toml":         str("Flyway configuration file (`changelog.toml`)."),
			},
		},
		"changelog_script": schema.SingleNestedAttribute{
			MarkdownDescription: "The script that fetches the changelog (`changeLogScript`); null for `Repository` schemas.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"image":    str("Container image that runs the script (`changeLogScript.image`)."),
				"command":  str("The script that downloads the changelog (`changeLogScript.command`)."),
				"shell":    str("Shell that runs the script (`changeLogScript.shell`)."),
				"location": str("Path of the changelog once downloaded (`changeLogScript.location`)."),
				"toml":     str("Flyway configuration file (`changeLogScript.toml`)."),
			},
		},
		"created":            schema.Int64Attribute{MarkdownDescription: "Creation time, in epoch seconds (`created`).", Computed: true},
		"updated":            schema.Int64Attribute{MarkdownDescription: "Last update time, in epoch seconds (`updated`).", Computed: true},
		"instance_count":     schema.Int64Attribute{MarkdownDescription: "Number of DB instances of the schema (`instanceCount`).", Computed: true},
		"schema_source_type": str("Where the changelog comes from (`schemaSourceType`), such as `Git`, `Artifactory`, `HarnessCode` or `Custom`."),
		"parent_id":          str("Harness's unique ID of the org/project scope (`parentId`)."),
	}
}

func (d *dbSchemaDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dbSchemaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dbSchemaModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Identifier.ValueString()
	s, err := d.client.GetSchema(ctx, org, project, id)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddError("DB schema not found",
			fmt.Sprintf("DB schema %q does not exist in org %q, project %q: %s", id, org, project, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read DB schema", dbSchemaDetail("Reading", org, project, id, err))
		return
	}
	tflog.Debug(ctx, "read DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id})
	resp.Diagnostics.Append(m.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
