package mockserver

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// orgsSeed declares org default with projects demo and payments, and org empty with
// none, so that a typo in either part of the scope is a 404.
const orgsSeed = `orgs:
  default: [payments, demo]
  empty: []
schemas:
  - org: default
    project: payments
    schema: {identifier: ledger, name: Ledger, changelog: {connector: github, location: c.yaml}}
`

// With declared orgs, every API route under an undeclared org or project answers 404
// in Harness's words, before it reads the body or the entity; declared ones work as
// before.
func TestOrgs_unknownScopeIs404(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	if err := ts.load([]byte(orgsSeed)); err != nil {
		t.Fatal(err)
	}
	ts.AllowBadRequests() // the loop sends no bodies; the 404 comes first
	mustCreateSchema(t, ts, "s1")
	expect(t, call(t, ts, "GET", "/v1/orgs/default/projects/payments/dbschema/ledger", nil), 200)
	for _, scope := range []struct{ org, project, want string }{
		{"default", "paymnts", "Project with orgIdentifier [default] and identifier [paymnts] not found (org default's projects in the mock: demo, payments)"},
		{"Default", "payments", "Organization with identifier [Default] not found (the mock's orgs: default, empty)"},
		{"empty", "payments", "Project with orgIdentifier [empty] and identifier [payments] not found (org empty's projects in the mock: none)"},
	} {
		for _, route := range Routes() {
			method, pattern, _ := strings.Cut(route, " ")
			if !strings.Contains(pattern, "{project}") {
				continue
			}
			path := strings.NewReplacer("{org}", scope.org, "{project}", scope.project, "{dbschema}", "ledger", "{dbinstance}", "i1").Replace(pattern)
			r := call(t, ts, method, "/gateway"+path, nil)
			if r.status != 404 || r.message(t) != scope.want {
				t.Errorf("%s %s: %d %s; want 404 %q", method, path, r.status, r, scope.want)
			}
		}
	}
	if n := len(ts.Snapshot().Schemas); n != 2 {
		t.Errorf("the mock holds %d schemas after the 404s; want 2", n)
	}
}

// Without orgs, every org and project exists (the default), and the export has no
// orgs key, as before orgs existed.
func TestOrgs_permissiveByDefault(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	expect(t, call(t, ts, "POST", "/v1/orgs/any_org/projects/any_project/dbschema", repoSchemaBody("s")), 201)
	for _, doc := range []string{"{}", "orgs: {}\n"} {
		if err := ts.load([]byte(doc)); err != nil {
			t.Fatal(err)
		}
		expect(t, call(t, ts, "GET", "/v1/orgs/any_org/projects/any_project/dbschema", nil), 200)
		if exported := call(t, ts, "GET", "/_mock/state", nil).body; bytes.Contains(exported, []byte(`"orgs"`)) {
			t.Errorf("seeded with %q, the export declares orgs: %s", doc, exported)
		}
	}
}

// Declared orgs survive export and seed byte for byte, projects sorted; an org with no
// project stays declared.
func TestOrgs_roundTrip(t *testing.T) {
	t.Parallel()
	first := NewTestServer(t)
	if err := first.load([]byte(orgsSeed)); err != nil {
		t.Fatal(err)
	}
	exported := call(t, first, "GET", "/_mock/state", nil).body
	var st struct{ Orgs map[string][]string }
	if err := json.Unmarshal(exported, &st); err != nil || len(st.Orgs) != 2 || strings.Join(st.Orgs["default"], ",") != "demo,payments" ||
		st.Orgs["empty"] == nil || len(st.Orgs["empty"]) != 0 {
		t.Fatalf("exported orgs %v (%v):\n%s", st.Orgs, err, exported)
	}
	second := NewTestServer(t)
	if err := second.load(exported); err != nil {
		t.Fatal(err)
	}
	if again := call(t, second, "GET", "/_mock/state", nil).body; !bytes.Equal(again, exported) {
		t.Fatalf("export, seed, export differs:\n%s\n%s", exported, again)
	}
}

// A seed that places an entity outside its declared orgs, or declares them wrong, is
// refused with the line and what to do.
func TestOrgs_seedErrors(t *testing.T) {
	_, err := ParseState([]byte(`orgs:
  default: [payments, payments, "my-project"]
  "1org": []
schemas:
  - org: default
    project: paymnts
    schema: {identifier: s, name: S, changelog: {connector: c, location: c.yaml}}
  - org: other
    project: payments
    schema: {identifier: s, name: S, changelog: {connector: c, location: c.yaml}}
instances:
  - org: default
    project: paymnts
    schema: s
    instance: {identifier: i, name: I, connector: c, branch: main}
`))
	want := []string{
		`line 3: orgs["1org"]: org "1org" is not a Harness identifier`,
		`line 2: orgs["default"][1]: project default/payments is listed twice`,
		`line 2: orgs["default"][2]: project "my-project" is not a Harness identifier`,
		`line 6: schemas[0].project: project default/paymnts is not declared under orgs: add paymnts to orgs["default"], or leave orgs out to accept every org and project`,
		`line 8: schemas[1].org: org "other" is not declared under orgs: add it there with its projects, or leave orgs out`,
		`line 13: instances[0].project: project default/paymnts is not declared under orgs`,
	}
	expectProblems(t, err, want)
}
