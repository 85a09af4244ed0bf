package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// needsIdentity skips a test on a CLI without resource identity (make test runs
// Terraform 1.11; make test-tofu runs OpenTofu 1.12).
var needsIdentity = []tfversion.TerraformVersionCheck{acctest.NeedsCLI("Resource identity and import by identity", "1.12.0", "1.12.0")}

// identityOf is the identity check of a resource: attribute name, then value.
func identityOf(addr string, kv ...string) statecheck.StateCheck {
	want := map[string]knownvalue.Check{}
	for i := 0; i < len(kv); i += 2 {
		want[kv[i]] = knownvalue.StringExact(kv[i+1])
	}
	return statecheck.ExpectIdentity(addr, want)
}

// A schema and an instance get their identity on create; an import block with that
// identity (no ID) imports each into a fresh state with nothing to change and the same
// identity; an identity whose identifier could not be one fails the plan, naming it.
func TestAccIdentity_dbSchemaAndInstance(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	cfg := acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "prod"
  name       = "Prod"
  connector  = "jdbc"
  branch     = "main"`)
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   needsIdentity,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{
				identityOf("harness_dbops_db_schema.main", "org_id", acctest.DBTestOrg, "project_id", acctest.DBTestProject, "identifier", "main"),
				identityOf(acctest.DBInstanceAddr, "org_id", acctest.DBTestOrg, "project_id", acctest.DBTestProject, "schema", "main", "identifier", "prod"),
			}},
			{ResourceName: "harness_dbops_db_schema.main", ImportState: true, ImportStateKind: tfresource.ImportBlockWithResourceIdentity},
			{ResourceName: acctest.DBInstanceAddr, ImportState: true, ImportStateKind: tfresource.ImportBlockWithResourceIdentity},
			{
				Config: cfg + `
import {
  to       = harness_dbops_db_schema.adopted
  identity = { org_id = "default", project_id = "default_project", identifier = "other/x" }
}
resource "harness_dbops_db_schema" "adopted" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "other_x"
  name       = "Other"` + acctest.OKSource + `
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid DB schema identity.*identifier is "other/x": an identifier`),
			},
		},
	})
}

// The image config gets the account as its identity; an import block with it manages
// the overrides there are (the configuration's one field) with nothing to change; an
// identity of another account fails the plan, naming both accounts.
func TestAccIdentity_imageConfig(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	cfg := acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase))
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   needsIdentity,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{identityOf(acctest.ImageConfigAddr, "account_id", mockserver.TestAccountID)}},
			{ResourceName: acctest.ImageConfigAddr, ImportState: true, ImportStateKind: tfresource.ImportBlockWithResourceIdentity},
			{
				Config: cfg + `
import {
  to       = harness_dbops_image_config.other
  identity = { account_id = "someone_else" }
}
resource "harness_dbops_image_config" "other" { exclusive = true }
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Identity of another account.*"someone_else".*"` + mockserver.TestAccountID + `"`),
			},
		},
	})
}

// An import by identity stands for the import ID of its parts, each checked as an
// import ID's part and named by its identity attribute; an import by ID is left as it
// is. (The acceptance tests above need a CLI with identity; this runs everywhere.)
func TestIdentityImportID(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	identity := func(kv ...string) *tfsdk.ResourceIdentity {
		s := dbInstanceIdentity.schema()
		id := &tfsdk.ResourceIdentity{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
		dbInstanceIdentity.set(id, kv...)
		return id
	}
	for _, tc := range []struct {
		req       resource.ImportStateRequest
		want, err string
	}{
		{req: resource.ImportStateRequest{Identity: identity("o", "p", "orders", "prod")}, want: "o/p/orders/prod"},
		{req: resource.ImportStateRequest{ID: "a/b/c/d", Identity: identity("o", "p", "orders", "prod")}, want: "a/b/c/d"},
		{req: resource.ImportStateRequest{Identity: identity("o", "p", "orders", "pr/od")}, err: `The identity's identifier is "pr/od": an identifier`},
		{req: resource.ImportStateRequest{Identity: identity("o", "p", "overview", "prod")}, err: `The identity's schema is "overview", which the API reserves`},
		{req: resource.ImportStateRequest{Identity: identity("o", "", "orders", "prod")}, err: `The identity's project_id is empty`},
	} {
		got, diags := dbInstanceIdentity.importID(ctx, tc.req)
		switch {
		case tc.err == "" && (diags.HasError() || got != tc.want):
			t.Errorf("importID = %q, %v; want %q", got, diags, tc.want)
		case tc.err != "" && (!diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), tc.err)):
			t.Errorf("importID = %q, %v; want an error with %q", got, diags, tc.err)
		}
	}
}

// harness_ci_image_config's identity names the infra too (one config per build
// infrastructure): it is set on create, an import by identity takes that infra's
// overrides, and an infra Harness does not spell so fails the plan at infra.
func TestAccIdentity_ciImageConfig(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	cfg := acctest.CIImageConfig(srv, `infra = "VM"`, acctest.CIImages("gitCloneTag", acctest.MirrorCIGit))
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   needsIdentity,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{
				identityOf(acctest.CIImageConfigAddr, "account_id", mockserver.TestAccountID, "infra", mockserver.CIInfraVM),
			}},
			{ResourceName: acctest.CIImageConfigAddr, ImportState: true, ImportStateKind: tfresource.ImportBlockWithResourceIdentity},
			{
				Config: cfg + `
import {
  to       = harness_ci_image_config.other
  identity = { account_id = "` + mockserver.TestAccountID + `", infra = "vm" }
}
resource "harness_ci_image_config" "other" {
  infra     = "VM"
  exclusive = true
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid identity.*"vm".*does not start with the infra`),
			},
		},
	})
}
