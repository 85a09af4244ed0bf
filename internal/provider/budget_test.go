package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The API-call budget: how many requests each Terraform operation may make, asserted
// from the mock's request log. At scale every extra call is paid per resource, so the
// budget is exact: per route, and nothing else.
//
//   - Configure makes no call.
//   - A create makes one POST per schema or instance and reads nothing back.
//   - A plan that changes nothing writes nothing; without refresh it makes no call.
//   - A refresh reads by list (readCache): per project, one GET for the first schema it
//     reads and one schema list (a call per 100 schemas) for the others; per schema, the
//     same for its instances (instancelist); a GET more only for an object missing from
//     a list. A plan of N instances under one schema thus costs the credentials check, 1
//     GET of the schema, 1 GET of an instance and ceil(N/100) instancelist pages: 13
//     calls for 1000 (TestAccBudget_scale). One get-customer-config per image config,
//     whatever the number of fields it manages.
//   - A destroy makes one DELETE per schema or instance, and per image config one
//     reset-config and one get-customer-config (which verifies the reset).
//   - A plan that destroys or replaces a schema lists its instances (instancelist, one
//     call per 100 instances): Harness deletes them with the schema, and the plan's
//     warning names them as Harness holds them now, not as the last refresh saw them.
//   - An instance planned without branch, commit_sha or git_tag reads its schema once per
//     schema per plan (none when the schema is in the configuration), to fail the plan
//     when Harness would refuse it.

const (
	budgetSchemas   = 3
	budgetInstances = 5
)

// budgetConfig declares budgetSchemas schemas, budgetInstances instances spread over
// them, and two image configs: "one" manages one field, "many" the other sixteen.
func budgetConfig(srv *mockserver.TestServer) string {
	var many []string
	for _, f := range imageFields {
		if f.attr != "default_tag" {
			many = append(many, acctest.HCL(f.attr, "registry.example.com/mirror/"+strings.ReplaceAll(f.attr, "_", "-")+":1.0.0"))
		}
	}
	// The credentials check of Configure is left out of the budget: TestAccBudget_configure counts it.
	return acctest.ProviderBlock(srv, "max_retries = 2\nskip_credentials_validation = true") + fmt.Sprintf(`
resource "harness_dbops_db_schema" "s" {
  count      = %[3]d
  org_id     = %[1]q
  project_id = %[2]q
  identifier = "budget_${count.index}"
  name       = "Budget ${count.index}"
  schema_source = {
    connector = "account.github"
    repo      = "db"
    location  = "changelog.yaml"
  }
}

resource "harness_dbops_db_instance" "i" {
  count      = %[4]d
  org_id     = %[1]q
  project_id = %[2]q
  schema     = harness_dbops_db_schema.s[count.index %% %[3]d].identifier
  identifier = "db_${count.index}"
  name       = "DB ${count.index}"
  connector  = "org.jdbc_pg"
  branch     = "main"
}

resource "harness_dbops_image_config" "one" {
  %[5]s
}

resource "harness_dbops_image_config" "many" {
  %[6]s
}
`, acctest.DBTestOrg, acctest.DBTestProject, budgetSchemas, budgetInstances, acctest.HCL("default_tag", acctest.MirrorLiquibase), strings.Join(many, "\n  "))
}

// budgetDefaults is the one read of the defaults of a plan.
var budgetDefaults = map[string]int{mockserver.RouteGetDefaultConfig: 1}

// mergeCounts adds up call counts.
func mergeCounts(counts ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, c := range counts {
		for route, n := range c {
			out[route] += n
		}
	}
	return out
}

// The reads of a refresh of budgetConfig: a GET of the first schema and one page of
// the project's schemas; per schema, a GET of its first instance and, for the two
// schemas with a second instance, one page of their instances; one per image config.
var budgetRefresh = map[string]int{
	mockserver.RouteGetSchema:         1,
	mockserver.RouteListSchemas:       1,
	mockserver.RouteGetInstance:       budgetSchemas,
	mockserver.RouteListInstances:     2,
	mockserver.RouteGetCustomerConfig: 2,
}

func TestAccBudget_lifecycle(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := budgetConfig(srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Set up by the last step's check: only the destroy's own calls are counted.
		CheckDestroy: func(*terraform.State) error {
			return acctest.BudgetIs(srv, map[string]int{
				mockserver.RouteListInstances:     budgetSchemas, // the destroy plan's cascade check
				mockserver.RouteDeleteInstance:    budgetInstances,
				mockserver.RouteDeleteSchema:      budgetSchemas,
				mockserver.RouteResetConfig:       2,
				mockserver.RouteGetCustomerConfig: 2,
			})
		},
		Steps: []resource.TestStep{
			{
				// The plan of a create reads nothing but the defaults, once for both image
				// configs (with the credentials check, which this configuration skips, that
				// read would be the check's).
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.BudgetCheck{Server: srv, Want: map[string]int{mockserver.RouteGetDefaultConfig: 1}, Reset: true},
				}},
				// The apply: one POST per schema and instance and no read-back. An image
				// config reads the overrides once before writing its own (to warn when it
				// takes one over) and, as Terraform plans each resource again at apply in
				// a new provider process, reads the defaults once more (Configure).
				Check: func(*terraform.State) error {
					return acctest.BudgetIs(srv, map[string]int{
						mockserver.RouteCreateSchema:      budgetSchemas,
						mockserver.RouteCreateInstance:    budgetInstances,
						mockserver.RouteGetCustomerConfig: 2,
						mockserver.RouteUpdateConfig:      2,
						mockserver.RouteGetDefaultConfig:  1,
					})
				},
			},
			{
				// An unchanged plan writes nothing: without refresh it reads the defaults
				// once (the image configs compare their pinned versions with them), and
				// with refresh it also reads each object once.
				PreConfig: srv.ResetRequests,
				Config:    cfg,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: budgetDefaults, Reset: true}},
					PostApplyPostRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv,
						Want: mergeCounts(budgetRefresh, budgetDefaults)}},
				},
			},
			{
				PreConfig:    srv.ResetRequests,
				RefreshState: true,
				Check:        func(*terraform.State) error { return acctest.BudgetIs(srv, mergeCounts(budgetRefresh, budgetDefaults)) },
				// A refresh-only run plans too, so it reads the defaults once. The plan
				// that follows the refresh refreshes again: reads only. Then the
				// count starts afresh for CheckDestroy.
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					acctest.BudgetCheck{Server: srv, Want: mergeCounts(budgetRefresh, budgetDefaults, budgetRefresh, budgetDefaults), Reset: true},
				}},
			},
		},
	})
}

// Configuring the provider makes one call, to prove the endpoint, the key and the
// account, even for a plan that reads nothing (a plan that only creates); with
// skip_credentials_validation it makes none, so `terraform plan` works without
// reaching Harness.
func TestAccBudget_configure(t *testing.T) {
	for _, tt := range []struct {
		name     string
		settings string
		calls    map[string]int
	}{
		{"checked", "max_retries = 2", map[string]int{mockserver.RouteGetDefaultConfig: 1}},
		{"skipped", "skip_credentials_validation = true", map[string]int{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: acctest.ProviderBlock(srv, tt.settings) + `
resource "harness_dbops_db_schema" "new" {
  org_id     = "default"
  project_id = "p"
  identifier = "new"
  name       = "New"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
}
`,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						// Each plan configures the provider once.
						PostApplyPreRefresh:  []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: tt.calls, Reset: true}},
						PostApplyPostRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: tt.calls}},
					},
				}},
			})
		})
	}
}

// budgetScaleN instances of one schema: more than a page of the instance list.
const budgetScaleN = 120

// At scale: an apply of N instances makes exactly N creates (and the schema's) and no
// other call but the credentials check of each of its two provider processes (the plan
// and the apply); a plan with refresh makes the check, 1 GET of the schema, 1 GET of an
// instance and ceil(N/100) instancelist pages, whatever N.
func TestAccBudget_scale(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.ProviderConfig(srv) + acctest.OrdersSchema("") + fmt.Sprintf(`
resource "harness_dbops_db_instance" "i" {
  count      = %d
  org_id     = "default"
  project_id = "p"
  schema     = harness_dbops_db_schema.orders.identifier
  identifier = "db_${count.index}"
  name       = "DB ${count.index}"
  connector  = "jdbc"
  branch     = "main"
}
`, budgetScaleN)
	check := map[string]int{mockserver.RouteGetDefaultConfig: 1}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.BudgetCheck{Server: srv, Want: check, Reset: true},
				}},
				Check: func(*terraform.State) error {
					return acctest.BudgetIs(srv, mergeCounts(check, map[string]int{
						mockserver.RouteCreateSchema:   1,
						mockserver.RouteCreateInstance: budgetScaleN,
					}))
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    cfg,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: check, Reset: true}},
					PostApplyPostRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: mergeCounts(check, map[string]int{
						mockserver.RouteGetSchema:     1,
						mockserver.RouteGetInstance:   1,
						mockserver.RouteListInstances: (budgetScaleN + 99) / 100,
					})}},
				},
			},
		},
	})
}
