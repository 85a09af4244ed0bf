package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

func TestDBSchemaModel_toAPI(t *testing.T) {
	ctx := context.Background()
	src := func(connector types.String) types.Object {
		return types.ObjectValueMust(dbSchemaSourceAttrTypes, map[string]attr.Value{
			"connector": connector, "repo": types.StringNull(), "location": types.StringValue("c.yaml"),
			"archive_path": types.StringNull(), "toml": types.StringValue("f.toml"),
		})
	}
	base := func() dbSchemaModel {
		return dbSchemaModel{
			Identifier: types.StringValue("s"), Name: types.StringValue("S"), MigrationType: types.StringValue("Liquibase"),
			UsePercona: types.BoolValue(false), Tags: types.MapNull(types.StringType), Service: types.StringNull(),
			SchemaSource: src(types.StringNull()), ChangelogScript: types.ObjectNull(dbChangelogScriptAttrTypes),
		}
	}
	tests := []struct {
		name   string
		modify func(*dbSchemaModel)
		check  func(client.SchemaInput) error
	}{
		{"null tags and service are omitted", func(*dbSchemaModel) {}, func(in client.SchemaInput) error {
			if in.Tags != nil || in.Service != "" {
				return fmt.Errorf("tags %v service %q", in.Tags, in.Service)
			}
			return nil
		}},
		{"empty tags are the same as null", func(m *dbSchemaModel) { m.Tags = types.MapValueMust(types.StringType, map[string]attr.Value{}) },
			func(in client.SchemaInput) error {
				if in.Tags != nil {
					return fmt.Errorf("tags %#v", in.Tags)
				}
				return nil
			}},
		{"set values", func(m *dbSchemaModel) {
			m.Tags = types.MapValueMust(types.StringType, map[string]attr.Value{"a": types.StringValue("1")})
			m.Service = types.StringValue("svc")
			m.UsePercona = types.BoolValue(true)
		}, func(in client.SchemaInput) error {
			if in.Tags["a"] != "1" || in.Service != "svc" || !in.UsePercona || in.MigrationType != "Liquibase" {
				return fmt.Errorf("%+v", in)
			}
			return nil
		}},
		{"null connector is Harness Code Repository", func(*dbSchemaModel) {}, func(in client.SchemaInput) error {
			if in.Type != "Repository" || in.Changelog == nil || in.Changelog.Connector != "" || in.Changelog.TOML != "f.toml" || in.ChangeLogScript != nil {
				return fmt.Errorf("%+v changelog %+v", in, in.Changelog)
			}
			return nil
		}},
		{"script", func(m *dbSchemaModel) {
			m.SchemaSource = types.ObjectNull(dbSchemaSourceAttrTypes)
			m.ChangelogScript = types.ObjectValueMust(dbChangelogScriptAttrTypes, map[string]attr.Value{
				"image": types.StringValue("i"), "command": types.StringValue("c"), "shell": types.StringValue("Sh"),
				"location": types.StringValue("l"), "toml": types.StringNull(),
			})
		}, func(in client.SchemaInput) error {
			if in.Type != "Script" || in.Changelog != nil || in.ChangeLogScript == nil || in.ChangeLogScript.Shell != "Sh" || in.ChangeLogScript.TOML != "" {
				return fmt.Errorf("%+v script %+v", in, in.ChangeLogScript)
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.modify(&m)
			in, diags := m.toAPI(ctx)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if err := tt.check(in); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDBSchemaModel_fromAPI(t *testing.T) {
	ctx := context.Background()
	prior := func(connector types.String) types.Object {
		return types.ObjectValueMust(dbSchemaSourceAttrTypes, map[string]attr.Value{
			"connector": connector, "repo": types.StringNull(), "location": types.StringValue("old"),
			"archive_path": types.StringNull(), "toml": types.StringNull(),
		})
	}
	tests := []struct {
		name  string
		prior types.Object
		api   client.Schema
		check func(dbSchemaModel) error
	}{
		{"HCR with no prior form (import) is null; absent type and migrationType take the API defaults", types.ObjectNull(dbSchemaSourceAttrTypes),
			client.Schema{Identifier: "s", Changelog: &client.Changelog{Location: "c"}},
			func(m dbSchemaModel) error {
				c := m.SchemaSource.Attributes()["connector"]
				if !c.IsNull() || m.Type.ValueString() != "Repository" || m.MigrationType.ValueString() != "Liquibase" {
					return fmt.Errorf("connector %v, type %v, migration type %v", c, m.Type, m.MigrationType)
				}
				return nil
			}},
		{"HCR keeps an empty-string prior form", prior(types.StringValue("")),
			client.Schema{Identifier: "s", Type: "Repository", Changelog: &client.Changelog{Location: "c"}},
			func(m dbSchemaModel) error {
				if c := m.SchemaSource.Attributes()["connector"]; !c.Equal(types.StringValue("")) {
					return fmt.Errorf("connector %v, want \"\"", c)
				}
				return nil
			}},
		{"HCR after a connector is null", prior(types.StringValue("github")),
			client.Schema{Identifier: "s", Type: "Repository", Changelog: &client.Changelog{Location: "c"}},
			func(m dbSchemaModel) error {
				if c := m.SchemaSource.Attributes()["connector"]; !c.IsNull() {
					return fmt.Errorf("connector %v, want null", c)
				}
				return nil
			}},
		{"empty optional values are null, empty tags {}", types.ObjectNull(dbSchemaSourceAttrTypes),
			client.Schema{Identifier: "s", Name: "S", MigrationType: "Flyway", Type: "Script", Created: 5, Updated: 6, ParentID: "p",
				ChangeLogScript: &client.ChangeLogScript{Image: "i", Command: "c", Shell: "Sh", Location: "l"}},
			func(m dbSchemaModel) error {
				script := m.ChangelogScript.Attributes()
				switch {
				case !m.Service.IsNull(), !m.SchemaSource.IsNull(), !script["toml"].IsNull(), !m.SchemaSourceType.IsNull():
					return fmt.Errorf("want nulls, got service %v, source %v, toml %v, source type %v", m.Service, m.SchemaSource, script["toml"], m.SchemaSourceType)
				case m.Tags.IsNull() || len(m.Tags.Elements()) != 0:
					return fmt.Errorf("tags %v, want {}", m.Tags)
				case m.ID.ValueString() != "o/p/s" || m.Created.ValueInt64() != 5 || m.Updated.ValueInt64() != 6 || m.ParentID.ValueString() != "p":
					return fmt.Errorf("model %+v", m)
				case !script["shell"].Equal(types.StringValue("Sh")) || m.Type.ValueString() != "Script" || m.MigrationType.ValueString() != "Flyway":
					return fmt.Errorf("script %v, type %v", script, m.Type)
				}
				return nil
			}},
		{"set values", types.ObjectNull(dbSchemaSourceAttrTypes),
			client.Schema{Identifier: "s", Tags: map[string]string{"a": "1"}, Service: "svc", UsePercona: true, InstanceCount: 3,
				Changelog: &client.Changelog{Connector: "account.gh", Repo: "r", Location: "l", ArchivePath: "a", TOML: "t"}},
			func(m dbSchemaModel) error {
				src := m.SchemaSource.Attributes()
				for k, want := range map[string]string{"connector": "account.gh", "repo": "r", "location": "l", "archive_path": "a", "toml": "t"} {
					if !src[k].Equal(types.StringValue(want)) {
						return fmt.Errorf("schema_source.%s = %v, want %q", k, src[k], want)
					}
				}
				if !m.Tags.Elements()["a"].Equal(types.StringValue("1")) || m.Service.ValueString() != "svc" || !m.UsePercona.ValueBool() || m.InstanceCount.ValueInt64() != 3 {
					return fmt.Errorf("model %+v", m)
				}
				return nil
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := dbSchemaModel{SchemaSource: tt.prior}
			if diags := m.fromAPI(ctx, "o", "p", &tt.api); diags.HasError() {
				t.Fatal(diags)
			}
			if err := tt.check(m); err != nil {
				t.Fatal(err)
			}
		})
	}
}
