package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// 120 instances are two pages; the list follows both, and filters by tags (all of
// them must match) and by search term on the server. The instances were created in
// another order than their identifiers', so the API answers them out of identifier
// order: the data source sorts.
func TestAccDBInstancesDataSource_pagesAndFilters(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "main", Name: "Main", Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "other", Name: "Other", Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	for i := range 120 {
		in := mockserver.Instance{Identifier: fmt.Sprintf("pg_%03d", i), Name: fmt.Sprintf("PG %d", i), Connector: "jdbc", Branch: "main",
			Tags: map[string]string{}, Created: int64(1700000000 + i*7%120), Updated: 1700000000}
		if i%2 == 0 {
			in.Tags["env"] = "prod"
		}
		if i%3 == 0 {
			in.Tags["tier"] = "1"
		}
		if err := srv.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "main", in); err != nil {
			t.Fatal(err)
		}
	}
	// An instance of another schema must not show.
	if err := srv.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "other", mockserver.Instance{Identifier: "pg_000", Name: "x", Connector: "jdbc"}); err != nil {
		t.Fatal(err)
	}
	const all, tagged, search = "data.harness_dbops_db_instances.all", "data.harness_dbops_db_instances.tagged", "data.harness_dbops_db_instances.search"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_instances" "all" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "main"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(all, tfjsonpath.New("instances"), knownvalue.ListSizeExact(120)),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("instances").AtSliceIndex(0).AtMapKey("identifier"), knownvalue.StringExact("pg_000")),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("instances").AtSliceIndex(119).AtMapKey("identifier"), knownvalue.StringExact("pg_119")),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("instances").AtSliceIndex(119).AtMapKey("schema"), knownvalue.StringExact("main")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.ListPagesFollowed(srv, mockserver.RouteListInstances, 2),
					acctest.ServerOrderIsNotIdentifiers(srv, mockserver.RouteListInstances),
				),
			},
			{
				PreConfig: srv.ResetRequests,
				Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_instances" "tagged" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "main"
  tags       = { env = "prod", tier = "1" }
}

data "harness_dbops_db_instances" "search" {
  org_id      = "default"
  project_id  = "default_project"
  schema      = "main"
  search_term = "pg_00"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					// Multiples of 6 below 120.
					statecheck.ExpectKnownValue(tagged, tfjsonpath.New("instances"), knownvalue.ListSizeExact(20)),
					statecheck.ExpectKnownValue(tagged, tfjsonpath.New("instances").AtSliceIndex(1).AtMapKey("identifier"), knownvalue.StringExact("pg_006")),
					statecheck.ExpectKnownValue(tagged, tfjsonpath.New("instances").AtSliceIndex(1).AtMapKey("tags"), acctest.KnownStringMap("env", "prod", "tier", "1")),
					statecheck.ExpectKnownValue(search, tfjsonpath.New("instances"), knownvalue.ListSizeExact(10)),
					statecheck.ExpectKnownValue(search, tfjsonpath.New("instances").AtSliceIndex(3), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                           knownvalue.StringExact("default/default_project/main/pg_003"),
						"org_id":                       knownvalue.StringExact("default"),
						"project_id":                   knownvalue.StringExact("default_project"),
						"schema":                       knownvalue.StringExact("main"),
						"identifier":                   knownvalue.StringExact("pg_003"),
						"name":                         knownvalue.StringExact("PG 3"),
						"tags":                         acctest.KnownStringMap("tier", "1"),
						"connector":                    knownvalue.StringExact("jdbc"),
						"context":                      knownvalue.Null(),
						"substitute_properties":        knownvalue.MapExact(map[string]knownvalue.Check{}),
						"branch":                       knownvalue.StringExact("main"),
						"commit_sha":                   knownvalue.Null(),
						"git_tag":                      knownvalue.Null(),
						"created":                      knownvalue.Int64Exact(1700000021), // 3*7 % 120
						"updated":                      knownvalue.Int64Exact(1700000000),
						"last_applied_tag":             knownvalue.Null(),
						"last_deployed_change_set_tag": knownvalue.Null(),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.ListPagesFollowed(srv, mockserver.RouteListInstances, 1),
					tagFilterSent(srv),
				),
			},
		},
	})
}

// tagFilterSent asserts the tag filter went to the API as instanceTags with
// filterType Equals, sorted by key.
func tagFilterSent(srv *mockserver.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range srv.Requests() {
			if r.Route != mockserver.RouteListInstances || !strings.Contains(r.Body, "instanceTags") {
				continue
			}
			var body struct {
				FilterType   string `json:"filterType"`
				InstanceTags []struct {
					Key   string `json:"key"`
					Value string `json:"value"`
				} `json:"instanceTags"`
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
				return err
			}
			got := fmt.Sprint(body.FilterType, body.InstanceTags)
			if want := "Equals[{env prod} {tier 1}]"; got != want {
				return fmt.Errorf("instancelist filter = %s, want %s", got, want)
			}
			return nil
		}
		return fmt.Errorf("no instancelist request carried the tag filter")
	}
}

func TestAccDBInstancesDataSource_missingSchema(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + `
data "harness_dbops_db_instances" "none" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "missing"
}
`,
			ExpectError: regexp.MustCompile(`(?s)DB schema not found.*` +
				acctest.WrappedText(`Cannot list the instances of DB schema "missing": it does not exist in org "default", project "default_project"`)),
		}},
	})
}
