package provider

import (
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
)

// The adopt-an-existing-project guide, run as written against a project of five
// schemas and three instances that another tool made (the official provider's
// recorded shapes): one plan imports all eight and changes nothing, the apply writes
// nothing to Harness, and the next plan is empty. Import blocks with for_each need
// Terraform 1.7 or OpenTofu 1.7.
func TestAccGuide_adoptExistingProject(t *testing.T) {
	t.Parallel()
	srv, unchanged := officialMock(t)
	c := newTFCLI(t)
	c.Write(map[string]string{
		"provider.tf": acctest.RequiredProviders + acctest.CLIProvider(srv),
		"main.tf":     acctest.ReadExample(t, "guides/adopt-an-existing-project/adopt.tf"),
	})
	c.MustRun("init", "-input=false")
	vars := []string{"-var", "org_id=o2", "-var", "project_id=p2"}

	out := c.MustRun(append([]string{"plan", "-out=tfplan"}, vars...)...)
	t.Logf("the plan of the adoption:\n%s", out)
	flat := acctest.Flat(out)
	for _, addr := range []string{`harness_dbops_db_schema.this["git_liquibase"]`, `harness_dbops_db_schema.this["flyway_toml"]`,
		`harness_dbops_db_schema.this["artifactory"]`, `harness_dbops_db_schema.this["harness_code"]`, `harness_dbops_db_schema.this["script"]`,
		`harness_dbops_db_instance.this["git_liquibase/branch"]`, `harness_dbops_db_instance.this["git_liquibase/commit"]`,
		`harness_dbops_db_instance.this["flyway_toml/tag"]`} {
		if !strings.Contains(flat, "# "+addr+" will be imported") {
			t.Errorf("the plan does not import %s", addr)
		}
	}
	if !strings.Contains(flat, "Plan: 8 to import, 0 to add, 0 to change, 0 to destroy.") || strings.Contains(flat, "Warning") {
		t.Fatalf("want 8 imports and nothing else:\n%s", out)
	}
	c.MustRun("apply", "tfplan")
	unchanged("the adoption")
	managed := 0
	for addr := range c.ShowState() {
		if !strings.HasPrefix(addr, "data.") {
			managed++
		}
	}
	if managed != 8 {
		t.Fatalf("state holds %d resources after the adoption, want 8", managed)
	}
	if out := c.MustRun(append([]string{"plan", "-detailed-exitcode"}, vars...)...); !strings.Contains(out, "No changes.") || strings.Contains(out, "Warning") {
		t.Fatalf("the plan after the adoption is not empty and quiet:\n%s", out)
	}
}
