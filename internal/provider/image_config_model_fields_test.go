package provider

import (
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

func snake(s string) string {
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

// The table must list exactly the API's 17 fields, each under the snake_case of its
// API name, sorted, with no duplicate.
func TestImageFieldTable(t *testing.T) {
	var apis []string
	for i, f := range imageFields {
		if f.attr != snake(f.api) {
			t.Errorf("%s: attribute %q, want %q", f.api, f.attr, snake(f.api))
		}
		if i > 0 && imageFields[i-1].attr >= f.attr {
			t.Errorf("table not sorted at %s", f.attr)
		}
		if f.what == "" {
			t.Errorf("%s has no description", f.attr)
		}
		apis = append(apis, f.api)
	}
	want := mockserver.Fields()
	sort.Strings(apis)
	if strings.Join(apis, ",") != strings.Join(want, ",") {
		t.Fatalf("fields = %v\nwant   %v", apis, want)
	}
	if len(imageFields) != 17 {
		t.Fatalf("%d fields, want 17", len(imageFields))
	}
}

func TestImageFieldByName(t *testing.T) {
	for _, name := range []string{"git_clone_tag", "gitCloneTag"} {
		f, ok := imageFieldByName(name)
		if !ok || f.api != "gitCloneTag" || f.attr != "git_clone_tag" {
			t.Errorf("imageFieldByName(%q) = %+v, %v", name, f, ok)
		}
	}
	for _, name := range []string{"", "git_clone", "GitCloneTag", "git-clone-tag"} {
		if _, ok := imageFieldByName(name); ok {
			t.Errorf("imageFieldByName(%q) matched", name)
		}
	}
	if !strings.Contains(imageFieldNames(), "flyway_spanner_psql_tag") {
		t.Error("imageFieldNames misses a field")
	}
}
