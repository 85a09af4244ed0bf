package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// harnessIdentifierPattern is the API's pattern for every Harness identifier: orgs,
// projects, DB schemas, DB instances and connectors (DBSchemaIn.identifier).
const harnessIdentifierPattern = `^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$`

var (
	harnessIdentifierRE = regexp.MustCompile(harnessIdentifierPattern)
	// connectorRefRE is a connector reference: an identifier, optionally scoped with
	// "org." or "account." as Harness writes references to connectors of a wider scope.
	connectorRefRE = regexp.MustCompile(`^((org|account)\.)?[a-zA-Z_][0-9a-zA-Z_$]{0,127}$`)
	// connectorRefOrEmptyRE also accepts "", which the schema source reads as Harness
	// Code Repository.
	connectorRefOrEmptyRE = regexp.MustCompile(`^(((org|account)\.)?[a-zA-Z_][0-9a-zA-Z_$]{0,127})?$`)
)

const identifierRule = "must start with a letter or \"_\", contain only letters, digits, \"_\" and \"$\", " +
	"and be at most 128 characters long (pattern " + harnessIdentifierPattern + ")"

// identifierRuleMarkdown is identifierRule for schema descriptions.
const identifierRuleMarkdown = "must start with a letter or `_`, contain only letters, digits, `_` and `$`, " +
	"and be at most 128 characters long (pattern `" + harnessIdentifierPattern + "`)"

// reservedSchemaIdentifiers collide with literal API paths under .../dbschema/.
var reservedSchemaIdentifiers = []string{"overview"}

// identifierValidators check a Harness identifier (org, project, DB instance).
func identifierValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(harnessIdentifierRE, identifierRule)}
}

// schemaIdentifierValidators check a DB schema identifier: a Harness identifier that is
// not reserved by the API.
func schemaIdentifierValidators() []validator.String {
	return append(identifierValidators(), reservedValues{
		values: reservedSchemaIdentifiers,
		reason: "it is reserved by the Harness API (GET .../dbschema/overview is the project dashboard)",
	})
}

const connectorRefRule = "must be a connector identifier, optionally prefixed with \"org.\" or \"account.\" " +
	"for a connector of the organization or the account (for example my_connector or account.my_connector); " +
	"the identifier " + identifierRule

// connectorRefValidators check a connector reference such as my_conn, org.my_conn or
// account.my_conn; allowEmpty also accepts "".
func connectorRefValidators(allowEmpty bool) []validator.String {
	if allowEmpty {
		return []validator.String{stringvalidator.RegexMatches(connectorRefOrEmptyRE, connectorRefRule+", or be empty")}
	}
	return []validator.String{stringvalidator.RegexMatches(connectorRefRE, connectorRefRule)}
}

// reservedValues rejects values the API reserves, saying why.
type reservedValues struct {
	values []string
	reason string
}

var _ validator.String = reservedValues{}

func (v reservedValues) Description(context.Context) string {
	return fmt.Sprintf("value must not be %s: %s", quoteJoin(v.values), v.reason)
}

func (v reservedValues) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v reservedValues) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); slices.Contains(v.values, s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved identifier",
			fmt.Sprintf("%q cannot be used as %s: %s. Choose another identifier.", s, req.Path, v.reason))
	}
}

func quoteJoin(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " or ")
}

// replaceNote ends the description of an attribute whose change replaces the resource.
const replaceNote = " Changing this forces a new resource."

// withScopeAttributes adds the attributes that place an entity in a Harness project
// (id, org_id, project_id) to attrs.
func withScopeAttributes(idDescription string, attrs map[string]schema.Attribute) map[string]schema.Attribute {
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: idDescription,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	for name, what := range map[string]string{"org_id": "organization (path `{org}`)", "project_id": "project (path `{project}`)"} {
		attrs[name] = schema.StringAttribute{
			MarkdownDescription: "Identifier of the Harness " + what + "." + replaceNote,
			Required:            true,
			Validators:          identifierValidators(),
			PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		}
	}
	return attrs
}
