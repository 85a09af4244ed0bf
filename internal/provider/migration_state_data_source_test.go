package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// t0 is the time of the migration-state tests' first deployment: 2026-01-01T00:00:00Z.
const t0 = 1767225600

var allStatuses = []string{mockserver.StatusSuccessfullyDeployed, mockserver.StatusDeploymentFailed, mockserver.StatusRolledBack, mockserver.StatusNotDeployed}

// putMigrationSchema adds a schema of migration type mt ("" is Liquibase) with instances.
func putMigrationSchema(t *testing.T, srv *mockserver.TestServer, schema, mt string, instances ...string) {
	t.Helper()
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: schema, Name: schema, MigrationType: mt,
		Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	for _, id := range instances {
		if err := srv.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, schema, mockserver.Instance{Identifier: id, Name: id + " db", Connector: "jdbc", Branch: "main"}); err != nil {
			t.Fatal(err)
		}
	}
}

// changeSet is changeset id by ann in db/changelog.yaml, deployed at t0+at by run.
func changeSet(id, status, tag string, at int64, run string) mockserver.ChangeSet {
	return mockserver.ChangeSet{ChangeSet: id, Author: "ann", FileName: "db/changelog.yaml", Tag: tag, Status: status,
		DeployedAt: t0 + at, Pipeline: "deploy_orders", PlanExecutionID: run, StageExecutionID: run + "_stage"}
}

func migrationStateConfig(srv *mockserver.TestServer, name, schema, instance string) string {
	return acctest.ProviderConfig(srv) + fmt.Sprintf(`
data "harness_dbops_migration_state" %q {
  org_id     = "default"
  project_id = "default_project"
  schema     = %q
  instance   = %q
}
`, name, schema, instance)
}

// 250 changesets are three pages of the client's 100, all followed; every status is
// counted; a changeset rerun later keeps its place but is the latest by time, so the
// latest changeset and tag are found by time, not by position. An instance no pipeline
// has deployed to has no changesets and zero counts.
func TestAccMigrationStateDataSource_liquibasePages(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "orders", "", "dev", "prod")
	var run []mockserver.ChangeSet
	for i := range 250 {
		tag := ""
		if i%10 == 0 {
			tag = fmt.Sprintf("v%d", i)
		}
		run = append(run, changeSet(fmt.Sprintf("cs_%03d", i), allStatuses[i%4], tag, int64(i), "run1"))
	}
	rerun := changeSet("cs_004", mockserver.StatusSuccessfullyDeployed, "hotfix", 1000, "run2")
	rerun.Comment, rerun.Label = "reapplied", "orders,hotfix"
	if err := srv.RecordChangeSets(acctest.DBTestOrg, acctest.DBTestProject, "orders", "dev", run...); err != nil {
		t.Fatal(err)
	}
	if err := srv.RecordChangeSets(acctest.DBTestOrg, acctest.DBTestProject, "orders", "dev", rerun); err != nil {
		t.Fatal(err)
	}
	const dev, prod = "data.harness_dbops_migration_state.dev", "data.harness_dbops_migration_state.prod"
	zero := knownvalue.MapExact(map[string]knownvalue.Check{
		"Successfully_Deployed": knownvalue.Int64Exact(0), "Deployment_Failed": knownvalue.Int64Exact(0),
		"Rolled_Back": knownvalue.Int64Exact(0), "Not_Deployed": knownvalue.Int64Exact(0),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: migrationStateConfig(srv, "dev", "orders", "dev") + `
data "harness_dbops_migration_state" "prod" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
  instance   = "prod"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/orders/dev")),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("migration_type"), knownvalue.StringExact("Liquibase")),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("changesets"), knownvalue.ListSizeExact(250)),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("changesets").AtSliceIndex(249).AtMapKey("changeset"), knownvalue.StringExact("cs_249")),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("changesets").AtSliceIndex(4), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"changeset":          knownvalue.StringExact("cs_004"),
					"fqn":                knownvalue.StringExact("db/changelog.yaml::cs_004::ann"),
					"author":             knownvalue.StringExact("ann"),
					"file_name":          knownvalue.StringExact("db/changelog.yaml"),
					"tag":                knownvalue.StringExact("hotfix"),
					"label":              knownvalue.StringExact("orders,hotfix"),
					"comment":            knownvalue.StringExact("reapplied"),
					"flyway_type":        knownvalue.Null(),
					"status":             knownvalue.StringExact("Successfully_Deployed"),
					"deployed_at":        knownvalue.StringExact("2026-01-01T00:16:40Z"),
					"pipeline":           knownvalue.StringExact("deploy_orders"),
					"plan_execution_id":  knownvalue.StringExact("run2"),
					"stage_execution_id": knownvalue.StringExact("run2_stage"),
				})),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("changesets").AtSliceIndex(5).AtMapKey("tag"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("status_counts"), knownvalue.MapExact(map[string]knownvalue.Check{
					"Successfully_Deployed": knownvalue.Int64Exact(63), "Deployment_Failed": knownvalue.Int64Exact(63),
					"Rolled_Back": knownvalue.Int64Exact(62), "Not_Deployed": knownvalue.Int64Exact(62),
				})),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("latest_changeset"), knownvalue.StringExact("db/changelog.yaml::cs_004::ann")),
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("latest_deployed_tag"), knownvalue.StringExact("hotfix")),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("changesets"), knownvalue.ListExact(nil)),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("status_counts"), zero),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("latest_changeset"), knownvalue.Null()),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("latest_deployed_tag"), knownvalue.Null()),
			},
			// Each read of dev is three pages, of prod one: 4 per read.
			Check: resource.ComposeAggregateTestCheckFunc(
				acctest.ListPagesFollowed(srv, mockserver.RouteInstanceMigrationState, 4),
				acctest.RouteCounts(srv, map[string]int{mockserver.RouteInstanceFlywayMigrationState: 0}),
			),
		}},
	})
}

// A Flyway schema's instance is read from the Flyway view and shown in the same shape:
// the version is the changeset and the fqn, a repeatable migration is keyed by its
// description, and what Flyway does not have is null.
func TestAccMigrationStateDataSource_flyway(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "billing", "Flyway", "prod")
	mig := func(version, desc, status string, at int64) mockserver.FlywayMigration {
		return mockserver.FlywayMigration{Version: version, Description: desc, Type: "SQL", Status: status, DeployedAt: t0 + at,
			PipelineIdentifier: "deploy_billing", PipelineExecutionID: "run1", StageExecutionID: "prod_stage"}
	}
	if err := srv.RecordFlywayMigrations(acctest.DBTestOrg, acctest.DBTestProject, "billing", "prod",
		mig("1", "create invoices", mockserver.StatusSuccessfullyDeployed, 0),
		mig("2", "add totals", mockserver.StatusDeploymentFailed, 60),
		mig("", "refresh views", mockserver.StatusSuccessfullyDeployed, 30)); err != nil {
		t.Fatal(err)
	}
	const prod = "data.harness_dbops_migration_state.prod"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: migrationStateConfig(srv, "prod", "billing", "prod"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("migration_type"), knownvalue.StringExact("Flyway")),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("changesets").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"changeset":          knownvalue.StringExact("2"),
					"fqn":                knownvalue.StringExact("2"),
					"author":             knownvalue.Null(),
					"file_name":          knownvalue.Null(),
					"tag":                knownvalue.Null(),
					"label":              knownvalue.Null(),
					"comment":            knownvalue.StringExact("add totals"),
					"flyway_type":        knownvalue.StringExact("SQL"),
					"status":             knownvalue.StringExact("Deployment_Failed"),
					"deployed_at":        knownvalue.StringExact("2026-01-01T00:01:00Z"),
					"pipeline":           knownvalue.StringExact("deploy_billing"),
					"plan_execution_id":  knownvalue.StringExact("run1"),
					"stage_execution_id": knownvalue.StringExact("prod_stage"),
				})),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("changesets").AtSliceIndex(2).AtMapKey("changeset"), knownvalue.Null()),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("changesets").AtSliceIndex(2).AtMapKey("fqn"), knownvalue.StringExact("repeatable::refresh views")),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("status_counts").AtMapKey("Successfully_Deployed"), knownvalue.Int64Exact(2)),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("status_counts").AtMapKey("Deployment_Failed"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("latest_changeset"), knownvalue.StringExact("repeatable::refresh views")),
				statecheck.ExpectKnownValue(prod, tfjsonpath.New("latest_deployed_tag"), knownvalue.Null()),
			},
			Check: func(*terraform.State) error {
				if n := srv.RouteCount(mockserver.RouteInstanceFlywayMigrationState); n == 0 {
					return fmt.Errorf("the Flyway view was never read")
				}
				return acctest.RouteCounts(srv, map[string]int{mockserver.RouteInstanceMigrationState: 0})(nil)
			},
		}},
	})
}

// A schema or an instance that does not exist is an error that names it.
func TestAccMigrationStateDataSource_notFound(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "orders", "", "dev")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: migrationStateConfig(srv, "x", "missing", "dev"),
			ExpectError: regexp.MustCompile(`(?s)DB schema not found.*` +
				acctest.WrappedText(`The DB schema "missing" in org "default", project "default_project" does not exist in Harness`)),
		}, {
			Config: migrationStateConfig(srv, "x", "orders", "qa"),
			ExpectError: regexp.MustCompile(`(?s)DB instance not found.*` +
				acctest.WrappedText(`The DB instance "qa" of schema "orders" in org "default", project "default_project" does not exist in Harness, so it has no migration state: GET /v1/orgs/default/projects/default_project/dbschema/orders/dbinstance/qa/migrationstate: 404`)),
		}},
	})
}

// A 500 on the view is retried and the read completes; a view that keeps failing is an
// error that names the call and the instance, after max_retries retries.
func TestAccMigrationStateDataSource_faults(t *testing.T) {
	srv := acctest.NewServer(t)
	putMigrationSchema(t, srv, "orders", "", "dev")
	if err := srv.RecordChangeSets(acctest.DBTestOrg, acctest.DBTestProject, "orders", "dev",
		changeSet("a", mockserver.StatusSuccessfullyDeployed, "v1", 0, "run1")); err != nil {
		t.Fatal(err)
	}
	const dev = "data.harness_dbops_migration_state.dev"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				srv.AddFault(mockserver.Fault{Route: mockserver.RouteInstanceMigrationState, Status: 500, Times: 1})
				srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetSchema, Malformed: true, Times: 1})
			},
			Config: migrationStateConfig(srv, "dev", "orders", "dev"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dev, tfjsonpath.New("latest_deployed_tag"), knownvalue.StringExact("v1")),
			},
			Check: func(*terraform.State) error { return faultsAnswered(srv, 2) },
		}, {
			PreConfig: func() {
				srv.AddFault(mockserver.Fault{Route: mockserver.RouteInstanceMigrationState, Status: 503, Message: "DB DevOps is in maintenance"})
			},
			Config: migrationStateConfig(srv, "dev", "orders", "dev"),
			ExpectError: acctest.InOrder("Unable to read the migration state",
				`Reading the migration state of the DB instance "dev" of schema "orders" in org "default", project "default_project" failed`,
				"GET /v1/orgs/default/projects/default_project/dbschema/orders/dbinstance/dev/migrationstate: 503 Service Unavailable: DB DevOps is in maintenance",
				"gave up after 3 attempts"),
		}},
	})
}

// faultsAnswered fails unless exactly n requests were answered with a fault.
func faultsAnswered(srv *mockserver.TestServer, n int) error {
	got := 0
	for _, r := range srv.Requests() {
		if r.Fault != "" {
			got++
		}
	}
	if got != n {
		return fmt.Errorf("%d requests were faulted, want %d", got, n)
	}
	return nil
}

// A gate over every instance of a schema reads the schema's migration type through the
// run's read cache: one GET and one list of the project's schemas, not a GET per
// instance, and one schema-wide view.
func TestAccMigrationStateDataSource_schemaReadOnce(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	instances := []string{"a", "b", "c", "d", "e"}
	putMigrationSchema(t, srv, "orders", "", instances...)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
data "harness_dbops_migration_state" "each" {
  for_each   = toset(["a", "b", "c", "d", "e"])
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
  instance   = each.key
}
data "harness_dbops_schema_migration_state" "orders" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
}
`})
	srv.ResetRequests()
	c.MustRun("plan")
	if err := acctest.RouteCounts(srv, map[string]int{
		mockserver.RouteGetSchema: 1, mockserver.RouteListSchemas: 1,
		mockserver.RouteInstanceMigrationState: len(instances), mockserver.RouteSchemaMigrationState: 1,
	})(nil); err != nil {
		t.Error(err)
	}
}
