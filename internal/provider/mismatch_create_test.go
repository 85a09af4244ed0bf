package provider

import (
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// An instance create that Harness answers with other values than the plan's (it
// changed one, and kept the tags from being set) fails as an update does
// (TestAccMismatch_harnessKeepsAValue): an error per attribute that names the value
// asked for and the one Harness answered, a state that holds Harness's answer, and no
// "inconsistent result" from Terraform.
func TestAccMismatch_instanceCreate(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.OrdersConfig(srv, "", `"orders"`, "context = \"dev\"\n  tags = { team = \"data\" }")})
	c.MustRun("apply", "-auto-approve", "-target=harness_dbops_db_schema.orders")

	// Harness stores the instance, and answers with another context and no tags.
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteCreateInstance, HandleFirst: true, Status: 201, Times: 1, ContentType: "application/json",
		Body: `{"identifier": "dev", "name": "Dev", "connector": "jdbc_dev", "branch": "main", "context": "staging",
			"schemaIdentifier": "orders", "created": 1761122195, "updated": 1761122195}`})
	out := acctest.Flat(c.MustFail("apply", "-auto-approve"))
	for _, want := range []string{
		"Error: Harness did not apply context",
		`The configuration sets context of DB instance "dev" of schema "orders" in org "default", project "p" to "dev", but Harness answered "staging".`,
		"Error: Harness did not apply tags",
		`The configuration sets tags of DB instance "dev" of schema "orders" in org "default", project "p" to "{\"team\":\"data\"}", but Harness answered nothing.`,
		"The state now holds what Harness holds.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "inconsistent result") {
		t.Errorf("Terraform reported an inconsistent result:\n%s", out)
	}
	inst := c.ShowState()["harness_dbops_db_instance.dev"].Values
	if tags, _ := inst["tags"].(map[string]any); inst["context"] != "staging" || len(tags) != 0 {
		t.Errorf("state context = %v, tags = %v; want Harness's answer: \"staging\", no tags", inst["context"], inst["tags"])
	}
}
