package tfkit

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Attr is one attribute of an entity as its resource and its data sources share it:
// what it is, which every description starts with, and its type.
type Attr struct {
	What   string
	Type   attr.Type // nil is types.StringType
	Nested Attrs     // the attributes of a single nested object (Type is then ignored)
}

// Attrs are the shared attributes of one entity, by name: the shape of its model,
// written once. The model's object type (ObjectTypes), the resource schema (Resource)
// and the data-source schemas (DataSource) all come from it.
type Attrs map[string]Attr

// StringMapType is the type of a map of strings, such as tags.
var StringMapType = types.MapType{ElemType: types.StringType}

// ObjectTypes is the object type of a model whose attributes are e.
func (e Attrs) ObjectTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(e))
	for name, a := range e {
		out[name] = a.attrType()
	}
	return out
}

func (a Attr) attrType() attr.Type {
	switch {
	case a.Nested != nil:
		return types.ObjectType{AttrTypes: a.Nested.ObjectTypes()}
	case a.Type == nil:
		return types.StringType
	}
	return a.Type
}

// unbuilt is the panic of a builder given an attribute type it has no schema attribute
// for (an object type is built from Attr.Nested only): a programming error that a test of
// the schemas shows at once, where a silent string attribute would only fail when
// Terraform reads a value of the real type.
func unbuilt(name string, t attr.Type) string {
	return fmt.Sprintf("tfkit: attribute %q has type %s, which Attrs does not build: "+
		"add it to Attrs.Resource and Attrs.DataSource, or nest its attributes (Attr.Nested)", name, t)
}

// DataSource returns the attributes as data sources show them: computed, except the
// lookup keys, which are required inputs checked by their validators (a single data
// source). A nil lookup gives the element of a list data source.
func (e Attrs) DataSource(lookup map[string][]validator.String) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(e))
	for name, a := range e {
		if vs, ok := lookup[name]; ok {
			out[name] = dschema.StringAttribute{MarkdownDescription: a.What, Required: true, Validators: vs}
			continue
		}
		switch t := a.attrType().(type) {
		case types.ObjectType:
			if a.Nested == nil {
				panic(unbuilt(name, t))
			}
			out[name] = dschema.SingleNestedAttribute{MarkdownDescription: a.What, Computed: true, Attributes: a.Nested.DataSource(nil)}
		case types.MapType:
			out[name] = dschema.MapAttribute{MarkdownDescription: a.What, ElementType: t.ElemType, Computed: true}
		case types.ListType:
			out[name] = dschema.ListAttribute{MarkdownDescription: a.What, ElementType: t.ElemType, Computed: true}
		default:
			switch t {
			case types.Int64Type:
				out[name] = dschema.Int64Attribute{MarkdownDescription: a.What, Computed: true}
			case types.BoolType:
				out[name] = dschema.BoolAttribute{MarkdownDescription: a.What, Computed: true}
			case types.StringType:
				out[name] = dschema.StringAttribute{MarkdownDescription: a.What, Computed: true}
			default:
				panic(unbuilt(name, t))
			}
		}
	}
	return out
}

// Setting is how the resource sets one attribute, on top of what it shares: whether
// it is required or optional (neither: computed), what the resource's description
// adds, and the validators, plan modifiers and default of its type.
type Setting struct {
	Required, Optional bool
	Computed           bool   // with Optional: a default or a plan modifier fills the value in
	Sensitive          bool   // never shown in plans
	More               string // appended to the shared description
	Strings            []validator.String
	Maps               []validator.Map
	StringMods         []planmodifier.String
	Int64Mods          []planmodifier.Int64
	MapMods            []planmodifier.Map
	StringDefault      defaults.String
	BoolDefault        defaults.Bool
	MapDefault         defaults.Map
	Nested             map[string]Setting // the settings of a nested object's attributes
}

// Resource returns the resource schema's attributes: each shared attribute with its
// setting; one without a setting is computed. A setting for an attribute that e does
// not have is a programming error, caught by the schema tests.
func (e Attrs) Resource(settings map[string]Setting) map[string]rschema.Attribute {
	for name := range settings {
		if _, ok := e[name]; !ok {
			panic("tfkit: setting for unknown attribute " + name)
		}
	}
	out := make(map[string]rschema.Attribute, len(e))
	for name, a := range e {
		s := settings[name]
		s.Computed = s.Computed || (!s.Required && !s.Optional)
		desc := strings.TrimSpace(a.What + " " + s.More)
		switch t := a.attrType().(type) {
		case types.ObjectType:
			if a.Nested == nil {
				panic(unbuilt(name, t))
			}
			out[name] = rschema.SingleNestedAttribute{MarkdownDescription: desc, Required: s.Required, Optional: s.Optional,
				Computed: s.Computed, Attributes: a.Nested.Resource(s.Nested)}
		case types.ListType:
			out[name] = rschema.ListAttribute{MarkdownDescription: desc, ElementType: t.ElemType, Required: s.Required, Optional: s.Optional,
				Computed: s.Computed}
		case types.MapType:
			out[name] = rschema.MapAttribute{MarkdownDescription: desc, ElementType: t.ElemType, Required: s.Required, Optional: s.Optional,
				Computed: s.Computed, Sensitive: s.Sensitive, Validators: s.Maps, PlanModifiers: s.MapMods, Default: s.MapDefault}
		default:
			switch t {
			case types.Int64Type:
				out[name] = rschema.Int64Attribute{MarkdownDescription: desc, Required: s.Required, Optional: s.Optional,
					Computed: s.Computed, PlanModifiers: s.Int64Mods}
			case types.BoolType:
				out[name] = rschema.BoolAttribute{MarkdownDescription: desc, Required: s.Required, Optional: s.Optional,
					Computed: s.Computed, Default: s.BoolDefault}
			case types.StringType:
				out[name] = rschema.StringAttribute{MarkdownDescription: desc, Required: s.Required, Optional: s.Optional,
					Computed: s.Computed, Sensitive: s.Sensitive, Validators: s.Strings, PlanModifiers: s.StringMods, Default: s.StringDefault}
			default:
				panic(unbuilt(name, t))
			}
		}
	}
	return out
}

// ReplaceNote ends the description of an attribute whose change replaces the resource.
const ReplaceNote = "Changing this forces a new resource."

// ReplaceOnChange is the plan modifier of a string attribute whose change replaces the
// resource.
func ReplaceOnChange() []planmodifier.String {
	return []planmodifier.String{stringplanmodifier.RequiresReplace()}
}

// NonEmpty rejects "": remove the attribute instead.
func NonEmpty() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1)}
}
