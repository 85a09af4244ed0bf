package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type ctxKey struct{}

// recordingServer records the context each ReadResource gets.
type recordingServer struct {
	tfprotov6.ProviderServer
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

// Through the wrapper the real framework server answers as it does without it.
func TestDetachedServerServesTheProvider(t *testing.T) {
	ctx := context.Background()
	s := detachedServer{providerserver.NewProtocol6(New("test")())()}
	schema, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.ResourceSchemas) != 3 || len(schema.DataSourceSchemas) != 6 {
		t.Fatalf("schema: %v resources, %v data sources, %v", len(schema.ResourceSchemas), len(schema.DataSourceSchemas), err)
	}
	resp, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "harness_dbops_nope"})
	if err != nil || len(resp.Diagnostics) == 0 {
		t.Fatalf("an unknown resource type must be a diagnostic: %+v %v", resp, err)
	}
}
