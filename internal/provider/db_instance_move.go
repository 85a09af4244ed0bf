package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var _ resource.ResourceWithMoveState = (*dbInstanceResource)(nil)

// officialDBInstance is harness_platform_db_instance of harness/harness (official_move.go).
var officialDBInstance = officialSource{typeName: "harness_platform_db_instance", kind: "DB instance"}

// officialDBInstanceState is the state of harness_platform_db_instance, schema version 0.
type officialDBInstanceState struct {
	OrgID                string            `json:"org_id"`
	ProjectID            string            `json:"project_id"`
	Schema               string            `json:"schema"`
	Identifier           string            `json:"identifier"`
	Name                 string            `json:"name"`
	Description          *string           `json:"description"`
	Connector            string            `json:"connector"`
	Context              string            `json:"context"`
	Branch               string            `json:"branch"`
	CommitSHA            string            `json:"commit_sha"`
	GitTag               string            `json:"git_tag"`
	Tags                 []string          `json:"tags"`
	SubstituteProperties map[string]string `json:"substitute_properties"`
}

// MoveState takes over harness_platform_db_instance of harness/harness: the instance as
// Harness holds it according to that state ("" is null, tags a map), which the refresh
// that follows the move then reads again.
func (r *dbInstanceResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
		var src officialDBInstanceState
		if !officialDBInstance.matches(req) || !officialDBInstance.decode(req, &src, &resp.Diagnostics) {
			return
		}
		officialDBInstance.checkIDs(&resp.Diagnostics, "org_id", src.OrgID, "project_id", src.ProjectID, "schema", src.Schema, "identifier", src.Identifier)
		in := &client.Instance{Identifier: src.Identifier, Name: src.Name, Connector: src.Connector, Context: src.Context,
			Branch: src.Branch, CommitSHA: src.CommitSHA, GitTag: src.GitTag, SubstituteProperties: src.SubstituteProperties,
			Tags: officialDBInstance.tags(src.Tags, &resp.Diagnostics)}
		if resp.Diagnostics.HasError() {
			return
		}
		var m dbInstanceModel
		resp.Diagnostics.Append(m.fromAPI(ctx, src.OrgID, src.ProjectID, src.Schema, in)...)
		// What only Harness knows: the refresh after the move reads it.
		m.Created, m.Updated = types.Int64Null(), types.Int64Null()
		officialDBInstance.warnDescription(src.Description, m.where(), &resp.Diagnostics)
		resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.TargetState, &m)...)
		dbInstanceIdentity.set(resp.TargetIdentity, src.OrgID, src.ProjectID, src.Schema, src.Identifier)
	}}}
}
