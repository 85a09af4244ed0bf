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

// The data source shows an instance made outside Terraform, including what pipelines set.
func TestAccDBInstanceDataSource_basic(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "main", Name: "Main", Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	if err := srv.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "main", mockserver.Instance{
		Identifier: "pg", Name: "Postgres", Connector: "account.jdbc", GitTag: "v2", Context: "prod",
		Tags: map[string]string{"env": "prod"}, SubstituteProperties: map[string]string{"DB": "orders"},
		Created: 1700000000, Updated: 1700000500, LastAppliedTag: "v2", LastDeployedChangeSetTag: "cs-9",
	}); err != nil {
		t.Fatal(err)
	}
	const ds = "data.harness_dbops_db_instance.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_instance" "test" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "main"
  identifier = "pg"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/main/pg")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("name"), knownvalue.StringExact("Postgres")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("connector"), knownvalue.StringExact("account.jdbc")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("git_tag"), knownvalue.StringExact("v2")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("branch"), knownvalue.Null()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("commit_sha"), knownvalue.Null()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("context"), knownvalue.StringExact("prod")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("tags"), acctest.KnownStringMap("env", "prod")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("substitute_properties"), acctest.KnownStringMap("DB", "orders")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("created"), knownvalue.Int64Exact(1700000000)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("updated"), knownvalue.Int64Exact(1700000500)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("last_applied_tag"), knownvalue.StringExact("v2")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("last_deployed_change_set_tag"), knownvalue.StringExact("cs-9")),
			},
		}},
	})
}

// The data source agrees with the resource on every attribute of an instance it manages.
func TestAccDBInstanceDataSource_matchesResource(t *testing.T) {
	srv := acctest.NewServer(t)
	const ds = "data.harness_dbops_db_instance.test"
	var checks []statecheck.StateCheck
	for _, attr := range []string{"id", "org_id", "project_id", "schema", "identifier", "name", "tags", "connector", "context",
		"substitute_properties", "branch", "commit_sha", "git_tag", "created", "updated", "last_applied_tag", "last_deployed_change_set_tag"} {
		checks = append(checks, statecheck.CompareValuePairs(acctest.DBInstanceAddr, tfjsonpath.New(attr), ds, tfjsonpath.New(attr), compare.ValuesSame()))
	}
	checks = append(checks, statecheck.ExpectKnownValue(ds, tfjsonpath.New("commit_sha"), knownvalue.StringExact("<+trigger.commitSha>")))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{{
			Config: acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
  commit_sha = "<+trigger.commitSha>"
  substitute_properties = { A = "1" }
`) + `
data "harness_dbops_db_instance" "test" {
  org_id     = harness_dbops_db_instance.test.org_id
  project_id = harness_dbops_db_instance.test.project_id
  schema     = harness_dbops_db_instance.test.schema
  identifier = harness_dbops_db_instance.test.identifier
}
`,
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccDBInstanceDataSource_notFound(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "main", Name: "Main", Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_instance" "test" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "main"
  identifier = "missing"
}
`,
				ExpectError: regexp.MustCompile(`(?s)DB instance not found.*` +
					acctest.WrappedText(`The DB instance "missing" of schema "main" in org "default", project "default_project" does not exist in Harness`)),
			},
			{
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_instance" "test" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "no_such_schema"
  identifier = "pg"
}
`,
				ExpectError: regexp.MustCompile(`(?s)DB instance not found.*` + acctest.WrappedText(`of schema "no_such_schema" in org "default", project "default_project" does not exist`)),
			},
		},
	})
}
