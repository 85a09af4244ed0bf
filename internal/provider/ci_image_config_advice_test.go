package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// What a plan of harness_ci_image_config tells its reviewer, and how it fails on the
// CI routes' faults.

// The take-over, equals-the-default and upgrade warnings, each where it must appear,
// with its text: the upgrade warning compares the lite engine's versions, rootless
// ones too, and says nothing of a pin at the default. A DB DevOps image config that
// sets gitCloneTag is another config, not a clash; two CI resources on one field are.
func TestAccCIImageConfigResource_warnings(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	const old = "registry.example.com/old/ci-lite-engine:1.0.0"
	if err := srv.SetCIOverride(mockserver.CIInfraK8, "liteEngineTag", old); err != nil {
		t.Fatal(err)
	}
	defaultAddon := mockserver.DefaultCIImages(mockserver.CIInfraK8)["addonTag"]
	c := newTFCLI(t)
	images := acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine, "liteEngineTagRootless", acctest.MirrorLiteEngineRootless,
		"addonTag", defaultAddon, "gitCloneTag", acctest.MirrorCIGit)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.CIImageConfigBody(images) +
		acctest.ImageConfigBody(acctest.HCL("git_clone_tag", acctest.MirrorGit))})
	c.MustRun("init", "-input=false")
	out := acctest.Flat(c.MustRun("apply", "-auto-approve"))
	acctest.MustContain(t, "the create", out,
		`Warning: Taking over an existing override`,
		`The account already overrides images["liteEngineTag"] with "`+old+`"; this resource now manages it and sets "`+acctest.MirrorLiteEngine+`".`,
		`Warning: Override equals the Harness default`,
		`images["addonTag"] = "`+defaultAddon+`" is the current Harness default, so this override changes nothing today`)
	if n := strings.Count(out, "Warning:"); n != 2 {
		t.Errorf("the create: %d warnings, want 2 (no clash between the CI and the DB DevOps gitCloneTag):\n%s", n, out)
	}
	c.NoChanges("after the create")

	// Harness moves the lite engine's defaults, rootless included.
	for f, v := range map[string]string{"liteEngineTag": "harness/ci-lite-engine:1.17.0", "liteEngineTagRootless": "harness/ci-lite-engine:rootless-1.17.0"} {
		if err := srv.SetCIDefault(mockserver.CIInfraK8, f, v); err != nil {
			t.Fatal(err)
		}
	}
	out = acctest.Flat(c.MustRun("plan"))
	t.Logf("the plan after Harness moved the lite engine:\n%s", out)
	acctest.MustContain(t, "the plan after Harness moved the lite engine", out, "No changes.",
		`Warning: Harness has moved a default CI image past a pinned version`,
		`- images["liteEngineTag"] pins version 1.16.92 (`+acctest.MirrorLiteEngine+`); the Harness default is now version 1.17.0 (harness/ci-lite-engine:1.17.0). `+
			`- images["liteEngineTagRootless"] pins version rootless-1.16.92 (`+acctest.MirrorLiteEngineRootless+`); the Harness default is now version rootless-1.17.0 (harness/ci-lite-engine:rootless-1.17.0). `+
			`To upgrade,`)
	if n := strings.Count(out, "Warning:"); n != 1 {
		t.Errorf("%d warnings, want the one upgrade warning:\n%s", n, out)
	}

	// A second CI resource on the same infra and field: the clash is named.
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.CIImageConfigBody(images) + `
resource "harness_ci_image_config" "other" {
  images = { gitCloneTag = "` + acctest.MirrorGit + `" }
}
resource "harness_ci_image_config" "vm" {
  infra  = "VM"
  images = { gitCloneTag = "` + acctest.MirrorGit + `" }
}
`})
	out = acctest.Flat(c.MustRun("plan"))
	if strings.Count(out, "Warning: Two image configs manage the same field") != 1 ||
		!strings.Contains(out, `This harness_ci_image_config sets images["gitCloneTag"], and another one in this configuration sets it to "`) {
		t.Errorf("two CI resources on K8's gitCloneTag (and one on VM's):\n%s", out)
	}
}

// A field Harness adds to the CI defaults is warned about by an exclusive resource,
// naming it and its default.
func TestAccCIImageConfigResource_newDefaultField(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := ciCLI(t, srv, "exclusive = true", acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine))
	// Before its first apply the resource has seen the fields of the defaults it plans
	// with: none of them is new.
	if out := c.MustRun("apply", "-auto-approve"); strings.Contains(out, "Warning") {
		t.Errorf("the create of an exclusive resource warns:\n%s", out)
	}
	c.NoChanges("after the create")
	if err := srv.SetCIDefault(mockserver.CIInfraK8, "liteEngineTagWindows", "harness/ci-lite-engine:windows-1.17.0"); err != nil {
		t.Fatal(err)
	}
	acctest.MustContain(t, "the plan after Harness added a field", c.MustRun("plan"), "No changes.",
		"Warning: Harness has added an image field this configuration does not set",
		`Harness's defaults have a field that this harness_ci_image_config does not set: - liteEngineTagWindows, whose default is "harness/ci-lite-engine:windows-1.17.0"`)
}

// Faults on the CI routes: a key that may not use the account's CI config fails the plan
// with the permissions it needs; unreadable defaults are a warning, and the plan goes
// on; a write Harness answers with data: false, or refuses, is an error that keeps the
// state true to the server, and the next apply finishes the job.
func TestAccCIImageConfigResource_faults(t *testing.T) {
	t.Parallel()
	t.Run("denied", func(t *testing.T) {
		t.Parallel()
		srv := acctest.NewServer(t)
		srv.SetKeyScope(mockserver.KeyScopeProject)
		c := ciCLI(t, srv, acctest.CIImages("addonTag", acctest.MirrorAddon))
		acctest.MustContain(t, "the plan of a project's key", c.MustFail("plan"), "Error: Unable to plan the image overrides",
			"403", "Missing permission core_account_view",
			"The API key may not use the account's CI execution config: reading it needs the permission core_account_view "+
				"and changing it core_account_edit, in a role bound at the account scope")
		if n := srv.RouteCount(mockserver.RouteCIUpdateConfig); n != 0 {
			t.Errorf("%d update-config calls after a refused plan", n)
		}
	})
	t.Run("defaults unreadable", func(t *testing.T) {
		t.Parallel()
		srv := acctest.NewServer(t)
		srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIGetDefaultConfig, Status: 503, Message: "ci manager is restarting"})
		c := newTFCLI(t)
		c.Write(map[string]string{"main.tf": acctest.ProviderBlock(srv, "max_retries = 0") + acctest.CIImageConfigBody(acctest.CIImages("addonTag", acctest.MirrorAddon))})
		c.MustRun("init", "-input=false")
		acctest.MustContain(t, "the plan without the CI defaults", c.MustRun("plan"),
			"Warning: Could not compare the overrides with the Harness defaults", "ci manager is restarting",
			`Without them the plan cannot tell whether Harness has images["addonTag"]`, "Plan: 1 to add")
	})

	srv := acctest.NewServer(t)
	cfg := acctest.CIImageConfig(srv, acctest.CIImages("addonTag", acctest.MirrorAddon))
	notDone := func(route string) mockserver.Fault {
		return mockserver.Fault{Route: route, Status: 200, ContentType: "application/json", Times: 1,
			Body: `{"status":"SUCCESS","data":false,"metaData":null,"correlationId":"c-1"}`}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{}),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { srv.AddFault(notDone(mockserver.RouteCIUpdateConfig)) },
				Config:      cfg,
				ExpectError: acctest.InOrder("Unable to update the image overrides", "update-config: the API answered false: the change was not applied"),
			},
			{
				// Nothing was recorded: the next apply creates it.
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.CIImageConfigAddr, plancheck.ResourceActionCreate),
				}},
				Check: acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"addonTag": acctest.MirrorAddon}),
			},
			{
				// Harness refuses the update: the error carries its message; state keeps the old value.
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIUpdateConfig, Status: 400, Message: "config is locked by an admin", Times: 1})
				},
				Config:      acctest.CIImageConfig(srv, acctest.CIImages("addonTag", acctest.MirrorAddon, "liteEngineTag", acctest.MirrorLiteEngine)),
				ExpectError: acctest.InOrder("Unable to update the image overrides", "config is locked by an admin"),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig:   func() { srv.AddFault(notDone(mockserver.RouteCIResetConfig)) },
				Config:      acctest.ProviderConfig(srv),
				ExpectError: acctest.InOrder("Unable to reset the managed image overrides", "reset-config: the API answered false"),
			},
			{
				// Still in state: the next apply destroys it.
				Config: acctest.ProviderConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.CIImageConfigAddr, plancheck.ResourceActionDestroy),
				}},
			},
		},
	})
}

// An infra known only at apply plans without the checks that need the infra's defaults
// (nothing to compare with yet, and no error), and applies to that infra.
func TestAccCIImageConfigResource_infraKnownAtApply(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
resource "terraform_data" "infra" {
  input = "VM"
}
` + acctest.CIImageConfigBody("exclusive = true", "infra = terraform_data.infra.output", acctest.CIImages("gitCloneTag", acctest.MirrorCIGit))})
	c.MustRun("init", "-input=false")
	out := c.MustRun("plan")
	acctest.MustContain(t, "the plan with an infra known at apply", out, "+ infra = (known after apply)", "Plan: 2 to add")
	if strings.Contains(out, "Warning") {
		t.Errorf("the plan with an infra known at apply warns:\n%s", out)
	}
	c.MustRun("apply", "-auto-approve")
	if err := acctest.CIOverridesAre(srv, mockserver.CIInfraVM, map[string]string{"gitCloneTag": acctest.MirrorCIGit})(nil); err != nil {
		t.Fatal(err)
	}
	c.NoChanges("after the apply")
}
