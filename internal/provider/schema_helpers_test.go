package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestIdentifierValidators(t *testing.T) {
	long := "a" + strings.Repeat("b", 127)
	tests := []struct {
		name    string
		vs      []validator.String
		value   types.String
		wantErr string // substring; "" means valid
	}{
		{"simple", identifierValidators(), types.StringValue("my_schema"), ""},
		{"underscore first and dollar", identifierValidators(), types.StringValue("_a$1"), ""},
		{"128 chars", identifierValidators(), types.StringValue(long), ""},
		{"129 chars", identifierValidators(), types.StringValue(long + "c"), "at most 128 characters"},
		{"digit first", identifierValidators(), types.StringValue("1abc"), `must start with a letter or "_"`},
		{"dash", identifierValidators(), types.StringValue("my-schema"), "pattern ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$"},
		{"empty", identifierValidators(), types.StringValue(""), "pattern"},
		{"null is left to Required", identifierValidators(), types.StringNull(), ""},
		{"unknown is checked later", identifierValidators(), types.StringUnknown(), ""},
		{"overview is a valid instance identifier", identifierValidators(), types.StringValue("overview"), ""},
		{"overview is reserved for schemas", schemaIdentifierValidators(), types.StringValue("overview"), "reserved by the Harness API"},
		{"Overview is another path", schemaIdentifierValidators(), types.StringValue("Overview"), ""},
		{"schema pattern still applies", schemaIdentifierValidators(), types.StringValue("a b"), "pattern"},
		{"connector", connectorRefValidators(false), types.StringValue("my_jdbc"), ""},
		{"org connector", connectorRefValidators(false), types.StringValue("org.my_jdbc"), ""},
		{"account connector", connectorRefValidators(false), types.StringValue("account.my_jdbc"), ""},
		{"project prefix is not a scope", connectorRefValidators(false), types.StringValue("project.my_jdbc"), `prefixed with "org." or "account."`},
		{"empty connector", connectorRefValidators(false), types.StringValue(""), "must be a connector identifier"},
		{"empty connector means HCR", connectorRefValidators(true), types.StringValue(""), ""},
		{"HCR-capable still checks", connectorRefValidators(true), types.StringValue("account."), "or be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runStringValidators(tt.vs, tt.value)
			switch {
			case tt.wantErr == "" && got != "":
				t.Fatalf("want no error, got %s", got)
			case tt.wantErr != "" && !strings.Contains(got, tt.wantErr):
				t.Fatalf("want an error containing %q, got %q", tt.wantErr, got)
			}
		})
	}
}

// atMostOneOf says what resourcevalidator.Conflicting says, in the same cases: two or
// more of the attributes set (unknown and null do not count), at the first one set.
func TestAtMostOneOf(t *testing.T) {
	ctx := context.Background()
	var sresp resource.SchemaResponse
	newDBInstanceResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema's type is not an object")
	}
	ours := atMostOneOf{"branch", "commit_sha", "git_tag"}
	library := resourcevalidator.Conflicting(path.MatchRoot("branch"), path.MatchRoot("commit_sha"), path.MatchRoot("git_tag"))
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for name, set := range map[string]map[string]tftypes.Value{
		"none":            {},
		"one":             {"branch": str("main")},
		"two":             {"commit_sha": str("abc"), "git_tag": str("v1")},
		"three":           {"branch": str("main"), "commit_sha": str("abc"), "git_tag": str("v1")},
		"one and unknown": {"branch": str("main"), "git_tag": unknown},
		"empty strings":   {"branch": str(""), "git_tag": str("")},
	} {
		vals := map[string]tftypes.Value{}
		for attrName, t := range typ.AttributeTypes {
			vals[attrName] = tftypes.NewValue(t, nil)
			if v, ok := set[attrName]; ok {
				vals[attrName] = v
			}
		}
		req := resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}
		var got, want resource.ValidateConfigResponse
		ours.ValidateResource(ctx, req, &got)
		library.ValidateResource(ctx, req, &want)
		if !got.Diagnostics.Equal(want.Diagnostics) {
			t.Errorf("%s: %v, the library says %v", name, got.Diagnostics, want.Diagnostics)
		}
		if wantErr := len(set) >= 2 && name != "one and unknown"; got.Diagnostics.HasError() != wantErr {
			t.Errorf("%s: error %v, want %v", name, got.Diagnostics.HasError(), wantErr)
		}
	}
	if ours.Description(ctx) != library.Description(ctx) {
		t.Errorf("descriptions differ: %q, %q", ours.Description(ctx), library.Description(ctx))
	}
}
