package provider

import (
	"net/http"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
)

// The release-gates guide, run as written: the mock starts from the guide's seed; the
// gate's postconditions stop the plan, one error per gate; the check only warns, and
// its plan succeeds; the guide's pipeline runs, recorded through the mock's hook, fix
// staging and production; then the gate's plan passes and its apply rolls out.
// With -v it logs the plans the guide shows.
func TestAccGuide_releaseGates(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	const dir = "guides/release-gates/"
	mockSend(t, http.MethodPut, srv.URL+"/_mock/state", acctest.ReadExample(t, dir+"seed.yaml"))
	provider := acctest.RequiredProviders + acctest.CLIProvider(srv)

	gate := newTFCLI(t)
	gate.Write(map[string]string{"provider.tf": provider, "gate.tf": acctest.ReadExample(t, dir+"gate.tf")})
	gate.MustRun("init", "-input=false")
	out := gate.MustFail("plan")
	t.Logf("the plan the gate stops:\n%s", out)
	flat := acctest.Flat(out)
	for _, want := range []string{
		"Error: Resource postcondition failed",
		"Changesets failed on orders_prod: db/changelog.yaml::add_total::bob. Fix or roll them back before the release.",
		"orders_prod is ahead of orders_staging: db/changelog.yaml::hotfix_orders::cat.",
		"Release v2 has not reached orders_prod, orders_staging.",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the stopped plan does not say %q", want)
		}
	}
	if strings.Count(out, "Error: Resource postcondition failed") != 3 || strings.Contains(out, "Plan:") {
		t.Fatalf("want the plan stopped by exactly three postconditions:\n%s", out)
	}

	// A check block says the same and lets the plan through.
	check := newTFCLI(t)
	check.Write(map[string]string{"provider.tf": provider, "check.tf": acctest.ReadExample(t, dir+"check.tf")})
	check.MustRun("init", "-input=false")
	out = check.MustRun("plan")
	if flat := acctest.Flat(out); !strings.Contains(flat, `Warning: Check block assertion failed`) ||
		!strings.Contains(flat, "orders_prod's latest deployed tag is v1, not v2.") || strings.Contains(out, "Error") {
		t.Fatalf("the check's plan:\n%s", out)
	}

	// The pipelines run again: staging gets the hotfix and v2, production v2.
	hook := srv.URL + "/_mock/orgs/default/projects/default_project/dbschema/orders/instance/"
	mockSend(t, http.MethodPost, hook+"orders_staging/changesets", acctest.ReadExample(t, dir+"run-staging.json"))
	mockSend(t, http.MethodPost, hook+"orders_prod/changesets", acctest.ReadExample(t, dir+"run-prod.json"))
	out = gate.MustRun("plan")
	t.Logf("the plan the gate lets through:\n%s", out)
	if !strings.Contains(out, "Plan: 1 to add, 0 to change, 0 to destroy.") || strings.Contains(out, "Error") {
		t.Fatalf("the gate's plan after the runs:\n%s", out)
	}
	gate.MustRun("apply", "-auto-approve")
	if st := gate.ShowState(); st["terraform_data.rollout"].Values["input"] != "v2" {
		t.Fatalf("the rollout after the apply: %+v", st["terraform_data.rollout"])
	}
	if out = check.MustRun("plan"); strings.Contains(out, "Warning") {
		t.Fatalf("the check still warns after the runs:\n%s", out)
	}
}
