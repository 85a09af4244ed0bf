package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// What DB schema and DB instance plans tell a reviewer: each plan below is the one a
// user reviews, asserted as text (and as `terraform show -json` where the actions
// matter), then what the mock holds after the apply.

// The user's steps: apply a schema, add instances to it in the UI, remove the schema
// block. With -v it logs the plan. Terraform 1.11 plans the destroy of a removed resource before it refreshes
// it, so the state's instance_count (0) is stale; the warning must come from what
// Harness holds at plan time, and name the instances.
func TestAccDBSchemaResource_removedBlockWarns(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("")})
	c.MustRun("apply", "-auto-approve")
	acctest.AddUIInstances(t, srv, "default", "p", "orders", "ui_b", "ui_a")

	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv)})
	out := c.MustRun("plan", "-out=tfplan")
	t.Log(out)
	if !acctest.InOrder("# harness_dbops_db_schema.orders will be destroyed",
		"(because harness_dbops_db_schema.orders is not in configuration)",
		"Plan: 0 to add, 0 to change, 1 to destroy.",
		`Warning: Destroying DB schema "orders" deletes 2 DB instances`,
		`Destroying the DB schema "orders" in org "default", project "p" deletes 2 DB instances that Harness holds now: ui_a, ui_b.`,
		"The databases themselves are not touched.").MatchString(out) {
		t.Fatalf("the plan does not warn that the instances Harness holds go with the schema:\n%s", out)
	}
	c.MustRun("apply", "tfplan")
	if _, ok := srv.Schema("default", "p", "orders"); ok {
		t.Fatal("the schema is still in the mock")
	}
	if ids := acctest.MockInstanceIDs(srv, "default", "p", "orders"); len(ids) != 0 {
		t.Fatalf("instances left in the mock: %v", ids)
	}
}

// A schema replaced with its instances: an instance that names the schema's `created`
// in replace_triggered_by (as the resource examples do) is replaced with it in the
// same plan, and one apply converges: the instance exists again under the new schema
// and the next plan is empty. The example configuration itself is run; with -v it logs
// the plan.
func TestAccDBSchemaResource_replaceReplacesInstances(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	example := acctest.ReadExample(t, "resources/harness_dbops_db_instance/resource.tf")
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + example})
	c.MustRun("apply", "-auto-approve")
	acctest.AddUIInstances(t, srv, acctest.DBTestOrg, acctest.DBTestProject, "orders", "ui_only")

	flyway := strings.Replace(example, `name       = "Orders"`, `name           = "Orders"
  migration_type = "Flyway"`, 1)
	if flyway == example {
		t.Fatal("the example has no schema named Orders to change")
	}
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + flyway})
	out := c.MustRun("plan", "-out=tfplan")
	t.Log(out)
	c.WantActions(map[string]string{
		"harness_dbops_db_schema.orders":        "delete,create",
		"harness_dbops_db_instance.orders_prod": "delete,create",
	})
	if !acctest.InOrder("# harness_dbops_db_instance.orders_prod will be replaced due to changes in replace_triggered_by",
		"# harness_dbops_db_schema.orders must be replaced",
		`~ migration_type = "Liquibase" -> "Flyway" # forces replacement`,
		"Plan: 2 to add, 0 to change, 2 to destroy.",
		`Warning: Replacing DB schema "orders" deletes 2 DB instances`,
		"deletes 2 DB instances that Harness holds now: orders_prod, ui_only.",
		"This apply re-creates only the instances whose resource names harness_dbops_db_schema.<name>.created in lifecycle.replace_triggered_by").MatchString(out) {
		t.Fatalf("the plan does not show the instance replaced with its schema:\n%s", out)
	}
	c.MustRun("apply", "tfplan")
	if sc, ok := srv.Schema(acctest.DBTestOrg, acctest.DBTestProject, "orders"); !ok || sc.MigrationType != "Flyway" {
		t.Fatalf("the mock holds schema %+v (found %v), want a Flyway schema", sc, ok)
	}
	if in, ok := srv.Instance(acctest.DBTestOrg, acctest.DBTestProject, "orders", "orders_prod"); !ok || in.Branch != "main" || in.Context != "prod" {
		t.Fatalf("after one apply the mock holds instance %+v (found %v), want orders_prod again", in, ok)
	}
	if ids := acctest.MockInstanceIDs(srv, acctest.DBTestOrg, acctest.DBTestProject, "orders"); !slices.Equal(ids, []string{"orders_prod"}) {
		t.Fatalf("instances of the new schema = %v, want [orders_prod] (the UI's went with the old one)", ids)
	}
	if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes.") {
		t.Fatalf("one apply did not converge:\n%s", out)
	}
}

// An instance replaced (here its identifier changes) warns that its migration history
// goes with it; an update in place does not.
func TestAccDBInstanceResource_replaceWarns(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "dev", "")})
	c.MustRun("apply", "-auto-approve")

	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "dev", `context = "dev"`)})
	if out := c.MustRun("plan"); strings.Contains(out, "Warning") {
		t.Fatalf("an update in place warns:\n%s", out)
	}
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "dev2", "")})
	out := c.MustRun("plan", "-out=tfplan")
	c.WantActions(map[string]string{"harness_dbops_db_instance.dev": "delete,create"})
	if ws := acctest.Warnings(out); len(ws) != 1 || !acctest.InOrder(`Replacing DB instance "dev" deletes its migration history`,
		`A change of identifier replaces the DB instance: Harness deletes the DB instance "dev" of schema "orders" in org "default", project "p" and its migration history,`,
		"and the apply creates a new instance with none. The database itself is not touched.").MatchString(ws[0]) {
		t.Fatalf("the plan does not warn once that the instance's history goes:\n%s", out)
	}
	c.MustRun("apply", "tfplan")
	if ids := acctest.MockInstanceIDs(srv, "default", "p", "orders"); !slices.Equal(ids, []string{"dev2"}) {
		t.Fatalf("instances in the mock = %v, want [dev2]", ids)
	}
}

// A destroy plan names only the instances it does not destroy on their own: Terraform
// plans each instance's destroy before its schema's (DestroyEdgeTransformer, from the
// dependencies in state), so the schema knows them: deterministic in `plan -destroy`
// and `terraform destroy`, whatever the parallelism.
func TestAccDBSchemaResource_destroyWarnsPrecisely(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "dev", "") + acctest.OrdersInstance("prod", "prod", "")})
	c.MustRun("apply", "-auto-approve")

	if out := c.MustRun("plan", "-destroy"); strings.Contains(out, "Warning") {
		t.Fatalf("a destroy plan that destroys every instance of the schema warns:\n%s", out)
	}
	acctest.AddUIInstances(t, srv, "default", "p", "orders", "ui_only")
	out := c.MustRun("plan", "-destroy", "-out=tfplan")
	c.WantActions(map[string]string{
		"harness_dbops_db_schema.orders": "delete", "harness_dbops_db_instance.dev": "delete", "harness_dbops_db_instance.prod": "delete",
	})
	if ws := acctest.Warnings(out); len(ws) != 1 || !acctest.InOrder(`Destroying DB schema "orders" deletes 1 DB instance`,
		"deletes 1 DB instance that Harness holds now: ui_only. (2 more, which this plan destroys on their own, are not counted.)").MatchString(ws[0]) {
		t.Fatalf("the destroy plan does not name exactly the instance created in the UI:\n%s", out)
	}
	// terraform destroy plans the same way.
	out = c.MustRun("destroy", "-auto-approve")
	if ws := acctest.Warnings(out); len(ws) != 1 || !strings.Contains(ws[0], "that Harness holds now: ui_only.") {
		t.Fatalf("terraform destroy does not name exactly the instance created in the UI:\n%s", out)
	}
	if n := len(srv.Schemas("default", "p")); n != 0 {
		t.Fatalf("%d schemas left after destroy", n)
	}
}

// Where the schema is planned before its instances (a replacement, whose instances
// depend on it), it cannot know what becomes of them and names them all.
func TestAccDBSchemaResource_replaceWarnsConservatively(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	trigger := "lifecycle {\n    replace_triggered_by = [harness_dbops_db_schema.orders.created]\n  }"
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "dev", trigger)})
	c.MustRun("apply", "-auto-approve")
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema(`migration_type = "Flyway"`) + acctest.OrdersInstance("dev", "dev", trigger)})
	out := c.MustRun("plan", "-out=tfplan")
	c.WantActions(map[string]string{"harness_dbops_db_schema.orders": "delete,create", "harness_dbops_db_instance.dev": "delete,create"})
	if ws := acctest.Warnings(out); len(ws) != 1 || !acctest.InOrder(`Replacing DB schema "orders" deletes 1 DB instance`,
		"deletes 1 DB instance that Harness holds now: dev.").MatchString(ws[0]) {
		t.Fatalf("the replacement does not name the instance it cannot see re-created:\n%s", out)
	}
}

// An instance of a Git or Harness Code schema without branch, commit_sha or git_tag
// fails the plan, not the apply after its schema was created: its schema is in the
// configuration (planned before it, as it names it) or already in Harness (read once).
// An Artifactory or script schema needs no revision; a schema that is in neither
// place, or whose source is known only after apply, does not fail the plan.
func TestAccDBInstanceResource_missingRevision(t *testing.T) {
	t.Parallel()
	noRevision := `
resource "harness_dbops_db_instance" "dev" {
  org_id     = "default"
  project_id = "p"
  schema     = %s
  identifier = "dev"
  name       = "Dev"
  connector  = "jdbc_dev"
}
`
	for _, tt := range []struct {
		name, config string
		seed         *mockserver.Schema // in Harness before the plan
		fails        string             // the plan's error, "" when the plan passes
		applyFails   string             // the apply's error when the plan cannot know
	}{
		{name: "git in the configuration", config: acctest.OrdersSchema("") + fmt.Sprintf(noRevision, "harness_dbops_db_schema.orders.identifier"),
			fails: `The changelog of DB schema "orders" is in Git`},
		{name: "harness code in the configuration", config: strings.Replace(acctest.OrdersSchema(""), `connector = "github"`, `repo      = "db"`, 1) +
			fmt.Sprintf(noRevision, "harness_dbops_db_schema.orders.identifier"),
			fails: `The changelog of DB schema "orders" is in Harness Code Repository`},
		{name: "git in Harness", config: fmt.Sprintf(noRevision, `"orders"`),
			seed:  &mockserver.Schema{Identifier: "orders", Name: "Orders", Changelog: &mockserver.Changelog{Connector: "github", Location: "c.yaml"}},
			fails: `The changelog of DB schema "orders" is in Git`},
		{name: "artifactory in the configuration", config: strings.Replace(acctest.OrdersSchema(""), `location  = "changelog.yaml"`,
			`location  = "changelog.yaml"
    archive_path = "db.zip"`, 1) + fmt.Sprintf(noRevision, "harness_dbops_db_schema.orders.identifier")},
		{name: "script in Harness", config: fmt.Sprintf(noRevision, `"orders"`),
			seed: &mockserver.Schema{Identifier: "orders", Name: "Orders", ChangeLogScript: &mockserver.ChangeLogScript{Image: "alpine", Command: "true", Location: "c.yaml"}}},
		{name: "nowhere", config: fmt.Sprintf(noRevision, `"orders"`), applyFails: `database schema "orders" not found`},
		{name: "connector known after apply", config: "resource \"terraform_data\" \"c\" {\n  input = \"github\"\n}\n" +
			strings.Replace(acctest.OrdersSchema(""), `connector = "github"`, `connector = terraform_data.c.output`, 1) +
			fmt.Sprintf(noRevision, "harness_dbops_db_schema.orders.identifier"),
			applyFails: `Error: Missing changelog revision`}, // the apply plans the instance again, knowing the schema

	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.NewServer(t)
			if tt.seed != nil {
				srv.PutSchema("default", "p", *tt.seed)
			}
			c := newTFCLI(t)
			c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + tt.config})
			switch {
			case tt.applyFails != "": // the plan passes; the apply fails
				c.MustRun("plan")
				if out := c.MustFail("apply", "-auto-approve"); !acctest.ErrorText(tt.applyFails).MatchString(out) {
					t.Fatalf("apply output:\n%s", out)
				}
				return
			case tt.fails == "":
				c.MustRun("apply", "-auto-approve")
				if _, ok := srv.Instance("default", "p", "orders", "dev"); !ok {
					t.Fatal("the instance is not in the mock")
				}
				return
			}
			out := c.MustFail("plan")
			if !acctest.InOrder("Error: Missing changelog revision", tt.fails, "so Harness needs to know which revision of it to apply,",
				`and refuses the DB instance "dev" of schema "orders" in org "default", project "p" without one. Set branch, commit_sha or git_tag.`).MatchString(out) {
				t.Fatalf("the plan does not fail on the missing revision:\n%s", out)
			}
			if n := srv.RouteCount(mockserver.RouteCreateSchema) + srv.RouteCount(mockserver.RouteCreateInstance); n != 0 {
				t.Fatalf("%d creates reached the mock", n)
			}
		})
	}
}

// The same identifier twice in one configuration fails the plan, for schemas and for
// instances, before anything reaches Harness; a schema and an instance may share one.
func TestAccDBResources_declaredTwice(t *testing.T) {
	t.Parallel()
	twin := regexp.MustCompile(`resource "harness_dbops_db_schema" "orders"`)
	for _, tt := range []struct{ name, config, want string }{
		{"schema", acctest.OrdersSchema("") + twin.ReplaceAllString(acctest.OrdersSchema(""), `resource "harness_dbops_db_schema" "orders_again"`),
			`Error: DB schema declared twice`},
		{"instance", acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "dev", "") + acctest.OrdersInstance("dev_again", "dev", ""),
			`Error: DB instance declared twice`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.NewServer(t)
			c := newTFCLI(t)
			c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + tt.config})
			out := c.MustFail("plan")
			what := strings.TrimSuffix(strings.TrimPrefix(tt.want, "Error: "), " declared twice")
			if !acctest.InOrder(tt.want, "Another resource of this configuration creates the "+what,
				"Give each resource its own identifier, or remove one of them.").MatchString(out) || strings.Count(out, "Error:") != 1 {
				t.Fatalf("the plan does not fail once on the duplicate:\n%s", out)
			}
			if n := srv.RouteCount(mockserver.RouteCreateSchema) + srv.RouteCount(mockserver.RouteCreateInstance); n != 0 {
				t.Fatalf("%d creates reached the mock", n)
			}
		})
	}
	t.Run("schema and instance", func(t *testing.T) {
		t.Parallel()
		srv := acctest.NewServer(t)
		c := newTFCLI(t)
		c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.OrdersSchema("") + acctest.OrdersInstance("dev", "orders", "")})
		c.MustRun("apply", "-auto-approve")
		if _, ok := srv.Instance("default", "p", "orders", "orders"); !ok {
			t.Fatal("the instance is not in the mock")
		}
	})
}

// The revision check reads a schema that is only in Harness once per schema per plan,
// however many of its instances ask: 2 schemas of 10 instances each, 2 reads.
func TestAccBudget_revisionCheck(t *testing.T) {
	srv := acctest.NewServer(t)
	for _, id := range []string{"art_0", "art_1"} {
		srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: id, Name: id,
			Changelog: &mockserver.Changelog{Connector: "artifactory", ArchivePath: "db.zip", Location: "changelog.yaml"}})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(srv, "skip_credentials_validation = true") + fmt.Sprintf(`
resource "harness_dbops_db_instance" "i" {
  count      = 20
  org_id     = %q
  project_id = %q
  schema     = "art_${count.index %% 2}"
  identifier = "db_${count.index}"
  name       = "DB ${count.index}"
  connector  = "jdbc"
}
`, acctest.DBTestOrg, acctest.DBTestProject),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				acctest.BudgetCheck{Server: srv, Want: map[string]int{mockserver.RouteGetSchema: 2}, Reset: true},
			}},
			// The apply plans each create again, in a new Configure: two reads more.
			Check: func(*terraform.State) error {
				return acctest.BudgetIs(srv, map[string]int{mockserver.RouteGetSchema: 2, mockserver.RouteCreateInstance: 20})
			},
		}},
	})
}

// Each resource page says, for every attribute a configuration sets, what a change does
// in Harness: the "What a change does" table of its template names them all, and only
// them.
func TestChangeTables(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		template string
		r        fwresource.Resource
	}{
		{"dbops_db_schema.md.tmpl", newDBSchemaResource()},
		{"dbops_db_instance.md.tmpl", newDBInstanceResource()},
	} {
		b, err := os.ReadFile(filepath.Join("../../templates/resources", tt.template))
		if err != nil {
			t.Fatal(err)
		}
		_, table, ok := strings.Cut(string(b), "## What a change does\n")
		if !ok {
			t.Fatalf("%s has no section \"What a change does\"", tt.template)
		}
		table, _, _ = strings.Cut(table, "\n\n{{")
		named := map[string]bool{}
		for _, line := range strings.Split(table, "\n") {
			if cells := strings.Split(line, "|"); len(cells) > 2 {
				for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(cells[1], -1) {
					named[m[1]] = true
				}
			}
		}
		var resp fwresource.SchemaResponse
		tt.r.Schema(ctx, fwresource.SchemaRequest{}, &resp)
		for name, a := range resp.Schema.Attributes {
			if set := a.IsRequired() || a.IsOptional(); set != named[name] {
				t.Errorf("%s: attribute %s (set by a configuration: %v) named in the first column of the table: %v", tt.template, name, set, named[name])
			}
		}
	}
}
