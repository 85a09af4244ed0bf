package provider

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Helpers of the tests of what DB schema and DB instance plans tell a reviewer.

// ordersSchema is the DB schema "orders" of ordersConfig on its own; extra is HCL lines.
func ordersSchema(extra string) string {
	return `
resource "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "p"
  identifier = "orders"
  name       = "Orders"
` + okSource + `
` + extra + `
}
`
}

// ordersInstance is a DB instance of ordersSchema named name with identifier id; extra
// is HCL lines.
func ordersInstance(name, id, extra string) string {
	return `
resource "harness_dbops_db_instance" "` + name + `" {
  org_id     = "default"
  project_id = "p"
  schema     = harness_dbops_db_schema.orders.identifier
  identifier = "` + id + `"
  name       = "` + id + `"
  connector  = "jdbc_` + id + `"
  branch     = "main"
` + extra + `
}
`
}

// addUIInstances adds instances to a schema of the mock, as the Harness UI would.
func addUIInstances(t *testing.T, srv *mockserver.TestServer, org, project, schema string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := srv.PutInstance(org, project, schema, mockserver.Instance{Identifier: id, Name: id, Connector: "jdbc", Branch: "main"}); err != nil {
			t.Fatal(err)
		}
	}
}

// mockInstanceIDs are the identifiers of a schema's instances in the mock, sorted.
func mockInstanceIDs(srv *mockserver.TestServer, org, project, schema string) []string {
	var ids []string
	for _, in := range srv.Instances(org, project, schema) {
		ids = append(ids, in.Identifier)
	}
	slices.Sort(ids)
	return ids
}

// wantActions fails the test unless the plan saved in tfplan (`terraform show -json`)
// does exactly these actions, by address, such as "delete,create" for a replacement.
func (c *tfCLI) wantActions(want map[string]string) {
	c.t.Helper()
	var p struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(c.mustRun("show", "-json", "tfplan")), &p); err != nil {
		c.t.Fatal(err)
	}
	got := map[string]string{}
	for _, rc := range p.ResourceChanges {
		if a := strings.Join(rc.Change.Actions, ","); a != "no-op" && a != "read" {
			got[rc.Address] = a
		}
	}
	if !maps.Equal(got, want) {
		c.t.Fatalf("plan actions = %v, want %v", got, want)
	}
}

// warnings are the warnings of a plan's text, flattened (flat), one per element.
func warnings(out string) []string {
	var ws []string
	for _, part := range strings.Split(out, "Warning: ")[1:] {
		ws = append(ws, flat(part))
	}
	return ws
}
