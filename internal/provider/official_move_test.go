package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// officialDir holds what the official provider wrote to state (its README).
const officialDir = "testdata/official"

// officialMock is a mock that holds what Harness held after the official provider's
// applies (testdata/official/mock-state.json), and a check that an apply left it so:
// the same objects, and no PUT.
func officialMock(t *testing.T) (srv *mockserver.TestServer, unchanged func(what string)) {
	t.Helper()
	srv = acctest.NewServer(t)
	if err := srv.LoadSeed(filepath.Join(officialDir, "mock-state.json")); err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(srv.Snapshot())
	return srv, func(what string) {
		t.Helper()
		if after, _ := json.Marshal(srv.Snapshot()); string(after) != string(before) {
			t.Fatalf("%s changed what the mock holds:\n%s\nwas\n%s", what, after, before)
		}
		if n := srv.RouteCount(mockserver.RouteUpdateSchema) + srv.RouteCount(mockserver.RouteUpdateInstance); n != 0 {
			t.Fatalf("%s sent %d PUTs", what, n)
		}
	}
}

// newOfficialCLI serves this provider at dbdevops/harness and the stand-in for the
// official one at harness/harness, both on the CLI's registry host.
func newOfficialCLI(t *testing.T) (*acctest.TFCLI, string) {
	t.Helper()
	host := strings.TrimSuffix(acctest.ProviderAddress(), "/hashicorp/harness")
	c := acctest.NewTFCLIServing(t, map[string]func() tfprotov6.ProviderServer{
		host + "/dbdevops/harness": ProtocolServer("test", true),
		host + "/harness/harness":  acctest.OfficialStandIn(t, filepath.Join(officialDir, "official-schema.json")),
	})
	return c, host
}

// officialProviders are the provider blocks of a configuration with both providers:
// this one under the local name harnessdbops, pointed at srv.
func officialProviders(srv *mockserver.TestServer) string {
	return strings.Replace(acctest.CLIProvider(srv), `provider "harness"`, `provider "harnessdbops"`, 1)
}

// officialState merges recorded states into one, its resources renamed (old name to
// new), under the CLI's registry host, as the CLI would have written it.
func officialState(t *testing.T, host string, renames map[string]string, files ...string) string {
	t.Helper()
	type instance struct {
		SchemaVersion int             `json:"schema_version"`
		Attributes    json.RawMessage `json:"attributes"`
		Sensitive     json.RawMessage `json:"sensitive_attributes"`
		Private       string          `json:"private,omitempty"`
		Dependencies  []string        `json:"dependencies,omitempty"`
	}
	type res struct {
		Mode      string     `json:"mode"`
		Type      string     `json:"type"`
		Name      string     `json:"name"`
		Provider  string     `json:"provider"`
		Instances []instance `json:"instances"`
	}
	var merged map[string]json.RawMessage
	var all []res
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(officialDir, f))
		if err != nil {
			t.Fatal(err)
		}
		var st map[string]json.RawMessage
		var resources []res
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(st["resources"], &resources); err != nil {
			t.Fatal(err)
		}
		if merged == nil {
			merged = st
		}
		all = append(all, resources...)
	}
	rename := func(name string) string {
		if n, ok := renames[name]; ok {
			return n
		}
		return name
	}
	for i := range all {
		all[i].Name = rename(all[i].Name)
		for _, inst := range all[i].Instances {
			for j, d := range inst.Dependencies {
				typ, name, _ := strings.Cut(d, ".")
				inst.Dependencies[j] = typ + "." + rename(name)
			}
		}
	}
	var err error
	if merged["resources"], err = json.Marshal(all); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(merged, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "registry.terraform.io/harness/harness", host+"/harness/harness")
}

// The eight recorded shapes of the official provider's state (the guide's example and
// testdata/official/moved-shapes.tf) move onto configurations of what Harness holds:
// the plan shows every move, the description warning, and no change; the apply sends
// no write, and the next plan is empty and quiet.
func TestAccMoveFromOfficial(t *testing.T) {
	t.Parallel()
	srv, unchanged := officialMock(t)
	c, host := newOfficialCLI(t)
	shapes, err := os.ReadFile(filepath.Join(officialDir, "moved-shapes.tf"))
	if err != nil {
		t.Fatal(err)
	}
	guide := acctest.ReadExample(t, "guides/migrate-from-harness-platform/moved.tf")
	c.Write(map[string]string{
		// The guide's provider blocks are empty; the test's point at the mock.
		"main.tf":           strings.Replace(guide, "provider \"harnessdbops\" {}\n", "", 1),
		"shapes.tf":         string(shapes),
		"providers.tf":      officialProviders(srv),
		"terraform.tfstate": officialState(t, host, map[string]string{"s": "orders", "i": "prod"}, "simple.tfstate", "shapes.tfstate"),
	})
	c.MustRun("init", "-input=false")

	out := c.MustRun("plan", "-out=tfplan")
	t.Logf("the plan of the move:\n%s", out)
	flat := acctest.Flat(out)
	moves := map[string]string{"harness_platform_db_schema.orders": "harness_dbops_db_schema.orders",
		"harness_platform_db_instance.prod": "harness_dbops_db_instance.prod"}
	for _, name := range []string{"git_liquibase", "flyway_toml", "artifactory", "harness_code", "script"} {
		moves["harness_platform_db_schema."+name] = "harness_dbops_db_schema." + name
	}
	for _, name := range []string{"branch", "commit", "tag"} {
		moves["harness_platform_db_instance."+name] = "harness_dbops_db_instance." + name
	}
	for from, to := range moves {
		if !strings.Contains(flat, "# "+from+" has moved to "+to) {
			t.Errorf("the plan does not show the move of %s to %s", from, to)
		}
	}
	if !strings.Contains(flat, "Plan: 0 to add, 0 to change, 0 to destroy.") || strings.Count(flat, "Warning:") != 1 ||
		!strings.Contains(flat, `harness/harness kept description "kept only in Terraform" of the DB schema "git_liquibase" in org "o2", project "p2" in Terraform state only`) {
		t.Fatalf("want moves, no change and the one description warning:\n%s", out)
	}
	c.WantActions(map[string]string{})

	c.MustRun("apply", "tfplan")
	unchanged("the apply of a move")
	got := slices.Sorted(func(yield func(string) bool) {
		for addr := range c.ShowState() {
			if !yield(addr) {
				return
			}
		}
	})
	want := slices.Sorted(func(yield func(string) bool) {
		for _, to := range moves {
			if !yield(to) {
				return
			}
		}
	})
	if !slices.Equal(got, want) {
		t.Fatalf("state after the move: %v, want %v", got, want)
	}
	c.NoChanges("after the move")
}

// officialMove runs the resource's MoveState on one source state, as the framework
// does, and returns the moved state (null when the mover left the request alone).
func officialMove(t *testing.T, r movable, addr, typeName string, version int64, state []byte) (tftypes.Value, diag.Diagnostics) {
	t.Helper()
	ctx := t.Context()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	var ir resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ir)
	resp := resource.MoveStateResponse{
		TargetState:    tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)},
		TargetIdentity: &tfsdk.ResourceIdentity{Schema: ir.IdentitySchema, Raw: tftypes.NewValue(ir.IdentitySchema.Type().TerraformType(ctx), nil)},
	}
	for _, m := range r.MoveState(ctx) {
		m.StateMover(ctx, resource.MoveStateRequest{SourceProviderAddress: addr, SourceTypeName: typeName, SourceSchemaVersion: version,
			SourceRawState: &tfprotov6.RawState{JSON: state}}, &resp)
	}
	return resp.TargetState.Raw, resp.Diagnostics
}

// officialRecorded are the recorded states' resources of one type, by name.
func officialRecorded(t *testing.T, typeName string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []string{"simple.tfstate", "shapes.tfstate"} {
		b, err := os.ReadFile(filepath.Join(officialDir, f))
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Resources []struct {
				Type, Name string
				Instances  []struct {
					Attributes json.RawMessage `json:"attributes"`
				} `json:"instances"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		for _, r := range st.Resources {
			if r.Type == typeName {
				out[r.Name] = r.Instances[0].Attributes
			}
		}
	}
	return out
}

// officialHarness is what Harness holds after the official provider's applies (the
// mock's state), as this provider's API client reads it.
type officialHarness struct {
	Schemas []struct {
		Org, Project string
		Schema       client.Schema
	}
	Instances []struct {
		Org, Project, Schema string
		Instance             client.Instance
	}
}

// Each recorded state of the official provider moves to exactly the state a refresh
// reads from what Harness holds (less what only Harness knows: times, counts), under
// both registries' addresses, with an identity; the description warns, naming it.
func TestMoveFromOfficialRecordedShapes(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	b, err := os.ReadFile(filepath.Join(officialDir, "mock-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var harness officialHarness
	if err := json.Unmarshal(b, &harness); err != nil {
		t.Fatal(err)
	}
	var sr resource.SchemaResponse
	schemas, instances := &dbSchemaResource{}, &dbInstanceResource{}
	wantState := func(r resource.Resource, m any) tftypes.Value {
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		st := tfsdk.State{Schema: sr.Schema}
		var diags diag.Diagnostics
		switch m := m.(type) {
		case *dbSchemaModel:
			diags = tfkit.SetModel(ctx, &st, m)
		case *dbInstanceModel:
			diags = tfkit.SetModel(ctx, &st, m)
		}
		if diags.HasError() {
			t.Fatal(diags)
		}
		return st.Raw
	}
	want := map[string]tftypes.Value{}
	for _, s := range harness.Schemas {
		var m dbSchemaModel
		_ = m.fromAPI(ctx, s.Org, s.Project, &s.Schema)
		m.Created, m.Updated, m.InstanceCount, m.SchemaSourceType, m.ParentID = types.Int64Null(), types.Int64Null(), types.Int64Null(), types.StringNull(), types.StringNull()
		want["schema "+s.Schema.Identifier] = wantState(schemas, &m)
	}
	for _, in := range harness.Instances {
		var m dbInstanceModel
		_ = m.fromAPI(ctx, in.Org, in.Project, in.Schema, &in.Instance)
		m.Created, m.Updated, m.LastDeployedChangeSetTag = types.Int64Null(), types.Int64Null(), types.StringNull()
		want["instance "+in.Instance.Identifier] = wantState(instances, &m)
	}

	moved := 0
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		for kind, src := range map[string]struct {
			r        movable
			typeName string
		}{"schema": {schemas, "harness_platform_db_schema"}, "instance": {instances, "harness_platform_db_instance"}} {
			for name, attrs := range officialRecorded(t, src.typeName) {
				got, diags := officialMove(t, src.r, host+"/harness/harness", src.typeName, 0, attrs)
				var id struct{ Identifier string }
				_ = json.Unmarshal(attrs, &id)
				if diags.HasError() {
					t.Fatalf("%s %s: %v", kind, name, diags)
				}
				if w := want[kind+" "+id.Identifier]; !got.Equal(w) {
					diffs, _ := got.Diff(w)
					t.Errorf("%s %s from %s moved to\n%v\nwant what a refresh reads\n%v\ndifferences: %v", kind, name, host, got, w, diffs)
				}
				warned := slices.ContainsFunc(diags, func(d diag.Diagnostic) bool {
					return strings.Contains(d.Detail(), `description "kept only in Terraform" of the DB schema "git_liquibase"`)
				})
				if warned != (name == "git_liquibase") || len(diags) > 1 {
					t.Errorf("%s %s: diagnostics %v", kind, name, diags)
				}
				moved++
			}
		}
	}
	if moved != 2*10 {
		t.Fatalf("moved %d recorded states, want 20 (10 resources, 2 registries)", moved)
	}
}

// A source state that cannot convert fails the move with an error naming the
// attribute; another provider's or another type's state is left to the framework (no
// state, no diagnostic: "not supported").
func TestMoveFromOfficialRefuses(t *testing.T) {
	t.Parallel()
	const addr = "registry.opentofu.org/harness/harness"
	schema := `{"org_id":"o","project_id":"p","identifier":"orders","name":"Orders","tags":%s,"schema_source":%s,"changelog_script":%s}`
	src := `[{"connector":"c","location":"l"}]`
	for name, tc := range map[string]struct {
		r              movable
		addr, typeName string
		version        int64
		state          string
		want           string // in the error's detail; "" for no error and no state
	}{
		"version":          {schemas(), addr, "harness_platform_db_schema", 1, fmt.Sprintf(schema, `[]`, src, `[]`), "has schema version 1; this provider knows version 0"},
		"tag without key":  {schemas(), addr, "harness_platform_db_schema", 0, fmt.Sprintf(schema, `[":x"]`, src, `[]`), `Attribute tags of the harness_platform_db_schema state holds ":x", a tag without key`},
		"tag twice":        {instances(), addr, "harness_platform_db_instance", 0, `{"org_id":"o","project_id":"p","schema":"s","identifier":"i","tags":["a:1","a:2"]}`, `gives key "a" two values, "1" and "2"`},
		"two sources":      {schemas(), addr, "harness_platform_db_schema", 0, fmt.Sprintf(schema, `[]`, `[{},{}]`, `[]`), "Attribute schema_source or changelog_script of the state holds 2 and 0 blocks"},
		"both sources":     {schemas(), addr, "harness_platform_db_schema", 0, fmt.Sprintf(schema, `[]`, src, `[{"image":"i"}]`), "needs exactly one of the blocks schema_source and changelog_script"},
		"bad identifier":   {instances(), addr, "harness_platform_db_instance", 0, `{"org_id":"o","project_id":"p","schema":"overview","identifier":"i"}`, `Attribute schema of the harness_platform_db_instance state is "overview", which the API reserves`},
		"no org":           {schemas(), addr, "harness_platform_db_schema", 0, strings.Replace(fmt.Sprintf(schema, `[]`, src, `[]`), `"org_id":"o"`, `"org_id":""`, 1), "Attribute org_id of the harness_platform_db_schema state is empty"},
		"tags not a list":  {schemas(), addr, "harness_platform_db_schema", 0, fmt.Sprintf(schema, `"team:payments"`, src, `[]`), "Attribute tags of the harness_platform_db_schema state is a JSON string, where harness/harness writes a list"},
		"another type":     {schemas(), addr, "harness_platform_connector_github", 0, `{}`, ""},
		"another provider": {instances(), "registry.terraform.io/hashicorp/harness", "harness_platform_db_instance", 0, `{}`, ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, diags := officialMove(t, tc.r, tc.addr, tc.typeName, tc.version, []byte(tc.state))
			if tc.want == "" {
				if !got.IsNull() || len(diags) > 0 {
					t.Fatalf("the mover took the request: %v, %v", got, diags)
				}
				return
			}
			if !diags.HasError() || !strings.Contains(acctest.Flat(diags.Errors()[0].Detail()), tc.want) || !got.IsNull() {
				t.Fatalf("diagnostics %v, state %v; want an error with %q", diags, got, tc.want)
			}
		})
	}
}

// movable is a resource that takes over the official provider's.
type movable interface {
	resource.ResourceWithMoveState
	resource.ResourceWithIdentity
}

func schemas() movable   { return &dbSchemaResource{} }
func instances() movable { return &dbInstanceResource{} }

// The guide's fallback, for a CLI without cross-provider moves: the moved blocks
// replaced by removed (destroy = false) and import blocks, under both CLIs. The plan
// forgets the official resources and imports the same objects with no change; the
// apply writes nothing; the next plan is empty.
func TestAccMoveFromOfficialFallback(t *testing.T) {
	t.Parallel()
	srv, unchanged := officialMock(t)
	c, host := newOfficialCLI(t)
	guide := acctest.ReadExample(t, "guides/migrate-from-harness-platform/moved.tf")
	withoutMoves := regexp.MustCompile(`(?s)moved \{.*?\n\}\n`).ReplaceAllString(guide, "")
	if strings.Count(guide, "moved {") != 2 || strings.Contains(withoutMoves, "moved {") {
		t.Fatalf("the guide's example should have two moved blocks:\n%s", guide)
	}
	c.Write(map[string]string{
		"main.tf":           strings.Replace(withoutMoves, "provider \"harnessdbops\" {}\n", "", 1),
		"fallback.tf":       acctest.ReadExample(t, "guides/migrate-from-harness-platform/fallback.tf"),
		"providers.tf":      officialProviders(srv),
		"terraform.tfstate": officialState(t, host, map[string]string{"s": "orders", "i": "prod"}, "simple.tfstate"),
	})
	c.MustRun("init", "-input=false")
	out := c.MustRun("plan", "-out=tfplan")
	t.Logf("the plan of the fallback:\n%s", out)
	flat := acctest.Flat(out)
	forgets := regexp.MustCompile(`# harness_platform_db_(schema\.orders|instance\.prod) will (no longer be managed by Terraform|` +
		`be removed from the OpenTofu state), but will not be destroyed`) // Terraform, OpenTofu
	if !strings.Contains(flat, "# harness_dbops_db_schema.orders will be imported") || !strings.Contains(flat, "# harness_dbops_db_instance.prod will be imported") ||
		len(forgets.FindAllString(strings.ReplaceAll(flat, "state but", "state, but"), -1)) != 2 ||
		!strings.Contains(flat, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy") {
		t.Fatalf("want two imports, two forgotten resources and nothing else:\n%s", out)
	}
	c.MustRun("apply", "tfplan")
	unchanged("the apply of the fallback")
	c.NoChanges("after the fallback")
}
