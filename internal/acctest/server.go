package acctest

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// NewServer starts a fresh mock for one test, so tests stay isolated and parallel.
// Its PUT mode is $HARNESS_MOCK_PUT_MODE (as for the standalone mock; merge when unset):
// make test runs the update, clear and drift tests again under replace, because
// nothing public says which Harness does.
func NewServer(t *testing.T) *mockserver.TestServer {
	t.Helper()
	srv := mockserver.NewTestServerWith(t, mockserver.Options{PutMode: os.Getenv(putModeEnv)})
	t.Cleanup(func() { checkReplacePass(t, srv) })
	return srv
}

// Nothing public says whether Harness merges a PUT (a key left out keeps its value) or
// replaces the entity (it clears it), so make test runs the tests that send PUTs twice:
// under the mock's default, merge, and again under replace (DESIGN.md).
const (
	// putModeEnv is the PUT mode of NewServer's mocks, as for the standalone mock.
	putModeEnv = "HARNESS_MOCK_PUT_MODE"
	// replacePassEnv holds the -run pattern of make test's replace pass (the
	// GNUmakefile's PUT_REPLACE_TESTS), so that the first pass can check it.
	replacePassEnv = "HARNESS_TEST_REPLACE_PASS"
)

// checkReplacePass fails a test whose mock saw a PUT when make test's replace pass
// would not run it: a new update test is then run under both PUT modes, or make test
// says where to add it.
func checkReplacePass(t *testing.T, srv *mockserver.TestServer) {
	pattern, ok := os.LookupEnv(replacePassEnv)
	if !ok || os.Getenv(putModeEnv) == mockserver.PutReplace {
		return
	}
	puts := srv.RouteCount(mockserver.RouteUpdateSchema) + srv.RouteCount(mockserver.RouteUpdateInstance)
	top, _, _ := strings.Cut(t.Name(), "/")
	if puts > 0 && !regexp.MustCompile(pattern).MatchString(top) {
		t.Errorf("%s sends PUTs (%d), but make test's replace pass does not run it: add it to PUT_REPLACE_TESTS in the GNUmakefile", top, puts)
	}
}

// ProviderFactories serves the provider under test (server, which the provider's own
// tests pass, as acctest knows nothing of the provider) to plugin-testing, in the test
// process, so the race detector and coverage see it. server is called for each
// factory call.
func ProviderFactories(server func() tfprotov6.ProviderServer) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"harness": func() (tfprotov6.ProviderServer, error) { return server(), nil },
	}
}

// ProviderAddress is where a configuration without required_providers finds
// "harness": hashicorp/harness on the default registry, which plugin-testing takes from
// TF_ACC_PROVIDER_HOST (registry.opentofu.org under OpenTofu).
func ProviderAddress() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	return host + "/hashicorp/harness"
}
