package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Plan and state checks.

// ExpectBefore asserts the value an attribute had before the planned change (the
// refreshed state), which is where drift shows in a plan. A nil want means null.
func ExpectBefore(addr, attr string, want any) plancheck.PlanCheck {
	return expectBefore{addr, attr, want}
}

type expectBefore struct {
	addr, attr string
	want       any
}

func (e expectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before[e.attr]; !reflect.DeepEqual(got, e.want) {
			resp.Error = fmt.Errorf("%s: %s before the change = %#v, want %#v", e.addr, e.attr, got, e.want)
		}
		return
	}
	resp.Error = fmt.Errorf("the plan has no change for %s", e.addr)
}

// KnownStringMap is a state check's value: a map of exactly these keys and values
// (key, value, ...).
func KnownStringMap(kv ...string) knownvalue.Check {
	m := map[string]knownvalue.Check{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = knownvalue.StringExact(kv[i+1])
	}
	return knownvalue.MapExact(m)
}

// What the mock received: the requests of each route, their bodies, their order.

// LastBodyIs asserts the body of the last request to route, so a test can prove that
// an update sends exactly the fields that changed.
func LastBodyIs(srv *mockserver.TestServer, route, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := srv.Requests()
		for i := len(reqs) - 1; i >= 0; i-- {
			if reqs[i].Route == route {
				if got := strings.TrimSpace(reqs[i].Body); got != want {
					return fmt.Errorf("last %s body = %s, want %s", route, got, want)
				}
				return nil
			}
		}
		return fmt.Errorf("no request to %s", route)
	}
}

// RouteCounts asserts request counts per route since the last ResetRequests.
func RouteCounts(srv *mockserver.TestServer, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for route, n := range want {
			if got := srv.RouteCount(route); got != n {
				return fmt.Errorf("%s: %d requests, want %d", route, got, n)
			}
		}
		return nil
	}
}

// BudgetIs asserts that the requests since the last ResetRequests are exactly want.
func BudgetIs(srv *mockserver.TestServer, want map[string]int) error {
	for _, r := range srv.Requests() {
		if r.Route == "" {
			return fmt.Errorf("request to no API route: %s %s", r.Method, r.Path)
		}
	}
	if got := srv.RouteCounts(); !maps.Equal(got, want) {
		return fmt.Errorf("API calls:\n%s\nwant:\n%s", budgetString(got), budgetString(want))
	}
	return nil
}

func budgetString(m map[string]int) string {
	if len(m) == 0 {
		return "  none"
	}
	var lines []string
	for _, route := range slices.Sorted(maps.Keys(m)) {
		lines = append(lines, fmt.Sprintf("  %3d %s", m[route], route))
	}
	return strings.Join(lines, "\n")
}

// BudgetCheck asserts the budget in a plan check, that is right after a plan, and then
// optionally starts a new count, so the next check sees only what follows.
type BudgetCheck struct {
	Server *mockserver.TestServer
	Want   map[string]int
	Reset  bool
}

func (c BudgetCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = BudgetIs(c.Server, c.Want)
	if c.Reset {
		c.Server.ResetRequests()
	}
}

// ListPagesFollowed asserts that every read of a list of n items at the client's page
// size of 100 took ceil(n/100) requests: reads happen several times a step, so the
// count is a non-zero multiple.
func ListPagesFollowed(srv *mockserver.TestServer, route string, pagesPerRead int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.RouteCount(route); n == 0 || n%pagesPerRead != 0 {
			return fmt.Errorf("%s: %d requests, want a non-zero multiple of %d pages", route, n, pagesPerRead)
		}
		return nil
	}
}

// ServerOrderIsNotIdentifiers sends the mock the first list request of route that the
// provider sent again, and fails unless the mock answers in an order other than by
// identifier: a test of the list data sources' own sorting must not pass because the
// server happened to sort the same way.
func ServerOrderIsNotIdentifiers(srv *mockserver.TestServer, route string) func(*terraform.State) error {
	return func(*terraform.State) error {
		i := slices.IndexFunc(srv.Requests(), func(r mockserver.RequestRecord) bool { return r.Route == route })
		if i < 0 {
			return fmt.Errorf("the provider sent no %s", route)
		}
		sent := srv.Requests()[i]
		req, err := http.NewRequestWithContext(context.Background(), sent.Method, srv.URL+sent.Path+"?"+sent.Query, strings.NewReader(sent.Body))
		if err != nil {
			return err
		}
		req.Header = sent.Header.Clone()
		req.Header.Set("x-api-key", srv.APIKey) // the log masks it
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = res.Body.Close() }()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		var page []struct{ Identifier string }
		if err := json.Unmarshal(b, &page); err != nil {
			return fmt.Errorf("%s answered %s: %w", route, b, err)
		}
		ids := make([]string, len(page))
		for i, p := range page {
			ids[i] = p.Identifier
		}
		if len(ids) < 2 || slices.IsSorted(ids) {
			return fmt.Errorf("the mock answered %s?%s in identifier order (%d items from %s): the test proves nothing about the provider's sorting", route, sent.Query, len(ids), ids[0])
		}
		return nil
	}
}

// What the mock holds.

// OverridesAre asserts the mock holds exactly these overrides.
func OverridesAre(get func() map[string]string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := get(); !maps.Equal(got, want) {
			return fmt.Errorf("mock overrides = %v, want %v", got, want)
		}
		return nil
	}
}

// SameMap says how got, what the mock holds of what, differs from want, if it does.
func SameMap(what string, got, want map[string]string) error {
	if !maps.Equal(got, want) {
		return fmt.Errorf("the mock holds %s %v, want %v", what, got, want)
	}
	return nil
}

// NoOverridesOn is a CheckDestroy: none of the fields may keep an override.
func NoOverridesOn(srv *mockserver.TestServer, fields ...string) resource.TestCheckFunc {
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

// CheckDBSchemasDestroyed is a CheckDestroy: the mock's project holds no schema.
func CheckDBSchemasDestroyed(srv *mockserver.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := srv.Schemas(DBTestOrg, DBTestProject); len(left) > 0 {
			ids := make([]string, len(left))
			for i, s := range left {
				ids[i] = s.Identifier
			}
			return fmt.Errorf("DB schemas left in the mock after destroy: %v", ids)
		}
		return nil
	}
}

// CheckDBInstancesDestroyed is a CheckDestroy: no instance and no schema is left.
func CheckDBInstancesDestroyed(srv *mockserver.TestServer) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, schema := range []string{"main", "other"} {
			if left := srv.Instances(DBTestOrg, DBTestProject, schema); len(left) > 0 {
				return fmt.Errorf("%d DB instance(s) of %q left in the mock after destroy", len(left), schema)
			}
		}
		return CheckDBSchemasDestroyed(srv)(s)
	}
}

// MockInstanceIDs are the identifiers of a schema's instances in the mock, sorted.
func MockInstanceIDs(srv *mockserver.TestServer, org, project, schema string) []string {
	var ids []string
	for _, in := range srv.Instances(org, project, schema) {
		ids = append(ids, in.Identifier)
	}
	slices.Sort(ids)
	return ids
}

// Changing the mock behind Terraform's back.

// AddUIInstances adds instances to a schema of the mock, as the Harness UI would.
func AddUIInstances(t *testing.T, srv *mockserver.TestServer, org, project, schema string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := srv.PutInstance(org, project, schema, mockserver.Instance{Identifier: id, Name: id, Connector: "jdbc", Branch: "main"}); err != nil {
			t.Fatal(err)
		}
	}
}
