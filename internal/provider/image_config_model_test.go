package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

func TestCheckImageRef(t *testing.T) {
	for _, ok := range []string{
		"plugins/drone-liquibase:1.18.0-4.33",
		"harness/drone-git:1.6.4-rootless",
		"registry.example.com/mirror/drone-liquibase:1.18.0-4.33",
		"registry.example.com:5000/a/b/c:v1",
		"localhost:5000/image:tag",
		"image@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"registry.example.com/x:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	} {
		if err := checkImageRef(ok); err != nil {
			t.Errorf("checkImageRef(%q) = %v, want ok", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"":                            "remove the attribute",
		"plugins/drone-liquibase":     "no tag or digest",
		"registry.example.com/x":      "no tag or digest",
		"plugins/X:1":                 "must be lowercase",
		"x:1 ":                        "white space",
		"x::1":                        "not a valid image reference",
		"x@sha256:abc":                "not a valid image reference",
		"https://registry/x:1":        "not a valid image reference",
		"plugins/drone-liquibase:":    "not a valid image reference",
		"<+pipeline.variables.image>": "not a valid image reference",
	} {
		err := checkImageRef(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkImageRef(%q) = %v, want an error containing %q", bad, err, want)
		}
	}
}

func TestParseImageImportID(t *testing.T) {
	for _, tt := range []struct {
		id        string
		fields    []string
		exclusive bool
		err       string
	}{
		{id: "default_tag", fields: []string{"defaultTag"}},
		{id: "default_tag,mongo_tag", fields: []string{"defaultTag", "mongoTag"}},
		{id: " gitCloneTag , flyway_spanner_psql_tag ", fields: []string{"gitCloneTag", "flywaySpannerPsqlTag"}},
		{id: "exclusive", exclusive: true},
		{id: "", err: "the import ID is empty"},
		{id: "default_tag,", err: `unknown field ""`},
		{id: "default", err: `unknown field "default"`},
		{id: "default_tag,defaultTag", err: "listed twice"},
		{id: "a/b/c", err: "Valid fields: artifactory_tag"},
	} {
		fields, exclusive, err := parseImageImportID(tt.id)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseImageImportID(%q) error = %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil || exclusive != tt.exclusive || strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("parseImageImportID(%q) = %v %v %v, want %v %v", tt.id, fields, exclusive, err, tt.fields, tt.exclusive)
		}
	}
}

func FuzzParseImageImportID(f *testing.F) {
	for _, s := range []string{"default_tag,mongo_tag", "exclusive", "", ",", "mongoTag, mongoTag"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		fields, exclusive, err := parseImageImportID(id)
		if err != nil {
			if fields != nil || exclusive {
				t.Fatalf("an error came with a result: %v %v", fields, exclusive)
			}
			return
		}
		for _, api := range fields {
			if _, ok := imageFieldByName(api); !ok {
				t.Fatalf("accepted unknown field %q", api)
			}
		}
	})
}

func model(exclusive bool, images map[string]string, markers ...string) imageConfigModel {
	m := imageConfigModel{Exclusive: types.BoolValue(exclusive), Images: map[string]types.String{}}
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
		unmanaged map[string]string // nil: null
	}{
		{
			name:      "unchanged",
			in:        model(false, map[string]string{"defaultTag": "a:1"}),
			overrides: client.ExecutionConfig{"defaultTag": "a:1", "mongoTag": "m:1"},
			want:      map[string]string{"defaultTag": "a:1"},
		},
		{
			name:      "changed out of band",
			in:        model(false, map[string]string{"defaultTag": "a:1"}),
			overrides: client.ExecutionConfig{"defaultTag": "b:2"},
			want:      map[string]string{"defaultTag": "b:2"},
		},
		{
			name:      "removed out of band",
			in:        model(false, map[string]string{"defaultTag": "a:1", "mongoTag": "m:1"}),
			overrides: client.ExecutionConfig{"mongoTag": "m:1"},
			want:      map[string]string{"mongoTag": "m:1"},
		},
		{
			name:      "import markers",
			in:        model(false, nil, "defaultTag", "gitCloneTag"),
			overrides: client.ExecutionConfig{"gitCloneTag": "g:1", "oracleTag": "o:1"},
			want:      map[string]string{"gitCloneTag": "g:1"},
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
			if tt.unmanaged == nil {
				if !m.UnmanagedOverrides.IsNull() {
					t.Fatalf("unmanaged = %v, want null", m.UnmanagedOverrides)
				}
				return
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
