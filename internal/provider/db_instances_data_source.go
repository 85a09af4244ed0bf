package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
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
	_ datasource.DataSource              = (*dbInstancesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dbInstancesDataSource)(nil)
)

// dbInstancesDataSource lists the DB instances of a schema, following every page.
type dbInstancesDataSource struct {
	client *client.Client
}

func newDBInstancesDataSource() datasource.DataSource { return &dbInstancesDataSource{} }

type dbInstancesDataSourceModel struct {
	OrgID      types.String `tfsdk:"org_id"`
	ProjectID  types.String `tfsdk:"project_id"`
	Schema     types.String `tfsdk:"schema"`
	SearchTerm types.String `tfsdk:"search_term"`
	Tags       types.Map    `tfsdk:"tags"`
	Instances  types.List   `tfsdk:"instances"`
}

func (d *dbInstancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_db_instances"
}

func (d *dbInstancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Harness Database DevOps DB instances of a DB schema " +
			"(`POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instancelist`), following every page.",
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
			"schema": schema.StringAttribute{
				MarkdownDescription: "Identifier of the DB schema whose instances are listed (path `{dbschema}`).",
				Required:            true,
				Validators:          schemaIdentifierValidators(),
			},
			"search_term": schema.StringAttribute{
				MarkdownDescription: "Only instances whose identifier or name contains this text, ignoring case (`search_term`).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Only instances that have all these tags with these values (`instanceTags`, " +
					"`filterType` `Equals`).",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1))},
			},
			"instances": schema.ListNestedAttribute{
				MarkdownDescription: "The matching instances, sorted by identifier (whatever order the API answers in), " +
					"with the attributes of the `harness_dbops_db_instance` data source.",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: dbInstanceAttrs.DataSource(nil)},
			},
		},
	}
}

func (d *dbInstancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *dbInstancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m dbInstancesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString()
	opts := client.ListInstancesOptions{SearchTerm: m.SearchTerm.ValueString()}
	tags, diags := tfkit.GoStringMap(ctx, m.Tags)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts.Tags = instanceTagFilter(tags)
	if len(opts.Tags) > 0 {
		opts.FilterType = "Equals"
	}
	list, err := d.client.ListInstances(ctx, org, project, schemaID, opts)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddError("DB schema not found",
			fmt.Sprintf("Cannot list the instances of DB schema %q: it does not exist in org %q, project %q: %s", schemaID, org, project, err))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to list DB instances",
			fmt.Sprintf("Listing the DB instances of schema %q in org %q, project %q", schemaID, org, project), err)
		return
	}
	tflog.Debug(ctx, "listed DB instances", map[string]any{"org_id": org, "project_id": project, "schema": schemaID, "count": len(list)})
	m.Instances, diags = tfkit.ObjectList(ctx, dbInstanceAttrTypes, list, func(in *client.Instance) string { return in.Identifier }, func(in *dbInstanceModel, api *client.Instance) diag.Diagnostics {
		return in.fromAPI(ctx, org, project, schemaID, api)
	})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// instanceTagFilter turns a tag map into the API's instanceTags, sorted by key so the
// request body is deterministic.
func instanceTagFilter(tags map[string]string) []client.InstanceTag {
	out := make([]client.InstanceTag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		out = append(out, client.InstanceTag{Key: k, Value: &v})
	}
	return out
}
