package mockserver

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func populate(t *testing.T, ts *TestServer) {
	t.Helper()
	mustCreateSchema(t, ts, "s1")
	b := repoSchemaBody("s2")
	b["tags"] = map[string]string{"team": "db"}
	expect(t, call(t, ts, "POST", "/v1/orgs/o2/projects/p2/dbschema", b), 201)
	mustCreateInstance(t, ts, "s1", instanceBody("i1"))
	_ = ts.SetOverride("gitCloneTag", "harness/drone-git:1.7.0")
	_ = ts.SetDefault("mongoTag", "new/mongo:1")
}

func TestSnapshotRestore(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	populate(t, ts)
	snap := ts.Snapshot()
	if len(snap.Schemas) != 2 || snap.Schemas[0].Org != "default" || snap.Schemas[1].Org != "o2" || len(snap.Instances) != 1 {
		t.Fatalf("snapshot: %+v", snap)
	}
	snap.Schemas[0].Schema.Name = "mutated" // a copy
	if sc, _ := ts.Schema("default", "demo", "s1"); sc.Name == "mutated" {
		t.Fatal("Snapshot must deep-copy")
	}

	other := NewTestServer(t)
	other.Restore(ts.Snapshot())
	if !reflect.DeepEqual(other.Snapshot(), ts.Snapshot()) {
		t.Fatalf("restore round trip differs:\n%+v\n%+v", other.Snapshot(), ts.Snapshot())
	}
	// The API serves the restored state, computed fields included.
	var sc Schema
	call(t, other, "GET", proj+"/dbschema/s1", nil).decode(t, &sc)
	if sc.InstanceCount != 1 || sc.SchemaSourceType != "Git" {
		t.Fatalf("restored schema: %+v", sc)
	}
	// Restore drops what ParseState refuses; nil defaults mean the seeded ones.
	bad := State{
		Overrides: map[string]string{"nope": "x", "rdsTag": "r:1"},
		Instances: []ScopedInstance{{Org: "o", Project: "p", Schema: "none", Instance: Instance{Identifier: "x"}}},
	}
	raw, _ := json.Marshal(bad)
	if _, err := ParseState(raw); err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("ParseState: %v", err)
	}
	other.Restore(bad)
	got := other.Snapshot()
	if len(got.Instances) != 0 || len(got.Overrides) != 1 || !reflect.DeepEqual(got.Defaults, DefaultImages()) {
		t.Fatalf("restore of a bad state: %+v", got)
	}
}

func TestSaveLoadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	ts := NewTestServer(t)

	// A missing file keeps the seeded state.
	if err := ts.LoadFile(path); err != nil {
		t.Fatalf("missing file: %v", err)
	}
	populate(t, ts)
	if err := ts.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("SaveFile left temp files: %v", entries)
	}
	other := NewTestServer(t)
	if err := other.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(other.Snapshot(), ts.Snapshot()) {
		t.Fatal("load after save differs")
	}
	// Saving again over the existing file works (rename replaces).
	mustCreateSchema(t, other, "s3")
	if err := other.SaveFile(path); err != nil {
		t.Fatal(err)
	}

	for name, content := range map[string]string{
		"empty":    "",
		"garbage":  "{not json",
		"unknown":  `{"schemas":[],"extra":1}`,
		"orphan":   `{"instances":[{"org":"o","project":"p","schema":"s","instance":{"identifier":"i"}}]}`,
		"trailing": `{} {}`,
	} {
		p := filepath.Join(dir, name+".json")
		_ = os.WriteFile(p, []byte(content), 0o600)
		before := ts.Snapshot()
		if err := ts.LoadFile(p); err == nil {
			t.Errorf("%s: LoadFile accepted it", name)
		}
		if !reflect.DeepEqual(before, ts.Snapshot()) {
			t.Errorf("%s: a failed load changed the state", name)
		}
	}
	if err := ts.SaveFile(filepath.Join(dir, "no/such/dir/state.json")); err == nil {
		t.Error("SaveFile into a missing directory must fail")
	}
}

func TestSchemaOutOfBand(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	ts.PutSchema("default", "demo", Schema{Identifier: "b", Name: "B", ChangeLogScript: &ChangeLogScript{Image: "i"}, InstanceCount: 99})
	ts.PutSchema("default", "demo", Schema{Identifier: "a", Name: "A"})
	list := ts.Schemas("default", "demo")
	if len(list) != 2 || list[0].Identifier != "a" {
		t.Fatalf("Schemas not sorted: %+v", list)
	}
	b := list[1]
	if b.Type != "Script" || b.MigrationType != "Liquibase" || b.InstanceCount != 0 || b.Created != clock.Now().Unix() || b.Updated != b.Created || b.ParentID == "" {
		t.Fatalf("PutSchema defaults: %+v", b)
	}
	if a := list[0]; a.Type != "Repository" {
		t.Fatalf("PutSchema default type: %+v", a)
	}
	_ = ts.PutInstance("default", "demo", "b", Instance{Identifier: "i1", Name: "n", Connector: "c"})

	clock.Advance(time.Hour)
	ts.PutSchema("default", "demo", Schema{Identifier: "b", Name: "B2"}) // replace keeps created and instances
	b, _ = ts.Schema("default", "demo", "b")
	if b.Name != "B2" || b.Created == b.Updated || b.InstanceCount != 1 {
		t.Fatalf("PutSchema replace: %+v", b)
	}

	clock.Advance(time.Hour)
	if err := ts.UpdateSchema("default", "demo", "a", func(sc *Schema) { sc.Tags = map[string]string{"x": "y"} }); err != nil {
		t.Fatal(err)
	}
	a, _ := ts.Schema("default", "demo", "a")
	if a.Tags["x"] != "y" || a.Updated != clock.Now().Unix() {
		t.Fatalf("UpdateSchema: %+v", a)
	}
	if err := ts.UpdateSchema("default", "demo", "a", func(sc *Schema) { sc.Updated = 5 }); err != nil {
		t.Fatal(err)
	}
	if a, _ := ts.Schema("default", "demo", "a"); a.Updated != 5 {
		t.Fatalf("an explicit updated must be kept: %d", a.Updated)
	}
	if err := ts.UpdateSchema("default", "demo", "zz", func(*Schema) {}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("UpdateSchema missing: %v", err)
	}
	if err := ts.PutInstance("default", "demo", "zz", Instance{Identifier: "i"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PutInstance missing schema: %v", err)
	}
	// Out-of-band delete cascades, and the API sees it.
	if !ts.DeleteSchema("default", "demo", "b") || ts.DeleteSchema("default", "demo", "b") {
		t.Fatal("DeleteSchema must report whether it existed")
	}
	if _, ok := ts.Instance("default", "demo", "b", "i1"); ok {
		t.Fatal("DeleteSchema must cascade")
	}
	expectError(t, call(t, ts, "GET", proj+"/dbschema/b", nil), 404)
	if _, ok := ts.Schema("default", "demo", "b"); ok {
		t.Fatal("schema still there")
	}
}
