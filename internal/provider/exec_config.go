package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// An image config resource and its two data sources manage one of two execution
// configs: DB DevOps's (harness_dbops_image_config, dbopsKind) or Harness CI's of one
// infra (harness_ci_image_config, ciKind). The code is the same; execConfigKind says
// what differs in the schema and the words, and execConfig makes the calls.

// execConfigKind is which execution config a resource or data source manages.
type execConfigKind struct {
	product string // "DB DevOps", "CI": in summaries and descriptions
	// imageNoun names its images in the summaries of warnings that both configs give in
	// one plan ("image", "CI image"), so that Terraform does not fold one into the other.
	imageNoun string
	typeName  string       // the resource's type name after the provider's: "_dbops_image_config"
	fields    []imageField // the typed attributes, sorted by attr (DB DevOps only); the images map takes any field
	// hasInfra: the config is one per CI build infrastructure, the attribute infra.
	hasInfra bool
	// exclusiveDestroy says what destroy does to the overrides of an exclusive resource.
	exclusiveDestroy string
	// importUsage explains the import ID (parseImageImportID).
	importUsage string
	// open returns the calls of the config of infra ("" without hasInfra) for one run.
	open func(d *providerData, infra string) execConfig
	// The resource's schema (given the attributes every image config has), and the
	// descriptions of its id and images.
	resourceSchema   func(map[string]schema.Attribute) schema.Schema
	idDoc, imagesDoc string
	// The data sources: the defaults' type name, and the descriptions of the defaults and
	// of the effective config.
	defaultsTypeName          string
	defaultsDoc, effectiveDoc string
}

// resourceType is the resource's full type name, for messages.
func (k *execConfigKind) resourceType() string { return "harness" + k.typeName }

// field finds a typed field by its attribute or its API name.
func (k *execConfigKind) field(name string) (imageField, bool) {
	for _, f := range k.fields {
		if f.attr == name || f.api == name {
			return f, true
		}
	}
	return imageField{}, false
}

// knownFields lists the API names of the typed fields.
func (k *execConfigKind) knownFields() []string {
	out := make([]string, len(k.fields))
	for i, f := range k.fields {
		out[i] = f.api
	}
	return out
}

// attrNames lists the typed attribute names, for error messages.
func (k *execConfigKind) attrNames() string {
	names := make([]string, len(k.fields))
	for i, f := range k.fields {
		names[i] = f.attr
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// noImageHint says what a configuration with no image to manage sets instead.
func (k *execConfigKind) noImageHint() string {
	if len(k.fields) == 0 {
		return "Set at least one entry of the images map (keyed by API field name, such as liteEngineTag), or set " +
			"exclusive = true to keep every field on the Harness default."
	}
	return "Set at least one image attribute (" + k.attrNames() + ") or images map entry, or set exclusive = true to keep every field on the Harness default."
}

// execConfig is one execution config's calls within one run, and what the run shares
// about it: its defaults, read once, and the claims of the resources that manage it.
type execConfig struct {
	// name is the config in messages: "execution config", "CI execution config (K8)".
	name      string
	overrides func(context.Context) (client.ExecutionConfig, error)
	effective func(context.Context) (client.ExecutionConfig, error)
	update    func(context.Context, []client.ConfigOperation) error
	reset     func(context.Context, []string) error
	// resetAll removes every override: destroy of an exclusive resource.
	resetAll func(context.Context) error
	defaults *harnessDefaults
	claims   *fieldClaims
}

// openDBOps is DB DevOps's execution config, one per account.
func openDBOps(d *providerData, _ string) execConfig {
	c := d.client
	return execConfig{
		name:      "execution config",
		overrides: func(ctx context.Context) (client.ExecutionConfig, error) { return c.GetCustomerConfig(ctx, true) },
		effective: func(ctx context.Context) (client.ExecutionConfig, error) { return c.GetCustomerConfig(ctx, false) },
		update:    c.UpdateConfig,
		reset:     c.ResetConfig,
		resetAll:  func(ctx context.Context) error { _, err := c.DeleteConfigOverrides(ctx); return err },
		defaults:  d.defaults,
		claims:    d.claims.scope(""),
	}
}

// openCI is Harness CI's execution config of one infra. It has no call that deletes
// every override: resetAll reads them and resets those it found.
func openCI(d *providerData, infra string) execConfig {
	c, in := d.client, client.CIInfra(infra)
	read := func(ctx context.Context, overridesOnly bool) (client.ExecutionConfig, error) {
		cfg, err := c.GetCICustomerConfig(ctx, in, overridesOnly)
		return cfg.Images, err
	}
	overrides := func(ctx context.Context) (client.ExecutionConfig, error) { return read(ctx, true) }
	return execConfig{
		name:      "CI execution config (" + infra + ")",
		overrides: overrides,
		effective: func(ctx context.Context) (client.ExecutionConfig, error) { return read(ctx, false) },
		update:    func(ctx context.Context, ops []client.ConfigOperation) error { return c.UpdateCIConfig(ctx, in, ops) },
		reset:     func(ctx context.Context, fields []string) error { return c.ResetCIConfig(ctx, in, fields) },
		resetAll: func(ctx context.Context) error {
			all, err := overrides(ctx)
			if err != nil {
				return err
			}
			fields := make([]string, 0, len(all))
			for f := range all {
				fields = append(fields, f)
			}
			slices.Sort(fields)
			return c.ResetCIConfig(ctx, in, fields)
		},
		defaults: d.ciDefaults[in],
		claims:   d.claims.scope("ci/" + infra),
	}
}

// configFor returns the calls of the config m names, or a zero execConfig before the
// provider is configured (validation), whose checks then do nothing.
func configFor(kind *execConfigKind, d *providerData, infra string) execConfig {
	if d == nil {
		return execConfig{}
	}
	return kind.open(d, infra)
}

// dataSourceAttributes adds to attrs what a data source of the kind has besides: a
// computed attribute per typed field (described by doc), or the infra argument.
func (k *execConfigKind) dataSourceAttributes(attrs map[string]dsschema.Attribute, doc func(imageField) string) map[string]dsschema.Attribute {
	for _, f := range k.fields {
		attrs[f.attr] = dsschema.StringAttribute{MarkdownDescription: doc(f), Computed: true}
	}
	if k.hasInfra {
		attrs[infraPath.String()] = dsschema.StringAttribute{
			MarkdownDescription: infraDoc,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{infraValidator},
		}
	}
	return attrs
}

// dataSourceConfig reads a data source's infra (K8 when unset), writes it to its state,
// and returns the calls of that config; false when the read failed.
func (k *execConfigKind) dataSourceConfig(ctx context.Context, d *providerData, req datasource.ReadRequest, resp *datasource.ReadResponse) (execConfig, bool) {
	if !k.hasInfra {
		return configFor(k, d, ""), true
	}
	var infra types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, infraPath, &infra)...)
	if infra.IsNull() || infra.IsUnknown() {
		infra = types.StringValue(string(client.CIInfraK8))
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, infraPath, infra)...)
	return configFor(k, d, infra.ValueString()), !resp.Diagnostics.HasError()
}

// infraValidator accepts the infras as the API spells them: K8 and VM.
var infraValidator = stringvalidator.OneOf(string(client.CIInfraK8), string(client.CIInfraVM))

// infraPath is the attribute of the CI build infrastructure.
var infraPath = path.Root("infra")

// infraDoc documents the infra attribute.
var infraDoc = fmt.Sprintf("The CI build infrastructure whose config this is: `%s` (Kubernetes, the default) or `%s` "+
	"(VM build infrastructures). Harness keeps one config per infra, with different fields (VM has no lite engine or add-on).",
	client.CIInfraK8, client.CIInfraVM)
