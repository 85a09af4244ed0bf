// Command floor is the floor of `make bench`: a provider written directly on
// terraform-plugin-go, with this provider's schemas, that does no provider work at all.
// It makes no API call; validation accepts everything; refresh returns the state it is
// given; a plan proposes exactly what Terraform proposed; an apply stores the plan. What
// Terraform and the plugin protocol cost with nothing behind them is what a plan or an
// apply of the floor costs, and ours / floor is what our provider adds.
//
// The schemas (GetProviderSchema, GetMetadata, once per process) are the real provider's,
// served by its own framework server, so Terraform sees the same resources and encodes
// the same values; every per-resource RPC is answered here.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/provider"
)

func main() {
	if err := tf6server.Serve("registry.terraform.io/dbdevops/harness", func() tfprotov6.ProviderServer {
		return &floor{ProviderServer: provider.ProtocolServer("floor", true)()}
	}); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

// floor answers every per-resource RPC itself; the embedded real server only serves
// schemas and what the benchmark never calls.
type floor struct {
	tfprotov6.ProviderServer

	once  sync.Once
	types map[string]tftypes.Type // resource type -> its state's type, for UpgradeResourceState
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

// UpgradeResourceState does the one thing Terraform needs of it: the stored JSON state as
// a value of the schema's type.
func (f *floor) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	f.once.Do(func() { f.types = f.stateTypes(ctx) })
	typ, ok := f.types[req.TypeName]
	if !ok || req.RawState == nil {
		return nil, fmt.Errorf("floor: no schema for %q", req.TypeName)
	}
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

func (f *floor) stateTypes(ctx context.Context) map[string]tftypes.Type {
	out := map[string]tftypes.Type{}
	if resp, err := f.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err == nil {
		for name, s := range resp.ResourceSchemas {
			out[name] = s.ValueType()
		}
	}
	return out
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
