package provider

import (
	"cmp"
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

var (
	_ datasource.DataSource              = (*migrationStateDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*migrationStateDataSource)(nil)
)

// migrationStateDataSource reads what Harness recorded of one instance's migrations,
// for release gates (postconditions) that stop a plan.
type migrationStateDataSource struct {
	client *client.Client
	reads  *readCache // the schema, for its migration type
}

func newMigrationStateDataSource() datasource.DataSource { return &migrationStateDataSource{} }

func (d *migrationStateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dbops_migration_state"
}

// migrationScopeAttrs are the lookup keys of both migration-state data sources.
func migrationScopeAttrs(schemaWhat string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"org_id": schema.StringAttribute{MarkdownDescription: "Identifier of the Harness organization (path `{org}`).",
			Required: true, Validators: identifierValidators()},
		"project_id": schema.StringAttribute{MarkdownDescription: "Identifier of the Harness project (path `{project}`).",
			Required: true, Validators: identifierValidators()},
		"schema":         schema.StringAttribute{MarkdownDescription: schemaWhat, Required: true, Validators: schemaIdentifierValidators()},
		"migration_type": schema.StringAttribute{MarkdownDescription: migrationTypeAttr.What, Computed: true},
	}
}

func (d *migrationStateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := migrationScopeAttrs("Identifier of the DB schema (path `{dbschema}`).")
	attrs["id"] = schema.StringAttribute{MarkdownDescription: "`org_id/project_id/schema/instance`.", Computed: true}
	attrs["instance"] = schema.StringAttribute{MarkdownDescription: "Identifier of the DB instance (path `{dbinstance}`).",
		Required: true, Validators: identifierValidators()}
	attrs["changesets"] = schema.ListNestedAttribute{
		MarkdownDescription: "Every changeset (Flyway: migration) Harness recorded on the instance, one per `fqn` with its " +
			"latest outcome, in the order the API lists them (the order first recorded); `[]` for an instance no pipeline " +
			"has deployed to.",
		Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: changesetAttrs.DataSource(nil)},
	}
	attrs["status_counts"] = schema.MapAttribute{MarkdownDescription: "How many changesets have each status, by the API's " +
		"value; the four documented statuses are always present, so `status_counts[\"Deployment_Failed\"] == 0` needs no `lookup`.",
		ElementType: types.Int64Type, Computed: true}
	attrs["latest_changeset"] = schema.StringAttribute{MarkdownDescription: "The `fqn` of the changeset deployed most recently " +
		"(`Successfully_Deployed`, greatest `deployed_at`); null when none is.", Computed: true}
	attrs["latest_deployed_tag"] = schema.StringAttribute{MarkdownDescription: "The `tag` of the tagged changeset deployed most " +
		"recently; null when none is (always for Flyway, whose migrations have no tags).", Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads which changesets Harness Database DevOps pipelines deployed to one DB instance, when, by " +
			"which execution, and with what outcome (`GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/dbinstance/{dbinstance}/migrationstate`, " +
			"or `.../flyway/migrationstate` for a Flyway schema), following every page. It reads the schema first, for its " +
			"migration type. Use it in a `postcondition` to stop a plan: a release gate.",
		Attributes: attrs,
	}
}

func (d *migrationStateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if data := dataFrom(req.ProviderData, &resp.Diagnostics); data != nil {
		d.client, d.reads = data.client, data.reads
	}
}

func (d *migrationStateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m migrationStateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, project, schemaID, id := m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString(), m.Instance.ValueString()
	mt, ok := readMigrationType(ctx, d.reads, &resp.Diagnostics, org, project, schemaID)
	if !ok {
		return
	}
	opts := client.MigrationStateOptions{}
	records, err := byMigrationType(mt, func() ([]migrationRecord, error) {
		st, err := d.client.GetInstanceMigrationState(ctx, org, project, schemaID, id, opts)
		if err != nil {
			return nil, err
		}
		return liquibaseRecords(st.ChangeSets), nil
	}, func() ([]migrationRecord, error) {
		st, err := d.client.GetInstanceFlywayMigrationState(ctx, org, project, schemaID, id, opts)
		if err != nil {
			return nil, err
		}
		return flywayRecords(st.Migrations), nil
	})
	if err != nil {
		addMigrationStateError(&resp.Diagnostics, fmt.Sprintf("DB instance %q of schema %q in org %q, project %q", id, schemaID, org, project), err)
		return
	}
	tflog.Debug(ctx, "read migration state", map[string]any{"org_id": org, "project_id": project, "schema": schemaID,
		"instance": id, "migration_type": mt, "changesets": len(records)})
	resp.Diagnostics.Append(m.fromRecords(ctx, mt, records)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

const migrationTypeFlyway = "Flyway"

// byMigrationType calls the view of a schema of migration type mt: Liquibase's or
// Flyway's, whose answers differ in shape.
func byMigrationType[T any](mt string, liquibase, flyway func() (T, error)) (T, error) {
	if mt == migrationTypeFlyway {
		return flyway()
	}
	return liquibase()
}

// readMigrationType reads the schema's migration type (Liquibase when Harness leaves it
// out, its default), which picks the view to call; false after an error diagnostic.
func readMigrationType(ctx context.Context, reads *readCache, diags *diag.Diagnostics, org, project, schemaID string) (string, bool) {
	sc, err := reads.schema(ctx, org, project, schemaID)
	if err != nil {
		addReadError(diags, "DB schema", fmt.Sprintf("DB schema %q in org %q, project %q", schemaID, org, project), err)
		return "", false
	}
	return cmp.Or(sc.MigrationType, "Liquibase"), true
}

// addMigrationStateError reports a failed read of a migration-state view: a 404 means
// that the instance (or the schema, deleted since it was read) does not exist, where
// names it.
func addMigrationStateError(diags *diag.Diagnostics, where string, err error) {
	if client.IsNotFound(err) {
		diags.AddError("DB instance not found", "The "+where+" does not exist in Harness, so it has no migration state: "+err.Error())
		return
	}
	addAPIError(diags, "Unable to read the migration state", "Reading the migration state of the "+where, err)
}
