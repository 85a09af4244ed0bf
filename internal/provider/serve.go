package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	testing "github.com/mitchellh/go-testing-interface"

	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
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
//   - detachedServer, below, and its UpgradeResourceState passthrough (stateTypes)
//     and unchanged-plan passthrough (tfkit.UnchangedPlans).
//
// The garbage collector is Go's default, as the user's GOGC and GOMEMLIMIT set it. A
// lazier one (GOGC=400 within a 40 MiB soft limit) saved 7% to 16% of the provider's CPU
// in a plan or refresh of 5000 instances, but cost 4.9x the CPU of a list of 5000,
// whose live heap passes any small limit (make bench BENCH_FLAGS=-gc, BENCHMARKS.md),
// and was removed.
func Serve(address, version string, debug bool, environ []string) error {
	return ServeProtocol(address, debug, environ, func(quiet bool) tfprotov6.ProviderServer { return ProtocolServer(version, quiet)() })
}

// ServeProtocol serves the protocol-6 server that newServer returns (told whether the
// provider is quiet) as Serve serves this provider: quiet logs when Terraform collects
// no provider log. scripts/bench/floor serves through it, so that
// the floor of make bench pays for serving what this provider pays, and ours / floor is
// the provider's own work.
func ServeProtocol(address string, debug bool, environ []string, newServer func(quiet bool) tfprotov6.ProviderServer) error {
	opts, quiet := serveOptions(debug, environ)
	return tf6server.Serve(address, func() tfprotov6.ProviderServer { return newServer(quiet) }, opts...)
}

// serveOptions decides how the plugin is served: quiet when it is not debugged and
// Terraform collects no provider log; then tf6server gets a logging sink.
func serveOptions(debug bool, environ []string) (opts []tf6server.ServeOpt, quiet bool) {
	quiet = !debug && !collectsLogs(environ)
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if quiet {
		opts = append(opts, tf6server.WithLoggingSink(&testing.RuntimeT{}))
	}
	return opts, quiet
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
		return detachedServer{frameworkServer: full, states: &stateTypes{}, plans: &unchangedPlans{version: version}}
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
	states *stateTypes
	plans  *unchangedPlans
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
	if resp := s.states.passthrough(ctx, s.frameworkServer, r); resp != nil {
		return resp, nil
	}
	return detached(ctx, s.frameworkServer.UpgradeResourceState, r)
}

func (s detachedServer) ReadResource(ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return detached(ctx, s.frameworkServer.ReadResource, r)
}

func (s detachedServer) PlanResourceChange(ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if resp := s.plans.get(ctx).Plan(r); resp != nil {
		return resp, nil
	}
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

// stateTypes answers UpgradeResourceState for a state stored at its schema's own version,
// which is every call Terraform makes to this provider (no resource has upgraded its
// schema version yet): it does what the framework does then (fwserver, "passthrough":
// decode the JSON with the schema's type, ignoring unknown keys) without the framework's
// per-request setup (resolving the resource, building its schema, converting to and from
// tfsdk.State), a sixth of a refresh's provider CPU (BENCHMARKS.md). Any other request
// (another version, a flatmap state, JSON that does not decode) goes to the framework,
// which also reports the errors. TestUpgradeResourceStatePassthrough holds the two
// answers equal. Remove when the framework's passthrough costs no more than this.
type stateTypes struct {
	once  sync.Once
	types map[string]versionedType // resource type -> its schema's version and value type
}

type versionedType struct {
	version int64
	typ     tftypes.Type
}

// passthrough returns the upgraded state, or nil when the framework must answer.
func (st *stateTypes) passthrough(ctx context.Context, server tfprotov6.ProviderServer, r *tfprotov6.UpgradeResourceStateRequest) *tfprotov6.UpgradeResourceStateResponse {
	st.once.Do(func() {
		st.types = map[string]versionedType{}
		if resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err == nil {
			for name, schema := range resp.ResourceSchemas {
				st.types[name] = versionedType{schema.Version, schema.ValueType()}
			}
		}
	})
	t, ok := st.types[r.TypeName]
	if !ok || r.Version != t.version || r.RawState == nil || r.RawState.JSON == nil {
		return nil
	}
	v, err := r.RawState.UnmarshalWithOpts(t.typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil
	}
	dv, err := tfprotov6.NewDynamicValue(t.typ, v)
	if err != nil {
		return nil
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}
}

// unchangedPlans builds, on the first plan of the process, the tfkit.UnchangedPlans of
// this provider's resources marked tfkit.UnchangedPlanIsState.
type unchangedPlans struct {
	version string
	once    sync.Once
	plans   *tfkit.UnchangedPlans
}

func (u *unchangedPlans) get(ctx context.Context) *tfkit.UnchangedPlans {
	if u == nil {
		return nil // a detachedServer built without it plans through the framework
	}
	u.once.Do(func() {
		p := New(u.version)()
		var meta provider.MetadataResponse
		p.Metadata(ctx, provider.MetadataRequest{}, &meta)
		u.plans = tfkit.NewUnchangedPlans(ctx, meta.TypeName, p.Resources(ctx))
	})
	return u.plans
}
