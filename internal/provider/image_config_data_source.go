package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ datasource.DataSource              = (*imageConfigDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*imageConfigDataSource)(nil)
)

// imageConfigDataSource is the effective execution config of a kind: what pipelines
// use now.
type imageConfigDataSource struct {
	kind *execConfigKind
	data *providerData
}

func newImageConfigDataSource() datasource.DataSource { return &imageConfigDataSource{kind: dbopsKind} }

func (d *imageConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.kind.typeName
}

func (d *imageConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := d.kind.dataSourceAttributes(map[string]schema.Attribute{
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
	}, func(f imageField) string {
		return "The image pipelines use now for " + f.what + " (API field `" + f.api + "`): the override if any, else the default."
	})
	resp.Schema = schema.Schema{MarkdownDescription: d.kind.effectiveDoc, Attributes: attrs}
}

func (d *imageConfigDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *imageConfigDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, ok := d.kind.dataSourceConfig(ctx, d.data, req, resp)
	if !ok {
		return
	}
	effective, err := cfg.effective(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the effective "+d.kind.product+" "+cfg.name, "Reading the effective config (get-customer-config?overridesOnly=false)", err)
		return
	}
	overrides, err := cfg.overrides(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the "+d.kind.product+" image overrides", "Reading the overrides (get-customer-config)", err)
		return
	}
	resp.Diagnostics.Append(setImageAttributes(ctx, d.kind, resp.State.SetAttribute, effective)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("images"), tfkit.StringMap(effective))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("overrides"), tfkit.StringMap(overrides))...)
}
