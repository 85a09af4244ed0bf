package client_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// lastBody returns the body of the last request the mock saw on route.
func lastBody(t *testing.T, srv *mockserver.TestServer, route string) string {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Route == route {
			return reqs[i].Body
		}
	}
	t.Fatalf("no request on %s", route)
	return ""
}

// sameJSON fails unless got and want are the same JSON document (key order aside).
func sameJSON(t *testing.T, what, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: the body is not JSON: %v: %s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: the wanted body is not JSON: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: body on the wire\n got %s\nwant %s", what, got, want)
	}
}

// bodyStep is one create (the first step) or update (the others) and the body it must
// send.
type bodyStep[In any] struct {
	name string
	in   In
	want string
}

// runBodySteps creates the entity with the first step and updates it with the next
// ones (from the step before), checking each body on the wire and that the mock's
// answer holds what was asked. It returns the last step's input.
func runBodySteps[In interface {
	Mismatches(*Out) []client.Mismatch
}, Out any](t *testing.T, srv *mockserver.TestServer, steps []bodyStep[In], createRoute, updateRoute string,
	create func(In) (*Out, error), update func(prior, in In) (*Out, error)) In {
	t.Helper()
	var prior In
	for i, st := range steps {
		var got *Out
		var err error
		route := createRoute
		if i == 0 {
			got, err = create(st.in)
		} else {
			got, err = update(prior, st.in)
			route = updateRoute
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		sameJSON(t, st.name, lastBody(t, srv, route), st.want)
		if m := st.in.Mismatches(got); len(m) != 0 {
			t.Errorf("%s: the mock does not hold what was asked: %+v", st.name, m)
		}
		prior = st.in
	}
	return prior
}

// TestSchemaBodies asserts the exact create and PUT bodies the client sends for every
// shape of schema, in the shapes production accepts (the official provider's wire traffic), and
// that the mock then holds what the configuration asked for.
func TestSchemaBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	git := &client.Changelog{Connector: "account.github", Repo: "db", Location: "orders/changelog.yaml"}
	steps := []bodyStep[client.SchemaInput]{
		{"create: Git, Liquibase, tags, service, Percona",
			client.SchemaInput{Identifier: "orders", Name: "Orders", Tags: map[string]string{"team": "db"}, Changelog: git,
				Service: "orders_svc", Type: "Repository", MigrationType: "Liquibase", UsePercona: true},
			`{"identifier":"orders","name":"Orders","tags":{"team":"db"},"changelog":{"connector":"account.github","location":"orders/changelog.yaml","repo":"db"},"service":"orders_svc","type":"Repository","migrationType":"Liquibase","usePercona":true}`},
		{"update: rename; clear tags, service and use_percona; keep the rest",
			client.SchemaInput{Identifier: "orders", Name: "Orders v2", Changelog: git, Type: "Repository", MigrationType: "Liquibase"},
			`{"identifier":"orders","name":"Orders v2","tags":{},"changelog":{"connector":"account.github","location":"orders/changelog.yaml","repo":"db"},"service":"","type":"Repository","migrationType":"Liquibase","usePercona":false}`},
		{"update: unchanged optional keys are left out",
			client.SchemaInput{Identifier: "orders", Name: "Orders v3", Changelog: git, Type: "Repository", MigrationType: "Liquibase"},
			`{"identifier":"orders","name":"Orders v3","changelog":{"connector":"account.github","location":"orders/changelog.yaml","repo":"db"},"type":"Repository","migrationType":"Liquibase"}`},
		{"update: to Harness Code Repository, an empty connector",
			client.SchemaInput{Identifier: "orders", Name: "Orders v3", Changelog: &client.Changelog{Repo: "db", Location: "c.yaml"}, Type: "Repository", MigrationType: "Liquibase"},
			`{"identifier":"orders","name":"Orders v3","changelog":{"connector":"","location":"c.yaml","repo":"db"},"type":"Repository","migrationType":"Liquibase"}`},
		{"update: to Artifactory, repo cleared inside the block",
			client.SchemaInput{Identifier: "orders", Name: "Orders v3", Changelog: &client.Changelog{Connector: "art", ArchivePath: "a/b.zip", Location: "c.yaml"}, Type: "Repository", MigrationType: "Liquibase"},
			`{"identifier":"orders","name":"Orders v3","changelog":{"connector":"art","location":"c.yaml","repo":"","archivePath":"a/b.zip"},"type":"Repository","migrationType":"Liquibase"}`},
		{"update: to a script",
			client.SchemaInput{Identifier: "orders", Name: "Orders v3", ChangeLogScript: &client.ChangeLogScript{Image: "alpine:3", Command: "get.sh", Shell: "Bash", Location: "c.yaml"}, Type: "Script", MigrationType: "Liquibase"},
			`{"identifier":"orders","name":"Orders v3","changeLogScript":{"image":"alpine:3","command":"get.sh","shell":"Bash","location":"c.yaml"},"type":"Script","migrationType":"Liquibase"}`},
	}
	runBodySteps(t, srv, steps, mockserver.RouteCreateSchema, mockserver.RouteUpdateSchema,
		func(in client.SchemaInput) (*client.Schema, error) { return c.CreateSchema(ctx, "o", "p", in) },
		func(prior, in client.SchemaInput) (*client.Schema, error) {
			return c.UpdateSchema(ctx, "o", "p", "orders", client.NewSchemaUpdate(prior, in))
		})

	// Flyway re-sends its toml and the stored migrationType; Harness Code sends "".
	flyway := client.SchemaInput{Identifier: "fly", Name: "Fly", Changelog: &client.Changelog{Repo: "db", Location: "db/migrations", TOML: "flyway.toml"},
		Type: "Repository", MigrationType: "Flyway"}
	if _, err := c.CreateSchema(ctx, "o", "p", flyway); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "create: Flyway, Harness Code", lastBody(t, srv, mockserver.RouteCreateSchema),
		`{"identifier":"fly","name":"Fly","changelog":{"connector":"","location":"db/migrations","repo":"db","toml":"flyway.toml"},"type":"Repository","migrationType":"Flyway"}`)
	renamed := flyway
	renamed.Name = "Fly 2"
	if _, err := c.UpdateSchema(ctx, "o", "p", "fly", client.NewSchemaUpdate(flyway, renamed)); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "update: Flyway rename", lastBody(t, srv, mockserver.RouteUpdateSchema),
		`{"identifier":"fly","name":"Fly 2","changelog":{"connector":"","location":"db/migrations","repo":"db","toml":"flyway.toml"},"type":"Repository","migrationType":"Flyway"}`)
	if sc, _ := srv.Schema("o", "p", "fly"); sc.MigrationType != "Flyway" {
		t.Errorf("migrationType after the rename: %q", sc.MigrationType)
	}
}

// TestInstanceBodies asserts the exact create and PUT bodies of an instance: the
// revision switch branch -> git tag -> commit, and clearing context, tags and
// substitute properties.
func TestInstanceBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := newMockClient(t)
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "s", Name: "S", Changelog: &mockserver.Changelog{Connector: "git", Location: "c.yaml"}})
	base := client.InstanceInput{Identifier: "prod", Name: "Prod", Connector: "org.pg"}
	with := func(f func(*client.InstanceInput)) client.InstanceInput {
		in := base
		f(&in)
		return in
	}
	steps := []bodyStep[client.InstanceInput]{
		{"create: branch, context, tags, substitute properties",
			with(func(in *client.InstanceInput) {
				in.Branch, in.Context = "main", "prod"
				in.Tags, in.SubstituteProperties = map[string]string{"env": "prod"}, map[string]string{"DB": "orders"}
			}),
			`{"identifier":"prod","name":"Prod","tags":{"env":"prod"},"branch":"main","connector":"org.pg","context":"prod","substituteProperties":{"DB":"orders"}}`},
		{"update: branch to git tag; the others are left out",
			with(func(in *client.InstanceInput) {
				in.GitTag, in.Context = "v1.2.0", "prod"
				in.Tags, in.SubstituteProperties = map[string]string{"env": "prod"}, map[string]string{"DB": "orders"}
			}),
			`{"identifier":"prod","name":"Prod","tags":{"env":"prod"},"gitTag":"v1.2.0","connector":"org.pg","context":"prod","substituteProperties":{"DB":"orders"}}`},
		{"update: git tag to commit; clear context, tags and substitute properties",
			with(func(in *client.InstanceInput) { in.CommitSHA = "<+trigger.commitSha>" }),
			`{"identifier":"prod","name":"Prod","tags":{},"commitSha":"<+trigger.commitSha>","connector":"org.pg","context":"","substituteProperties":{}}`},
		{"update: back to a branch; nothing to clear",
			with(func(in *client.InstanceInput) { in.Branch = "release" }),
			`{"identifier":"prod","name":"Prod","branch":"release","connector":"org.pg"}`},
	}
	prior := runBodySteps(t, srv, steps, mockserver.RouteCreateInstance, mockserver.RouteUpdateInstance,
		func(in client.InstanceInput) (*client.Instance, error) {
			return c.CreateInstance(ctx, "o", "p", "s", in)
		},
		func(prior, in client.InstanceInput) (*client.Instance, error) {
			return c.UpdateInstance(ctx, "o", "p", "s", "prod", client.NewInstanceUpdate(prior, in))
		})

	// With no revision left, the one the server holds is sent as "" (here refused: the
	// schema is in Git, and the server says so about branch).
	_, err := c.UpdateInstance(ctx, "o", "p", "s", "prod", client.NewInstanceUpdate(prior, base))
	sameJSON(t, "update: drop the revision", lastBody(t, srv, mockserver.RouteUpdateInstance),
		`{"identifier":"prod","name":"Prod","branch":"","connector":"org.pg"}`)
	if !client.IsBadRequest(err) {
		t.Fatalf("dropping the revision of an instance of a Git schema: %v, want 400", err)
	}
}

// TestMismatches: what a server kept or changed is reported by API field name, with
// both values; absent and empty are the same.
func TestMismatches(t *testing.T) {
	t.Parallel()
	in := client.InstanceInput{Identifier: "i", Name: "I", Connector: "c", GitTag: "v1"}
	got := &client.Instance{Identifier: "i", Name: "I", Connector: "c", GitTag: "v1", Context: "dev",
		Tags: map[string]string{}, SubstituteProperties: map[string]string{"A": "1"}}
	want := []client.Mismatch{{Field: "context", Want: "", Got: "dev"}, {Field: "substituteProperties", Want: "", Got: `{"A":"1"}`}}
	if m := in.Mismatches(got); !reflect.DeepEqual(m, want) {
		t.Errorf("instance mismatches = %+v, want %+v", m, want)
	}
	sc := client.SchemaInput{Identifier: "s", Name: "S", Type: "Repository", MigrationType: "Liquibase",
		Changelog: &client.Changelog{Connector: "g", Location: "l"}}
	gotS := &client.Schema{Identifier: "s", Name: "S", Type: "Repository", MigrationType: "Liquibase", Service: "svc",
		Changelog: &client.Changelog{Connector: "g", Location: "l", Repo: "r"}}
	wantS := []client.Mismatch{{Field: "changelog.repo", Want: "", Got: "r"}, {Field: "service", Want: "", Got: "svc"}}
	if m := sc.Mismatches(gotS); !reflect.DeepEqual(m, wantS) {
		t.Errorf("schema mismatches = %+v, want %+v", m, wantS)
	}
	gotS.Service, gotS.Changelog.Repo = "", ""
	if m := sc.Mismatches(gotS); len(m) != 0 {
		t.Errorf("no mismatch expected: %+v", m)
	}
	// A block on one side only, and a flag the server did not take.
	sc.Changelog, sc.ChangeLogScript, sc.UsePercona = nil, &client.ChangeLogScript{Image: "i", Command: "c"}, true
	wantS = []client.Mismatch{{Field: "changelog", Want: "", Got: "present"}, {Field: "changeLogScript", Want: "present", Got: ""},
		{Field: "changeLogScript.image", Want: "i", Got: ""}, {Field: "changeLogScript.command", Want: "c", Got: ""}, {Field: "usePercona", Want: "true", Got: ""}}
	if m := sc.Mismatches(gotS); !reflect.DeepEqual(m, wantS) {
		t.Errorf("schema mismatches = %+v, want %+v", m, wantS)
	}
}
