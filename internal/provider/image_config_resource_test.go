package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
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
				ExpectError:   regexp.MustCompile(`(?s)unknown field "latest_tag".*Known fields: artifactory_tag,\s+big_query_tag`),
			},
			{
				ResourceName:  imageConfigAddr,
				ImportState:   true,
				ImportStateId: "mongo_tag,mongoTag",
				ExpectError:   regexp.MustCompile(`"mongoTag" is listed twice`),
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

func TestParseImageImportID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want imageImport
		err  string
	}{
		{id: "default_tag", want: imageImport{fields: []string{"defaultTag"}}},
		{id: "default_tag,mongo_tag", want: imageImport{fields: []string{"defaultTag", "mongoTag"}}},
		{id: " gitCloneTag , flyway_spanner_psql_tag ", want: imageImport{fields: []string{"gitCloneTag", "flywaySpannerPsqlTag"}}},
		{id: "exclusive", want: imageImport{exclusive: true}},
		{id: "images", want: imageImport{inMap: true}},
		{id: "exclusive, images", want: imageImport{exclusive: true, inMap: true}},
		{id: "images,git_clone_tag,futureTag", want: imageImport{inMap: true, fields: []string{"gitCloneTag", "futureTag"}}},
		{id: "futureTag,exclusive,images", want: imageImport{exclusive: true, inMap: true, fields: []string{"futureTag"}}},
		{id: "", err: "the import ID is empty"},
		{id: "default_tag,", err: `unknown field ""`},
		{id: "default", err: `unknown field "default"`},
		{id: "futureTag", err: `unknown field "futureTag"`},
		{id: "images,future_tag", err: `unknown field "future_tag"`},
		{id: "default_tag,defaultTag", err: `"defaultTag" is listed twice`},
		{id: "images,exclusive,images", err: `"images" is listed twice`},
		{id: "a/b/c", err: "Known fields: artifactory_tag"},
	} {
		got, err := parseImageImportID(tt.id)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseImageImportID(%q) error = %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseImageImportID(%q) = %+v, %v; want %+v", tt.id, got, err, tt.want)
		}
	}
}

// lowerCamel: a lower-case ASCII letter, then ASCII letters and digits.
func lowerCamel(s string) bool {
	for i, r := range s {
		lower, upper, digit := 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9'
		if !lower && (i == 0 || !upper && !digit) {
			return false
		}
	}
	return s != ""
}

// FuzzParseImageImportID checks parseImageImportID against what an import ID means: a
// list of names, each once, where "exclusive" and "images" are words and any other
// name is a known field (by attribute or API name) or, with "images", an API-style
// field name; and what it returns parses back to itself.
func FuzzParseImageImportID(f *testing.F) {
	for _, s := range []string{"default_tag,mongo_tag", "exclusive", "EXCLUSIVE", " exclusive ", "", ",", "mongoTag, mongoTag",
		"default_tag,defaultTag", "Default_Tag", "defaulttag", "git_clone_tag ,spannerTag", "images,futureTag", "images,exclusive"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got, err := parseImageImportID(id)
		var names []string
		for _, part := range strings.Split(id, ",") {
			names = append(names, strings.TrimSpace(part))
		}
		want := imageImport{exclusive: slices.Contains(names, "exclusive"), inMap: slices.Contains(names, "images")}
		valid := strings.TrimSpace(id) != ""
		for i, name := range names {
			if slices.Contains(names[:i], name) {
				valid = false
			}
			if name == "exclusive" || name == "images" {
				continue
			}
			j := slices.IndexFunc(imageFields, func(f imageField) bool { return f.attr == name || f.api == name })
			switch {
			case j >= 0:
				name = imageFields[j].api
			case !want.inMap || !lowerCamel(name):
				valid = false
			}
			if slices.Contains(want.fields, name) {
				valid = false
			}
			want.fields = append(want.fields, name)
		}
		if !valid {
			if err == nil {
				t.Fatalf("%q: %+v, want an error (empty, unknown, differently cased or repeated)", id, got)
			}
			return
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v, %v; want %+v", id, got, err, want)
		}
		words := slices.Clone(got.fields)
		if got.exclusive {
			words = append(words, "exclusive")
		}
		if got.inMap {
			words = append(words, "images")
		}
		if again, err := parseImageImportID(strings.Join(words, ",")); err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("%q: %+v does not parse back to itself: %+v %v", id, got, again, err)
		}
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

// The three warnings the image config documents, each where it must appear, with its
// text, and nowhere else: taking over an existing override (on create), an override
// that equals the Harness default (on a plan that sets one), and drift (on a plan
// after a change outside Terraform).
func TestAccImageConfigResource_warnings(t *testing.T) {
	t.Parallel()
	srv := newAccTestServer(t)
	if err := srv.SetOverride("gitCloneTag", "registry.example.com/old/drone-git:1.0.0"); err != nil {
		t.Fatal(err)
	}
	defaultMongo := mockserver.DefaultImages()["mongoTag"]
	c := newTFCLI(t)
	count := func(out, warning string) int { return strings.Count(out, "Warning: "+warning) }

	c.write(map[string]string{"main.tf": imageConfig(srv, hcl("default_tag", mirrorLiquibase), hcl("git_clone_tag", mirrorGit), hcl("mongo_tag", defaultMongo))})
	out := flat(c.mustRun("apply", "-auto-approve"))
	for warning, n := range map[string]int{"Taking over an existing override": 1, "Override equals the Harness default": 1, "Image override drifted": 0} {
		if got := count(out, warning); got != n {
			t.Errorf("create: %d %q warnings, want %d:\n%s", got, warning, n, out)
		}
	}
	for _, want := range []string{
		`The account already overrides git_clone_tag (gitCloneTag) with "registry.example.com/old/drone-git:1.0.0"; this resource now manages it and sets "` + mirrorGit + `".`,
		`mongo_tag = "` + defaultMongo + `" is the current Harness default, so this override changes nothing today`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("create output lacks %q:\n%s", want, out)
		}
	}
	if out := c.mustRun("plan"); strings.Contains(out, "Warning") {
		t.Errorf("a plan with nothing to do warns:\n%s", out)
	}

	// Drift: one override changed, one removed, outside Terraform.
	if err := srv.SetOverride("defaultTag", "registry.example.com/other/drone-liquibase:9.9.9"); err != nil {
		t.Fatal(err)
	}
	srv.DeleteOverride("gitCloneTag")
	out = flat(c.mustRun("plan"))
	for _, want := range []string{
		`Warning: Image override drifted: default_tag`,
		`The override of default_tag (defaultTag) was changed outside Terraform to "registry.example.com/other/drone-liquibase:9.9.9"; Terraform last applied "` + mirrorLiquibase + `". This plan sets it to "` + mirrorLiquibase + `" again.`,
		`Warning: Image override drifted: git_clone_tag`,
		`The override of git_clone_tag (gitCloneTag) was removed outside Terraform; Terraform last applied "` + mirrorGit + `". This plan sets it to "` + mirrorGit + `" again.`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("drift plan lacks %q:\n%s", want, out)
		}
	}
	if n := count(out, "Image override drifted"); n != 2 || count(out, "Taking over") != 0 {
		t.Errorf("drift plan: %d drift warnings, want 2 (mongo_tag did not drift), and no take-over:\n%s", n, out)
	}
	c.mustRun("apply", "-auto-approve")
	if out := c.mustRun("plan"); strings.Contains(out, "Warning") {
		t.Errorf("a plan after the repair warns:\n%s", out)
	}
}

// Importing a field that has no override fails and names it (the configuration
// Terraform would generate could not manage it); importing fields that have one
// generates a configuration that applies with nothing to change.
func TestAccImageConfigResource_importGeneratesConfig(t *testing.T) {
	t.Parallel()
	srv := newAccTestServer(t)
	for f, v := range map[string]string{"defaultTag": mirrorLiquibase, "gitCloneTag": mirrorGit} {
		if err := srv.SetOverride(f, v); err != nil {
			t.Fatal(err)
		}
	}
	c := newTFCLI(t)
	importBlock := func(id string) string {
		return cliProvider(srv) + "import {\n  to = harness_dbops_image_config.imported\n  id = \"" + id + "\"\n}\n"
	}
	c.write(map[string]string{"main.tf": importBlock("default_tag,mongo_tag")})
	out := flat(c.mustFail("plan", "-generate-config-out=generated.tf"))
	if want := "Error: Nothing to import for some fields The account has no override on mongo_tag (mongoTag): it uses the Harness default, " +
		"so there is nothing to manage. Import only fields that have an override (now: default_tag, git_clone_tag)"; !strings.Contains(out, want) {
		t.Fatalf("import of a field without override:\n%s\nwant %q", out, want)
	}
	c.write(map[string]string{"main.tf": importBlock("default_tag,git_clone_tag")})
	c.mustRun("plan", "-generate-config-out=generated.tf")
	c.mustRun("apply", "-auto-approve")
	if out := c.mustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("the generated configuration is not stable:\n%s", out)
	}
	if got := srv.Overrides(); len(got) != 2 || got["defaultTag"] != mirrorLiquibase {
		t.Fatalf("overrides after the import: %v", got)
	}
}

// Two image configs that set one field would undo each other on every apply: the plan
// says so once, naming the field and the other value, whatever order Terraform plans
// them in; a field set by one resource only, and a lone resource, get no warning. An
// exclusive resource next to another one is the same conflict.
func TestAccImageConfigResource_twoOnOneField(t *testing.T) {
	t.Parallel()
	srv := newAccTestServer(t)
	c := newTFCLI(t)
	c.write(map[string]string{"main.tf": cliProvider(srv) + `
resource "harness_dbops_image_config" "a" {
  default_tag = "` + mirrorLiquibase + `"
}
resource "harness_dbops_image_config" "b" {
  default_tag = "` + pinnedDigest + `"
  mongo_tag   = "` + mirrorMongo + `"
}
`})
	for range 3 { // the order of the two plans varies: the warning must not
		out := flat(c.mustRun("plan", "-parallelism=2"))
		if n := strings.Count(out, "Warning: Two image configs manage the same field"); n != 1 {
			t.Fatalf("%d warnings, want 1:\n%s", n, out)
		}
		thisA := `This harness_dbops_image_config sets default_tag (defaultTag), and another one in this configuration sets it to "` + pinnedDigest + `".`
		thisB := `This harness_dbops_image_config sets default_tag (defaultTag), and another one in this configuration sets it to "` + mirrorLiquibase + `".`
		if !strings.Contains(out, thisA) && !strings.Contains(out, thisB) {
			t.Fatalf("the warning does not name the field and the other value:\n%s", out)
		}
		if strings.Contains(out, "sets mongo_tag") {
			t.Fatalf("mongo_tag is set by one resource only, yet it warns:\n%s", out)
		}
	}
	c.write(map[string]string{"main.tf": cliProvider(srv) + `
resource "harness_dbops_image_config" "all" {
  exclusive = true
}
resource "harness_dbops_image_config" "b" {
  mongo_tag = "` + mirrorMongo + `"
}
`})
	if out := flat(c.mustRun("plan")); strings.Count(out, "Warning: Two image configs manage the same field") != 1 ||
		!strings.Contains(out, "owns the whole execution config (exclusive = true)") {
		t.Fatalf("an exclusive config next to another one:\n%s", out)
	}
}

// When the Harness defaults cannot be read, the plan does without its "equals the
// default" check, and says so in a warning with the reason (never only in a debug log).
func TestAccImageConfigResource_defaultsUnreadable(t *testing.T) {
	t.Parallel()
	srv := newAccTestServer(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetDefaultConfig, Status: 503, Message: "defaults are being updated"})
	c := newTFCLI(t)
	c.write(map[string]string{"main.tf": providerBlock(srv, "max_retries = 0\nskip_credentials_validation = true") +
		imageConfigBody(hcl("default_tag", mirrorLiquibase))})
	out := flat(c.mustRun("plan"))
	for _, want := range []string{
		"Warning: Could not compare the overrides with the Harness defaults",
		"503 Service Unavailable: defaults are being updated",
		"The plan is complete without this check.",
		"Plan: 1 to add",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
}
