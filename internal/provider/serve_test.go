package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
	s := detachedServer{rec}
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
