package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	rdebug "runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type ctxKey struct{}

// recordingServer records the context each ReadResource gets.
type recordingServer struct {
	frameworkServer
	got chan context.Context
}

func (s recordingServer) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	s.got <- ctx
	<-ctx.Done() // the call lasts until the request is cancelled
	return &tfprotov6.ReadResourceResponse{}, nil
}

// The framework gets a context that holds none of the request's values (so the framework
// cannot keep them alive) but is cancelled with the request.
func TestDetachedServerKeepsOnlyCancellation(t *testing.T) {
	rec := recordingServer{got: make(chan context.Context, 1)}
	s := detachedServer{frameworkServer: rec, states: &stateTypes{}}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "request value"))
	done := make(chan error, 1)
	go func() {
		_, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{})
		done <- err
	}()
	inner := <-rec.got
	if inner.Value(ctxKey{}) != nil {
		t.Fatal("the framework's context carries the request's values")
	}
	if inner.Err() != nil {
		t.Fatal("the framework's context is cancelled before the request is")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the request did not cancel the framework's context")
	}
}

// Every RPC the framework's server implements, optional ones included (tf6server finds
// those by type assertion), is a method of the wrapper too: a wrapper that dropped one
// would hide it from Terraform. It fails when a framework upgrade adds an RPC set
// that frameworkServer does not embed.
func TestDetachedServerKeepsEveryRPC(t *testing.T) {
	framework := providerserver.NewProtocol6(New("test")())()
	wrapped := ProtocolServer("test", true)()
	if _, ok := wrapped.(detachedServer); !ok {
		t.Fatalf("ProtocolServer(detach) = %T, want detachedServer", wrapped)
	}
	ctxType := reflect.TypeFor[context.Context]()
	ft, wt := reflect.TypeOf(framework), reflect.TypeOf(wrapped)
	rpcs := 0
	for i := range ft.NumMethod() {
		m := ft.Method(i)
		if m.Type.NumIn() != 3 || m.Type.In(1) != ctxType || m.Type.NumOut() != 2 {
			continue // not an RPC: (receiver, ctx, request) (response, error)
		}
		rpcs++
		if _, ok := wt.MethodByName(m.Name); !ok {
			t.Errorf("the framework's server implements %s, the wrapper does not: Terraform would not see it", m.Name)
		}
	}
	if rpcs < 30 {
		t.Fatalf("found %d RPCs on %s; the reflection no longer finds them", rpcs, ft)
	}
	for _, iface := range []reflect.Type{
		reflect.TypeFor[tfprotov6.ListResourceServer](),
		reflect.TypeFor[tfprotov6.ActionServer](),
		reflect.TypeFor[tfprotov6.StateStoreServer](),
	} {
		if ft.Implements(iface) && !wt.Implements(iface) {
			t.Errorf("the wrapper hides %s", iface)
		}
	}
}

func TestCollectsLogs(t *testing.T) {
	for _, tt := range []struct {
		env  []string
		want bool
	}{
		{nil, false},
		{[]string{"HOME=/root", "TERRAFORM=1"}, false},
		{[]string{"TF_LOG=trace"}, true},
		{[]string{"PATH=/bin", "TF_LOG_PROVIDER=debug"}, true},
		{[]string{"TF_LOG_PATH=/tmp/tf.log"}, true},
	} {
		if got := collectsLogs(tt.env); got != tt.want {
			t.Errorf("collectsLogs(%q) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

// sampleJSON is a JSON value of typ with every attribute set, plus a key no schema has
// (a state written by another provider version).
func sampleJSON(typ tftypes.Type) any {
	switch t := typ.(type) {
	case tftypes.Map:
		return map[string]any{"k": sampleJSON(t.ElementType)}
	case tftypes.List:
		return []any{sampleJSON(t.ElementType)}
	case tftypes.Set:
		return []any{sampleJSON(t.ElementType)}
	case tftypes.Object:
		out := map[string]any{"from_an_older_version": "x"}
		for name, at := range t.AttributeTypes {
			out[name] = sampleJSON(at)
		}
		return out
	}
	switch {
	case typ.Is(tftypes.String):
		return "v"
	case typ.Is(tftypes.Bool):
		return true
	case typ.Is(tftypes.Number):
		return 7
	}
	return nil
}

// The passthrough answers UpgradeResourceState exactly as the framework does, for every
// resource, full and sparse states alike; requests it does not handle (another version,
// a flatmap state, JSON that does not fit the schema) reach the framework.
func TestUpgradeResourceStatePassthrough(t *testing.T) {
	ctx := context.Background()
	framework := providerserver.NewProtocol6(New("test")())()
	schemas, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.ResourceSchemas) < 3 {
		t.Fatalf("schemas: %v", err)
	}
	st := &stateTypes{}
	for name, schema := range schemas.ResourceSchemas {
		typ := schema.ValueType()
		full, _ := json.Marshal(sampleJSON(typ))
		for _, raw := range [][]byte{full, []byte(`{"id": "a/b"}`), []byte(`{}`)} {
			req := &tfprotov6.UpgradeResourceStateRequest{TypeName: name, Version: schema.Version, RawState: &tfprotov6.RawState{JSON: raw}}
			fast := st.passthrough(ctx, framework, req)
			want, err := framework.UpgradeResourceState(ctx, req)
			if fast == nil || err != nil || len(want.Diagnostics) > 0 {
				t.Fatalf("%s %s: passthrough %v; framework %v %v", name, raw, fast, err, want.Diagnostics)
			}
			got, err1 := fast.UpgradedState.Unmarshal(typ)
			exp, err2 := want.UpgradedState.Unmarshal(typ)
			if err1 != nil || err2 != nil || !got.Equal(exp) {
				t.Errorf("%s %s:\n passthrough %v (%v)\n framework   %v (%v)", name, raw, got, err1, exp, err2)
			}
		}
		for what, req := range map[string]*tfprotov6.UpgradeResourceStateRequest{
			"another version": {TypeName: name, Version: schema.Version + 1, RawState: &tfprotov6.RawState{JSON: full}},
			"flatmap":         {TypeName: name, Version: schema.Version, RawState: &tfprotov6.RawState{Flatmap: map[string]string{"id": "x"}}},
			"a wrong type":    {TypeName: name, Version: schema.Version, RawState: &tfprotov6.RawState{JSON: []byte(`{"id": {"not": "a string"}}`)}},
			"no state":        {TypeName: name, Version: schema.Version},
		} {
			if st.passthrough(ctx, framework, req) != nil {
				t.Errorf("%s, %s: the passthrough answered what the framework must", name, what)
			}
		}
	}
	if st.passthrough(ctx, framework, &tfprotov6.UpgradeResourceStateRequest{TypeName: "harness_nope", RawState: &tfprotov6.RawState{JSON: []byte(`{}`)}}) != nil {
		t.Error("the passthrough answered for an unknown resource type")
	}
}

// gcChildEnv marks the process TestGCDecision starts to report its collector's settings.
const gcChildEnv = "HARNESS_TEST_GC_CHILD"

// What the collector runs with once Serve has decided, in a process started with the
// user's environment, as Terraform starts the provider: the Go runtime reads GOGC and
// GOMEMLIMIT at start, and the provider leaves them be (its own setting was measured
// and removed: serve.go). The user's setting, whatever it is (off, the default's own
// value, a limit alone), is what the process keeps; with neither, Go's default.
func TestGCDecision(t *testing.T) {
	if os.Getenv(gcChildEnv) != "" {
		_, quiet := serveOptions(false, os.Environ())
		percent := rdebug.SetGCPercent(100) // returns the setting in force
		fmt.Printf("quiet=%v percent=%d limit=%d\n", quiet, percent, rdebug.SetMemoryLimit(-1))
		return
	}
	noLimit := int64(math.MaxInt64)
	for _, tt := range []struct {
		env     []string
		percent int
		limit   int64
	}{
		{nil, 100, noLimit},
		{[]string{"GOGC=off"}, -1, noLimit},
		{[]string{"GOGC=50"}, 50, noLimit},
		{[]string{"GOGC=100"}, 100, noLimit},
		{[]string{"GOMEMLIMIT=1GiB"}, 100, 1 << 30},
		{[]string{"GOGC=off", "GOMEMLIMIT=2GiB"}, -1, 2 << 30},
		{[]string{"TF_LOG=debug"}, 100, noLimit}, // Terraform collects logs: not quiet, nothing tuned
	} {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestGCDecision$", "-test.count=1")
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") && !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "CONTRACT_STATS_FILE=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(append(cmd.Env, gcChildEnv+"=1"), tt.env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.env, err, out)
		}
		want := fmt.Sprintf("percent=%d limit=%d", tt.percent, tt.limit)
		if !strings.Contains(string(out), want) {
			line, _, _ := strings.Cut(string(out), "\n")
			t.Errorf("environment %q: the provider runs its collector with %s, want %s", tt.env, line, want)
		}
	}
}
