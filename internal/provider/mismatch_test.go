package provider

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

func TestAttributePath(t *testing.T) {
	for field, want := range map[string]string{
		"context":               "context",
		"commitSha":             "commit_sha",
		"substituteProperties":  "substitute_properties",
		"usePercona":            "use_percona",
		"changelog":             "schema_source",
		"changelog.archivePath": "schema_source.archive_path",
		"changeLogScript.toml":  "changelog_script.toml",
	} {
		at, name := attributePath(field, dbSchemaBlocks)
		if name != want || at.String() != want {
			t.Errorf("attributePath(%q) = %s, %q; want %q", field, at, name, want)
		}
	}
}

// When Harness answers an update with a value the configuration removed (it kept it),
// the apply fails with an error that names the attribute, the value Harness kept and
// what to do, the state holds Harness's value, and Terraform never reports an
// inconsistent result. Once Harness applies the change, the next apply succeeds.
func TestAccMismatch_harnessKeepsAValue(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	// The instance names its schema as a string, so that both updates run although one fails.
	cfg := func(instanceExtra, schemaExtra string) string {
		return acctest.OrdersConfig(srv, schemaExtra, `"orders"`, instanceExtra)
	}
	c.Write(map[string]string{"main.tf": cfg(`context = "dev"`, `service = "orders_svc"`)})
	c.MustRun("apply", "-auto-approve", "-target=harness_dbops_db_schema.orders")
	c.MustRun("apply", "-auto-approve")

	// Harness answers each PUT with the entity unchanged: it keeps what was cleared.
	inst, _ := srv.Instance("default", "p", "orders", "dev")
	sc, _ := srv.Schema("default", "p", "orders")
	for route, v := range map[string]any{mockserver.RouteUpdateInstance: inst, mockserver.RouteUpdateSchema: sc} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		srv.AddFault(mockserver.Fault{Route: route, Status: 200, Body: string(b), ContentType: "application/json", Times: 1})
	}
	c.Write(map[string]string{"main.tf": cfg("", "")})
	out := c.MustFail("apply", "-auto-approve")
	for _, want := range []string{
		"Error: Harness did not apply context",
		`The configuration removes context from DB instance "dev" of schema "orders" in org "default", project "p", but Harness still holds "dev"`,
		"Error: Harness did not apply service",
		`The configuration removes service from DB schema "orders" in org "default", project "p", but Harness still holds "orders_svc"`,
		"Change it in the Harness UI and run terraform apply again",
	} {
		if !strings.Contains(acctest.Flat(out), want) {
			t.Errorf("the apply output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "inconsistent result") {
		t.Errorf("Terraform reported an inconsistent result:\n%s", out)
	}
	st := c.ShowState()
	if got := st["harness_dbops_db_instance.dev"].Values["context"]; got != "dev" {
		t.Errorf("state context = %v, want Harness's \"dev\"", got)
	}
	if got := st["harness_dbops_db_schema.orders"].Values["service"]; got != "orders_svc" {
		t.Errorf("state service = %v, want Harness's \"orders_svc\"", got)
	}

	// The faults are spent: Harness now applies the change.
	c.MustRun("apply", "-auto-approve")
	if in, _ := srv.Instance("default", "p", "orders", "dev"); in.Context != "" {
		t.Errorf("context after the second apply: %q", in.Context)
	}
	if sc, _ := srv.Schema("default", "p", "orders"); sc.Service != "" {
		t.Errorf("service after the second apply: %q", sc.Service)
	}
	if out := c.MustRun("plan"); !strings.Contains(out, "No changes") {
		t.Errorf("plan after the repair:\n%s", out)
	}
}
