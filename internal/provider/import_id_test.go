package provider

import (
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	tests := []struct {
		id      string
		names   []string
		want    []string
		wantErr string
	}{
		{"o/p/s", dbSchemaImportParts, []string{"o", "p", "s"}, ""},
		{"o/p/s/i", dbInstanceImportParts, []string{"o", "p", "s", "i"}, ""},
		{"a/b", dbSchemaImportParts, nil, `Expected import ID "org_id/project_id/schema_id", got "a/b" (2 parts). Example: my_org/my_project/my_schema`},
		{"", dbSchemaImportParts, nil, `got "" (1 part)`},
		{"a/b/c/d", dbSchemaImportParts, nil, `got "a/b/c/d" (4 parts)`},
		{"a//c", dbSchemaImportParts, nil, `got "a//c" (part 2, project_id, is empty). Example: my_org/my_project/my_schema`},
		{"a/b/c/", dbInstanceImportParts, nil, `(part 4, instance_id, is empty). Example: my_org/my_project/my_schema/my_instance`},
		{"a/b/c", dbInstanceImportParts, nil, `Expected import ID "org_id/project_id/schema_id/instance_id", got "a/b/c" (3 parts)`},
		{"o/../s", dbSchemaImportParts, nil, `(part 2, project_id, is "..": an identifier must start with a letter or "_"`},
		{"o/p/s%2Fx", dbSchemaImportParts, nil, `(part 3, schema_id, is "s%2Fx": an identifier`},
		{"o/p/my-schema", dbSchemaImportParts, nil, `(part 3, schema_id, is "my-schema"`},
		{"o/p/overview", dbSchemaImportParts, nil, `(part 3, schema_id, is "overview", which the API reserves)`},
		{"o/p/s/overview", dbInstanceImportParts, []string{"o", "p", "s", "overview"}, ""}, // only a schema may not be
		{"ö/p/s", dbSchemaImportParts, nil, `(part 1, org_id, is "ö"`},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := parseImportID(tt.id, tt.names)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
				}
				return
			}
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// FuzzParseImportID: no input panics; an accepted ID has exactly the expected parts,
// each an identifier, and joins back to itself; identifiers always round-trip.
func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"o/p/s", "a/b", "", "/", "//", "a//c", "a/b/c/d", "ö/🙂/x", "a/b/c/"} {
		f.Add(s, "p", "s")
	}
	f.Fuzz(func(t *testing.T, id, a, b string) {
		for _, names := range [][]string{dbSchemaImportParts, dbInstanceImportParts} {
			parts, err := parseImportID(id, names)
			if err != nil {
				if !strings.Contains(err.Error(), strings.Join(names, "/")) {
					t.Fatalf("error %q does not name the format", err)
				}
				continue
			}
			if len(parts) != len(names) || importID(parts...) != id {
				t.Fatalf("parseImportID(%q) = %q: does not round-trip", id, parts)
			}
			for _, p := range parts {
				if !harnessIdentifierRE.MatchString(p) {
					t.Fatalf("parseImportID(%q) accepted %q, which is not an identifier", id, p)
				}
			}
		}
		if !harnessIdentifierRE.MatchString(a) || !harnessIdentifierRE.MatchString(b) || b == "overview" {
			return
		}
		parts, err := parseImportID(importID("org", a, b), dbSchemaImportParts)
		if err != nil || parts[1] != a || parts[2] != b {
			t.Fatalf("round trip of %q, %q: got %q, %v", a, b, parts, err)
		}
	})
}
