package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// effectiveIs asserts the image pipelines would use now for field, as the API reports
// it (get-customer-config?overridesOnly=false).
func effectiveIs(srv *mockserver.TestServer, field, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := client.New(client.Config{Endpoint: srv.URL, AccountID: srv.AccountID, APIKey: srv.APIKey})
		if err != nil {
			return err
		}
		eff, err := c.GetCustomerConfig(context.Background(), false)
		if err != nil {
			return err
		}
		if eff[field] != want {
			return fmt.Errorf("effective %s = %q, want %q", field, eff[field], want)
		}
		return nil
	}
}

func TestAccImageConfigResource_lifecycle(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv, "defaultTag", "gitCloneTag", "mongoTag"),
		Steps: []resource.TestStep{
			{
				Config: acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("git_clone_tag", acctest.MirrorGit)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("id"), knownvalue.StringExact(srv.AccountID)),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("default_tag"), knownvalue.StringExact(acctest.MirrorLiquibase)),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("git_clone_tag"), knownvalue.StringExact(acctest.MirrorGit)),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("mongo_tag"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("exclusive"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("on_destroy"), knownvalue.StringExact("reset")),
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit}),
					acctest.LastBodyIs(srv, mockserver.RouteUpdateConfig,
						`[{"field":"defaultTag","value":"`+acctest.MirrorLiquibase+`"},{"field":"gitCloneTag","value":"`+acctest.MirrorGit+`"}]`),
				),
			},
			{
				// One field changes and one is added: one update-config with exactly those two.
				PreConfig: srv.ResetRequests,
				Config:    acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.PinnedDigest), acctest.HCL("git_clone_tag", acctest.MirrorGit), acctest.HCL("mongo_tag", acctest.MirrorMongo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.PinnedDigest, "gitCloneTag": acctest.MirrorGit, "mongoTag": acctest.MirrorMongo}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 1}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteResetConfig: 0}),
					acctest.LastBodyIs(srv, mockserver.RouteUpdateConfig,
						`[{"field":"defaultTag","value":"`+acctest.PinnedDigest+`"},{"field":"mongoTag","value":"`+acctest.MirrorMongo+`"}]`),
				),
			},
			{
				// An attribute removed from the configuration is reset: the field is back on its default.
				PreConfig: srv.ResetRequests,
				Config:    acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.PinnedDigest), acctest.HCL("mongo_tag", acctest.MirrorMongo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.PinnedDigest, "mongoTag": acctest.MirrorMongo}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 0}),
					acctest.LastBodyIs(srv, mockserver.RouteResetConfig, `["gitCloneTag"]`),
					effectiveIs(srv, "gitCloneTag", srv.Defaults()["gitCloneTag"]),
				),
			},
			{
				// Nothing changed: nothing is sent.
				PreConfig: srv.ResetRequests,
				Config:    acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.PinnedDigest), acctest.HCL("mongo_tag", acctest.MirrorMongo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 0}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteResetConfig: 0}),
				),
			},
		},
	})
}

func TestAccImageConfigResource_drift(t *testing.T) {
	srv := acctest.NewServer(t)
	const drifted = "docker.io/someone/else:6.6.6"
	cfg := acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("git_clone_tag", acctest.MirrorGit))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv, "defaultTag", "gitCloneTag"),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// Changed in the Harness UI: the plan carries the server's value.
				PreConfig: func() {
					if err := srv.SetOverride("defaultTag", drifted); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate),
						acctest.ExpectBefore(acctest.ImageConfigAddr, "default_tag", drifted),
						plancheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("default_tag"), knownvalue.StringExact(acctest.MirrorLiquibase)),
					},
				},
			},
			{
				// Re-apply repairs it.
				Config: cfg,
				Check:  acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit}),
			},
			{
				// Removed in the Harness UI: the field reads null and the plan sets it again.
				PreConfig:          func() { srv.DeleteOverride("gitCloneTag") },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate),
						acctest.ExpectBefore(acctest.ImageConfigAddr, "git_clone_tag", nil),
						plancheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("git_clone_tag"), knownvalue.StringExact(acctest.MirrorGit)),
					},
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate)},
				},
				Check: acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit}),
			},
			{
				// An override on a field this non-exclusive resource does not manage is not its business.
				PreConfig: func() {
					if err := srv.SetOverride("oracleTag", "registry.example.com/oracle:1"); err != nil {
						t.Fatal(err)
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
	if got := srv.Overrides()["oracleTag"]; got != "registry.example.com/oracle:1" {
		t.Fatalf("destroy of a non-exclusive resource touched an unmanaged override: oracleTag=%q", got)
	}
}

func TestAccImageConfigResource_exclusive(t *testing.T) {
	srv := acctest.NewServer(t)
	if err := srv.SetOverride("mongoTag", acctest.MirrorMongo); err != nil { // there before Terraform
		t.Fatal(err)
	}
	cfg := acctest.ImageConfig(srv, `exclusive = true`, acctest.HCL("default_tag", acctest.MirrorLiquibase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv), // none at all
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase}),
			},
			{
				// An unmanaged override appears: the plan shows it and plans its reset.
				PreConfig: func() {
					if err := srv.SetOverride("spannerTag", "registry.example.com/spanner:2"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionUpdate),
						acctest.ExpectBefore(acctest.ImageConfigAddr, "unmanaged_overrides", map[string]any{"spannerTag": "registry.example.com/spanner:2"}),
						plancheck.ExpectKnownValue(acctest.ImageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					},
				},
				Check: acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase}),
			},
			{
				ResourceName:      acctest.ImageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "exclusive",
				ImportStateVerify: true,
			},
			{
				// exclusive with no image: keep the whole account on the defaults.
				Config: acctest.ImageConfig(srv, `exclusive = true`),
				Check:  acctest.OverridesAre(srv.Overrides, map[string]string{}),
			},
		},
	})
}

// A reset that fails keeps the resource in state and shows the server's message; the
// next destroy, with the fault gone, finishes the job.
func TestAccImageConfigResource_resetFails(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv, "defaultTag"),
		Steps: []resource.TestStep{
			{Config: acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase))},
			{
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteResetConfig, Status: 400, Message: "execution config is locked by a running pipeline", Times: 1})
				},
				Config:      acctest.ProviderConfig(srv), // the resource is gone from the configuration: destroy it
				ExpectError: acctest.ErrorText("execution config is locked by a running pipeline"),
			},
			{
				// Still in state and still overridden: the next apply destroys it.
				PreConfig: func() {
					srv.ClearFaults()
					if err := acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase})(nil); err != nil {
						t.Error("after the failed destroy: " + err.Error())
					}
				},
				Config: acctest.ProviderConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionDestroy)},
				},
				Check: acctest.OverridesAre(srv.Overrides, map[string]string{}),
			},
		},
	})
}

// on_destroy = "retain" forgets the resource and leaves the overrides.
func TestAccImageConfigResource_retain(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := srv.Overrides()["defaultTag"]; got != acctest.MirrorLiquibase {
				return fmt.Errorf("on_destroy = retain, but defaultTag is %q after destroy", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase), `on_destroy = "retain"`)},
		},
	})
}

// Creating over an existing override with another value takes it over.
func TestAccImageConfigResource_takeOver(t *testing.T) {
	srv := acctest.NewServer(t)
	if err := srv.SetOverride("defaultTag", "registry.example.com/old:1"); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv, "defaultTag"),
		Steps: []resource.TestStep{{
			Config: acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase)),
			Check:  acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase}),
		}},
	})
}

// A refresh of a resource that manages all 17 fields costs one API call.
func TestAccImageConfigResource_refreshIsOneCall(t *testing.T) {
	srv := acctest.NewServer(t)
	var lines []string
	for _, f := range imageFields {
		lines = append(lines, acctest.HCL(f.attr, "registry.example.com/mirror/"+strings.ReplaceAll(f.attr, "_", "-")+":1.0.0"))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ImageConfig(srv, lines...),
				Check: func(*terraform.State) error {
					if n := len(srv.Overrides()); n != 17 {
						return fmt.Errorf("%d overrides, want 17", n)
					}
					return nil
				},
			},
			{
				PreConfig:    srv.ResetRequests,
				RefreshState: true,
				// The credentials check of Configure, then the refresh: one get-customer-config.
				Check: acctest.RouteCounts(srv, map[string]int{mockserver.RouteGetDefaultConfig: 1, mockserver.RouteGetCustomerConfig: 1}),
			},
		},
	})
}

func TestAccImageConfigResource_invalidConfig(t *testing.T) {
	for name, tt := range map[string]struct {
		lines []string
		want  string
	}{
		"no tag":          {[]string{acctest.HCL("default_tag", "plugins/drone-liquibase")}, `has no tag or digest`},
		"upper case":      {[]string{acctest.HCL("default_tag", "Plugins/Drone:1")}, `is not a valid image reference`},
		"spaces":          {[]string{acctest.HCL("mongo_tag", "plugins/x :1")}, `is not a valid image reference`},
		"empty string":    {[]string{acctest.HCL("git_clone_tag", "")}, `remove the attribute instead`},
		"no field":        {nil, `Set at least one image attribute (artifactory_tag,`},
		"bad on_destroy":  {[]string{acctest.HCL("default_tag", acctest.MirrorLiquibase), `on_destroy = "keep"`}, `value must be one of`},
		"unknown field":   {[]string{acctest.HCL("latest_tag", acctest.MirrorLiquibase)}, `An argument named "latest_tag" is not expected here`},
		"bad digest":      {[]string{acctest.HCL("default_tag", "plugins/x@sha256:123")}, `is not a valid image reference`},
		"trailing spaces": {[]string{acctest.HCL("default_tag", acctest.MirrorLiquibase+" ")}, `leading or trailing white space`},
	} {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      acctest.ImageConfig(srv, tt.lines...),
					PlanOnly:    true,
					ExpectError: acctest.ErrorText(tt.want),
				}},
			})
			if n := len(srv.Requests()); n != 0 {
				t.Fatalf("an invalid configuration reached the API: %v", srv.RouteCounts())
			}
		})
	}
}

// A non-exclusive resource whose every override was removed outside Terraform destroys
// cleanly without touching the overrides of fields it does not manage.
func TestAccImageConfigResource_destroyAfterOverridesVanished(t *testing.T) {
	srv := acctest.NewServer(t)
	const other = "registry.example.com/oracle:1"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.OverridesAre(srv.Overrides, map[string]string{"oracleTag": other}),
		Steps: []resource.TestStep{
			{Config: acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase))},
			{
				// Refresh only: the managed field reads null and another team owns oracleTag.
				PreConfig: func() {
					srv.DeleteOverride("defaultTag")
					if err := srv.SetOverride("oracleTag", other); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // the plan would set default_tag again
				Check:              resource.TestCheckNoResourceAttr(acctest.ImageConfigAddr, "default_tag"),
			},
		},
	})
}

// okAnswer is a fault that answers an update-config, reset-config or DELETE with the
// JSON answer it gives (true or false) and does nothing: Harness saying "done" (or
// "not done") without doing it.
func okAnswer(route, answer string) mockserver.Fault {
	status := 201
	if route == mockserver.RouteDeleteConfig {
		status = 200
	}
	return mockserver.Fault{Route: route, Status: status, Body: answer, ContentType: "application/json", Times: 1}
}

// Destroy reads the overrides back after the reset: when Harness answers true but keeps
// them, destroy fails naming each managed field still set, and nothing else (an
// override the resource does not manage is not its business), and the resource stays
// in state; the next destroy, once Harness resets, succeeds.
func TestAccImageConfigResource_resetReadBack(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("git_clone_tag", acctest.MirrorGit))})
	c.MustRun("apply", "-auto-approve")
	if err := srv.SetOverride("mongoTag", acctest.MirrorMongo); err != nil { // not managed by the resource
		t.Fatal(err)
	}
	srv.AddFault(okAnswer(mockserver.RouteResetConfig, "true"))
	out := acctest.Flat(c.MustFail("destroy", "-auto-approve"))
	want := `Error: Image overrides are still set after the reset Harness accepted the reset but still reports defaultTag="` +
		acctest.MirrorLiquibase + `", gitCloneTag="` + acctest.MirrorGit + `". The resource stays in state`
	if _, errText, _ := strings.Cut(out, "Error:"); !strings.Contains(out, want) || strings.Contains(errText, "mongoTag") {
		t.Fatalf("destroy output lacks %q, or its error names the unmanaged mongoTag:\n%s", want, out)
	}
	acctest.MustContain(t, "the destroy plan", out, `Warning: Destroy does not touch the unmanaged overrides`,
		`Destroying this resource resets only the fields it sets (default_tag, git_clone_tag), and leaves the overrides on other fields as they are: mongoTag.`)
	if _, ok := c.ShowState()[acctest.ImageConfigAddr]; !ok {
		t.Fatal("the resource left the state although its overrides are still set")
	}
	c.MustRun("destroy", "-auto-approve")
	if got := srv.Overrides(); len(got) != 1 || got["mongoTag"] != acctest.MirrorMongo {
		t.Fatalf("after the second destroy: overrides %v, want only the unmanaged mongoTag", got)
	}
}

// An exclusive resource owns the whole config: its destroy deletes every override,
// unmanaged ones included, with one DELETE of the execution config, not reset-config.
func TestAccImageConfigResource_exclusiveDestroy(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: acctest.ImageConfig(srv, `exclusive = true`, acctest.HCL("default_tag", acctest.MirrorLiquibase))},
			{
				PreConfig: func() {
					if err := srv.SetOverride("spannerTag", "registry.example.com/spanner:2"); err != nil { // unmanaged
						t.Fatal(err)
					}
					srv.ResetRequests()
				},
				Config: acctest.ProviderConfig(srv), // destroy
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.OverridesAre(srv.Overrides, map[string]string{}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteDeleteConfig: 1}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteResetConfig: 0}),
				),
			},
		},
	})
}

// update-config and reset-config answer a boolean: false is "not done", an error that
// says so, never a success; the state stays true to the server.
func TestAccImageConfigResource_falseAnswers(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { srv.AddFault(okAnswer(mockserver.RouteUpdateConfig, "false")) },
				Config:      cfg,
				ExpectError: acctest.InOrder("Unable to update the image overrides", "update-config: the API answered false: the change was not applied"),
			},
			{
				// Nothing was recorded: the next apply creates it.
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionCreate),
				}},
				Check: acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase}),
			},
			{
				PreConfig:   func() { srv.AddFault(okAnswer(mockserver.RouteResetConfig, "false")) },
				Config:      acctest.ProviderConfig(srv),
				ExpectError: acctest.InOrder("Unable to reset the managed image overrides", "reset-config: the API answered false"),
			},
			{
				// Still in state: the next apply destroys it.
				Config: acctest.ProviderConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionDestroy),
				}},
			},
		},
	})
}
