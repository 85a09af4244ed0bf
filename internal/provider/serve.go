package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve runs the provider as a Terraform plugin: providerserver.Serve, except that with
// detach the resource and data-source RPCs go through detachedServer.
func Serve(address, version string, debug, detach bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve(address, func() tfprotov6.ProviderServer {
		server := providerserver.NewProtocol6(New(version)())()
		if detach {
			return detachedServer{server}
		}
		return server
	}, opts...)
}

// detachedServer hands the framework a fresh context for each resource and data-source
// RPC, cancelled when the request's is. terraform-plugin-framework v1.19.0
// (proto6server.registerContext) keeps a cancel function for every request's context
// until the process exits, and with it the request's whole context chain and its
// loggers, about 12 KB each: 180 MB of a plan of 1000 instances (BENCHMARKS.md). The
// fresh context carries no logger, so Serve uses it only when Terraform collects no
// provider log. The optional RPC sets (list resources, actions, state stores) are hidden
// by the wrapper; this provider implements none of them.
type detachedServer struct {
	tfprotov6.ProviderServer
}

// detached calls f with a context that keeps nothing of ctx but its cancellation.
func detached[Req, Resp any](ctx context.Context, f func(context.Context, Req) (Resp, error), req Req) (Resp, error) {
	fresh, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, cancel)
	defer func() {
		stop()
		cancel()
	}()
	return f(fresh, req)
}

func (s detachedServer) ValidateResourceConfig(ctx context.Context, r *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return detached(ctx, s.ProviderServer.ValidateResourceConfig, r)
}

func (s detachedServer) UpgradeResourceState(ctx context.Context, r *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return detached(ctx, s.ProviderServer.UpgradeResourceState, r)
}

func (s detachedServer) ReadResource(ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return detached(ctx, s.ProviderServer.ReadResource, r)
}

func (s detachedServer) PlanResourceChange(ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return detached(ctx, s.ProviderServer.PlanResourceChange, r)
}

func (s detachedServer) ApplyResourceChange(ctx context.Context, r *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return detached(ctx, s.ProviderServer.ApplyResourceChange, r)
}

func (s detachedServer) ImportResourceState(ctx context.Context, r *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return detached(ctx, s.ProviderServer.ImportResourceState, r)
}

func (s detachedServer) ValidateDataResourceConfig(ctx context.Context, r *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return detached(ctx, s.ProviderServer.ValidateDataResourceConfig, r)
}

func (s detachedServer) ReadDataSource(ctx context.Context, r *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return detached(ctx, s.ProviderServer.ReadDataSource, r)
}
