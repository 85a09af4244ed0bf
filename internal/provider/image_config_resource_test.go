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

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

const imageConfigAddr = "harness_dbops_image_config.this"

// imageConfig renders the resource with the given attributes (HCL lines).
func imageConfig(srv *mockserver.TestServer, lines ...string) string {
	return providerConfig(srv) + imageConfigBody(lines...)
}

// imageConfigBody is the resource block of imageConfig.
func imageConfigBody(lines ...string) string {
	return "resource \"harness_dbops_image_config\" \"this\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// noOverridesOn is a CheckDestroy: none of the fields may keep an override.
func noOverridesOn(srv *mockserver.TestServer, fields ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := srv.Overrides()
		if fields == nil && len(got) > 0 {
			return fmt.Errorf("overrides left after destroy: %v", got)
		}
		for _, f := range fields {
			if v, ok := got[f]; ok {
				return fmt.Errorf("override %s=%q left after destroy", f, v)
			}
		}
		return nil
	}
}

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
	srv := newAccTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv, "defaultTag", "gitCloneTag", "mongoTag"),
		Steps: []resource.TestStep{
			{
				Config: imageConfig(srv, hcl("default_tag", mirrorLiquibase), hcl("git_clone_tag", mirrorGit)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("id"), knownvalue.StringExact(srv.AccountID)),
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("default_tag"), knownvalue.StringExact(mirrorLiquibase)),
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("git_clone_tag"), knownvalue.StringExact(mirrorGit)),
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("mongo_tag"), knownvalue.Null()),
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("exclusive"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("on_destroy"), knownvalue.StringExact("reset")),
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: resource.ComposeTestCheckFunc(
					overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase, "gitCloneTag": mirrorGit}),
					lastBodyIs(srv, mockserver.RouteUpdateConfig,
						`[{"field":"defaultTag","value":"`+mirrorLiquibase+`"},{"field":"gitCloneTag","value":"`+mirrorGit+`"}]`),
				),
			},
			{
				// One field changes and one is added: one update-config with exactly those two.
				PreConfig: srv.ResetRequests,
				Config:    imageConfig(srv, hcl("default_tag", pinnedDigest), hcl("git_clone_tag", mirrorGit), hcl("mongo_tag", mirrorMongo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					overridesAre(srv.Overrides, map[string]string{"defaultTag": pinnedDigest, "gitCloneTag": mirrorGit, "mongoTag": mirrorMongo}),
					routeCountIs(srv, mockserver.RouteUpdateConfig, 1),
					routeCountIs(srv, mockserver.RouteResetConfig, 0),
					lastBodyIs(srv, mockserver.RouteUpdateConfig,
						`[{"field":"defaultTag","value":"`+pinnedDigest+`"},{"field":"mongoTag","value":"`+mirrorMongo+`"}]`),
				),
			},
			{
				// An attribute removed from the configuration is reset: the field is back on its default.
				PreConfig: srv.ResetRequests,
				Config:    imageConfig(srv, hcl("default_tag", pinnedDigest), hcl("mongo_tag", mirrorMongo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(
					overridesAre(srv.Overrides, map[string]string{"defaultTag": pinnedDigest, "mongoTag": mirrorMongo}),
					routeCountIs(srv, mockserver.RouteUpdateConfig, 0),
					lastBodyIs(srv, mockserver.RouteResetConfig, `["gitCloneTag"]`),
					effectiveIs(srv, "gitCloneTag", srv.Defaults()["gitCloneTag"]),
				),
			},
			{
				// Nothing changed: nothing is sent.
				PreConfig: srv.ResetRequests,
				Config:    imageConfig(srv, hcl("default_tag", pinnedDigest), hcl("mongo_tag", mirrorMongo)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					routeCountIs(srv, mockserver.RouteUpdateConfig, 0),
					routeCountIs(srv, mockserver.RouteResetConfig, 0),
				),
			},
		},
	})
}

func TestAccImageConfigResource_drift(t *testing.T) {
	srv := newAccTestServer(t)
	const drifted = "docker.io/someone/else:6.6.6"
	cfg := imageConfig(srv, hcl("default_tag", mirrorLiquibase), hcl("git_clone_tag", mirrorGit))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv, "defaultTag", "gitCloneTag"),
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
						plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionUpdate),
						expectBefore{imageConfigAddr, "default_tag", drifted},
						plancheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("default_tag"), knownvalue.StringExact(mirrorLiquibase)),
					},
				},
			},
			{
				// Re-apply repairs it.
				Config: cfg,
				Check:  overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase, "gitCloneTag": mirrorGit}),
			},
			{
				// Removed in the Harness UI: the field reads null and the plan sets it again.
				PreConfig:          func() { srv.DeleteOverride("gitCloneTag") },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionUpdate),
						expectBefore{imageConfigAddr, "git_clone_tag", nil},
						plancheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("git_clone_tag"), knownvalue.StringExact(mirrorGit)),
					},
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionUpdate)},
				},
				Check: overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase, "gitCloneTag": mirrorGit}),
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
	srv := newAccTestServer(t)
	if err := srv.SetOverride("mongoTag", mirrorMongo); err != nil { // there before Terraform
		t.Fatal(err)
	}
	cfg := imageConfig(srv, `exclusive = true`, hcl("default_tag", mirrorLiquibase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv), // none at all
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase}),
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
						plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionUpdate),
						expectBefore{imageConfigAddr, "unmanaged_overrides", map[string]any{"spannerTag": "registry.example.com/spanner:2"}},
						plancheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					},
				},
				Check: overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase}),
			},
			{
				ResourceName:      imageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "exclusive",
				ImportStateVerify: true,
			},
			{
				// exclusive with no image: keep the whole account on the defaults.
				Config: imageConfig(srv, `exclusive = true`),
				Check:  overridesAre(srv.Overrides, map[string]string{}),
			},
		},
	})
}

// A reset that fails keeps the resource in state and shows the server's message; the
// next destroy, with the fault gone, finishes the job.
func TestAccImageConfigResource_resetFails(t *testing.T) {
	srv := newAccTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv, "defaultTag"),
		Steps: []resource.TestStep{
			{Config: imageConfig(srv, hcl("default_tag", mirrorLiquibase))},
			{
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteResetConfig, Status: 400, Message: "execution config is locked by a running pipeline", Times: 1})
				},
				Config:      providerConfig(srv), // the resource is gone from the configuration: destroy it
				ExpectError: errorText("execution config is locked by a running pipeline"),
			},
			{
				// Still in state and still overridden: the next apply destroys it.
				PreConfig: func() {
					srv.ClearFaults()
					if err := overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase})(nil); err != nil {
						t.Error("after the failed destroy: " + err.Error())
					}
				},
				Config: providerConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionDestroy)},
				},
				Check: overridesAre(srv.Overrides, map[string]string{}),
			},
		},
	})
}

// on_destroy = "retain" forgets the resource and leaves the overrides.
func TestAccImageConfigResource_retain(t *testing.T) {
	srv := newAccTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := srv.Overrides()["defaultTag"]; got != mirrorLiquibase {
				return fmt.Errorf("on_destroy = retain, but defaultTag is %q after destroy", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: imageConfig(srv, hcl("default_tag", mirrorLiquibase), `on_destroy = "retain"`)},
		},
	})
}

// Creating over an existing override with another value takes it over.
func TestAccImageConfigResource_takeOver(t *testing.T) {
	srv := newAccTestServer(t)
	if err := srv.SetOverride("defaultTag", "registry.example.com/old:1"); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv, "defaultTag"),
		Steps: []resource.TestStep{{
			Config: imageConfig(srv, hcl("default_tag", mirrorLiquibase)),
			Check:  overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase}),
		}},
	})
}

// A refresh of a resource that manages all 17 fields costs one API call.
func TestAccImageConfigResource_refreshIsOneCall(t *testing.T) {
	srv := newAccTestServer(t)
	var lines []string
	for _, f := range imageFields {
		lines = append(lines, hcl(f.attr, "registry.example.com/mirror/"+strings.ReplaceAll(f.attr, "_", "-")+":1.0.0"))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: imageConfig(srv, lines...),
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
				Check: checkRouteCounts(srv, map[string]int{mockserver.RouteGetDefaultConfig: 1, mockserver.RouteGetCustomerConfig: 1}),
			},
		},
	})
}

func TestAccImageConfigResource_invalidConfig(t *testing.T) {
	for name, tt := range map[string]struct {
		lines []string
		want  string
	}{
		"no tag":          {[]string{hcl("default_tag", "plugins/drone-liquibase")}, `has no tag or digest`},
		"upper case":      {[]string{hcl("default_tag", "Plugins/Drone:1")}, `is not a valid image reference`},
		"spaces":          {[]string{hcl("mongo_tag", "plugins/x :1")}, `is not a valid image reference`},
		"empty string":    {[]string{hcl("git_clone_tag", "")}, `remove the attribute instead`},
		"no field":        {nil, `Set at least one image attribute (artifactory_tag,`},
		"bad on_destroy":  {[]string{hcl("default_tag", mirrorLiquibase), `on_destroy = "keep"`}, `value must be one of`},
		"unknown field":   {[]string{hcl("latest_tag", mirrorLiquibase)}, `An argument named "latest_tag" is not expected here`},
		"bad digest":      {[]string{hcl("default_tag", "plugins/x@sha256:123")}, `is not a valid image reference`},
		"trailing spaces": {[]string{hcl("default_tag", mirrorLiquibase+" ")}, `leading or trailing white space`},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newAccTestServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      imageConfig(srv, tt.lines...),
					PlanOnly:    true,
					ExpectError: errorText(tt.want),
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
	srv := newAccTestServer(t)
	const other = "registry.example.com/oracle:1"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             overridesAre(srv.Overrides, map[string]string{"oracleTag": other}),
		Steps: []resource.TestStep{
			{Config: imageConfig(srv, hcl("default_tag", mirrorLiquibase))},
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
				Check:              resource.TestCheckNoResourceAttr(imageConfigAddr, "default_tag"),
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
	srv := newAccTestServer(t)
	c := newTFCLI(t)
	c.write(map[string]string{"main.tf": imageConfig(srv, hcl("default_tag", mirrorLiquibase), hcl("git_clone_tag", mirrorGit))})
	c.mustRun("apply", "-auto-approve")
	if err := srv.SetOverride("mongoTag", mirrorMongo); err != nil { // not managed by the resource
		t.Fatal(err)
	}
	srv.AddFault(okAnswer(mockserver.RouteResetConfig, "true"))
	out := flat(c.mustFail("destroy", "-auto-approve"))
	want := `Error: Image overrides are still set after the reset Harness accepted the reset but still reports defaultTag="` +
		mirrorLiquibase + `", gitCloneTag="` + mirrorGit + `". The resource stays in state`
	if _, errText, _ := strings.Cut(out, "Error:"); !strings.Contains(out, want) || strings.Contains(errText, "mongoTag") {
		t.Fatalf("destroy output lacks %q, or its error names the unmanaged mongoTag:\n%s", want, out)
	}
	mustContain(t, "the destroy plan", out, `Warning: Destroy does not touch the unmanaged overrides`,
		`Destroying this resource resets only the fields it sets (default_tag, git_clone_tag), and leaves the overrides on other fields as they are: mongoTag.`)
	if _, ok := c.showState()[imageConfigAddr]; !ok {
		t.Fatal("the resource left the state although its overrides are still set")
	}
	c.mustRun("destroy", "-auto-approve")
	if got := srv.Overrides(); len(got) != 1 || got["mongoTag"] != mirrorMongo {
		t.Fatalf("after the second destroy: overrides %v, want only the unmanaged mongoTag", got)
	}
}

// An exclusive resource owns the whole config: its destroy deletes every override,
// unmanaged ones included, with one DELETE of the execution config, not reset-config.
func TestAccImageConfigResource_exclusiveDestroy(t *testing.T) {
	srv := newAccTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: imageConfig(srv, `exclusive = true`, hcl("default_tag", mirrorLiquibase))},
			{
				PreConfig: func() {
					if err := srv.SetOverride("spannerTag", "registry.example.com/spanner:2"); err != nil { // unmanaged
						t.Fatal(err)
					}
					srv.ResetRequests()
				},
				Config: providerConfig(srv), // destroy
				Check: resource.ComposeAggregateTestCheckFunc(
					overridesAre(srv.Overrides, map[string]string{}),
					routeCountIs(srv, mockserver.RouteDeleteConfig, 1),
					routeCountIs(srv, mockserver.RouteResetConfig, 0),
				),
			},
		},
	})
}

// update-config and reset-config answer a boolean: false is "not done", an error that
// says so, never a success; the state stays true to the server.
func TestAccImageConfigResource_falseAnswers(t *testing.T) {
	srv := newAccTestServer(t)
	cfg := imageConfig(srv, hcl("default_tag", mirrorLiquibase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { srv.AddFault(okAnswer(mockserver.RouteUpdateConfig, "false")) },
				Config:      cfg,
				ExpectError: inOrder("Unable to update the image overrides", "update-config: the API answered false: the change was not applied"),
			},
			{
				// Nothing was recorded: the next apply creates it.
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionCreate),
				}},
				Check: overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase}),
			},
			{
				PreConfig:   func() { srv.AddFault(okAnswer(mockserver.RouteResetConfig, "false")) },
				Config:      providerConfig(srv),
				ExpectError: inOrder("Unable to reset the managed image overrides", "reset-config: the API answered false"),
			},
			{
				// Still in state: the next apply destroys it.
				Config: providerConfig(srv),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionDestroy),
				}},
			},
		},
	})
}
