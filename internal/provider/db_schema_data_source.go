package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ datasource.DataSource              = (*dbSchemaDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dbSchemaDataSource)(nil)
)

// dbSchemaDataSource reads one DB schema by identifier; its model is dbSchemaModel,
// the resource's.
type dbSchemaDataSource struct {
	reads *readCache
}

func newDBSchemaDataSource() datasource.DataSource { return &dbSchemaDataSource{} }

func (d *dbSchemaDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_schema"
}

func (d *dbSchemaDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Harness Database DevOps DB schema by its identifier " +
			"(`GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}`). A schema that does not exist is an error.",
		Attributes: dbSchemaAttrs.DataSource(scopeLookup(map[string][]validator.String{"identifier": schemaIdentifierValidators()})),
	}
}

func (d *dbSchemaDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.reads = readsFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dbSchemaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dbSchemaModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, id := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Identifier.ValueString()
	s, err := d.reads.schema(ctx, org, project, id)
	if err != nil {
		addReadError(&resp.Diagnostics, "DB schema", m.where(), err)
		return
	}
	tflog.Debug(ctx, "read DB schema", map[string]any{"org_id": org, "project_id": project, "identifier": id})
	resp.Diagnostics.Append(m.fromAPI(ctx, org, project, s)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
