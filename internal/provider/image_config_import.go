package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// The import of an image config: an import ID names the fields to manage, by attribute
// or API name, and two words (see ImportState); harness_ci_image_config's starts with
// the infra.

// imageImport is what an import ID asks for.
type imageImport struct {
	infra     string   // the CI build infrastructure (ciKind only)
	fields    []string // API names; none: every field that has an override now
	exclusive bool     // own the whole config
	inMap     bool     // manage the fields in the images map, not the typed attributes
	prefix    string   // what an import ID of the same config starts with ("K8:"), for messages
}

// The two words of an import ID: manage the fields in the images map, and own the whole
// execution config.
const (
	importInMap     = "images"
	importExclusive = "exclusive"
)

// ImportState takes a comma-separated list of the fields to manage, by attribute or
// API name ("default_tag,mongo_tag"), and two words: "exclusive" to own the whole
// config, and "images" to manage the fields in the images map, where any field name
// may appear. With no field listed, the resource manages every field that has an
// override now ("exclusive", "images", "images,exclusive"). A CI config's ID starts
// with its infra, and the fields are in the images map: "K8", "K8:exclusive",
// "VM:gitCloneTag".
//
// An import by identity (`import { identity = { account_id = ... } }`, with `infra` for
// a CI config) names the provider's account and manages every field that has an
// override, as an import ID that lists no field would.
func (r *imageConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var imp imageImport
	if req.ID == "" && req.Identity != nil {
		infra, diags := configIdentityImport(ctx, r.kind, req.Identity, r.data.client.AccountID())
		if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
			return
		}
		if r.kind.hasInfra {
			var err error
			if imp, err = parseImageImportID(r.kind, infra); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("infra"), "Invalid identity", err.Error())
				return
			}
		}
	} else {
		var err error
		if imp, err = parseImageImportID(r.kind, req.ID); err != nil {
			resp.Diagnostics.AddError("Invalid import ID", err.Error())
			return
		}
	}
	m := imageConfigModel{
		kind:               r.kind,
		ID:                 types.StringNull(),
		Infra:              types.StringValue(imp.infra),
		Exclusive:          types.BoolValue(imp.exclusive),
		OnDestroy:          types.StringValue(onDestroyReset),
		UnmanagedOverrides: types.MapNull(types.StringType),
		Images:             map[string]types.String{},
	}
	// A field with no override has nothing to import: the configuration Terraform would
	// generate for it could not set it (an empty image is an error) and would drop it.
	cfg := r.config(m)
	overrides, err := cfg.overrides(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the "+cfg.name+" overrides", "Reading the overrides to import (get-customer-config)", err)
		return
	}
	if imp.inMap {
		m.InMap = map[string]bool{}
	}
	for _, f := range r.kind.fields {
		m.Images[f.api] = types.StringNull()
	}
	fields, missing := imp.fields, []string{}
	if len(fields) == 0 {
		for api := range overrides {
			if _, known := r.kind.field(api); known || imp.inMap {
				fields = append(fields, api)
			}
		}
	}
	for _, api := range fields {
		m.Images[api] = types.StringValue("") // marks the field managed; Read fills it in
		if imp.inMap {
			m.InMap[api] = true
		}
		if _, ok := overrides[api]; !ok {
			missing = append(missing, m.fieldLabel(api))
		}
	}
	var have []string // the overrides, named as this import would manage them
	for _, api := range slices.Sorted(maps.Keys(overrides)) {
		if attr, ok := m.typedAttr(api); ok {
			api = attr
		}
		have = append(have, api)
	}
	switch {
	case len(missing) > 0:
		resp.Diagnostics.AddError("Nothing to import for some fields",
			fmt.Sprintf("The account has no override on %s: it uses the Harness default, so there is nothing to manage. "+
				"Import only fields that have an override (now: %s), and add the others to the configuration to set them.",
				strings.Join(missing, ", "), orNone(have)))
	case len(fields) == 0 && !imp.exclusive:
		resp.Diagnostics.AddError("Nothing to import",
			fmt.Sprintf("The account has no override to manage (now: %s), so there is nothing to import. Create the resource "+
				"instead, or import %q to own the config as it is%s.", orNone(have), imp.prefix+importExclusive, r.kind.importMoreHint()))
	default:
		resp.Diagnostics.Append(m.write(ctx, &resp.State)...)
		resp.Diagnostics.Append(setConfigIdentity(ctx, resp.Identity, m, r.data.client.AccountID())...)
	}
}

// parseImageImportID reads an import ID of kind (see ImportState).
func parseImageImportID(kind *execConfigKind, id string) (imageImport, error) {
	var imp imageImport
	usage := kind.importUsage
	if strings.TrimSpace(id) == "" {
		return imageImport{}, fmt.Errorf("the import ID is empty. %s", usage)
	}
	list := id
	if kind.hasInfra {
		infra, rest, _ := strings.Cut(id, ":")
		in, err := client.ParseCIInfra(infra)
		if err != nil || string(in) != infra {
			return imageImport{}, fmt.Errorf("import ID %q does not start with the infra, %s or %s. %s", id, client.CIInfraK8, client.CIInfraVM, usage)
		}
		imp.infra, imp.prefix, imp.inMap, list = infra, infra+":", true, rest
		if strings.TrimSpace(list) == "" {
			return imp, nil
		}
	}
	var names []string
	for _, part := range strings.Split(list, ",") {
		name := strings.TrimSpace(part)
		if name != "" && slices.Contains(names, name) {
			return imageImport{}, fmt.Errorf("%q is listed twice in import ID %q. %s", name, id, usage)
		}
		names = append(names, name)
	}
	imp.exclusive, imp.inMap = slices.Contains(names, importExclusive), imp.inMap || slices.Contains(names, importInMap)
	for _, name := range names {
		f, ok := kind.field(name)
		switch {
		case name == importExclusive || name == importInMap:
			continue
		case ok:
			name = f.api
		case !imp.inMap || !apiFieldName.MatchString(name):
			return imageImport{}, fmt.Errorf("unknown field %q in import ID %q. %s", name, id, usage)
		}
		if slices.Contains(imp.fields, name) {
			return imageImport{}, fmt.Errorf("%q is listed twice in import ID %q. %s", name, id, usage)
		}
		imp.fields = append(imp.fields, name)
	}
	return imp, nil
}

// importMoreHint is the end of the "Nothing to import" error: what else to import.
func (k *execConfigKind) importMoreHint() string {
	if len(k.fields) == 0 {
		return ""
	}
	return fmt.Sprintf(", or import %q to take fields this provider version does not know", importInMap)
}

// apiFieldName is the shape of an execution-config field name (lowerCamelCase), the
// only names an import ID may add beyond the known fields.
var apiFieldName = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
