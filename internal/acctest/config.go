package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Provider blocks.

// ProviderConfig points the provider at srv through the /gateway prefix, as a real
// configuration points at app.harness.io/gateway.
func ProviderConfig(srv *mockserver.TestServer) string {
	return ProviderBlock(srv, `max_retries = 2`)
}

// ProviderBlock is a provider block for srv with more settings (HCL lines).
func ProviderBlock(srv *mockserver.TestServer, settings string) string {
	return fmt.Sprintf(`
provider "harness" {
  endpoint   = %q
  account_id = %q
  api_key    = %q
%s
}
`, srv.URL+"/gateway", srv.AccountID, srv.APIKey, settings)
}

// CLIProvider is a provider block for TFCLI tests, with fast retries.
func CLIProvider(srv *mockserver.TestServer) string {
	return ProviderBlock(srv, "max_retries = 1\nretry_wait_min = \"10ms\"\nretry_wait_max = \"50ms\"")
}

// RequiredProviders declares the provider as TFCLI serves it; a configuration that
// calls provider functions needs it (Terraform resolves provider::harness:: only
// through required_providers).
const RequiredProviders = `terraform {
  required_providers {
    harness = { source = "hashicorp/harness" }
  }
}
`

// DB schemas and DB instances: those of the test project (DBSchemaConfig,
// DBInstanceConfig), and the "orders" schema and its instances in project "p"
// (OrdersConfig).

// The org and project of every DB schema and DB instance test, and the address of
// DBSchemaConfig's schema.
const (
	DBTestOrg     = "default"
	DBTestProject = "default_project"
	DBSchemaAddr  = "harness_dbops_db_schema.test"
)

// DBSchemaConfig renders a harness_dbops_db_schema "test" in the test org and project;
// body is the HCL after org_id and project_id.
func DBSchemaConfig(srv *mockserver.TestServer, body string) string {
	return ProviderConfig(srv) + fmt.Sprintf(`
resource "harness_dbops_db_schema" "test" {
  org_id     = %q
  project_id = %q
%s
}
`, DBTestOrg, DBTestProject, body)
}

// DBInstanceAddr is the address of DBInstanceConfig's instance.
const DBInstanceAddr = "harness_dbops_db_instance.test"

// DBInstanceConfig renders two schemas, "main" (its changelog in Git, so its instances
// need a branch, commit_sha or git_tag) and "other" (an Artifactory archive, so they do
// not), and a harness_dbops_db_instance "test" in the test org and project; body is the
// HCL after org_id and project_id.
func DBInstanceConfig(srv *mockserver.TestServer, body string) string {
	return ProviderConfig(srv) + fmt.Sprintf(`
resource "harness_dbops_db_schema" "main" {
  org_id     = %[1]q
  project_id = %[2]q
  identifier = "main"
  name       = "Main"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
}

resource "harness_dbops_db_schema" "other" {
  org_id     = %[1]q
  project_id = %[2]q
  identifier = "other"
  name       = "Other"
  schema_source = {
    connector    = "artifactory"
    archive_path = "changelogs/other.zip"
    location     = "other/changelog.yaml"
  }
}

resource "harness_dbops_db_instance" "test" {
  org_id     = %[1]q
  project_id = %[2]q
%[3]s
}
`, DBTestOrg, DBTestProject, body)
}

// OrdersConfig is a DB schema "orders" (its changelog in Git) and its DB instance
// "dev" in org "default", project "p", for TFCLI tests: schemaRef is how the instance
// names its schema, and schemaExtra and instanceExtra are HCL lines added to each.
func OrdersConfig(srv *mockserver.TestServer, schemaExtra, schemaRef, instanceExtra string) string {
	return CLIProvider(srv) + `
resource "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "p"
  identifier = "orders"
  name       = "Orders"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
` + schemaExtra + `
}

resource "harness_dbops_db_instance" "dev" {
  org_id     = "default"
  project_id = "p"
  schema     = ` + schemaRef + `
  identifier = "dev"
  name       = "Dev"
  connector  = "jdbc_dev"
  branch     = "main"
` + instanceExtra + `
}
`
}

// OKSource is a valid schema_source, as HCL lines of a DB schema.
const OKSource = `
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }`

// OrdersSchema is the DB schema "orders" of OrdersConfig on its own; extra is HCL lines.
func OrdersSchema(extra string) string {
	return `
resource "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "p"
  identifier = "orders"
  name       = "Orders"
` + OKSource + `
` + extra + `
}
`
}

// OrdersInstance is a DB instance of OrdersSchema named name with identifier id; extra
// is HCL lines.
func OrdersInstance(name, id, extra string) string {
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

// The image config, and images to set in it.

// ImageConfigAddr is the address of ImageConfig's resource.
const ImageConfigAddr = "harness_dbops_image_config.this"

// ImageConfig renders the resource with the given attributes (HCL lines).
func ImageConfig(srv *mockserver.TestServer, lines ...string) string {
	return ProviderConfig(srv) + ImageConfigBody(lines...)
}

// ImageConfigBody is the resource block of ImageConfig.
func ImageConfigBody(lines ...string) string {
	return "resource \"harness_dbops_image_config\" \"this\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// HCL is an attribute line, name = "value".
func HCL(name, value string) string { return fmt.Sprintf("%s = %q", name, value) }

// Images of a private mirror, pinned by tag or digest.
const (
	MirrorLiquibase = "registry.example.com/mirror/drone-liquibase:1.18.0-4.33"
	MirrorGit       = "registry.example.com/mirror/drone-git:1.6.4-rootless"
	MirrorMongo     = "registry.example.com/mirror/drone-liquibase:1.18.0-4.33-mongo"
	PinnedDigest    = "registry.example.com/mirror/drone-liquibase@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// BulkMirror is the registry that a bulk image config rehosts every default under.
const BulkMirror = "registry.example.com/mirror"

// Mirrored is what an image config that rehosts every default under BulkMirror leaves
// in Harness: each default under the mirror.
func Mirrored(defaults map[string]string) map[string]string {
	out := map[string]string{}
	for f, img := range defaults {
		out[f] = BulkMirror + "/" + strings.TrimPrefix(img, "docker.io/")
	}
	return out
}

// The repository's examples.

// ExamplesDir is the repository's examples/, from a test's package directory.
const ExamplesDir = "../../examples"

// ReadExample reads a file of ExamplesDir.
func ReadExample(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ExamplesDir, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
