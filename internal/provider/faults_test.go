package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The fault-injection acceptance suite: terraform applies testdata/fleet against a mock
// that fails like a real network, gateway or overloaded server. Transient faults must
// not fail an apply, permanent ones must fail it with an error that names the call, and
// in every case the mock ends up holding exactly the configuration, each entity created
// once, with Terraform's state true to the server.
//
// The provider runs with retry waits of 10ms..200ms (retry_wait_min/retry_wait_max), so
// the suite stays fast; a Retry-After from the mock is honoured whatever they say.

var (
	imagesV1 = map[string]string{"default_tag": acctest.MirrorLiquibase, "git_clone_tag": acctest.MirrorGit, "mongo_tag": acctest.MirrorMongo, "oracle_tag": acctest.MirrorLiquibase + "-oracle"}
	// imagesV2 changes default_tag, resets mongo_tag and oracle_tag and adds snowflake_tag.
	imagesV2 = map[string]string{"default_tag": acctest.PinnedDigest, "git_clone_tag": acctest.MirrorGit, "snowflake_tag": acctest.MirrorLiquibase + "-snowflake"}
)

// The fleet's configuration has its own provider block, so plugin-testing wants the
// provider factories on each step rather than on the TestCase.

// fastRetries are the provider settings of the suite.
func fastRetries(maxRetries int, requestTimeout string) map[string]config.Variable {
	return map[string]config.Variable{
		"max_retries":     config.IntegerVariable(maxRetries),
		"request_timeout": config.StringVariable(requestTimeout),
		"retry_wait_min":  config.StringVariable("10ms"),
		"retry_wait_max":  config.StringVariable("200ms"),
	}
}

// checkFleetDestroyed is a CheckDestroy: nothing of the fleet is left on the server.
func checkFleetDestroyed(srv *mockserver.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		st := srv.Snapshot()
		if len(st.Schemas) > 0 || len(st.Instances) > 0 || len(st.Overrides) > 0 {
			return fmt.Errorf("left after destroy: %d schemas, %d instances, overrides %v", len(st.Schemas), len(st.Instances), st.Overrides)
		}
		return acctest.CreatedOnce(srv)
	}
}

// logFaultFigures reports what the mock injected and what it served.
func logFaultFigures(t *testing.T, srv *mockserver.Server, watch *acctest.Stopwatch) {
	t.Helper()
	total, byKind := acctest.FaultTally(srv)
	stored, dups := acctest.Creates(srv)
	kinds := make([]string, 0, len(byKind))
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, byKind[k]))
	}
	t.Logf("FIGURES %s: %d requests, %d faulted (%s); %d entities created, each once; %d duplicate creates refused and resolved; apply wall times %v",
		t.Name(), len(srv.Requests()), total, strings.Join(kinds, " "), len(stored), acctest.Sum(dups), watch.Laps())
}

// transientKinds are the faults a network, a gateway or an overloaded Harness produce,
// each named as the mock's request log names it.
var transientKinds = []struct {
	fault mockserver.Fault
	log   string
}{
	{mockserver.Fault{Status: 429}, "status=429"},
	{mockserver.Fault{Status: 500}, "status=500"},
	{mockserver.Fault{Status: 502}, "status=502"},
	{mockserver.Fault{Status: 503}, "status=503"},
	{mockserver.Fault{Status: 502, Body: acctest.ProxyPage}, "body(status=502)"},
	{mockserver.Fault{Drop: true}, "drop"},
	{mockserver.Fault{DropAfter: true}, "drop-after"},
	{mockserver.Fault{Malformed: true}, "malformed"},
}

// transientRoutes are the routes the fleet uses; each gets every transient fault once.
var transientRoutes = []string{
	mockserver.RouteCreateSchema, mockserver.RouteGetSchema, mockserver.RouteUpdateSchema, mockserver.RouteDeleteSchema,
	mockserver.RouteCreateInstance, mockserver.RouteGetInstance, mockserver.RouteUpdateInstance, mockserver.RouteDeleteInstance,
	mockserver.RouteGetDefaultConfig, mockserver.RouteGetCustomerConfig, mockserver.RouteUpdateConfig, mockserver.RouteResetConfig,
	mockserver.RouteListSchemas, mockserver.RouteListInstances, // refresh by list
}

// Every transient fault, on every route the fleet uses (deletes included), once and for
// certain: each route's faults hit its first requests, one each, in a fixed order,
// whatever order parallel requests arrive in, and each faulted request is retried or
// read back, so a route's faults are spent as soon as it is used at all. Through them
// the fleet of 31 resources is created, updated (names, tags, images changed and
// reset, a schema and its instances removed) and destroyed without an error.
func TestAccFaults_transient(t *testing.T) {
	srv := acctest.NewServer(t)
	armed := map[string]bool{} // route + " " + fault, as the request log shows it
	for _, route := range transientRoutes {
		for _, k := range transientKinds {
			if k.fault.Malformed && strings.HasPrefix(route, "DELETE") {
				continue // a DELETE answers 204 with no body to garble
			}
			f := k.fault
			f.Route, f.Times = route, 1
			srv.AddFault(f)
			armed[route+" "+k.log] = true
		}
	}
	// A Retry-After and a request past request_timeout, on one route each.
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, Status: 429, RetryAfter: "1", Times: 1})
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetCustomerConfig, Latency: 3 * time.Second, Times: 1})
	armed[mockserver.RouteCreateInstance+" status=429"] = true // a second one
	armed[mockserver.RouteGetCustomerConfig+" latency=3s"] = true

	v1 := acctest.Fleet{Schemas: 6, PerSchema: 4, Generation: 1, Images: imagesV1}
	v2 := acctest.Fleet{Schemas: 5, PerSchema: 4, Generation: 2, Images: imagesV2} // one schema and its instances go
	v3 := acctest.Fleet{Schemas: 5, PerSchema: 4, Generation: 3, Images: imagesV1} // everything updated again
	settings := fastRetries(10, "1s")
	watch := &acctest.Stopwatch{}
	var steps []resource.TestStep
	for _, f := range []acctest.Fleet{v1, v2, v3} {
		steps = append(steps, resource.TestStep{
			PreConfig:                watch.Start,
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
			ConfigVariables: f.Vars(srv.URL, srv.AccountID, srv.APIKey, settings),
			Check:           resource.ComposeTestCheckFunc(watch.Stop, acctest.CheckFleet(f, srv.Server)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(checkFleetDestroyed(srv.Server), func(*terraform.State) error {
			if left := srv.Faults(); len(left) > 0 {
				return fmt.Errorf("%d faults were never fired: %+v", len(left), left)
			}
			return nil
		}),
		Steps: steps,
	})
	if v1.Resources() < 30 {
		t.Fatalf("the fleet has %d resources, the suite wants at least 30", v1.Resources())
	}
	fired := map[string]int{}
	for _, r := range srv.Requests() {
		if r.Fault != "" {
			fired[r.Route+" "+strings.Split(r.Fault, ",")[0]]++
		}
	}
	for k := range armed {
		if fired[k] == 0 {
			t.Errorf("the %s fault never fired", k)
		}
	}
	logFaultFigures(t, srv.Server, watch)
}

// A fixed fault schedule (every fault fires on the first N matching requests, so the
// same requests fail on every run): exactly that many requests fail, the apply
// succeeds, and its wall time is reported.
func TestAccFaults_fixedSchedule(t *testing.T) {
	srv := acctest.NewServer(t)
	schedule := []mockserver.Fault{
		{Route: mockserver.RouteCreateSchema, Status: 503, RetryAfter: "1", Times: 1},
		{Route: mockserver.RouteCreateSchema, DropAfter: true, Times: 2},
		{Route: mockserver.RouteCreateSchema, Malformed: true, Times: 1},
		{Route: mockserver.RouteCreateSchema, Latency: 3 * time.Second, Times: 1},
		{Route: mockserver.RouteCreateInstance, Status: 429, RetryAfter: "1", Times: 2},
		{Route: mockserver.RouteCreateInstance, Status: 500, Times: 2},
		{Route: mockserver.RouteCreateInstance, Status: 502, Body: acctest.ProxyPage, Times: 2},
		{Route: mockserver.RouteCreateInstance, Drop: true, Times: 2},
		{Route: mockserver.RouteCreateInstance, DropAfter: true, Times: 3},
		{Route: mockserver.RouteCreateInstance, Status: 504, HandleFirst: true, Times: 1},
		{Route: mockserver.RouteCreateInstance, Malformed: true, Times: 2},
		{Route: mockserver.RouteGetCustomerConfig, Latency: 3 * time.Second, Times: 1},
		{Route: mockserver.RouteUpdateConfig, DropAfter: true, Times: 1},
		{Route: mockserver.RouteUpdateConfig, Status: 503, Times: 1},
		{Route: mockserver.RouteGetSchema, Malformed: true, Times: 2},
		{Route: mockserver.RouteGetInstance, Drop: true, Times: 2},
		{Route: mockserver.RouteGetInstance, Status: 502, Times: 2},
	}
	scheduled := 0
	for _, f := range schedule {
		srv.AddFault(f)
		scheduled += f.Times
	}
	v1 := acctest.Fleet{Schemas: 5, PerSchema: 5, Generation: 1, Images: imagesV1}
	watch := &acctest.Stopwatch{}
	resource.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkFleetDestroyed(srv.Server),
		Steps: []resource.TestStep{{
			PreConfig:                watch.Start,
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
			ConfigVariables: v1.Vars(srv.URL, srv.AccountID, srv.APIKey, fastRetries(6, "1s")),
			Check: resource.ComposeTestCheckFunc(watch.Stop, acctest.CheckFleet(v1, srv.Server),
				func(*terraform.State) error {
					if left := srv.Faults(); len(left) > 0 {
						return fmt.Errorf("faults not spent after the apply: %+v", left)
					}
					if total, _ := acctest.FaultTally(srv.Server); total != scheduled {
						return fmt.Errorf("%d requests faulted, the schedule has %d", total, scheduled)
					}
					return nil
				}),
		}},
	})
	logFaultFigures(t, srv.Server, watch)
}

// A create, update-config or reset-config whose answer is lost after the server acted
// (dropped connection, 504 from a gateway, garbled body) neither fails the apply with
// "already exists" nor creates twice: the create is read back instead of sent again,
// and the config writes, being idempotent, are sent again.
func TestAccFaults_lostAnswers(t *testing.T) {
	srv := acctest.NewServer(t)
	v1 := acctest.Fleet{Schemas: 2, PerSchema: 3, Generation: 1, Images: imagesV1}
	v2 := acctest.Fleet{Schemas: 2, PerSchema: 3, Generation: 2, Images: imagesV2}
	settings := fastRetries(3, "10s")
	resource.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkFleetDestroyed(srv.Server),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateSchema, DropAfter: true, Times: 1})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateSchema, Status: 504, HandleFirst: true, Times: 1})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, DropAfter: true, Times: 2})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, Status: 502, Body: acctest.ProxyPage, HandleFirst: true, Times: 2})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, Malformed: true, Times: 2})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteUpdateConfig, DropAfter: true, Times: 1})
				},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
				ConfigVariables: v1.Vars(srv.URL, srv.AccountID, srv.APIKey, settings),
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFleet(v1, srv.Server),

					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCreateSchema: 2}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCreateInstance: 6}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 2}),
					noDuplicateCreates(srv.Server),
				),
			},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteResetConfig, DropAfter: true, Times: 1})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteUpdateConfig, Status: 502, HandleFirst: true, Times: 1})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteUpdateInstance, DropAfter: true, Times: 2})
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteUpdateSchema, Malformed: true, Times: 1})
				},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
				ConfigVariables: v2.Vars(srv.URL, srv.AccountID, srv.APIKey, settings),
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFleet(v2, srv.Server),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteResetConfig: 2}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 2}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateInstance: 6 + 2}),
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateSchema: 2 + 1}),
				),
			},
		},
	})
}

// noDuplicateCreates: no create was refused as a duplicate, so no create was sent again
// after the server had carried it out.
func noDuplicateCreates(srv *mockserver.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, dups := acctest.Creates(srv); len(dups) > 0 {
			return fmt.Errorf("creates sent again and refused as duplicates: %v", dups)
		}
		return nil
	}
}

// Permanent faults fail the apply with an error that names the operation, the call and
// what to do, after exactly max_retries retries; what the apply did before the failure
// is in Terraform's state, so the next apply, once the fault is gone, completes the
// configuration without creating anything twice.
func TestAccFaults_permanent(t *testing.T) {
	small := acctest.Fleet{Schemas: 1, PerSchema: 2, Generation: 1, Images: map[string]string{"default_tag": acctest.MirrorLiquibase}}
	next := small
	next.Generation = 2
	for name, tt := range map[string]struct {
		fault      mockserver.Fault
		maxRetries int
		timeout    string
		before     *acctest.Fleet // applied without faults first
		want       []string
		route      string // the faulted route, and how many requests it must have had
		requests   int
		minWait    time.Duration // between the first and the last faulted request
	}{
		"503 on every instance create": {
			fault:      mockserver.Fault{Route: mockserver.RouteCreateInstance, Status: 503, Message: "DB DevOps is in maintenance"},
			maxRetries: 2,
			want: []string{"Unable to create DB instance", `Creating DB instance "db0_0" of schema "schema_0"`,
				"POST /v1/orgs/default/projects/fleet/dbschema/schema_0/instance: 503 Service Unavailable: DB DevOps is in maintenance",
				"gave up after 3 attempts", "Try again later, or raise max_retries"},
			route: mockserver.RouteCreateInstance, requests: 2 * 3,
		},
		"429 with Retry-After on every update-config": {
			fault:      mockserver.Fault{Route: mockserver.RouteUpdateConfig, Status: 429, RetryAfter: "1", Message: "rate limit exceeded"},
			maxRetries: 1,
			want: []string{"Unable to update the image overrides", "POST /v1/dbops/execution-config/update-config: 429 Too Many Requests: rate limit exceeded",
				"Harness is rate limiting this account", "gave up after 2 attempts"},
			route: mockserver.RouteUpdateConfig, requests: 2, minWait: time.Second,
		},
		"dropped connection on every schema create": {
			fault:      mockserver.Fault{Route: mockserver.RouteCreateSchema, Drop: true},
			maxRetries: 2,
			want: []string{"Unable to create DB schema", `Creating DB schema "schema_0" in org "default", project "fleet"`,
				"POST /v1/orgs/default/projects/fleet/dbschema: no answer from the Harness API", "check the endpoint, the network",
				"sent 3 times; each time its answer was lost and reading it back found nothing"},
			route: mockserver.RouteCreateSchema, requests: 3, // each POST is read back, then sent again
		},
		"timeout on every read of the overrides": {
			fault:      mockserver.Fault{Route: mockserver.RouteGetCustomerConfig, Latency: 5 * time.Second},
			maxRetries: 1, timeout: "500ms",
			want: []string{"Unable to read the execution config overrides", "GET /v1/dbops/execution-config/get-customer-config: no answer from the Harness API",
				"no answer within the per-attempt timeout", "gave up after 2 attempts", "Raise request_timeout"},
			route: mockserver.RouteGetCustomerConfig, requests: 2,
		},
		"proxy error page on every instance update": {
			fault:      mockserver.Fault{Route: mockserver.RouteUpdateInstance, Status: 502, Body: acctest.ProxyPage},
			maxRetries: 1, before: &small,
			want: []string{"Unable to update DB instance", `Updating DB instance "db0_1" of schema "schema_0"`,
				"PUT /v1/orgs/default/projects/fleet/dbschema/schema_0/instance/db0_1: 502 Bad Gateway: 502 Bad Gateway: nginx",
				"the answer is not JSON: check that the provider's endpoint points at the Harness gateway"},
			route: mockserver.RouteUpdateInstance, requests: 2 * 2,
		},
		"garbled answer to every schema read": {
			fault:      mockserver.Fault{Route: mockserver.RouteGetSchema, Malformed: true},
			maxRetries: 2, before: &small,
			want: []string{"Unable to read DB schema", `Reading DB schema "schema_0" in org "default", project "fleet"`,
				"GET /v1/orgs/default/projects/fleet/dbschema/schema_0: unexpected answer (status 200): invalid JSON"},
			route: mockserver.RouteGetSchema, requests: 3,
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			timeout := tt.timeout
			if timeout == "" {
				timeout = "10s"
			}
			settings := fastRetries(tt.maxRetries, timeout)
			var steps []resource.TestStep
			if tt.before != nil {
				steps = append(steps, resource.TestStep{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
					ConfigVariables: tt.before.Vars(srv.URL, srv.AccountID, srv.APIKey, settings),
					Check:           acctest.CheckFleet(*tt.before, srv.Server),
				})
			}
			steps = append(steps, resource.TestStep{
				PreConfig: func() {
					srv.ResetRequests()
					srv.AddFault(tt.fault)
				},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
				ConfigVariables: next.Vars(srv.URL, srv.AccountID, srv.APIKey, settings),
				ExpectError:     acctest.InOrder(tt.want...),
			}, resource.TestStep{
				PreConfig: func() {
					if err := faultedRequests(srv.Server, tt.route, tt.requests, tt.minWait); err != nil {
						t.Error(err)
					}
					srv.ClearFaults()
				},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, ConfigDirectory: fleetConfig,
				ConfigVariables: next.Vars(srv.URL, srv.AccountID, srv.APIKey, settings),
				Check:           acctest.CheckFleet(next, srv.Server),
			})
			resource.ParallelTest(t, resource.TestCase{
				CheckDestroy: checkFleetDestroyed(srv.Server),
				Steps:        steps,
			})
		})
	}
}

// faultedRequests checks that route had exactly n requests, all faulted, and that
// at least minWait passed between the first and the last one (Retry-After honoured).
func faultedRequests(srv *mockserver.Server, route string, n int, minWait time.Duration) error {
	var times []time.Time
	for _, r := range srv.Requests() {
		if r.Route != route {
			continue
		}
		if r.Fault == "" {
			return fmt.Errorf("%s: a request was not faulted: %+v", route, r)
		}
		times = append(times, r.Time)
	}
	if len(times) != n {
		return fmt.Errorf("%s: %d requests, want %d (1 + max_retries per call)", route, len(times), n)
	}
	if minWait > 0 && times[len(times)-1].Sub(times[0]) < minWait {
		return fmt.Errorf("%s: retried after %v, want at least %v (Retry-After)", route, times[len(times)-1].Sub(times[0]), minWait)
	}
	return nil
}
