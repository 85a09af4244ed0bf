package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// The migration state of DB instances, as the release-gate data sources show it: a
// Liquibase changeset and a Flyway migration in one shape (migrationRecord), and the
// figures a gate compares without a for expression (counts per status, the latest
// deployed changeset and tag, how far each instance is behind).

// migrationTypeAttr is the schema's migration type, which picks the API's view.
var migrationTypeAttr = tfkit.Attr{What: "The schema's migration type (`migrationType`), `Liquibase` or `Flyway`: it picks " +
	"the API's view (`.../migrationstate` or `.../flyway/migrationstate`)."}

var statusCountsType = types.MapType{ElemType: types.Int64Type}

// changesetAttrs is one changeset (or Flyway migration) of an instance's history.
var changesetAttrs = tfkit.Attrs{
	"changeset": {What: "Liquibase: the changeset's id (`changeSet`). Flyway: the migration's version (`version`); null " +
		"for a repeatable migration."},
	"fqn": {What: "The changeset's unique key. Liquibase: `fileName::changeSet::author` (`changeSetFQN`). Flyway: the " +
		"version, or `repeatable::<description>` for a repeatable migration."},
	"author":      {What: "Liquibase: the changeset's author (`author`). Flyway: null."},
	"file_name":   {What: "Liquibase: the changelog file that holds the changeset (`fileName`). Flyway: null."},
	"tag":         {What: "Liquibase: the tag the changeset carries (`tag`); null when none. Flyway: null."},
	"label":       {What: "Liquibase: the changeset's labels (`label`); null when none. Flyway: null."},
	"comment":     {What: "Liquibase: the changeset's comment (`comment`). Flyway: the migration's description (`description`). Null when none."},
	"flyway_type": {What: "Flyway: the migration's type (`type`: `SQL`, `JDBC`, `BASELINE`...). Liquibase: null."},
	"status": {What: "Its latest outcome on the instance (`status`), the API's value: `Successfully_Deployed`, " +
		"`Deployment_Failed`, `Rolled_Back` or `Not_Deployed` (a value Harness adds passes through)."},
	"deployed_at": {What: "When that outcome was recorded (`deployedAt`), in RFC 3339 (UTC); null when the API gives no time."},
	"pipeline":    {What: "The pipeline that ran it (`pipeline`; Flyway `pipelineIdentifier`)."},
	"plan_execution_id": {What: "The pipeline execution (`planExecutionId`; Flyway `pipelineExecutionId`), as in " +
		"Harness's execution URLs."},
	"stage_execution_id": {What: "The stage execution (`stageExecutionId`)."},
}

var changesetAttrTypes = changesetAttrs.ObjectTypes()

// changesetModel is one element of changesets.
type changesetModel struct {
	ChangeSet        types.String `tfsdk:"changeset"`
	FQN              types.String `tfsdk:"fqn"`
	Author           types.String `tfsdk:"author"`
	FileName         types.String `tfsdk:"file_name"`
	Tag              types.String `tfsdk:"tag"`
	Label            types.String `tfsdk:"label"`
	Comment          types.String `tfsdk:"comment"`
	FlywayType       types.String `tfsdk:"flyway_type"`
	Status           types.String `tfsdk:"status"`
	DeployedAt       types.String `tfsdk:"deployed_at"`
	Pipeline         types.String `tfsdk:"pipeline"`
	PlanExecutionID  types.String `tfsdk:"plan_execution_id"`
	StageExecutionID types.String `tfsdk:"stage_execution_id"`
}

// migrationRecord is a changeset's or a Flyway migration's latest outcome on one
// instance, in one shape.
type migrationRecord struct {
	ChangeSet, FQN, Author, FileName, Tag, Label, Comment, FlywayType string
	Status                                                            string
	DeployedAt                                                        time.Time
	Pipeline, PlanExecutionID, StageExecutionID                       string
}

// liquibaseRecords reads an instance's changesets, one per FQN (client.LatestChangeSets).
func liquibaseRecords(cs []client.ChangeSet) []migrationRecord {
	out := make([]migrationRecord, 0, len(cs))
	for _, c := range client.LatestChangeSets(cs) {
		out = append(out, migrationRecord{ChangeSet: c.ChangeSet, FQN: c.FQN(), Author: c.Author, FileName: c.FileName,
			Tag: c.Tag, Label: c.Label, Comment: c.Comment, Status: c.Status, DeployedAt: c.DeployedTime(),
			Pipeline: c.Pipeline, PlanExecutionID: c.PlanExecutionID, StageExecutionID: c.StageExecutionID})
	}
	return out
}

// flywayRecords reads an instance's Flyway migrations, one per key: the version is the
// changeset, the description its comment.
func flywayRecords(ms []client.FlywayMigration) []migrationRecord {
	out := make([]migrationRecord, 0, len(ms))
	for _, m := range client.LatestFlywayMigrations(ms) {
		out = append(out, migrationRecord{ChangeSet: m.Version, FQN: m.Key(), Comment: m.Description, FlywayType: m.Type,
			Status: m.Status, DeployedAt: m.DeployedTime(), Pipeline: m.PipelineIdentifier,
			PlanExecutionID: m.PipelineExecutionID, StageExecutionID: m.StageExecutionID})
	}
	return out
}

func (m *changesetModel) fromRecord(r *migrationRecord) diag.Diagnostics {
	*m = changesetModel{
		ChangeSet: tfkit.OptionalString(r.ChangeSet), FQN: types.StringValue(r.FQN),
		Author: tfkit.OptionalString(r.Author), FileName: tfkit.OptionalString(r.FileName),
		Tag: tfkit.OptionalString(r.Tag), Label: tfkit.OptionalString(r.Label), Comment: tfkit.OptionalString(r.Comment),
		FlywayType: tfkit.OptionalString(r.FlywayType), Status: types.StringValue(r.Status), DeployedAt: rfc3339(r.DeployedAt),
		Pipeline: tfkit.OptionalString(r.Pipeline), PlanExecutionID: tfkit.OptionalString(r.PlanExecutionID),
		StageExecutionID: tfkit.OptionalString(r.StageExecutionID),
	}
	return nil
}

// rfc3339 is t in RFC 3339, UTC; the zero time (the API gave none) is null.
func rfc3339(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// statusCounts counts statuses: the four documented ones always (0 when none), and any
// other value Harness sends.
func statusCounts(statuses []string) types.Map {
	counts := map[string]int64{}
	for _, s := range client.ChangeSetStatuses() {
		counts[s] = 0
	}
	for _, s := range statuses {
		counts[s]++
	}
	values := make(map[string]attr.Value, len(counts))
	for s, n := range counts {
		values[s] = types.Int64Value(n)
	}
	return types.MapValueMust(types.Int64Type, values)
}

// deployed is one successful deployment: what it deployed, its tag, and when.
type deployed struct {
	fqn, tag string
	at       time.Time
}

// latestDeployed returns the latest of ds by time (of equal times, the later in ds)
// and the latest that has a tag; nil when there is none. Harness keeps no order a gate
// can rely on (DESIGN.md), so "latest" is by time.
func latestDeployed(ds []deployed) (latest, tagged *deployed) {
	for i := range ds {
		d := &ds[i]
		if latest == nil || !d.at.Before(latest.at) {
			latest = d
		}
		if d.tag != "" && (tagged == nil || !d.at.Before(tagged.at)) {
			tagged = d
		}
	}
	return latest, tagged
}

func (d *deployed) fqnValue() types.String {
	if d == nil {
		return types.StringNull()
	}
	return types.StringValue(d.fqn)
}

func (d *deployed) tagValue() types.String {
	if d == nil {
		return types.StringNull()
	}
	return types.StringValue(d.tag)
}

// migrationStateModel is the harness_dbops_migration_state data source: one instance.
type migrationStateModel struct {
	ID                types.String `tfsdk:"id"`
	OrgID             types.String `tfsdk:"org_id"`
	ProjectID         types.String `tfsdk:"project_id"`
	Schema            types.String `tfsdk:"schema"`
	Instance          types.String `tfsdk:"instance"`
	MigrationType     types.String `tfsdk:"migration_type"`
	Changesets        types.List   `tfsdk:"changesets"`
	StatusCounts      types.Map    `tfsdk:"status_counts"`
	LatestChangeset   types.String `tfsdk:"latest_changeset"`
	LatestDeployedTag types.String `tfsdk:"latest_deployed_tag"`
}

// fromRecords sets the computed attributes from an instance's records.
func (m *migrationStateModel) fromRecords(ctx context.Context, migrationType string, records []migrationRecord) diag.Diagnostics {
	m.ID = types.StringValue(importID(m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString(), m.Instance.ValueString()))
	m.MigrationType = types.StringValue(migrationType)
	var diags diag.Diagnostics
	m.Changesets, diags = tfkit.Objects(ctx, changesetAttrTypes, records, (*changesetModel).fromRecord)
	statuses := make([]string, 0, len(records))
	var ds []deployed
	for _, r := range records {
		statuses = append(statuses, r.Status)
		if r.Status == client.StatusSuccessfullyDeployed {
			ds = append(ds, deployed{fqn: r.FQN, tag: r.Tag, at: r.DeployedAt})
		}
	}
	m.StatusCounts = statusCounts(statuses)
	latest, tagged := latestDeployed(ds)
	m.LatestChangeset, m.LatestDeployedTag = latest.fqnValue(), tagged.tagValue()
	return diags
}

// schemaChangesetAttrs is one changeset of a schema-wide view.
var schemaChangesetAttrs = tfkit.Attrs{
	"changeset": changesetAttrs["changeset"],
	"fqn":       changesetAttrs["fqn"],
	"author":    changesetAttrs["author"],
	"file_name": changesetAttrs["file_name"],
	"synced":    {What: "Whether it is `Successfully_Deployed` on every instance (`synced`).", Type: types.BoolType},
	"updated": {What: "The last deployment or rollback attempt on any instance (`updated`; Flyway `deployedAt`), in " +
		"RFC 3339 (UTC); null when the API gives no time."},
	"statuses": {What: "Its status on each instance, by instance identifier: `Not_Deployed` where the instance never ran it.",
		Type: tfkit.StringMapType},
}

var schemaChangesetAttrTypes = schemaChangesetAttrs.ObjectTypes()

type schemaChangesetModel struct {
	ChangeSet types.String `tfsdk:"changeset"`
	FQN       types.String `tfsdk:"fqn"`
	Author    types.String `tfsdk:"author"`
	FileName  types.String `tfsdk:"file_name"`
	Synced    types.Bool   `tfsdk:"synced"`
	Updated   types.String `tfsdk:"updated"`
	Statuses  types.Map    `tfsdk:"statuses"`
}

var stringListType = types.ListType{ElemType: types.StringType}

// instanceProgressAttrs is how far one instance is, in a schema-wide view.
var instanceProgressAttrs = tfkit.Attrs{
	"name": {What: "The instance's name."},
	"behind": {What: "How many changesets that another instance of the schema has deployed are not deployed here " +
		"(`Successfully_Deployed`): 0 when the instance has everything any instance has.", Type: types.Int64Type},
	"synced":             {What: "Whether `behind` is 0.", Type: types.BoolType},
	"missing_changesets": {What: "The FQNs of those changesets, in the view's order.", Type: stringListType},
	"deployed_changesets": {What: "The FQNs of the changesets deployed here (`Successfully_Deployed`), in the view's order: " +
		"`setsubtract(prod.deployed_changesets, staging.deployed_changesets)` is what production runs that staging does not.",
		Type: stringListType},
	"status_counts": {What: "How many of the schema's changesets have each status here, by the API's value; the four " +
		"documented statuses are always present.", Type: statusCountsType},
	"latest_changeset":    {What: "The FQN of the changeset deployed here most recently; null when none is."},
	"latest_deployed_tag": {What: "The tag of the tagged changeset deployed here most recently; null when none is."},
}

var instanceProgressAttrTypes = instanceProgressAttrs.ObjectTypes()

type instanceProgressModel struct {
	Name               types.String `tfsdk:"name"`
	Behind             types.Int64  `tfsdk:"behind"`
	Synced             types.Bool   `tfsdk:"synced"`
	MissingChangesets  types.List   `tfsdk:"missing_changesets"`
	DeployedChangesets types.List   `tfsdk:"deployed_changesets"`
	StatusCounts       types.Map    `tfsdk:"status_counts"`
	LatestChangeset    types.String `tfsdk:"latest_changeset"`
	LatestDeployedTag  types.String `tfsdk:"latest_deployed_tag"`
}

// schemaRecord is a changeset of a schema-wide view, Liquibase or Flyway, with its
// column on each instance of the view.
type schemaRecord struct {
	ChangeSet, FQN, Author, FileName string
	Synced                           bool
	Updated                          time.Time
	On                               func(instance string) client.InstanceStatus
}

func liquibaseSchemaRecords(cs []client.SchemaChangeSet) []schemaRecord {
	out := make([]schemaRecord, 0, len(cs))
	for _, c := range cs {
		out = append(out, schemaRecord{ChangeSet: c.ChangeSet, FQN: c.FQN(), Author: c.Author, FileName: c.FileName,
			Synced: c.Synced, Updated: c.UpdatedTime(), On: c.StatusOn})
	}
	return out
}

// flywaySchemaRecords: a Flyway view has no synced; it is read from the columns.
func flywaySchemaRecords(ms []client.FlywayAppliedMigration, instances []client.InstanceDetail) []schemaRecord {
	out := make([]schemaRecord, 0, len(ms))
	for _, m := range ms {
		synced := len(instances) > 0
		for _, in := range instances {
			synced = synced && m.StatusOn(in.Identifier).Status == client.StatusSuccessfullyDeployed
		}
		out = append(out, schemaRecord{ChangeSet: m.Version, FQN: m.Key(), Synced: synced, Updated: m.DeployedTime(), On: m.StatusOn})
	}
	return out
}

// schemaMigrationStateModel is the harness_dbops_schema_migration_state data source.
type schemaMigrationStateModel struct {
	ID              types.String `tfsdk:"id"`
	OrgID           types.String `tfsdk:"org_id"`
	ProjectID       types.String `tfsdk:"project_id"`
	Schema          types.String `tfsdk:"schema"`
	MigrationType   types.String `tfsdk:"migration_type"`
	Changesets      types.List   `tfsdk:"changesets"`
	Instances       types.Map    `tfsdk:"instances"`
	LatestChangeset types.String `tfsdk:"latest_changeset"`
	BehindInstances types.List   `tfsdk:"behind_instances"`
	Synced          types.Bool   `tfsdk:"synced"`
	StatusCounts    types.Map    `tfsdk:"status_counts"`
	TagInstances    types.Map    `tfsdk:"tag_instances"`
}

// fromView sets the computed attributes from a schema-wide view: its changesets and
// the instances it shows.
func (m *schemaMigrationStateModel) fromView(ctx context.Context, migrationType string, records []schemaRecord, instances []client.InstanceDetail) diag.Diagnostics {
	m.ID = types.StringValue(importID(m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString()))
	m.MigrationType = types.StringValue(migrationType)
	var diags diag.Diagnostics
	anywhere := make([]bool, len(records)) // deployed on some instance
	for i, r := range records {
		anywhere[i] = slices.ContainsFunc(instances, func(in client.InstanceDetail) bool {
			return r.On(in.Identifier).Status == client.StatusSuccessfullyDeployed
		})
	}
	var all []string
	var everywhere []deployed
	tags := map[string][]string{}
	progress := make(map[string]attr.Value, len(instances))
	behindIDs := []string{}
	for _, in := range instances {
		var p instanceProgressModel
		var statuses []string
		missing, done := []string{}, []string{}
		var ds []deployed
		for i, r := range records {
			col := r.On(in.Identifier)
			statuses = append(statuses, col.Status)
			switch {
			case col.Status == client.StatusSuccessfullyDeployed:
				done = append(done, r.FQN)
				d := deployed{fqn: r.FQN, tag: col.Tag, at: col.UpdatedTime()}
				if d.at.IsZero() {
					d.at = r.Updated
				}
				ds, everywhere = append(ds, d), append(everywhere, d)
				if col.Tag != "" && !slices.Contains(tags[col.Tag], in.Identifier) {
					tags[col.Tag] = append(tags[col.Tag], in.Identifier)
				}
			case anywhere[i]:
				missing = append(missing, r.FQN)
			}
		}
		all = append(all, statuses...)
		latest, tagged := latestDeployed(ds)
		p.Name = types.StringValue(in.Name)
		p.Behind, p.Synced = types.Int64Value(int64(len(missing))), types.BoolValue(len(missing) == 0)
		p.MissingChangesets, p.DeployedChangesets = stringList(missing), stringList(done)
		p.StatusCounts = statusCounts(statuses)
		p.LatestChangeset, p.LatestDeployedTag = latest.fqnValue(), tagged.tagValue()
		obj, d := types.ObjectValueFrom(ctx, instanceProgressAttrTypes, p)
		diags.Append(d...)
		progress[in.Identifier] = obj
		if len(missing) > 0 {
			behindIDs = append(behindIDs, in.Identifier)
		}
	}
	slices.Sort(behindIDs)
	m.Instances = types.MapValueMust(types.ObjectType{AttrTypes: instanceProgressAttrTypes}, progress)
	m.BehindInstances, m.Synced = stringList(behindIDs), types.BoolValue(len(behindIDs) == 0)
	latest, _ := latestDeployed(everywhere)
	m.LatestChangeset = latest.fqnValue()
	m.StatusCounts = statusCounts(all)
	tagValues := make(map[string]attr.Value, len(tags))
	for tag, ids := range tags {
		slices.Sort(ids)
		tagValues[tag] = stringList(ids)
	}
	m.TagInstances = types.MapValueMust(stringListType, tagValues)
	var d diag.Diagnostics
	m.Changesets, d = tfkit.Objects(ctx, schemaChangesetAttrTypes, records, func(c *schemaChangesetModel, r *schemaRecord) diag.Diagnostics {
		statuses := make(map[string]string, len(instances))
		for _, in := range instances {
			statuses[in.Identifier] = r.On(in.Identifier).Status
		}
		*c = schemaChangesetModel{ChangeSet: tfkit.OptionalString(r.ChangeSet), FQN: types.StringValue(r.FQN),
			Author: tfkit.OptionalString(r.Author), FileName: tfkit.OptionalString(r.FileName), Synced: types.BoolValue(r.Synced),
			Updated: rfc3339(r.Updated), Statuses: tfkit.StringMap(statuses)}
		return nil
	})
	return append(diags, d...)
}

// stringList is a Terraform list of strings; nil is [].
func stringList(ss []string) types.List {
	elems := make([]attr.Value, 0, len(ss))
	for _, s := range ss {
		elems = append(elems, types.StringValue(s))
	}
	return types.ListValueMust(types.StringType, elems)
}
