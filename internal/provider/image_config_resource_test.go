package provider

import (
	"context"
	"fmt"
	"regexp"
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
	return providerConfig(srv) + "resource \"harness_dbops_image_config\" \"this\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
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
					statecheck.ExpectKnownValue(imageConfigAddr, tfjsonpath.New("unmanaged_overrides"), knownvalue.Null()),
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

func TestAccImageConfigResource_import(t *testing.T) {
	srv := newAccTestServer(t)
	cfg := imageConfig(srv, hcl("default_tag", mirrorLiquibase), hcl("mongo_tag", mirrorMongo))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             noOverridesOn(srv, "defaultTag", "mongoTag"),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				ResourceName:      imageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "default_tag,mongo_tag",
				ImportStateVerify: true,
			},
			{
				// API names are accepted too.
				ResourceName:      imageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "defaultTag, mongoTag",
				ImportStateVerify: true,
			},
			{
				ResourceName:    imageConfigAddr,
				Config:          cfg,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   "default_tag,mongo_tag",
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:  imageConfigAddr,
				ImportState:   true,
				ImportStateId: "default_tag,latest_tag",
				ExpectError:   regexp.MustCompile(`(?s)unknown field "latest_tag".*Valid fields: artifactory_tag, big_query_tag`),
			},
			{
				ResourceName:  imageConfigAddr,
				ImportState:   true,
				ImportStateId: "mongo_tag,mongoTag",
				ExpectError:   regexp.MustCompile(`field "mongoTag" is listed twice`),
			},
			{
				ResourceName:  imageConfigAddr,
				ImportState:   true,
				ImportStateId: " ",
				ExpectError:   regexp.MustCompile(`the import ID is empty`),
			},
			{
				// The import is followed by an empty plan.
				Config:   cfg,
				PlanOnly: true,
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
				// Still in state: the plan still wants to destroy it.
				PreConfig:          srv.ClearFaults,
				Config:             providerConfig(srv),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(imageConfigAddr, plancheck.ResourceActionDestroy)},
				},
				Check: overridesAre(srv.Overrides, map[string]string{"defaultTag": mirrorLiquibase}),
			},
			{Config: providerConfig(srv)},
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
				Check: func(*terraform.State) error {
					reqs := srv.Requests()
					if len(reqs) != 1 || reqs[0].Route != mockserver.RouteGetCustomerConfig {
						return fmt.Errorf("a refresh made %d requests (%v), want 1 get-customer-config", len(reqs), srv.RouteCounts())
					}
					return nil
				},
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

func TestParseImageImportID(t *testing.T) {
	for _, tt := range []struct {
		id        string
		fields    []string
		exclusive bool
		err       string
	}{
		{id: "default_tag", fields: []string{"defaultTag"}},
		{id: "default_tag,mongo_tag", fields: []string{"defaultTag", "mongoTag"}},
		{id: " gitCloneTag , flyway_spanner_psql_tag ", fields: []string{"gitCloneTag", "flywaySpannerPsqlTag"}},
		{id: "exclusive", exclusive: true},
		{id: "", err: "the import ID is empty"},
		{id: "default_tag,", err: `unknown field ""`},
		{id: "default", err: `unknown field "default"`},
		{id: "default_tag,defaultTag", err: "listed twice"},
		{id: "a/b/c", err: "Valid fields: artifactory_tag"},
	} {
		fields, exclusive, err := parseImageImportID(tt.id)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseImageImportID(%q) error = %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil || exclusive != tt.exclusive || strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("parseImageImportID(%q) = %v %v %v, want %v %v", tt.id, fields, exclusive, err, tt.fields, tt.exclusive)
		}
	}
}

func FuzzParseImageImportID(f *testing.F) {
	for _, s := range []string{"default_tag,mongo_tag", "exclusive", "", ",", "mongoTag, mongoTag"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		fields, exclusive, err := parseImageImportID(id)
		if err != nil {
			if fields != nil || exclusive {
				t.Fatalf("an error came with a result: %v %v", fields, exclusive)
			}
			return
		}
		for _, api := range fields {
			if _, ok := imageFieldByName(api); !ok {
				t.Fatalf("accepted unknown field %q", api)
			}
		}
	})
}
