package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var _ resource.ResourceWithMoveState = (*dbSchemaResource)(nil)

// officialDBSchema is harness_platform_db_schema of harness/harness (official_move.go).
var officialDBSchema = officialSource{typeName: "harness_platform_db_schema", kind: "DB schema"}

// officialDBSchemaState is the state of harness_platform_db_schema, schema version 0.
type officialDBSchemaState struct {
	OrgID         string   `json:"org_id"`
	ProjectID     string   `json:"project_id"`
	Identifier    string   `json:"identifier"`
	Name          string   `json:"name"`
	Description   *string  `json:"description"`
	Service       string   `json:"service"`
	MigrationType string   `json:"migration_type"`
	Type          string   `json:"type"`
	UsePercona    bool     `json:"use_percona"`
	Tags          []string `json:"tags"`
	SchemaSource  []struct {
		Connector   string `json:"connector"`
		Repo        string `json:"repo"`
		Location    string `json:"location"`
		ArchivePath string `json:"archive_path"`
		TOML        string `json:"toml"`
	} `json:"schema_source"`
	ChangelogScript []struct {
		Image    string `json:"image"`
		Command  string `json:"command"`
		Shell    string `json:"shell"`
		Location string `json:"location"`
		TOML     string `json:"toml"`
	} `json:"changelog_script"`
}

// MoveState takes over harness_platform_db_schema of harness/harness: the schema as
// Harness holds it according to that state ("" is null, tags a map, the one-element
// block lists objects), which the refresh that follows the move then reads again.
func (r *dbSchemaResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
		var src officialDBSchemaState
		if !officialDBSchema.matches(req) || !officialDBSchema.decode(req, &src, &resp.Diagnostics) {
			return
		}
		officialDBSchema.checkIDs(&resp.Diagnostics, "org_id", src.OrgID, "project_id", src.ProjectID, "identifier", src.Identifier)
		s := &client.Schema{Identifier: src.Identifier, Name: src.Name, Service: src.Service, MigrationType: src.MigrationType,
			UsePercona: src.UsePercona, Tags: officialDBSchema.tags(src.Tags, &resp.Diagnostics)}
		switch {
		case len(src.SchemaSource) > 1 || len(src.ChangelogScript) > 1:
			resp.Diagnostics.AddError("Cannot move "+officialDBSchema.typeName, fmt.Sprintf("Attribute schema_source or "+
				"changelog_script of the state holds %d and %d blocks; harness/harness allows one.", len(src.SchemaSource), len(src.ChangelogScript)))
		case len(src.SchemaSource) == len(src.ChangelogScript):
			resp.Diagnostics.AddError("Cannot move "+officialDBSchema.typeName, "The state needs exactly one of the blocks "+
				"schema_source and changelog_script, as Harness holds one changelog source per schema; it has "+
				fmt.Sprintf("%d and %d. Refresh it with harness/harness, then move it.", len(src.SchemaSource), len(src.ChangelogScript)))
		case len(src.SchemaSource) == 1:
			c := src.SchemaSource[0]
			s.Changelog = &client.Changelog{Connector: c.Connector, Repo: c.Repo, Location: c.Location, ArchivePath: c.ArchivePath, TOML: c.TOML}
		default:
			c := src.ChangelogScript[0]
			s.ChangeLogScript = &client.ChangeLogScript{Image: c.Image, Command: c.Command, Shell: c.Shell, Location: c.Location, TOML: c.TOML}
		}
		if resp.Diagnostics.HasError() {
			return
		}
		var m dbSchemaModel
		resp.Diagnostics.Append(m.fromAPI(ctx, src.OrgID, src.ProjectID, s)...)
		// What only Harness knows: the refresh after the move reads it.
		m.Created, m.Updated, m.InstanceCount = types.Int64Null(), types.Int64Null(), types.Int64Null()
		m.SchemaSourceType, m.ParentID = types.StringNull(), types.StringNull()
		officialDBSchema.warnDescription(src.Description, m.where(), &resp.Diagnostics)
		resp.Diagnostics.Append(tfkit.SetModel(ctx, &resp.TargetState, &m)...)
		dbSchemaIdentity.set(resp.TargetIdentity, src.OrgID, src.ProjectID, src.Identifier)
	}}}
}
