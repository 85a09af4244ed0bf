package mockserver

import (
	"bytes"
	"maps"
	"os"
	"strings"
	"testing"
)

// ciSeed moves a K8 default, adds a VM field as a release would, and overrides on both.
const ciSeed = `ci:
  K8:
    defaults:
      liteEngineTag: harness/ci-lite-engine:1.17.0
    overrides:
      addonTag: registry.example.com/harness/ci-addon:1.16.92
  VM:
    defaults:
      dockerLayerCacheTag: harness/dlc:1.0.0
    overrides:
      dockerLayerCacheTag: registry.example.com/harness/dlc:1.0.0
`

// A seed carries the CI config of each infra; the API serves it, the export carries it,
// and export, seed, export gives the same bytes.
func TestCIState_seedAndRoundTrip(t *testing.T) {
	t.Parallel()
	first := NewTestServer(t)
	if err := first.load([]byte(ciSeed)); err != nil {
		t.Fatal(err)
	}
	if k8 := ciImages(t, call(t, first, "GET", ciDefault+ciQ("K8"), nil)); k8["liteEngineTag"] != "harness/ci-lite-engine:1.17.0" || k8["addonTag"] != "harness/ci-addon:1.16.92" {
		t.Errorf("K8 defaults: the seed's move, the rest seeded: %v", k8["liteEngineTag"])
	}
	if vm := first.CIOverrides("VM"); vm["dockerLayerCacheTag"] == "" || len(first.CIDefaults("VM")) != 16 {
		t.Errorf("VM: overrides %v, %d defaults", vm, len(first.CIDefaults("VM")))
	}
	exported := call(t, first, "GET", "/_mock/state", nil).body
	st, err := ParseState(exported)
	if err != nil || len(st.CI) != 2 || len(st.CI["K8"].Defaults) != 48 || st.CI["K8"].Overrides["addonTag"] == "" {
		t.Fatalf("the export: %v, %+v", err, st.CI)
	}
	second := NewTestServer(t)
	if r := call(t, second, "PUT", "/_mock/state", string(exported)); r.status != 200 {
		t.Fatalf("PUT /_mock/state: %s", r.body)
	}
	if again := call(t, second, "GET", "/_mock/state", nil).body; !bytes.Equal(again, exported) {
		t.Fatalf("export, seed, export differs:\n%s\n%s", exported, again)
	}
	// An infra back on its seeded config leaves the export.
	if err := second.DeleteCIOverride("K8", "addonTag"); err != nil {
		t.Fatal(err)
	}
	if err := second.SetCIDefault("K8", "liteEngineTag", ciDefaultImages["K8"]["liteEngineTag"]); err != nil {
		t.Fatal(err)
	}
	if snap := second.Snapshot(); len(snap.CI) != 1 || snap.CI["VM"].Overrides == nil {
		t.Errorf("after K8 went back to its seed: %+v", snap.CI)
	}
}

// A state without the CI config exports without it, byte for byte as before it existed;
// so does a mock whose CI config went back to the seed.
func TestCIState_absentIsNotExported(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ts := NewTestServer(t)
	if err := ts.load(b); err != nil {
		t.Fatal(err)
	}
	before := call(t, ts, "GET", "/_mock/state", nil).body
	if bytes.Contains(before, []byte(`"ci"`)) {
		t.Fatalf("a seed without ci exports one: %s", before)
	}
	if err := ts.SetCIOverride("VM", "gitCloneTag", "m/git:1"); err != nil {
		t.Fatal(err)
	}
	if during := call(t, ts, "GET", "/_mock/state", nil).body; !bytes.Contains(during, []byte(`"ci":{"VM":{"defaults":{`)) {
		t.Fatalf("an override does not export: %s", during)
	}
	if err := ts.DeleteCIOverride("VM", "gitCloneTag"); err != nil {
		t.Fatal(err)
	}
	if after := call(t, ts, "GET", "/_mock/state", nil).body; !bytes.Equal(after, before) {
		t.Fatalf("back on the seed, the export differs:\n%s\n%s", before, after)
	}
}

func TestCIState_errors(t *testing.T) {
	t.Parallel()
	doc := `ci:
  K8:
    overrides:
      addOnTag: m/a:1
      addonTag: ""
  k8:
    overrides: {}
  VM:
    defaults:
      bad_name: x:1
      newTag: " "
    overides: {}
`
	_, err := ParseState([]byte(doc))
	want := []string{
		`line 4: ci["K8"].overrides["addOnTag"]: unknown CI K8 field "addOnTag": give it a default under ci["K8"].defaults first (as a Harness release adds a field), or use one of addonTag, addonTagRootless,`,
		`line 5: ci["K8"].overrides["addonTag"]: the image is empty; leave the field out to keep the default`,
		`line 10: ci["VM"].defaults["bad_name"]: "bad_name" is not a field name`,
		`line 11: ci["VM"].defaults["newTag"]: the image is empty`,
		`line 7: ci["k8"]: "k8" is not a CI build infrastructure: use K8 or VM (case matters)`,
	}
	if err == nil {
		t.Fatal("accepted")
	}
	// Shape problems come first and alone: the misspelled key.
	if !strings.HasPrefix(err.Error(), `line 12: ci["VM"].overides: unknown field; ci["VM"] takes defaults, overrides`) {
		t.Fatalf("shape: %v", err)
	}
	_, err = ParseState([]byte(strings.Replace(doc, "    overides: {}\n", "", 1)))
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d:\n got %q\nwant %q…", i, lines[min(i, len(lines)-1)], w)
		}
	}
}

// Restore, the lenient reader, drops what ParseState refuses.
func TestCIState_restoreDrops(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.Restore(State{CI: map[string]CIState{
		"k8": {Overrides: map[string]string{"addonTag": "m/a:1"}},
		"K8": {Defaults: map[string]string{"bad name": "x:1", "newTag": ""}, Overrides: map[string]string{"nope": "x:1", "addonTag": "m/a:1", "gitCloneTag": ""}},
	}})
	if !maps.Equal(ts.CIDefaults("K8"), DefaultCIImages("K8")) || !maps.Equal(ts.CIOverrides("K8"), map[string]string{"addonTag": "m/a:1"}) || len(ts.Snapshot().CI) != 1 {
		t.Errorf("restored K8: %v; snapshot %+v", ts.CIOverrides("K8"), ts.Snapshot().CI)
	}
}
