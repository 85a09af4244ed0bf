package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// The attributes every Harness entity shares, on top of tfkit's attribute DSL: its
// scope in a project (id, org_id, project_id) and its tags.

// withScope adds the attributes that place an entity in a Harness project: id (whose
// format is idFormat, the import ID's), org_id and project_id.
func withScope(idFormat string, e tfkit.Attrs) tfkit.Attrs {
	e["id"] = tfkit.Attr{What: idFormat + ", the resource's import ID."}
	e["org_id"] = tfkit.Attr{What: "Identifier of the Harness organization (path `{org}`)."}
	e["project_id"] = tfkit.Attr{What: "Identifier of the Harness project (path `{project}`)."}
	return e
}

// scopeSettings are the resource settings of withScope's attributes, added to settings.
func scopeSettings(settings map[string]tfkit.Setting) map[string]tfkit.Setting {
	settings["id"] = tfkit.Setting{StringMods: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	for _, name := range []string{"org_id", "project_id"} {
		settings[name] = tfkit.Setting{Required: true, More: tfkit.ReplaceNote, Strings: identifierValidators(), StringMods: tfkit.ReplaceOnChange()}
	}
	return settings
}

// scopeLookup are the data-source lookup keys of withScope's attributes, added to keys.
func scopeLookup(keys map[string][]validator.String) map[string][]validator.String {
	keys["org_id"], keys["project_id"] = identifierValidators(), identifierValidators()
	return keys
}

// tagsSetting is an optional map that defaults to {}: the API does not tell "no tags"
// from "empty tags", so state always holds a map and null never differs from {}.
func tagsSetting() tfkit.Setting {
	return tfkit.Setting{
		Optional: true, Computed: true,
		More:       "At most 128, each value at most 128 characters. Removing them from the configuration clears them in Harness.",
		MapDefault: mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
		Maps: []validator.Map{
			mapvalidator.SizeAtMost(128),
			mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
			mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(128)),
		},
	}
}
