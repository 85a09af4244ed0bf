package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccDefaultImagesDataSource_basic(t *testing.T) {
	srv := newAccTestServer(t)
	// A changed default and a field this provider does not know prove that the values
	// come from the server and that the map carries every field it returns.
	if err := srv.SetDefault("gitCloneTag", "harness/drone-git:1.7.0-rootless"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetDefault("futureTag", "plugins/future:1.0.0"); err != nil {
		t.Fatal(err)
	}
	const ds = "data.harness_dbops_default_images.this"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `data "harness_dbops_default_images" "this" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("default_tag"), knownvalue.StringExact("plugins/drone-liquibase:1.18.0-4.33")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("artifactory_tag"), knownvalue.StringExact("plugins/download-artifactory:1.0.0")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("git_clone_tag"), knownvalue.StringExact("harness/drone-git:1.7.0-rootless")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("images").AtMapKey("futureTag"), knownvalue.StringExact("plugins/future:1.0.0")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("images").AtMapKey("mongoTag"), knownvalue.StringExact("plugins/drone-liquibase:1.18.0-4.33-mongo")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("images"), knownvalue.MapSizeExact(18)),
			},
		}},
	})
	if n := srv.RouteCount("GET /v1/dbops/execution-config/get-default-config"); n == 0 {
		t.Fatal("the data source never called get-default-config")
	}
}
