package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// officialStandIn stands for the official Harness provider (harness/harness), which
// cannot be installed offline: a provider of the same type name, "harness", with none
// of this provider's resources, data sources and functions, as the official one has none.
type officialStandIn struct{}

func (officialStandIn) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "harness"
}
func (officialStandIn) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {
}
func (officialStandIn) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}
func (officialStandIn) Resources(context.Context) []func() resource.Resource       { return nil }
func (officialStandIn) DataSources(context.Context) []func() datasource.DataSource { return nil }

// The index page's example of this provider next to the official one, run as written
// with both in required_providers (the official one a stand-in): under its own local
// name, this provider's data source, resource and rehost_image work, and the images
// land in the mock. The same configuration calling provider::harness::rehost_image, as
// a configuration with this provider alone does, fails: the official provider has no
// such function.
func TestAccProviderNextToOfficial(t *testing.T) { // not parallel: the provider, served here, reads its settings from this process's environment
	srv := acctest.NewServer(t)
	t.Setenv(envEndpoint, srv.URL+"/gateway")
	t.Setenv(envAccountID, srv.AccountID)
	t.Setenv(envAPIKey, srv.APIKey)
	host := strings.TrimSuffix(acctest.ProviderAddress(), "/hashicorp/harness")
	c := acctest.NewTFCLIServing(t, map[string]func() tfprotov6.ProviderServer{
		host + "/dbdevops/harness": ProtocolServer("test", true),
		host + "/harness/harness":  providerserver.NewProtocol6(officialStandIn{}),
	})
	example := acctest.ReadExample(t, "provider/provider-with-official.tf")

	c.Write(map[string]string{"main.tf": example})
	c.MustRun("init", "-input=false")
	c.MustRun("apply", "-auto-approve")
	want := map[string]string{}
	for f, img := range mockserver.DefaultImages() {
		want[f] = "registry.example.com/harness-mirror/" + img
	}
	if err := acctest.SameMap("overrides", srv.Overrides(), want); err != nil {
		t.Fatal(err)
	}

	wrong := strings.ReplaceAll(example, "provider::harnessdbops::", "provider::harness::")
	if wrong == example {
		t.Fatal("the example calls no function by this provider's local name")
	}
	c.Write(map[string]string{"main.tf": wrong})
	out := acctest.Flat(c.MustFail("plan"))
	t.Logf("the plan with provider::harness::rehost_image: %s", out)
	if !strings.Contains(out, "provider::harness::rehost_image") ||
		!strings.Contains(out, "Unknown provider function") && !strings.Contains(out, "Function not found in provider") { // Terraform, OpenTofu
		t.Fatalf("calling the function by the official provider's local name: %s", out)
	}
}
