package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// dbInstanceAttrs are the attributes of a DB instance that the resource and its data
// sources share.
var dbInstanceAttrs = withScope("`org_id/project_id/schema/identifier`", tfkit.Attrs{
	"schema":     {What: "Identifier of the parent DB schema (path `{dbschema}`)."},
	"identifier": {What: "Identifier of the DB instance (`identifier`)."},
	"name":       {What: "Display name (`name`)."},
	"tags":       {What: "Tags (`tags`); `{}` when there are none.", Type: tfkit.StringMapType},
	"connector": {What: "Reference of the JDBC connector that reaches the database (`connector`), such as `my_jdbc`, " +
		"`org.my_jdbc` or `account.my_jdbc`."},
	"context": {What: "Liquibase context that selects the changesets to apply (`context`); null when there is none."},
	"substitute_properties": {What: "Placeholders replaced in the migration scripts, passed to every Liquibase command " +
		"(`substituteProperties`); `{}` when there are none.", Type: tfkit.StringMapType},
	"branch":     {What: "Git branch the changelog is read from (`branch`); null when not set."},
	"commit_sha": {What: "Git commit the changelog is pinned to (`commitSha`); null when not set."},
	"git_tag":    {What: "Git tag the changelog is pinned to (`gitTag`); null when not set."},
	"created":    {What: "Creation time, in epoch seconds (`created`).", Type: types.Int64Type},
	"updated":    {What: "Last update time, in epoch seconds (`updated`).", Type: types.Int64Type},
	"last_applied_tag": {What: "Most recent tag applied to the database by a pipeline (`lastAppliedTag`); null until " +
		"one is."},
	"last_deployed_change_set_tag": {What: "Tag of the last changeset a pipeline deployed (`lastDeployedChangeSetTag`); " +
		"null until one is."},
})

// dbInstanceAttrTypes is the object type of dbInstanceModel, for the list data source.
var dbInstanceAttrTypes = dbInstanceAttrs.ObjectTypes()

// dbInstanceModel is a DB instance in Terraform: the resource's state, and the data
// sources', which show the same attributes.
type dbInstanceModel struct {
	ID                       types.String `tfsdk:"id"`
	OrgID                    types.String `tfsdk:"org_id"`
	ProjectID                types.String `tfsdk:"project_id"`
	Schema                   types.String `tfsdk:"schema"`
	Identifier               types.String `tfsdk:"identifier"`
	Name                     types.String `tfsdk:"name"`
	Tags                     types.Map    `tfsdk:"tags"`
	Connector                types.String `tfsdk:"connector"`
	Context                  types.String `tfsdk:"context"`
	SubstituteProperties     types.Map    `tfsdk:"substitute_properties"`
	Branch                   types.String `tfsdk:"branch"`
	CommitSHA                types.String `tfsdk:"commit_sha"`
	GitTag                   types.String `tfsdk:"git_tag"`
	Created                  types.Int64  `tfsdk:"created"`
	Updated                  types.Int64  `tfsdk:"updated"`
	LastAppliedTag           types.String `tfsdk:"last_applied_tag"`
	LastDeployedChangeSetTag types.String `tfsdk:"last_deployed_change_set_tag"`
}

// toAPI is the instance the model describes, in the create body's shape; the update
// body is built from two of them (client.NewInstanceUpdate).
func (m dbInstanceModel) toAPI(ctx context.Context) (client.InstanceInput, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	in := client.InstanceInput{
		Identifier: m.Identifier.ValueString(),
		Name:       m.Name.ValueString(),
		Branch:     m.Branch.ValueString(),
		CommitSHA:  m.CommitSHA.ValueString(),
		GitTag:     m.GitTag.ValueString(),
		Connector:  m.Connector.ValueString(),
		Context:    m.Context.ValueString(),
	}
	in.Tags, d = tfkit.GoStringMap(ctx, m.Tags)
	diags.Append(d...)
	in.SubstituteProperties, d = tfkit.GoStringMap(ctx, m.SubstituteProperties)
	diags.Append(d...)
	return in, diags
}

// fromAPI sets every attribute from the API's answer; empty strings become null.
func (m *dbInstanceModel) fromAPI(_ context.Context, org, project, schemaID string, in *client.Instance) diag.Diagnostics {
	m.ID = types.StringValue(importID(org, project, schemaID, in.Identifier))
	m.OrgID = types.StringValue(org)
	m.ProjectID = types.StringValue(project)
	m.Schema = types.StringValue(schemaID)
	m.Identifier = types.StringValue(in.Identifier)
	m.Name = types.StringValue(in.Name)
	m.Connector = types.StringValue(in.Connector)
	m.Context = tfkit.OptionalString(in.Context)
	m.Branch = tfkit.OptionalString(in.Branch)
	m.CommitSHA = tfkit.OptionalString(in.CommitSHA)
	m.GitTag = tfkit.OptionalString(in.GitTag)
	m.Created = types.Int64Value(in.Created)
	m.Updated = types.Int64Value(in.Updated)
	m.LastAppliedTag = tfkit.OptionalString(in.LastAppliedTag)
	m.LastDeployedChangeSetTag = tfkit.OptionalString(in.LastDeployedChangeSetTag)
	m.Tags = tfkit.StringMap(in.Tags)
	m.SubstituteProperties = tfkit.StringMap(in.SubstituteProperties)
	return nil
}

// where names the instance in diagnostics.
func (m dbInstanceModel) where() string {
	return fmt.Sprintf("DB instance %q of schema %q in org %q, project %q",
		m.Identifier.ValueString(), m.Schema.ValueString(), m.OrgID.ValueString(), m.ProjectID.ValueString())
}

// ids are the org, project, schema and identifier that name the instance in Harness.
func (m dbInstanceModel) ids() (org, project, schema, id string) {
	return m.OrgID.ValueString(), m.ProjectID.ValueString(), m.Schema.ValueString(), m.Identifier.ValueString()
}
