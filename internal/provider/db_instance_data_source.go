package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ datasource.DataSource              = (*dbInstanceDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dbInstanceDataSource)(nil)
)

// dbInstanceDataSource reads one DB instance by identifier; its model is
// dbInstanceModel, the resource's.
type dbInstanceDataSource struct {
	reads *readCache
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
		Attributes: dbInstanceAttrs.DataSource(scopeLookup(map[string][]validator.String{
			"schema":     schemaIdentifierValidators(),
			"identifier": identifierValidators(),
		})),
	}
}

func (d *dbInstanceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.reads = readsFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dbInstanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dbInstanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString(), m.Identifier.ValueString()
	inst, err := d.reads.instance(ctx, org, project, schemaID, id)
	if err != nil {
		addReadError(&resp.Diagnostics, "DB instance", m.where(), err)
		return
	}
	tflog.Debug(ctx, "read DB instance", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "identifier": id})
	resp.Diagnostics.Append(m.fromAPI(ctx, org, project, schemaID, inst)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
