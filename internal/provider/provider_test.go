package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// testAccProtoV6ProviderFactories runs the provider in the test process, so the race
// detector and coverage see it.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"harness": providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain makes acceptance tests hermetic: no checkpoint calls, a CLI config this repo
// owns, and a clear message when terraform is missing (plugin-testing would otherwise
// try to download it and fail without saying why).
func TestMain(m *testing.M) {
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f == "" || !fileExists(f) {
		if abs, err := filepath.Abs("../../.ci/terraformrc"); err == nil {
			_ = os.Setenv("TF_CLI_CONFIG_FILE", abs)
		}
	}
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests need terraform on PATH (TF_ACC is set): install Terraform >= 1.5 and retry")
			os.Exit(1)
		}
		_ = os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	code := m.Run()
	if err := contract.AppendStats(); err != nil {
		fmt.Fprintln(os.Stderr, "contract stats:", err)
	}
	os.Exit(code)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// newAccTestServer starts a fresh mock for one test, so tests stay isolated and parallel.
func newAccTestServer(t *testing.T) *mockserver.TestServer {
	t.Helper()
	return mockserver.NewTestServer(t)
}

// providerConfig points the provider at srv through the /gateway prefix, as a real
// configuration points at app.harness.io/gateway.
func providerConfig(srv *mockserver.TestServer) string {
	return fmt.Sprintf(`
provider "harness" {
  endpoint    = %q
  account_id  = %q
  api_key     = %q
  max_retries = 2
}
`, srv.URL+"/gateway", srv.AccountID, srv.APIKey)
}
