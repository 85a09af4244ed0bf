package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Tests of harness_ci_image_config: the DB DevOps image config's promises, on Harness
// CI's execution config of one infra, K8 and VM kept apart.

const ciNewLiteEngine = "registry.example.com/mirror/harness/ci-lite-engine:1.17.0"

// Create sends one update-config with the configured fields, in the query the account
// and the infra; an update sends exactly what changed; a removed key is reset; nothing
// changed sends nothing; changing infra replaces the resource, resetting the old infra's
// overrides and setting the new one's. VM is never touched by a K8 resource.
func TestAccCIImageConfigResource_lifecycle(t *testing.T) {
	srv := acctest.NewServer(t)
	addr := acctest.CIImageConfigAddr
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{}),
			acctest.CIOverridesAre(srv, mockserver.CIInfraVM, map[string]string{})),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequests,
				Config:    acctest.CIImageConfig(srv, acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine, "addonTag", acctest.MirrorAddon)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(srv.AccountID+"/K8")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("infra"), knownvalue.StringExact("K8")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("exclusive"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("on_destroy"), knownvalue.StringExact("reset")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("images"),
						acctest.KnownStringMap("liteEngineTag", acctest.MirrorLiteEngine, "addonTag", acctest.MirrorAddon)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"liteEngineTag": acctest.MirrorLiteEngine, "addonTag": acctest.MirrorAddon}),
					acctest.CIOverridesAre(srv, mockserver.CIInfraVM, map[string]string{}),
					acctest.LastBodyIs(srv, mockserver.RouteCIUpdateConfig,
						`[{"field":"addonTag","value":"`+acctest.MirrorAddon+`"},{"field":"liteEngineTag","value":"`+acctest.MirrorLiteEngine+`"}]`),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCIUpdateConfig: 1, mockserver.RouteCIResetConfig: 0, mockserver.RouteUpdateConfig: 0}),
					acctest.CICallsAre(srv, "K8"),
				),
			},
			{
				// One field changes and one is added: one update-config with exactly those two.
				PreConfig: srv.ResetRequests,
				Config: acctest.CIImageConfig(srv, acctest.CIImages("liteEngineTag", ciNewLiteEngine, "addonTag", acctest.MirrorAddon,
					"gitCloneTag", acctest.MirrorCIGit)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"liteEngineTag": ciNewLiteEngine, "addonTag": acctest.MirrorAddon,
						"gitCloneTag": acctest.MirrorCIGit}),
					acctest.LastBodyIs(srv, mockserver.RouteCIUpdateConfig,
						`[{"field":"gitCloneTag","value":"`+acctest.MirrorCIGit+`"},{"field":"liteEngineTag","value":"`+ciNewLiteEngine+`"}]`),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCIUpdateConfig: 1, mockserver.RouteCIResetConfig: 0}),
				),
			},
			{
				// A key removed from the map is reset, in the docs' form [{"field": ...}].
				PreConfig: srv.ResetRequests,
				Config:    acctest.CIImageConfig(srv, acctest.CIImages("liteEngineTag", ciNewLiteEngine, "gitCloneTag", acctest.MirrorCIGit)),
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"liteEngineTag": ciNewLiteEngine, "gitCloneTag": acctest.MirrorCIGit}),
					acctest.LastBodyIs(srv, mockserver.RouteCIResetConfig, `[{"field":"addonTag"}]`),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCIUpdateConfig: 0, mockserver.RouteCIResetConfig: 1}),
					acctest.CICallsAre(srv, "K8"),
				),
			},
			{
				// Nothing changed: an empty plan, and nothing is written.
				PreConfig:        srv.ResetRequests,
				Config:           acctest.CIImageConfig(srv, acctest.CIImages("liteEngineTag", ciNewLiteEngine, "gitCloneTag", acctest.MirrorCIGit)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            acctest.RouteCounts(srv, map[string]int{mockserver.RouteCIUpdateConfig: 0, mockserver.RouteCIResetConfig: 0}),
			},
			{
				// A refresh is one read of the overrides, whatever the number of fields; the plan
				// that follows it reads the infra's defaults once.
				PreConfig:    srv.ResetRequests,
				RefreshState: true,
				Check: acctest.RouteCounts(srv, map[string]int{mockserver.RouteCIGetCustomerConfig: 1, mockserver.RouteCIGetDefaultConfig: 1,
					mockserver.RouteCIUpdateConfig: 0, mockserver.RouteCIResetConfig: 0}),
			},
			{
				// Another infra is another config: the resource is replaced.
				PreConfig: srv.ResetRequests,
				Config:    acctest.CIImageConfig(srv, `infra = "VM"`, acctest.CIImages("gitCloneTag", acctest.MirrorCIGit)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(srv.AccountID+"/VM")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{}),
					acctest.CIOverridesAre(srv, mockserver.CIInfraVM, map[string]string{"gitCloneTag": acctest.MirrorCIGit}),
				),
			},
		},
	})
}

// Drift on a changed and on a removed override is named in the plan, with what
// Terraform last applied, and the apply repairs exactly those; an override on another
// field, or on the other infra, is not drift.
func TestAccCIImageConfigResource_drift(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := ciCLI(t, srv, acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine, "addonTag", acctest.MirrorAddon))
	c.MustRun("apply", "-auto-approve")
	const drifted = "docker.io/someone/ci-lite-engine:6.6.6"
	for _, set := range [][3]string{
		{mockserver.CIInfraK8, "liteEngineTag", drifted},
		{mockserver.CIInfraK8, "s3UploadTag", "registry.example.com/ui/s3:1"},  // unmanaged
		{mockserver.CIInfraVM, "gitCloneTag", "registry.example.com/ui/git:1"}, // the other infra
	} {
		if err := srv.SetCIOverride(set[0], set[1], set[2]); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.DeleteCIOverride(mockserver.CIInfraK8, "addonTag"); err != nil {
		t.Fatal(err)
	}
	out := c.MustRun("plan", "-out=drift.plan")
	t.Logf("the plan after drift:\n%s", out)
	acctest.MustContain(t, "the plan after drift", out,
		`Warning: Image override drifted: images["addonTag"]`,
		`The override of images["addonTag"] was removed outside Terraform; Terraform last applied "`+acctest.MirrorAddon+`". This plan sets it to "`+acctest.MirrorAddon+`" again.`,
		`Warning: Image override drifted: images["liteEngineTag"]`,
		`The override of images["liteEngineTag"] was changed outside Terraform to "`+drifted+`"; Terraform last applied "`+acctest.MirrorLiteEngine+`". This plan sets it to "`+acctest.MirrorLiteEngine+`" again.`,
		"Plan: 0 to add, 1 to change, 0 to destroy.")
	if n := strings.Count(out, "Warning:"); n != 2 {
		t.Errorf("%d warnings, want the two drift warnings:\n%s", n, out)
	}
	before, _ := c.PlanChange("drift.plan", acctest.CIImageConfigAddr)
	if got := before["unmanaged_overrides"]; !mapIs(got, map[string]any{"s3UploadTag": "registry.example.com/ui/s3:1"}) {
		t.Errorf("unmanaged_overrides after the refresh = %v, want only K8's s3UploadTag", got)
	}
	srv.ResetRequests()
	c.MustRun("apply", "drift.plan")
	if err := acctest.LastBodyIs(srv, mockserver.RouteCIUpdateConfig,
		`[{"field":"addonTag","value":"`+acctest.MirrorAddon+`"},{"field":"liteEngineTag","value":"`+acctest.MirrorLiteEngine+`"}]`)(nil); err != nil {
		t.Error(err)
	}
	if err := acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"liteEngineTag": acctest.MirrorLiteEngine,
		"addonTag": acctest.MirrorAddon, "s3UploadTag": "registry.example.com/ui/s3:1"})(nil); err != nil {
		t.Error(err)
	}
	c.NoChanges("after the repair")
	c.MustRun("destroy", "-auto-approve")
	if err := acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"s3UploadTag": "registry.example.com/ui/s3:1"})(nil); err != nil {
		t.Error("after destroy: " + err.Error())
	}
	if got := srv.CIOverrides(mockserver.CIInfraVM)["gitCloneTag"]; got != "registry.example.com/ui/git:1" {
		t.Errorf("VM's override after destroy: %q", got)
	}
}

// ciCLI is a TFCLI whose configuration is a harness_ci_image_config with lines, on srv,
// initialised.
func ciCLI(t *testing.T, srv *mockserver.TestServer, lines ...string) *acctest.TFCLI {
	t.Helper()
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.CIImageConfigBody(lines...)})
	c.MustRun("init", "-input=false")
	return c
}

// mapIs compares a map of a plan's JSON with want.
func mapIs(got any, want map[string]any) bool {
	m, ok := got.(map[string]any)
	if !ok || len(m) != len(want) {
		return false
	}
	for k, v := range want {
		if m[k] != v {
			return false
		}
	}
	return true
}

// An exclusive resource owns its infra's whole config: its create names and resets the
// overrides it does not set, a later override shows leaving unmanaged_overrides and is
// reset, and destroy resets every override of the infra (the CI API has no call that
// deletes them all) and reads them back; the other infra is never touched.
func TestAccCIImageConfigResource_exclusive(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	const ui, vmGit = "registry.example.com/ui/ci-addon:rootless-1.16.92", "registry.example.com/ui/git:1"
	if err := srv.SetCIOverride(mockserver.CIInfraK8, "addonTagRootless", ui); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetCIOverride(mockserver.CIInfraVM, "gitCloneTag", vmGit); err != nil {
		t.Fatal(err)
	}
	c := ciCLI(t, srv, "exclusive = true", acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine))
	out := c.MustRun("plan")
	acctest.MustContain(t, "the plan of an exclusive create", out, "+ unmanaged_overrides = {}",
		"Warning: Unmanaged image overrides will be reset",
		`not set: - addonTagRootless = "`+ui+`" The apply resets them to the Harness defaults.`)
	c.MustRun("apply", "-auto-approve")
	if err := acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"liteEngineTag": acctest.MirrorLiteEngine})(nil); err != nil {
		t.Fatal(err)
	}

	if err := srv.SetCIOverride(mockserver.CIInfraK8, "s3UploadTag", "registry.example.com/ui/s3:1"); err != nil {
		t.Fatal(err)
	}
	out = c.MustRun("plan")
	acctest.MustContain(t, "the plan after an override appeared", out,
		`~ unmanaged_overrides = { - "s3UploadTag" = "registry.example.com/ui/s3:1" -> null }`,
		`not set: - s3UploadTag = "registry.example.com/ui/s3:1" The apply resets them`)
	if err := srv.SetCIOverride(mockserver.CIInfraK8, "cacheS3Tag", "registry.example.com/ui/cache:1"); err != nil { // after the plan
		t.Fatal(err)
	}
	srv.ResetRequests()
	out = acctest.Flat(c.MustRun("destroy", "-auto-approve"))
	if err := acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{})(nil); err != nil {
		t.Fatalf("after destroy: %v\n%s", err, out)
	}
	if err := acctest.LastBodyIs(srv, mockserver.RouteCIResetConfig,
		`[{"field":"cacheS3Tag"},{"field":"liteEngineTag"},{"field":"s3UploadTag"}]`)(nil); err != nil {
		t.Error(err)
	}
	if got := srv.CIOverrides(mockserver.CIInfraVM); len(got) != 1 || got["gitCloneTag"] != vmGit {
		t.Errorf("the VM config after a K8 resource's destroy: %v", got)
	}
}

// Destroy reads the overrides back: when Harness answers SUCCESS but keeps them,
// destroy fails naming each managed field still set (and no other), the resource stays
// in state, and the next destroy finishes the job.
func TestAccCIImageConfigResource_resetReadBack(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := ciCLI(t, srv, acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine, "addonTag", acctest.MirrorAddon))
	c.MustRun("apply", "-auto-approve")
	if err := srv.SetCIOverride(mockserver.CIInfraK8, "gitCloneTag", acctest.MirrorCIGit); err != nil { // not managed
		t.Fatal(err)
	}
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCIResetConfig, Status: 200, ContentType: "application/json", Times: 1,
		Body: `{"status":"SUCCESS","data":true,"metaData":null,"correlationId":"c-1"}`})
	out := acctest.Flat(c.MustFail("destroy", "-auto-approve"))
	want := `Error: Image overrides are still set after the reset Harness accepted the reset but still reports addonTag="` +
		acctest.MirrorAddon + `", liteEngineTag="` + acctest.MirrorLiteEngine + `". The resource stays in state`
	if _, errText, _ := strings.Cut(out, "Error:"); !strings.Contains(out, want) || strings.Contains(errText, "gitCloneTag") {
		t.Fatalf("destroy output lacks %q, or its error names the unmanaged gitCloneTag:\n%s", want, out)
	}
	acctest.MustContain(t, "the destroy plan", out, `Warning: Destroy does not touch the unmanaged overrides`,
		`Destroying this resource resets only the fields it sets (images["addonTag"], images["liteEngineTag"]), and leaves the overrides on other fields as they are: gitCloneTag.`)
	if _, ok := c.ShowState()[acctest.CIImageConfigAddr]; !ok {
		t.Fatal("the resource left the state although its overrides are still set")
	}
	c.MustRun("destroy", "-auto-approve")
	if err := acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"gitCloneTag": acctest.MirrorCIGit})(nil); err != nil {
		t.Fatal("after the second destroy: " + err.Error())
	}
}

// on_destroy = "retain" forgets the resource and leaves the overrides.
func TestAccCIImageConfigResource_retain(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{"addonTag": acctest.MirrorAddon}),
		Steps: []resource.TestStep{
			{Config: acctest.CIImageConfig(srv, `on_destroy = "retain"`, acctest.CIImages("addonTag", acctest.MirrorAddon))},
		},
	})
}

// Import takes the infra, then the fields ("K8:liteEngineTag,addonTag"), or every field
// that has an override ("K8"), or the whole config ("K8:exclusive"); the import is
// followed by an empty plan; a bad infra, a repeated field or a field with no override
// is an error that says what to write.
func TestAccCIImageConfigResource_import(t *testing.T) {
	srv := acctest.NewServer(t)
	addr := acctest.CIImageConfigAddr
	cfg := acctest.CIImageConfig(srv, acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine, "addonTag", acctest.MirrorAddon))
	importStep := func(id, wantErr string) resource.TestStep {
		s := resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportCommandWithID, ImportStateId: id}
		if wantErr == "" {
			s.ImportStateVerify = true
		} else {
			s.ExpectError = regexp.MustCompile(wantErr)
		}
		return s
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CIOverridesAre(srv, mockserver.CIInfraK8, map[string]string{}),
		Steps: []resource.TestStep{
			{Config: cfg},
			importStep("K8:liteEngineTag,addonTag", ""),
			importStep("K8: addonTag , liteEngineTag", ""),
			importStep("K8", ""),
			importStep("k8:addonTag", `(?s)import ID "k8:addonTag" does not start with the infra, K8 or VM.*"K8:liteEngineTag,addonTag"`),
			importStep("liteEngineTag", `does not start with the infra, K8 or VM`),
			importStep("K8:addonTag,addonTag", `"addonTag" is listed twice`),
			importStep("K8:gitCloneTag", `(?s)The account has no override on images\["gitCloneTag"\].*\(now: addonTag, liteEngineTag\)`),
			importStep("VM", `(?s)Nothing to import.*import "VM:exclusive" to own the\s+config`),
			{
				ResourceName:    addr,
				Config:          cfg,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   "K8:addonTag,liteEngineTag",
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)},
				},
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// Import "K8:exclusive" takes an exclusive resource as it is.
func TestAccCIImageConfigResource_importExclusive(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CIOverridesAre(srv, mockserver.CIInfraVM, map[string]string{}),
		Steps: []resource.TestStep{
			{Config: acctest.CIImageConfig(srv, `infra = "VM"`, "exclusive = true", acctest.CIImages("gitCloneTag", acctest.MirrorCIGit))},
			{
				ResourceName:      acctest.CIImageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "VM:exclusive",
				ImportStateVerify: true,
			},
		},
	})
}

// Bad input is a plan error that says what to write, before anything is written: an
// infra the API does not spell, an image that floats, an empty map, a key the infra's
// defaults do not have (a typo, or a K8 field on VM).
func TestAccCIImageConfigResource_invalidConfig(t *testing.T) {
	srv := acctest.NewServer(t)
	step := func(want string, lines ...string) resource.TestStep {
		return resource.TestStep{Config: acctest.CIImageConfig(srv, lines...), PlanOnly: true, ExpectError: acctest.ErrorText(want)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`value must be one of: ["K8" "VM"]`, `infra = "k8"`, acctest.CIImages("addonTag", acctest.MirrorAddon)),
			step(`"harness/ci-addon" cannot be used: it has no tag or digest`, acctest.CIImages("addonTag", "harness/ci-addon")),
			step(`"harness/ci-addon:latest" cannot be used: its tag "latest" floats`, acctest.CIImages("addonTag", "harness/ci-addon:latest")),
			step(`Set at least one entry of the images map (keyed by API field name, such as liteEngineTag), or set exclusive = true`, `images = {}`),
			step(`Set at least one entry of the images map`),
			step(`Harness's CI execution config (K8) has no field "liteEngineTags", so the apply would fail. Did you mean "liteEngineTag"?`,
				acctest.CIImages("liteEngineTags", acctest.MirrorLiteEngine)),
			step(`Harness's CI execution config (VM) has no field "liteEngineTag"`, `infra = "VM"`, acctest.CIImages("liteEngineTag", acctest.MirrorLiteEngine)),
		},
	})
	for route := range srv.RouteCounts() {
		if route != mockserver.RouteGetDefaultConfig && route != mockserver.RouteCIGetDefaultConfig {
			t.Errorf("an invalid configuration reached %s: %v", route, srv.RouteCounts())
		}
	}
}
