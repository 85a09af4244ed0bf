package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// imageField is one field of the account's execution config: the images that DB DevOps
// pipelines run. attr is the Terraform attribute name, the snake_case of api.
type imageField struct {
	attr string
	api  string
	what string
}

// imageFields lists every field the API documents (ExecutionConfigTags), sorted by attr.
// Fields the server adds later still show in the data sources' maps.
var imageFields = []imageField{
	{"artifactory_tag", "artifactoryTag", "the image that downloads changelog archives from Artifactory"},
	{"big_query_tag", "bigQueryTag", "the Liquibase image for Google BigQuery"},
	{"bigtable_tag", "bigtableTag", "the Liquibase image for Google Bigtable"},
	{"cloud_sql_tag", "cloudSqlTag", "the Liquibase image for Google Cloud SQL"},
	{"db2_tag", "db2Tag", "the Liquibase image for IBM Db2"},
	{"default_tag", "defaultTag", "the default Liquibase image, used for most databases"},
	{"flyway_default_tag", "flywayDefaultTag", "the default Flyway image"},
	{"flyway_mongo_tag", "flywayMongoTag", "the Flyway image for MongoDB"},
	{"flyway_spanner_psql_tag", "flywaySpannerPsqlTag", "the Flyway image for Spanner's PostgreSQL interface"},
	{"flyway_spanner_tag", "flywaySpannerTag", "the Flyway image for Google Spanner"},
	{"git_clone_tag", "gitCloneTag", "the image that clones the changelog's Git repository"},
	{"mongo_tag", "mongoTag", "the Liquibase image for MongoDB"},
	{"oracle_tag", "oracleTag", "the Liquibase image for Oracle"},
	{"percona_tag", "perconaTag", "the image with Percona Toolkit, used by schemas with use_percona"},
	{"rds_tag", "rdsTag", "the Liquibase image for Amazon RDS"},
	{"snowflake_tag", "snowflakeTag", "the Liquibase image for Snowflake"},
	{"spanner_tag", "spannerTag", "the Liquibase image for Google Spanner"},
}

// dbopsKind is DB DevOps's execution config: harness_dbops_image_config and its data
// sources, with a typed attribute per field it documents.
var dbopsKind = &execConfigKind{
	product:          "DB DevOps",
	imageNoun:        "image",
	typeName:         "_dbops_image_config",
	fields:           imageFields,
	exclusiveDestroy: "deletes every override of the account (`DELETE /v1/dbops/execution-config`)",
	importUsage: fmt.Sprintf("Use a comma-separated list of the fields to manage, by attribute or API name (for example "+
		"\"default_tag,mongo_tag\"); add %q to manage them in the images map (any field name, even one this provider "+
		"version does not know) and %q to own the whole execution config. With no field listed, every field that has "+
		"an override now is managed. Known fields: %s.", importInMap, importExclusive, imageFieldNames()),
	open:           openDBOps,
	resourceSchema: dbopsResourceSchema,
	idDoc:          "The Harness account ID: the execution config is one per account.",
	imagesDoc:      dbopsImagesDoc,

	defaultsTypeName: "_dbops_default_images",
	defaultsDoc: "The images Harness DB DevOps pipelines use when the account overrides nothing " +
		"(`GET /v1/dbops/execution-config/get-default-config`).",
	effectiveDoc: "The account's effective DB DevOps execution config: the images its pipelines use now, " +
		"defaults merged with overrides, and the overrides alone.",
}

// imageFieldByName finds a field by its attribute or its API name.
func imageFieldByName(name string) (imageField, bool) {
	for _, f := range imageFields {
		if f.attr == name || f.api == name {
			return f, true
		}
	}
	return imageField{}, false
}

// imageFieldNames lists the attribute names, for error messages.
func imageFieldNames() string {
	names := make([]string, len(imageFields))
	for i, f := range imageFields {
		names[i] = f.attr
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// imageConfigModel is the resource's state. Images maps the API name of each managed
// field to its value, whether a typed attribute (git_clone_tag) or the images map sets
// it; a null value is a field this resource does not manage. InMap holds the fields
// the images map sets, and is nil when the map is null.
type imageConfigModel struct {
	kind               *execConfigKind
	ID                 types.String
	Infra              types.String // the CI build infrastructure (ciKind only)
	Exclusive          types.Bool
	OnDestroy          types.String
	UnmanagedOverrides types.Map
	Images             map[string]types.String
	InMap              map[string]bool
	// MapUnknown: the images map is only known after apply (in a plan).
	MapUnknown bool
	// Twice lists the fields set both ways, which ValidateConfig refuses.
	Twice []string
}

// attributeReader is what tfsdk.Config, Plan and State have in common.
type attributeReader interface {
	GetAttribute(context.Context, path.Path, any) diag.Diagnostics
}

type attributeWriter interface {
	SetAttribute(context.Context, path.Path, any) diag.Diagnostics
}

func readImageConfig(ctx context.Context, kind *execConfigKind, src attributeReader) (imageConfigModel, diag.Diagnostics) {
	m := imageConfigModel{kind: kind, Images: map[string]types.String{}}
	var diags diag.Diagnostics
	diags.Append(src.GetAttribute(ctx, path.Root("id"), &m.ID)...)
	if kind.hasInfra {
		diags.Append(src.GetAttribute(ctx, infraPath, &m.Infra)...)
	}
	diags.Append(src.GetAttribute(ctx, path.Root("exclusive"), &m.Exclusive)...)
	diags.Append(src.GetAttribute(ctx, path.Root("on_destroy"), &m.OnDestroy)...)
	diags.Append(src.GetAttribute(ctx, path.Root("unmanaged_overrides"), &m.UnmanagedOverrides)...)
	for _, f := range kind.fields {
		var v types.String
		diags.Append(src.GetAttribute(ctx, path.Root(f.attr), &v)...)
		m.Images[f.api] = v
	}
	var bulk types.Map
	diags.Append(src.GetAttribute(ctx, path.Root("images"), &bulk)...)
	m.MapUnknown = bulk.IsUnknown()
	if bulk.IsNull() || bulk.IsUnknown() {
		return m, diags
	}
	m.InMap = map[string]bool{}
	for api, e := range bulk.Elements() {
		v, _ := e.(types.String)
		if prev := m.Images[api]; !prev.IsNull() {
			m.Twice = append(m.Twice, api)
			continue
		}
		m.Images[api], m.InMap[api] = v, true
	}
	slices.Sort(m.Twice)
	return m, diags
}

func (m imageConfigModel) write(ctx context.Context, dst attributeWriter) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(dst.SetAttribute(ctx, path.Root("id"), m.ID)...)
	if m.kind.hasInfra {
		diags.Append(dst.SetAttribute(ctx, infraPath, m.Infra)...)
	}
	diags.Append(dst.SetAttribute(ctx, path.Root("exclusive"), m.Exclusive)...)
	diags.Append(dst.SetAttribute(ctx, path.Root("on_destroy"), m.OnDestroy)...)
	diags.Append(dst.SetAttribute(ctx, path.Root("unmanaged_overrides"), m.UnmanagedOverrides)...)
	for _, f := range m.kind.fields {
		v := m.Images[f.api]
		if m.InMap[f.api] {
			v = types.StringNull()
		}
		diags.Append(dst.SetAttribute(ctx, path.Root(f.attr), v)...)
	}
	bulk := types.MapNull(types.StringType)
	switch {
	case m.MapUnknown:
		bulk = types.MapUnknown(types.StringType)
	case m.InMap != nil:
		elems := map[string]attr.Value{}
		for api := range m.InMap {
			if v := m.Images[api]; !v.IsNull() {
				elems[api] = v
			}
		}
		bulk = types.MapValueMust(types.StringType, elems)
	}
	diags.Append(dst.SetAttribute(ctx, path.Root("images"), bulk)...)
	return diags
}

// typedAttr is the typed attribute that sets a field, if the images map does not.
func (m imageConfigModel) typedAttr(api string) (string, bool) {
	f, ok := m.kind.field(api)
	return f.attr, ok && f.api == api && !m.InMap[api]
}

// fieldPath is where the configuration sets a field: its typed attribute, or its key
// in the images map.
func (m imageConfigModel) fieldPath(api string) path.Path {
	if attr, ok := m.typedAttr(api); ok {
		return path.Root(attr)
	}
	return path.Root("images").AtMapKey(api)
}

// fieldName names a field as the configuration sets it: git_clone_tag, or
// images["gitCloneTag"].
func (m imageConfigModel) fieldName(api string) string {
	if attr, ok := m.typedAttr(api); ok {
		return attr
	}
	return fmt.Sprintf("images[%q]", api)
}

// fieldLabel is fieldName with the API name of a typed attribute:
// "git_clone_tag (gitCloneTag)".
func (m imageConfigModel) fieldLabel(api string) string {
	if attr, ok := m.typedAttr(api); ok {
		return attr + " (" + api + ")"
	}
	return m.fieldName(api)
}

// toAPI returns the overrides the model asks for, by API field name.
func (m imageConfigModel) toAPI() map[string]string {
	out := map[string]string{}
	for api, v := range m.Images {
		if !v.IsNull() && !v.IsUnknown() {
			out[api] = v.ValueString()
		}
	}
	return out
}

// managed lists the API names of the fields the model holds (known or not).
func (m imageConfigModel) managed() []string {
	var out []string
	for api, v := range m.Images {
		if !v.IsNull() {
			out = append(out, api)
		}
	}
	slices.Sort(out)
	return out
}

// fromAPI is the drift detection: a managed field takes the server's override, or
// becomes null when the override is gone; unmanaged fields stay null. Every other
// override goes to unmanaged_overrides, in both modes: the refresh reads them anyway,
// and a plan that turns exclusive on can then show what its apply resets.
func (m *imageConfigModel) fromAPI(overrides client.ExecutionConfig) {
	managed := m.managed()
	for _, api := range managed {
		if v, ok := overrides[api]; ok {
			m.Images[api] = types.StringValue(v)
		} else {
			m.Images[api] = types.StringNull()
		}
	}
	m.UnmanagedOverrides = tfkit.StringMap(unmanaged(overrides, managed))
}

// plannedUnmanaged is what unmanaged_overrides holds after the apply of m, planned from
// state (the refresh): nothing in exclusive mode, as the apply resets them; otherwise
// what the refresh found, less the fields m now sets. A create in shared mode has not
// read them yet, so they are known after apply.
func (m imageConfigModel) plannedUnmanaged(state imageConfigModel, creating bool) types.Map {
	switch {
	case m.Exclusive.IsUnknown():
		return types.MapUnknown(types.StringType)
	case m.Exclusive.ValueBool():
		return tfkit.StringMap(nil)
	case creating || m.MapUnknown || state.UnmanagedOverrides.IsUnknown():
		return types.MapUnknown(types.StringType)
	case state.UnmanagedOverrides.IsNull(): // not refreshed since an older provider version wrote it
		return state.UnmanagedOverrides
	}
	left := map[string]attr.Value{}
	for api, v := range state.UnmanagedOverrides.Elements() {
		if m.Images[api].IsNull() {
			left[api] = v
		}
	}
	return types.MapValueMust(types.StringType, left)
}

// unmanaged returns the overrides on fields outside managed.
func unmanaged(overrides client.ExecutionConfig, managed []string) map[string]string {
	out := map[string]string{}
	for api, v := range overrides {
		if !slices.Contains(managed, api) {
			out[api] = v
		}
	}
	return out
}

// setImageAttributes writes one attribute per typed field, null where cfg lacks it.
func setImageAttributes(ctx context.Context, kind *execConfigKind, set func(context.Context, path.Path, any) diag.Diagnostics, cfg client.ExecutionConfig) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, f := range kind.fields {
		v := types.StringNull()
		if s, ok := cfg[f.api]; ok {
			v = types.StringValue(s)
		}
		diags.Append(set(ctx, path.Root(f.attr), v)...)
	}
	return diags
}
