package provider

import (
	"cmp"
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

const (
	schemaTypeRepository = "Repository"
	schemaTypeScript     = "Script"
)

// dbSchemaAttrs are the attributes of a DB schema that the resource and its data
// sources share.
var dbSchemaAttrs = withScope("`org_id/project_id/identifier`", tfkit.Attrs{
	"identifier":     {What: "Identifier of the DB schema (`identifier`)."},
	"name":           {What: "Display name (`name`)."},
	"tags":           {What: "Tags (`tags`); `{}` when there are none.", Type: tfkit.StringMapType},
	"service":        {What: "Identifier of the Harness service the schema belongs to (`service`); null when there is none."},
	"migration_type": {What: "Migration tool (`migrationType`): `Liquibase` or `Flyway`."},
	"use_percona":    {What: "Whether schema changes run through Percona Toolkit (`usePercona`).", Type: types.BoolType},
	"type": {What: "Kind of schema source (`type`): `Repository` when `schema_source` is set, `Script` when " +
		"`changelog_script` is set."},
	"schema_source": {What: "The changelog kept in a repository or an Artifactory archive (`changelog`; `type` = " +
		"`Repository`); null for `Script` schemas.", Nested: tfkit.Attrs{
		"connector": {What: "Git or Artifactory connector reference (`changelog.connector`), such as `my_connector`, " +
			"`org.my_connector` or `account.my_connector`; null (or `\"\"`) for Harness Code Repository."},
		"repo": {What: "Repository name (`changelog.repo`): required for Harness Code Repository and for " +
			"account-level Git connectors."},
		"location":     {What: "Path of the changelog file or folder in the repository (`changelog.location`)."},
		"archive_path": {What: "Path of the archive in Artifactory (`changelog.archivePath`); Artifactory connectors only."},
		"toml":         {What: "Flyway configuration file (`changelog.toml`)."},
	}},
	"changelog_script": {What: "A script, run in a container, that fetches the changelog (`changeLogScript`; `type` = " +
		"`Script`); null for `Repository` schemas.", Nested: tfkit.Attrs{
		"image":    {What: "Container image that runs the script (`changeLogScript.image`), such as `plugins/image:latest`."},
		"command":  {What: "The script that downloads the changelog (`changeLogScript.command`)."},
		"shell":    {What: "Shell that runs the script (`changeLogScript.shell`), such as `Sh` or `Bash`, or a Harness expression."},
		"location": {What: "Path of the changelog once downloaded (`changeLogScript.location`)."},
		"toml":     {What: "Flyway configuration file (`changeLogScript.toml`)."},
	}},
	"created":        {What: "Creation time, in epoch seconds (`created`).", Type: types.Int64Type},
	"updated":        {What: "Last update time, in epoch seconds (`updated`).", Type: types.Int64Type},
	"instance_count": {What: "Number of DB instances of the schema (`instanceCount`).", Type: types.Int64Type},
	"schema_source_type": {What: "Where the changelog comes from, as Harness classifies it (`schemaSourceType`), such " +
		"as `Git`, `Artifactory`, `HarnessCode` or `Custom`."},
	"parent_id": {What: "Harness's unique ID of the org/project scope the schema belongs to (`parentId`)."},
})

// dbSchemaModel is a DB schema in Terraform: the resource's state, and the data
// sources', which show the same attributes.
type dbSchemaModel struct {
	ID               types.String `tfsdk:"id"`
	OrgID            types.String `tfsdk:"org_id"`
	ProjectID        types.String `tfsdk:"project_id"`
	Identifier       types.String `tfsdk:"identifier"`
	Name             types.String `tfsdk:"name"`
	Tags             types.Map    `tfsdk:"tags"`
	Service          types.String `tfsdk:"service"`
	MigrationType    types.String `tfsdk:"migration_type"`
	UsePercona       types.Bool   `tfsdk:"use_percona"`
	Type             types.String `tfsdk:"type"`
	SchemaSource     types.Object `tfsdk:"schema_source"`
	ChangelogScript  types.Object `tfsdk:"changelog_script"`
	Created          types.Int64  `tfsdk:"created"`
	Updated          types.Int64  `tfsdk:"updated"`
	InstanceCount    types.Int64  `tfsdk:"instance_count"`
	SchemaSourceType types.String `tfsdk:"schema_source_type"`
	ParentID         types.String `tfsdk:"parent_id"`
}

// dbSchemaSourceModel is schema_source, the API's `changelog`.
type dbSchemaSourceModel struct {
	Connector   types.String `tfsdk:"connector"`
	Repo        types.String `tfsdk:"repo"`
	Location    types.String `tfsdk:"location"`
	ArchivePath types.String `tfsdk:"archive_path"`
	TOML        types.String `tfsdk:"toml"`
}

// dbChangelogScriptModel is changelog_script, the API's `changeLogScript`.
type dbChangelogScriptModel struct {
	Image    types.String `tfsdk:"image"`
	Command  types.String `tfsdk:"command"`
	Shell    types.String `tfsdk:"shell"`
	Location types.String `tfsdk:"location"`
	TOML     types.String `tfsdk:"toml"`
}

// The object types of the models, from dbSchemaAttrs.
var (
	dbSchemaAttrTypes          = dbSchemaAttrs.ObjectTypes()
	dbSchemaSourceAttrTypes    = dbSchemaAttrs["schema_source"].Nested.ObjectTypes()
	dbChangelogScriptAttrTypes = dbSchemaAttrs["changelog_script"].Nested.ObjectTypes()
)

// toAPI is the schema the model describes, in the create body's shape; the update
// body is built from two of them (client.NewSchemaUpdate).
func (m dbSchemaModel) toAPI(ctx context.Context) (client.SchemaInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := client.SchemaInput{
		Identifier:    m.Identifier.ValueString(),
		Name:          m.Name.ValueString(),
		Service:       m.Service.ValueString(),
		MigrationType: m.MigrationType.ValueString(),
		UsePercona:    m.UsePercona.ValueBool(),
	}
	in.Tags, diags = tfkit.GoStringMap(ctx, m.Tags)
	if !m.SchemaSource.IsNull() && !m.SchemaSource.IsUnknown() {
		var src dbSchemaSourceModel
		diags.Append(m.SchemaSource.As(ctx, &src, basetypes.ObjectAsOptions{})...)
		in.Type = schemaTypeRepository
		// An absent or empty connector means Harness Code Repository; it is always
		// sent, because the API keeps the stored connector when the key is absent.
		in.Changelog = &client.Changelog{
			Connector:   src.Connector.ValueString(),
			Repo:        src.Repo.ValueString(),
			Location:    src.Location.ValueString(),
			ArchivePath: src.ArchivePath.ValueString(),
			TOML:        src.TOML.ValueString(),
		}
	}
	if !m.ChangelogScript.IsNull() && !m.ChangelogScript.IsUnknown() {
		var scr dbChangelogScriptModel
		diags.Append(m.ChangelogScript.As(ctx, &scr, basetypes.ObjectAsOptions{})...)
		in.Type = schemaTypeScript
		in.ChangeLogScript = &client.ChangeLogScript{
			Image:    scr.Image.ValueString(),
			Command:  scr.Command.ValueString(),
			Shell:    scr.Shell.ValueString(),
			Location: scr.Location.ValueString(),
			TOML:     scr.TOML.ValueString(),
		}
	}
	return in, diags
}

// fromAPI sets every attribute from the API's answer. Empty optional strings become
// null, except schema_source.connector, where "" means Harness Code Repository: it
// keeps the form ("" or null) that m held before, so that both configurations are
// stable and an import (which has no prior form) gives null.
func (m *dbSchemaModel) fromAPI(ctx context.Context, org, project string, s *client.Schema) diag.Diagnostics {
	var diags diag.Diagnostics
	priorConnector := types.StringNull()
	if !m.SchemaSource.IsNull() && !m.SchemaSource.IsUnknown() {
		if c, ok := m.SchemaSource.Attributes()["connector"].(types.String); ok {
			priorConnector = c
		}
	}

	m.ID = types.StringValue(importID(org, project, s.Identifier))
	m.OrgID = types.StringValue(org)
	m.ProjectID = types.StringValue(project)
	m.Identifier = types.StringValue(s.Identifier)
	m.Name = types.StringValue(s.Name)
	m.Service = tfkit.OptionalString(s.Service)
	// Schemas created before Flyway support may come back without migrationType: they
	// are Liquibase, the API's default. Null here would plan a replacement.
	m.MigrationType = types.StringValue(cmp.Or(s.MigrationType, "Liquibase"))
	m.UsePercona = types.BoolValue(s.UsePercona)
	m.Created = types.Int64Value(s.Created)
	m.Updated = types.Int64Value(s.Updated)
	m.InstanceCount = types.Int64Value(s.InstanceCount)
	m.SchemaSourceType = tfkit.OptionalString(s.SchemaSourceType)
	m.ParentID = tfkit.OptionalString(s.ParentID)

	var d diag.Diagnostics
	m.Tags = tfkit.StringMap(s.Tags)

	m.SchemaSource = types.ObjectNull(dbSchemaSourceAttrTypes)
	if c := s.Changelog; c != nil {
		connector := tfkit.OptionalString(c.Connector)
		if c.Connector == "" && priorConnector.Equal(types.StringValue("")) {
			connector = priorConnector
		}
		m.SchemaSource, d = types.ObjectValueFrom(ctx, dbSchemaSourceAttrTypes, dbSchemaSourceModel{
			Connector:   connector,
			Repo:        tfkit.OptionalString(c.Repo),
			Location:    types.StringValue(c.Location),
			ArchivePath: tfkit.OptionalString(c.ArchivePath),
			TOML:        tfkit.OptionalString(c.TOML),
		})
		diags.Append(d...)
	}
	m.ChangelogScript = types.ObjectNull(dbChangelogScriptAttrTypes)
	if c := s.ChangeLogScript; c != nil {
		m.ChangelogScript, d = types.ObjectValueFrom(ctx, dbChangelogScriptAttrTypes, dbChangelogScriptModel{
			Image:    types.StringValue(c.Image),
			Command:  types.StringValue(c.Command),
			Shell:    types.StringValue(c.Shell),
			Location: types.StringValue(c.Location),
			TOML:     tfkit.OptionalString(c.TOML),
		})
		diags.Append(d...)
	}

	switch {
	case s.Type != "":
		m.Type = types.StringValue(s.Type)
	case s.ChangeLogScript != nil:
		m.Type = types.StringValue(schemaTypeScript)
	default:
		m.Type = types.StringValue(schemaTypeRepository)
	}
	return diags
}

// where names the schema in diagnostics.
func (m dbSchemaModel) where() string {
	return fmt.Sprintf("DB schema %q in org %q, project %q", m.Identifier.ValueString(), m.OrgID.ValueString(), m.ProjectID.ValueString())
}

// sourceKind is the schema's source kind as planned: the one Harness reported while the
// source does not change, else the one the configuration implies; "" while a value it
// depends on is unknown.
func (m dbSchemaModel) sourceKind() string {
	switch {
	case !m.SchemaSourceType.IsUnknown() && !m.SchemaSourceType.IsNull():
		return m.SchemaSourceType.ValueString()
	case m.ChangelogScript.IsUnknown() || m.SchemaSource.IsUnknown():
		return ""
	case !m.ChangelogScript.IsNull():
		return sourceCustom
	case m.SchemaSource.IsNull():
		return ""
	}
	attrs := m.SchemaSource.Attributes()
	connector, _ := attrs["connector"].(types.String)
	archive, _ := attrs["archive_path"].(types.String)
	if connector.IsUnknown() || archive.IsUnknown() {
		return ""
	}
	return repoSourceKind(connector.ValueString(), archive.ValueString())
}
