package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// Harness's rules for identifiers, as the API states them: the pattern of every
// identifier, the schema identifiers the API reserves, and how a connector is referred
// to. They are Harness's knowledge, not the framework's, so they live with the Harness
// entities (their schemas validate with them, import IDs are parsed by them) and not in
// tfkit, whose generic validators (tfkit.Reserved) they configure.

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
	return append(identifierValidators(), tfkit.Reserved{
		Values: reservedSchemaIdentifiers,
		Reason: "it is reserved by the Harness API (GET .../dbschema/overview is the project dashboard)",
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
