package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// `moved` from the official Harness provider (harness/harness): Terraform 1.8+ and
// OpenTofu call MoveResourceState on this provider for a moved block from
// harness_platform_db_schema or harness_platform_db_instance. What that provider writes
// to state (v0.45.1, schema version 0 for both; the SDKv2 resources of
// harness/terraform-provider-harness `internal/service/platform/db_schema` and
// `db_instance`): `id` is the bare identifier; `tags` a set of "key:value" strings, a
// key-only tag being "key" (its helpers/tags.go); blocks are lists of one object;
// unset strings are ""; `description` is kept only in Terraform.

// officialProvider is the official provider's namespace and type; any registry host
// (registry.terraform.io, registry.opentofu.org, a mirror) is accepted.
const officialProvider = "harness/harness"

// officialSource is one resource type of the official provider that a resource of this
// provider takes over.
type officialSource struct {
	typeName string // harness_platform_db_schema
	kind     string // DB schema, for messages
}

// matches tells whether a move request comes from this source: any other source is
// left to the framework, which answers that the move is not supported.
func (s officialSource) matches(req resource.MoveStateRequest) bool {
	host, rest, _ := strings.Cut(req.SourceProviderAddress, "/")
	return host != "" && rest == officialProvider && req.SourceTypeName == s.typeName
}

// decode reads the source state (version 0) into v, or says in diags why it cannot,
// naming the attribute.
func (s officialSource) decode(req resource.MoveStateRequest, v any, diags *diag.Diagnostics) bool {
	summary := "Cannot move " + s.typeName
	if req.SourceSchemaVersion != 0 {
		diags.AddError(summary, fmt.Sprintf("The state of this %s has schema version %d; this provider knows version 0, "+
			"which harness/harness writes up to v0.45.1 at least. Take the %s over with a removed block and an import "+
			"block instead (guide: Migrating from the official Harness provider).", s.typeName, req.SourceSchemaVersion, s.kind))
		return false
	}
	if req.SourceRawState == nil || req.SourceRawState.JSON == nil {
		diags.AddError(summary, "The source state holds no JSON attributes (a state written by Terraform before 0.12?): "+
			"refresh it with harness/harness first, then move it.")
		return false
	}
	err := json.Unmarshal(req.SourceRawState.JSON, v)
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		diags.AddError(summary, fmt.Sprintf("Attribute %s of the %s state is a JSON %s, where harness/harness writes a %s: "+
			"the state was not written by harness/harness as this provider knows it. Refresh it with harness/harness, "+
			"or take the %s over with a removed block and an import block.", te.Field, s.typeName, te.Value, jsonKind(te.Type.Kind().String()), s.kind))
		return false
	case err != nil:
		diags.AddError(summary, fmt.Sprintf("The %s state is not valid JSON: %v.", s.typeName, err))
		return false
	}
	return true
}

// jsonKind names a Go kind as JSON does.
func jsonKind(goKind string) string {
	switch goKind {
	case "slice":
		return "list"
	case "map", "struct":
		return "object"
	}
	return goKind
}

// checkIDs refuses a source whose path identifiers could not name an object in Harness:
// name/value pairs, named as the source attribute.
func (s officialSource) checkIDs(diags *diag.Diagnostics, kv ...string) {
	for i := 0; i < len(kv); i += 2 {
		part := kv[i]
		if part == "schema" || (part == "identifier" && s.kind == "DB schema") {
			part = "schema_id" // the reserved identifiers are a schema's
		}
		if problem := idPartProblem(part, kv[i+1]); problem != "" {
			diags.AddError("Cannot move "+s.typeName, fmt.Sprintf("Attribute %s of the %s state %s, so it names no %s in "+
				"Harness. Fix it with harness/harness (or in the state) before moving.", kv[i], s.typeName, problem, s.kind))
		}
	}
}

// tags turns the official provider's tags ("key:value", or "key" for a tag without
// value) into the map Harness holds. A value is everything after the first colon, as
// harness/harness writes a Harness tag whose value has one.
func (s officialSource) tags(list []string, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	for _, tag := range list {
		k, v, _ := strings.Cut(tag, ":")
		old, dup := out[k]
		switch {
		case k == "":
			diags.AddError("Cannot move "+s.typeName, fmt.Sprintf("Attribute tags of the %s state holds %q, a tag without "+
				"key, which Harness cannot hold. Remove it with harness/harness before moving.", s.typeName, tag))
		case dup && old != v:
			diags.AddError("Cannot move "+s.typeName, fmt.Sprintf("Attribute tags of the %s state gives key %q two values, "+
				"%q and %q; Harness holds one value per key. Keep one with harness/harness before moving.", s.typeName, k, old, v))
		}
		out[k] = v
	}
	return out
}

// warnDescription says that the official provider's description, which it keeps only in
// Terraform (Harness never receives it), has nowhere to go.
func (s officialSource) warnDescription(description *string, where string, diags *diag.Diagnostics) {
	if description == nil || *description == "" {
		return
	}
	diags.AddWarning("The description is not moved",
		fmt.Sprintf("harness/harness kept description %q of the %s in Terraform state only: Harness never received it, and "+
			"this provider has no description. Keep it as a comment in the configuration if you need it.", *description, where))
}
