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

// 130 schemas are two pages; the list follows both, and filters by search term and
// migration type on the server. The schemas were created in another order than their
// identifiers', so the API answers them out of identifier order: the data source sorts.
func TestAccDBSchemasDataSource_pagesAndFilters(t *testing.T) {
	srv := acctest.NewServer(t)
	for i := range 130 {
		sc := mockserver.Schema{
			Identifier: fmt.Sprintf("s%03d", i), Name: fmt.Sprintf("Schema %d", i), MigrationType: "Liquibase",
			Created: int64(1700000000 + i*37%130), Updated: int64(1700000000 + i),
			Changelog: &mockserver.Changelog{Connector: "gh", Location: fmt.Sprintf("db/%d.yaml", i)},
		}
		if i%5 == 0 {
			sc.MigrationType = "Flyway"
		}
		if i == 7 {
			sc.Changelog, sc.Type = nil, "Script"
			sc.ChangeLogScript = &mockserver.ChangeLogScript{Image: "alpine", Command: "get", Shell: "Sh", Location: "x.sql"}
			sc.Tags = map[string]string{"k": "v"}
		}
		srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, sc)
	}
	// Another project's schema must not show.
	srv.PutSchema(acctest.DBTestOrg, "elsewhere", mockserver.Schema{Identifier: "s999", Name: "x", Changelog: &mockserver.Changelog{Location: "l"}})

	const all, flyway, search = "data.harness_dbops_db_schemas.all", "data.harness_dbops_db_schemas.flyway", "data.harness_dbops_db_schemas.search"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_schemas" "all" {
  org_id     = "default"
  project_id = "default_project"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(all, tfjsonpath.New("schemas"), knownvalue.ListSizeExact(130)),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("schemas").AtSliceIndex(0).AtMapKey("identifier"), knownvalue.StringExact("s000")),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("schemas").AtSliceIndex(1).AtMapKey("identifier"), knownvalue.StringExact("s001")),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("schemas").AtSliceIndex(129).AtMapKey("identifier"), knownvalue.StringExact("s129")),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("schemas").AtSliceIndex(129).AtMapKey("id"), knownvalue.StringExact("default/default_project/s129")),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("search_term"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.ListPagesFollowed(srv, mockserver.RouteListSchemas, 2),
					acctest.ServerOrderIsNotIdentifiers(srv, mockserver.RouteListSchemas),
				),
			},
			{
				PreConfig: srv.ResetRequests,
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_schemas" "flyway" {
  org_id         = "default"
  project_id     = "default_project"
  migration_type = "Flyway"
}

data "harness_dbops_db_schemas" "search" {
  org_id      = "default"
  project_id  = "default_project"
  search_term = "S00"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(flyway, tfjsonpath.New("schemas"), knownvalue.ListSizeExact(26)),
					statecheck.ExpectKnownValue(flyway, tfjsonpath.New("schemas").AtSliceIndex(0).AtMapKey("migration_type"), knownvalue.StringExact("Flyway")),
					statecheck.ExpectKnownValue(flyway, tfjsonpath.New("schemas").AtSliceIndex(25).AtMapKey("identifier"), knownvalue.StringExact("s125")),
					// search_term is case-insensitive: s000..s009.
					statecheck.ExpectKnownValue(search, tfjsonpath.New("schemas"), knownvalue.ListSizeExact(10)),
					statecheck.ExpectKnownValue(search, tfjsonpath.New("schemas").AtSliceIndex(7), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                 knownvalue.StringExact("default/default_project/s007"),
						"org_id":             knownvalue.StringExact("default"),
						"project_id":         knownvalue.StringExact("default_project"),
						"identifier":         knownvalue.StringExact("s007"),
						"name":               knownvalue.StringExact("Schema 7"),
						"tags":               acctest.KnownStringMap("k", "v"),
						"service":            knownvalue.Null(),
						"migration_type":     knownvalue.StringExact("Liquibase"),
						"use_percona":        knownvalue.Bool(false),
						"type":               knownvalue.StringExact("Script"),
						"schema_source":      knownvalue.Null(),
						"changelog_script":   knownvalue.ObjectExact(map[string]knownvalue.Check{"image": knownvalue.StringExact("alpine"), "command": knownvalue.StringExact("get"), "shell": knownvalue.StringExact("Sh"), "location": knownvalue.StringExact("x.sql"), "toml": knownvalue.Null()}),
						"created":            knownvalue.Int64Exact(1700000129), // 7*37 % 130
						"updated":            knownvalue.Int64Exact(1700000007),
						"instance_count":     knownvalue.Int64Exact(0),
						"schema_source_type": knownvalue.StringExact("Custom"),
						"parent_id":          knownvalue.NotNull(),
					})),
				},
				// Each filtered read fits in one page.
				Check: acctest.ListPagesFollowed(srv, mockserver.RouteListSchemas, 1),
			},
		},
	})
}

func TestAccDBSchemasDataSource_emptyAndInvalid(t *testing.T) {
	srv := acctest.NewServer(t)
	const ds = "data.harness_dbops_db_schemas.none"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_schemas" "none" {
  org_id         = "default"
  project_id     = "default_project"
  migration_type = "Sqitch"
}
`,
				ExpectError: regexp.MustCompile(`(?s)migration_type.*value must be one of`),
			},
			{
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_schemas" "none" {
  org_id     = "default"
  project_id = "default_project"
}
`,
				// An empty project is an empty list, not null.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("schemas"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
		},
	})
}
