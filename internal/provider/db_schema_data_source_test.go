package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The data source shows a schema made outside Terraform, script type included.
func TestAccDBSchemaDataSource_script(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{
		Identifier: "scripted", Name: "Scripted", MigrationType: "Flyway", Type: "Script", Service: "svc", UsePercona: true,
		Tags: map[string]string{"team": "data"}, Created: 1700000000, Updated: 1700000100,
		ChangeLogScript: &mockserver.ChangeLogScript{Image: "alpine:3", Command: "wget x", Shell: "Bash", Location: "x.sql", TOML: "f.toml"},
	})
	const ds = "data.harness_dbops_db_schema.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_schema" "test" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "scripted"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/scripted")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("name"), knownvalue.StringExact("Scripted")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("migration_type"), knownvalue.StringExact("Flyway")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("type"), knownvalue.StringExact("Script")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("service"), knownvalue.StringExact("svc")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("use_percona"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("tags"), acctest.KnownStringMap("team", "data")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("created"), knownvalue.Int64Exact(1700000000)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("updated"), knownvalue.Int64Exact(1700000100)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("schema_source_type"), knownvalue.StringExact("Custom")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("parent_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("schema_source"), knownvalue.Null()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("changelog_script"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"image":    knownvalue.StringExact("alpine:3"),
					"command":  knownvalue.StringExact("wget x"),
					"shell":    knownvalue.StringExact("Bash"),
					"location": knownvalue.StringExact("x.sql"),
					"toml":     knownvalue.StringExact("f.toml"),
				})),
			},
		}},
	})
}

// The data source agrees with the resource on every attribute of a schema it manages.
func TestAccDBSchemaDataSource_matchesResource(t *testing.T) {
	srv := acctest.NewServer(t)
	const ds = "data.harness_dbops_db_schema.test"
	var checks []statecheck.StateCheck
	for _, attr := range []string{"id", "org_id", "project_id", "identifier", "name", "tags", "service", "migration_type", "use_percona",
		"type", "schema_source", "changelog_script", "created", "updated", "instance_count", "schema_source_type", "parent_id"} {
		checks = append(checks, statecheck.CompareValuePairs(acctest.DBSchemaAddr, tfjsonpath.New(attr), ds, tfjsonpath.New(attr), compare.ValuesSame()))
	}
	checks = append(checks, statecheck.ExpectKnownValue(ds, tfjsonpath.New("schema_source").AtMapKey("archive_path"), knownvalue.StringExact("a/b.zip")))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{{
			Config: acctest.DBSchemaConfig(srv, `
  identifier = "managed"
  name       = "Managed"
  tags       = { a = "1" }
  schema_source = {
    connector    = "artifactory"
    location     = "changelog.yaml"
    archive_path = "a/b.zip"
  }
`) + `
data "harness_dbops_db_schema" "test" {
  org_id     = harness_dbops_db_schema.test.org_id
  project_id = harness_dbops_db_schema.test.project_id
  identifier = harness_dbops_db_schema.test.identifier
}
`,
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccDBSchemaDataSource_notFound(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_schema" "test" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "missing"
}
`,
			ExpectError: regexp.MustCompile(`(?s)DB schema not found.*` +
				acctest.WrappedText(`The DB schema "missing" in org "default", project "default_project" does not exist in Harness`)),
		}},
	})
}
