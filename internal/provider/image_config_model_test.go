package provider

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

func model(exclusive bool, images map[string]string, markers ...string) imageConfigModel {
	m := imageConfigModel{kind: dbopsKind, Exclusive: types.BoolValue(exclusive), Images: map[string]types.String{}}
	for _, f := range imageFields {
		m.Images[f.api] = types.StringNull()
	}
	for k, v := range images {
		m.Images[k] = types.StringValue(v)
	}
	for _, k := range markers {
		m.Images[k] = types.StringValue("")
	}
	return m
}

func TestImageConfigFromAPI(t *testing.T) {
	for _, tt := range []struct {
		name      string
		in        imageConfigModel
		overrides client.ExecutionConfig
		want      map[string]string // non-null fields after
		unmanaged map[string]string
	}{
		{
			name:      "unchanged",
			in:        model(false, map[string]string{"defaultTag": "a:1"}),
			overrides: client.ExecutionConfig{"defaultTag": "a:1", "mongoTag": "m:1"},
			want:      map[string]string{"defaultTag": "a:1"},
			unmanaged: map[string]string{"mongoTag": "m:1"}, // in shared mode too
		},
		{
			name:      "changed out of band",
			in:        model(false, map[string]string{"defaultTag": "a:1"}),
			overrides: client.ExecutionConfig{"defaultTag": "b:2"},
			want:      map[string]string{"defaultTag": "b:2"},
			unmanaged: map[string]string{},
		},
		{
			name:      "removed out of band",
			in:        model(false, map[string]string{"defaultTag": "a:1", "mongoTag": "m:1"}),
			overrides: client.ExecutionConfig{"mongoTag": "m:1"},
			want:      map[string]string{"mongoTag": "m:1"},
			unmanaged: map[string]string{},
		},
		{
			name:      "import markers",
			in:        model(false, nil, "defaultTag", "gitCloneTag"),
			overrides: client.ExecutionConfig{"gitCloneTag": "g:1", "oracleTag": "o:1"},
			want:      map[string]string{"gitCloneTag": "g:1"},
			unmanaged: map[string]string{"oracleTag": "o:1"},
		},
		{
			name:      "exclusive reports unmanaged, future fields too",
			in:        model(true, map[string]string{"defaultTag": "a:1"}),
			overrides: client.ExecutionConfig{"defaultTag": "a:1", "oracleTag": "o:1", "futureTag": "f:1"},
			want:      map[string]string{"defaultTag": "a:1"},
			unmanaged: map[string]string{"oracleTag": "o:1", "futureTag": "f:1"},
		},
		{
			name:      "exclusive with nothing unmanaged is an empty map",
			in:        model(true, map[string]string{"defaultTag": "a:1"}),
			overrides: client.ExecutionConfig{"defaultTag": "a:1"},
			want:      map[string]string{"defaultTag": "a:1"},
			unmanaged: map[string]string{},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.in
			m.fromAPI(tt.overrides)
			got := m.toAPI()
			if len(got) != len(tt.want) {
				t.Fatalf("after fromAPI: %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("after fromAPI: %v, want %v", got, tt.want)
				}
			}
			if m.UnmanagedOverrides.IsNull() || len(m.UnmanagedOverrides.Elements()) != len(tt.unmanaged) {
				t.Fatalf("unmanaged = %v, want %v", m.UnmanagedOverrides, tt.unmanaged)
			}
			for k, v := range tt.unmanaged {
				if e, ok := m.UnmanagedOverrides.Elements()[k].(types.String); !ok || e.ValueString() != v {
					t.Fatalf("unmanaged[%s] = %v, want %q", k, m.UnmanagedOverrides.Elements()[k], v)
				}
			}
		})
	}
}

func TestImageConfigToAPISkipsNullAndUnknown(t *testing.T) {
	m := model(false, map[string]string{"defaultTag": "a:1"})
	m.Images["mongoTag"] = types.StringUnknown()
	got := m.toAPI()
	if len(got) != 1 || got["defaultTag"] != "a:1" {
		t.Fatalf("toAPI = %v", got)
	}
	if managed := m.managed(); strings.Join(managed, ",") != "defaultTag,mongoTag" {
		t.Fatalf("managed = %v (unknown values are managed too)", managed)
	}
}

// The table must list exactly the API's 17 fields, each under the snake_case of its
// API name, sorted, with no duplicate.
func TestImageFieldTable(t *testing.T) {
	var apis []string
	for i, f := range imageFields {
		if f.attr != snakeCase(f.api) {
			t.Errorf("%s: attribute %q, want %q", f.api, f.attr, snakeCase(f.api))
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

// The default-images page lists every field, with its attribute, API name and what it
// is, as the provider knows them.
func TestDefaultImagesPageListsEveryField(t *testing.T) {
	page, err := os.ReadFile("../../templates/data-sources/dbops_default_images.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range imageFields {
		if row := fmt.Sprintf("| `%s` | `%s` | %s |", f.attr, f.api, f.what); !strings.Contains(string(page), row) {
			t.Errorf("the page has no row %q", row)
		}
	}
	if n := strings.Count(string(page), "\n| `"); n != len(imageFields) {
		t.Errorf("the page lists %d fields, the provider %d", n, len(imageFields))
	}
}
