package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// Harness CI's execution config: harness_ci_image_config and the data sources
// harness_ci_default_images and harness_ci_image_config. They are the DB DevOps image
// config's resource and data sources over ciKind: the CI config has no typed
// attributes (its fields differ by infra and release, so they are data: the images
// map), one config per infra, and no call that deletes every override.

func newCIImageConfigResource() resource.Resource { return &imageConfigResource{kind: ciKind} }

func newCIDefaultImagesDataSource() datasource.DataSource {
	return &defaultImagesDataSource{kind: ciKind}
}

func newCIImageConfigDataSource() datasource.DataSource { return &imageConfigDataSource{kind: ciKind} }

// ciScopeWarning is what every page of the CI config says first: what a change touches.
const ciScopeWarning = "This config applies to every CI stage of the account, not only DB DevOps stages: every " +
	"containerised stage (CI builds, DB DevOps, IaCM, STO...) on the infra pulls these images."

var ciKind = &execConfigKind{
	product:   "CI",
	imageNoun: "CI image",
	typeName:  "_ci_image_config",
	hasInfra:  true,
	exclusiveDestroy: "resets every override of the infra (`reset-config` with every field that has one; the CI " +
		"API has no call that deletes them all)",
	importUsage: fmt.Sprintf("Use the infra, %[1]s or %[2]s, optionally followed by a colon and a comma-separated "+
		"list of the API field names to manage (for example \"%[1]s:liteEngineTag,addonTag\"), and %[3]q to own the "+
		"infra's whole CI execution config (\"%[1]s:exclusive\"). With no field listed, every field that has an "+
		"override now is managed.", client.CIInfraK8, client.CIInfraVM, importExclusive),
	open:           openCI,
	resourceSchema: ciResourceSchema,
	idDoc:          "The Harness account ID and the infra, `<account>/<infra>`: the CI execution config is one per infra.",
	imagesDoc: "The overrides, keyed by the API's field name (`liteEngineTag`, `addonTag`, `gitCloneTag`, " +
		"`liteEngineTagRootless`...), as `harness_ci_default_images.images` is keyed. Each value is a full image " +
		"reference with a tag other than `latest`, or a digest. A key must be a field the infra's defaults have " +
		"(checked at plan time; when the defaults cannot be read, a warning, and the server decides at apply): the " +
		"fields differ between K8 and VM and between Harness releases. Remove a key to reset the field to the " +
		"Harness default.",

	defaultsTypeName: "_ci_default_images",
	defaultsDoc: "The images Harness CI uses on an infra when the account overrides nothing " +
		"(`GET /ci/execution-config/get-default-config`): the lite engine, the CI add-on, git clone and the " +
		"other images every containerised stage pulls, DB DevOps stages included.",
	effectiveDoc: "The account's effective CI execution config of an infra: the images every containerised stage " +
		"pulls now, defaults merged with overrides, and the overrides alone. " + ciScopeWarning,
}

// ciResourceSchema is harness_ci_image_config's schema: the common attributes and infra.
func ciResourceSchema(attrs map[string]schema.Attribute) schema.Schema {
	attrs[infraPath.String()] = schema.StringAttribute{
		MarkdownDescription: infraDoc + " Changing it replaces the resource: the old infra's overrides are reset " +
			"(unless `on_destroy = \"retain\"`), the new infra's set.",
		Optional:      true,
		Computed:      true,
		Default:       stringdefault.StaticString(string(client.CIInfraK8)),
		Validators:    []validator.String{infraValidator},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	return schema.Schema{
		MarkdownDescription: "Overrides of the images Harness CI runs in every containerised stage on one build " +
			"infrastructure (the account's CI execution config): the lite engine, the CI add-on, git clone, and the " +
			"build, upload and cache plugins. DB DevOps stages pull the lite engine, the add-on and git clone from " +
			"here, not from the DB DevOps execution config. **" + ciScopeWarning + "** Fields left out keep the " +
			"Harness default. Refresh reads all overrides in one call and shows any change made outside Terraform as drift.",
		Attributes: attrs,
	}
}
