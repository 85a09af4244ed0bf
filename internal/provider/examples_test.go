package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"path/filepath"
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

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// exampleChecks holds what each example must produce beyond applying and destroying
// cleanly; an example missing here is still applied.
var exampleChecks = map[string][]statecheck.StateCheck{
	"resources/harness_dbops_db_schema/resource.tf": {
		statecheck.ExpectKnownValue("harness_dbops_db_schema.billing", tfjsonpath.New("schema_source_type"), knownvalue.StringExact("HarnessCode")),
		statecheck.ExpectKnownValue("harness_dbops_db_schema.inventory", tfjsonpath.New("type"), knownvalue.StringExact("Script")),
	},
	"resources/harness_dbops_db_instance/resource.tf": {
		statecheck.ExpectKnownValue("harness_dbops_db_instance.orders_prod", tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/orders/orders_prod")),
	},
	"resources/harness_dbops_image_config/resource-exclusive.tf": {
		statecheck.ExpectKnownValue("harness_dbops_image_config.all", tfjsonpath.New("unmanaged_overrides"), knownvalue.MapSizeExact(0)),
	},
	"data-sources/harness_dbops_db_schema/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_changelog_location", knownvalue.StringExact("c.yaml")),
	},
	"data-sources/harness_dbops_db_instance/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_prod_last_deployed", knownvalue.StringExact("cs-1")),
	},
	"data-sources/harness_dbops_db_schemas/data-source.tf": {
		statecheck.ExpectKnownOutputValue("billing_schema_ids", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("billing")})),
	},
	"data-sources/harness_dbops_db_instances/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_prod_connectors", knownvalue.MapExact(map[string]knownvalue.Check{"orders_prod": knownvalue.StringExact("jdbc")})),
	},
	"data-sources/harness_dbops_migration_state/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_prod_release", knownvalue.StringExact("cs-1")),
	},
	"data-sources/harness_dbops_schema_migration_state/data-source.tf": {
		statecheck.ExpectKnownOutputValue("orders_behind", knownvalue.MapExact(map[string]knownvalue.Check{"orders_prod": knownvalue.Int64Exact(0)})),
	},
	"data-sources/harness_dbops_default_images/data-source.tf": {
		statecheck.ExpectKnownOutputValue("liquibase_default_image", knownvalue.StringExact("plugins/drone-liquibase:1.18.0-4.33")),
	},
	"functions/parse_image/function.tf": {
		statecheck.ExpectKnownOutputValue("liquibase_version", knownvalue.StringExact("4.33")),
		statecheck.ExpectKnownOutputValueAtPath("parsed", tfjsonpath.New("repository"), knownvalue.StringExact("mirror/plugins/drone-flyway")),
		statecheck.ExpectKnownOutputValueAtPath("parsed", tfjsonpath.New("tool"), knownvalue.StringExact("flyway")),
	},
	"functions/rehost_image/function.tf": {
		statecheck.ExpectKnownOutputValue("mirrored", knownvalue.StringExact("registry.example.com/harness-mirror/plugins/drone-liquibase:1.18.0-4.33")),
	},
	"data-sources/harness_ci_default_images/data-source.tf": {
		statecheck.ExpectKnownOutputValue("lite_engine_default_image", knownvalue.StringExact("harness/ci-lite-engine:1.16.92")),
		statecheck.ExpectKnownOutputValue("addon_default_version", knownvalue.StringExact("1.16.92")),
	},
	"data-sources/harness_ci_image_config/data-source.tf": {
		statecheck.ExpectKnownOutputValue("lite_engine_in_use", knownvalue.StringExact("mirror/harness/ci-lite-engine:1.16.92")),
		statecheck.ExpectKnownOutputValue("ci_overrides", acctest.KnownStringMap("liteEngineTag", "mirror/harness/ci-lite-engine:1.16.92")),
	},
	"data-sources/harness_dbops_image_config/data-source.tf": {
		statecheck.ExpectKnownOutputValue("account_overrides", knownvalue.MapExact(map[string]knownvalue.Check{"mongoTag": knownvalue.StringExact("mirror/mongo:1")})),
	},
}

// exampleMock holds what each resource example says it does to Harness, checked in the
// mock after the apply; before runs before it (an override that is there already).
var exampleMock = map[string]struct {
	before func(*mockserver.TestServer) error
	check  func(*mockserver.TestServer) error
}{
	"resources/harness_dbops_image_config/resource.tf": {check: func(srv *mockserver.TestServer) error {
		// Pins the Liquibase and git-clone images; every other field keeps the default.
		return acctest.SameMap("overrides", srv.Overrides(), map[string]string{
			"defaultTag": "plugins/drone-liquibase:1.17.0-4.33", "gitCloneTag": "harness/drone-git:1.6.3-rootless",
		})
	}},
	"resources/harness_dbops_image_config/resource-private-registry.tf": {check: func(srv *mockserver.TestServer) error {
		// Every default, under the mirror, with its repository path and tag.
		want := map[string]string{}
		for f, img := range srv.Defaults() {
			want[f] = "registry.example.com/harness-mirror/" + img
		}
		return acctest.SameMap("overrides", srv.Overrides(), want)
	}},
	"resources/harness_dbops_image_config/resource-exclusive.tf": {
		// An override made in the UI on another field is reset on apply.
		before: func(srv *mockserver.TestServer) error {
			return srv.SetOverride("mongoTag", "registry.example.com/ui/mongo:1")
		},
		check: func(srv *mockserver.TestServer) error {
			return acctest.SameMap("overrides", srv.Overrides(), map[string]string{"defaultTag": "registry.example.com/harness-mirror/drone-liquibase:1.18.0-4.33"})
		},
	},
	"resources/harness_ci_image_config/resource.tf": {check: func(srv *mockserver.TestServer) error {
		// The K8 config's lite engine, add-on and git clone, from the mirror; VM untouched.
		if err := acctest.SameMap("VM's CI overrides", srv.CIOverrides(mockserver.CIInfraVM), map[string]string{}); err != nil {
			return err
		}
		return acctest.SameMap("K8's CI overrides", srv.CIOverrides(mockserver.CIInfraK8), map[string]string{
			"liteEngineTag": "registry.example.com/mirror/harness/ci-lite-engine:1.16.92",
			"addonTag":      "registry.example.com/mirror/harness/ci-addon:1.16.92",
			"gitCloneTag":   "registry.example.com/mirror/harness/drone-git:1.6.9-rootless",
		})
	}},
	"resources/harness_dbops_db_schema/resource.tf": {check: func(srv *mockserver.TestServer) error {
		// A Liquibase Git schema with a service, a Flyway Harness Code schema, a script schema.
		got := map[string]string{}
		for _, sc := range srv.Schemas(acctest.DBTestOrg, acctest.DBTestProject) {
			got[sc.Identifier] = sc.MigrationType + " " + sc.SchemaSourceType + " " + sc.Service
		}
		return acctest.SameMap("schemas (migration type, source type, service)", got, map[string]string{
			"orders": "Liquibase Git orders_service", "billing": "Flyway HarnessCode ", "inventory": "Liquibase Custom ",
		})
	}},
	"resources/harness_dbops_db_instance/resource.tf": {check: func(srv *mockserver.TestServer) error {
		// The production database of the orders schema, migrated from main, context prod.
		in, ok := srv.Instance(acctest.DBTestOrg, acctest.DBTestProject, "orders", "orders_prod")
		if !ok || in.Branch != "main" || in.Context != "prod" || in.Connector != "org.orders_prod_jdbc" ||
			in.Tags["env"] != "prod" || in.SubstituteProperties["DB_NAME"] != "orders" {
			return fmt.Errorf("the mock holds %+v (found: %v)", in, ok)
		}
		return nil
	}},
}

// seedForDataSources gives the data-source examples something to read.
func seedForDataSources(t *testing.T, srv *mockserver.TestServer) {
	t.Helper()
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "orders", Name: "Orders", Changelog: &mockserver.Changelog{Connector: "gh", Location: "c.yaml"}})
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "billing", Name: "Billing", MigrationType: "Flyway", Changelog: &mockserver.Changelog{Location: "sql"}})
	if err := srv.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "orders", mockserver.Instance{Identifier: "orders_prod", Name: "Orders", Connector: "jdbc",
		Tags: map[string]string{"env": "prod"}, LastDeployedChangeSetTag: "cs-1"}); err != nil {
		t.Fatal(err)
	}
	// The pipeline run that deployed cs-1 to orders_prod.
	if err := srv.RecordChangeSets(acctest.DBTestOrg, acctest.DBTestProject, "orders", "orders_prod", mockserver.ChangeSet{ChangeSet: "create_orders",
		Author: "ann", FileName: "db/changelog.yaml", Tag: "cs-1", Status: mockserver.StatusSuccessfullyDeployed,
		Pipeline: "deploy_orders", PlanExecutionID: "run1", StageExecutionID: "prod"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetOverride("mongoTag", "mirror/mongo:1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetCIOverride(mockserver.CIInfraK8, "liteEngineTag", "mirror/harness/ci-lite-engine:1.16.92"); err != nil {
		t.Fatal(err)
	}
}

// exampleFiles lists every example configuration of a resource or data source.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"resources", "data-sources", "functions"} {
		err := filepath.WalkDir(filepath.Join(acctest.ExamplesDir, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, "import-by-string-id.tf") {
				rel, _ := filepath.Rel(acctest.ExamplesDir, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// Every example in the docs applies and destroys against the mock, so the docs cannot rot.
func TestAccExamples(t *testing.T) {
	files := exampleFiles(t)
	for _, name := range slices.Concat(slices.Collect(maps.Keys(exampleChecks)), slices.Collect(maps.Keys(exampleMock))) {
		if !slices.Contains(files, name) {
			t.Errorf("exampleChecks or exampleMock names %s, which does not exist", name)
		}
	}
	for _, name := range files {
		if _, ok := exampleMock[name]; strings.HasPrefix(name, "resources/") && !ok {
			t.Errorf("%s: a resource example with no check of what it does in Harness (exampleMock)", name)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d examples: %v", len(files), files)
	}
	for _, path := range files {
		t.Run(path, func(t *testing.T) {
			srv := acctest.NewServer(t)
			tc := resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            acctest.ProviderConfig(srv) + acctest.ReadExample(t, path),
					ConfigStateChecks: exampleChecks[path],
				}},
			}
			if m, ok := exampleMock[path]; ok {
				step := &tc.Steps[0]
				if m.before != nil {
					step.PreConfig = func() {
						if err := m.before(srv); err != nil {
							t.Fatal(err)
						}
					}
				}
				step.Check = func(*terraform.State) error { return m.check(srv) }
			}
			if !strings.HasPrefix(path, "resources/") {
				seedForDataSources(t, srv)
			} else {
				tc.CheckDestroy = func(*terraform.State) error { return nothingLeft(srv) }
			}
			resource.ParallelTest(t, tc)
		})
	}
}

// The import-block examples import what their resource example creates. The example
// is applied on one mock; a second mock gets a copy of what it created, and a fresh
// Terraform state imports everything there, the example's resource through the
// example's import block, with a plan in which nothing changes.
func TestAccExamples_importBlocks(t *testing.T) {
	importTo := regexp.MustCompile(`to\s*=\s*([a-z_]+\.[a-z_0-9]+)`)
	for _, dir := range []string{"harness_dbops_db_schema", "harness_dbops_db_instance", "harness_dbops_image_config", "harness_ci_image_config"} {
		t.Run(dir, func(t *testing.T) {
			example := acctest.ReadExample(t, "resources/"+dir+"/resource.tf")
			importBlock := acctest.ReadExample(t, "resources/"+dir+"/import-by-string-id.tf")
			m := importTo.FindStringSubmatch(importBlock)
			if m == nil {
				t.Fatalf("no `to = ...` in the import example:\n%s", importBlock)
			}
			target := m[1]

			created := acctest.NewServer(t)
			var snapshot mockserver.State
			others := map[string]string{} // address -> import ID of the example's other resources
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(created) + example,
					Check: func(s *terraform.State) error {
						snapshot = created.Snapshot()
						for addr, rs := range s.RootModule().Resources {
							if addr != target {
								others[addr] = rs.Primary.ID
							}
						}
						return nil
					},
				}},
			})
			if t.Failed() {
				return
			}

			copied := acctest.NewServer(t)
			copied.Restore(snapshot)
			imports := importBlock
			for addr, id := range others {
				imports += fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", addr, id)
			}
			resource.Test(t, resource.TestCase{ // already parallel
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(copied) + example + imports,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(target, plancheck.ResourceActionNoop)},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(target, tfjsonpath.New("id"), knownvalue.NotNull()),
					},
				}},
			})
		})
	}
}

// nothingLeft is the CheckDestroy of the examples: no schema and no override remain.
func nothingLeft(srv *mockserver.TestServer) error {
	if left := srv.Schemas(acctest.DBTestOrg, acctest.DBTestProject); len(left) > 0 {
		return fmt.Errorf("%d schemas left after destroy", len(left))
	}
	if left := srv.Overrides(); len(left) > 0 {
		return fmt.Errorf("overrides left after destroy: %v", left)
	}
	for _, infra := range mockserver.CIInfras() {
		if left := srv.CIOverrides(infra); len(left) > 0 {
			return fmt.Errorf("CI overrides of %s left after destroy: %v", infra, left)
		}
	}
	return nil
}

// The private-registry guide, run as written: mirror every DB DevOps default and the CI
// images a DB DevOps stage pulls in one plan, with one list of what to copy; switch to
// pins with nothing to change; see the upgrade warning of each config when Harness moves
// a default (moved with the mock's hooks, as the guide does); upgrade through one-line
// changes; see the warning when Harness adds a field, and pin it with one more line.
// With -v it logs the plans the guide shows.
func TestAccGuide_privateRegistry(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	const dir = "guides/private-registry/"
	const mirror = "registry.example.com/harness-mirror/"
	ciFields := []string{"liteEngineTag", "addonTag", "liteEngineTagRootless", "addonTagRootless", "gitCloneTag"}
	write := func(body string) {
		c.Write(map[string]string{"provider.tf": acctest.RequiredProviders + acctest.CLIProvider(srv), "main.tf": body})
	}
	mirrored := func(defaults map[string]string, fields ...string) map[string]string {
		out := map[string]string{}
		for f, img := range defaults {
			if len(fields) == 0 || slices.Contains(fields, f) {
				out[f] = mirror + img
			}
		}
		return out
	}
	mirrorHolds := func(step string) {
		t.Helper()
		if err := acctest.SameMap("overrides", srv.Overrides(), mirrored(srv.Defaults())); err != nil {
			t.Fatal(step + ": " + err.Error())
		}
		if err := acctest.SameMap("K8's CI overrides", srv.CIOverrides(mockserver.CIInfraK8), mirrored(srv.CIDefaults(mockserver.CIInfraK8), ciFields...)); err != nil {
			t.Fatal(step + ": " + err.Error())
		}
	}
	noChanges := func(step string) string {
		t.Helper()
		out, stderr, err := c.Run("plan", "-detailed-exitcode")
		if err != nil || !strings.Contains(out, "No changes.") {
			t.Fatalf("%s: the plan is not empty (%v):\n%s\n%s", step, err, out, stderr)
		}
		return out
	}

	// 1. Mirror both configs: plan to a file, read what to copy from it, apply it.
	write(acctest.ReadExample(t, dir+"1-mirror.tf"))
	c.MustRun("init", "-input=false")
	out := c.MustRun("plan", "-out=mirror.plan")
	t.Logf("the plan that mirrors both configs:\n%s", out)
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value []map[string]string `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal([]byte(c.MustRun("show", "-json", "mirror.plan")), &plan); err != nil {
		t.Fatal(err)
	}
	toCopy := plan.PlannedValues.Outputs["to_copy"].Value
	var from []string
	for _, cp := range toCopy {
		if cp["to"] != mirror+cp["from"] {
			t.Errorf("to_copy: %v is not the image under the mirror", cp)
		}
		from = append(from, cp["from"])
	}
	want := slices.Concat(slices.Collect(maps.Values(srv.Defaults())), slices.Collect(maps.Values(mirrored(srv.CIDefaults(mockserver.CIInfraK8), ciFields...))))
	for i, img := range want[len(srv.Defaults()):] {
		want[len(srv.Defaults())+i] = strings.TrimPrefix(img, mirror)
	}
	slices.Sort(from)
	slices.Sort(want)
	if !slices.Equal(from, slices.Compact(want)) || len(from) != 22 {
		t.Fatalf("to_copy in the saved plan copies %v, want every DB DevOps default and the 5 CI images: %v", from, want)
	}
	c.MustRun("apply", "mirror.plan")
	mirrorHolds("after the mirror")
	if got := srv.CIOverrides(mockserver.CIInfraVM); len(got) != 0 {
		t.Fatalf("the guide touched the VM config: %v", got)
	}
	noChanges("after the mirror")

	// 2. Pin: the same images, now written down; nothing to change, nothing to warn.
	write(acctest.ReadExample(t, dir+"2-pin.tf"))
	if out := noChanges("after pinning"); strings.Contains(out, "Warning") {
		t.Fatalf("the pinned configuration warns:\n%s", out)
	}

	// 3. Harness moves a default of each config (the guide's curl to the mock's hooks).
	mockPut(t, srv.URL+"/_mock/execution-config/defaults/defaultTag", `{"value": "plugins/drone-liquibase:1.19.0-4.33"}`)
	mockPut(t, srv.URL+"/_mock/ci/execution-config/K8/defaults/liteEngineTag", `{"value": "harness/ci-lite-engine:1.17.0"}`)
	out = noChanges("after Harness moved a default")
	t.Logf("the plan after Harness moved a default of each config:\n%s", out)
	if got, want := strings.Count(out, "Warning:"), 2; got != want {
		t.Fatalf("want the upgrade warning of each config, got %d warnings:\n%s", got, out)
	}
	acctest.MustContain(t, "the plan after Harness moved a default of each config", out,
		`with harness_dbops_image_config.mirror`,
		`- images["defaultTag"] pins version 1.18.0-4.33 (`+mirror+`plugins/drone-liquibase:1.18.0-4.33); `+
			`the Harness default is now version 1.19.0-4.33 (plugins/drone-liquibase:1.19.0-4.33).`,
		`with harness_ci_image_config.mirror`,
		`- images["liteEngineTag"] pins version 1.16.92 (`+mirror+`harness/ci-lite-engine:1.16.92); `+
			`the Harness default is now version 1.17.0 (harness/ci-lite-engine:1.17.0).`)

	// 4. Upgrade: change one line of each map, review the plan, apply.
	pinned := acctest.ReadExample(t, dir+"2-pin.tf")
	upgraded := strings.Replace(pinned, `"plugins/drone-liquibase:1.18.0-4.33"`, `"plugins/drone-liquibase:1.19.0-4.33"`, 1)
	upgraded = strings.Replace(upgraded, `"harness/ci-lite-engine:1.16.92"`, `"harness/ci-lite-engine:1.17.0"`, 1)
	if strings.Count(upgraded, "1.19.0-4.33")+strings.Count(upgraded, "ci-lite-engine:1.17.0") != 2 {
		t.Fatal("2-pin.tf has no defaultTag or liteEngineTag line to change")
	}
	write(upgraded)
	out = c.MustRun("plan")
	t.Logf("the plan of the upgrade:\n%s", out)
	if !strings.Contains(out, "Plan: 0 to add, 2 to change, 0 to destroy.") || strings.Contains(out, "Warning") ||
		!strings.Contains(acctest.Flat(out), `~ "defaultTag" = "`+mirror+`plugins/drone-liquibase:1.18.0-4.33" -> "`+mirror+`plugins/drone-liquibase:1.19.0-4.33"`) ||
		!strings.Contains(acctest.Flat(out), `~ "liteEngineTag" = "`+mirror+`harness/ci-lite-engine:1.16.92" -> "`+mirror+`harness/ci-lite-engine:1.17.0"`) {
		t.Fatalf("the upgrade plan:\n%s", out)
	}
	c.MustRun("apply", "-auto-approve")
	mirrorHolds("after the upgrade")
	noChanges("after the upgrade")

	// 5. Harness adds a field (the guide's curl): every plan warns until the map sets it.
	const added, addedImage = "flywayOracleTag", "plugins/drone-flyway:1.2.0-11.8-oracle"
	mockPut(t, srv.URL+"/_mock/execution-config/defaults/"+added, `{"value": "`+addedImage+`"}`)
	for range 2 {
		out = noChanges("after Harness added a field")
		t.Logf("the plan after Harness added a field:\n%s", out)
		if !strings.Contains(acctest.Flat(out), `Warning: Harness has added an image field this configuration does not set`) ||
			!strings.Contains(acctest.Flat(out), `- `+added+`, whose default is "`+addedImage+`" This resource sets every other field`) {
			t.Fatalf("want the warning that names %s:\n%s", added, out)
		}
	}
	line := "    " + added + `      = "` + addedImage + `"` + "\n"
	withAdded := strings.Replace(upgraded, "    flywayDefaultTag ", line+"    flywayDefaultTag ", 1)
	if withAdded == upgraded {
		t.Fatal("2-pin.tf has no flywayDefaultTag line to add a field before")
	}
	write(withAdded)
	out = c.MustRun("plan")
	t.Logf("the plan that sets the added field:\n%s", out)
	if !strings.Contains(acctest.Flat(out), `+ "`+added+`" = "`+mirror+addedImage+`"`) || strings.Contains(out, "Warning") {
		t.Fatalf("the plan that sets the added field:\n%s", out)
	}
	c.MustRun("apply", "-auto-approve")
	mirrorHolds("after setting the added field")
	noChanges("after setting the added field")
}

// mockPut sends a PUT to one of the mock's hooks, as the guides' curl does.
func mockPut(t *testing.T, url, body string) {
	t.Helper()
	mockSend(t, http.MethodPut, url, body)
}

// mockSend sends a request to one of the mock's hooks and fails unless it answers 200.
func mockSend(t *testing.T, method, url, body string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s: %s", method, url, resp.Status, msg)
	}
}
