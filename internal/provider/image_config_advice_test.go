package provider

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// Tests of what the image config's plan says before its apply does it: the overrides
// turning exclusive on resets, a move between the two forms, a field Harness added, a
// field Harness does not have.

// Turning exclusive on plans the reset of the overrides the refresh found, with a
// warning that names them, and the apply resets them; turning it off shows no deletion,
// and the apply leaves the overrides alone; setting the field of one takes it over.
func TestAccImageConfigResource_exclusiveOnOff(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	shared := acctest.CLIProvider(srv) + acctest.ImageConfigBody(acctest.HCL("default_tag", acctest.MirrorLiquibase))
	exclusive := acctest.CLIProvider(srv) + acctest.ImageConfigBody("exclusive = true", acctest.HCL("default_tag", acctest.MirrorLiquibase))
	c.Write(map[string]string{"main.tf": shared})
	c.MustRun("apply", "-auto-approve")
	if err := srv.SetOverride("mongoTag", acctest.MirrorMongo); err != nil { // made in the Harness UI
		t.Fatal(err)
	}
	c.NoChanges("shared, with an override it does not manage")

	c.Write(map[string]string{"main.tf": exclusive})
	out := c.MustRun("plan", "-out=on.plan")
	t.Logf("the plan that turns exclusive on:\n%s", out)
	acctest.MustContain(t, "the plan that turns exclusive on", out,
		`~ exclusive = false -> true`,
		`~ unmanaged_overrides = { - "mongoTag" = "`+acctest.MirrorMongo+`" -> null }`,
		`Warning: Unmanaged image overrides will be reset`,
		`not set: - mongoTag = "`+acctest.MirrorMongo+`" The apply resets them to the Harness defaults.`)
	c.ApplyLeaves(srv, "after turning exclusive on", map[string]string{"defaultTag": acctest.MirrorLiquibase}, "on.plan")

	// An override made while exclusive, then exclusive turned off: nothing is reset.
	const spanner = "registry.example.com/ui/spanner:2"
	if err := srv.SetOverride("spannerTag", spanner); err != nil {
		t.Fatal(err)
	}
	c.Write(map[string]string{"main.tf": shared})
	out = c.MustRun("plan", "-out=off.plan")
	t.Logf("the plan that turns exclusive off:\n%s", out)
	acctest.MustContain(t, "the plan that turns exclusive off", out, `~ exclusive = true -> false`, "Plan: 0 to add, 1 to change, 0 to destroy.")
	if strings.Contains(out, "unmanaged_overrides") || strings.Contains(out, "Warning") {
		t.Errorf("the plan that turns exclusive off shows unmanaged_overrides changing, or warns:\n%s", out)
	}
	before, after := c.PlanChange("off.plan", acctest.ImageConfigAddr)
	want := map[string]any{"spannerTag": spanner}
	if !reflect.DeepEqual(before["unmanaged_overrides"], want) || !reflect.DeepEqual(after["unmanaged_overrides"], want) {
		t.Errorf("unmanaged_overrides in the plan: %v -> %v, want %v on both sides", before["unmanaged_overrides"], after["unmanaged_overrides"], want)
	}
	c.ApplyLeaves(srv, "after turning exclusive off", map[string]string{"defaultTag": acctest.MirrorLiquibase, "spannerTag": spanner}, "off.plan")

	// Setting the field of an unmanaged override takes it over: it leaves the map, and
	// the warning says it is not reset.
	const mySpanner = "registry.example.com/mirror/drone-liquibase:1.18.0-4.33-spanner"
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("spanner_tag", mySpanner))})
	out = c.MustRun("plan")
	acctest.MustContain(t, "the plan that takes an override over", out,
		`+ spanner_tag = "`+mySpanner+`"`, `~ unmanaged_overrides = { - "spannerTag" = "`+spanner+`" -> null }`,
		`Warning: Taking over existing overrides`,
		`The plan shows them leaving unmanaged_overrides; they are not reset: - spanner_tag (spannerTag): Harness holds "`+spanner+`"; the apply sets "`+mySpanner+`".`)
	c.ApplyLeaves(srv, "after the take-over", map[string]string{"defaultTag": acctest.MirrorLiquibase, "spannerTag": mySpanner})
}

// Creating an exclusive resource resets every override it does not set: the plan reads
// them, as it has no refreshed state to show them from, and names them.
func TestAccImageConfigResource_exclusiveCreateWarns(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	for f, v := range map[string]string{"mongoTag": acctest.MirrorMongo, "defaultTag": "registry.example.com/old/drone-liquibase:1"} {
		if err := srv.SetOverride(f, v); err != nil {
			t.Fatal(err)
		}
	}
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody("exclusive = true", acctest.HCL("default_tag", acctest.MirrorLiquibase))})
	out := c.MustRun("plan")
	acctest.MustContain(t, "the plan of an exclusive create", out, "+ unmanaged_overrides = {}",
		`Warning: Unmanaged image overrides will be reset`, `not set: - mongoTag = "`+acctest.MirrorMongo+`" The apply resets them`)
	if strings.Contains(acctest.Flat(out), `- defaultTag =`) {
		t.Errorf("the warning names defaultTag, which the resource sets:\n%s", out)
	}
	c.MustRun("apply", "-auto-approve")
	if err := acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase})(nil); err != nil {
		t.Fatal(err)
	}
}

// A field moved between its typed attribute and the images map plans as a move, not a
// reset: the warning says so and what the apply sends (nothing for the same value).
func TestAccImageConfigResource_moveBetweenForms(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("git_clone_tag", acctest.MirrorGit))})
	c.MustRun("apply", "-auto-approve")

	srv.ResetRequests()
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(acctest.HCL("default_tag", acctest.MirrorLiquibase), `images = { gitCloneTag = "`+acctest.MirrorGit+`" }`)})
	out := c.MustRun("plan")
	t.Logf("the plan of a move:\n%s", out)
	acctest.MustContain(t, "the plan of a move", out,
		`- git_clone_tag = "`+acctest.MirrorGit+`" -> null`,
		`+ images = { + "gitCloneTag" = "`+acctest.MirrorGit+`" }`,
		`Warning: Image override moved, not reset`,
		`That is a move: the apply does not reset them to the Harness default. - git_clone_tag -> images["gitCloneTag"]: same value "`+acctest.MirrorGit+`", so the apply sends nothing for it.`)
	c.ApplyLeaves(srv, "after the move", map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit})
	if err := acctest.RouteCounts(srv, map[string]int{mockserver.RouteUpdateConfig: 0, mockserver.RouteResetConfig: 0})(nil); err != nil {
		t.Error("the apply of a move: " + err.Error())
	}

	// Back, with a new value: the apply sets that value and resets nothing.
	const newGit = "registry.example.com/mirror/drone-git:1.6.5-rootless"
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("git_clone_tag", newGit))})
	out = c.MustRun("plan")
	acctest.MustContain(t, "the plan of a move with a new value", out,
		`- images["gitCloneTag"] -> git_clone_tag: "`+acctest.MirrorGit+`" -> "`+newGit+`", which the apply sets.`)
	c.MustRun("apply", "-auto-approve")
	if err := acctest.LastBodyIs(srv, mockserver.RouteUpdateConfig, `[{"field":"gitCloneTag","value":"`+newGit+`"}]`)(nil); err != nil {
		t.Error(err)
	}
	if err := acctest.OverridesAre(srv.Overrides, map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": newGit})(nil); err != nil {
		t.Error(err)
	}
	if n := srv.RouteCount(mockserver.RouteResetConfig); n != 0 {
		t.Errorf("a move reset %d times", n)
	}
}

// A field Harness adds is warned about, naming it and its default, by an exclusive
// resource (until its next apply) and by a mirror of every field (until it sets the
// field), not by a resource that pins a few fields.
func TestAccImageConfigResource_newDefaultField(t *testing.T) {
	t.Parallel()
	const added = "Warning: Harness has added an image field this configuration does not set"
	futureDefault := "plugins/drone-liquibase:1.18.0-4.33-future"
	addDefault := func(srv *mockserver.TestServer, field, image string) {
		t.Helper()
		if err := srv.SetDefault(field, image); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("exclusive", func(t *testing.T) {
		t.Parallel()
		srv := acctest.NewServer(t)
		c := newTFCLI(t)
		write := func(lines ...string) {
			c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(append([]string{"exclusive = true"}, lines...)...)})
		}
		write(acctest.HCL("default_tag", acctest.MirrorLiquibase))
		c.MustRun("apply", "-auto-approve")
		addDefault(srv, "futureTag", futureDefault)
		out := c.MustRun("plan")
		t.Logf("an exclusive resource's plan after Harness added a field:\n%s", out)
		acctest.MustContain(t, "the plan after Harness added a field", out, "No changes.", added,
			`- futureTag, whose default is "`+futureDefault+`" This resource owns the whole execution config (exclusive = true), and leaves it on the Harness default`,
			"This warning shows on every plan until it sets the field or is next applied.")
		// An apply (of another change) takes note of it.
		write(acctest.HCL("default_tag", acctest.PinnedDigest))
		c.ApplyLeaves(srv, "after the next apply", map[string]string{"defaultTag": acctest.PinnedDigest})
		// Another field, pinned: the plan sets it, and the apply stores it.
		addDefault(srv, "pastTag", futureDefault)
		write(acctest.HCL("default_tag", acctest.PinnedDigest), `images = { pastTag = "`+acctest.BulkMirror+`/past:1" }`)
		if out := c.MustRun("plan"); strings.Contains(out, "Warning") || !strings.Contains(acctest.Flat(out), `+ "pastTag" = "`+acctest.BulkMirror+`/past:1"`) {
			t.Errorf("the plan that pins the added field:\n%s", out)
		}
		c.ApplyLeaves(srv, "after pinning the added field", map[string]string{"defaultTag": acctest.PinnedDigest, "pastTag": acctest.BulkMirror + "/past:1"})
	})

	t.Run("mirror", func(t *testing.T) {
		t.Parallel()
		srv := acctest.NewServer(t)
		c := newTFCLI(t)
		lines := func(except string) []string {
			var out []string
			for api, img := range mockserver.DefaultImages() {
				if f, _ := imageFieldByName(api); f.attr != except {
					out = append(out, acctest.HCL(f.attr, acctest.BulkMirror+"/"+img))
				}
			}
			slices.Sort(out)
			return out
		}
		c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(lines("")...)})
		c.MustRun("apply", "-auto-approve")
		addDefault(srv, "futureTag", futureDefault)
		want := []string{"No changes.", added, `- futureTag, whose default is "` + futureDefault + `" This resource sets every other field, as a mirror of the defaults does`,
			"This warning shows on every plan until it sets the field."}
		acctest.MustContain(t, "a mirror's plan after Harness added a field", c.MustRun("plan"), want...)
		// An apply that does not set it (it repairs a drifted field): the warning stays.
		if err := srv.SetOverride("oracleTag", "registry.example.com/ui/oracle:1"); err != nil {
			t.Fatal(err)
		}
		c.MustRun("apply", "-auto-approve")
		acctest.MustContain(t, "a mirror's plan after an apply that does not set the field", c.MustRun("plan"), want...)
		// A resource that stops setting a field is no mirror: a field Harness adds then is its choice.
		c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(lines("oracle_tag")...)})
		if out := c.MustRun("plan"); strings.Contains(out, added) {
			t.Errorf("a resource that sets only some fields warns about an added one:\n%s", out)
		}
		// Setting it ends the warning.
		c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(append(lines(""), `images = { futureTag = "`+acctest.BulkMirror+"/"+futureDefault+`" }`)...)})
		c.ApplyLeaves(srv, "after the mirror set the added field", acctest.Mirrored(srv.Defaults()))
	})
}

// A key of the images map that Harness does not have is a plan error that suggests the
// nearest field and lists them all, so nothing half-applies; a field Harness added is
// accepted; when the defaults cannot be read the plan warns and the server decides.
func TestAccImageConfigResource_unknownField(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(`images = { gitCloneTags = "`+acctest.MirrorGit+`", defaultTag = "`+acctest.MirrorLiquibase+`" }`)})
	out := c.MustFail("plan")
	acctest.MustContain(t, "the plan of a typo", out, `Error: Unknown image field`, `with harness_dbops_image_config.this`,
		`Harness's execution config has no field "gitCloneTags", so the apply would fail. Did you mean "gitCloneTag"? The fields are: `+
			strings.Join(mockserver.Fields(), ", ")+".")
	if n := len(srv.RouteCounts()); n != 1 {
		t.Errorf("the plan of a typo called more than the credentials check: %v", srv.RouteCounts())
	}

	if err := srv.SetDefault("futureTag", "plugins/drone-future:1.0.0"); err != nil {
		t.Fatal(err)
	}
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + acctest.ImageConfigBody(`images = { futureTag = "`+acctest.BulkMirror+`/future:1" }`)})
	c.ApplyLeaves(srv, "after setting a field Harness added", map[string]string{"futureTag": acctest.BulkMirror + "/future:1"})

	// The defaults cannot be read: a warning, and the server's answer at apply.
	other := acctest.NewServer(t)
	other.AddFault(mockserver.Fault{Route: mockserver.RouteGetDefaultConfig, Status: 503, Message: "defaults are being updated"})
	c2 := newTFCLI(t)
	c2.Write(map[string]string{"main.tf": acctest.ProviderBlock(other, "max_retries = 0\nskip_credentials_validation = true") +
		acctest.ImageConfigBody(`images = { gitCloneTags = "`+acctest.MirrorGit+`" }`)})
	acctest.MustContain(t, "the plan without the defaults", c2.MustRun("plan"), "Warning: Could not compare the overrides with the Harness defaults",
		`Without them the plan cannot tell whether Harness has images["gitCloneTags"], which this provider version does not know: if Harness does not, the apply fails.`,
		"Plan: 1 to add")
	acctest.MustContain(t, "the apply without the defaults", c2.MustFail("apply", "-auto-approve"), `unknown execution-config field "gitCloneTags"`)
	if got := other.Overrides(); len(got) != 0 {
		t.Errorf("overrides after the failed apply: %v", got)
	}
}

func TestClosest(t *testing.T) {
	fields := mockserver.Fields()
	for name, want := range map[string]string{
		"gitCloneTags": "gitCloneTag", "gitclonetag": "gitCloneTag", "defaultTg": "defaultTag",
		"flywaySpanerTag": "flywaySpannerTag", "mongo": "", "bogusTag": "", "x": "",
	} {
		got, ok := closest(name, fields)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("closest(%q) = %q, want %q", name, got, want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", d)
	}
}

// fieldCoverage and nextSeen: which configurations are warned about a field Harness
// added, and for how long.
func TestFieldCoverage(t *testing.T) {
	defaults := client.ExecutionConfig{"aTag": "a:1", "bTag": "b:1", "newTag": "n:1"}
	seen := []string{"aTag", "bTag", "goneTag"} // goneTag: Harness no longer has it
	for _, tt := range []struct {
		name      string
		managed   []string
		mirror    bool
		unpinned  []string
		nextSeen  []string
		seenInput []string
	}{
		{"a mirror", []string{"aTag", "bTag"}, true, []string{"newTag"}, []string{"aTag", "bTag", "goneTag"}, seen},
		{"a mirror that set it", []string{"aTag", "bTag", "newTag"}, true, nil, []string{"aTag", "bTag", "goneTag", "newTag"}, seen},
		{"some fields", []string{"aTag"}, false, []string{"newTag"}, []string{"aTag", "bTag", "goneTag", "newTag"}, seen},
		{"no field", nil, false, []string{"newTag"}, []string{"aTag", "bTag", "goneTag", "newTag"}, seen},
		{"nothing seen in the defaults", nil, false, []string{"aTag", "bTag", "newTag"}, []string{"aTag", "bTag", "newTag", "xTag"}, []string{"xTag"}},
	} {
		mirror, unpinned := fieldCoverage(defaults, tt.seenInput, tt.managed)
		if mirror != tt.mirror || !slices.Equal(unpinned, tt.unpinned) {
			t.Errorf("%s: fieldCoverage = %v, %v; want %v, %v", tt.name, mirror, unpinned, tt.mirror, tt.unpinned)
		}
		if got := nextSeen(defaults, tt.seenInput, tt.managed); !slices.Equal(got, tt.nextSeen) {
			t.Errorf("%s: nextSeen = %v, want %v", tt.name, got, tt.nextSeen)
		}
	}
	if got := decodeSeen(nil, dbopsKind.seenBefore(defaults)); len(got) != len(imageFields) || got[0] != imageFields[0].api {
		t.Errorf("decodeSeen(nil) = %v, want the fields this provider version knows", got)
	}
	if got := decodeSeen(nil, ciKind.seenBefore(defaults)); !slices.Equal(got, []string{"aTag", "bTag", "newTag"}) {
		t.Errorf("decodeSeen(nil) of a CI config = %v, want the fields of the defaults", got)
	}
	if got := decodeSeen([]byte(`["x"]`), nil); !slices.Equal(got, []string{"x"}) {
		t.Errorf(`decodeSeen(["x"]) = %v`, got)
	}
}

// plannedUnmanaged: what unmanaged_overrides holds after the apply, in each mode.
func TestPlannedUnmanaged(t *testing.T) {
	refreshed := imageConfigModel{kind: dbopsKind, UnmanagedOverrides: tfkit.StringMap(map[string]string{"mongoTag": "m:1", "oracleTag": "o:1"})}
	plan := func(exclusive types.Bool, set ...string) imageConfigModel {
		m := imageConfigModel{kind: dbopsKind, Exclusive: exclusive, Images: map[string]types.String{}}
		for _, api := range set {
			m.Images[api] = types.StringValue("x:1")
		}
		return m
	}
	for _, tt := range []struct {
		name     string
		plan     imageConfigModel
		state    imageConfigModel
		creating bool
		want     types.Map
	}{
		{"exclusive: the apply resets them", plan(types.BoolValue(true)), refreshed, false, tfkit.StringMap(nil)},
		{"shared: they stay", plan(types.BoolValue(false), "defaultTag"), refreshed, false, tfkit.StringMap(map[string]string{"mongoTag": "m:1", "oracleTag": "o:1"})},
		{"shared: a field the plan sets leaves them", plan(types.BoolValue(false), "mongoTag"), refreshed, false, tfkit.StringMap(map[string]string{"oracleTag": "o:1"})},
		{"shared create: not read yet", plan(types.BoolValue(false), "defaultTag"), imageConfigModel{kind: dbopsKind}, true, types.MapUnknown(types.StringType)},
		{"exclusive create: none left", plan(types.BoolValue(true)), imageConfigModel{kind: dbopsKind}, true, tfkit.StringMap(nil)},
		{"exclusive unknown", plan(types.BoolUnknown()), refreshed, false, types.MapUnknown(types.StringType)},
		{"a state not refreshed since an older version", plan(types.BoolValue(false)), imageConfigModel{kind: dbopsKind, UnmanagedOverrides: types.MapNull(types.StringType)}, false, types.MapNull(types.StringType)},
	} {
		if got := tt.plan.plannedUnmanaged(tt.state, tt.creating); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// warnDestroyKeeps: a shared resource's destroy plan says what destroy resets and that
// it leaves the other overrides; an exclusive one, or one with no other override, says
// nothing.
func TestWarnDestroyKeeps(t *testing.T) {
	ctx := t.Context()
	var sresp resource.SchemaResponse
	newImageConfigResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
	for _, tt := range []struct {
		name       string
		exclusive  bool
		onDestroy  string
		set, other map[string]string
		want       string // "": no warning
	}{
		{"shared", false, onDestroyReset, map[string]string{"gitCloneTag": "g:1"}, map[string]string{"mongoTag": "m:1"},
			"Destroying this resource resets only the fields it sets (git_clone_tag), and leaves the overrides on other fields as they are: mongoTag."},
		{"retain", false, onDestroyRetain, map[string]string{"gitCloneTag": "g:1"}, map[string]string{"mongoTag": "m:1"},
			`resets nothing (on_destroy = "retain"), and leaves the overrides on other fields as they are: mongoTag.`},
		{"its overrides gone", false, onDestroyReset, nil, map[string]string{"mongoTag": "m:1"},
			"resets nothing (the overrides it set are gone already), and leaves"},
		{"exclusive", true, onDestroyReset, map[string]string{"gitCloneTag": "g:1"}, map[string]string{"mongoTag": "m:1"}, ""},
		{"no other override", false, onDestroyReset, map[string]string{"gitCloneTag": "g:1"}, nil, ""},
	} {
		m := imageConfigModel{kind: dbopsKind, ID: types.StringValue("acc"), Exclusive: types.BoolValue(tt.exclusive), OnDestroy: types.StringValue(tt.onDestroy),
			UnmanagedOverrides: tfkit.StringMap(tt.other), Images: map[string]types.String{}}
		for api, v := range tt.set {
			m.Images[api] = types.StringValue(v)
		}
		state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
		if diags := m.write(ctx, &state); diags.HasError() {
			t.Fatal(diags)
		}
		resp := &resource.ModifyPlanResponse{}
		warnDestroyKeeps(ctx, dbopsKind, state, resp)
		switch w := resp.Diagnostics.Warnings(); {
		case tt.want == "" && len(w) > 0:
			t.Errorf("%s: warns %q", tt.name, w[0].Detail())
		case tt.want != "" && (len(w) != 1 || !strings.Contains(w[0].Detail(), tt.want)):
			t.Errorf("%s: %v, want one warning with %q", tt.name, w, tt.want)
		}
	}
}

// warnResets names what an exclusive plan resets, not the fields the plan sets, and
// does not promise to reset what an images map known only at apply may set.
func TestWarnResets(t *testing.T) {
	found := tfkit.StringMap(map[string]string{"mongoTag": "m:1", "defaultTag": "d:1"})
	for _, tt := range []struct {
		name          string
		plan          imageConfigModel
		want, wantNot string
		warns         bool
	}{
		{"exclusive", imageConfigModel{kind: dbopsKind, Exclusive: types.BoolValue(true), Images: map[string]types.String{"defaultTag": types.StringValue("x:1")}},
			"not set:\n- mongoTag = \"m:1\"\nThe apply resets them to the Harness defaults. To keep one", "defaultTag", true},
		{"exclusive, map unknown", imageConfigModel{kind: dbopsKind, Exclusive: types.BoolValue(true), MapUnknown: true, Images: map[string]types.String{}},
			"The apply resets them to the Harness defaults, except those the images map sets (it is known only at apply).", "", true},
		{"shared", imageConfigModel{kind: dbopsKind, Exclusive: types.BoolValue(false), Images: map[string]types.String{}}, "", "", false},
	} {
		resp := &resource.ModifyPlanResponse{}
		warnResets(tt.plan, found, resp)
		w := resp.Diagnostics.Warnings()
		if !tt.warns {
			if len(w) > 0 {
				t.Errorf("%s: warns %q", tt.name, w[0].Detail())
			}
			continue
		}
		if len(w) != 1 || !strings.Contains(w[0].Detail(), tt.want) || tt.wantNot != "" && strings.Contains(w[0].Detail(), tt.wantNot) {
			t.Errorf("%s: %v, want one warning with %q and without %q", tt.name, w, tt.want, tt.wantNot)
		}
	}
}

// The three warnings the image config documents, each where it must appear, with its
// text, and nowhere else: taking over an existing override (on create), an override
// that equals the Harness default (on a plan that sets one), and drift (on a plan
// after a change outside Terraform).
func TestAccImageConfigResource_warnings(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	if err := srv.SetOverride("gitCloneTag", "registry.example.com/old/drone-git:1.0.0"); err != nil {
		t.Fatal(err)
	}
	defaultMongo := mockserver.DefaultImages()["mongoTag"]
	c := newTFCLI(t)
	count := func(out, warning string) int { return strings.Count(out, "Warning: "+warning) }

	c.Write(map[string]string{"main.tf": acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("git_clone_tag", acctest.MirrorGit), acctest.HCL("mongo_tag", defaultMongo))})
	out := acctest.Flat(c.MustRun("apply", "-auto-approve"))
	for warning, n := range map[string]int{"Taking over an existing override": 1, "Override equals the Harness default": 1, "Image override drifted": 0} {
		if got := count(out, warning); got != n {
			t.Errorf("create: %d %q warnings, want %d:\n%s", got, warning, n, out)
		}
	}
	for _, want := range []string{
		`The account already overrides git_clone_tag (gitCloneTag) with "registry.example.com/old/drone-git:1.0.0"; this resource now manages it and sets "` + acctest.MirrorGit + `".`,
		`mongo_tag = "` + defaultMongo + `" is the current Harness default, so this override changes nothing today`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("create output lacks %q:\n%s", want, out)
		}
	}
	if out := c.MustRun("plan"); strings.Contains(out, "Warning") {
		t.Errorf("a plan with nothing to do warns:\n%s", out)
	}

	// Drift: one override changed, one removed, outside Terraform.
	if err := srv.SetOverride("defaultTag", "registry.example.com/other/drone-liquibase:9.9.9"); err != nil {
		t.Fatal(err)
	}
	srv.DeleteOverride("gitCloneTag")
	out = acctest.Flat(c.MustRun("plan"))
	for _, want := range []string{
		`Warning: Image override drifted: default_tag`,
		`The override of default_tag (defaultTag) was changed outside Terraform to "registry.example.com/other/drone-liquibase:9.9.9"; Terraform last applied "` + acctest.MirrorLiquibase + `". This plan sets it to "` + acctest.MirrorLiquibase + `" again.`,
		`Warning: Image override drifted: git_clone_tag`,
		`The override of git_clone_tag (gitCloneTag) was removed outside Terraform; Terraform last applied "` + acctest.MirrorGit + `". This plan sets it to "` + acctest.MirrorGit + `" again.`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("drift plan lacks %q:\n%s", want, out)
		}
	}
	if n := count(out, "Image override drifted"); n != 2 || count(out, "Taking over") != 0 {
		t.Errorf("drift plan: %d drift warnings, want 2 (mongo_tag did not drift), and no take-over:\n%s", n, out)
	}
	c.MustRun("apply", "-auto-approve")
	if out := c.MustRun("plan"); strings.Contains(out, "Warning") {
		t.Errorf("a plan after the repair warns:\n%s", out)
	}
}

// Two image configs that set one field would undo each other on every apply: the plan
// says so once, naming the field and the other value, whatever order Terraform plans
// them in; a field set by one resource only, and a lone resource, get no warning. An
// exclusive resource next to another one is the same conflict.
func TestAccImageConfigResource_twoOnOneField(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
resource "harness_dbops_image_config" "a" {
  default_tag = "` + acctest.MirrorLiquibase + `"
}
resource "harness_dbops_image_config" "b" {
  default_tag = "` + acctest.PinnedDigest + `"
  mongo_tag   = "` + acctest.MirrorMongo + `"
}
`})
	for range 3 { // the order of the two plans varies: the warning must not
		out := acctest.Flat(c.MustRun("plan", "-parallelism=2"))
		if n := strings.Count(out, "Warning: Two image configs manage the same field"); n != 1 {
			t.Fatalf("%d warnings, want 1:\n%s", n, out)
		}
		thisA := `This harness_dbops_image_config sets default_tag (defaultTag), and another one in this configuration sets it to "` + acctest.PinnedDigest + `".`
		thisB := `This harness_dbops_image_config sets default_tag (defaultTag), and another one in this configuration sets it to "` + acctest.MirrorLiquibase + `".`
		if !strings.Contains(out, thisA) && !strings.Contains(out, thisB) {
			t.Fatalf("the warning does not name the field and the other value:\n%s", out)
		}
		if strings.Contains(out, "sets mongo_tag") {
			t.Fatalf("mongo_tag is set by one resource only, yet it warns:\n%s", out)
		}
	}
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
resource "harness_dbops_image_config" "all" {
  exclusive = true
}
resource "harness_dbops_image_config" "b" {
  mongo_tag = "` + acctest.MirrorMongo + `"
}
`})
	if out := acctest.Flat(c.MustRun("plan")); strings.Count(out, "Warning: Two image configs manage the same field") != 1 ||
		!strings.Contains(out, "owns the whole execution config (exclusive = true)") {
		t.Fatalf("an exclusive config next to another one:\n%s", out)
	}
}

// When the Harness defaults cannot be read, the plan does without its "equals the
// default" check, and says so in a warning with the reason (never only in a debug log).
func TestAccImageConfigResource_defaultsUnreadable(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetDefaultConfig, Status: 503, Message: "defaults are being updated"})
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.ProviderBlock(srv, "max_retries = 0\nskip_credentials_validation = true") +
		acctest.ImageConfigBody(acctest.HCL("default_tag", acctest.MirrorLiquibase))})
	out := acctest.Flat(c.MustRun("plan"))
	for _, want := range []string{
		"Warning: Could not compare the overrides with the Harness defaults",
		"503 Service Unavailable: defaults are being updated",
		"The plan is complete without this check.",
		"Plan: 1 to add",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
}
