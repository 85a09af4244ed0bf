package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/imageref"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ datasource.DataSource              = (*defaultImagesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*defaultImagesDataSource)(nil)
)

// defaultImagesDataSource reads get-default-config: the images Harness uses for an
// account that overrides nothing.
type defaultImagesDataSource struct {
	kind *execConfigKind
	data *providerData
}

func newDefaultImagesDataSource() datasource.DataSource {
	return &defaultImagesDataSource{kind: dbopsKind}
}

func (d *defaultImagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.kind.defaultsTypeName
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
	attrs["parsed"] = schema.MapAttribute{
		MarkdownDescription: "Each image of `images` taken apart, keyed like it, as `provider::harness::parse_image` " +
			"does: " + imagePartsDoc + " For example `parsed.defaultTag.harness_version`.",
		ElementType: types.ObjectType{AttrTypes: imagePartsTypes},
		Computed:    true,
	}
	attrs = d.kind.dataSourceAttributes(attrs, func(f imageField) string {
		return "Default of " + f.what + " (API field `" + f.api + "`); null if the API does not return it."
	})
	resp.Schema = schema.Schema{MarkdownDescription: d.kind.defaultsDoc, Attributes: attrs}
}

func (d *defaultImagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *defaultImagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, ok := d.kind.dataSourceConfig(ctx, d.data, req, resp)
	if !ok {
		return
	}
	defaults, err := cfg.defaults.get(ctx) // once per run: for DB DevOps, usually the credentials check's answer
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the default "+d.kind.product+" images", "Reading the defaults (get-default-config)", err)
		return
	}
	tflog.Debug(ctx, "read default images", map[string]any{"product": d.kind.product, "config": cfg.name, "fields": len(defaults)})
	resp.Diagnostics.Append(setImageAttributes(ctx, d.kind, resp.State.SetAttribute, defaults)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("images"), tfkit.StringMap(defaults))...)
	parsed := map[string]attr.Value{}
	for api, ref := range defaults {
		p, err := imageref.Parse(ref)
		if err != nil { // Harness's own value: keep it in images, with no parts here, rather than fail
			resp.Diagnostics.AddAttributeWarning(path.Root("parsed").AtMapKey(api), "A Harness default image does not parse",
				fmt.Sprintf("The default of %s is %q, which this provider cannot take apart: %v. Its parts are null.", api, ref, err))
		}
		parsed[api] = imagePartsObject(p)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("parsed"),
		types.MapValueMust(types.ObjectType{AttrTypes: imagePartsTypes}, parsed))...)
}
