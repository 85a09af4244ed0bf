package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

var (
	_ datasource.DataSource              = (*defaultImagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*defaultImagesDataSource)(nil)
)

// defaultImagesDataSource reads get-default-config: the images Harness uses for an
// account that overrides nothing.
type defaultImagesDataSource struct {
	client *client.Client
}

func newDefaultImagesDataSource() datasource.DataSource { return &defaultImagesDataSource{} }

func (d *defaultImagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_default_images"
}

func (d *defaultImagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"images": schema.MapAttribute{
			MarkdownDescription: "Every field of the default config as the API returns it, keyed by API field name " +
				"(for example `gitCloneTag`), including fields this provider version does not know yet.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
	for _, f := range imageFields {
		attrs[f.attr] = schema.StringAttribute{
			MarkdownDescription: "Default of " + f.what + " (API field `" + f.api + "`); null if the API does not return it.",
			Computed:            true,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The images Harness DB DevOps pipelines use when the account overrides nothing " +
			"(`GET /v1/dbops/execution-config/get-default-config`).",
		Attributes: attrs,
	}
}

func (d *defaultImagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *defaultImagesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	defaults, err := d.client.GetDefaultConfig(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the default DB DevOps images", "Reading the defaults (get-default-config)", err)
		return
	}
	tflog.Debug(ctx, "read default DB DevOps images", map[string]any{"fields": len(defaults)})
	resp.Diagnostics.Append(setImageAttributes(ctx, resp.State.SetAttribute, defaults)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("images"), stringMap(defaults))...)
}
