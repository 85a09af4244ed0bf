package mockserver

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The seed loads every part of a scenario, YAML or JSON alike, with the computed fields
// filled in as the API would.
func TestParseState_seed(t *testing.T) {
	b, err := os.ReadFile("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	st, err := ParseState(b)
	if err != nil {
		t.Fatal(err)
	}
	asJSON, _ := json.Marshal(st)
	if again, err := ParseState(asJSON); err != nil || !reflect.DeepEqual(again, st) {
		t.Fatalf("the same state in JSON: %+v, %v", again, err)
	}
	ts := NewTestServer(t)
	ts.Restore(st)
	if d := ts.Defaults(); d["defaultTag"] != "plugins/drone-liquibase:1.19.0-4.33" || d["futureTag"] == "" || d["mongoTag"] != defaultImages["mongoTag"] {
		t.Errorf("defaults: %v", d)
	}
	if o := ts.Overrides(); len(o) != 2 || o["futureTag"] == "" {
		t.Errorf("overrides: %v", o)
	}
	sc, ok := ts.Schema("default", "payments", "ledger")
	if !ok || sc.InstanceCount != 2 || sc.SchemaSourceType != "Git" || sc.Tags["tier"] != "1" || sc.Type != TypeRepository || sc.MigrationType != MigrationTypeLiquibase || sc.Created == 0 {
		t.Errorf("schema: %+v", sc)
	}
	if rp, _ := ts.Schema("default", "payments", "reports"); rp.Type != TypeScript || rp.MigrationType != MigrationTypeFlyway {
		t.Errorf("script schema: %+v", rp)
	}
	in, ok := ts.Instance("default", "payments", "ledger", "ledger_prod")
	if !ok || in.GitTag != "v40" || in.Created != 1767225600 || in.Updated != in.Created {
		t.Errorf("instance: %+v", in)
	}
	if m := ts.PutMode(); m != PutReplace {
		t.Errorf("PUT mode %q, want the seed's %q", m, PutReplace)
	}
	// A replacing PUT clears what its body leaves out: the schema's tags.
	r := call(t, ts, "PUT", "/v1/orgs/default/projects/payments/dbschema/ledger",
		map[string]any{"name": "Ledger", "changelog": map[string]any{"connector": "github", "location": "db/changelog.yaml"}})
	if expect(t, r, 200); r.obj(t)["tags"] != nil {
		t.Errorf("tags after a replacing PUT without them: %s", r.body)
	}
	// A state without a PUT mode keeps the mock's.
	ts.Restore(State{})
	if m := ts.PutMode(); m != PutReplace {
		t.Errorf("PUT mode %q after a state without one, want %q", m, PutReplace)
	}
}

// A scenario exported (GET /_mock/state) and seeded again exports the same bytes.
func TestParseState_roundTrip(t *testing.T) {
	b, err := os.ReadFile("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	first := NewTestServer(t)
	if err := first.load(b); err != nil {
		t.Fatal(err)
	}
	exported := call(t, first, "GET", "/_mock/state", nil).body
	second := NewTestServer(t)
	if err := second.load(exported); err != nil {
		t.Fatal(err)
	}
	if again := call(t, second, "GET", "/_mock/state", nil).body; !bytes.Equal(again, exported) {
		t.Fatalf("export, seed, export differs:\n%s\n%s", exported, again)
	}
	// The hook takes the same document.
	third := NewTestServer(t)
	expect(t, call(t, third, "PUT", "/_mock/state", json.RawMessage(exported)), 200)
	if again := call(t, third, "GET", "/_mock/state", nil).body; !bytes.Equal(again, exported) {
		t.Fatalf("PUT /_mock/state, export differs:\n%s\n%s", exported, again)
	}
}

func (ts *TestServer) load(b []byte) error {
	st, err := ParseState(b)
	if err == nil {
		ts.Restore(st)
	}
	return err
}

// Every problem of a document is reported at once, each with its line and field path,
// in the words the API would use.
func TestParseState_errors(t *testing.T) {
	for name, tt := range map[string]struct {
		doc  string
		want []string
	}{
		"empty":     {"  \n", []string{"the state document is empty"}},
		"syntax":    {"schemas: [\n", []string{"not JSON or YAML"}},
		"two docs":  {"{}\n---\n{}\n", []string{"line 2: a second document"}},
		"not a map": {"- a\n", []string{"line 1: a list where an object is expected"}},
		"put mode":  {"putMode: sometimes\n", []string{`line 1: putMode: "sometimes" is not a PUT mode: use merge or replace`}},
		"an instance twice": {`schemas:
  - org: default
    project: p
    schema: {identifier: s, name: S, changelog: {connector: gh, location: c.yaml}}
instances:
  - org: default
    project: p
    schema: s
    instance: {identifier: i, name: I, connector: db, branch: main}
  - org: default
    project: p
    schema: s
    instance: {identifier: i, name: Again, connector: db, branch: main}
`, []string{
			`line 13: instances[1].instance.identifier: instance default/p/s/i is listed twice`,
		}},
		"shape": {`schemas:
  - org: default
    project: p
    schema:
      identifier: s
      title: S
      usePercona: "yes"
      created: soon
      tags: [a]
`, []string{
			`line 6: schemas[0].schema.title: unknown field; schemas[0].schema takes changeLogScript, changelog, created,`,
			`line 7: schemas[0].schema.usePercona: "yes" is not true or false`,
			`line 8: schemas[0].schema.created: "soon" is not a whole number`,
			`line 9: schemas[0].schema.tags: a list where an object of strings is expected`,
		}},
		"an invalid schema's instances": {`schemas:
  - org: default
    project: p
    schema:
      identifier: s
      name: S
      type: Repo
instances:
  - org: default
    project: p
    schema: s
    instance: {identifier: i, name: I, connector: c}
`, []string{
			`line 5: schemas[0].schema: type "Repo" is invalid: use Repository or Script`,
		}},
		"content in YAML": {`defaults:
  gitCloneTag: harness/drone-git:1
  bad_name: x:1
overrides:
  rdsTag: r:1
  mongoTag: " "
`, []string{
			`line 3: defaults["bad_name"]: "bad_name" is not a field name`,
			`line 6: overrides["mongoTag"]: the image is empty`,
		}},
		"content": {`{
  "defaults": {"new_tag": "x:1", "flywayMongoTag": " "},
  "overrides": {"latestTag": "x:1", "rdsTag": ""},
  "schemas": [
    {"org": "default", "project": "p", "schema": {"identifier": "s", "name": "S", "changelog": {"connector": "gh", "location": "c.yaml"}}},
    {"org": "default", "project": "p", "schema": {"identifier": "s", "name": "Again", "type": "Repo"}},
    {"org": "my-org", "project": "p", "schema": {"identifier": "overview", "name": "O", "changeLogScript": {"image": "i", "command": "c"}}}
  ],
  "instances": [
    {"org": "default", "project": "p", "schema": "s", "instance": {"identifier": "i", "name": "I", "connector": "db"}},
    {"org": "default", "project": "p", "schema": "gone", "instance": {"identifier": "j", "name": "J", "connector": "db", "branch": "b", "gitTag": "t"}}
  ]
}`, []string{
			`line 2: defaults["flywayMongoTag"]: the image is empty`,
			`line 2: defaults["new_tag"]: "new_tag" is not a field name`,
			`line 3: overrides["latestTag"]: unknown execution-config field "latestTag": give it a default under defaults first`,
			`line 3: overrides["rdsTag"]: the image is empty`,
			`line 6: schemas[1].schema.identifier: schema default/p/s is listed twice`,
			`line 6: schemas[1].schema: type "Repo" is invalid: use Repository or Script`,
			`line 7: schemas[2].org: "my-org" is not a Harness identifier`,
			`line 7: schemas[2].schema.identifier: schema identifier "overview" is reserved`,
			`line 10: instances[0].instance: branch is required: the schema's changelog is in Git`,
			`line 11: instances[1].schema: schema default/p/gone does not exist: list it under schemas`,
			`line 11: instances[1].instance: branch, commitSha and gitTag are mutually exclusive`,
		}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseState([]byte(tt.doc))
			expectProblems(t, err, tt.want)
		})
	}
}

// FuzzParseState: no document panics the parser; every problem names a line; a document
// it accepts restores, and what the mock then exports is accepted too.
func FuzzParseState(f *testing.F) {
	seed, _ := os.ReadFile("testdata/seed.yaml")
	migrations, _ := os.ReadFile("testdata/migrations.yaml")
	for _, s := range []string{string(seed), string(migrations), "{}", "[]", "schemas: [{org: a}]", "defaults: {a: &x b, c: *x}", "overrides: {rdsTag: 1}", "---\n---", "a: !!binary x", orgsSeed, ciSeed, "ci: {K8: {overrides: {addonTag: 1}}, vm: {}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		st, err := ParseState([]byte(doc))
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if line == "" {
					t.Fatalf("an empty problem line in %q", err)
				}
			}
			return
		}
		ts := New(Options{AccountID: "a", APIKey: "k"})
		ts.Restore(st)
		exported, _ := json.Marshal(ts.Snapshot())
		if _, err := ParseState(exported); err != nil {
			t.Fatalf("the export of an accepted document is refused: %v\n%s\nfrom %q", err, exported, doc)
		}
	})
}
