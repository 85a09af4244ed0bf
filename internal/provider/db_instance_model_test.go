package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

func TestDBInstanceModel_mapping(t *testing.T) {
	ctx := context.Background()
	emptyMap := types.MapValueMust(types.StringType, map[string]attr.Value{})
	t.Run("toAPI: null and empty maps are omitted", func(t *testing.T) {
		for _, m := range []types.Map{types.MapNull(types.StringType), emptyMap} {
			model := dbInstanceModel{Name: types.StringValue("n"), Connector: types.StringValue("c"), Tags: m, SubstituteProperties: m,
				Branch: types.StringNull(), CommitSHA: types.StringNull(), GitTag: types.StringValue("v1"), Context: types.StringNull()}
			in, diags := model.toAPI(ctx)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if in.Tags != nil || in.SubstituteProperties != nil || in.GitTag != "v1" || in.Branch != "" {
				t.Fatalf("create body %+v", in)
			}
		}
	})
	t.Run("toAPI: set values", func(t *testing.T) {
		model := dbInstanceModel{Identifier: types.StringValue("i"), Name: types.StringValue("n"), Connector: types.StringValue("org.c"),
			Tags:                 types.MapValueMust(types.StringType, map[string]attr.Value{"a": types.StringValue("1")}),
			SubstituteProperties: types.MapValueMust(types.StringType, map[string]attr.Value{"K": types.StringValue("V")}),
			Branch:               types.StringValue("main"), Context: types.StringValue("ctx")}
		in, diags := model.toAPI(ctx)
		if diags.HasError() || in.Identifier != "i" || in.Tags["a"] != "1" || in.SubstituteProperties["K"] != "V" || in.Branch != "main" || in.Context != "ctx" || in.Connector != "org.c" {
			t.Fatalf("create body %+v, %v", in, diags)
		}
	})
	t.Run("fromAPI: empty strings are null, absent maps {}", func(t *testing.T) {
		var m dbInstanceModel
		diags := m.fromAPI(ctx, "o", "p", "s", &client.Instance{Identifier: "i", Name: "n", Connector: "c", Created: 1, Updated: 2, LastDeployedChangeSetTag: ""})
		if diags.HasError() {
			t.Fatal(diags)
		}
		for name, v := range map[string]types.String{"context": m.Context, "branch": m.Branch, "commit_sha": m.CommitSHA, "git_tag": m.GitTag,
			"last_applied_tag": m.LastAppliedTag, "last_deployed_change_set_tag": m.LastDeployedChangeSetTag} {
			if !v.IsNull() {
				t.Errorf("%s = %v, want null", name, v)
			}
		}
		if !m.Tags.Equal(emptyMap) || !m.SubstituteProperties.Equal(emptyMap) {
			t.Errorf("tags %v, substitute_properties %v, want {}", m.Tags, m.SubstituteProperties)
		}
		if m.ID.ValueString() != "o/p/s/i" || m.Schema.ValueString() != "s" || m.Created.ValueInt64() != 1 || m.Updated.ValueInt64() != 2 {
			t.Errorf("model %+v", m)
		}
	})
	t.Run("fromAPI: set values", func(t *testing.T) {
		var m dbInstanceModel
		diags := m.fromAPI(ctx, "o", "p", "s", &client.Instance{Identifier: "i", Name: "n", Connector: "c", CommitSHA: "abc", Context: "x",
			Tags: map[string]string{"a": "1"}, SubstituteProperties: map[string]string{"K": "V"}, LastAppliedTag: "t1", LastDeployedChangeSetTag: "cs"})
		if diags.HasError() {
			t.Fatal(diags)
		}
		if m.CommitSHA.ValueString() != "abc" || m.Context.ValueString() != "x" || m.LastAppliedTag.ValueString() != "t1" ||
			m.LastDeployedChangeSetTag.ValueString() != "cs" || len(m.Tags.Elements()) != 1 || len(m.SubstituteProperties.Elements()) != 1 {
			t.Errorf("model %+v", m)
		}
	})
}
