package main

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is this module's import path.
const module = "github.com/dbdevops/terraform-provider-harness"

// allowedImports is what each package of this module may import of this module
// (DESIGN.md, "Layout"): nothing imports upward, so each package can be read, tested and
// changed knowing only those below it. Test files are free: the provider's tests use
// acctest and the mock.
var allowedImports = map[string][]string{
	".":                      {"internal/provider"},
	"cmd/harness-dbops-mock": {"internal/contract", "internal/mockserver"},
	"internal/acctest":       {"internal/client", "internal/mockserver"},
	"internal/client":        nil,
	"internal/contract":      nil,
	"internal/imageref":      nil,
	"internal/mockserver":    {"internal/contract"},
	"internal/provider":      {"internal/client", "internal/imageref", "internal/tfkit"},
	"internal/tfkit":         nil,
	"scripts/dist":           nil,
}

// withoutTerraform are the packages that must not depend on Terraform's plugin
// libraries, even through another package: the API client and the mock are plain Go
// (a user of the mock installs no Terraform library), and image references are only
// strings.
var withoutTerraform = []string{"cmd/harness-dbops-mock", "internal/client", "internal/contract", "internal/imageref", "internal/mockserver"}

// TestPackageImports holds every package of the module to its row of allowedImports,
// and the packages of withoutTerraform to no Terraform library; a new package gets a
// row.
func TestPackageImports(t *testing.T) {
	out, err := exec.CommandContext(t.Context(), "go", "list", "-json=ImportPath,Imports,Deps", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath    string
			Imports, Deps []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		seen++
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if rel == "" {
			rel = "."
		}
		allowed, ok := allowedImports[rel]
		if !ok {
			t.Errorf("package %s has no row in allowedImports: say what it may import of this module (and DESIGN.md's layout)", rel)
			continue
		}
		for _, imp := range p.Imports {
			if dep, ours := strings.CutPrefix(imp, module+"/"); ours && !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s; it may import only %v of this module (DESIGN.md, Layout)", rel, dep, allowed)
			}
		}
		if slices.Contains(withoutTerraform, rel) {
			for _, dep := range p.Deps {
				if strings.HasPrefix(dep, "github.com/hashicorp/terraform-plugin") {
					t.Errorf("%s depends on %s: it must stay plain Go, without Terraform's libraries", rel, dep)
				}
			}
		}
	}
	if seen < len(allowedImports) {
		t.Errorf("go list found %d packages, allowedImports has %d rows: remove the rows of packages that are gone", seen, len(allowedImports))
	}
}
