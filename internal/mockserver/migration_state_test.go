package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	hookRun   = "/_mock/orgs/default/projects/demo/dbschema/%s/instance/%s/changesets"
	stateOne  = proj + "/dbschema/%s/dbinstance/%s/migrationstate"
	flywayOne = proj + "/dbschema/%s/dbinstance/%s/flyway/migrationstate"
	stateAll  = proj + "/dbschema/%s/migrationstate"
	flywayAll = proj + "/dbschema/%s/flyway/migrationstate"
)

// cs is a changeset of db/c.yaml by ann, as a pipeline run records it.
func cs(id, status, run string) ChangeSet {
	return ChangeSet{ChangeSet: id, Author: "ann", FileName: "db/c.yaml", Status: status, Pipeline: "deploy", PlanExecutionID: run, StageExecutionID: run + "_stage"}
}

func tagged(c ChangeSet, tag string) ChangeSet { c.Tag = tag; return c }

func at(c ChangeSet, t int64) ChangeSet { c.DeployedAt = t; return c }

// fm is a Flyway migration as a pipeline run records it.
func fm(version, description, status, run string) FlywayMigration {
	return FlywayMigration{Version: version, Description: description, Type: "SQL", Status: status,
		PipelineIdentifier: "deploy", PipelineExecutionID: run, StageExecutionID: run + "_stage"}
}

// instanceState is the body of the instance views and of the hook's answer.
type instanceState struct {
	SchemaName   string            `json:"schemaName"`
	InstanceName string            `json:"instanceName"`
	ChangeSets   []ChangeSet       `json:"changeSets"`
	Migrations   []FlywayMigration `json:"migrations"`
}

func summary(list []ChangeSet) string {
	var out []string
	for _, c := range list {
		out = append(out, c.ChangeSet+"="+c.Status+"@"+c.PlanExecutionID)
	}
	return strings.Join(out, " ")
}

// withInstance creates schema s1 (Liquibase) and its instance i1 through the API.
func withInstance(t *testing.T, ts *TestServer) *TestServer {
	t.Helper()
	mustCreateSchema(t, ts, "s1")
	mustCreateInstance(t, ts, "s1", instanceBody("i1"))
	return ts
}

// expectProblems checks ParseState's error: each line starts as want says, in order.
func expectProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d:\n got %q\nwant %q…", i, lines[min(i, len(lines)-1)], w)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(lines), len(want), err)
	}
}

func mustCreateFlywaySchema(t *testing.T, ts *TestServer, id string) {
	t.Helper()
	b := repoSchemaBody(id)
	b["migrationType"] = MigrationTypeFlyway
	expect(t, call(t, ts, "POST", proj+"/dbschema", b), 201)
}

// A run is recorded as Harness keeps it: one record per changeset, its latest outcome.
// A changeset that failed and is fixed by the next run, one rolled back, and one rerun
// keep their place in the list; a new changeset is appended; items of one run apply in
// order; the last deployed tag becomes the instance's lastDeployedChangeSetTag.
func TestRecordRunKeepsOneRecordPerChangeSet(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := withInstance(t, newTS(t, Options{Now: clock.Now}))
	hook := fmt.Sprintf(hookRun, "s1", "i1")
	post := func(run ...ChangeSet) instanceState {
		t.Helper()
		r := call(t, ts, "POST", hook, run)
		expect(t, r, 200)
		var st instanceState
		r.decode(t, &st)
		return st
	}

	st := post(tagged(cs("a", StatusSuccessfullyDeployed, "r1"), "v1"), cs("b", StatusDeploymentFailed, "r1"), cs("c", StatusNotDeployed, "r1"))
	if got := summary(st.ChangeSets); got != "a=Successfully_Deployed@r1 b=Deployment_Failed@r1 c=Not_Deployed@r1" || st.SchemaName != "Schema s1" || st.InstanceName != "Instance i1" {
		t.Fatalf("first run: %s %+v", got, st)
	}
	if c := st.ChangeSets[0]; c.ChangeSetFQN != "db/c.yaml::a::ann" || c.DeployedAt != clock.Now().Unix() {
		t.Errorf("the FQN and deployedAt left out: %+v", c)
	}
	clock.Advance(time.Hour)
	st = post(cs("b", StatusSuccessfullyDeployed, "r2"), tagged(cs("c", StatusSuccessfullyDeployed, "r2"), "v2"), cs("d", StatusSuccessfullyDeployed, "r2"))
	if got := summary(st.ChangeSets); got != "a=Successfully_Deployed@r1 b=Successfully_Deployed@r2 c=Successfully_Deployed@r2 d=Successfully_Deployed@r2" {
		t.Fatalf("the fix: %s", got)
	}
	if st.ChangeSets[1].DeployedAt != clock.Now().Unix() || st.ChangeSets[0].DeployedAt == st.ChangeSets[1].DeployedAt {
		t.Errorf("a fixed changeset takes the new run's time: %+v", st.ChangeSets)
	}
	in, _ := ts.Instance("default", "demo", "s1", "i1")
	if in.LastDeployedChangeSetTag != "v2" || in.Updated != in.Created {
		t.Errorf("after a run that deployed tag v2: lastDeployedChangeSetTag %q, updated %d (created %d): want v2, and no update of the instance",
			in.LastDeployedChangeSetTag, in.Updated, in.Created)
	}
	st = post(at(cs("d", StatusRolledBack, "r3"), 1_800_000_000), tagged(cs("c", StatusRolledBack, "r3"), "v2"),
		cs("e", StatusDeploymentFailed, "r3"), cs("e", StatusSuccessfullyDeployed, "r3b"))
	if got := summary(st.ChangeSets); got != "a=Successfully_Deployed@r1 b=Successfully_Deployed@r2 c=Rolled_Back@r3 d=Rolled_Back@r3 e=Successfully_Deployed@r3b" {
		t.Fatalf("the rollback, and a failure fixed within one run: %s", got)
	}
	if st.ChangeSets[3].DeployedAt != 1_800_000_000 {
		t.Errorf("a given deployedAt is kept: %+v", st.ChangeSets[3])
	}
	if in, _ := ts.Instance("default", "demo", "s1", "i1"); in.LastDeployedChangeSetTag != "v2" {
		t.Errorf("a rollback does not deploy a tag: lastDeployedChangeSetTag %q", in.LastDeployedChangeSetTag)
	}
	if got := ts.ChangeSets("default", "demo", "s1", "i1"); !reflect.DeepEqual(got, st.ChangeSets) {
		t.Errorf("ChangeSets = %+v, want the hook's answer", got)
	}
	r := call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "i1")+"?limit=100", nil)
	expect(t, r, 200)
	var api instanceState
	r.decode(t, &api)
	if !reflect.DeepEqual(api.ChangeSets, st.ChangeSets) {
		t.Errorf("the API answers\n%+v\nwant\n%+v", api.ChangeSets, st.ChangeSets)
	}

	// The Go helper records the same way.
	if err := ts.RecordChangeSets("default", "demo", "s1", "i1", cs("a", StatusRolledBack, "r4")); err != nil {
		t.Fatal(err)
	}
	if got := ts.ChangeSets("default", "demo", "s1", "i1"); got[0].Status != StatusRolledBack || len(got) != 5 {
		t.Errorf("RecordChangeSets: %s", summary(got))
	}
	// An empty run records nothing.
	if st := post(); len(st.ChangeSets) != 5 {
		t.Errorf("an empty run: %s", summary(st.ChangeSets))
	}
}

// A run with one bad item records nothing, and says what is wrong with each item.
func TestRecordRunRefusals(t *testing.T) {
	t.Parallel()
	ts := withInstance(t, NewTestServer(t))
	mustCreateFlywaySchema(t, ts, "f1")
	mustCreateInstance(t, ts, "f1", instanceBody("i1"))
	hook := fmt.Sprintf(hookRun, "s1", "i1")
	bad := cs("b", "FAILED", "r1")
	bad.ChangeSetFQN, bad.Pipeline, bad.DeployedAt = "c.yaml::b::ann", "", -1
	expectError(t, call(t, ts, "POST", hook, []ChangeSet{cs("a", StatusSuccessfullyDeployed, "r1"), bad}), 400,
		"invalid pipeline run, nothing recorded: each item is a changeset (InstanceMigrationStateChangeSet): ",
		"[1]: pipeline is required; ",
		`[1]: changeSetFQN "c.yaml::b::ann" is not fileName::changeSet::author ("db/c.yaml::b::ann"): leave it out to derive it; `,
		`[1]: status "FAILED" is invalid: use one of Successfully_Deployed, Deployment_Failed, Rolled_Back, Not_Deployed; `,
		"[1]: deployedAt -1 is negative")
	if got := ts.ChangeSets("default", "demo", "s1", "i1"); got != nil {
		t.Fatalf("a refused run recorded %s", summary(got))
	}
	expectError(t, call(t, ts, "POST", hook, []FlywayMigration{fm("1", "init", StatusSuccessfullyDeployed, "r1")}), 400,
		`schema "s1" is a Liquibase schema, so each item of the body is a changeset (InstanceMigrationStateChangeSet): unknown JSON field "[0].`)
	expectError(t, call(t, ts, "POST", fmt.Sprintf(hookRun, "f1", "i1"), []ChangeSet{cs("a", StatusSuccessfullyDeployed, "r1")}), 400,
		`schema "f1" is a Flyway schema, so each item of the body is a migration (FlywayInstanceMigrationState): unknown JSON field "[0].`)
	expectError(t, call(t, ts, "POST", hook, `{"changeSet":"a"}`), 400, "must be a JSON array")
	expectError(t, call(t, ts, "POST", hook, nil), 400, "request body is empty")
	expectError(t, call(t, ts, "POST", fmt.Sprintf(hookRun, "s1", "nope"), `not even JSON`), 404, `database instance "nope" not found in schema "s1"`)
	expectError(t, call(t, ts, "POST", fmt.Sprintf(hookRun, "nope", "i1"), []ChangeSet{}), 404, `database schema "nope" not found`)
	if err := ts.RecordChangeSets("default", "demo", "nope", "i1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RecordChangeSets on a missing schema: %v", err)
	}
	if err := ts.RecordChangeSets("default", "demo", "f1", "i1", cs("a", StatusSuccessfullyDeployed, "r1")); err == nil ||
		errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `is a Flyway schema, so its instance "i1" has no changeSets: use .../flyway/migrationstate`) {
		t.Errorf("RecordChangeSets on a Flyway schema: %v", err)
	}
	if err := ts.RecordFlywayMigrations("default", "demo", "f1", "i1", fm("", "", StatusSuccessfullyDeployed, "r1")); err == nil ||
		!strings.Contains(err.Error(), `[0]: version is required ("" only for a repeatable migration, which then needs its description)`) {
		t.Errorf("RecordFlywayMigrations without a version: %v", err)
	}
}

// The instance view pages the records in the order first recorded, with the paging
// headers; search_term matches the FQN; an instance with no history is an empty page,
// an unknown schema or instance a 404.
func TestInstanceMigrationStatePages(t *testing.T) {
	t.Parallel()
	ts := withInstance(t, NewTestServer(t))
	mustCreateInstance(t, ts, "s1", instanceBody("fresh"))
	var run []ChangeSet
	for i := range 7 {
		run = append(run, cs(fmt.Sprintf("cs%d", i), StatusSuccessfullyDeployed, "r1"))
	}
	run[5].Author = "bob"
	if err := ts.RecordChangeSets("default", "demo", "s1", "i1", run...); err != nil {
		t.Fatal(err)
	}
	var seen []string
	for page := range 4 {
		r := call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "i1")+fmt.Sprintf("?page=%d&limit=3", page), nil)
		expect(t, r, 200)
		var st instanceState
		r.decode(t, &st)
		if h := r.header; h.Get("X-Total-Elements") != "7" || h.Get("X-Page-Number") != fmt.Sprint(page) || h.Get("X-Page-Size") != "3" {
			t.Errorf("page %d headers: %v", page, h)
		}
		if want := []int{3, 3, 1, 0}[page]; len(st.ChangeSets) != want || st.ChangeSets == nil {
			t.Errorf("page %d: %d changesets (%s), want %d", page, len(st.ChangeSets), r.body, want)
		}
		for _, c := range st.ChangeSets {
			seen = append(seen, c.ChangeSet)
		}
	}
	if strings.Join(seen, ",") != "cs0,cs1,cs2,cs3,cs4,cs5,cs6" {
		t.Errorf("the pages hold %v", seen)
	}
	r := call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "i1")+"?search_term=BOB", nil)
	if expect(t, r, 200); r.header.Get("X-Total-Elements") != "1" || !strings.Contains(string(r.body), `"db/c.yaml::cs5::bob"`) {
		t.Errorf("search_term=BOB: %s", r.body)
	}
	r = call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "fresh"), nil)
	if expect(t, r, 200); string(r.body) != `{"changeSets":[],"instanceName":"Instance fresh","schemaName":"Schema s1"}` || r.header.Get("X-Total-Elements") != "0" {
		t.Errorf("an instance with no history: %s %v", r.body, r.header)
	}
	expectError(t, call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "nope"), nil), 404, `database instance "nope" not found in schema "s1"`)
	expectError(t, call(t, ts, "GET", fmt.Sprintf(stateOne, "nope", "i1"), nil), 404, `database schema "nope" not found`)
	ts.AllowBadRequests() // the contract refuses it too; the mock's own answer is the test
	expectError(t, call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "i1")+"?limit=0", nil), 400, `query parameter limit="0" is invalid: use an integer from 1 to 100`)
}

// The schema's migration type decides which endpoints have data: the other ones answer
// 400 and name the right one, for an instance and for the schema.
func TestMigrationTypeDecidesTheEndpoint(t *testing.T) {
	t.Parallel()
	ts := withInstance(t, NewTestServer(t))
	mustCreateFlywaySchema(t, ts, "f1")
	mustCreateInstance(t, ts, "f1", instanceBody("i1"))
	if err := ts.RecordFlywayMigrations("default", "demo", "f1", "i1", fm("1", "init", StatusSuccessfullyDeployed, "r1"),
		fm("", "refresh views", StatusDeploymentFailed, "r1"), fm("2", "add index", StatusSuccessfullyDeployed, "r1")); err != nil {
		t.Fatal(err)
	}
	if err := ts.RecordFlywayMigrations("default", "demo", "f1", "i1", fm("", "refresh views", StatusSuccessfullyDeployed, "r2"),
		fm("1", "init", StatusRolledBack, "r2")); err != nil {
		t.Fatal(err)
	}
	r := call(t, ts, "GET", fmt.Sprintf(flywayOne, "f1", "i1"), nil)
	expect(t, r, 200)
	var st instanceState
	r.decode(t, &st)
	var got []string
	for _, m := range st.Migrations {
		got = append(got, m.Version+"/"+m.Description+"="+m.Status+"@"+m.PipelineExecutionID)
	}
	if strings.Join(got, " ") != "1/init=Rolled_Back@r2 /refresh views=Successfully_Deployed@r2 2/add index=Successfully_Deployed@r1" || st.ChangeSets != nil {
		t.Errorf("Flyway state: %v (%s)", got, r.body)
	}
	expectError(t, call(t, ts, "GET", fmt.Sprintf(stateOne, "f1", "i1"), nil), 400,
		`database schema "f1" (org "default", project "demo") is a Flyway schema, so its instance "i1" has no changeSets: use .../flyway/migrationstate`)
	expectError(t, call(t, ts, "GET", fmt.Sprintf(flywayOne, "s1", "i1"), nil), 400,
		`database schema "s1" (org "default", project "demo") is a Liquibase schema, so its instance "i1" has no migrations: use .../migrationstate`)
	expectError(t, call(t, ts, "POST", fmt.Sprintf(stateAll, "f1"), nil), 400, `is a Flyway schema, so it has no changeSets: use .../flyway/migrationstate`)
	expectError(t, call(t, ts, "POST", fmt.Sprintf(flywayAll, "s1"), nil), 400, `is a Liquibase schema, so it has no migrations: use .../migrationstate`)
}

// schemaView is the body of the schema views.
type schemaView struct {
	Schema    string           `json:"schema"`
	Instances []instanceDetail `json:"instances"`
	Items     []struct {
		Key       string                   `json:"changeSetFQN"`
		Version   string                   `json:"version"`
		Synced    *bool                    `json:"synced"`
		Updated   int64                    `json:"updated"`
		Deployed  int64                    `json:"deployedAt"`
		Instances []migrationStateInstance `json:"instances"`
	} `json:"-"`
}

func (v *schemaView) UnmarshalJSON(b []byte) error {
	type plain schemaView
	var items struct {
		ChangeSets json.RawMessage `json:"changeSets"`
		Migrations json.RawMessage `json:"migrations"`
	}
	if err := json.Unmarshal(b, (*plain)(v)); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	return json.Unmarshal(append(items.ChangeSets, items.Migrations...), &v.Items)
}

// table is a schema view as text: one line per item, the status on each instance.
func (v schemaView) table() string {
	var lines []string
	for _, it := range v.Items {
		line := strings.TrimSuffix(strings.TrimPrefix(it.Key, "db/c.yaml::"), "::ann") + it.Version
		if it.Synced != nil && *it.Synced {
			line += " synced"
		}
		for _, c := range it.Instances {
			line += " " + c.Instance + "=" + c.Status
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func postView(t *testing.T, ts *TestServer, path string, body any) (schemaView, resp) {
	t.Helper()
	r := call(t, ts, "POST", path, body)
	expect(t, r, 200)
	var v schemaView
	r.decode(t, &v)
	return v, r
}

// The schema view lists every changeset of the schema in changelog order, with a
// column per instance of the filter: Not_Deployed where the instance never recorded
// it, synced when every column is deployed, updated the latest attempt on any
// instance. It pages the changesets; the filter sorts the columns.
func TestSchemaMigrationState(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	mustCreateSchema(t, ts, "s1")
	for _, id := range []string{"dev", "prod", "staging", "empty"} {
		mustCreateInstance(t, ts, "s1", instanceBody(id))
	}
	record := func(id string, run ...ChangeSet) {
		if err := ts.RecordChangeSets("default", "demo", "s1", id, run...); err != nil {
			t.Fatal(err)
		}
	}
	record("dev", at(cs("a", StatusSuccessfullyDeployed, "d1"), 100), at(cs("c", StatusSuccessfullyDeployed, "d1"), 110))
	record("staging", at(cs("a", StatusSuccessfullyDeployed, "s1"), 200), at(cs("b", StatusDeploymentFailed, "s1"), 210), at(cs("c", StatusNotDeployed, "s1"), 210))
	record("prod", at(cs("a", StatusSuccessfullyDeployed, "p1"), 300))

	v, r := postView(t, ts, fmt.Sprintf(stateAll, "s1"), nil)
	want := "a dev=Successfully_Deployed empty=Not_Deployed prod=Successfully_Deployed staging=Successfully_Deployed\n" +
		"b dev=Not_Deployed empty=Not_Deployed prod=Not_Deployed staging=Deployment_Failed\n" +
		"c dev=Successfully_Deployed empty=Not_Deployed prod=Not_Deployed staging=Not_Deployed"
	if got := v.table(); got != want || v.Schema != "s1" || len(v.Instances) != 4 || v.Instances[0] != (instanceDetail{"dev", "Instance dev"}) ||
		r.header.Get("X-Total-Elements") != "3" {
		t.Errorf("the schema view:\n%s\nwant\n%s\n(%s)", got, want, r.body)
	}
	if it := v.Items[0]; it.Updated != 300 || it.Instances[0].Updated != 100 || it.Instances[1].Updated != 0 || it.Instances[0].PlanExecutionID != "d1" {
		t.Errorf("times and executions of changeset a: %+v", it)
	}
	if !strings.Contains(string(r.body), `{"instance":"empty","status":"Not_Deployed","pipeline":"","planExecutionId":"","stageExecutionId":""}`) {
		t.Errorf("a column without a record: %s", r.body)
	}

	v, _ = postView(t, ts, fmt.Sprintf(stateAll, "s1"), map[string]any{"instanceFilter": map[string]any{"instances": []string{"prod", "dev"}, "sort": "identifier", "order": "DESC"}})
	want = "a synced prod=Successfully_Deployed dev=Successfully_Deployed\n" +
		"b prod=Not_Deployed dev=Not_Deployed\n" +
		"c prod=Not_Deployed dev=Successfully_Deployed"
	if got := v.table(); got != want || len(v.Instances) != 2 || v.Instances[0].Identifier != "prod" {
		t.Errorf("filtered to prod and dev, DESC:\n%s\nwant\n%s", got, want)
	}
	if it := v.Items[0]; it.Updated != 300 {
		t.Errorf("updated is the latest attempt on any instance, filtered or not: %+v", it)
	}

	v, r = postView(t, ts, fmt.Sprintf(stateAll, "s1")+"?page=1&limit=2", map[string]any{})
	if got := v.table(); !strings.HasPrefix(got, "c ") || r.header.Get("X-Total-Elements") != "3" || r.header.Get("X-Page-Number") != "1" {
		t.Errorf("page 1 of 2: %s %v", got, r.header)
	}
	v, r = postView(t, ts, fmt.Sprintf(stateAll, "s1")+"?search_term=::B::", map[string]any{"instanceFilter": map[string]any{"instances": []string{}}})
	if got := v.table(); !strings.HasPrefix(got, "b ") || strings.Contains(got, "\n") || r.header.Get("X-Total-Elements") != "1" || len(v.Instances) != 4 {
		t.Errorf("search_term=::B::, an empty filter: %s %v", got, r.header)
	}
	expectError(t, call(t, ts, "POST", fmt.Sprintf(stateAll, "s1"), map[string]any{"instanceFilter": map[string]any{"instances": []string{"dev", "qa"}}}), 404,
		`database instance "qa" not found in schema "s1" (org "default", project "demo"): instanceFilter.instances names it`)
	expectError(t, call(t, ts, "POST", fmt.Sprintf(stateAll, "nope"), nil), 404, `database schema "nope" not found`)
	ts.AllowBadRequests() // the contract refuses what follows too; the mock's own answer is the test
	expectError(t, call(t, ts, "POST", fmt.Sprintf(stateAll, "s1"), map[string]any{"instanceFilter": map[string]any{"sort": "status"}}), 400,
		`instanceFilter sort "status" and order "ASC": use sort name, updated, created, identifier and order ASC or DESC`)
	expectError(t, call(t, ts, "POST", fmt.Sprintf(stateAll, "s1"), map[string]any{"instances": []string{"dev"}}), 400, `unknown JSON field "instances"`)
}

// The Flyway schema view is the same, keyed by version; deployedAt is the latest
// attempt on any instance.
func TestSchemaFlywayMigrationState(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	mustCreateFlywaySchema(t, ts, "f1")
	mustCreateInstance(t, ts, "f1", instanceBody("dev"))
	mustCreateInstance(t, ts, "f1", instanceBody("prod"))
	one := fm("1", "init", StatusSuccessfullyDeployed, "d1")
	one.DeployedAt = 50
	if err := ts.RecordFlywayMigrations("default", "demo", "f1", "dev", one, fm("2", "add index", StatusSuccessfullyDeployed, "d1")); err != nil {
		t.Fatal(err)
	}
	one.PipelineExecutionID, one.DeployedAt = "p1", 70
	if err := ts.RecordFlywayMigrations("default", "demo", "f1", "prod", one); err != nil {
		t.Fatal(err)
	}
	v, r := postView(t, ts, fmt.Sprintf(flywayAll, "f1"), map[string]any{"instanceFilter": map[string]any{"sort": "name", "order": "DESC"}})
	want := "1 prod=Successfully_Deployed dev=Successfully_Deployed\n2 prod=Not_Deployed dev=Successfully_Deployed"
	if got := v.table(); got != want || v.Items[0].Deployed != 70 || v.Items[0].Synced != nil || v.Items[0].Instances[0].Pipeline != "deploy" {
		t.Errorf("the Flyway schema view:\n%s\nwant\n%s\n%s", got, want, r.body)
	}
}

// mergeOrder keeps each instance's order and puts a changeset an instance added after
// that instance's previous one: the changelog's order, whichever instance ran ahead.
func TestMergeOrder(t *testing.T) {
	for _, tt := range []struct {
		lists map[string]string
		want  string
	}{
		{map[string]string{"dev": "a c", "staging": "a b c"}, "a b c"},
		{map[string]string{"dev": "a b c d", "prod": "a"}, "a b c d"},
		{map[string]string{"a_first": "x", "b_second": "a b x c"}, "a b x c"},
		{map[string]string{"dev": "b a", "prod": "a b c"}, "b a c"}, // inconsistent lists: the first instance's order stands
		{map[string]string{"dev": "", "prod": "c"}, "c"},
	} {
		rec := &schemaRec{instances: map[string]*Instance{}}
		for id, list := range tt.lists {
			rec.instances[id] = &Instance{Identifier: id}
			var run []ChangeSet
			for _, c := range strings.Fields(list) {
				run = append(run, cs(c, StatusSuccessfullyDeployed, "r"))
			}
			liquibaseKind.apply(rec, id, run)
		}
		var got []string
		for _, c := range mergeOrder(liquibaseKind, rec) {
			got = append(got, c.ChangeSet)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%v: %v, want %s", tt.lists, got, tt.want)
		}
	}
}

// Migration state goes with its instance: deleted with it (through the API, the hook
// or the Go API), and with its schema; an instance created again starts with none.
func TestMigrationStateGoesWithItsInstance(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	recreate := func() {
		t.Helper()
		if _, ok := ts.Schema("default", "demo", "s1"); !ok {
			mustCreateSchema(t, ts, "s1")
		}
		if _, ok := ts.Instance("default", "demo", "s1", "i1"); !ok {
			mustCreateInstance(t, ts, "s1", instanceBody("i1"))
		}
		if err := ts.RecordChangeSets("default", "demo", "s1", "i1", cs("a", StatusSuccessfullyDeployed, "r1")); err != nil {
			t.Fatal(err)
		}
	}
	for name, del := range map[string]func(){
		"instance DELETE": func() { expect(t, call(t, ts, "DELETE", proj+"/dbschema/s1/instance/i1", nil), 204) },
		"instance hook": func() {
			expect(t, call(t, ts, "DELETE", "/_mock/orgs/default/projects/demo/dbschema/s1/instance/i1", nil), 204)
		},
		"DeleteInstance": func() { ts.DeleteInstance("default", "demo", "s1", "i1") },
		"schema DELETE":  func() { expect(t, call(t, ts, "DELETE", proj+"/dbschema/s1", nil), 204) },
		"schema hook":    func() { expect(t, call(t, ts, "DELETE", "/_mock/orgs/default/projects/demo/dbschema/s1", nil), 204) },
		"DeleteSchema":   func() { ts.DeleteSchema("default", "demo", "s1") },
	} {
		recreate()
		del()
		if _, ok := ts.Schema("default", "demo", "s1"); !ok {
			mustCreateSchema(t, ts, "s1")
		}
		mustCreateInstance(t, ts, "s1", instanceBody("i1"))
		r := call(t, ts, "GET", fmt.Sprintf(stateOne, "s1", "i1"), nil)
		if expect(t, r, 200); r.header.Get("X-Total-Elements") != "0" || ts.ChangeSets("default", "demo", "s1", "i1") != nil {
			t.Errorf("%s, then the instance created again: %s", name, r.body)
		}
	}
	// An out-of-band replacement of the instance is the same instance: it keeps its state.
	recreate()
	in, _ := ts.Instance("default", "demo", "s1", "i1")
	in.Name = "Renamed"
	if err := ts.PutInstance("default", "demo", "s1", in); err != nil {
		t.Fatal(err)
	}
	expect(t, call(t, ts, "PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1/instance/i1", `{"context":"x"}`), 200)
	if got := ts.ChangeSets("default", "demo", "s1", "i1"); len(got) != 1 {
		t.Errorf("after PutInstance and a PATCH: %s", summary(got))
	}
}

// A seed carries migration state under each instance, and the export gives it back
// byte for byte; a seed without it exports exactly as before migration state existed
// (testdata/seed.export.json was written by the mock before it).
func TestMigrationStateSeedAndExport(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ seed, golden string }{{"testdata/seed.yaml", "testdata/seed.export.json"}, {"testdata/migrations.yaml", ""}} {
		b, err := os.ReadFile(tt.seed)
		if err != nil {
			t.Fatal(err)
		}
		first := newTS(t, Options{Now: newClock().Now})
		if err := first.load(b); err != nil {
			t.Fatal(err)
		}
		exported := call(t, first, "GET", "/_mock/state", nil).body
		if tt.golden != "" {
			if want, _ := os.ReadFile(tt.golden); !bytes.Equal(exported, want) {
				t.Errorf("%s exports\n%s\nwant, as before migration state,\n%s", tt.seed, exported, want)
			}
		}
		second := newTS(t, Options{Now: time.Now})
		expect(t, call(t, second, "PUT", "/_mock/state", json.RawMessage(exported)), 200)
		if again := call(t, second, "GET", "/_mock/state", nil).body; !bytes.Equal(again, exported) {
			t.Errorf("%s: export, seed, export differs:\n%s\n%s", tt.seed, exported, again)
		}
	}

	ts := newTS(t, Options{Now: newClock().Now})
	b, _ := os.ReadFile("testdata/migrations.yaml")
	if err := ts.load(b); err != nil {
		t.Fatal(err)
	}
	prod := ts.ChangeSets("default", "payments", "ledger", "ledger_prod")
	if summary(prod) != "create_accounts=Successfully_Deployed@run3 add_index=Rolled_Back@run4" || prod[1].ChangeSetFQN != "db/changelog.yaml::add_index::bob" {
		t.Errorf("ledger_prod: %+v", prod)
	}
	if in, _ := ts.Instance("default", "payments", "ledger", "ledger_prod"); in.LastDeployedChangeSetTag != "" {
		t.Errorf("a seed's lastDeployedChangeSetTag is as written: %q", in.LastDeployedChangeSetTag)
	}
	if m := ts.FlywayMigrations("default", "payments", "reports", "reports_dev"); len(m) != 2 || m[1].Version != "" || m[1].Status != StatusDeploymentFailed {
		t.Errorf("reports_dev: %+v", m)
	}
	v, _ := postView(t, ts, "/v1/orgs/default/projects/payments/dbschema/ledger/migrationstate", nil)
	if got := v.table(); got != "db/changelog.yaml::create_accounts synced ledger_dev=Successfully_Deployed ledger_prod=Successfully_Deployed\n"+
		"db/changelog.yaml::add_index::bob ledger_dev=Successfully_Deployed ledger_prod=Rolled_Back" {
		t.Errorf("the seeded schema view:\n%s", got)
	}
	// Restore, the lenient writer, drops what it cannot hold.
	st := ts.Snapshot()
	st.Instances[0].ChangeSets = append(st.Instances[0].ChangeSets, cs("bad", "FAILED", "r"))
	st.Instances[2].ChangeSets = []ChangeSet{cs("on_flyway", StatusSuccessfullyDeployed, "r")}
	ts.Restore(st)
	if n := len(ts.ChangeSets("default", "payments", "ledger", "ledger_dev")); n != 2 || ts.ChangeSets("default", "payments", "reports", "reports_dev") != nil {
		t.Errorf("Restore kept %d changesets on ledger_dev (want 2) and %+v on a Flyway instance", n, ts.ChangeSets("default", "payments", "reports", "reports_dev"))
	}
}

// ParseState checks migration state as the hook would, on the right kind of schema,
// one record per changeset, each problem with its line.
func TestParseStateMigrationState(t *testing.T) {
	doc := `schemas:
  - {org: default, project: p, schema: {identifier: lb, name: L, changelog: {connector: gh, location: c.yaml}}}
  - {org: default, project: p, schema: {identifier: fw, name: F, migrationType: Flyway, changelog: {connector: gh, location: m}}}
instances:
  - org: default
    project: p
    schema: lb
    instance: {identifier: i, name: I, connector: db, branch: main}
    changeSets:
      - {changeSet: a, author: ann, fileName: c.yaml, status: Successfully_Deployed, pipeline: p, planExecutionId: e, stageExecutionId: s}
      - {changeSet: a, author: ann, fileName: c.yaml, status: Rolled_Back, pipeline: p, planExecutionId: e, stageExecutionId: s}
      - {changeSet: b, changeSetFQN: "x::b::ann", author: ann, fileName: c.yaml, status: done, deployedAt: soon}
    migrations:
      - {version: "1", type: SQL, status: Successfully_Deployed, pipelineIdentifier: p, pipelineExecutionId: e, stageExecutionId: s}
  - org: default
    project: p
    schema: fw
    instance: {identifier: i, name: I, connector: db, branch: main}
    migrations:
      - {version: "1", status: Not_Deployed, pipelineIdentifier: p, pipelineExecutionId: e, stageExecutionId: s, deployedAt: -5}
      - {type: SQL, status: Not_Deployed, pipelineIdentifier: p, pipelineExecutionId: e, stageExecutionId: s, author: ann}
`
	want := []string{
		`line 12: instances[0].changeSets[2].deployedAt: "soon" is not a whole number`,
		`line 21: instances[1].migrations[1].author: unknown field; instances[1].migrations[1] takes deployedAt, description,`,
	}
	check := func(doc string, want []string) {
		t.Helper()
		_, err := ParseState([]byte(doc))
		expectProblems(t, err, want)
	}
	check(doc, want)
	doc = strings.Replace(doc, ", deployedAt: soon", "", 1)
	doc = strings.Replace(doc, ", author: ann}", "}", 1)
	check(doc, []string{
		`line 11: instances[0].changeSets[1]: c.yaml::a::ann is listed twice: an instance holds one record per changeSet, its latest outcome`,
		`line 12: instances[0].changeSets[2]: pipeline is required`,
		`line 12: instances[0].changeSets[2]: planExecutionId is required`,
		`line 12: instances[0].changeSets[2]: stageExecutionId is required`,
		`line 12: instances[0].changeSets[2]: changeSetFQN "x::b::ann" is not fileName::changeSet::author ("c.yaml::b::ann")`,
		`line 12: instances[0].changeSets[2]: status "done" is invalid: use one of Successfully_Deployed, Deployment_Failed, Rolled_Back, Not_Deployed`,
		`line 14: instances[0].migrations: schema default/p/lb is a Liquibase schema: list its instances' migration state under changeSets`,
		`line 20: instances[1].migrations[0]: type is required`,
		`line 20: instances[1].migrations[0]: deployedAt -5 is negative`,
		`line 21: instances[1].migrations[1]: version is required ("" only for a repeatable migration, which then needs its description)`,
	})
}

// Faults work on the new routes, by their route constants.
func TestMigrationStateFaults(t *testing.T) {
	t.Parallel()
	ts := withInstance(t, NewTestServer(t))
	for _, route := range []string{RouteInstanceMigrationState, RouteSchemaMigrationState} {
		ts.AddFault(Fault{Route: route, Status: 503, RetryAfter: "1", Times: 1})
	}
	for _, c := range []struct{ method, path, route string }{
		{"GET", fmt.Sprintf(stateOne, "s1", "i1"), RouteInstanceMigrationState},
		{"POST", fmt.Sprintf(stateAll, "s1"), RouteSchemaMigrationState},
	} {
		r := call(t, ts, c.method, "/gateway"+c.path, nil)
		if r.status != 503 || r.header.Get("Retry-After") != "1" {
			t.Errorf("%s: %d %v, want the armed 503", c.route, r.status, r.header)
		}
		expect(t, call(t, ts, c.method, c.path, nil), 200)
		if n := ts.RouteCount(c.route); n != 2 {
			t.Errorf("%s counted %d requests, want 2", c.route, n)
		}
	}
	for _, route := range []string{RouteInstanceFlywayMigrationState, RouteSchemaFlywayMigrationState} {
		if !slices.Contains(Routes(), route) {
			t.Errorf("%s is not a route", route)
		}
	}
}

// Runs recorded and views read at once, on one instance: -race checks the locking,
// and no run is lost.
func TestMigrationStateConcurrency(t *testing.T) {
	t.Parallel()
	ts := withInstance(t, NewTestServer(t))
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if r, err := send(ts, "POST", fmt.Sprintf(hookRun, "s1", "i1"), []ChangeSet{cs(fmt.Sprintf("c%02d", i), StatusSuccessfullyDeployed, "r")}); err != nil || r.status != 200 {
				t.Errorf("run %d: %v %s", i, err, r.body)
			}
		}()
		go func() {
			defer wg.Done()
			for _, p := range []struct{ method, path string }{{"GET", fmt.Sprintf(stateOne, "s1", "i1")}, {"POST", fmt.Sprintf(stateAll, "s1")}} {
				if r, err := send(ts, p.method, p.path, nil); err != nil || r.status != 200 {
					t.Errorf("%s %s: %v %s", p.method, p.path, err, r.body)
				}
			}
			ts.Snapshot()
		}()
	}
	wg.Wait()
	if got := len(ts.ChangeSets("default", "demo", "s1", "i1")); got != n {
		t.Errorf("%d changesets recorded, want %d", got, n)
	}
}
