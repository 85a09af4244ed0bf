// Command floor is the floor of `make bench`: a provider written directly on
// terraform-plugin-go, with this provider's schemas, that does no provider work at all.
// It makes no API call; validation accepts everything; refresh returns the state it is
// given; a plan proposes exactly what Terraform proposed; an apply stores the plan. What
// Terraform and the plugin protocol cost with nothing behind them is what a plan or an
// apply of the floor costs, and ours / floor is what our provider adds.
//
// It is served as this provider is (provider.ServeProtocol, the function Serve calls):
// when Terraform collects no provider log, no trace logging (terraform-plugin-go logs
// every RPC at trace level by default, and Terraform parses each line to drop it) and
// the same garbage collector settings. A floor without them would pay costs this
// provider does not, and flatter ours / floor.
//
// The schemas (GetProviderSchema, GetMetadata, once per process) are the real provider's,
// served by its own framework server, so Terraform sees the same resources and encodes
// the same values; the other per-resource RPCs are answered here.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/dbdevops/terraform-provider-harness/internal/provider"
)

func main() {
	if err := provider.ServeProtocol("registry.terraform.io/dbdevops/harness", false, os.Environ(), func(quiet bool) tfprotov6.ProviderServer {
		return &floor{ProviderServer: provider.ProtocolServer("floor", quiet)()}
	}); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// floor answers the per-resource RPCs itself. The embedded real server serves schemas,
// what the benchmark never calls, and UpgradeResourceState: in the quiet mode the bench
// runs it in, that is the provider's passthrough (internal/provider, stateTypes), which does no more
// than Terraform requires of any provider: decode the stored JSON with the schema's type.
type floor struct {
	tfprotov6.ProviderServer
}

func (f *floor) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (f *floor) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (f *floor) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

func (f *floor) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

func (f *floor) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (f *floor) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
}

func (f *floor) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{NewState: req.PlannedState, Private: req.PlannedPrivate}, nil
}
