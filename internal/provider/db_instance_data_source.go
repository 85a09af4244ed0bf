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
	_ datasource.DataSource              = (*dbInstanceDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dbInstanceDataSource)(nil)
)

// dbInstanceDataSource reads one DB instance by identifier. Its attributes are the
// resource's, so that its model is dbInstanceModel.
type dbInstanceDataSource struct {
	client *client.Client
}

func newDBInstanceDataSource() datasource.DataSource { return &dbInstanceDataSource{} }

func (d *dbInstanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_instance"
}

func (d *dbInstanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Harness Database DevOps DB instance by its identifier " +
			"(`GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}`). An instance that " +
			"does not exist is an error.",
		Attributes: dbInstanceDataSourceAttributes(true),
	}
}

// dbInstanceDataSourceAttributes are the attributes of a DB instance as data sources
// show them. lookup makes org_id, project_id, schema and identifier required inputs
// (the single data source); otherwise every attribute is computed (a list element).
func dbInstanceDataSourceAttributes(lookup bool) map[string]schema.Attribute {
	str := computedString
	key := func(desc string, validators []validator.String) schema.StringAttribute {
		return lookupString(lookup, desc, validators)
	}
	strMap := func(desc string) schema.MapAttribute {
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":                    str("`org_id/project_id/schema/identifier`, the resource's import ID."),
		"org_id":                key("Identifier of the Harness organization (path `{org}`).", identifierValidators()),
		"project_id":            key("Identifier of the Harness project (path `{project}`).", identifierValidators()),
		"schema":                key("Identifier of the parent DB schema (path `{dbschema}`).", schemaIdentifierValidators()),
		"identifier":            key("Identifier of the DB instance (`identifier`).", identifierValidators()),
		"name":                  str("Display name (`name`)."),
		"tags":                  strMap("Tags (`tags`); `{}` when there are none."),
		"connector":             str("Reference of the JDBC connector that reaches the database (`connector`)."),
		"context":               str("Liquibase context (`context`); null when there is none."),
		"substitute_properties": strMap("Placeholders replaced in the migration scripts (`substituteProperties`); `{}` when there are none."),
		"branch":                str("Git branch the changelog is read from (`branch`); null when not set."),
		"commit_sha":            str("Git commit the changelog is pinned to (`commitSha`); null when not set."),
		"git_tag":               str("Git tag the changelog is pinned to (`gitTag`); null when not set."),
		"created":               schema.Int64Attribute{MarkdownDescription: "Creation time, in epoch seconds (`created`).", Computed: true},
		"updated":               schema.Int64Attribute{MarkdownDescription: "Last update time, in epoch seconds (`updated`).", Computed: true},
		"last_applied_tag":      str("Most recent tag applied to the database (`lastAppliedTag`); null until one is."),
		"last_deployed_change_set_tag": str("Tag of the last changeset a pipeline deployed (`lastDeployedChangeSetTag`); " +
			"null until one is."),
	}
}

func (d *dbInstanceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dbInstanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dbInstanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString(), m.Identifier.ValueString()
	inst, err := d.client.GetInstance(ctx, org, project, schemaID, id)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddError("DB instance not found",
			fmt.Sprintf("DB instance %q of schema %q does not exist in org %q, project %q: %s", id, schemaID, org, project, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read DB instance", dbInstanceDetail("Reading", org, project, schemaID, id, err))
		return
	}
	tflog.Debug(ctx, "read DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id})
	resp.Diagnostics.Append(m.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
