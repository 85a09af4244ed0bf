package provider

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The import of harness_dbops_image_config: an import ID names the fields to manage, by
// attribute or API name, and two words (see ImportState).

// imageImport is what an import ID asks for.
type imageImport struct {
	fields    []string // API names; none: every field that has an override now
	exclusive bool     // own the whole config
	inMap     bool     // manage the fields in the images map, not the typed attributes
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
// override now ("exclusive", "images", "images,exclusive").
//
// An import by identity (`import { identity = { account_id = ... } }`) names the
// provider's account and manages every field that has an override, as an import ID
// that lists no field would.
func (r *imageConfigResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var imp imageImport
	if req.ID == "" && req.Identity != nil {
		if resp.Diagnostics.Append(accountIdentityImport(ctx, req.Identity, r.client.AccountID())...); resp.Diagnostics.HasError() {
			return
		}
	} else {
		var err error
		if imp, err = parseImageImportID(req.ID); err != nil {
			resp.Diagnostics.AddError("Invalid import ID", err.Error())
			return
		}
	}
	// A field with no override has nothing to import: the configuration Terraform would
	// generate for it could not set it (an empty image is an error) and would drop it.
	overrides, err := r.client.GetCustomerConfig(ctx, true)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to read the execution config overrides", "Reading the overrides to import (get-customer-config)", err)
		return
	}
	m := imageConfigModel{
		ID:                 types.StringNull(),
		Exclusive:          types.BoolValue(imp.exclusive),
		OnDestroy:          types.StringValue(onDestroyReset),
		UnmanagedOverrides: types.MapNull(types.StringType),
		Images:             map[string]types.String{},
	}
	if imp.inMap {
		m.InMap = map[string]bool{}
	}
	for _, f := range imageFields {
		m.Images[f.api] = types.StringNull()
	}
	fields, missing := imp.fields, []string{}
	if len(fields) == 0 {
		for api := range overrides {
			if _, known := imageFieldByName(api); known || imp.inMap {
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
				"instead, import %q to own the config as it is, or import %q to take fields this provider version does not know.",
				orNone(have), importExclusive, importInMap))
	default:
		resp.Diagnostics.Append(m.write(ctx, &resp.State)...)
		resp.Diagnostics.Append(setAccountIdentity(ctx, resp.Identity, r.client.AccountID())...)
	}
}

// parseImageImportID reads an import ID (see ImportState).
func parseImageImportID(id string) (imageImport, error) {
	var imp imageImport
	usage := fmt.Sprintf("Use a comma-separated list of the fields to manage, by attribute or API name (for example "+
		"\"default_tag,mongo_tag\"); add %q to manage them in the images map (any field name, even one this provider "+
		"version does not know) and %q to own the whole execution config. With no field listed, every field that has "+
		"an override now is managed. Known fields: %s.", importInMap, importExclusive, imageFieldNames())
	if strings.TrimSpace(id) == "" {
		return imageImport{}, fmt.Errorf("the import ID is empty. %s", usage)
	}
	var names []string
	for _, part := range strings.Split(id, ",") {
		name := strings.TrimSpace(part)
		if name != "" && slices.Contains(names, name) {
			return imageImport{}, fmt.Errorf("%q is listed twice in import ID %q. %s", name, id, usage)
		}
		names = append(names, name)
	}
	imp.exclusive, imp.inMap = slices.Contains(names, importExclusive), slices.Contains(names, importInMap)
	for _, name := range names {
		f, ok := imageFieldByName(name)
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

// apiFieldName is the shape of an execution-config field name (lowerCamelCase), the
// only names an import ID may add beyond the known fields.
var apiFieldName = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
