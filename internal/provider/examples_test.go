package provider

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

const examplesDir = "../../examples"

func readExample(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exampleChecks holds what each example must produce beyond applying and destroying
// cleanly; an example missing here is still applied.
var exampleChecks = map[string][]statecheck.StateCheck{
	"resources/harness_dbops_db_schema/resource.tf": {
		statecheck.ExpectKnownValue("harness_dbops_db_schema.billing", tfjsonpath.New("schema_source_type"), knownvalue.StringExact("HarnessCode")),
		statecheck.ExpectKnownValue("harness_dbops_db_schema.inventory", tfjsonpath.New("type"), knownvalue.StringExact("Script")),
	},
	"resources/harness_dbops_db_instance/resource.tf": {
		statecheck.ExpectKnownValue("harness_dbops_db_instance.orders_prod", tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/orders/orders_prod")),
	},
	"resources/harness_dbops_image_config/resource-exclusive.tf": {
		statecheck.ExpectKnownValue("harness_dbops_image_config.all", tfjsonpath.New("unmanaged_overrides"), knownvalue.MapSizeExact(0)),
	},
	"data-sources/harness_dbops_db_schema/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_changelog_location", knownvalue.StringExact("c.yaml")),
	},
	"data-sources/harness_dbops_db_instance/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_prod_last_deployed", knownvalue.StringExact("cs-1")),
	},
	"data-sources/harness_dbops_db_schemas/data-source.tf": {
		statecheck.ExpectKnownOutputValue("billing_schema_ids", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("billing")})),
	},
	"data-sources/harness_dbops_db_instances/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_prod_connectors", knownvalue.MapExact(map[string]knownvalue.Check{"orders_prod": knownvalue.StringExact("jdbc")})),
	},
	"data-sources/harness_dbops_default_images/data-source.tf": {
		statecheck.ExpectKnownOutputValue("liquibase_default_image", knownvalue.StringExact("plugins/drone-liquibase:1.18.0-4.33")),
	},
	"data-sources/harness_dbops_image_config/data-source.tf": {
		statecheck.ExpectKnownOutputValue("account_overrides", knownvalue.MapExact(map[string]knownvalue.Check{"mongoTag": knownvalue.StringExact("mirror/mongo:1")})),
	},
}

// seedForDataSources gives the data-source examples something to read.
func seedForDataSources(t *testing.T, srv *mockserver.TestServer) {
	t.Helper()
	srv.PutSchema(dbTestOrg, dbTestProject, mockserver.Schema{Identifier: "orders", Name: "Orders", Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	srv.PutSchema(dbTestOrg, dbTestProject, mockserver.Schema{Identifier: "billing", Name: "Billing", MigrationType: "Flyway", Changelog: &mockserver.Changelog{Location: "sql"}})
	if err := srv.PutInstance(dbTestOrg, dbTestProject, "orders", mockserver.Instance{Identifier: "orders_prod", Name: "Orders", Connector: "jdbc",
		Tags: map[string]string{"env": "prod"}, LastDeployedChangeSetTag: "cs-1"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetOverride("mongoTag", "mirror/mongo:1"); err != nil {
		t.Fatal(err)
	}
}

// exampleFiles lists every example configuration of a resource or data source.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"resources", "data-sources"} {
		err := filepath.WalkDir(filepath.Join(examplesDir, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, "import-by-string-id.tf") {
				rel, _ := filepath.Rel(examplesDir, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// Every example in the docs applies and destroys against the mock, so the docs cannot rot.
func TestAccExamples(t *testing.T) {
	files := exampleFiles(t)
	for name := range exampleChecks {
		if !slices.Contains(files, name) {
			t.Errorf("exampleChecks names %s, which does not exist", name)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d examples: %v", len(files), files)
	}
	for _, path := range files {
		t.Run(path, func(t *testing.T) {
			srv := newAccTestServer(t)
			tc := resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            providerConfig(srv) + readExample(t, path),
					ConfigStateChecks: exampleChecks[path],
				}},
			}
			if strings.HasPrefix(path, "data-sources/") {
				seedForDataSources(t, srv)
			} else {
				tc.CheckDestroy = func(*terraform.State) error { return nothingLeft(srv) }
			}
			resource.ParallelTest(t, tc)
		})
	}
}

// The import-block examples import what their resource example creates. The example
// is applied on one mock; a second mock gets a copy of what it created, and a fresh
// Terraform state imports everything there, the example's resource through the
// example's import block, with a plan in which nothing changes.
func TestAccExamples_importBlocks(t *testing.T) {
	importTo := regexp.MustCompile(`to\s*=\s*([a-z_]+\.[a-z_0-9]+)`)
	for _, dir := range []string{"harness_dbops_db_schema", "harness_dbops_db_instance", "harness_dbops_image_config"} {
		t.Run(dir, func(t *testing.T) {
			example := readExample(t, "resources/"+dir+"/resource.tf")
			importBlock := readExample(t, "resources/"+dir+"/import-by-string-id.tf")
			m := importTo.FindStringSubmatch(importBlock)
			if m == nil {
				t.Fatalf("no `to = ...` in the import example:\n%s", importBlock)
			}
			target := m[1]

			created := newAccTestServer(t)
			var snapshot mockserver.State
			others := map[string]string{} // address -> import ID of the example's other resources
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerConfig(created) + example,
					Check: func(s *terraform.State) error {
						snapshot = created.Snapshot()
						for addr, rs := range s.RootModule().Resources {
							if addr != target {
								others[addr] = rs.Primary.ID
							}
						}
						return nil
					},
				}},
			})
			if t.Failed() {
				return
			}

			copied := newAccTestServer(t)
			copied.Restore(snapshot)
			imports := importBlock
			for addr, id := range others {
				imports += fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", addr, id)
			}
			resource.Test(t, resource.TestCase{ // already parallel
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerConfig(copied) + example + imports,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(target, plancheck.ResourceActionNoop)},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(target, tfjsonpath.New("id"), knownvalue.NotNull()),
					},
				}},
			})
		})
	}
}

// nothingLeft is the CheckDestroy of the examples: no schema and no override remain.
func nothingLeft(srv *mockserver.TestServer) error {
	if left := srv.Schemas(dbTestOrg, dbTestProject); len(left) > 0 {
		return fmt.Errorf("%d schemas left after destroy", len(left))
	}
	if left := srv.Overrides(); len(left) > 0 {
		return fmt.Errorf("overrides left after destroy: %v", left)
	}
	return nil
}
