package acctest

import (
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestNeedsCLI(t *testing.T) {
	check := NeedsCLI("provider functions", "1.8.0", "1.7.0")
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
