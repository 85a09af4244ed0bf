package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

// The provider as the acceptance tests serve it, for acctest, which knows nothing of
// this package. Every shared test helper that does not need the provider is acctest's.

// TestMain makes the tests hermetic (acctest.PrepareEnv) and counts the exchanges the
// mocks checked against the contract.
func TestMain(m *testing.M) {
	acctest.PrepareEnv()
	os.Exit(contract.RunWithStats(m))
}

// testServer is the provider served as Serve does in production (ProtocolServer): behind
// detachedServer unless the test collects logs when the server starts.
func testServer() tfprotov6.ProviderServer {
	return ProtocolServer("test", !collectsLogs(os.Environ()))()
}

// testAccProtoV6ProviderFactories runs the provider in the test process, so the race
// detector and coverage see it.
var testAccProtoV6ProviderFactories = acctest.ProviderFactories(testServer)

// newTFCLI serves the provider and returns a runner in a fresh working directory. The
// provider's own log (tflog) follows TF_LOG and TF_LOG_PATH as they are when newTFCLI
// is called.
func newTFCLI(t *testing.T) *acctest.TFCLI {
	t.Helper()
	return acctest.NewTFCLI(t, ProtocolServer("test", !collectsLogs(os.Environ())))
}

// fleetConfig is the configuration directory of the fleet (acctest.Fleet).
var fleetConfig = config.StaticDirectory("testdata/fleet")
