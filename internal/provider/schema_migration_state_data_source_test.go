package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

func schemaMigrationStateConfig(srv *mockserver.TestServer, schema string) string {
	return acctest.ProviderConfig(srv) + fmt.Sprintf(`
data "harness_dbops_schema_migration_state" "s" {
  org_id     = "default"
  project_id = "default_project"
  schema     = %q
}
`, schema)
}

func stringsExact(ss ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(ss))
	for _, s := range ss {
		checks = append(checks, knownvalue.StringExact(s))
	}
	return knownvalue.ListExact(checks)
}

func fqnOf(id string) string { return "db/changelog.yaml::" + id + "::ann" }

// dev runs ahead (a..e, c tagged v1, e tagged v2) and failed f, staging has a..c and
// failed d, prod has a and b and rolled c back, qa never ran anything: each instance is
// behind by what another has deployed and it has not (f, deployed nowhere, counts on none).
func TestAccSchemaMigrationStateDataSource_behind(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "orders", "", "dev", "staging", "prod", "qa")
	ok := mockserver.StatusSuccessfullyDeployed
	record := func(instance string, cs ...mockserver.ChangeSet) {
		if err := srv.RecordChangeSets(acctest.DBTestOrg, acctest.DBTestProject, "orders", instance, cs...); err != nil {
			t.Fatal(err)
		}
	}
	record("dev", changeSet("a", ok, "", 0, "r1"), changeSet("b", ok, "", 1, "r1"), changeSet("c", ok, "v1", 2, "r1"),
		changeSet("d", ok, "", 100, "r2"), changeSet("e", ok, "v2", 101, "r2"),
		changeSet("f", mockserver.StatusDeploymentFailed, "v3", 102, "r2"))
	record("staging", changeSet("a", ok, "", 10, "r3"), changeSet("b", ok, "", 11, "r3"), changeSet("c", ok, "v1", 12, "r3"),
		changeSet("d", mockserver.StatusDeploymentFailed, "", 200, "r4"))
	record("prod", changeSet("a", ok, "", 20, "r5"), changeSet("b", ok, "", 21, "r5"), changeSet("c", ok, "v1", 22, "r5"))
	record("prod", changeSet("c", mockserver.StatusRolledBack, "v1", 300, "r6"))
	const s = "data.harness_dbops_schema_migration_state.s"
	counts := func(deployed, failed, rolledBack, notDeployed int64) knownvalue.Check {
		return knownvalue.MapExact(map[string]knownvalue.Check{
			"Successfully_Deployed": knownvalue.Int64Exact(deployed), "Deployment_Failed": knownvalue.Int64Exact(failed),
			"Rolled_Back": knownvalue.Int64Exact(rolledBack), "Not_Deployed": knownvalue.Int64Exact(notDeployed),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: schemaMigrationStateConfig(srv, "orders"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(s, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/orders")),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("migration_type"), knownvalue.StringExact("Liquibase")),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("changesets"), knownvalue.ListSizeExact(6)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("changesets").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"changeset": knownvalue.StringExact("c"),
					"fqn":       knownvalue.StringExact(fqnOf("c")),
					"author":    knownvalue.StringExact("ann"),
					"file_name": knownvalue.StringExact("db/changelog.yaml"),
					"synced":    knownvalue.Bool(false),
					"updated":   knownvalue.StringExact("2026-01-01T00:05:00Z"), // prod's rollback
					"statuses": acctest.KnownStringMap("dev", "Successfully_Deployed", "staging", "Successfully_Deployed",
						"prod", "Rolled_Back", "qa", "Not_Deployed"),
				})),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("dev"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name":                knownvalue.StringExact("dev db"),
					"behind":              knownvalue.Int64Exact(0),
					"synced":              knownvalue.Bool(true),
					"missing_changesets":  knownvalue.ListExact(nil),
					"deployed_changesets": stringsExact(fqnOf("a"), fqnOf("b"), fqnOf("c"), fqnOf("d"), fqnOf("e")),
					"status_counts":       counts(5, 1, 0, 0),
					"latest_changeset":    knownvalue.StringExact(fqnOf("e")),
					"latest_deployed_tag": knownvalue.StringExact("v2"),
				})),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("staging").AtMapKey("missing_changesets"), stringsExact(fqnOf("d"), fqnOf("e"))),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("staging").AtMapKey("status_counts"), counts(3, 1, 0, 2)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("staging").AtMapKey("latest_deployed_tag"), knownvalue.StringExact("v1")),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("behind"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("deployed_changesets"), stringsExact(fqnOf("a"), fqnOf("b"))),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("latest_deployed_tag"), knownvalue.Null()),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("status_counts"), counts(2, 0, 1, 3)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("qa"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name":                knownvalue.StringExact("qa db"),
					"behind":              knownvalue.Int64Exact(5),
					"synced":              knownvalue.Bool(false),
					"missing_changesets":  stringsExact(fqnOf("a"), fqnOf("b"), fqnOf("c"), fqnOf("d"), fqnOf("e")),
					"deployed_changesets": knownvalue.ListExact(nil),
					"status_counts":       counts(0, 0, 0, 6),
					"latest_changeset":    knownvalue.Null(),
					"latest_deployed_tag": knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("behind_instances"), stringsExact("prod", "qa", "staging")),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("synced"), knownvalue.Bool(false)),
				// By time: dev's e (t0+101); prod's rollback of c (t0+300) deploys nothing.
				statecheck.ExpectKnownValue(s, tfjsonpath.New("latest_changeset"), knownvalue.StringExact(fqnOf("e"))),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("status_counts"), counts(10, 2, 1, 11)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("tag_instances"), knownvalue.MapExact(map[string]knownvalue.Check{
					"v1": stringsExact("dev", "staging"), "v2": stringsExact("dev"),
				})),
			},
		}},
	})
}

// 230 changesets on dev, the first 200 on prod: three pages of the schema view, all
// followed; prod is 30 behind. A Flyway schema is read from its own view.
func TestAccSchemaMigrationStateDataSource_pagesAndFlyway(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "orders", "", "dev", "prod")
	putMigrationSchema(t, srv, "billing", "Flyway", "dev", "prod")
	var run []mockserver.ChangeSet
	for i := range 230 {
		run = append(run, changeSet(fmt.Sprintf("cs_%03d", i), mockserver.StatusSuccessfullyDeployed, "", int64(i), "r1"))
	}
	for instance, cs := range map[string][]mockserver.ChangeSet{"dev": run, "prod": run[:200]} {
		if err := srv.RecordChangeSets(acctest.DBTestOrg, acctest.DBTestProject, "orders", instance, cs...); err != nil {
			t.Fatal(err)
		}
	}
	mig := func(version string) mockserver.FlywayMigration {
		return mockserver.FlywayMigration{Version: version, Type: "SQL", Status: mockserver.StatusSuccessfullyDeployed,
			PipelineIdentifier: "p", PipelineExecutionID: "r", StageExecutionID: "s"}
	}
	for instance, ms := range map[string][]mockserver.FlywayMigration{"dev": {mig("1"), mig("2")}, "prod": {mig("1")}} {
		if err := srv.RecordFlywayMigrations(acctest.DBTestOrg, acctest.DBTestProject, "billing", instance, ms...); err != nil {
			t.Fatal(err)
		}
	}
	const s, b = "data.harness_dbops_schema_migration_state.s", "data.harness_dbops_schema_migration_state.billing"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: schemaMigrationStateConfig(srv, "orders"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(s, tfjsonpath.New("changesets"), knownvalue.ListSizeExact(230)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("changesets").AtSliceIndex(229).AtMapKey("changeset"), knownvalue.StringExact("cs_229")),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("behind"), knownvalue.Int64Exact(30)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("latest_changeset"), knownvalue.StringExact(fqnOf("cs_199"))),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("instances").AtMapKey("dev").AtMapKey("behind"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("latest_changeset"), knownvalue.StringExact(fqnOf("cs_229"))),
				statecheck.ExpectKnownValue(s, tfjsonpath.New("behind_instances"), stringsExact("prod")),
			},
			Check: acctest.ListPagesFollowed(srv, mockserver.RouteSchemaMigrationState, 3),
		}, {
			PreConfig: srv.ResetRequests,
			Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_schema_migration_state" "billing" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "billing"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(b, tfjsonpath.New("migration_type"), knownvalue.StringExact("Flyway")),
				statecheck.ExpectKnownValue(b, tfjsonpath.New("changesets").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"changeset": knownvalue.StringExact("1"), "fqn": knownvalue.StringExact("1"), "author": knownvalue.Null(),
					"file_name": knownvalue.Null(), "synced": knownvalue.Bool(true), "updated": knownvalue.NotNull(),
					"statuses": acctest.KnownStringMap("dev", "Successfully_Deployed", "prod", "Successfully_Deployed"),
				})),
				statecheck.ExpectKnownValue(b, tfjsonpath.New("changesets").AtSliceIndex(1).AtMapKey("synced"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(b, tfjsonpath.New("instances").AtMapKey("prod").AtMapKey("missing_changesets"), stringsExact("2")),
				statecheck.ExpectKnownValue(b, tfjsonpath.New("tag_instances"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			},
			Check: acctest.RouteCounts(srv, map[string]int{mockserver.RouteSchemaMigrationState: 0}),
		}},
	})
}

// A missing schema is an error that names it; a view that keeps failing names the call.
func TestAccSchemaMigrationStateDataSource_errors(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "orders", "", "dev")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: schemaMigrationStateConfig(srv, "missing"),
			ExpectError: regexp.MustCompile(`(?s)DB schema not found.*` +
				acctest.WrappedText(`The DB schema "missing" in org "default", project "default_project" does not exist in Harness`)),
		}, {
			PreConfig: func() {
				srv.AddFault(mockserver.Fault{Route: mockserver.RouteSchemaMigrationState, Status: 502, Body: acctest.ProxyPage})
			},
			Config: schemaMigrationStateConfig(srv, "orders"),
			ExpectError: acctest.InOrder("Unable to read the migration state",
				`Reading the migration state of the DB schema "orders" in org "default", project "default_project" failed`,
				"POST /v1/orgs/default/projects/default_project/dbschema/orders/migrationstate: 502 Bad Gateway",
				"gave up after 3 attempts"),
		}},
	})
}
