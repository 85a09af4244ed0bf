package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ datasource.DataSource              = (*dbSchemasDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dbSchemasDataSource)(nil)
)

// dbSchemasDataSource lists the DB schemas of a project, following every page.
type dbSchemasDataSource struct {
	client *client.Client
}

func newDBSchemasDataSource() datasource.DataSource { return &dbSchemasDataSource{} }

type dbSchemasDataSourceModel struct {
	OrgID         types.String `tfsdk:"org_id"`
	ProjectID     types.String `tfsdk:"project_id"`
	SearchTerm    types.String `tfsdk:"search_term"`
	MigrationType types.String `tfsdk:"migration_type"`
	Schemas       types.List   `tfsdk:"schemas"`
}

func (d *dbSchemasDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_schemas"
}

func (d *dbSchemasDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Harness Database DevOps DB schemas of a project " +
			"(`GET /v1/orgs/{org}/projects/{project}/dbschema`), following every page.",
		Attributes: map[string]schema.Attribute{
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the Harness organization (path `{org}`).",
				Required:            true,
				Validators:          identifierValidators(),
			},
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the Harness project (path `{project}`).",
				Required:            true,
				Validators:          identifierValidators(),
			},
			"search_term": schema.StringAttribute{
				MarkdownDescription: "Only schemas whose identifier or name contains this text, ignoring case (`search_term`).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"migration_type": schema.StringAttribute{
				MarkdownDescription: "Only schemas of this migration tool (`migrationType`): `Liquibase` or `Flyway`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("Liquibase", "Flyway")},
			},
			"schemas": schema.ListNestedAttribute{
				MarkdownDescription: "The matching schemas, sorted by identifier (whatever order the API answers in), " +
					"with the attributes of the `harness_dbops_db_schema` data source.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: dbSchemaAttrs.DataSource(nil)},
			},
		},
	}
}

func (d *dbSchemasDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dbSchemasDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dbSchemasDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project := m.OrgID.ValueString(), m.ProjectID.ValueString()
	list, err := d.client.ListSchemas(ctx, org, project, client.ListSchemasOptions{
		SearchTerm:    m.SearchTerm.ValueString(),
		MigrationType: m.MigrationType.ValueString(),
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to list DB schemas", fmt.Sprintf("Listing the DB schemas of org %q, project %q", org, project), err)
		return
	}
	tflog.Debug(ctx, "listed DB schemas", map[string]any{"org_id": org, "project_id": project, "count": len(list)})
	var diags diag.Diagnostics
	m.Schemas, diags = tfkit.ObjectList(ctx, dbSchemaAttrTypes, list, func(s *client.Schema) string { return s.Identifier }, func(s *dbSchemaModel, api *client.Schema) diag.Diagnostics {
		return s.fromAPI(ctx, org, project, api)
	})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
