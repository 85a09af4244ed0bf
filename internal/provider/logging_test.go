package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Every client event reaches tflog under the harness_api subsystem, at trace level
// too, and the API key never does, even when a body carries it.
func TestAPILoggerReachesTflogWithoutKey(t *testing.T) {
	srv := mockserver.NewTestServer(t)
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)

	c, err := client.New(client.Config{
		Endpoint: srv.URL, AccountID: srv.AccountID, APIKey: srv.APIKey, Logger: apiLogger(srv.APIKey),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDefaultConfig(ctx); err != nil {
		t.Fatal(err)
	}
	// A value that happens to contain the key reaches the trace-level body logs both
	// ways: it must come out masked.
	if err := c.UpdateConfig(ctx, []client.ConfigOperation{{Field: "gitCloneTag", Value: "harness/drone-git:" + srv.APIKey}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCustomerConfig(ctx, true); err != nil {
		t.Fatal(err)
	}

	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var sawRequest, sawTrace bool
	for _, e := range entries {
		if e["@module"] == "provider."+apiSubsystem && e["@message"] == "Harness API request" {
			sawRequest = true
		}
		if e["@level"] == "trace" {
			sawTrace = true
		}
	}
	if !sawRequest || !sawTrace {
		t.Fatalf("want debug request lines and trace body lines under %s, got:\n%s", apiSubsystem, out.String())
	}
	if strings.Contains(out.String(), srv.APIKey) {
		t.Fatalf("log leaks the API key:\n%s", out.String())
	}
}
