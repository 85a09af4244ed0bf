package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Resource identity (Terraform 1.12+, OpenTofu 1.12+): the attributes that name an
// object in Harness, stored beside its state, so that `import { to = ...; identity =
// {...} }` works and tools can tell two resources manage the same object. A CLI
// without identity ignores it; the import-by-ID forms stay as they are.

var (
	_ resource.ResourceWithIdentity = (*dbSchemaResource)(nil)
	_ resource.ResourceWithIdentity = (*dbInstanceResource)(nil)
	_ resource.ResourceWithIdentity = (*imageConfigResource)(nil)
)

// scopeIdentity is the identity of an entity in a Harness project: the state
// attributes that name it in the API's paths, which are its import ID's parts too.
type scopeIdentity struct {
	kind  string   // "DB schema", for messages
	attrs []string // identity attributes, which are state attributes, in the import ID's order
	parts []string // the import ID's part names, in the same order
}

var (
	dbSchemaIdentity   = scopeIdentity{"DB schema", []string{"org_id", "project_id", "identifier"}, dbSchemaImportParts}
	dbInstanceIdentity = scopeIdentity{"DB instance", []string{"org_id", "project_id", "schema", "identifier"}, dbInstanceImportParts}
)

// identityWhat describes each identity attribute.
var identityWhat = map[string]string{
	"org_id":     "Identifier of the Harness organization.",
	"project_id": "Identifier of the Harness project.",
	"schema":     "Identifier of the DB schema.",
	"account_id": "Identifier of the Harness account; it must be the provider's `account_id`.",
	"infra":      "The CI build infrastructure of the config, `K8` or `VM` (harness_ci_image_config only).",
}

func (s scopeIdentity) schema() identityschema.Schema {
	attrs := map[string]identityschema.Attribute{}
	for _, name := range s.attrs {
		what := identityWhat[name]
		if name == "identifier" {
			what = "Identifier of the " + s.kind + "."
		}
		attrs[name] = identityschema.StringAttribute{RequiredForImport: true, Description: what}
	}
	return identityschema.Schema{Attributes: attrs}
}

// set writes the identity, when the request has one: values in the order of s.attrs.
// The whole object at once: SetAttribute per attribute walks the schema each time, half
// of an instance's Read in a refresh of 1000.
func (s scopeIdentity) set(identity *tfsdk.ResourceIdentity, values ...string) {
	if identity == nil {
		return
	}
	attrTypes := make(map[string]tftypes.Type, len(s.attrs))
	vals := make(map[string]tftypes.Value, len(s.attrs))
	for i, name := range s.attrs {
		attrTypes[name], vals[name] = tftypes.String, tftypes.NewValue(tftypes.String, values[i])
	}
	identity.Raw = tftypes.NewValue(tftypes.Object{AttributeTypes: attrTypes}, vals)
}

// importID is the import ID an import asks for: the ID itself, or the one the identity
// of an `import { identity = {...} }` stands for, each part checked as an import ID's.
func (s scopeIdentity) importID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if req.ID != "" || req.Identity == nil {
		return req.ID, diags
	}
	values := make([]string, len(s.attrs))
	for i, name := range s.attrs {
		var v types.String
		if diags.Append(req.Identity.GetAttribute(ctx, path.Root(name), &v)...); diags.HasError() {
			return "", diags
		}
		if problem := idPartProblem(s.parts[i], v.ValueString()); problem != "" {
			diags.AddError("Invalid "+s.kind+" identity",
				fmt.Sprintf("The identity's %s %s. Set it to the identifier Harness shows for the %s.", name, problem, s.kind))
			return "", diags
		}
		values[i] = v.ValueString()
	}
	return importID(values...), diags
}

func (r *dbSchemaResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = dbSchemaIdentity.schema()
}

func (r *dbInstanceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = dbInstanceIdentity.schema()
}

func (r *imageConfigResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	attrs := map[string]identityschema.Attribute{
		"account_id": identityschema.StringAttribute{RequiredForImport: true, Description: identityWhat["account_id"]},
	}
	if r.kind.hasInfra {
		attrs["infra"] = identityschema.StringAttribute{RequiredForImport: true, Description: identityWhat["infra"]}
	}
	resp.IdentitySchema = identityschema.Schema{Attributes: attrs}
}

// setConfigIdentity writes an image config's identity: the account the provider
// manages, whose execution config it is, and for a CI config its infra (one config per
// build infrastructure).
func setConfigIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m imageConfigModel, account string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	diags := identity.SetAttribute(ctx, path.Root("account_id"), account)
	if m.kind.hasInfra {
		diags.Append(identity.SetAttribute(ctx, path.Root("infra"), m.Infra)...)
	}
	return diags
}

// configIdentityImport checks the account of an image config import by identity, and
// returns its infra (CI only): the provider manages one account's config, so the
// identity must name that account. It stands for an import that lists no field: every
// field with an override is managed.
func configIdentityImport(ctx context.Context, kind *execConfigKind, identity *tfsdk.ResourceIdentity, account string) (string, diag.Diagnostics) {
	var v, infra types.String
	diags := identity.GetAttribute(ctx, path.Root("account_id"), &v)
	if !diags.HasError() && v.ValueString() != account {
		diags.AddError("Identity of another account",
			fmt.Sprintf("The identity names account %q, but the provider manages the execution config of account %q "+
				"(its account_id). Import with a provider configured for account %q, or set the identity's account_id to %q.",
				v.ValueString(), account, v.ValueString(), account))
	}
	if kind.hasInfra {
		diags.Append(identity.GetAttribute(ctx, path.Root("infra"), &infra)...)
	}
	return infra.ValueString(), diags
}
