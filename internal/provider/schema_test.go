package provider

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// entitySchema is what the schema test needs of a resource's or a data source's schema.
type entitySchema struct {
	typeName   string
	attributes map[string]any // attribute name -> its schema attribute
	diags      diag.Diagnostics
	validate   func(context.Context) diag.Diagnostics
}

// registered returns every resource and data source the provider registers, with
// their schemas.
func registered() []entitySchema {
	ctx := context.Background()
	p, _ := New("test")().(*harnessProvider)
	var out []entitySchema
	for _, newR := range p.Resources(ctx) {
		r, meta, sch := newR(), resource.MetadataResponse{}, resource.SchemaResponse{}
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "harness"}, &meta)
		r.Schema(ctx, resource.SchemaRequest{}, &sch)
		out = append(out, entitySchema{"resource " + meta.TypeName, anyMap(sch.Schema.Attributes), sch.Diagnostics, sch.Schema.ValidateImplementation})
	}
	for _, newD := range p.DataSources(ctx) {
		d, meta, sch := newD(), datasource.MetadataResponse{}, datasource.SchemaResponse{}
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "harness"}, &meta)
		d.Schema(ctx, datasource.SchemaRequest{}, &sch)
		out = append(out, entitySchema{"data source " + meta.TypeName, anyMap(sch.Schema.Attributes), sch.Diagnostics, sch.Schema.ValidateImplementation})
	}
	return out
}

func anyMap[A any](m map[string]A) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// models are the tfsdk models read with Get/Set, by resource or data source: their
// tfsdk tags must be exactly the schema's attributes. Every registered resource and
// data source is here or in withoutModel.
var models = map[string]any{
	"resource harness_dbops_db_schema":                 dbSchemaModel{},
	"resource harness_dbops_db_instance":               dbInstanceModel{},
	"data source harness_dbops_db_schema":              dbSchemaModel{},
	"data source harness_dbops_db_instance":            dbInstanceModel{},
	"data source harness_dbops_db_schemas":             dbSchemasDataSourceModel{},
	"data source harness_dbops_db_instances":           dbInstancesDataSourceModel{},
	"data source harness_dbops_migration_state":        migrationStateModel{},
	"data source harness_dbops_schema_migration_state": schemaMigrationStateModel{},
}

// withoutModel are the resources and data sources that read their attributes one by
// one instead of through a tagged model, and why.
var withoutModel = map[string]string{
	"resource harness_dbops_image_config":      "readImageConfig reads each typed attribute and the images map by itself",
	"data source harness_dbops_image_config":   "it sets each image attribute and two maps, one by one (setImageAttributes)",
	"data source harness_dbops_default_images": "it sets each image attribute, the images map and their parsed parts, one by one",
	"resource harness_ci_image_config":         "the DB DevOps image config's resource over ciKind (readImageConfig)",
	"data source harness_ci_image_config":      "the DB DevOps effective view over ciKind: infra and two maps, one by one",
	"data source harness_ci_default_images":    "the DB DevOps defaults over ciKind: infra, the images map and their parsed parts, one by one",
}

// TestSchemas walks every resource and data source the provider registers: each has a
// unique harness_dbops_ (or, for Harness CI's execution config, harness_ci_) type name, a schema the framework accepts, a description on
// every attribute (the generated docs), and, where it reads a tfsdk model, a model
// whose fields are exactly its attributes.
func TestSchemas(t *testing.T) {
	ctx := context.Background()
	all := registered()
	if len(all) < 9 {
		t.Fatalf("found %d resources and data sources; the walk is broken", len(all))
	}
	seen := map[string]bool{}
	for _, e := range all {
		t.Run(e.typeName, func(t *testing.T) {
			name := e.typeName[strings.LastIndex(e.typeName, " ")+1:]
			if !strings.HasPrefix(name, "harness_dbops_") && !strings.HasPrefix(name, "harness_ci_") || seen[e.typeName] {
				t.Errorf("type name %q is not a unique harness_dbops_ or harness_ci_ name", name)
			}
			seen[e.typeName] = true
			if d := append(e.diags, e.validate(ctx)...); d.HasError() {
				t.Error(d.Errors())
			}
			walkAttributes(t, "", e.attributes)
			m, ok := models[e.typeName]
			_, exempt := withoutModel[e.typeName]
			switch {
			case ok && exempt:
				t.Errorf("%s is in models and in withoutModel: keep it in one", e.typeName)
			case ok:
				if got, want := tfsdkTags(m), slices.Sorted(maps.Keys(e.attributes)); !slices.Equal(got, want) {
					t.Errorf("model %T has fields %v, the schema attributes %v", m, got, want)
				}
			case !exempt:
				t.Errorf("%s has no model in models: add the tfsdk model it reads with Get/Set, "+
					"or list it in withoutModel with the reason it has none", e.typeName)
			}
		})
	}
	for _, names := range [][]string{slices.Collect(maps.Keys(models)), slices.Collect(maps.Keys(withoutModel))} {
		for _, name := range names {
			if !seen[name] {
				t.Errorf("%s is listed in models or withoutModel, but the provider does not register it", name)
			}
		}
	}
}

// walkAttributes checks that every attribute, nested ones included, is described.
func walkAttributes(t *testing.T, prefix string, attrs map[string]any) {
	t.Helper()
	for name, a := range attrs {
		desc := reflect.ValueOf(a).FieldByName("MarkdownDescription").String()
		if !strings.HasSuffix(strings.TrimSpace(desc), ".") {
			t.Errorf("attribute %s%s has no description ending in a full stop: %q", prefix, name, desc)
		}
		switch a := a.(type) {
		case rschema.SingleNestedAttribute:
			walkAttributes(t, prefix+name+".", anyMap(a.Attributes))
		case dschema.SingleNestedAttribute:
			walkAttributes(t, prefix+name+".", anyMap(a.Attributes))
		case dschema.ListNestedAttribute:
			walkAttributes(t, prefix+name+"[].", anyMap(a.NestedObject.Attributes))
		}
	}
}

func tfsdkTags(model any) []string {
	var out []string
	t := reflect.TypeOf(model)
	for i := range t.NumField() {
		out = append(out, t.Field(i).Tag.Get("tfsdk"))
	}
	slices.Sort(out)
	return out
}
