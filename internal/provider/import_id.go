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
		if problem := idPartProblem(names[i], p); problem != "" {
			return nil, &importIDError{id: id, names: names, problem: fmt.Sprintf("(part %d, %s, %s)", i+1, names[i], problem)}
		}
	}
	return parts, nil
}

// idPartProblem says what is wrong with p as the part name of an import ID or of an
// identity, or "": every part is an identifier that ends up in a URL path, and nothing
// else may.
func idPartProblem(name, p string) string {
	switch {
	case p == "":
		return "is empty"
	case !harnessIdentifierRE.MatchString(p):
		return fmt.Sprintf("is %q: an identifier %s", p, identifierRule)
	case name == "schema_id" && slices.Contains(reservedSchemaIdentifiers, p):
		return fmt.Sprintf("is %q, which the API reserves", p)
	}
	return ""
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
