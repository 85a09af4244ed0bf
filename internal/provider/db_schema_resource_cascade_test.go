package provider

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// TestReplacedBy: dbSchemaReplacedBy and dbInstanceReplacedBy name exactly the
// attributes whose plan modifiers include RequiresReplace.
func TestReplacedBy(t *testing.T) {
	ctx := context.Background()
	replace := stringplanmodifier.RequiresReplace().Description(ctx)
	for _, tt := range []struct {
		r    resource.Resource
		want []string
	}{{newDBSchemaResource(), dbSchemaReplacedBy}, {newDBInstanceResource(), dbInstanceReplacedBy}} {
		var resp resource.SchemaResponse
		tt.r.Schema(ctx, resource.SchemaRequest{}, &resp)
		var got []string
		for name, a := range resp.Schema.Attributes {
			if s, ok := a.(schema.StringAttribute); ok {
				for _, m := range s.PlanModifiers {
					if m.Description(ctx) == replace {
						got = append(got, name)
					}
				}
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%T: attributes with RequiresReplace = %v, the list says %v", tt.r, got, tt.want)
		}
	}
}

// cascadeConfig is the orders schema with its instance, as users write it.
func cascadeConfig(srv *mockserver.TestServer, migration string) string {
	return acctest.OrdersConfig(srv, `migration_type = "`+migration+`"`, "harness_dbops_db_schema.orders.identifier", "")
}

// A plan that replaces a schema with instances warns that Harness deletes them with it
// (Harness's MCP server); a plan that keeps it, or destroys it with all its instances,
// or destroys a schema without instances, does not. When Harness cannot list the
// instances, the warning falls back on the last refresh's count and says why.
func TestAccDBSchemaResource_cascadeWarning(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": cascadeConfig(srv, "Liquibase")})
	c.MustRun("apply", "-auto-approve")

	if out := c.MustRun("plan"); strings.Contains(out, "Warning") {
		t.Errorf("a plan that keeps the schema warns:\n%s", out)
	}
	// Its only instance is destroyed first, on its own (TestAccDBSchemaResource_destroyWarnsPrecisely).
	if out := c.MustRun("plan", "-destroy"); strings.Contains(out, "Warning") {
		t.Errorf("plan -destroy of a schema and all its instances warns:\n%s", out)
	}
	c.Write(map[string]string{"main.tf": cascadeConfig(srv, "Flyway")})
	out := c.MustRun("plan")
	if !strings.Contains(out, `Warning: Replacing DB schema "orders" deletes 1 DB instance`) || !strings.Contains(acctest.Flat(out), "holds now: dev.") {
		t.Errorf("a plan that replaces a schema with an instance has no cascade warning:\n%s", out)
	}
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteListInstances, Status: 500, Message: "list is down"})
	out = acctest.Flat(c.MustRun("plan"))
	if !strings.Contains(out, `Warning: Replacing DB schema "orders" deletes its DB instances`) ||
		!strings.Contains(out, "Listing the DB instances of the DB schema \"orders\" in org \"default\", project \"p\" failed:") ||
		!strings.Contains(out, "list is down") || !strings.Contains(out, "At the last refresh the schema had 1 DB instance.") {
		t.Errorf("a failed list does not fall back on the last refresh:\n%s", out)
	}
	srv.ClearFaults()

	// The instance gone: the schema's destroy is silent.
	c.Write(map[string]string{"main.tf": cascadeConfig(srv, "Liquibase")})
	c.MustRun("destroy", "-auto-approve", "-target=harness_dbops_db_instance.dev")
	if out := c.MustRun("plan", "-destroy"); strings.Contains(out, "Warning") {
		t.Errorf("plan -destroy of a schema without instances warns:\n%s", out)
	}
	c.MustRun("destroy", "-auto-approve")
	if n := len(srv.Schemas("default", "p")); n != 0 {
		t.Fatalf("%d schemas left after destroy", n)
	}
}

// The configuration that `terraform plan -generate-config-out` writes for an imported
// schema and instance names the schema as a plain string, so Terraform sees no
// dependency and may destroy them in any order. Both orders succeed: Harness deletes
// the instance with its schema, and an instance delete that then gets 404 is done.
func TestAccDBSchemaResource_generatedConfigDestroys(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"harness_dbops_db_schema.orders", "harness_dbops_db_instance.dev"} {
		t.Run(first, func(t *testing.T) {
			t.Parallel()
			srv := acctest.NewServer(t)
			srv.PutSchema("default", "p", mockserver.Schema{Identifier: "orders", Name: "Orders",
				Changelog: &mockserver.Changelog{Connector: "github", Location: "changelog.yaml"}})
			if err := srv.PutInstance("default", "p", "orders", mockserver.Instance{Identifier: "dev", Name: "Dev", Connector: "jdbc_dev", Branch: "main"}); err != nil {
				t.Fatal(err)
			}
			c := newTFCLI(t)
			c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
import {
  to = harness_dbops_db_schema.orders
  id = "default/p/orders"
}

import {
  to = harness_dbops_db_instance.dev
  id = "default/p/orders/dev"
}
`})
			c.MustRun("plan", "-generate-config-out=generated.tf")
			gen, err := os.ReadFile(filepath.Join(c.Dir(), "generated.tf"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(gen), `schema                = "orders"`) {
				t.Fatalf("the generated instance does not name its schema as a string:\n%s", gen)
			}
			c.MustRun("apply", "-auto-approve")
			if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
				t.Fatalf("the generated configuration is not stable:\n%s", out)
			}
			// One first, on its own; then the other without a refresh, so that its
			// delete reaches Harness after the first one's (and 404s if it was the
			// instance whose schema went first).
			c.MustRun("destroy", "-auto-approve", "-target="+first)
			c.MustRun("destroy", "-auto-approve", "-refresh=false")
			if n := len(srv.Schemas("default", "p")); n != 0 {
				t.Fatalf("%d schemas left after destroy", n)
			}
			if st := c.ShowState(); len(st) != 0 {
				t.Fatalf("resources left in state: %v", st)
			}
			var deletes []int
			for _, r := range srv.Requests() {
				if r.Route == mockserver.RouteDeleteInstance {
					deletes = append(deletes, r.Status)
				}
			}
			want := []int{204}
			if strings.HasPrefix(first, "harness_dbops_db_schema") {
				want = []int{404} // the cascade took the instance
			}
			if b, _ := json.Marshal(deletes); string(b) != mustJSON(want) {
				t.Fatalf("instance DELETE answers = %v, want %v", deletes, want)
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
