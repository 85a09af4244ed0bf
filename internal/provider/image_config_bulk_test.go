package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// mirrorAll is the bulk form as users write it: every default, rehosted.
const mirrorAll = `
data "harness_dbops_default_images" "d" {}

resource "harness_dbops_image_config" "this" {
  images = { for f, img in data.harness_dbops_default_images.d.images : f => provider::harness::rehost_image(img, "` + acctest.BulkMirror + `") }
}
`

func overridesAreNow(srv *mockserver.TestServer, want func() map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error { return acctest.SameMap("overrides", srv.Overrides(), want()) }
}

// The bulk form mirrors every default in one expression, including a field Harness adds
// after this release; drift on a map entry is repaired with an update of that entry
// alone; import "images" takes the whole map; a field Harness does not have fails the
// plan; destroy resets every field, the added one too.
func TestAccImageConfigResource_bulk(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv),
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(srv) + mirrorAll,
				Check:  overridesAreNow(srv, func() map[string]string { return acctest.Mirrored(mockserver.DefaultImages()) }),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("images"), knownvalue.MapSizeExact(17)),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("images").AtMapKey("gitCloneTag"),
						knownvalue.StringExact(acctest.BulkMirror+"/harness/drone-git:1.6.4-rootless")),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("git_clone_tag"), knownvalue.Null()),
				},
			},
			{
				// Drift on two entries: the update sends those two and nothing else.
				PreConfig: func() {
					if err := srv.SetOverride("mongoTag", "registry.example.com/ui/mongo:2"); err != nil {
						t.Fatal(err)
					}
					srv.DeleteOverride("gitCloneTag")
					srv.ResetRequests()
				},
				Config: acctest.ProviderConfig(srv) + mirrorAll,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					overridesAreNow(srv, func() map[string]string { return acctest.Mirrored(mockserver.DefaultImages()) }),
					acctest.LastBodyIs(srv, mockserver.RouteUpdateConfig, `[{"field":"gitCloneTag","value":"`+acctest.BulkMirror+`/harness/drone-git:1.6.4-rootless"},`+
						`{"field":"mongoTag","value":"`+acctest.BulkMirror+`/plugins/drone-liquibase:1.18.0-4.33-mongo"}]`),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 1}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteResetConfig: 0}),
				),
			},
			{
				// Harness adds a field: the same configuration mirrors it too.
				PreConfig: func() {
					if err := srv.SetDefault("futureTag", "plugins/drone-future:1.0.0"); err != nil {
						t.Fatal(err)
					}
				},
				Config: acctest.ProviderConfig(srv) + mirrorAll,
				Check:  overridesAreNow(srv, func() map[string]string { return acctest.Mirrored(srv.Defaults()) }),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("images").AtMapKey("futureTag"),
						knownvalue.StringExact(acctest.BulkMirror+"/plugins/drone-future:1.0.0")),
				},
			},
			{
				ResourceName:      acctest.ImageConfigAddr,
				ImportState:       true,
				ImportStateId:     "images",
				ImportStateVerify: true,
			},
			{
				// A field Harness does not have: a plan error, before anything is sent.
				Config: acctest.ProviderConfig(srv) + strings.Replace(strings.Replace(mirrorAll, "images = {", `images = merge({ bogusTag = "x/y:1" }, {`, 1),
					`"`+acctest.BulkMirror+`") }`, `"`+acctest.BulkMirror+`") })`, 1),
				PlanOnly:    true,
				ExpectError: acctest.InOrder("Unknown image field", `Harness's execution config has no field "bogusTag"`),
			},
			{
				// The configuration without the field has nothing to do.
				Config:           acctest.ProviderConfig(srv) + mirrorAll,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            overridesAreNow(srv, func() map[string]string { return acctest.Mirrored(srv.Defaults()) }),
			},
		},
	})
}

// Mistakes in the bulk form are errors of validation, before the provider is even
// configured, that say what to write instead; nothing reaches the API.
func TestAccImageConfigResource_bulkInvalid(t *testing.T) {
	srv := acctest.NewServer(t)
	step := func(body, summary, detail string) resource.TestStep {
		return resource.TestStep{Config: acctest.ImageConfig(srv, body), PlanOnly: true, ExpectError: acctest.InOrder(summary, detail)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(acctest.HCL("git_clone_tag", acctest.MirrorGit)+"\n  images = { gitCloneTag = \""+acctest.MirrorGit+"\" }",
				"Image set twice", `gitCloneTag is set both by git_clone_tag and by images["gitCloneTag"]. Set it in one place.`),
			step(`images = { git_clone_tag = "`+acctest.MirrorGit+`" }`,
				"images is keyed by API field name", `"git_clone_tag" is the name of the attribute; the images map takes the API field name: use "gitCloneTag".`),
			step(`images = { gitCloneTag = "harness/drone-git" }`, "Invalid image reference", `"harness/drone-git" cannot be used: it has no tag or digest`),
			step(`images = { gitCloneTag = "harness/drone-git:latest" }`, "Invalid image reference", `"harness/drone-git:latest" cannot be used: its tag "latest" floats`),
			step(`images = {}`, "No image to manage", "or images map entry, or set exclusive = true"),
		},
	})
	if counts := srv.RouteCounts(); len(counts) != 0 {
		t.Errorf("invalid configurations reached the API: %v", counts)
	}
}

// The warnings name a map entry as images["field"]: take-over at create, drift, and a
// field set by a typed attribute in one resource and by a map in another.
func TestAccImageConfigResource_bulkWarnings(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	if err := srv.SetOverride("futureTag", "registry.example.com/old/future:1"); err == nil {
		t.Fatal("the mock took an override on a field it does not know")
	}
	if err := srv.SetDefault("futureTag", "plugins/drone-future:1.0.0"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetOverride("futureTag", "registry.example.com/old/future:1"); err != nil {
		t.Fatal(err)
	}
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(`images = { futureTag = "`+acctest.BulkMirror+`/future:2", mongoTag = "`+acctest.MirrorMongo+`" }`)})
	c.MustRun("init", "-input=false")
	out := acctest.Flat(c.MustRun("apply", "-auto-approve"))
	if want := `The account already overrides images["futureTag"] with "registry.example.com/old/future:1"; this resource now manages it and sets "` + acctest.BulkMirror + `/future:2".`; !strings.Contains(out, want) {
		t.Errorf("create output lacks %q:\n%s", want, out)
	}
	if err := srv.SetOverride("mongoTag", "registry.example.com/ui/mongo:9"); err != nil {
		t.Fatal(err)
	}
	out = acctest.Flat(c.MustRun("plan"))
	for _, want := range []string{
		`Warning: Image override drifted: images["mongoTag"]`,
		`The override of images["mongoTag"] was changed outside Terraform to "registry.example.com/ui/mongo:9"; Terraform last applied "` + acctest.MirrorMongo + `". This plan sets it to "` + acctest.MirrorMongo + `" again.`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("drift plan lacks %q:\n%s", want, out)
		}
	}
	c.MustRun("apply", "-auto-approve")
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(`images = { futureTag = "`+acctest.BulkMirror+`/future:2", mongoTag = "`+acctest.MirrorMongo+`" }`) + `
resource "harness_dbops_image_config" "typed" {
  mongo_tag = "` + acctest.MirrorMongo + `"
}
`})
	out = acctest.Flat(c.MustRun("plan"))
	// Terraform plans the two in either order; the second one planned warns.
	typedWarns := strings.Contains(out, `This harness_dbops_image_config sets mongo_tag (mongoTag), and another one in this configuration sets it to "`+acctest.MirrorMongo+`"`)
	mapWarns := strings.Contains(out, `This harness_dbops_image_config sets images["mongoTag"], and another one in this configuration sets it to "`+acctest.MirrorMongo+`"`)
	if strings.Count(out, "Warning: Two image configs manage the same field") != 1 || typedWarns == mapWarns {
		t.Errorf("a typed and a map resource on one field:\n%s", out)
	}
}

// A pinned image whose Harness default moves to a newer version gets one warning that
// names each such field, the pinned version and the new default; a pin at or above
// the default (its plugin or its tool version), another image, or a digest, gets none.
func TestAccImageConfigResource_upgradeWarning(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(
		acctest.HCL("default_tag", "plugins/drone-liquibase:1.18.0-4.33"),
		acctest.HCL("flyway_default_tag", "plugins/drone-flyway:1.3.0-11.8"),    // newer than the default
		acctest.HCL("git_clone_tag", acctest.MirrorGit),                         // not Harness's path
		acctest.HCL("oracle_tag", "plugins/drone-liquibase:1.18.0-4.34-oracle"), // a newer Liquibase than the default
		`images = {`,
		`  mongoTag   = "`+acctest.BulkMirror+`/plugins/drone-liquibase:1.18.0-4.33-mongo"`,
		`  spannerTag = "plugins/drone-liquibase@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`,
		`}`,
	)})
	c.MustRun("init", "-input=false")
	c.MustRun("apply", "-auto-approve")
	if out := c.MustRun("plan"); strings.Contains(out, "Warning") || !strings.Contains(out, "No changes") {
		t.Fatalf("a plan with nothing to do, before Harness moves a default:\n%s", out)
	}

	for f, v := range map[string]string{
		"defaultTag": "plugins/drone-liquibase:1.19.0-4.33", "mongoTag": "plugins/drone-liquibase:1.18.0-4.34-mongo",
		"flywayDefaultTag": "plugins/drone-flyway:1.2.1-11.8", "gitCloneTag": "harness/drone-git:1.7.0-rootless",
		"spannerTag": "plugins/drone-liquibase:2.0.0-5.0-spanner",
	} {
		if err := srv.SetDefault(f, v); err != nil {
			t.Fatal(err)
		}
	}
	out := acctest.Flat(c.MustRun("plan", "-detailed-exitcode"))
	want := `Warning: Harness has moved a default image past a pinned version with harness_dbops_image_config.this, on main.tf line 10, ` +
		`in resource "harness_dbops_image_config" "this": 10: resource "harness_dbops_image_config" "this" { ` +
		`Harness's default is a newer version of the image this configuration pins for: ` +
		`- default_tag (defaultTag) pins version 1.18.0-4.33 (plugins/drone-liquibase:1.18.0-4.33); the Harness default is now version 1.19.0-4.33 (plugins/drone-liquibase:1.19.0-4.33). ` +
		`- images["mongoTag"] pins version 1.18.0-4.33-mongo (` + acctest.BulkMirror + `/plugins/drone-liquibase:1.18.0-4.33-mongo); the Harness default is now version 1.18.0-4.34-mongo (plugins/drone-liquibase:1.18.0-4.34-mongo). ` +
		`To upgrade, make the new version available (copy it to your mirror, if you use one) and change the pin in a reviewed plan. This warning shows on every plan until then.`
	if !strings.Contains(out, want) || strings.Count(out, "Warning:") != 1 || !strings.Contains(out, "No changes") {
		t.Errorf("after Harness moved the defaults, the plan:\n%s\nwant the one warning:\n%s", out, want)
	}
	// Budget: a plan reads the defaults once at most, whatever it compares.
	srv.ResetRequests()
	c.MustRun("plan", "-refresh=false")
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 1 {
		t.Errorf("a plan read the defaults %d times, want 1", n)
	}
}

// Exclusive in the bulk form: an override outside the map is reset by the apply; a
// refresh is one call; import "images,exclusive" gives the same state; destroy deletes
// every override.
func TestAccImageConfigResource_bulkExclusive(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.ImageConfig(srv, "exclusive = true", `images = { defaultTag = "`+acctest.MirrorLiquibase+`" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(acctest.NoOverridesOn(srv),
			acctest.RouteCounts(srv, map[string]int{mockserver.RouteDeleteConfig: 1})),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := srv.SetOverride("mongoTag", "registry.example.com/ui/mongo:1"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				Check:  overridesAreNow(srv, func() map[string]string { return map[string]string{"defaultTag": acctest.MirrorLiquibase} }),
			},
			{
				PreConfig: func() {
					if err := srv.SetOverride("oracleTag", "registry.example.com/ui/oracle:1"); err != nil {
						t.Fatal(err)
					}
					srv.ResetRequests()
				},
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteGetCustomerConfig: 1}),
					resource.TestCheckResourceAttr(acctest.ImageConfigAddr, "unmanaged_overrides.oracleTag", "registry.example.com/ui/oracle:1"),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				Check:  overridesAreNow(srv, func() map[string]string { return map[string]string{"defaultTag": acctest.MirrorLiquibase} }),
			},
			{
				ResourceName:      acctest.ImageConfigAddr,
				ImportState:       true,
				ImportStateId:     "images,exclusive",
				ImportStateVerify: true,
			},
		},
	})
}
