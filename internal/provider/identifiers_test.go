package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

// runStringValidators runs vs on value and returns the error details, joined.
func runStringValidators(vs []validator.String, value types.String) string {
	var msgs []string
	for _, v := range vs {
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("identifier"), ConfigValue: value}, resp)
		for _, d := range resp.Diagnostics.Errors() {
			msgs = append(msgs, d.Summary()+": "+d.Detail())
		}
	}
	return strings.Join(msgs, "\n")
}
