package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Refresh by list (readCache) under Terraform: the rules read_cache_test.go proves on
// the cache alone, here through the resources and data sources that use it.

// ordersInstances are DB instances of acctest.OrdersSchema, one per identifier, each
// named after it; extra maps an identifier to more HCL lines.
func ordersInstances(ids []string, extra map[string]string) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(acctest.OrdersInstance(id, id, extra[id]))
	}
	return b.String()
}

// A list that lags behind Harness (here: it shows none of the schema's instances yet)
// removes nothing from state: each instance missing from it is read with a GET, and the
// plan stays empty. A list that fails is tried once (with the client's retries), and the
// reads are GETs, as without refresh by list: the plan stays empty too.
func TestAccRefreshByList_fallback(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.CLIProvider(srv) + acctest.OrdersSchema("") + ordersInstances([]string{"a", "b", "c"}, nil)
	refresh := func(lists int) map[string]int {
		return map[string]int{
			mockserver.RouteGetDefaultConfig: 2, // the credentials check of each plan
			mockserver.RouteGetSchema:        1,
			mockserver.RouteGetInstance:      3, // the first read, then the two missing from the list
			mockserver.RouteListInstances:    lists,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteListInstances, Body: "[]", ContentType: "application/json", Times: 1})
				},
				Config:   cfg,
				PlanOnly: true, // an instance called gone would be planned for creation, and fail the step
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: refresh(1)}},
				},
			},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteListInstances, Status: 500, Message: "list is down"})
				},
				Config:   cfg,
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{acctest.BudgetCheck{Server: srv, Want: refresh(2)}}, // max_retries = 1
				},
			},
		},
	})
}

// Reads after a write in the same run see what was written, though the list was read
// before: in the apply, data sources b and e list the schema's instances (after c's
// update, on which they depend), then a is updated and f created, then data sources
// read a and f. The list still holds a's old name; the read of a must not.
func TestAccRefreshByList_readAfterWrite(t *testing.T) {
	srv := acctest.NewServer(t)
	ids := []string{"a", "b", "c", "e"}
	data := func(id, dependsOn string) string {
		return fmt.Sprintf(`
data "harness_dbops_db_instance" %[1]q {
  org_id     = "default"
  project_id = "p"
  schema     = "orders"
  identifier = %[1]q
  depends_on = [%[2]s]
}
`, id, dependsOn)
	}
	v1 := acctest.ProviderConfig(srv) + acctest.OrdersSchema("") + ordersInstances(ids, nil)
	v2 := acctest.ProviderConfig(srv) + acctest.OrdersSchema("") + ordersInstances(append(ids, "f"), map[string]string{
		"a": `tags = { v = "2" }
  depends_on = [data.harness_dbops_db_instance.b, data.harness_dbops_db_instance.e]`,
		"c": `tags = { v = "2" }`,
	}) + data("b", "harness_dbops_db_instance.c") + data("e", "harness_dbops_db_instance.c") +
		data("a", "harness_dbops_db_instance.a") + data("f", "harness_dbops_db_instance.f")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: v1},
			{
				PreConfig: srv.ResetRequests,
				Config:    v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.BudgetCheck{Server: srv, Want: map[string]int{ // the plan reads the instances by list
						mockserver.RouteGetDefaultConfig: 1, mockserver.RouteGetSchema: 1, mockserver.RouteGetInstance: 1, mockserver.RouteListInstances: 1,
					}, Reset: true},
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("data.harness_dbops_db_instance.a", "tags.v", "2"),
					resource.TestCheckResourceAttr("data.harness_dbops_db_instance.f", "name", "f"),
					resource.TestCheckResourceAttr("data.harness_dbops_db_instance.b", "name", "b"),
					// The apply listed (data sources b and e), and read a and f with a GET.
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteListInstances: 1, mockserver.RouteGetInstance: 3,
						mockserver.RouteUpdateInstance: 2, mockserver.RouteCreateInstance: 1}),
				),
			},
		},
	})
}
