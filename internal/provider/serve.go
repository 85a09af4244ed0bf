package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	testing "github.com/mitchellh/go-testing-interface"
)

// Serve runs the provider as a Terraform plugin. environ is the process's environment
// (os.Environ), read to tell whether Terraform collects provider logs.
//
// Two workarounds for costs outside this provider apply when Terraform collects no
// provider log (no TF_LOG* variable), which is every plan and apply that is not being
// debugged; with logs, the plain framework server runs, so nothing is hidden from a
// debugging user:
//
//   - quiet logs: terraform-plugin-go (v0.31.0) and the framework log at trace level
//     by default, and Terraform reads and parses every line only to drop it: at 1000
//     resources, a third of a plan (BENCHMARKS.md). Serve gives tf6server a logging sink
//     (tf6server.WithLoggingSink), whose level follows TF_LOG, so with no TF_LOG every
//     logger is off. Remove when terraform-plugin-go stops logging by default when
//     Terraform does not collect logs.
//   - detachedServer, below.
func Serve(address, version string, debug bool, environ []string) error {
	var opts []tf6server.ServeOpt
	quiet := !debug && !collectsLogs(environ)
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if quiet {
		opts = append(opts, tf6server.WithLoggingSink(&testing.RuntimeT{}))
	}
	return tf6server.Serve(address, ProtocolServer(version, quiet), opts...)
}

// ProtocolServer returns the provider's protocol-6 server as Serve runs it: with
// detach, the framework's server behind detachedServer. The acceptance tests serve the
// provider through it too, so they run the production path.
func ProtocolServer(version string, detach bool) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		server := providerserver.NewProtocol6(New(version)())()
		if !detach {
			return server
		}
		full, ok := server.(frameworkServer)
		if !ok {
			panic("provider: the framework's server no longer implements every optional RPC set; update frameworkServer")
		}
		return detachedServer{full}
	}
}

// collectsLogs reports whether any TF_LOG* variable is set: only then does Terraform
// keep what a provider logs.
func collectsLogs(environ []string) bool {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return true
		}
	}
	return false
}

// frameworkServer is every RPC set the framework's server implements: the protocol's
// required ones and the optional ones (list resources, actions, state stores) that
// tf6server finds by type assertion. Embedding it lets detachedServer pass them all
// on; TestDetachedServerKeepsEveryRPC fails when the framework adds an RPC that it
// would hide.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// detachedServer hands the framework a fresh context for each resource and data-source
// RPC, cancelled when the request's is. terraform-plugin-framework v1.19.0
// (internal/proto6server/serve.go, registerContext) keeps a cancel function for every
// request's context until the process exits, and with it the request's whole context
// chain and its loggers, about 12 KB each: 180 MB of a plan of 1000 instances
// (BENCHMARKS.md). The fresh context carries no logger, which is why it runs only when
// Terraform collects no provider log. Remove it when the framework stops keeping
// request contexts (registerContext no longer appends to contextCancels for each
// request), which `make bench` shows as the same peak RSS with and without it.
type detachedServer struct {
	frameworkServer
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
	return detached(ctx, s.frameworkServer.ValidateResourceConfig, r)
}

func (s detachedServer) UpgradeResourceState(ctx context.Context, r *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return detached(ctx, s.frameworkServer.UpgradeResourceState, r)
}

func (s detachedServer) ReadResource(ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return detached(ctx, s.frameworkServer.ReadResource, r)
}

func (s detachedServer) PlanResourceChange(ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return detached(ctx, s.frameworkServer.PlanResourceChange, r)
}

func (s detachedServer) ApplyResourceChange(ctx context.Context, r *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return detached(ctx, s.frameworkServer.ApplyResourceChange, r)
}

func (s detachedServer) ImportResourceState(ctx context.Context, r *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return detached(ctx, s.frameworkServer.ImportResourceState, r)
}

func (s detachedServer) ValidateDataResourceConfig(ctx context.Context, r *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return detached(ctx, s.frameworkServer.ValidateDataResourceConfig, r)
}

func (s detachedServer) ReadDataSource(ctx context.Context, r *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return detached(ctx, s.frameworkServer.ReadDataSource, r)
}
