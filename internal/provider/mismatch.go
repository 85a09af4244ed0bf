package provider

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// addMismatches reports, as attribute errors, the fields where Harness's answer to a
// create or an update does not hold what the configuration asked for (client
// Mismatches): a value Harness kept although the configuration removes it, or one it
// changed. The caller sets the state from the answer first, so that the state is true
// to Harness and Terraform never reports "Provider produced inconsistent result".
// blocks maps the API names of nested blocks to their attribute names.
func addMismatches(diags *diag.Diagnostics, what string, ms []client.Mismatch, blocks map[string]string) {
	for _, m := range ms {
		at, name := attributePath(m.Field, blocks)
		got := quoteOr(m.Got, "nothing")
		var detail string
		if m.Want == "" {
			detail = fmt.Sprintf("The configuration removes %s from %s, but Harness still holds %s after the "+
				"update: it may not let the API clear it.", name, what, got)
		} else {
			detail = fmt.Sprintf("The configuration sets %s of %s to %q, but Harness answered %s.", name, what, m.Want, got)
		}
		diags.AddAttributeError(at, "Harness did not apply "+name, detail+" The state now holds what Harness "+
			"holds. Change it in the Harness UI and run terraform apply again, or set "+name+" in the configuration "+
			"to the value Harness holds.")
	}
}

// attributePath turns an API field name ("changelog.archivePath") into the attribute's
// path and name ("schema_source.archive_path").
func attributePath(field string, blocks map[string]string) (path.Path, string) {
	parts := strings.Split(field, ".")
	for i, p := range parts {
		if b, ok := blocks[p]; ok && i == 0 {
			parts[i] = b
			continue
		}
		parts[i] = snakeCase(p)
	}
	at := path.Root(parts[0])
	for _, p := range parts[1:] {
		at = at.AtName(p)
	}
	return at, strings.Join(parts, ".")
}

// snakeCase turns an API name such as commitSha into the attribute name commit_sha.
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func quoteOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return fmt.Sprintf("%q", s)
}
