package mockserver

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSchemaLifecycle(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	created := clock.Now().Unix()

	r := call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("my_db_schema"))
	expect(t, r, http.StatusCreated)
	got := r.obj(t)
	want := map[string]any{
		"identifier": "my_db_schema", "name": "Schema my_db_schema",
		"changelog": map[string]any{"connector": "gitconn", "location": "db/changelog.yaml", "repo": "changelogs"},
		"type":      "Repository", "migrationType": "Liquibase", "usePercona": false,
		"created": float64(created), "updated": float64(created),
		"instanceCount": float64(0), "schemaSourceType": "Git", "parentId": got["parentId"],
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("create response:\n got %v\nwant %v", got, want)
	}
	if p, _ := got["parentId"].(string); len(p) != 22 {
		t.Fatalf("parentId %q is not a 22-char opaque id", p)
	}

	r = call(t, ts, "GET", proj+"/dbschema/my_db_schema", nil)
	expect(t, r, 200)
	if !reflect.DeepEqual(r.obj(t), want) {
		t.Fatalf("get differs from create: %s", r.body)
	}
	// Another project has another parentId; same project, same parentId.
	r2 := call(t, ts, "POST", "/v1/orgs/default/projects/other/dbschema", repoSchemaBody("my_db_schema"))
	expect(t, r2, 201)
	if r2.obj(t)["parentId"] == want["parentId"] {
		t.Fatal("parentId must differ between projects")
	}

	clock.Advance(90 * time.Second)
	upd := repoSchemaBody("my_db_schema")
	upd["name"] = "Renamed"
	upd["migrationType"] = "Liquibase" // allowed when equal to the stored value
	r = call(t, ts, "PUT", proj+"/dbschema/my_db_schema", upd)
	expect(t, r, 200)
	o := r.obj(t)
	if o["name"] != "Renamed" || o["created"] != float64(created) || o["updated"] != float64(created+90) {
		t.Fatalf("update response: %s", r.body)
	}

	r = call(t, ts, "DELETE", proj+"/dbschema/my_db_schema", nil)
	if r.status != http.StatusNoContent || len(r.body) != 0 || r.header.Get("X-Request-Id") == "" {
		t.Fatalf("delete: status %d body %q", r.status, r.body)
	}
	for _, m := range []string{"GET", "DELETE"} {
		expectError(t, call(t, ts, m, proj+"/dbschema/my_db_schema", nil), 404, `database schema "my_db_schema" not found in org "default", project "demo"`)
	}
	expectError(t, call(t, ts, "PUT", proj+"/dbschema/my_db_schema", upd), 404, "not found")
}

func TestCreateSchemaValidation(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "taken")
	with := func(mod func(map[string]any)) map[string]any {
		b := repoSchemaBody("s1")
		mod(b)
		return b
	}
	script := map[string]any{"image": "plugins/image:1", "command": "get.sh", "shell": "Sh", "location": "changelog.yaml"}
	tests := []struct {
		name  string
		body  any
		frags []string
	}{
		{"identifier starts with a digit", with(func(b map[string]any) { b["identifier"] = "1abc" }), []string{`schema identifier "1abc" is invalid`, "pattern"}},
		{"identifier with a dash", with(func(b map[string]any) { b["identifier"] = "a-b" }), []string{`"a-b" is invalid`}},
		{"identifier reserved", with(func(b map[string]any) { b["identifier"] = "overview" }), []string{`"overview" is reserved`}},
		{"identifier 129 chars", with(func(b map[string]any) { b["identifier"] = strings.Repeat("a", 129) }), []string{"at most 128 characters"}},
		{"identifier missing", with(func(b map[string]any) { delete(b, "identifier") }), []string{"identifier is required"}},
		{"duplicate identifier", with(func(b map[string]any) { b["identifier"] = "taken" }), []string{`database schema "taken" already exists`}},
		{"name missing", with(func(b map[string]any) { delete(b, "name") }), []string{"name is required"}},
		{"name 129 chars", with(func(b map[string]any) { b["name"] = strings.Repeat("é", 129) }), []string{"name is 129 characters long"}},
		{"service empty", with(func(b map[string]any) { b["service"] = "" }), []string{"service must not be empty"}},
		{"too many tags", with(func(b map[string]any) { b["tags"] = manyTags(129) }), []string{"tags has 129 entries"}},
		{"tag value too long", with(func(b map[string]any) { b["tags"] = map[string]string{"k": strings.Repeat("v", 129)} }), []string{`tags["k"]`}},
		{"bad type", with(func(b map[string]any) { b["type"] = "Git" }), []string{`type "Git" is invalid`}},
		{"bad migrationType", with(func(b map[string]any) { b["migrationType"] = "Alembic" }), []string{`migrationType "Alembic" is invalid`}},
		{"Repository without changelog", map[string]any{"identifier": "s1", "name": "n", "type": "Repository"}, []string{`needs a "changelog" block`}},
		{"Repository without location", with(func(b map[string]any) { b["changelog"] = map[string]any{"connector": "c"} }), []string{"changelog.location is required"}},
		{"both blocks", with(func(b map[string]any) { b["changeLogScript"] = script }), []string{`"changelog" and "changeLogScript" are mutually exclusive`}},
		{"Repository with changeLogScript", map[string]any{"identifier": "s1", "name": "n", "type": "Repository", "changeLogScript": script}, []string{`type Repository does not take a "changeLogScript"`, `needs a "changelog" block`}},
		{"Script with changelog", with(func(b map[string]any) { b["type"] = "Script" }), []string{`does not take a "changelog"`, `needs a "changeLogScript"`}},
		{"Harness Code without repo", with(func(b map[string]any) { b["changelog"] = map[string]any{"connector": "", "location": "l"} }), []string{"changelog.repo is required when changelog.connector is empty"}},
		{"Harness Code without connector or repo", with(func(b map[string]any) { b["changelog"] = map[string]any{"location": "l"} }), []string{"changelog.repo is required"}},
		{"empty repo", with(func(b map[string]any) { b["changelog"] = map[string]any{"connector": "c", "location": "l", "repo": ""} }), []string{"changelog.repo must not be empty when given"}},
		{"empty archivePath", with(func(b map[string]any) {
			b["changelog"] = map[string]any{"connector": "c", "location": "l", "archivePath": ""}
		}), []string{"changelog.archivePath must not be empty"}},
		{"Script with empty image", map[string]any{"identifier": "s1", "name": "n", "changeLogScript": map[string]any{"image": "", "command": "c", "shell": "", "location": ""}}, []string{"changeLogScript.image is required"}},
		{"Script missing shell", map[string]any{"identifier": "s1", "name": "n", "changeLogScript": map[string]any{"image": "i", "command": "c", "location": "l"}}, []string{"changeLogScript.shell is required"}},
		{"unknown key", with(func(b map[string]any) { b["primaryDbInstanceId"] = "i1" }), []string{`unknown JSON field "primaryDbInstanceId"`}},
		{"unknown nested key", with(func(b map[string]any) { b["changelog"] = map[string]any{"location": "l", "branch": "main"} }), []string{`unknown JSON field "changelog.branch"`}},
		{"key in wrong case", with(func(b map[string]any) { b["changelogScript"] = script }), []string{`did you mean "changeLogScript"`}},
		{"malformed JSON", `{"identifier": "s1",`, []string{"malformed JSON"}},
		{"trailing garbage", `{"identifier":"s1","name":"n","changelog":{"location":"l"}}{}`, []string{"unexpected data after"}},
		{"not an object", `["s1"]`, []string{"must be a JSON object"}},
		{"wrong value type", with(func(b map[string]any) { b["usePercona"] = "yes" }), []string{`"usePercona" must be a JSON boolean`}},
		{"empty body", "", []string{"body is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectError(t, call(t, ts, "POST", proj+"/dbschema", tt.body), 400, tt.frags...)
		})
	}
	if n := len(ts.Schemas("default", "demo")); n != 1 {
		t.Fatalf("refused creates left %d schemas, want 1", n)
	}
	// The limits themselves are fine.
	ok := repoSchemaBody(strings.Repeat("a", 128))
	ok["name"] = strings.Repeat("n", 128)
	ok["tags"] = manyTags(128)
	expect(t, call(t, ts, "POST", proj+"/dbschema", ok), 201)
	expect(t, call(t, ts, "POST", proj+"/dbschema", repoSchemaBody("_$x9")), 201)
	// The newest spec requires the script's shell and location keys, not values.
	expect(t, call(t, ts, "POST", proj+"/dbschema", map[string]any{"identifier": "script_empty_shell", "name": "n",
		"changeLogScript": map[string]any{"image": "i", "command": "c", "shell": "", "location": ""}}), 201)
}

func manyTags(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = "v"
	}
	return m
}

func TestSchemaDefaultsAndSourceType(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	tests := []struct {
		name                   string
		body                   map[string]any
		typ, migration, srcTyp string
	}{
		{"git connector", repoSchemaBody("a1"), "Repository", "Liquibase", "Git"},
		{"harness code (empty connector)", map[string]any{"identifier": "a2", "name": "n", "changelog": map[string]any{"connector": "", "location": "l", "repo": "r"}}, "Repository", "Liquibase", "HarnessCode"},
		{"harness code (connector absent)", map[string]any{"identifier": "a3", "name": "n", "changelog": map[string]any{"location": "l", "repo": "r"}}, "Repository", "Liquibase", "HarnessCode"},
		{"artifactory", map[string]any{"identifier": "a4", "name": "n", "changelog": map[string]any{"connector": "art", "location": "l", "archivePath": "x.zip"}}, "Repository", "Liquibase", "Artifactory"},
		{"script defaults type", map[string]any{"identifier": "a5", "name": "n", "migrationType": "Flyway", "changeLogScript": map[string]any{"image": "i", "command": "c", "shell": "Sh", "location": "l", "toml": "t"}}, "Script", "Flyway", "Custom"},
	}
	for _, tt := range tests {
		r := call(t, ts, "POST", proj+"/dbschema", tt.body)
		expect(t, r, 201)
		var sc Schema
		r.decode(t, &sc)
		if sc.Type != tt.typ || sc.MigrationType != tt.migration || sc.SchemaSourceType != tt.srcTyp {
			t.Errorf("%s: type %q migrationType %q schemaSourceType %q", tt.name, sc.Type, sc.MigrationType, sc.SchemaSourceType)
		}
	}
	sc, _ := ts.Schema("default", "demo", "a5")
	if sc.ChangeLogScript == nil || sc.ChangeLogScript.TOML != "t" || sc.Changelog != nil {
		t.Errorf("script schema stored wrong: %+v", sc)
	}
}

// TestUpdateSchemaIsAMerge: a key left out keeps its value; a key present replaces it,
// and a present empty value clears it (Harness's MCP server; DESIGN.md).
func TestUpdateSchemaIsAMerge(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	b := repoSchemaBody("s1")
	b["tags"] = map[string]string{"team": "db"}
	b["service"] = "payments"
	b["usePercona"] = true
	expect(t, call(t, ts, "POST", proj+"/dbschema", b), 201)
	get := func() map[string]any { return call(t, ts, "GET", proj+"/dbschema/s1", nil).obj(t) }
	before := get()

	// Only the name: everything else is kept, null included.
	r := call(t, ts, "PUT", proj+"/dbschema/s1", map[string]any{"name": "Renamed", "tags": nil, "service": nil, "usePercona": nil, "changelog": nil})
	expect(t, r, 200)
	o := r.obj(t)
	for _, k := range []string{"tags", "service", "usePercona", "changelog", "type", "migrationType"} {
		if !reflect.DeepEqual(o[k], before[k]) {
			t.Errorf("absent or null %s changed: %v, want %v", k, o[k], before[k])
		}
	}
	if o["name"] != "Renamed" {
		t.Errorf("name not replaced: %s", r.body)
	}

	// Present empty values clear; false replaces true; primaryDbInstanceId is PUT-only.
	r = call(t, ts, "PUT", proj+"/dbschema/s1", map[string]any{"service": "", "tags": map[string]string{}, "usePercona": false, "primaryDbInstanceId": "i1"})
	expect(t, r, 200)
	o = r.obj(t)
	if _, ok := o["service"]; ok {
		t.Errorf("service not cleared: %s", r.body)
	}
	if _, ok := o["tags"]; ok {
		t.Errorf("tags not cleared: %s", r.body)
	}
	if o["usePercona"] != false || o["primaryDbInstanceId"] != "i1" || o["name"] != "Renamed" {
		t.Errorf("usePercona, primaryDbInstanceId or name wrong: %s", r.body)
	}

	// A changelog block replaces the stored one whole (here: repo goes), except for the
	// connector, which is kept when absent.
	r = call(t, ts, "PUT", proj+"/dbschema/s1", map[string]any{"changelog": map[string]any{"location": "l2"}})
	expect(t, r, 200)
	if cl, _ := r.obj(t)["changelog"].(map[string]any); !reflect.DeepEqual(cl, map[string]any{"connector": "gitconn", "location": "l2"}) {
		t.Errorf("changelog after a block without repo: %v", cl)
	}
	// A script block alone switches the source: the changelog goes, type follows.
	r = call(t, ts, "PUT", proj+"/dbschema/s1", map[string]any{"changeLogScript": map[string]any{"image": "i", "command": "c", "shell": "Sh", "location": "l"}})
	expect(t, r, 200)
	if o := r.obj(t); o["changelog"] != nil || o["type"] != "Script" || o["schemaSourceType"] != "Custom" {
		t.Errorf("switch to a script: %s", r.body)
	}
}

func TestUpdateSchemaConnectorRetention(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	mustCreateSchema(t, ts, "s1") // connector gitconn
	put := func(changelog map[string]any) Schema {
		t.Helper()
		r := call(t, ts, "PUT", proj+"/dbschema/s1", map[string]any{"name": "n", "changelog": changelog})
		expect(t, r, 200)
		var sc Schema
		r.decode(t, &sc)
		return sc
	}
	if sc := put(map[string]any{"location": "new.yaml"}); sc.Changelog.Connector != "gitconn" || sc.Changelog.Location != "new.yaml" || sc.SchemaSourceType != "Git" {
		t.Fatalf("absent connector must keep the stored one: %+v %s", sc.Changelog, sc.SchemaSourceType)
	}
	if sc := put(map[string]any{"connector": "", "location": "l", "repo": "r"}); sc.Changelog.Connector != "" || sc.SchemaSourceType != "HarnessCode" {
		t.Fatalf("empty connector must switch to Harness Code: %+v %s", sc.Changelog, sc.SchemaSourceType)
	}
	if sc := put(map[string]any{"location": "l", "repo": "r"}); sc.Changelog.Connector != "" {
		t.Fatalf("absent connector must keep the stored empty one: %+v", sc.Changelog)
	}
	r := call(t, ts, "PUT", proj+"/dbschema/s1", map[string]any{"changelog": map[string]any{"location": "l"}})
	expectError(t, r, 400, "changelog.repo is required when changelog.connector is empty (Harness Code Repository)")
}

func TestUpdateSchemaValidation(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	mustCreateSchema(t, ts, "s1")
	script := map[string]any{"image": "i", "command": "c", "shell": "Sh", "location": "l"}
	cl := map[string]any{"location": "l"}
	tests := []struct {
		name   string
		body   any
		status int
		frags  []string
	}{
		{"identifier equal", map[string]any{"identifier": "s1", "name": "n", "changelog": cl}, 200, nil},
		{"identifier differs", map[string]any{"identifier": "s2", "name": "n", "changelog": cl}, 400, []string{`identifier "s2" in the body does not match "s1"`}},
		{"migrationType differs", map[string]any{"migrationType": "Flyway", "name": "n", "changelog": cl}, 400, []string{"migrationType cannot be changed", `stored "Liquibase"`}},
		{"name cleared", map[string]any{"name": "", "changelog": cl}, 400, []string{"name is required"}},
		{"both blocks", map[string]any{"name": "n", "changelog": cl, "changeLogScript": script}, 400, []string{"mutually exclusive"}},
		{"type without its block", map[string]any{"type": "Script"}, 400, []string{`type Script does not take a "changelog"`, `needs a "changeLogScript"`}},
		{"script without image", map[string]any{"changeLogScript": map[string]any{"command": "c"}}, 400, []string{"changeLogScript.image is required"}},
		{"Harness Code without repo", map[string]any{"changelog": map[string]any{"connector": "", "location": "l"}}, 400, []string{"changelog.repo is required"}},
		{"unknown key", map[string]any{"name": "n", "changelog": cl, "instanceCount": 3}, 400, []string{`unknown JSON field "instanceCount"`}},
		{"malformed", `{"name":`, 400, []string{"malformed JSON"}},
		{"switch to Script", map[string]any{"name": "n", "changeLogScript": script}, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, ts, "PUT", proj+"/dbschema/s1", tt.body)
			if tt.status == 200 {
				expect(t, r, 200)
				return
			}
			expectError(t, r, tt.status, tt.frags...)
		})
	}
	sc, _ := ts.Schema("default", "demo", "s1")
	if sc.Type != "Script" || sc.Changelog != nil || sc.SchemaSourceType != "Custom" {
		t.Fatalf("switch to Script: %+v", sc)
	}
}

// TestDeleteSchemaCascades: deleting a schema deletes its instances too (Harness's MCP
// server warns so); their paths answer 404 afterwards.
func TestDeleteSchemaCascades(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	mustCreateSchema(t, ts, "s1")
	mustCreateSchema(t, ts, "s2")
	mustCreateInstance(t, ts, "s1", instanceBody("i1"))
	mustCreateInstance(t, ts, "s1", instanceBody("i2"))
	mustCreateInstance(t, ts, "s2", instanceBody("i1"))
	if r := call(t, ts, "DELETE", proj+"/dbschema/s1", nil); r.status != 204 {
		t.Fatalf("delete of a schema with instances: %d %s", r.status, r.body)
	}
	if _, ok := ts.Schema("default", "demo", "s1"); ok {
		t.Fatal("the schema is still there")
	}
	for _, i := range []string{"i1", "i2"} {
		expectError(t, call(t, ts, "DELETE", proj+"/dbschema/s1/instance/"+i, nil), 404, `database schema "s1" not found`)
	}
	// A schema created again under the same identifier starts with no instances.
	mustCreateSchema(t, ts, "s1")
	if sc, _ := ts.Schema("default", "demo", "s1"); sc.InstanceCount != 0 {
		t.Fatalf("instanceCount of the new schema = %d, want 0", sc.InstanceCount)
	}
	if n := len(ts.Instances("default", "demo", "s2")); n != 1 {
		t.Fatalf("the other schema lost instances: %d left", n)
	}
}

func TestSchemaOverview(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	r := call(t, ts, "GET", proj+"/dbschema/overview", nil)
	expect(t, r, 200)
	if string(r.body) != `{"dbSchemaCount":0,"dbInstanceCount":0,"recentDeployments":[]}` {
		t.Fatalf("empty overview: %s", r.body)
	}
	mustCreateSchema(t, ts, "s1")
	mustCreateSchema(t, ts, "s2")
	mustCreateInstance(t, ts, "s1", instanceBody("i1"))
	mustCreateInstance(t, ts, "s2", instanceBody("i1"))
	mustCreateInstance(t, ts, "s2", instanceBody("i2"))
	r = call(t, ts, "GET", "/gateway"+proj+"/dbschema/overview", nil)
	expect(t, r, 200)
	if string(r.body) != `{"dbSchemaCount":2,"dbInstanceCount":3,"recentDeployments":[]}` {
		t.Fatalf("overview: %s", r.body)
	}
	if ts.RouteCount(RouteSchemaOverview) != 2 || ts.RouteCount(RouteGetSchema) != 0 {
		t.Fatalf("overview must win over {dbschema}: %v", ts.RouteCounts())
	}
	var sc Schema
	call(t, ts, "GET", proj+"/dbschema/s2", nil).decode(t, &sc)
	if sc.InstanceCount != 2 {
		t.Fatalf("instanceCount = %d, want 2", sc.InstanceCount)
	}
}

func TestListSchemas(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	for i := range 25 {
		b := repoSchemaBody(fmt.Sprintf("s%02d", i))
		b["name"] = fmt.Sprintf("Name %02d", 24-i) // name order is the reverse of creation order
		if i%5 == 0 {
			b["migrationType"] = "Flyway"
		}
		expect(t, call(t, ts, "POST", proj+"/dbschema", b), 201)
		clock.Advance(time.Second)
	}
	list := func(query string) ([]string, resp) {
		t.Helper()
		r := call(t, ts, "GET", proj+"/dbschema"+query, nil)
		expect(t, r, 200)
		var items []Schema
		r.decode(t, &items)
		ids := make([]string, len(items))
		for i, sc := range items {
			ids[i] = sc.Identifier
		}
		return ids, r
	}
	ids := func(from, to, step int) []string {
		var out []string
		for i := from; i != to; i += step {
			out = append(out, fmt.Sprintf("s%02d", i))
		}
		return out
	}
	tests := []struct {
		query             string
		want              []string
		total, page, size string
	}{
		{"", ids(24, 14, -1), "25", "0", "10"}, // default: created DESC, limit 10
		{"?page=1", ids(14, 4, -1), "25", "1", "10"},
		{"?page=2", ids(4, -1, -1), "25", "2", "10"},
		{"?page=3", []string{}, "25", "3", "10"},
		{"?limit=100&order=ASC", ids(0, 25, 1), "25", "0", "100"},
		{"?sort=name&order=ASC&limit=3", ids(24, 21, -1), "25", "0", "3"},
		{"?sort=updated&order=DESC&limit=2", ids(24, 22, -1), "25", "0", "2"},
		{"?search_term=S0&limit=100&order=ASC", ids(0, 10, 1), "10", "0", "100"},
		{"?search_term=name%2023", []string{"s01"}, "1", "0", "10"}, // matches the name, case-insensitively
		{"?migrationType=Flyway&order=ASC", []string{"s00", "s05", "s10", "s15", "s20"}, "5", "0", "10"},
		{"?migrationType=Liquibase&limit=1", []string{"s24"}, "20", "0", "1"},
		{"?search_term=zzz", []string{}, "0", "0", "10"},
	}
	for _, tt := range tests {
		got, r := list(tt.query)
		if !equalStrings(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.query, got, tt.want)
		}
		h := r.header
		if h.Get("X-Total-Elements") != tt.total || h.Get("X-Page-Number") != tt.page || h.Get("X-Page-Size") != tt.size {
			t.Errorf("%q: headers total=%s page=%s size=%s", tt.query, h.Get("X-Total-Elements"), h.Get("X-Page-Number"), h.Get("X-Page-Size"))
		}
	}
	// All pages together hold every schema exactly once.
	seen := map[string]bool{}
	for p := 0; p < 3; p++ {
		got, _ := list(fmt.Sprintf("?page=%d", p))
		for _, id := range got {
			if seen[id] {
				t.Fatalf("%s on two pages", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != 25 {
		t.Fatalf("pages hold %d schemas, want 25", len(seen))
	}
	// An empty project answers [] (not null).
	r := call(t, ts, "GET", "/v1/orgs/o/projects/empty/dbschema", nil)
	if string(r.body) != "[]" || r.header.Get("X-Total-Elements") != "0" {
		t.Fatalf("empty list: %s", r.body)
	}
	for _, bad := range []struct{ query, frag string }{
		{"?limit=0", "limit"}, {"?limit=101", "from 1 to 100"}, {"?limit=ten", "limit"},
		{"?page=-1", "page"}, {"?page=x", "page"},
		{"?sort=identifier", "use one of name, updated, created"}, {"?order=asc", "ASC or DESC"},
		{"?migrationType=liquibase", "Liquibase or Flyway"},
	} {
		expectError(t, call(t, ts, "GET", proj+"/dbschema"+bad.query, nil), 400, bad.frag)
	}
}

// TestListTiesAreDeterministic: with one timestamp for all, ties break by identifier
// in the requested order, so the documented default (created DESC) lists them in
// reverse identifier order.
func TestListTiesAreDeterministic(t *testing.T) {
	t.Parallel()
	ts := newTS(t, Options{Now: newClock().Now})
	for _, id := range []string{"c", "a", "d", "b"} {
		mustCreateSchema(t, ts, id)
	}
	for _, tt := range []struct {
		query string
		want  []string
	}{{"", []string{"d", "c", "b", "a"}}, {"?order=ASC", []string{"a", "b", "c", "d"}}} {
		for range 3 {
			var items []Schema
			call(t, ts, "GET", proj+"/dbschema"+tt.query, nil).decode(t, &items)
			var got []string
			for _, sc := range items {
				got = append(got, sc.Identifier)
			}
			if !equalStrings(got, tt.want) {
				t.Fatalf("%q: tie order %v, want %v", tt.query, got, tt.want)
			}
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
