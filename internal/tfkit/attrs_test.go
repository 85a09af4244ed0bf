package tfkit

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The builders refuse an attribute type they have no schema attribute for, instead of
// making it a string that fails only when Terraform reads a value.
func TestEntityAttrsRefuseUnbuiltTypes(t *testing.T) {
	for _, e := range []Attrs{
		{"ratio": {What: "A ratio.", Type: types.Float64Type}},
		{"names": {What: "Names.", Type: types.SetType{ElemType: types.StringType}}},
		{"block": {What: "An object with no nested attributes.", Type: types.ObjectType{}}},
	} {
		for kind, build := range map[string]func(){
			"resource":    func() { e.Resource(nil) },
			"data source": func() { e.DataSource(nil) },
		} {
			name := slices.Collect(maps.Keys(e))[0]
			t.Run(kind+" "+name, func(t *testing.T) {
				defer func() {
					msg, _ := recover().(string)
					if !strings.Contains(msg, fmt.Sprintf("attribute %q has type", name)) || !strings.Contains(msg, "does not build") {
						t.Errorf("the builder did not refuse %s: recovered %q", name, msg)
					}
				}()
				build()
			})
		}
	}
}
