package contract

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The 20 DB DevOps routes the mock serves (internal/mockserver Route* constants use the
// same form); ciRoutes are the CI execution config's.
const (
	rDeleteConfig    = "DELETE /v1/dbops/execution-config"
	rDefaultConfig   = "GET /v1/dbops/execution-config/get-default-config"
	rCustomerConfig  = "GET /v1/dbops/execution-config/get-customer-config"
	rUpdateConfig    = "POST /v1/dbops/execution-config/update-config"
	rResetConfig     = "POST /v1/dbops/execution-config/reset-config"
	rListSchemas     = "GET /v1/orgs/{org}/projects/{project}/dbschema"
	rCreateSchema    = "POST /v1/orgs/{org}/projects/{project}/dbschema"
	rOverview        = "GET /v1/orgs/{org}/projects/{project}/dbschema/overview"
	rGetSchema       = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	rUpdateSchema    = "PUT /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	rDeleteSchema    = "DELETE /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	rCreateInstance  = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance"
	rGetInstance     = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}"
	rUpdateInstance  = "PUT /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}"
	rDeleteInstance  = "DELETE /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}"
	rListInstances   = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instancelist"
	rInstanceState   = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/dbinstance/{dbinstance}/migrationstate"
	rInstanceFlyway  = "GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/dbinstance/{dbinstance}/flyway/migrationstate"
	rSchemaState     = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/migrationstate"
	rSchemaFlyway    = "POST /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/flyway/migrationstate"
	pSchemas         = "/v1/orgs/o1/projects/p1/dbschema"
	pSchema          = pSchemas + "/s1"
	pInstance        = pSchema + "/instance"
	pInstanceOne     = pInstance + "/i1"
	pInstanceList    = pSchema + "/instancelist"
	pInstanceState   = pSchema + "/dbinstance/i1/migrationstate"
	pInstanceFlyway  = pSchema + "/dbinstance/i1/flyway/migrationstate"
	pSchemaState     = pSchema + "/migrationstate"
	pSchemaFlyway    = pSchema + "/flyway/migrationstate"
	pConfig          = "/v1/dbops/execution-config"
	identifierRegexp = `^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$`
)

var dbopsRoutes = []string{
	rDeleteConfig, rDefaultConfig, rCustomerConfig, rUpdateConfig, rResetConfig,
	rListSchemas, rCreateSchema, rOverview, rGetSchema, rUpdateSchema, rDeleteSchema,
	rCreateInstance, rGetInstance, rUpdateInstance, rDeleteInstance, rListInstances,
	rInstanceState, rInstanceFlyway, rSchemaState, rSchemaFlyway,
}

var allRoutes = slices.Concat(dbopsRoutes, ciRoutes)

func newValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

// reqHeader is what the project's client sends, the headers the official provider sends.
func reqHeader() http.Header {
	return http.Header{
		"X-Api-Key":       {"pat.acc.tok.secret"},
		"Harness-Account": {"acc"},
		"Accept":          {"application/json"},
		"Content-Type":    {"application/json"},
	}
}

func req(route, msg string) []Violation {
	return []Violation{{Route: route, Part: PartRequest, Message: msg}}
}

func TestDocumentLoadsAndDescribesEveryRoute(t *testing.T) {
	v := newValidator(t)
	if d := Document(); !bytes.HasPrefix(d, []byte("openapi: 3.0.3\n")) {
		t.Fatalf("Document() does not start with the OpenAPI version: %q", d[:min(len(d), 40)])
	}
	if v.doc.OpenAPI != "3.0.3" || v.doc.IsOpenAPI31OrLater() {
		t.Fatalf("the contract must stay OpenAPI 3.0.3 (nullable is a 3.0 keyword); got %q", v.doc.OpenAPI)
	}
	got := v.Operations()
	want := slices.Clone(allRoutes)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("operations in the contract:\n got %q\nwant %q", got, want)
	}
	// Every route is reachable through the router, with or without a prefix; the CI
	// routes behind /gateway only: the /dbops prefixes lead to the DB DevOps service.
	for _, route := range allRoutes {
		method, path, _ := strings.Cut(route, " ")
		concrete := strings.NewReplacer("{org}", "o", "{project}", "p", "{dbschema}", "s", "{dbinstance}", "i").Replace(path)
		for _, prefix := range []string{"", "/gateway", "/dbops", "/gateway/dbops"} {
			ex, miss := v.find(method, prefix+concrete, nil, reqHeader(), nil)
			served := !slices.Contains(ciRoutes, route) || !strings.HasSuffix(prefix, "/dbops")
			if served && (ex == nil || ex.name != route) {
				t.Errorf("%s %s%s: matched %v (%s), want %s", method, prefix, concrete, ex != nil && ex.name != "", miss, route)
			}
			if !served && ex != nil {
				t.Errorf("%s %s%s: matched %s; the CI API is not behind %s", method, prefix, concrete, ex.name, prefix)
			}
		}
		// Every operation declares the error answers and at least one success.
		op := v.doc.Paths.Value(path).GetOperation(method)
		for _, code := range []int{400, 401, 403, 404, 500} {
			if op.Responses.Status(code) == nil {
				t.Errorf("%s: no %d answer", route, code)
			}
		}
	}
	if a, b := Default(), Default(); a != b {
		t.Fatal("Default() must return one Validator")
	}
}

// needSources fails t for every component of refs without an x-source.
func needSources[R any](t *testing.T, kind string, refs map[string]R, ext func(R) map[string]any) {
	t.Helper()
	for name, r := range refs {
		if s, _ := ext(r)["x-source"].(string); strings.TrimSpace(s) == "" {
			t.Errorf("%s %s has no x-source", kind, name)
		}
	}
}

// TestDocumentNamesItsSources checks the document's own rules: x-source on every path,
// operation and component; the server-stricter/looser notes the project relies on;
// strict request shapes and open response shapes.
func TestDocumentNamesItsSources(t *testing.T) {
	v := newValidator(t)
	need := func(where string, ext map[string]any, key string) {
		t.Helper()
		if s, _ := ext[key].(string); strings.TrimSpace(s) == "" {
			t.Errorf("%s has no %s", where, key)
		}
	}
	for path, item := range v.doc.Paths.Map() {
		need(path, item.Extensions, "x-source")
		for method, op := range item.Operations() {
			need(method+" "+path, op.Extensions, "x-source")
		}
	}
	c := v.doc.Components
	needSources(t, "schema", c.Schemas, func(r *openapi3.SchemaRef) map[string]any { return r.Value.Extensions })
	needSources(t, "parameter", c.Parameters, func(r *openapi3.ParameterRef) map[string]any { return r.Value.Extensions })
	needSources(t, "response", c.Responses, func(r *openapi3.ResponseRef) map[string]any { return r.Value.Extensions })
	needSources(t, "request body", c.RequestBodies, func(r *openapi3.RequestBodyRef) map[string]any { return r.Value.Extensions })
	needSources(t, "header", c.Headers, func(r *openapi3.HeaderRef) map[string]any { return r.Value.Extensions })
	needSources(t, "security scheme", c.SecuritySchemes, func(r *openapi3.SecuritySchemeRef) map[string]any { return r.Value.Extensions })

	schema := func(name string) *openapi3.Schema {
		t.Helper()
		ref := c.Schemas[name]
		if ref == nil {
			t.Fatalf("no schema %s", name)
		}
		return ref.Value
	}
	prop := func(name, property string) map[string]any {
		t.Helper()
		ref := schema(name).Properties[property]
		if ref == nil || ref.Value == nil {
			t.Errorf("schema %s has no property %s", name, property)
			return nil
		}
		return ref.Value.Extensions
	}
	need("DBInstanceIn", schema("DBInstanceIn").Extensions, "x-server-stricter")
	need("DBInstanceIn.branch", prop("DBInstanceIn", "branch"), "x-server-stricter")
	need("Changelog.repo", prop("Changelog", "repo"), "x-server-stricter")
	need("DBSchemaUpdateRequest", schema("DBSchemaUpdateRequest").Extensions, "x-server-stricter")
	need("DBSchemaUpdateRequest", schema("DBSchemaUpdateRequest").Extensions, "x-server-looser")
	need("DBSchemaUpdateRequest.identifier", prop("DBSchemaUpdateRequest", "identifier"), "x-server-looser")
	need("DBInstanceUpdateRequest", schema("DBInstanceUpdateRequest").Extensions, "x-server-looser")
	need("DBInstanceUpdateRequest.identifier", prop("DBInstanceUpdateRequest", "identifier"), "x-server-looser")
	need("CIConfigOperation.field", prop("CIConfigOperation", "field"), "x-server-stricter")
	need("CIConfigReset.field", prop("CIConfigReset", "field"), "x-server-stricter")
	need("CIConfigReset", schema("CIConfigReset").Extensions, "x-server-looser")
	need("infra", c.Parameters["CIInfra"].Value.Extensions, "x-unverified")

	for _, name := range []string{"DBSchemaIn", "DBSchemaUpdateRequest", "Changelog", "ChangeLogScript", "ChangelogUpdate", "ChangeLogScriptUpdate",
		"DBInstanceIn", "DBInstanceUpdateRequest", "DBInstanceFilterIn", "InstanceTagFilter", "ExecutionConfigOperation", "CIConfigOperation", "CIConfigReset",
		"MigrationStateIn", "MigrationStateInstanceIn"} {
		if ap := schema(name).AdditionalProperties; ap.Has == nil || *ap.Has {
			t.Errorf("request shape %s must say additionalProperties: false", name)
		}
	}
	for _, name := range []string{"DBSchemaOut", "ChangelogOut", "ChangeLogScriptOut", "DBInstanceOut", "DBOverviewOut", "RecentDeployment", "ExecutionConfigTags", "Error",
		"CIImagesMap", "CIImagesAnswer", "CICustomerImagesAnswer", "CIResultAnswer", "NGError",
		"InstanceMigrationStateOut", "InstanceMigrationStateChangeSet", "FlywayInstanceMigrationStateOutput", "FlywayInstanceMigrationState",
		"MigrationStateOut", "MigrationStateChangeSet", "MigrationStateInstance", "InstanceDetail", "FlywayMigrationStateOutput", "FlywayAppliedMigration"} {
		if ap := schema(name).AdditionalProperties; ap.Has != nil && !*ap.Has {
			t.Errorf("response shape %s must stay open to unknown keys", name)
		}
	}
}

// TestEvidenceListsEveryMark holds EVIDENCE.md's table of the places where the server
// differs from the public spec equal to the document's x-server-stricter and
// x-server-looser marks, both ways; every x-source names a source of EVIDENCE.md; both
// PUT operations say that what an absent key does is unverified, and the migration-state
// operations what the mock chose where the sources are silent.
func TestEvidenceListsEveryMark(t *testing.T) {
	v := newValidator(t)
	var marks []string
	add := func(where string, ext map[string]any) {
		for _, mark := range []string{"x-server-stricter", "x-server-looser"} {
			if _, ok := ext[mark]; ok {
				marks = append(marks, "| `"+where+"` | `"+mark+"` |")
			}
		}
	}
	for name, ref := range v.doc.Components.Schemas {
		add(name, ref.Value.Extensions)
		for prop, p := range ref.Value.Properties {
			if p.Ref == "" && p.Value != nil { // a $ref's marks are its component's
				add(name+"."+prop, p.Value.Extensions)
			}
		}
	}
	evidence, err := os.ReadFile("EVIDENCE.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(evidence), "\n") {
		if m := markRow.FindString(line); m != "" {
			rows = append(rows, m)
		}
	}
	slices.Sort(marks)
	slices.Sort(rows)
	if !slices.Equal(marks, rows) {
		t.Errorf("EVIDENCE.md's marks differ from the document's:\n got %q\nwant %q", rows, marks)
	}

	sources := regexp.MustCompile(`\b(SDK|AE|MCP|TFP|HDH|DH|CORE|DESIGN\.md|EVIDENCE\.md|project choice)\b`)
	for i, line := range strings.Split(string(Document()), "\n") {
		if strings.Contains(line, "x-source:") && !sources.MatchString(line) {
			t.Errorf("line %d: an x-source that names no source of EVIDENCE.md: %s", i+1, strings.TrimSpace(line))
		}
	}
	for _, route := range []string{rUpdateSchema, rUpdateInstance} {
		method, path, _ := strings.Cut(route, " ")
		if s, _ := v.doc.Paths.Value(path).GetOperation(method).Extensions["x-unverified"].(string); !strings.Contains(s, "merge") {
			t.Errorf("%s: no x-unverified saying that the merge is unverified", route)
		}
	}
	for _, route := range []string{rInstanceState, rInstanceFlyway, rSchemaState, rSchemaFlyway} {
		method, path, _ := strings.Cut(route, " ")
		if s, _ := v.doc.Paths.Value(path).GetOperation(method).Extensions["x-unverified"].(string); !strings.Contains(s, "DESIGN.md") {
			t.Errorf("%s: no x-unverified saying what the mock chose where the sources are silent (DESIGN.md)", route)
		}
	}
}

// markRow is the start of a row of EVIDENCE.md's table of marks.
var markRow = regexp.MustCompile("^\\| `[A-Za-z.]+` \\| `x-server-(stricter|looser)` \\|")

type requestCase struct {
	name   string
	method string
	path   string
	query  string
	header http.Header // nil: reqHeader()
	body   string
	want   []Violation
}

func runRequests(t *testing.T, cases []requestCase) {
	t.Helper()
	v := newValidator(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			h := tc.header
			if h == nil {
				h = reqHeader()
			}
			got := v.CheckRequest(tc.method, tc.path, q, h, []byte(tc.body))
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s %s?%s %s\n got %#v\nwant %#v", tc.method, tc.path, tc.query, tc.body, got, tc.want)
			}
		})
	}
}

func TestGoodRequests(t *testing.T) {
	var tags strings.Builder
	tags.WriteString(`{"identifier":"s9","name":"S","tags":{`)
	for i := range 128 {
		if i > 0 {
			tags.WriteString(",")
		}
		fmt.Fprintf(&tags, `"k%d":"%s"`, i, strings.Repeat("v", 128))
	}
	tags.WriteString(`}}`)

	runRequests(t, []requestCase{
		{name: "escaped path segments stay in their segment", method: "GET", path: "/gateway/v1/orgs/o%2Frg/projects/p%3Fx/dbschema/s%231"},
		{name: "schema create git", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changelog":{"connector":"git","location":"db/changelog.yaml"},"type":"Repository","migrationType":"Liquibase"}`},
		{name: "schema create harness code", method: "POST", path: pSchemas,
			body: `{"identifier":"s2","name":"S","changelog":{"connector":"","location":"c.yaml","repo":"r"},"type":"Repository","migrationType":"Liquibase"}`},
		{name: "schema create artifactory flyway", method: "POST", path: pSchemas,
			body: `{"identifier":"s_3$","name":"S","tags":{"env":"dev"},"changelog":{"connector":"art","location":"db","archivePath":"a/b.zip","toml":"flyway.toml"},"type":"Repository","migrationType":"Flyway","service":"svc","usePercona":true}`},
		{name: "schema create script, empty shell and location allowed", method: "POST", path: pSchemas,
			body: `{"identifier":"s4","name":"S","changeLogScript":{"image":"plugins/image:1","command":"curl -o c.yaml x","shell":"","location":""},"type":"Script"}`},
		{name: "schema create 128 tags of 128 characters", method: "POST", path: pSchemas, body: tags.String()},
		{name: "schema create minimal", method: "POST", path: pSchemas, body: `{"identifier":"_","name":""}`},
		{name: "schema PUT official provider shape", method: "PUT", path: pSchema,
			body: `{"identifier":"s1","name":"S","type":"Repository","migrationType":"Flyway","changelog":{"connector":"git","location":"db","toml":"flyway.toml"}}`},
		{name: "schema PUT empty body object", method: "PUT", path: pSchema, body: `{}`},
		{name: "schema PUT clears service, switches to harness code", method: "PUT", path: pSchema,
			body: `{"name":"S","service":"","tags":{},"changelog":{"connector":"","repo":"r"},"usePercona":false,"primaryDbInstanceId":"i1"}`},
		{name: "schema PUT script", method: "PUT", path: pSchema,
			body: `{"changeLogScript":{"image":"i","command":"c","shell":"Bash","location":"l","toml":"t"},"type":"Script"}`},
		{name: "schema get", method: "GET", path: pSchema},
		{name: "schema delete", method: "DELETE", path: pSchema},
		{name: "schema overview", method: "GET", path: pSchemas + "/overview"},
		{name: "schema list no query", method: "GET", path: pSchemas},
		{name: "schema list every query parameter", method: "GET", path: pSchemas,
			query: "page=0&limit=100&search_term=&sort=name&order=ASC&migrationType=Flyway"},
		{name: "schema list page and limit", method: "GET", path: pSchemas, query: "page=3&limit=1"},
		{name: "instance create", method: "POST", path: pInstance,
			body: `{"identifier":"i1","name":"I","connector":"jdbc","branch":"main"}`},
		{name: "instance create every field", method: "POST", path: pInstance,
			body: `{"identifier":"i2","name":"I","tags":{"a":"b"},"connector":"org.jdbc","commitSha":"<+trigger.commitSha>","context":"dev","substituteProperties":{"DB":"x"}}`},
		{name: "instance PUT git tag", method: "PUT", path: pInstanceOne, body: `{"name":"I","connector":"jdbc","gitTag":"v1"}`},
		{name: "instance PUT clearing", method: "PUT", path: pInstanceOne,
			body: `{"name":"I","connector":"jdbc","context":"","tags":{},"substituteProperties":{}}`},
		{name: "instance PUT official provider shape with identifier", method: "PUT", path: pInstanceOne,
			body: `{"identifier":"i1","name":"I","tags":{"a":"b"},"branch":"main","connector":"jdbc","version":"v3"}`},
		{name: "instance get", method: "GET", path: pInstanceOne},
		{name: "instance delete", method: "DELETE", path: pInstanceOne},
		{name: "instancelist without body", method: "POST", path: pInstanceList, query: "page=0&limit=10"},
		{name: "instancelist with body and query", method: "POST", path: pInstanceList, query: "sort=created&order=ASC&search_term=ab",
			body: `{"filterType":"NotEquals","instanceTags":[{"key":"env","value":null},{"key":"team","value":"db"},{"key":"x"}]}`},
		{name: "instancelist empty filter", method: "POST", path: pInstanceList, body: `{}`},
		{name: "default config", method: "GET", path: pConfig + "/get-default-config"},
		{name: "customer config overridesOnly=true", method: "GET", path: pConfig + "/get-customer-config", query: "overridesOnly=true"},
		{name: "customer config overridesOnly=false", method: "GET", path: pConfig + "/get-customer-config", query: "overridesOnly=false"},
		{name: "customer config no query", method: "GET", path: pConfig + "/get-customer-config"},
		{name: "update-config", method: "POST", path: pConfig + "/update-config", body: `[{"field":"gitCloneTag","value":"harness/drone-git:1.6.4"}]`},
		{name: "update-config two", method: "POST", path: pConfig + "/update-config",
			body: `[{"field":"gitCloneTag","value":"harness/drone-git:1.6.4"},{"field":"someFutureTag","value":""}]`},
		{name: "reset-config", method: "POST", path: pConfig + "/reset-config", body: `["gitCloneTag"]`},
		{name: "delete config", method: "DELETE", path: pConfig},
		{name: "prefix /gateway", method: "GET", path: "/gateway" + pSchema},
		{name: "prefix /dbops", method: "POST", path: "/dbops" + pInstanceList, body: `{"instanceTags":[]}`},
		{name: "prefix /gateway/dbops", method: "GET", path: "/gateway/dbops" + pSchemas, query: "limit=5"},
		{name: "prefix /gateway on execution config", method: "POST", path: "/gateway" + pConfig + "/reset-config", body: `["defaultTag"]`},
		{name: "query left in the path", method: "GET", path: pSchemas + "?page=1&limit=50"},
		{name: "header keys not canonical, no Harness-Account", method: "PUT", path: pInstanceOne,
			header: http.Header{"x-api-key": {"k"}, "content-type": {"application/json; charset=utf-8"}}, body: `{"name":"I"}`},
		{name: "identifiers with dollars in the path", method: "GET", path: pSchemas + "/s_3$/instance/i$1"},
		{name: "schema identifier of 128 characters in the path", method: "GET", path: pSchemas + "/" + strings.Repeat("a", 128)},
		{name: "instance migration state", method: "GET", path: "/gateway" + pInstanceState, query: "page=2&limit=100"},
		{name: "instance migration state searched", method: "GET", path: pInstanceState, query: "search_term=create_table"},
		{name: "instance flyway migration state", method: "GET", path: "/dbops" + pInstanceFlyway, query: "page=0&limit=1&search_term="},
		{name: "schema migration state without body", method: "POST", path: pSchemaState, query: "page=0&limit=100"},
		{name: "schema migration state empty body", method: "POST", path: pSchemaState, body: `{}`},
		{name: "schema migration state filtered and sorted", method: "POST", path: pSchemaState,
			body: `{"instanceFilter":{"instances":["dev","prod"],"sort":"identifier","order":"DESC"}}`},
		{name: "schema flyway migration state", method: "POST", path: "/gateway/dbops" + pSchemaFlyway, query: "limit=5",
			body: `{"instanceFilter":{"instances":[],"sort":"created"}}`},
	})
}

func TestBadRequests(t *testing.T) {
	noKey := reqHeader()
	noKey.Del("X-Api-Key")
	emptyKey := reqHeader()
	emptyKey.Set("X-Api-Key", " ")
	noCT := reqHeader()
	noCT.Del("Content-Type")
	const request = PartRequest

	runRequests(t, []requestCase{
		{name: "unknown key", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changelogScript":{"image":"i"}}`,
			want: req(rCreateSchema, `body: property "changelogScript" is unsupported`)},
		{name: "unknown key in changelog", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changelog":{"connector":"git","location":"c","branch":"main"}}`,
			want: req(rCreateSchema, `body /changelog: property "branch" is unsupported`)},
		{name: "changelog without location", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changelog":{"connector":"git"}}`,
			want: req(rCreateSchema, `body /changelog: property "location" is missing`)},
		{name: "changelog empty repo", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changelog":{"connector":"","location":"c","repo":""}}`,
			want: req(rCreateSchema, `body /changelog/repo: minimum string length is 1`)},
		{name: "script with empty image", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changeLogScript":{"image":"","command":"c","shell":"Sh","location":"l"}}`,
			want: req(rCreateSchema, `body /changeLogScript/image: minimum string length is 1`)},
		{name: "script without shell", method: "POST", path: pSchemas,
			body: `{"identifier":"s1","name":"S","changeLogScript":{"image":"i","command":"c","location":"l"}}`,
			want: req(rCreateSchema, `body /changeLogScript: property "shell" is missing`)},
		{name: "schema create without identifier", method: "POST", path: pSchemas, body: `{"name":"S"}`,
			want: req(rCreateSchema, `body: property "identifier" is missing`)},
		{name: "schema create without identifier and name", method: "POST", path: pSchemas, body: `{}`,
			want: []Violation{
				{rCreateSchema, request, `body: property "identifier" is missing`},
				{rCreateSchema, request, `body: property "name" is missing`},
			}},
		{name: "bad identifier pattern", method: "POST", path: pSchemas, body: `{"identifier":"1s","name":"S"}`,
			want: req(rCreateSchema, `body /identifier: string doesn't match the regular expression "`+identifierRegexp+`"`)},
		{name: "identifier of 129 characters", method: "POST", path: pSchemas, body: `{"identifier":"` + strings.Repeat("a", 129) + `","name":"S"}`,
			want: req(rCreateSchema, `body /identifier: string doesn't match the regular expression "`+identifierRegexp+`"`)},
		{name: "name too long", method: "POST", path: pSchemas, body: `{"identifier":"s","name":"` + strings.Repeat("n", 129) + `"}`,
			want: req(rCreateSchema, `body /name: maximum string length is 128`)},
		{name: "null name", method: "POST", path: pSchemas, body: `{"identifier":"s","name":null}`,
			want: req(rCreateSchema, `body /name: Value is not nullable`)},
		{name: "empty service", method: "POST", path: pSchemas, body: `{"identifier":"s","name":"S","service":""}`,
			want: req(rCreateSchema, `body /service: minimum string length is 1`)},
		{name: "bad type and migration type", method: "POST", path: pSchemas, body: `{"identifier":"s","name":"S","type":"SCRIPT","migrationType":"Mongo"}`,
			want: []Violation{
				{rCreateSchema, request, `body /migrationType: value is not one of the allowed values ["Liquibase","Flyway"]`},
				{rCreateSchema, request, `body /type: value is not one of the allowed values ["Repository","Script"]`},
			}},
		{name: "tag value not a string", method: "POST", path: pSchemas, body: `{"identifier":"s","name":"S","tags":{"a":1}}`,
			want: req(rCreateSchema, `body /tags/a: value must be a string`)},
		{name: "tag value too long", method: "PUT", path: pSchema, body: `{"tags":{"a":"` + strings.Repeat("v", 129) + `"}}`,
			want: req(rUpdateSchema, `body /tags/a: maximum string length is 128`)},
		{name: "schema PUT unknown key", method: "PUT", path: pSchema, body: `{"name":"S","schemaSource":{}}`,
			want: req(rUpdateSchema, `body: property "schemaSource" is unsupported`)},
		{name: "schema PUT unknown key in changelog", method: "PUT", path: pSchema, body: `{"changelog":{"archive_path":"x"}}`,
			want: req(rUpdateSchema, `body /changelog: property "archive_path" is unsupported`)},
		{name: "schema PUT unknown key in script", method: "PUT", path: pSchema, body: `{"changeLogScript":{"img":"x"}}`,
			want: req(rUpdateSchema, `body /changeLogScript: property "img" is unsupported`)},
		{name: "schema create body missing", method: "POST", path: pSchemas,
			want: req(rCreateSchema, `body: required, but missing`)},
		{name: "schema create body not JSON", method: "POST", path: pSchemas, body: `{"identifier":`,
			want: req(rCreateSchema, `body: not valid JSON: unexpected EOF`)},
		{name: "body without Content-Type", method: "POST", path: pSchemas, header: noCT, body: `{"identifier":"s","name":"S"}`,
			want: req(rCreateSchema, `header Content-Type: unexpected value "" for a JSON request body`)},
		{name: "body on a GET", method: "GET", path: pSchema, body: `{}`,
			want: req(rGetSchema, `body: this operation takes no request body`)},
		{name: "missing name on instance create", method: "POST", path: pInstance, body: `{"identifier":"i1","connector":"jdbc","branch":"main"}`,
			want: req(rCreateInstance, `body: property "name" is missing`)},
		{name: "empty connector on instance create", method: "POST", path: pInstance, body: `{"identifier":"i1","name":"I","connector":""}`,
			want: req(rCreateInstance, `body /connector: minimum string length is 1`)},
		{name: "instance create misspelled key", method: "POST", path: pInstance,
			body: `{"identifier":"i1","name":"I","connector":"jdbc","liquibaseSubstituteProperties":{}}`,
			want: req(rCreateInstance, `body: property "liquibaseSubstituteProperties" is unsupported`)},
		{name: "instance create identifier in schema form", method: "POST", path: pInstance, body: `{"identifier":"i-1","name":"I","connector":"jdbc"}`,
			want: req(rCreateInstance, `body /identifier: string doesn't match the regular expression "`+identifierRegexp+`"`)},
		{name: "instance PUT unknown key", method: "PUT", path: pInstanceOne, body: `{"commit_sha":"abc"}`,
			want: req(rUpdateInstance, `body: property "commit_sha" is unsupported`)},
		{name: "instance PUT substitute property not a string", method: "PUT", path: pInstanceOne, body: `{"substituteProperties":{"a":true}}`,
			want: req(rUpdateInstance, `body /substituteProperties/a: value must be a string`)},
		{name: "instancelist bad filter type", method: "POST", path: pInstanceList, body: `{"filterType":"Contains"}`,
			want: req(rListInstances, `body /filterType: value is not one of the allowed values ["Equals","NotEquals"]`)},
		{name: "instancelist tag without key", method: "POST", path: pInstanceList, body: `{"instanceTags":[{"value":"v"}]}`,
			want: req(rListInstances, `body /instanceTags/0: property "key" is missing`)},
		{name: "instancelist unknown key in tag", method: "POST", path: pInstanceList, body: `{"instanceTags":[{"key":"k","values":["v"]}]}`,
			want: req(rListInstances, `body /instanceTags/0: property "values" is unsupported`)},
		{name: "reset-config empty array", method: "POST", path: pConfig + "/reset-config", body: `[]`,
			want: req(rResetConfig, `body: minimum number of items is 1`)},
		{name: "reset-config object form", method: "POST", path: pConfig + "/reset-config", body: `[{"field":"x"}]`,
			want: req(rResetConfig, `body /0: value must be a string`)},
		{name: "reset-config a bare string", method: "POST", path: pConfig + "/reset-config", body: `"gitCloneTag"`,
			want: req(rResetConfig, `body: value must be an array`)},
		{name: "update-config empty array", method: "POST", path: pConfig + "/update-config", body: `[]`,
			want: req(rUpdateConfig, `body: minimum number of items is 1`)},
		{name: "update-config without value", method: "POST", path: pConfig + "/update-config", body: `[{"field":"gitCloneTag"}]`,
			want: req(rUpdateConfig, `body /0: property "value" is missing`)},
		{name: "update-config typo", method: "POST", path: pConfig + "/update-config", body: `[{"field":"gitCloneTag","value":"x","vaule":"y"}]`,
			want: req(rUpdateConfig, `body /0: property "vaule" is unsupported`)},
		{name: "update-config an object", method: "POST", path: pConfig + "/update-config", body: `{"gitCloneTag":"x"}`,
			want: req(rUpdateConfig, `body: value must be an array`)},
		{name: "limit=0", method: "GET", path: pSchemas, query: "limit=0",
			want: req(rListSchemas, `query limit: number must be at least 1`)},
		{name: "limit=101", method: "POST", path: pInstanceList, query: "limit=101",
			want: req(rListInstances, `query limit: number must be at most 100`)},
		{name: "page=-1", method: "GET", path: pSchemas, query: "page=-1",
			want: req(rListSchemas, `query page: number must be at least 0`)},
		{name: "page not a number", method: "GET", path: pSchemas, query: "page=x",
			want: req(rListSchemas, `query page: value x: an invalid integer: invalid syntax`)},
		{name: "sort=bogus", method: "GET", path: pSchemas, query: "sort=bogus",
			want: req(rListSchemas, `query sort: value is not one of the allowed values ["name","updated","created"]`)},
		{name: "schema list sort=identifier (instances only)", method: "GET", path: pSchemas, query: "sort=identifier",
			want: req(rListSchemas, `query sort: value is not one of the allowed values ["name","updated","created"]`)},
		{name: "instance sort=identifier", method: "POST", path: pInstanceList, query: "sort=identifier",
			want: req(rListInstances, `query sort: value is not one of the allowed values ["name","updated","created"]`)},
		{name: "order lowercase", method: "GET", path: pSchemas, query: "order=asc",
			want: req(rListSchemas, `query order: value is not one of the allowed values ["ASC","DESC"]`)},
		{name: "migrationType filter bad", method: "GET", path: pSchemas, query: "migrationType=liquibase",
			want: req(rListSchemas, `query migrationType: value is not one of the allowed values ["Liquibase","Flyway"]`)},
		{name: "three bad parameters at once", method: "GET", path: "/gateway" + pSchemas, query: "limit=0&sort=bogus&pageSize=5",
			want: []Violation{
				{rListSchemas, request, `query pageSize: parameter is not declared for this operation`},
				{rListSchemas, request, `query limit: number must be at least 1`},
				{rListSchemas, request, `query sort: value is not one of the allowed values ["name","updated","created"]`},
			}},
		{name: "undeclared query parameter", method: "GET", path: pSchema, query: "accountIdentifier=acc",
			want: req(rGetSchema, `query accountIdentifier: parameter is not declared for this operation`)},
		{name: "overridesOnly not a boolean", method: "GET", path: pConfig + "/get-customer-config", query: "overridesOnly=maybe",
			want: req(rCustomerConfig, `query overridesOnly: value maybe: an invalid boolean: invalid syntax`)},
		{name: "schema path parameter too long", method: "GET", path: pSchemas + "/" + strings.Repeat("a", 129),
			want: req(rGetSchema, `path dbschema: maximum string length is 128`)},
		{name: "missing x-api-key", method: "GET", path: pSchema, header: noKey,
			want: req(rGetSchema, `header x-api-key: missing or empty (security scheme ApiKeyAuth)`)},
		{name: "blank x-api-key", method: "DELETE", path: pConfig, header: emptyKey,
			want: req(rDeleteConfig, `header x-api-key: missing or empty (security scheme ApiKeyAuth)`)},
		{name: "missing x-api-key and a bad body", method: "POST", path: pInstance, header: func() http.Header { h := reqHeader(); h.Del("X-Api-Key"); return h }(),
			body: `{"identifier":"i1","name":"I"}`,
			want: []Violation{
				{rCreateInstance, request, `header x-api-key: missing or empty (security scheme ApiKeyAuth)`},
				{rCreateInstance, request, `body: property "connector" is missing`},
			}},
		{name: "migration state sort in the query", method: "GET", path: pInstanceState, query: "sort=created&order=ASC",
			want: []Violation{
				{rInstanceState, request, `query order: parameter is not declared for this operation`},
				{rInstanceState, request, `query sort: parameter is not declared for this operation`},
			}},
		{name: "migration state limit=101", method: "GET", path: pInstanceFlyway, query: "limit=101",
			want: req(rInstanceFlyway, `query limit: number must be at most 100`)},
		{name: "migration state on the entity route's instance segment", method: "GET", path: pSchema + "/instance/i1/migrationstate",
			want: req("", "no operation in the contract for GET "+pSchema+"/instance/i1/migrationstate")},
		{name: "schema migration state GET", method: "GET", path: pSchemaState,
			want: req("", "no operation in the contract for GET "+pSchemaState+": the path is described, but not for GET")},
		{name: "schema migration state filter unknown key", method: "POST", path: pSchemaState, body: `{"instanceFilter":{"instance":["prod"]}}`,
			want: req(rSchemaState, `body /instanceFilter: property "instance" is unsupported`)},
		{name: "schema migration state filter at the top", method: "POST", path: pSchemaFlyway, body: `{"instances":["prod"]}`,
			want: req(rSchemaFlyway, `body: property "instances" is unsupported`)},
		{name: "schema migration state sort unknown", method: "POST", path: pSchemaState, body: `{"instanceFilter":{"sort":"status","order":"asc"}}`,
			want: []Violation{
				{rSchemaState, request, `body /instanceFilter/order: value is not one of the allowed values ["ASC","DESC"]`},
				{rSchemaState, request, `body /instanceFilter/sort: value is not one of the allowed values ["name","updated","created","identifier"]`},
			}},
		{name: "unknown path", method: "GET", path: "/v1/foo",
			want: req("", "no operation in the contract for GET /v1/foo")},
		{name: "unknown prefix", method: "GET", path: "/api" + pSchema,
			want: req("", "no operation in the contract for GET /api"+pSchema)},
		{name: "no /v1", method: "GET", path: "/gateway/orgs/o1/projects/p1/dbschema",
			want: req("", "no operation in the contract for GET /gateway/orgs/o1/projects/p1/dbschema")},
		{name: "method not described", method: "PATCH", path: pSchema, body: `{}`,
			want: req("", "no operation in the contract for PATCH "+pSchema+": the path is described, but not for PATCH")},
		{name: "GET on instancelist", method: "GET", path: pInstanceList,
			want: req("", "no operation in the contract for GET "+pInstanceList+": the path is described, but not for GET")},
	})
}

type responseCase struct {
	name   string
	method string
	path   string
	status int
	header http.Header // nil: Content-Type application/json
	body   string
	want   []Violation
}

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

func pagingHeader(total, size string) http.Header {
	const page = "0"
	h := jsonHeader()
	for k, v := range map[string]string{"X-Total-Elements": total, "X-Page-Number": page, "X-Page-Size": size} {
		if v != "" {
			h.Set(k, v)
		}
	}
	return h
}

const (
	// The developer hub's real answers (its Database DevOps provisioning page; EVIDENCE.md, DH).
	hubSchema   = `{"changelog":{"connector":"cockroachDB","location":"changelog.yaml","repo":"changelog.yaml"},"created":1761120868,"identifier":"my_db_schema","instanceCount":0,"migrationType":"Liquibase","name":"My Database Schema","parentId":"UGHnTeYhRPOv_ttpbEQFKg","schemaSourceType":"Git","type":"Repository","updated":1761120868}`
	hubInstance = `{"branch":"main","connector":"pg","context":"dev","created":1761122195,"identifier":"customer_db_instance","lastDeployedChangeSetTag":"","name":"Customer DB Instance","schemaId":"47e6efdf-0000","schemaIdentifier":"my_db_schema1","substituteProperties":{"DB_NAME":"my_db_schema1"},"tags":{"env":"dev"},"toOnboard":true,"updated":1761122195}`
	// What the mock answers.
	mockSchema   = `{"identifier":"s1","name":"S","changelog":{"connector":"","location":"c.yaml","repo":"r"},"type":"Repository","migrationType":"Liquibase","usePercona":false,"created":1,"updated":2,"instanceCount":0,"parentId":"p","schemaSourceType":"HarnessCode"}`
	scriptSchema = `{"identifier":"s1","name":"S","changeLogScript":{"image":"i","command":"c","shell":"","location":""},"type":"Script","migrationType":"Flyway","usePercona":true,"created":1,"instanceCount":2,"parentId":"p","schemaSourceType":"Custom","tags":null,"changelog":null}`
)

// Migration-state answers as the mock gives them (the public descriptions have no sample).
const (
	liquibaseState = `{"schemaName":"S","instanceName":"I","changeSets":[` +
		`{"changeSet":"1","changeSetFQN":"db/c.yaml::1::ann","author":"ann","fileName":"db/c.yaml","tag":"v1","status":"Successfully_Deployed","deployedAt":1761120868,"pipeline":"deploy","planExecutionId":"e1","stageExecutionId":"s1"},` +
		`{"changeSet":"2","changeSetFQN":"db/c.yaml::2::ann","author":"ann","fileName":"db/c.yaml","label":"l","comment":"c","status":"Deployment_Failed","deployedAt":1761120900,"pipeline":"deploy","planExecutionId":"e2","stageExecutionId":"s2","futureField":1}]}`
	flywayState = `{"schemaName":"S","instanceName":"I","migrations":[` +
		`{"version":"1","description":"init","type":"SQL","status":"Rolled_Back","deployedAt":1761120868,"pipelineIdentifier":"p","pipelineExecutionId":"e","stageExecutionId":"s"}]}`
	schemaState = `{"schema":"s1","instances":[{"identifier":"dev","name":"Dev"},{"identifier":"prod","name":"Prod"}],"changeSets":[` +
		`{"changeSet":"1","changeSetFQN":"db/c.yaml::1::ann","author":"ann","fileName":"db/c.yaml","synced":false,"updated":1761120868,"instances":[` +
		`{"instance":"dev","status":"Successfully_Deployed","pipeline":"deploy","planExecutionId":"e1","stageExecutionId":"s1","tag":"v1","updated":1761120868},` +
		`{"instance":"prod","status":"Not_Deployed","pipeline":"","planExecutionId":"","stageExecutionId":""}]}]}`
	flywaySchemaState = `{"schema":"s1","instances":[{"identifier":"dev","name":"Dev"}],"migrations":[` +
		`{"version":"1","description":"init","type":"SQL","deployedAt":1761120868,"instances":[` +
		`{"instance":"dev","status":"Successfully_Deployed","pipeline":"p","planExecutionId":"e","stageExecutionId":"s","updated":1761120868}]}]}`
)

func TestResponses(t *testing.T) {
	v := newValidator(t)
	const response = PartResponse
	res := func(route, msg string) []Violation { return []Violation{{Route: route, Part: response, Message: msg}} }
	cases := []responseCase{
		// good
		{name: "developer hub schema sample", method: "GET", path: pSchema, status: 200, body: hubSchema},
		{name: "mock schema, harness code", method: "POST", path: pSchemas, status: 201, body: mockSchema},
		{name: "script schema with null tags and changelog", method: "PUT", path: pSchema, status: 200, body: scriptSchema},
		{name: "schema with unknown extra field", method: "GET", path: pSchema, status: 200,
			body: `{"identifier":"s","name":"n","created":1,"instanceCount":0,"type":"Repository","parentId":"p","migrationType":"Flyway","newField":{"x":1}}`},
		{name: "schema with empty connector and repo", method: "GET", path: "/gateway/dbops" + pSchema, status: 200,
			body: `{"identifier":"s","name":"n","created":1,"instanceCount":0,"type":"Repository","parentId":"p","migrationType":"Flyway","changelog":{"connector":"","location":"l","repo":"","archivePath":""}}`},
		{name: "developer hub instance sample", method: "GET", path: pInstanceOne, status: 200, body: hubInstance},
		{name: "instance with null maps", method: "POST", path: pInstance, status: 201,
			body: `{"identifier":"i","name":"n","created":1,"connector":"c","lastDeployedChangeSetTag":"","tags":null,"substituteProperties":null}`},
		{name: "schema list with paging headers", method: "GET", path: pSchemas, status: 200,
			header: pagingHeader("1", "10"), body: `[` + hubSchema + `]`},
		{name: "empty instance list", method: "POST", path: pInstanceList, status: 200,
			header: pagingHeader("0", "10"), body: `[]`},
		{name: "JSON with charset", method: "GET", path: pSchema, status: 404,
			header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, body: `{"message":"not found"}`},
		{name: "error 401", method: "DELETE", path: pSchema, status: 401, body: `{"message":"unauthorized","code":"X"}`},
		{name: "delete 204 without body", method: "DELETE", path: pInstanceOne, status: 204, header: http.Header{}},
		{name: "overview", method: "GET", path: pSchemas + "/overview", status: 200,
			body: `{"dbSchemaCount":1,"dbInstanceCount":2,"recentDeployments":[{"dbSchemaIdentifier":"s","dbSchemaName":"S","dbInstanceIdentifier":"i","dbInstanceName":"I","lastDeployed":5}]}`},
		{name: "overview with null deployments", method: "GET", path: pSchemas + "/overview", status: 200, body: `{"dbSchemaCount":0,"dbInstanceCount":0,"recentDeployments":null}`},
		{name: "default config with a future field", method: "GET", path: pConfig + "/get-default-config", status: 200,
			body: `{"artifactoryTag":"plugins/download-artifactory:1.0.0","defaultTag":"plugins/drone-liquibase:1.18.0-4.33","gitCloneTag":"harness/drone-git:1.6.4-rootless","futureTag":"x"}`},
		{name: "customer config with no override", method: "GET", path: pConfig + "/get-customer-config", status: 200, body: `{}`},
		{name: "update-config true", method: "POST", path: pConfig + "/update-config", status: 201, body: `true`},
		{name: "delete config false", method: "DELETE", path: "/gateway" + pConfig, status: 200, body: `false`},

		{name: "instance migration state", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("2", "100"), body: liquibaseState},
		{name: "instance migration state, no history", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("0", "10"),
			body: `{"schemaName":"S","instanceName":"I","changeSets":[]}`},
		{name: "instance migration state, null changesets", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("0", "10"),
			body: `{"schemaName":"S","instanceName":"I","changeSets":null}`},
		{name: "instance migration state, not found", method: "GET", path: pInstanceState, status: 404, body: `{"message":"database instance \"i1\" not found"}`},
		{name: "instance flyway migration state", method: "GET", path: pInstanceFlyway, status: 200, header: pagingHeader("1", "10"), body: flywayState},
		{name: "schema migration state", method: "POST", path: pSchemaState, status: 200, header: pagingHeader("1", "100"), body: schemaState},
		{name: "schema flyway migration state", method: "POST", path: pSchemaFlyway, status: 200, header: pagingHeader("1", "100"), body: flywaySchemaState},

		// bad
		{name: "instance migration state with an unknown status", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("1", "10"),
			body: strings.Replace(liquibaseState, "Deployment_Failed", "FAILED", 1),
			want: res(rInstanceState, `body /changeSets/1/status: value is not one of the allowed values ["Successfully_Deployed","Deployment_Failed","Rolled_Back","Not_Deployed"]`)},
		{name: "instance migration state without the FQN", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("1", "10"),
			body: `{"schemaName":"S","instanceName":"I","changeSets":[{"changeSet":"1","author":"a","fileName":"f","status":"Not_Deployed","deployedAt":0,"pipeline":"p","planExecutionId":"e","stageExecutionId":"s"}]}`,
			want: res(rInstanceState, `body /changeSets/0: property "changeSetFQN" is missing`)},
		{name: "instance migration state as an RFC 3339 time", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("1", "10"),
			body: strings.Replace(liquibaseState, "1761120868", `"2025-10-22T08:14:28Z"`, 1),
			want: res(rInstanceState, `body /changeSets/0/deployedAt: value must be an integer`)},
		{name: "instance migration state without names", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("0", "10"),
			body: `{"changeSets":[]}`,
			want: []Violation{
				{rInstanceState, response, `body: property "schemaName" is missing`},
				{rInstanceState, response, `body: property "instanceName" is missing`},
			}},
		{name: "instance migration state as a bare array", method: "GET", path: pInstanceState, status: 200, header: pagingHeader("0", "10"), body: `[]`,
			want: res(rInstanceState, `body: value must be an object`)},
		{name: "instance migration state without paging headers", method: "GET", path: pInstanceFlyway, status: 200, body: flywayState,
			want: res(rInstanceFlyway, `header X-Page-Number: missing`)},
		{name: "flyway migration without version", method: "GET", path: pInstanceFlyway, status: 200, header: pagingHeader("1", "10"),
			body: `{"schemaName":"S","instanceName":"I","migrations":[{"type":"SQL","status":"Successfully_Deployed","deployedAt":1,"pipelineIdentifier":"p","pipelineExecutionId":"e","stageExecutionId":"s"}]}`,
			want: res(rInstanceFlyway, `body /migrations/0: property "version" is missing`)},
		{name: "schema migration state without synced", method: "POST", path: pSchemaState, status: 200, header: pagingHeader("1", "100"),
			body: strings.Replace(schemaState, `"synced":false,`, "", 1),
			want: res(rSchemaState, `body /changeSets/0: property "synced" is missing`)},
		{name: "schema migration state instance without status", method: "POST", path: pSchemaState, status: 200, header: pagingHeader("1", "100"),
			body: strings.Replace(schemaState, `"status":"Not_Deployed",`, "", 1),
			want: res(rSchemaState, `body /changeSets/0/instances/1: property "status" is missing`)},
		{name: "flyway schema migration state without schema", method: "POST", path: pSchemaFlyway, status: 200, header: pagingHeader("0", "100"),
			body: `{"instances":[],"migrations":[]}`,
			want: res(rSchemaFlyway, `body: property "schema" is missing`)},
		{name: "schema missing parentId", method: "GET", path: pSchema, status: 200,
			body: `{"identifier":"s","name":"n","created":1,"instanceCount":0,"type":"Repository","migrationType":"Flyway"}`,
			want: res(rGetSchema, `body: property "parentId" is missing`)},
		{name: "schema created as a string", method: "GET", path: pSchema, status: 200,
			body: `{"identifier":"s","name":"n","created":"2026-01-01","instanceCount":0,"type":"Repository","parentId":"p","migrationType":"Flyway"}`,
			want: res(rGetSchema, `body /created: value must be an integer`)},
		{name: "schema with the old SDK source type", method: "GET", path: pSchema, status: 200,
			body: `{"identifier":"s","name":"n","created":1,"instanceCount":0,"type":"Script","parentId":"p","migrationType":"Flyway","schemaSourceType":"custom"}`,
			want: res(rGetSchema, `body /schemaSourceType: value is not one of the allowed values ["Git","Artifactory","Custom","HarnessCode"]`)},
		{name: "schema changelog without location", method: "GET", path: pSchema, status: 200,
			body: `{"identifier":"s","name":"n","created":1,"instanceCount":0,"type":"Repository","parentId":"p","migrationType":"Flyway","changelog":{"connector":"c"}}`,
			want: res(rGetSchema, `body /changelog: property "location" is missing`)},
		{name: "schema null name", method: "GET", path: pSchema, status: 200,
			body: `{"identifier":"s","name":null,"created":1,"instanceCount":0,"type":"Repository","parentId":"p","migrationType":"Flyway"}`,
			want: res(rGetSchema, `body /name: Value is not nullable`)},
		{name: "instance missing lastDeployedChangeSetTag", method: "GET", path: pInstanceOne, status: 200,
			body: `{"identifier":"i","name":"n","created":1,"connector":"c"}`,
			want: res(rGetInstance, `body: property "lastDeployedChangeSetTag" is missing`)},
		{name: "201 where the contract says 200", method: "GET", path: pSchema, status: 201, body: hubSchema,
			want: res(rGetSchema, `status 201 is not declared for this operation (declared: 200, 400, 401, 403, 404, 500)`)},
		{name: "200 where the contract says 201", method: "POST", path: pInstance, status: 200, body: hubInstance,
			want: res(rCreateInstance, `status 200 is not declared for this operation (declared: 201, 400, 401, 403, 404, 500)`)},
		{name: "200 on delete", method: "DELETE", path: pSchema, status: 200, body: ``,
			want: res(rDeleteSchema, `status 200 is not declared for this operation (declared: 204, 400, 401, 403, 404, 500)`)},
		{name: "undeclared status 418", method: "GET", path: pSchema, status: 418, body: `{"message":"teapot"}`,
			want: res(rGetSchema, `status 418 is not declared for this operation (declared: 200, 400, 401, 403, 404, 500)`)},
		{name: "undeclared status 304", method: "GET", path: pSchema, status: 304,
			want: res(rGetSchema, `status 304 is not declared for this operation (declared: 200, 400, 401, 403, 404, 500)`)},
		{name: "error body without message", method: "GET", path: pSchema, status: 404, body: `{"error":"not found"}`,
			want: res(rGetSchema, `body: property "message" is missing`)},
		{name: "error body an HTML page", method: "POST", path: pSchemas, status: 500,
			header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, body: `<html><body>Bad gateway</body></html>`,
			want: res(rCreateSchema, `header Content-Type: unexpected value "text/html; charset=utf-8"`)},
		{name: "error without Content-Type", method: "POST", path: pSchemas, status: 400, header: http.Header{}, body: `{"message":"x"}`,
			want: res(rCreateSchema, `header Content-Type: unexpected value ""`)},
		{name: "204 with a body", method: "DELETE", path: pSchema, status: 204, body: `{"deleted":true}`,
			want: res(rDeleteSchema, `body: status 204 declares no body, but 16 bytes were sent`)},
		{name: "200 with an empty body", method: "GET", path: pSchema, status: 200, body: ``,
			want: res(rGetSchema, `body: empty, but status 200 declares a JSON body`)},
		{name: "200 with a truncated body", method: "GET", path: pSchema, status: 200, body: `{"identifier":`,
			want: res(rGetSchema, `body: not valid JSON: unexpected EOF`)},
		{name: "list without paging headers", method: "GET", path: pSchemas, status: 200, body: `[]`,
			want: res(rListSchemas, `header X-Page-Number: missing`)},
		{name: "list with a non-integer header", method: "POST", path: pInstanceList, status: 200,
			header: pagingHeader("many", "10"), body: `[]`,
			want: res(rListInstances, `header X-Total-Elements: cannot be decoded: value many: an invalid integer: invalid syntax`)},
		{name: "list wrapped in an envelope", method: "GET", path: pSchemas, status: 200,
			header: pagingHeader("0", "10"), body: `{"content":[]}`,
			want: res(rListSchemas, `body: value must be an array`)},
		{name: "list item missing identifier", method: "POST", path: pInstanceList, status: 200,
			header: pagingHeader("1", "10"), body: `[{"name":"n","created":1,"connector":"c","lastDeployedChangeSetTag":""}]`,
			want: res(rListInstances, `body /0: property "identifier" is missing`)},
		{name: "image tag not a string", method: "GET", path: pConfig + "/get-customer-config", status: 200, body: `{"gitCloneTag":1}`,
			want: res(rCustomerConfig, `body /gitCloneTag: value must be a string`)},
		{name: "future image tag not a string", method: "GET", path: pConfig + "/get-default-config", status: 200, body: `{"futureTag":false}`,
			want: res(rDefaultConfig, `body /futureTag: value must be a string`)},
		{name: "update-config answers an object", method: "POST", path: pConfig + "/update-config", status: 201, body: `{"status":"SUCCESS"}`,
			want: res(rUpdateConfig, `body: value must be a boolean`)},
		{name: "update-config answers 200", method: "POST", path: pConfig + "/update-config", status: 200, body: `true`,
			want: res(rUpdateConfig, `status 200 is not declared for this operation (declared: 201, 400, 401, 403, 404, 500)`)},
		{name: "overview too many deployments", method: "GET", path: pSchemas + "/overview", status: 200,
			body: `{"dbSchemaCount":0,"dbInstanceCount":0,"recentDeployments":[` + strings.Repeat(`{"dbSchemaIdentifier":"s","dbSchemaName":"S","dbInstanceIdentifier":"i","dbInstanceName":"I","lastDeployed":5},`, 5) + `{"dbSchemaIdentifier":"s","dbSchemaName":"S","dbInstanceIdentifier":"i","dbInstanceName":"I","lastDeployed":5}]}`,
			want: res(rOverview, `body /recentDeployments: maximum number of items is 5`)},
		{name: "answer to an unknown path", method: "GET", path: "/v1/foo", status: 200, body: `{}`,
			want: res("", "no operation in the contract for GET /v1/foo")},
	}
	runResponses(t, v, cases)
}

func runResponses(t *testing.T, v *Validator, cases []responseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = jsonHeader()
			}
			got := v.CheckResponse(tc.method, tc.path, nil, reqHeader(), tc.status, h, []byte(tc.body))
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s %s -> %d %s\n got %#v\nwant %#v", tc.method, tc.path, tc.status, tc.body, got, tc.want)
			}
		})
	}
}

func TestViolationError(t *testing.T) {
	for _, tc := range []struct {
		v    Violation
		want string
	}{
		{Violation{rGetSchema, PartResponse, `body: property "parentId" is missing`},
			`contract: GET /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}: response: body: property "parentId" is missing`},
		{Violation{"", PartRequest, "no operation in the contract for GET /v1/foo"},
			"contract: GET /v1/foo: request: no operation in the contract for GET /v1/foo"},
		{Violation{"", PartRequest, "no operation in the contract for PATCH /v1/x: the path is described, but not for PATCH"},
			"contract: PATCH /v1/x: request: no operation in the contract for PATCH /v1/x: the path is described, but not for PATCH"},
	} {
		if got := tc.v.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	// The checks return Violations that work as errors.
	var err error = Default().CheckRequest("GET", "/v1/foo", nil, reqHeader(), nil)[0]
	if err.Error() != "contract: GET /v1/foo: request: no operation in the contract for GET /v1/foo" {
		t.Errorf("got %q", err)
	}
}

func TestMessagesAreOneShortLine(t *testing.T) {
	v := newValidator(t)
	long := `{"identifier":"` + strings.Repeat(`x\n`, 400) + `","name":"` + strings.Repeat("n", 5000) + `"}`
	got := v.CheckRequest("POST", pSchemas, nil, reqHeader(), []byte(long))
	if len(got) != 2 {
		t.Fatalf("want 2 violations, got %#v", got)
	}
	for _, vi := range got {
		if strings.ContainsAny(vi.Message, "\n\r\t") || len([]rune(vi.Message)) > maxMessage {
			t.Errorf("message is not one short line: %q", vi.Message)
		}
	}
	if got := compact("a\n  b\tc " + strings.Repeat("z", 400)); strings.ContainsAny(got, "\n\t") || len([]rune(got)) != maxMessage || !strings.HasSuffix(got, "…") {
		t.Errorf("compact: %q", got)
	}
}

// Stats count every check, but only the violations reported: those a test provokes on
// purpose are found and not counted, so that make test's line can say 0.
func TestStatsCountUp(t *testing.T) {
	v := Default()
	r0, s0, x0 := Stats()
	var found []Violation
	found = append(found, v.CheckRequest("GET", pSchema, nil, reqHeader(), nil)...)                                          // ok
	found = append(found, v.CheckRequest("GET", "/v1/foo", nil, reqHeader(), nil)...)                                        // 1 violation
	found = append(found, v.CheckRequest("POST", pSchemas, nil, reqHeader(), []byte(`{}`))...)                               // 2 violations
	found = append(found, v.CheckResponse("GET", pSchema, nil, reqHeader(), 200, jsonHeader(), []byte(hubSchema))...)        // ok
	found = append(found, v.CheckResponse("GET", pSchema, nil, reqHeader(), 418, jsonHeader(), []byte(`{"message":""}`))...) // 1 violation
	r1, s1, x1 := Stats()
	// Other tests may run in parallel: the check counters are at least what this test
	// added. Nothing else in this package reports violations.
	if r1-r0 < 3 || s1-s0 < 2 || x1 != x0 || len(found) != 4 {
		t.Fatalf("Stats went from (%d,%d,%d) to (%d,%d,%d) with %d violations found; want at least +3 requests, +2 responses, 4 found and none counted",
			r0, s0, x0, r1, s1, x1, len(found))
	}
	Report(found)
	if _, _, x2 := Stats(); x2-x1 != 4 {
		t.Fatalf("Report(4 violations) moved the count from %d to %d", x1, x2)
	}
	Expected(len(found))
	if _, _, x3 := Stats(); x3 != x1 {
		t.Fatalf("Expected(4) left the count at %d, want %d", x3, x1)
	}
}

// TestConcurrentUse runs checks from many goroutines on one Validator (run with -race).
func TestConcurrentUse(t *testing.T) {
	v := Default()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := fmt.Sprintf("s%d_%d", g, i)
				body := `{"identifier":"` + id + `","name":"S","changelog":{"connector":"git","location":"c"}}`
				if got := v.CheckRequest("POST", "/gateway"+pSchemas, nil, reqHeader(), []byte(body)); len(got) != 0 {
					errs <- fmt.Sprint(got)
					return
				}
				if got := v.CheckRequest("POST", pSchemas, nil, reqHeader(), []byte(`{"name":"S"}`)); len(got) != 1 {
					errs <- fmt.Sprint(got)
					return
				}
				if got := v.CheckResponse("GET", pSchemas, url.Values{"limit": {"5"}}, reqHeader(), 200, pagingHeader("1", "5"), []byte(`[`+hubSchema+`]`)); len(got) != 0 {
					errs <- fmt.Sprint(got)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func BenchmarkCheckRequest(b *testing.B) {
	v := Default()
	h := reqHeader()
	body := []byte(`{"identifier":"s1","name":"S","changelog":{"connector":"git","location":"db/changelog.yaml"},"type":"Repository","migrationType":"Liquibase"}`)
	for b.Loop() {
		if got := v.CheckRequest("POST", "/gateway"+pSchemas, nil, h, body); len(got) != 0 {
			b.Fatal(got)
		}
	}
}

func BenchmarkCheckResponse(b *testing.B) {
	v := Default()
	h := reqHeader()
	rh := pagingHeader("1", "10")
	body := []byte(`[` + hubSchema + `]`)
	for b.Loop() {
		if got := v.CheckResponse("GET", pSchemas, nil, h, 200, rh, body); len(got) != 0 {
			b.Fatal(got)
		}
	}
}
