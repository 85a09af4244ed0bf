package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// The schema helpers every entity uses: the shared description of an entity's
// attributes (entityAttrs), from which its resource schema and its data-source schemas
// are built, and the validators and plan modifiers they attach.

// sharedAttr is one attribute of an entity as its resource and its data sources share
// it: what it is, which every description starts with, and its type.
type sharedAttr struct {
	what   string
	typ    attr.Type   // nil is types.StringType
	nested entityAttrs // the attributes of a single nested object (typ is then ignored)
}

// entityAttrs are the shared attributes of one entity, by name: the shape of its model,
// written once. The model's object type (objectTypes), the resource schema (resource)
// and the data-source schemas (dataSource) all come from it.
type entityAttrs map[string]sharedAttr

var stringMapType = types.MapType{ElemType: types.StringType}

// objectTypes is the object type of a model whose attributes are e.
func (e entityAttrs) objectTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(e))
	for name, a := range e {
		out[name] = a.attrType()
	}
	return out
}

func (a sharedAttr) attrType() attr.Type {
	switch {
	case a.nested != nil:
		return types.ObjectType{AttrTypes: a.nested.objectTypes()}
	case a.typ == nil:
		return types.StringType
	}
	return a.typ
}

// unbuilt is the panic of a builder given an attribute type it has no schema attribute
// for (an object type is built from sharedAttr.nested only): a programming error that TestSchemas shows at once, where a silent string
// attribute would only fail when Terraform reads a value of the real type.
func unbuilt(name string, t attr.Type) string {
	return fmt.Sprintf("provider: attribute %q has type %s, which entityAttrs does not build: "+
		"add it to entityAttrs.resource and entityAttrs.dataSource, or nest its attributes (sharedAttr.nested)", name, t)
}

// dataSource returns the attributes as data sources show them: computed, except the
// lookup keys, which are required inputs checked by their validators (a single data
// source). A nil lookup gives the element of a list data source.
func (e entityAttrs) dataSource(lookup map[string][]validator.String) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(e))
	for name, a := range e {
		if vs, ok := lookup[name]; ok {
			out[name] = dschema.StringAttribute{MarkdownDescription: a.what, Required: true, Validators: vs}
			continue
		}
		switch t := a.attrType().(type) {
		case types.ObjectType:
			if a.nested == nil {
				panic(unbuilt(name, t))
			}
			out[name] = dschema.SingleNestedAttribute{MarkdownDescription: a.what, Computed: true, Attributes: a.nested.dataSource(nil)}
		case types.MapType:
			out[name] = dschema.MapAttribute{MarkdownDescription: a.what, ElementType: t.ElemType, Computed: true}
		default:
			switch t {
			case types.Int64Type:
				out[name] = dschema.Int64Attribute{MarkdownDescription: a.what, Computed: true}
			case types.BoolType:
				out[name] = dschema.BoolAttribute{MarkdownDescription: a.what, Computed: true}
			case types.StringType:
				out[name] = dschema.StringAttribute{MarkdownDescription: a.what, Computed: true}
			default:
				panic(unbuilt(name, t))
			}
		}
	}
	return out
}

// setting is how the resource sets one attribute, on top of what it shares: whether
// it is required or optional (neither: computed), what the resource's description
// adds, and the validators, plan modifiers and default of its type.
type setting struct {
	required, optional bool
	computed           bool   // with optional: a default or a plan modifier fills the value in
	sensitive          bool   // never shown in plans
	more               string // appended to the shared description
	strings            []validator.String
	maps               []validator.Map
	stringMods         []planmodifier.String
	int64Mods          []planmodifier.Int64
	mapMods            []planmodifier.Map
	stringDefault      defaults.String
	boolDefault        defaults.Bool
	mapDefault         defaults.Map
	nested             map[string]setting // the settings of a nested object's attributes
}

// resource returns the resource schema's attributes: each shared attribute with its
// setting; one without a setting is computed. A setting for an attribute that e does
// not have is a programming error, caught by the schema tests.
func (e entityAttrs) resource(settings map[string]setting) map[string]rschema.Attribute {
	for name := range settings {
		if _, ok := e[name]; !ok {
			panic("provider: setting for unknown attribute " + name)
		}
	}
	out := make(map[string]rschema.Attribute, len(e))
	for name, a := range e {
		s := settings[name]
		s.computed = s.computed || (!s.required && !s.optional)
		desc := strings.TrimSpace(a.what + " " + s.more)
		switch t := a.attrType().(type) {
		case types.ObjectType:
			if a.nested == nil {
				panic(unbuilt(name, t))
			}
			out[name] = rschema.SingleNestedAttribute{MarkdownDescription: desc, Required: s.required, Optional: s.optional,
				Computed: s.computed, Attributes: a.nested.resource(s.nested)}
		case types.MapType:
			out[name] = rschema.MapAttribute{MarkdownDescription: desc, ElementType: t.ElemType, Required: s.required, Optional: s.optional,
				Computed: s.computed, Sensitive: s.sensitive, Validators: s.maps, PlanModifiers: s.mapMods, Default: s.mapDefault}
		default:
			switch t {
			case types.Int64Type:
				out[name] = rschema.Int64Attribute{MarkdownDescription: desc, Required: s.required, Optional: s.optional,
					Computed: s.computed, PlanModifiers: s.int64Mods}
			case types.BoolType:
				out[name] = rschema.BoolAttribute{MarkdownDescription: desc, Required: s.required, Optional: s.optional,
					Computed: s.computed, Default: s.boolDefault}
			case types.StringType:
				out[name] = rschema.StringAttribute{MarkdownDescription: desc, Required: s.required, Optional: s.optional,
					Computed: s.computed, Sensitive: s.sensitive, Validators: s.strings, PlanModifiers: s.stringMods, Default: s.stringDefault}
			default:
				panic(unbuilt(name, t))
			}
		}
	}
	return out
}

// withScope adds the attributes that place an entity in a Harness project: id (whose
// format is idFormat, the import ID's), org_id and project_id.
func withScope(idFormat string, e entityAttrs) entityAttrs {
	e["id"] = sharedAttr{what: idFormat + ", the resource's import ID."}
	e["org_id"] = sharedAttr{what: "Identifier of the Harness organization (path `{org}`)."}
	e["project_id"] = sharedAttr{what: "Identifier of the Harness project (path `{project}`)."}
	return e
}

// scopeSettings are the resource settings of withScope's attributes, added to settings.
func scopeSettings(settings map[string]setting) map[string]setting {
	settings["id"] = setting{stringMods: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	for _, name := range []string{"org_id", "project_id"} {
		settings[name] = setting{required: true, more: replaceNote, strings: identifierValidators(), stringMods: replaceOnChange()}
	}
	return settings
}

// scopeLookup are the data-source lookup keys of withScope's attributes, added to keys.
func scopeLookup(keys map[string][]validator.String) map[string][]validator.String {
	keys["org_id"], keys["project_id"] = identifierValidators(), identifierValidators()
	return keys
}

// replaceNote ends the description of an attribute whose change replaces the resource.
const replaceNote = "Changing this forces a new resource."

func replaceOnChange() []planmodifier.String {
	return []planmodifier.String{stringplanmodifier.RequiresReplace()}
}

// tagsSetting is an optional map that defaults to {}: the API does not tell "no tags"
// from "empty tags", so state always holds a map and null never differs from {}.
func tagsSetting() setting {
	return setting{
		optional: true, computed: true,
		more:       "At most 128, each value at most 128 characters. Removing them from the configuration clears them in Harness.",
		mapDefault: mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
		maps: []validator.Map{
			mapvalidator.SizeAtMost(128),
			mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
			mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(128)),
		},
	}
}

// nonEmpty rejects "": remove the attribute instead.
func nonEmpty() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1)}
}

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

// useStateWhenUnchanged keeps the prior value of a computed attribute when none of the
// attributes it derives from changes, and leaves it unknown otherwise.
type useStateWhenUnchanged struct {
	paths []path.Path
}

var _ planmodifier.String = useStateWhenUnchanged{}

func (m useStateWhenUnchanged) Description(context.Context) string {
	return fmt.Sprintf("Keeps the prior value unless one of %v changes.", m.paths)
}

func (m useStateWhenUnchanged) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m useStateWhenUnchanged) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	for _, p := range m.paths {
		var planned, prior attr.Value
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, p, &planned)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, p, &prior)...)
		if resp.Diagnostics.HasError() || !planned.Equal(prior) {
			return
		}
	}
	resp.PlanValue = req.StateValue
}

// urlValidator accepts an absolute http(s) URL.
type urlValidator struct{}

func (urlValidator) Description(context.Context) string {
	return "value must be an http(s) URL such as " + client.DefaultEndpoint
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !isHTTPURL(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%q is not an http(s) URL; %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// durationValidator accepts a positive Go duration such as "30s".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "value must be a positive duration such as 30s, 1m30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not usable: %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// notNegative accepts 0 or more; its message prints the numbers as the user wrote them
// (float64validator.AtLeast prints "0.000000").
type notNegative struct{}

func (notNegative) Description(context.Context) string { return "value must be 0 or more" }

func (v notNegative) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notNegative) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueFloat64() >= 0 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("%s must be 0 (no limit) or more, got %s.", req.Path, strconv.FormatFloat(req.ConfigValue.ValueFloat64(), 'g', -1, 64)))
}

// atMostOneOf is resourcevalidator.Conflicting for root attributes, with the same
// diagnostic, but reading the few attributes it names instead of matching path
// expressions against the whole configuration: Conflicting's matching was 40% of a DB
// instance's validation, 5% of a plan's provider CPU at 1000 instances (BENCHMARKS.md).
type atMostOneOf []string

func (v atMostOneOf) Description(context.Context) string {
	return "These attributes cannot be configured together: [" + strings.Join(v, ",") + "]"
}

func (v atMostOneOf) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v atMostOneOf) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var set []path.Path
	for _, name := range v {
		var value attr.Value
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), &value)...)
		if value != nil && !value.IsNull() && !value.IsUnknown() {
			set = append(set, path.Root(name))
		}
	}
	if len(set) > 1 {
		resp.Diagnostics.AddAttributeError(set[0], "Invalid Attribute Combination", v.Description(ctx))
	}
}
