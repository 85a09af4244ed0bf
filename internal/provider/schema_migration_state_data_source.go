package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

var (
	_ datasource.DataSource              = (*schemaMigrationStateDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*schemaMigrationStateDataSource)(nil)
)

// schemaMigrationStateDataSource reads a schema's migration state across its instances:
// which instances are behind, and by how many changesets, the question a release gate
// asks.
type schemaMigrationStateDataSource struct {
	client *client.Client
	reads  *readCache // the schema, for its migration type
}

func newSchemaMigrationStateDataSource() datasource.DataSource {
	return &schemaMigrationStateDataSource{}
}

func (d *schemaMigrationStateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_schema_migration_state"
}

func (d *schemaMigrationStateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := migrationScopeAttrs("Identifier of the DB schema whose instances are compared (path `{dbschema}`).")
	attrs["id"] = schema.StringAttribute{MarkdownDescription: "`org_id/project_id/schema`.", Computed: true}
	attrs["changesets"] = schema.ListNestedAttribute{
		MarkdownDescription: "Every changeset (Flyway: migration) recorded on any instance of the schema, in the API's " +
			"order (the changelog's), with its status on each instance.",
		Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: schemaChangesetAttrs.DataSource(nil)},
	}
	attrs["instances"] = schema.MapNestedAttribute{
		MarkdownDescription: "Every instance of the schema, by identifier: how far it is behind the others.",
		Computed:            true, NestedObject: schema.NestedAttributeObject{Attributes: instanceProgressAttrs.DataSource(nil)},
	}
	attrs["latest_changeset"] = schema.StringAttribute{MarkdownDescription: "The `fqn` of the changeset deployed most " +
		"recently on any instance; null when none is.", Computed: true}
	attrs["behind_instances"] = schema.ListAttribute{MarkdownDescription: "The identifiers of the instances that are behind " +
		"(`behind` > 0), sorted.", ElementType: types.StringType, Computed: true}
	attrs["synced"] = schema.BoolAttribute{MarkdownDescription: "Whether no instance is behind: every changeset deployed " +
		"anywhere is deployed everywhere.", Computed: true}
	attrs["status_counts"] = schema.MapAttribute{MarkdownDescription: "How many (changeset, instance) pairs have each " +
		"status, by the API's value, the four documented statuses always present: `status_counts[\"Deployment_Failed\"] == 0` " +
		"says that no instance has a failed changeset.", ElementType: types.Int64Type, Computed: true}
	attrs["tag_instances"] = schema.MapAttribute{MarkdownDescription: "For each tag of a deployed changeset, the " +
		"identifiers of the instances it is deployed on, sorted: `lookup(tag_instances, \"v2\", [])` lists where release " +
		"`v2` is. Flyway migrations have no tags: `{}`.", ElementType: stringListType, Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Compares the migration state of every DB instance of a Harness Database DevOps DB schema " +
			"(`POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/migrationstate`, or `.../flyway/migrationstate` " +
			"for a Flyway schema), following every page: which instances are behind the changesets another instance has, " +
			"and by how many. It reads the schema first, for its migration type. Use it in a `postcondition` to stop a plan.",
		Attributes: attrs,
	}
}

func (d *schemaMigrationStateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if data := dataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		d.client, d.reads = data.client, data.reads
	}
}

func (d *schemaMigrationStateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m schemaMigrationStateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString()
	mt, ok := readMigrationType(ctx, d.reads, &resp.Diagnostics, org, project, schemaID)
	if !ok {
		return
	}
	opts := client.SchemaMigrationStateOptions{}
	view, err := byMigrationType(mt, func() (schemaView, error) {
		st, err := d.client.GetSchemaMigrationState(ctx, org, project, schemaID, opts)
		if err != nil {
			return schemaView{}, err
		}
		return schemaView{liquibaseSchemaRecords(st.ChangeSets), st.Instances}, nil
	}, func() (schemaView, error) {
		st, err := d.client.GetSchemaFlywayMigrationState(ctx, org, project, schemaID, opts)
		if err != nil {
			return schemaView{}, err
		}
		return schemaView{flywaySchemaRecords(st.Migrations, st.Instances), st.Instances}, nil
	})
	if err != nil {
		where := fmt.Sprintf("DB schema %q in org %q, project %q", schemaID, org, project)
		if client.IsNotFound(err) { // deleted since it was read
			addReadError(&resp.Diagnostics, "DB schema", where, err)
		} else {
			addAPIError(&resp.Diagnostics, "Unable to read the migration state", "Reading the migration state of the "+where, err)
		}
		return
	}
	tflog.Debug(ctx, "read schema migration state", map[string]any{"org_id": org, "project_id": project, "schema": schemaID,
		"migration_type": mt, "changesets": len(view.records), "instances": len(view.instances)})
	resp.Diagnostics.Append(m.fromView(ctx, mt, view.records, view.instances)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// schemaView is a schema-wide view of either migration type: its changesets and the
// instances it shows.
type schemaView struct {
	records   []schemaRecord
	instances []client.InstanceDetail
}
