package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// expectBefore asserts the value an attribute had before the planned change (the
// refreshed state), which is where drift shows in a plan. A nil want means null.
type expectBefore struct {
	addr, attr string
	want       any
}

func (e expectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before[e.attr]; !reflect.DeepEqual(got, e.want) {
			resp.Error = fmt.Errorf("%s: %s before the change = %#v, want %#v", e.addr, e.attr, got, e.want)
		}
		return
	}
	resp.Error = fmt.Errorf("the plan has no change for %s", e.addr)
}

// overridesAre asserts the mock holds exactly these overrides.
func overridesAre(get func() map[string]string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := get(); !maps.Equal(got, want) {
			return fmt.Errorf("mock overrides = %v, want %v", got, want)
		}
		return nil
	}
}

// errorText matches a phrase in Terraform's error output, which wraps long lines: each
// space of the phrase matches any run of white space.
func errorText(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}
