package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// OfficialStandIn is a provider served at harness/harness in place of the official
// Harness provider, which cannot be installed offline and is a heavy build: Terraform
// and OpenTofu refuse to plan while the state names a provider that is not installed,
// as a state written by it does before a `moved` block takes its resources over. It
// serves the resource schemas of schemaFile (the official provider's `terraform
// providers schema -json`), accepts any provider configuration, reads each resource
// back as its state holds it, and does nothing else: it is never asked to, as the
// tests' configurations hold none of its resources.
func OfficialStandIn(t *testing.T, schemaFile string) func() tfprotov6.ProviderServer {
	t.Helper()
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ResourceSchemas map[string]jsonSchema `json:"resource_schemas"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	s := &officialStandIn{schemas: map[string]*tfprotov6.Schema{}}
	for name, js := range doc.ResourceSchemas {
		if s.schemas[name], err = js.protocol(); err != nil {
			t.Fatalf("%s: %s: %v", schemaFile, name, err)
		}
	}
	return func() tfprotov6.ProviderServer { return s }
}

// jsonSchema is a resource schema as `terraform providers schema -json` writes it.
type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes map[string]struct {
		Type                         json.RawMessage `json:"type"`
		Required, Optional, Computed bool
	} `json:"attributes"`
	BlockTypes map[string]struct {
		NestingMode string    `json:"nesting_mode"`
		Block       jsonBlock `json:"block"`
		MaxItems    int64     `json:"max_items"`
	} `json:"block_types"`
}

func (js jsonSchema) protocol() (*tfprotov6.Schema, error) {
	b, err := js.Block.protocol()
	return &tfprotov6.Schema{Version: js.Version, Block: b}, err
}

func (jb jsonBlock) protocol() (*tfprotov6.SchemaBlock, error) {
	b := &tfprotov6.SchemaBlock{}
	for name, a := range jb.Attributes {
		typ, err := tftypes.ParseJSONType(a.Type) //nolint:staticcheck // the schema JSON's own type syntax
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		b.Attributes = append(b.Attributes, &tfprotov6.SchemaAttribute{Name: name, Type: typ, Required: a.Required, Optional: a.Optional, Computed: a.Computed})
	}
	for name, bt := range jb.BlockTypes {
		nested, err := bt.Block.protocol()
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		mode := map[string]tfprotov6.SchemaNestedBlockNestingMode{"list": tfprotov6.SchemaNestedBlockNestingModeList,
			"set": tfprotov6.SchemaNestedBlockNestingModeSet, "single": tfprotov6.SchemaNestedBlockNestingModeSingle}[strings.ToLower(bt.NestingMode)]
		b.BlockTypes = append(b.BlockTypes, &tfprotov6.SchemaNestedBlock{TypeName: name, Nesting: mode, Block: nested, MaxItems: bt.MaxItems})
	}
	return b, nil
}

// officialStandIn is OfficialStandIn's server. The embedded interface is nil: a call
// the stand-in does not serve panics, which no test reaches.
type officialStandIn struct {
	tfprotov6.ProviderServer
	schemas map[string]*tfprotov6.Schema
}

func (s *officialStandIn) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp := &tfprotov6.GetMetadataResponse{}
	for name := range s.schemas {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (s *officialStandIn) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	// The provider block takes anything a configuration of the official provider sets.
	provider := &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}}
	for _, name := range []string{"endpoint", "account_id", "api_key", "platform_api_key"} {
		provider.Block.Attributes = append(provider.Block.Attributes, &tfprotov6.SchemaAttribute{Name: name, Type: tftypes.String, Optional: true})
	}
	return &tfprotov6.GetProviderSchemaResponse{Provider: provider, ResourceSchemas: s.schemas}, nil
}

func (s *officialStandIn) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}

func (s *officialStandIn) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *officialStandIn) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (s *officialStandIn) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (s *officialStandIn) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

// UpgradeResourceState returns the state as it is: every state of the stand-in has the
// schema's version.
func (s *officialStandIn) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	schema, ok := s.schemas[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("the stand-in has no resource type %s", req.TypeName)
	}
	typ := schema.ValueType()
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, err
}

// ReadResource finds each resource as its state holds it.
func (s *officialStandIn) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}
