package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The API accepts a changelog script whose shell and location are empty (the create
// body requires both keys, not a value), and so does the provider: such a Script schema
// imports into the configuration Terraform generates for it, which plans no change,
// destroys, and creates the schema again as it was.
func TestAccDBSchemaResource_importEmptyShell(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	srv.PutSchema("default", "p", mockserver.Schema{Identifier: "fetched", Name: "Fetched",
		ChangeLogScript: &mockserver.ChangeLogScript{Image: "alpine:3", Command: "./fetch.sh"}})
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
import {
  to = harness_dbops_db_schema.fetched
  id = "default/p/fetched"
}
`})
	c.MustRun("plan", "-generate-config-out=generated.tf")
	gen, err := os.ReadFile(filepath.Join(c.Dir(), "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`shell    = ""`, `location = ""`} {
		if !strings.Contains(string(gen), want) {
			t.Fatalf("the generated configuration lacks %s:\n%s", want, gen)
		}
	}
	c.MustRun("apply", "-auto-approve")
	if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("the imported schema does not plan clean:\n%s", out)
	}
	c.MustRun("destroy", "-auto-approve")
	if _, ok := srv.Schema("default", "p", "fetched"); ok {
		t.Fatal("the schema is still in Harness after destroy")
	}

	// The same configuration, without the import, creates it again as it was.
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv)})
	c.MustRun("apply", "-auto-approve")
	if err := acctest.LastBodyIs(srv, mockserver.RouteCreateSchema, `{"identifier":"fetched","name":"Fetched",`+
		`"changeLogScript":{"image":"alpine:3","command":"./fetch.sh","shell":"","location":""},"type":"Script","migrationType":"Liquibase"}`)(nil); err != nil {
		t.Error(err)
	}
	if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("the created schema does not plan clean:\n%s", out)
	}
}
