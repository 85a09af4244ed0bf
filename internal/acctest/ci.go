package acctest

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Harness CI's execution config: harness_ci_image_config, its images, and what the mock
// holds of each infra's config.

// CIImageConfigAddr is the address of CIImageConfig's resource.
const CIImageConfigAddr = "harness_ci_image_config.this"

// CIImageConfig renders the resource with the given attributes (HCL lines).
func CIImageConfig(srv *mockserver.TestServer, lines ...string) string {
	return ProviderConfig(srv) + CIImageConfigBody(lines...)
}

// CIImageConfigBody is the resource block of CIImageConfig.
func CIImageConfigBody(lines ...string) string {
	return "resource \"harness_ci_image_config\" \"this\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// CIImages is an images map of HCL lines: field, image, field, image...
func CIImages(kv ...string) string {
	lines := []string{"images = {"}
	for i := 0; i+1 < len(kv); i += 2 {
		lines = append(lines, fmt.Sprintf("    %s = %q", kv[i], kv[i+1]))
	}
	return strings.Join(append(lines, "  }"), "\n")
}

// CI images of a private mirror, pinned.
const (
	MirrorLiteEngine         = "registry.example.com/mirror/harness/ci-lite-engine:1.16.92"
	MirrorAddon              = "registry.example.com/mirror/harness/ci-addon:1.16.92"
	MirrorLiteEngineRootless = "registry.example.com/mirror/harness/ci-lite-engine:rootless-1.16.92"
	MirrorCIGit              = "registry.example.com/mirror/harness/drone-git:1.6.9-rootless"
)

// CIOverridesAre asserts that the mock holds exactly these CI overrides on infra.
func CIOverridesAre(srv *mockserver.TestServer, infra string, want map[string]string) resource.TestCheckFunc {
	return OverridesAre(func() map[string]string { return srv.CIOverrides(infra) }, want)
}

// CICallsAre asserts that every request to a CI route since the last ResetRequests
// named the mock's account and infra in its query, and that there was at least one.
func CICallsAre(srv *mockserver.TestServer, infra string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range srv.Requests() {
			if !strings.Contains(r.Route, "/ci/") {
				continue
			}
			n++
			q, err := url.ParseQuery(r.Query)
			if err != nil || q.Get("accountIdentifier") != srv.AccountID || q.Get("infra") != infra {
				return fmt.Errorf("%s?%s: want accountIdentifier=%s and infra=%s", r.Route, r.Query, srv.AccountID, infra)
			}
		}
		if n == 0 {
			return fmt.Errorf("no request to a CI route")
		}
		return nil
	}
}
