package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

const instPath = proj + "/dbschema/s1/instance"

func TestInstanceLifecycle(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	mustCreateSchema(t, ts, "s1")
	now := float64(clock.Now().Unix())

	body := map[string]any{
		"identifier": "customer_db", "name": "Customer DB", "connector": "pg", "branch": "main", "context": "dev",
		"tags": map[string]string{"env": "dev"}, "substituteProperties": map[string]string{"DB_NAME": "customers"},
	}
	r := call(t, ts, "POST", instPath, body)
	expect(t, r, http.StatusCreated)
	got := r.obj(t)
	want := map[string]any{
		"identifier": "customer_db", "name": "Customer DB", "connector": "pg", "branch": "main", "context": "dev",
		"tags": map[string]any{"env": "dev"}, "substituteProperties": map[string]any{"DB_NAME": "customers"},
		"created": now, "updated": now, "lastDeployedChangeSetTag": "", "toOnboard": true,
		"schemaIdentifier": "s1", "schemaId": got["schemaId"],
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("create response:\n got %v\nwant %v", got, want)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(fmt.Sprint(got["schemaId"])) {
		t.Fatalf("schemaId %v is not a UUID", got["schemaId"])
	}
	r = call(t, ts, "GET", instPath+"/customer_db", nil)
	expect(t, r, 200)
	if !reflect.DeepEqual(r.obj(t), want) {
		t.Fatalf("get differs from create: %s", r.body)
	}
	if sc, _ := ts.Schema("default", "demo", "s1"); sc.InstanceCount != 1 {
		t.Fatalf("schema instanceCount = %d, want 1", sc.InstanceCount)
	}

	clock.Advance(time.Minute)
	r = call(t, ts, "PUT", instPath+"/customer_db", map[string]any{"identifier": "customer_db", "name": "Renamed", "connector": "pg2", "gitTag": "v1.2", "version": "1.0"})
	expect(t, r, 200)
	o := r.obj(t)
	if o["name"] != "Renamed" || o["connector"] != "pg2" || o["gitTag"] != "v1.2" || o["updated"] != now+60 || o["created"] != now || o["toOnboard"] != true {
		t.Fatalf("update response: %s", r.body)
	}
	// Setting gitTag cleared branch; the keys left out kept their values (PUT is a merge).
	for _, k := range []string{"branch", "commitSha"} {
		if _, ok := o[k]; ok {
			t.Errorf("PUT must clear %s: %s", k, r.body)
		}
	}
	for k, v := range map[string]any{"tags": want["tags"], "context": "dev", "substituteProperties": want["substituteProperties"]} {
		if !reflect.DeepEqual(o[k], v) {
			t.Errorf("PUT without %s changed it to %v: %s", k, o[k], r.body)
		}
	}
	// Present empty values clear.
	r = call(t, ts, "PUT", instPath+"/customer_db", map[string]any{"context": "", "tags": map[string]string{}, "substituteProperties": map[string]string{}})
	expect(t, r, 200)
	o = r.obj(t)
	for _, k := range []string{"tags", "context", "substituteProperties"} {
		if _, ok := o[k]; ok {
			t.Errorf("an empty %s must clear it: %s", k, r.body)
		}
	}
	if o["name"] != "Renamed" || o["gitTag"] != "v1.2" {
		t.Errorf("keys left out changed: %s", r.body)
	}

	r = call(t, ts, "DELETE", instPath+"/customer_db", nil)
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	for _, m := range []string{"GET", "DELETE"} {
		expectError(t, call(t, ts, m, instPath+"/customer_db", nil), 404, `database instance "customer_db" not found in schema "s1"`)
	}
	expectError(t, call(t, ts, "PUT", instPath+"/customer_db", instanceBody("customer_db")), 404, "not found")
	// Missing parent schema: 404 naming the schema.
	missing := proj + "/dbschema/nope/instance"
	expectError(t, call(t, ts, "POST", missing, instanceBody("i1")), 404, `database schema "nope" not found`)
	expectError(t, call(t, ts, "GET", missing+"/i1", nil), 404, `database schema "nope" not found`)
	expectError(t, call(t, ts, "POST", proj+"/dbschema/nope/instancelist", nil), 404, `database schema "nope" not found`)
}

func TestCreateInstanceValidation(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "s1")
	mustCreateInstance(t, ts, "s1", instanceBody("taken"))
	with := func(mod func(map[string]any)) map[string]any {
		b := instanceBody("i1")
		mod(b)
		return b
	}
	tests := []struct {
		name  string
		body  any
		frags []string
	}{
		{"branch and gitTag", with(func(b map[string]any) { b["gitTag"] = "v1" }), []string{"mutually exclusive", "branch and gitTag"}},
		{"all three revisions", with(func(b map[string]any) { b["gitTag"] = "v1"; b["commitSha"] = "abc" }), []string{"branch and commitSha and gitTag"}},
		{"connector missing", with(func(b map[string]any) { delete(b, "connector") }), []string{"connector is required"}},
		{"connector empty", with(func(b map[string]any) { b["connector"] = "" }), []string{"connector is required"}},
		{"bad identifier", with(func(b map[string]any) { b["identifier"] = "9lives" }), []string{`instance identifier "9lives" is invalid`}},
		{"129-char identifier", with(func(b map[string]any) { b["identifier"] = strings.Repeat("x", 129) }), []string{"at most 128"}},
		{"name missing", with(func(b map[string]any) { delete(b, "name") }), []string{"name is required"}},
		{"duplicate", with(func(b map[string]any) { b["identifier"] = "taken" }), []string{`database instance "taken" already exists in schema "s1"`}},
		{"old property name", with(func(b map[string]any) { b["liquibaseSubstituteProperties"] = map[string]string{} }), []string{`unknown JSON field "liquibaseSubstituteProperties"`}},
		{"version is update-only", with(func(b map[string]any) { b["version"] = "1" }), []string{`unknown JSON field "version"`}},
		{"malformed", `{"identifier"`, []string{"malformed JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectError(t, call(t, ts, "POST", instPath, tt.body), 400, tt.frags...)
		})
	}
	// "overview" is only reserved for schemas.
	mustCreateInstance(t, ts, "s1", instanceBody("overview"))
	if n := len(ts.Instances("default", "demo", "s1")); n != 2 {
		t.Fatalf("%d instances, want 2", n)
	}
}

// TestInstanceRevisionRequirement: an instance of a schema whose changelog is in Git or
// Harness Code needs a branch, commitSha or gitTag (Harness's MCP server); one of
// an Artifactory or script schema does not, and may drop its revision.
func TestInstanceRevisionRequirement(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	schemas := map[string]map[string]any{
		"git":         {"connector": "gitconn", "location": "c.yaml"},
		"harnesscode": {"connector": "", "repo": "r", "location": "c.yaml"},
		"artifactory": {"connector": "artconn", "archivePath": "a.zip", "location": "c.yaml"},
	}
	for id, cl := range schemas {
		expect(t, call(t, ts, "POST", proj+"/dbschema", map[string]any{"identifier": id, "name": id, "changelog": cl}), 201)
	}
	expect(t, call(t, ts, "POST", proj+"/dbschema", map[string]any{"identifier": "script", "name": "s",
		"changeLogScript": map[string]any{"image": "i", "command": "c", "shell": "Sh", "location": "l"}}), 201)
	noRevision := map[string]any{"identifier": "i1", "name": "I", "connector": "pg"}
	for _, id := range []string{"git", "harnesscode"} {
		expectError(t, call(t, ts, "POST", proj+"/dbschema/"+id+"/instance", noRevision), 400, "branch is required", "commitSha or gitTag")
		for _, rev := range []string{"branch", "commitSha", "gitTag"} {
			b := instanceBody("with_" + rev)
			delete(b, "branch")
			b[rev] = "x"
			expect(t, call(t, ts, "POST", proj+"/dbschema/"+id+"/instance", b), 201)
		}
	}
	for _, id := range []string{"artifactory", "script"} {
		expect(t, call(t, ts, "POST", proj+"/dbschema/"+id+"/instance", noRevision), 201)
		expect(t, call(t, ts, "POST", proj+"/dbschema/"+id+"/instance", instanceBody("i2")), 201)
		r := call(t, ts, "PUT", proj+"/dbschema/"+id+"/instance/i2", map[string]any{"branch": ""})
		expect(t, r, 200)
		if _, ok := r.obj(t)["branch"]; ok {
			t.Errorf("%s: an empty branch must clear it: %s", id, r.body)
		}
	}
}

func TestUpdateInstanceRevisionSwitch(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "s1")
	mustCreateInstance(t, ts, "s1", instanceBody("i1")) // branch main
	put := func(body map[string]any) resp {
		return call(t, ts, "PUT", instPath+"/i1", body)
	}
	steps := []struct {
		name                      string
		set                       map[string]any
		branch, commitSha, gitTag string
	}{
		{"branch to gitTag", map[string]any{"gitTag": "v1"}, "", "", "v1"},
		{"gitTag to commitSha", map[string]any{"commitSha": "<+trigger.commitSha>"}, "", "<+trigger.commitSha>", ""},
		{"commitSha to branch", map[string]any{"branch": "dev"}, "dev", "", ""},
		{"none given: kept", map[string]any{}, "dev", "", ""},
		{"branch and empty others", map[string]any{"branch": "main", "commitSha": "", "gitTag": ""}, "main", "", ""},
	}
	for _, st := range steps {
		b := map[string]any{"name": "n", "connector": "pg"}
		for k, v := range st.set {
			b[k] = v
		}
		r := put(b)
		expect(t, r, 200)
		var in Instance
		r.decode(t, &in)
		if in.Branch != st.branch || in.CommitSHA != st.commitSha || in.GitTag != st.gitTag {
			t.Fatalf("%s: branch=%q commitSha=%q gitTag=%q", st.name, in.Branch, in.CommitSHA, in.GitTag)
		}
	}
	expectError(t, put(map[string]any{"name": "n", "connector": "pg", "branch": "a", "commitSha": "b"}), 400, "mutually exclusive")
	// The schema's changelog is in Git: clearing the only revision is refused.
	expectError(t, put(map[string]any{"branch": ""}), 400, "branch is required", "Git")
	expectError(t, put(map[string]any{"connector": ""}), 400, "connector is required")
	expectError(t, put(map[string]any{"identifier": "i2", "name": "n", "connector": "pg"}), 400, `identifier "i2" in the body does not match "i1"`)
	expectError(t, put(map[string]any{"name": "n", "connector": "pg", "toOnboard": false}), 400, `unknown JSON field "toOnboard"`)
}

func TestListInstances(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "s1")
	tagged := []struct {
		id   string
		tags map[string]string
	}{
		{"i_dev", map[string]string{"env": "dev", "team": "a"}},
		{"i_prod", map[string]string{"env": "prod", "team": "a"}},
		{"i_stage", map[string]string{"env": "stage"}},
		{"i_none", nil},
	}
	for _, x := range tagged {
		b := instanceBody(x.id)
		b["tags"] = x.tags
		mustCreateInstance(t, ts, "s1", b)
		clock.Advance(time.Second)
	}
	tests := []struct {
		name  string
		query string
		body  any
		want  []string
	}{
		{"no body: created DESC, the documented default", "", nil, []string{"i_none", "i_stage", "i_prod", "i_dev"}},
		{"empty object", "", `{}`, []string{"i_none", "i_stage", "i_prod", "i_dev"}},
		{"Equals one tag", "", `{"filterType":"Equals","instanceTags":[{"key":"env","value":"prod"}]}`, []string{"i_prod"}},
		{"default filterType is Equals", "?order=ASC", `{"instanceTags":[{"key":"team","value":"a"}]}`, []string{"i_dev", "i_prod"}},
		{"Equals needs all tags", "", `{"filterType":"Equals","instanceTags":[{"key":"team","value":"a"},{"key":"env","value":"dev"}]}`, []string{"i_dev"}},
		{"null value matches any value", "?order=ASC", `{"filterType":"Equals","instanceTags":[{"key":"env","value":null}]}`, []string{"i_dev", "i_prod", "i_stage"}},
		{"absent value matches any value", "?order=ASC", `{"instanceTags":[{"key":"team"}]}`, []string{"i_dev", "i_prod"}},
		{"NotEquals has none", "?order=ASC", `{"filterType":"NotEquals","instanceTags":[{"key":"team","value":"a"}]}`, []string{"i_stage", "i_none"}},
		{"NotEquals several", "?order=ASC", `{"filterType":"NotEquals","instanceTags":[{"key":"env","value":"dev"},{"key":"env","value":"stage"}]}`, []string{"i_prod", "i_none"}},
		{"sort created ASC", "?sort=created&order=ASC", nil, []string{"i_dev", "i_prod", "i_stage", "i_none"}},
		{"sort name", "?sort=name&order=ASC", nil, []string{"i_dev", "i_none", "i_prod", "i_stage"}},
		{"paging", "?limit=3&page=1", nil, []string{"i_dev"}},
		{"search_term", "?search_term=PRO", nil, []string{"i_prod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, ts, "POST", proj+"/dbschema/s1/instancelist"+tt.query, tt.body)
			expect(t, r, 200)
			var items []Instance
			r.decode(t, &items)
			var got []string
			for _, in := range items {
				got = append(got, in.Identifier)
			}
			if !equalStrings(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if tt.query == "?limit=3&page=1" && (r.header.Get("X-Total-Elements") != "4" || r.header.Get("X-Page-Number") != "1" || r.header.Get("X-Page-Size") != "3") {
				t.Fatalf("paging headers: %v", r.header)
			}
		})
	}
	for _, bad := range []struct{ query, body, frag string }{
		{"", `{"filterType":"Like"}`, `filterType "Like" is invalid`},
		{"", `{"instanceTags":[{"value":"x"}]}`, "instanceTags[0].key is required"},
		{"", `{"tags":{}}`, `unknown JSON field "tags"`},
		{"", `{`, "malformed JSON"},
		{"?limit=500", "", "limit"},
		{"?sort=identifier", "", "use one of name, updated, created"},
	} {
		expectError(t, call(t, ts, "POST", proj+"/dbschema/s1/instancelist"+bad.query, bad.body), 400, bad.frag)
	}
	r := call(t, ts, "POST", proj+"/dbschema/s1/instancelist", `{"instanceTags":[{"key":"nope"}]}`)
	if string(r.body) != "[]" {
		t.Fatalf("no match must be [], got %s", r.body)
	}
}

func TestInstanceOutOfBand(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	if err := ts.PutInstance("default", "demo", "nope", Instance{Identifier: "i1"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PutInstance on a missing schema: %v", err)
	}
	mustCreateSchema(t, ts, "s1")
	if err := ts.PutInstance("default", "demo", "s1", Instance{Identifier: "b", Name: "B", Connector: "c", ToOnboard: true, SchemaIdentifier: "ignored"}); err != nil {
		t.Fatal(err)
	}
	_ = ts.PutInstance("default", "demo", "s1", Instance{Identifier: "a", Name: "A", Connector: "c"})
	list := ts.Instances("default", "demo", "s1")
	if len(list) != 2 || list[0].Identifier != "a" || list[1].SchemaIdentifier != "s1" || list[1].Created != clock.Now().Unix() {
		t.Fatalf("Instances: %+v", list)
	}
	clock.Advance(time.Hour)
	if err := ts.UpdateInstance("default", "demo", "s1", "b", func(in *Instance) { in.Branch = "drift" }); err != nil {
		t.Fatal(err)
	}
	in, ok := ts.Instance("default", "demo", "s1", "b")
	if !ok || in.Branch != "drift" || in.Updated != clock.Now().Unix() || in.Created == in.Updated {
		t.Fatalf("UpdateInstance: %+v", in)
	}
	if err := ts.UpdateInstance("default", "demo", "s1", "zz", func(*Instance) {}); err == nil {
		t.Fatal("UpdateInstance on a missing instance must fail")
	}
	if err := ts.UpdateInstance("default", "demo", "s1", "b", func(in *Instance) { in.Identifier = "c" }); err == nil {
		t.Fatal("UpdateInstance must refuse an identifier change")
	}
	in.Tags = map[string]string{"mutated": "yes"}
	if again, _ := ts.Instance("default", "demo", "s1", "b"); again.Tags != nil {
		t.Fatal("Instance must return a copy")
	}
	if !ts.DeleteInstance("default", "demo", "s1", "b") || ts.DeleteInstance("default", "demo", "s1", "b") {
		t.Fatal("DeleteInstance must report whether it existed")
	}
	// The API sees the out-of-band change.
	expectError(t, call(t, ts, "GET", instPath+"/b", nil), 404)
	expect(t, call(t, ts, "GET", instPath+"/a", nil), 200)
	if got := fmt.Sprint(len(ts.Instances("default", "demo", "missing"))); got != "0" {
		t.Fatal("Instances of a missing schema must be empty")
	}
}
