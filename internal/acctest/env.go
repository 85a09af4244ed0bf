package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// PrepareEnv makes a test binary's acceptance tests hermetic; call it from TestMain: no
// checkpoint calls, a CLI config this repo owns, and a clear message when terraform is
// missing (plugin-testing would otherwise try to download it and fail without saying
// why). The CLI config is found from the package directory of the tests, two levels
// below the repository (internal/<package>).
func PrepareEnv() {
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
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// NeedsCLI skips a plugin-testing test on a CLI older than the feature it uses, and
// says which feature and which versions have it: Terraform and OpenTofu number their
// releases apart (provider functions came in Terraform 1.8 and OpenTofu 1.7).
func NeedsCLI(feature, terraform, opentofu string) tfversion.TerraformVersionCheck {
	return cliFloor{feature, version.Must(version.NewVersion(terraform)), version.Must(version.NewVersion(opentofu))}
}

// cliFloor is NeedsCLI's check.
type cliFloor struct {
	feature             string
	terraform, opentofu *version.Version
}

func (f cliFloor) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli, floor := "Terraform", f.terraform
	if underOpenTofu() {
		cli, floor = "OpenTofu", f.opentofu
	}
	if req.TerraformVersion != nil && req.TerraformVersion.LessThan(floor) {
		resp.Skip = fmt.Sprintf("%s need Terraform %s or OpenTofu %s or later; this is %s %s",
			f.feature, f.terraform, f.opentofu, cli, req.TerraformVersion)
	}
}

// underOpenTofu tells whether the acceptance tests run OpenTofu (make test-tofu).
func underOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" ||
		strings.HasPrefix(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}
