package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ datasource.DataSource              = (*imageConfigDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*imageConfigDataSource)(nil)
)

// imageConfigDataSource is the effective execution config: what pipelines use now.
type imageConfigDataSource struct {
	client *client.Client
}

func newImageConfigDataSource() datasource.DataSource { return &imageConfigDataSource{} }

func (d *imageConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_image_config"
}

func (d *imageConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"images": schema.MapAttribute{
			MarkdownDescription: "The effective image of every field, keyed by API field name: the Harness default " +
				"merged with the account's override (`get-customer-config?overridesOnly=false`).",
			ElementType: types.StringType,
			Computed:    true,
		},
		"overrides": schema.MapAttribute{
			MarkdownDescription: "The account's overrides alone, keyed by API field name " +
				"(`get-customer-config?overridesOnly=true`); `{}` when the account overrides nothing.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
	for _, f := range imageFields {
		attrs[f.attr] = schema.StringAttribute{
			MarkdownDescription: "The image pipelines use now for " + f.what + " (API field `" + f.api + "`): the override if any, else the default.",
			Computed:            true,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The account's effective DB DevOps execution config: the images its pipelines use now, " +
			"defaults merged with overrides, and the overrides alone.",
		Attributes: attrs,
	}
}

func (d *imageConfigDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *imageConfigDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	effective, err := d.client.GetCustomerConfig(ctx, false)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the effective DB DevOps execution config", "Reading the effective config (get-customer-config?overridesOnly=false)", err)
		return
	}
	overrides, err := d.client.GetCustomerConfig(ctx, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the DB DevOps image overrides", "Reading the overrides (get-customer-config)", err)
		return
	}
	resp.Diagnostics.Append(setImageAttributes(ctx, resp.State.SetAttribute, effective)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("images"), tfkit.StringMap(effective))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("overrides"), tfkit.StringMap(overrides))...)
}
