package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// harness_ci_default_images reads an infra's defaults (K8 when infra is unset), every
// field the server returns, moved and added ones included, and takes them apart;
// harness_ci_image_config (data source) merges them with the overrides of the same
// infra and lists the overrides alone.
func TestAccCIDataSources(t *testing.T) {
	srv := acctest.NewServer(t)
	if err := srv.SetCIDefault(mockserver.CIInfraK8, "liteEngineTagRootless", "harness/ci-lite-engine:rootless-1.17.0"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetCIDefault(mockserver.CIInfraK8, "futureTag", "harness/future:1.0.0"); err != nil {
		t.Fatal(err)
	}
	for _, o := range [][3]string{
		{mockserver.CIInfraK8, "addonTag", acctest.MirrorAddon},
		{mockserver.CIInfraVM, "gitCloneTag", acctest.MirrorCIGit},
	} {
		if err := srv.SetCIOverride(o[0], o[1], o[2]); err != nil {
			t.Fatal(err)
		}
	}
	k8 := mockserver.DefaultCIImages(mockserver.CIInfraK8)
	const defaults, vm, effective, effectiveVM = "data.harness_ci_default_images.k8", "data.harness_ci_default_images.vm",
		"data.harness_ci_image_config.k8", "data.harness_ci_image_config.vm"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config: acctest.ProviderConfig(srv) + `
data "harness_ci_default_images" "k8" {}
data "harness_ci_default_images" "vm" {
  infra = "VM"
}
data "harness_ci_image_config" "k8" {}
data "harness_ci_image_config" "vm" {
  infra = "VM"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(defaults, tfjsonpath.New("infra"), knownvalue.StringExact("K8")),
				statecheck.ExpectKnownValue(defaults, tfjsonpath.New("images"), knownvalue.MapSizeExact(len(k8)+1)),
				statecheck.ExpectKnownValue(defaults, tfjsonpath.New("images").AtMapKey("liteEngineTag"), knownvalue.StringExact(k8["liteEngineTag"])),
				statecheck.ExpectKnownValue(defaults, tfjsonpath.New("images").AtMapKey("futureTag"), knownvalue.StringExact("harness/future:1.0.0")),
				statecheck.ExpectKnownValue(defaults, tfjsonpath.New("parsed").AtMapKey("liteEngineTagRootless"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"registry": knownvalue.StringExact("docker.io"), "repository": knownvalue.StringExact("harness/ci-lite-engine"),
					"tag": knownvalue.StringExact("rootless-1.17.0"), "digest": knownvalue.Null(), "tool": knownvalue.Null(),
					"harness_version": knownvalue.StringExact("1.17.0"), "tool_version": knownvalue.Null(), "variant": knownvalue.StringExact("rootless"),
				})),
				statecheck.ExpectKnownValue(vm, tfjsonpath.New("infra"), knownvalue.StringExact("VM")),
				statecheck.ExpectKnownValue(vm, tfjsonpath.New("images"), knownvalue.MapSizeExact(len(mockserver.DefaultCIImages(mockserver.CIInfraVM)))),
				statecheck.ExpectKnownValue(vm, tfjsonpath.New("images").AtMapKey("gitCloneTag"),
					knownvalue.StringExact(mockserver.DefaultCIImages(mockserver.CIInfraVM)["gitCloneTag"])),
				statecheck.ExpectKnownValue(effective, tfjsonpath.New("overrides"), acctest.KnownStringMap("addonTag", acctest.MirrorAddon)),
				statecheck.ExpectKnownValue(effective, tfjsonpath.New("images").AtMapKey("addonTag"), knownvalue.StringExact(acctest.MirrorAddon)),
				statecheck.ExpectKnownValue(effective, tfjsonpath.New("images").AtMapKey("liteEngineTag"), knownvalue.StringExact(k8["liteEngineTag"])),
				statecheck.ExpectKnownValue(effective, tfjsonpath.New("images"), knownvalue.MapSizeExact(len(k8)+1)),
				statecheck.ExpectKnownValue(effectiveVM, tfjsonpath.New("overrides"), acctest.KnownStringMap("gitCloneTag", acctest.MirrorCIGit)),
				statecheck.ExpectKnownValue(effectiveVM, tfjsonpath.New("images").AtMapKey("gitCloneTag"), knownvalue.StringExact(acctest.MirrorCIGit)),
			},
			Check: acctest.RouteCounts(srv, map[string]int{mockserver.RouteCIUpdateConfig: 0, mockserver.RouteCIResetConfig: 0}),
		}},
	})
}
