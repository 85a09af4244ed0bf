package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// The functions run in Terraform with no provider configuration: there is no provider
// block here, and Configure would fail without an account ID and a key.
func TestAccFunctions(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.NeedsCLI("provider functions", "1.8.0", "1.7.0")},
		Steps: []resource.TestStep{
			{
				Config: `
locals {
  mirror = "registry.example.com/mirror"
}
output "parsed" {
  value = provider::harness::parse_image("registry.example.com/mirror/plugins/drone-liquibase:1.18.0-4.33-mongo")
}
output "plain" {
  value = provider::harness::parse_image("alpine@` + digest + `")
}
output "rehosted" {
  value = { for f, img in { defaultTag = "plugins/drone-liquibase:1.18.0-4.33", gitCloneTag = "harness/drone-git:1.6.4-rootless" } :
    f => provider::harness::rehost_image(img, local.mirror) }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("parsed", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"registry":        knownvalue.StringExact("registry.example.com"),
						"repository":      knownvalue.StringExact("mirror/plugins/drone-liquibase"),
						"tag":             knownvalue.StringExact("1.18.0-4.33-mongo"),
						"digest":          knownvalue.Null(),
						"tool":            knownvalue.StringExact("liquibase"),
						"harness_version": knownvalue.StringExact("1.18.0"),
						"tool_version":    knownvalue.StringExact("4.33"),
						"variant":         knownvalue.StringExact("mongo"),
					})),
					statecheck.ExpectKnownOutputValue("plain", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"registry":        knownvalue.StringExact("docker.io"),
						"repository":      knownvalue.StringExact("library/alpine"),
						"tag":             knownvalue.Null(),
						"digest":          knownvalue.StringExact(digest),
						"tool":            knownvalue.Null(),
						"harness_version": knownvalue.Null(),
						"tool_version":    knownvalue.Null(),
						"variant":         knownvalue.Null(),
					})),
					statecheck.ExpectKnownOutputValue("rehosted", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"defaultTag":  knownvalue.StringExact("registry.example.com/mirror/plugins/drone-liquibase:1.18.0-4.33"),
						"gitCloneTag": knownvalue.StringExact("registry.example.com/mirror/harness/drone-git:1.6.4-rootless"),
					})),
				},
			},
			{
				Config:      `output "x" { value = provider::harness::parse_image("plugins/Drone:1") }`,
				ExpectError: acctest.ErrorText(`Invalid value for "ref" parameter: "plugins/Drone:1" is not an image reference`),
			},
			{
				Config:      `output "x" { value = provider::harness::rehost_image("plugins/drone-git:1", "https://registry.example.com") }`,
				ExpectError: acctest.ErrorText(`Invalid value for "registry" parameter: "https://registry.example.com" has a scheme`),
			},
			{
				Config:      `output "x" { value = provider::harness::rehost_image(" plugins/drone-git:1", "registry.example.com") }`,
				ExpectError: acctest.ErrorText(`Invalid value for "ref" parameter: " plugins/drone-git:1" has leading or trailing white space`),
			},
		},
	})
}
