package provider

import (
	"fmt"
	"slices"
	"strings"
)

// importIDError is an import ID of the wrong shape. Its text is a full sentence meant
// for the diagnostic's detail: it names the expected format and shows an example.
type importIDError struct {
	id      string
	names   []string
	problem string
}

func (e *importIDError) Error() string {
	return fmt.Sprintf("Expected import ID %q, got %q %s. Example: %s",
		strings.Join(e.names, "/"), e.id, e.problem, importIDExample(e.names))
}

// parseImportID splits an import ID of the form "a/b/c" into exactly len(names) parts,
// each a Harness identifier (so no "..", "%2F" or other text reaches an API path). names are the parts' names (org_id, project_id, ...).
func parseImportID(id string, names []string) ([]string, error) {
	parts := strings.Split(id, "/")
	if len(parts) != len(names) {
		return nil, &importIDError{id: id, names: names, problem: fmt.Sprintf("(%d %s)", len(parts), plural(len(parts), "part", "parts"))}
	}
	for i, p := range parts {
		switch {
		case p == "":
			return nil, &importIDError{id: id, names: names, problem: fmt.Sprintf("(part %d, %s, is empty)", i+1, names[i])}
		case !harnessIdentifierRE.MatchString(p):
			// Every part is an identifier that ends up in a URL path: nothing else may.
			return nil, &importIDError{id: id, names: names, problem: fmt.Sprintf("(part %d, %s, is %q: an identifier %s)", i+1, names[i], p, identifierRule)}
		case names[i] == "schema_id" && slices.Contains(reservedSchemaIdentifiers, p):
			return nil, &importIDError{id: id, names: names, problem: fmt.Sprintf("(part %d, %s, is %q, which the API reserves)", i+1, names[i], p)}
		}
	}
	return parts, nil
}

// importID joins identifiers into an import ID, which is also the resource's id.
func importID(parts ...string) string { return strings.Join(parts, "/") }

// importIDExample turns org_id/project_id/schema_id into my_org/my_project/my_schema.
func importIDExample(names []string) string {
	ex := make([]string, len(names))
	for i, n := range names {
		ex[i] = "my_" + strings.TrimSuffix(n, "_id")
	}
	return strings.Join(ex, "/")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
