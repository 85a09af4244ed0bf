package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// permissionText is what every diagnostic of a 403 from the execution config says.
var permissionText = []string{
	"The API key may not use the account's DB DevOps execution config",
	"needs a role bound at the account scope",
	"DB schemas and instances do not need it",
}

// A key that Harness knows but that may not use the execution config (a project's key:
// 403 there) plans and applies a configuration of schemas and instances with no error
// and no warning. Where a configuration manages or reads the execution config, each of
// those resources and data sources fails with the missing permission, and nothing else
// does: the schema and instance are refreshed as usual. A key Harness does not know
// (401) still fails every plan at the credentials check.
func TestAccAuth_projectKey(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	schemas := acctest.OrdersConfig(srv, "", "harness_dbops_db_schema.orders.identifier", "")
	imageConfig := `
resource "harness_dbops_image_config" "this" {
  git_clone_tag = "` + acctest.MirrorGit + `"
}
`

	// A schema-only configuration with a project's key.
	srv.SetKeyScope(mockserver.KeyScopeProject)
	c.Write(map[string]string{"main.tf": schemas})
	out := c.MustRun("plan")
	if !strings.Contains(out, "Plan: 2 to add, 0 to change, 0 to destroy.") || strings.Contains(out, "Warning") {
		t.Errorf("the plan of a schema-only configuration with a project's key:\n%s", out)
	}
	c.MustRun("apply", "-auto-approve")
	if _, ok := srv.Instance("default", "p", "orders", "dev"); !ok {
		t.Fatal("the apply did not create the instance")
	}

	// The image config, applied while the key could use the execution config...
	srv.SetKeyScope(mockserver.KeyScopeAccount)
	c.Write(map[string]string{"main.tf": schemas + imageConfig})
	c.MustRun("apply", "-auto-approve")
	// ...then planned with a project's key, next to a new image config and both data sources.
	srv.SetKeyScope(mockserver.KeyScopeProject)
	c.Write(map[string]string{"main.tf": schemas + imageConfig + `
resource "harness_dbops_image_config" "more" {
  mongo_tag = "registry.example.com/mirror/drone-liquibase:1.18.0-4.33-mongo"
}

data "harness_dbops_default_images" "d" {}

data "harness_dbops_image_config" "c" {}
`})
	srv.ResetRequests()
	diags := c.PlanDiagnostics()
	var failed []string
	for _, d := range diags {
		if d.Severity != "error" {
			t.Errorf("a %s: %s: %s", d.Severity, d.Summary, d.Detail)
			continue
		}
		failed = append(failed, d.Address)
		detail := acctest.Flat(d.Detail)
		for _, want := range permissionText {
			if !strings.Contains(detail, want) {
				t.Errorf("the error at %s lacks %q: %s: %s", d.Address, want, d.Summary, detail)
			}
		}
	}
	slices.Sort(failed)
	if want := []string{"data.harness_dbops_default_images.d", "data.harness_dbops_image_config.c", "harness_dbops_image_config.more", "harness_dbops_image_config.this"}; !slices.Equal(failed, want) {
		t.Errorf("errors at %v, want one at each of %v", failed, want)
	}
	counts := srv.RouteCounts()
	if counts[mockserver.RouteGetSchema] != 1 || counts[mockserver.RouteGetInstance] != 1 {
		t.Errorf("the schema and the instance were not refreshed: %v", counts)
	}
	if n := counts[mockserver.RouteGetDefaultConfig]; n != 1 {
		t.Errorf("%d reads of the defaults, want the credentials check's alone", n)
	}

	// A key Harness does not know fails the plan of schemas alone at the check.
	srv.SetKeyScope(mockserver.KeyScopeAccount)
	c.Write(map[string]string{"main.tf": strings.Replace(schemas, srv.APIKey, "pat."+srv.AccountID+".unknown.key", 1)})
	out = acctest.Flat(c.MustFail("plan"))
	for _, want := range []string{"Error: Cannot use Harness with these settings", "401 Unauthorized", "Check api_key, or the HARNESS_PLATFORM_API_KEY environment variable."} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan with an unknown key lacks %q:\n%s", want, out)
		}
	}
}

// A key read from a secret file keeps the file's newline (file() and $(cat) keep it):
// the provider drops it, so the plan reaches Harness with the key itself.
func TestAccAuth_keyFromAFile(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{
		"key.txt": srv.APIKey + "\n",
		"main.tf": strings.Replace(acctest.CLIProvider(srv), fmt.Sprintf("api_key    = %q", srv.APIKey), `api_key = file("key.txt")`, 1) + `
data "harness_dbops_default_images" "d" {}
`,
	})
	if out := c.MustRun("plan"); !strings.Contains(out, "No changes.") {
		t.Errorf("the plan with the key from a file:\n%s", out)
	}
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 1 {
		t.Errorf("%d reads of the defaults, want 1", n)
	}
}

// The environment variables get the same treatment as the settings: a line end around
// the key or the account ID is dropped.
func TestConfigureTrimsTheEnvironment(t *testing.T) {
	t.Setenv(envSkipCheck, "")
	srv := acctest.NewServer(t)
	t.Setenv(envAPIKey, srv.APIKey+"\r\n")
	t.Setenv(envAccountID, srv.AccountID+"\n")
	if resp := configure(t, map[string]tftypes.Value{"endpoint": str(srv.URL + "/gateway")}); resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 1 {
		t.Errorf("%d calls, want the check", n)
	}
}

// A 403 at the credentials check configures the provider, with no diagnostic, and the
// defaults cache keeps it, so that the defaults' users report the missing permission
// with no second call. A later Configure that takes the check from the process's cache
// does not seed it: that run reads the defaults itself, and gets what Harness answers
// now.
func TestConfigureProjectKey(t *testing.T) {
	t.Setenv(envSkipCheck, "")
	srv := acctest.NewServer(t)
	srv.SetKeyScope(mockserver.KeyScopeProject)
	settings := map[string]tftypes.Value{"endpoint": str(srv.URL + "/gateway"), "account_id": str(srv.AccountID), "api_key": str(srv.APIKey)}
	p := New("test")()
	defaults := func() (client.ExecutionConfig, error) {
		t.Helper()
		resp := configureProvider(t, p, settings)
		if len(resp.Diagnostics) != 0 {
			t.Fatalf("Configure with a project's key: %v", resp.Diagnostics)
		}
		data, ok := resp.ResourceData.(*providerData)
		if !ok {
			t.Fatalf("ResourceData = %T", resp.ResourceData)
		}
		return data.defaults.get(context.Background())
	}
	if _, err := defaults(); !client.IsExecutionConfigDenied(err) {
		t.Errorf("the defaults after a 403 at the check: %v", err)
	}
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 1 {
		t.Errorf("%d calls, want the check alone", n)
	}
	srv.SetKeyScope(mockserver.KeyScopeAccount)
	if images, err := defaults(); err != nil || images["gitCloneTag"] == "" {
		t.Errorf("the defaults of a later run: %v, %v", images, err)
	}
	if n := srv.RouteCount(mockserver.RouteGetDefaultConfig); n != 2 {
		t.Errorf("%d calls, want the check and the later run's read", n)
	}
}
