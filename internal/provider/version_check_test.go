package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// needsCLI skips a plugin-testing test on a CLI older than the feature it uses, and
// says which feature and which versions have it: Terraform and OpenTofu number their
// releases apart (provider functions came in Terraform 1.8 and OpenTofu 1.7).
func needsCLI(feature, terraform, opentofu string) tfversion.TerraformVersionCheck {
	return cliFloor{feature, version.Must(version.NewVersion(terraform)), version.Must(version.NewVersion(opentofu))}
}

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

func TestNeedsCLI(t *testing.T) {
	check := needsCLI("provider functions", "1.8.0", "1.7.0")
	for _, tt := range []struct {
		host, cli, skip string
	}{
		{"", "1.7.5", "provider functions need Terraform 1.8.0 or OpenTofu 1.7.0 or later; this is Terraform 1.7.5"},
		{"", "1.8.0", ""},
		{"registry.opentofu.org", "1.7.0", ""},
		{"registry.opentofu.org", "1.6.2", "provider functions need Terraform 1.8.0 or OpenTofu 1.7.0 or later; this is OpenTofu 1.6.2"},
	} {
		t.Setenv("TF_ACC_PROVIDER_HOST", tt.host)
		t.Setenv("TF_ACC_TERRAFORM_PATH", "")
		var resp tfversion.CheckTerraformVersionResponse
		check.CheckTerraformVersion(t.Context(), tfversion.CheckTerraformVersionRequest{TerraformVersion: version.Must(version.NewVersion(tt.cli))}, &resp)
		if resp.Skip != tt.skip || resp.Error != nil {
			t.Errorf("%s %s: skip %q, error %v; want skip %q", tt.host, tt.cli, resp.Skip, resp.Error, tt.skip)
		}
	}
}
