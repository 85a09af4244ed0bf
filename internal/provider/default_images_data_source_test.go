package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
)

func TestAccDefaultImagesDataSource_basic(t *testing.T) {
	srv := acctest.NewServer(t)
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
			Config: acctest.ProviderConfig(srv) + `data "harness_dbops_default_images" "this" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("default_tag"), knownvalue.StringExact("plugins/drone-liquibase:1.18.0-4.33")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("artifactory_tag"), knownvalue.StringExact("plugins/download-artifactory:1.0.0")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("git_clone_tag"), knownvalue.StringExact("harness/drone-git:1.7.0-rootless")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("images").AtMapKey("futureTag"), knownvalue.StringExact("plugins/future:1.0.0")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("images").AtMapKey("mongoTag"), knownvalue.StringExact("plugins/drone-liquibase:1.18.0-4.33-mongo")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("images"), knownvalue.MapSizeExact(18)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("parsed"), knownvalue.MapSizeExact(18)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("parsed").AtMapKey("flywaySpannerPsqlTag"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"registry": knownvalue.StringExact("docker.io"), "repository": knownvalue.StringExact("plugins/drone-flyway"),
					"tag": knownvalue.StringExact("1.2.0-11.8-spanner-psql"), "digest": knownvalue.Null(), "tool": knownvalue.StringExact("flyway"),
					"harness_version": knownvalue.StringExact("1.2.0"), "tool_version": knownvalue.StringExact("11.8"), "variant": knownvalue.StringExact("spanner-psql"),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("parsed").AtMapKey("gitCloneTag").AtMapKey("harness_version"), knownvalue.StringExact("1.7.0")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("parsed").AtMapKey("futureTag").AtMapKey("harness_version"), knownvalue.Null()),
			},
		}},
	})
}

// A default that is no image reference (Harness's mistake, or a field of another kind
// some day) keeps its value in images, has null parts, and says so in a warning.
func TestAccDefaultImagesDataSource_unparsable(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	if err := srv.SetDefault("oddTag", "Not An Image"); err != nil {
		t.Fatal(err)
	}
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
data "harness_dbops_default_images" "this" {}
output "odd" { value = data.harness_dbops_default_images.this.images["oddTag"] }
output "odd_tag" { value = data.harness_dbops_default_images.this.parsed["oddTag"].tag }
`})
	c.MustRun("init", "-input=false")
	out := acctest.Flat(c.MustRun("apply", "-auto-approve"))
	for _, want := range []string{
		`Warning: A Harness default image does not parse`,
		`The default of oddTag is "Not An Image", which this provider cannot take apart`,
		`odd = "Not An Image"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "odd_tag =") {
		t.Errorf("odd_tag is not null:\n%s", out)
	}
}
