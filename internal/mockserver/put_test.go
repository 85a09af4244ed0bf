package mockserver

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// putCase is what one key of a PUT body does to a stored entity E.
type putCase[E any] struct {
	key   string
	value any      // a new value for the key
	drop  []string // keys the full body must lose to carry value (a block that excludes another)
	set   func(*E) // what value does; nil: nothing (the mock ignores the key)
	// setRefused, when not "", is the 400 value gets instead (a value that cannot change).
	setRefused string
	// clear is what leaving the key out does under PutReplace; nil: nothing (a key that
	// cannot change). clearRefused, when not "", is the 400 it gets instead (a required value).
	clear        func(*E)
	clearRefused string
}

// putEntity is an entity stored with every field that a PUT can set holding a value,
// and the PUT body that sends each of those values as it is.
type putEntity[E any] struct {
	path     string              // the entity's API path under proj
	body     map[string]any      // every key a PUT can carry, holding the stored values
	bodyType reflect.Type        // the PUT body's wire type, whose keys the cases must cover
	store    func(*TestServer)   // stores the entity out of band
	get      func(*TestServer) E // the stored entity, without computed fields and times
	cases    []putCase[E]        // one per key of bodyType
}

// runPutCases checks every key of a PUT body, under both PUT modes, against a stored
// entity whose every field holds a value: a body that leaves the key out keeps the
// field (merge) or clears it (replace), and a body that carries a new value sets it.
// A key of the body type without a case fails the test, so a new key is covered.
func runPutCases[E any](t *testing.T, e putEntity[E]) {
	t.Helper()
	keys := slices.Sorted(maps.Keys(jsonFields(e.bodyType)))
	var covered []string
	for _, c := range e.cases {
		covered = append(covered, c.key)
	}
	for _, k := range keys {
		if !slices.Contains(covered, k) {
			t.Errorf("the PUT body key %q has no case: say what leaving it out and setting it do", k)
		}
	}
	for _, mode := range PutModes() {
		ts := newTS(t, Options{PutMode: mode})
		e.store(ts)
		stored := e.get(ts)
		for _, c := range e.cases {
			// The key left out: merge keeps the field, replace clears it.
			e.store(ts)
			body := maps.Clone(e.body)
			delete(body, c.key)
			want, refused := stored, ""
			if mode == PutReplace {
				refused = c.clearRefused
				if c.clear != nil {
					c.clear(&want)
				}
			}
			check(t, ts, e, mode, "without "+c.key, body, want, refused, stored)

			// The key with a new value: the body holds only it under merge, every key
			// under replace.
			e.store(ts)
			body = map[string]any{c.key: c.value}
			if mode == PutReplace {
				body = maps.Clone(e.body)
				for _, k := range c.drop {
					delete(body, k)
				}
				body[c.key] = c.value
			}
			want = stored
			if c.set != nil {
				c.set(&want)
			}
			check(t, ts, e, mode, c.key+" set", body, want, c.setRefused, stored)
		}
	}
}

// check sends body and compares what the mock then holds with want, or, when refused
// is not "", expects a 400 that says it and the entity unchanged.
func check[E any](t *testing.T, ts *TestServer, e putEntity[E], mode, name string, body map[string]any, want E, refused string, stored E) {
	t.Helper()
	r := call(t, ts, "PUT", proj+e.path, body)
	if refused != "" {
		want = stored
		if r.status != http.StatusBadRequest || !strings.Contains(r.message(t), refused) {
			t.Errorf("%s, %s: %d %s, want 400 saying %q", mode, name, r.status, r.body, refused)
		}
	} else if r.status != http.StatusOK {
		t.Errorf("%s, %s: %d %s, want 200", mode, name, r.status, r.body)
	}
	if got := e.get(ts); !reflect.DeepEqual(got, want) {
		t.Errorf("%s, %s: the mock holds\n%+v\nwant\n%+v", mode, name, got, want)
	}
}

// Every key of a schema PUT, left out and set, under both PUT modes.
func TestPutSchemaKeyByKey(t *testing.T) {
	t.Parallel()
	const id = "s1"
	runPutCases(t, putEntity[Schema]{
		path: "/dbschema/" + id,
		body: map[string]any{
			"identifier": id, "name": "S", "tags": map[string]string{"team": "db"}, "service": "svc", "type": TypeRepository,
			"migrationType": MigrationTypeFlyway, "usePercona": true, "primaryDbInstanceId": "i1",
			"changelog": map[string]any{"connector": "git", "location": "db/c.yaml", "repo": "r", "toml": "flyway.toml"},
		},
		bodyType: reflect.TypeFor[schemaUpdateIn](),
		store: func(ts *TestServer) {
			ts.PutSchema("default", "demo", Schema{Identifier: id, Name: "S", Tags: map[string]string{"team": "db"}, Service: "svc",
				Type: TypeRepository, MigrationType: MigrationTypeFlyway, UsePercona: true, PrimaryDBInstanceID: "i1",
				Changelog: &Changelog{Connector: "git", Location: "db/c.yaml", Repo: "r", TOML: "flyway.toml"}})
		},
		get: func(ts *TestServer) Schema {
			sc, _ := ts.Schema("default", "demo", id)
			sc = storedSchema(sc)
			sc.Created, sc.Updated = 0, 0
			return sc
		},
		cases: []putCase[Schema]{
			{key: "identifier", value: "other", setRefused: "identifiers cannot be changed"},
			{key: "name", value: "Renamed", set: func(sc *Schema) { sc.Name = "Renamed" }, clearRefused: "name is required"},
			{key: "tags", value: map[string]string{"env": "prod"}, set: func(sc *Schema) { sc.Tags = map[string]string{"env": "prod"} },
				clear: func(sc *Schema) { sc.Tags = nil }},
			{key: "changelog", value: map[string]any{"connector": "git2", "location": "l2"},
				set:          func(sc *Schema) { sc.Changelog = &Changelog{Connector: "git2", Location: "l2"} },
				clearRefused: `type Repository needs a "changelog" block`},
			{key: "changeLogScript", value: map[string]any{"image": "alpine", "command": "get", "shell": "Sh", "location": "x.sql"},
				drop: []string{"changelog", "type"},
				set: func(sc *Schema) {
					sc.Changelog, sc.Type = nil, TypeScript
					sc.ChangeLogScript = &ChangeLogScript{Image: "alpine", Command: "get", Shell: "Sh", Location: "x.sql"}
				}},
			{key: "service", value: "svc2", set: func(sc *Schema) { sc.Service = "svc2" }, clear: func(sc *Schema) { sc.Service = "" }},
			// With a changelog, the type follows the block when absent; a type against the block is refused.
			{key: "type", value: TypeScript, setRefused: `type Script does not take a "changelog" block`},
			{key: "migrationType", value: MigrationTypeLiquibase, setRefused: "migrationType cannot be changed"},
			{key: "usePercona", value: false, set: func(sc *Schema) { sc.UsePercona = false }, clear: func(sc *Schema) { sc.UsePercona = false }},
			{key: "primaryDbInstanceId", value: "i2", set: func(sc *Schema) { sc.PrimaryDBInstanceID = "i2" },
				clear: func(sc *Schema) { sc.PrimaryDBInstanceID = "" }},
		},
	})
}

// Every key of an instance PUT, left out and set, under both PUT modes.
func TestPutInstanceKeyByKey(t *testing.T) {
	t.Parallel()
	const schema, id = "s1", "i1"
	runPutCases(t, putEntity[Instance]{
		path: "/dbschema/" + schema + "/instance/" + id,
		body: map[string]any{
			"identifier": id, "name": "I", "tags": map[string]string{"env": "dev"}, "branch": "main", "connector": "jdbc",
			"context": "dev", "substituteProperties": map[string]string{"k": "v"},
		},
		bodyType: reflect.TypeFor[instanceUpdateIn](),
		store: func(ts *TestServer) {
			ts.PutSchema("default", "demo", Schema{Identifier: schema, Name: "S", Changelog: &Changelog{Connector: "git", Location: "c.yaml"}})
			if err := ts.PutInstance("default", "demo", schema, Instance{Identifier: id, Name: "I", Tags: map[string]string{"env": "dev"},
				Branch: "main", Connector: "jdbc", Context: "dev", SubstituteProperties: map[string]string{"k": "v"}}); err != nil {
				t.Fatal(err)
			}
		},
		get: func(ts *TestServer) Instance {
			in, _ := ts.Instance("default", "demo", schema, id)
			in = storedInstance(in)
			in.Created, in.Updated = 0, 0
			return in
		},
		cases: []putCase[Instance]{
			{key: "identifier", value: "other", setRefused: "identifiers cannot be changed"},
			{key: "name", value: "Renamed", set: func(in *Instance) { in.Name = "Renamed" }, clearRefused: "name is required"},
			{key: "tags", value: map[string]string{"env": "prod"}, set: func(in *Instance) { in.Tags = map[string]string{"env": "prod"} },
				clear: func(in *Instance) { in.Tags = nil }},
			// The schema is in Git: an instance without a revision is refused.
			{key: "branch", value: "develop", set: func(in *Instance) { in.Branch = "develop" }, clearRefused: "branch is required"},
			// Setting one revision clears the other two.
			{key: "commitSha", value: "abc123", drop: []string{"branch"}, set: func(in *Instance) { in.Branch, in.CommitSHA = "", "abc123" }},
			{key: "gitTag", value: "v1", drop: []string{"branch"}, set: func(in *Instance) { in.Branch, in.GitTag = "", "v1" }},
			{key: "connector", value: "jdbc2", set: func(in *Instance) { in.Connector = "jdbc2" }, clearRefused: "connector is required"},
			{key: "context", value: "prod", set: func(in *Instance) { in.Context = "prod" }, clear: func(in *Instance) { in.Context = "" }},
			{key: "substituteProperties", value: map[string]string{"k": "w"},
				set:   func(in *Instance) { in.SubstituteProperties = map[string]string{"k": "w"} },
				clear: func(in *Instance) { in.SubstituteProperties = nil }},
			{key: "version", value: "1.2.0"}, // accepted and ignored: nothing in DBInstanceOut shows it
		},
	})
}
