package provider

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Nothing public says whether Harness merges a PUT (a key left out keeps its value) or
// replaces the entity (it clears it), so make test runs the tests that send PUTs twice:
// under the mock's default, merge, and again under replace (DESIGN.md).
const (
	// putModeEnv is the PUT mode of newAccTestServer's mocks, as for the standalone mock.
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
