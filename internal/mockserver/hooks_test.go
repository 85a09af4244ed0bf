package mockserver

import (
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestHooks(t *testing.T) {
	t.Parallel()
	clock := newClock()
	ts := newTS(t, Options{Now: clock.Now})
	mustCreateSchema(t, ts, "s1")
	b := instanceBody("i1")
	b["tags"] = map[string]string{"a": "1", "b": "2"}
	mustCreateInstance(t, ts, "s1", b)
	ts.ResetRequests()
	noKey := []reqOpt{noHeader("x-api-key"), noHeader("Harness-Account")} // hooks need no key
	hook := func(method, path string, body any) resp {
		t.Helper()
		return call(t, ts, method, path, body, noKey...)
	}

	// Execution config.
	expect(t, hook("PUT", "/_mock/execution-config/overrides/gitCloneTag", `{"value":"drift:1"}`), 200)
	expect(t, hook("PUT", "/gateway/_mock/execution-config/defaults/mongoTag", `{"value":"new/mongo:2"}`), 200)
	if ts.Overrides()["gitCloneTag"] != "drift:1" || ts.Defaults()["mongoTag"] != "new/mongo:2" {
		t.Fatalf("config hooks: %v %v", ts.Overrides(), ts.Defaults()["mongoTag"])
	}
	expectError(t, hook("PUT", "/_mock/execution-config/overrides/nope", `{"value":"x"}`), 400, "unknown execution-config field")
	expectError(t, hook("PUT", "/_mock/execution-config/overrides/mongoTag", `{"val":"x"}`), 400, `unknown JSON field "val"`)
	expectError(t, hook("PUT", "/_mock/execution-config/overrides/mongoTag", `{}`), 400, `{"value": "..."}`)
	if r := hook("DELETE", "/_mock/execution-config/overrides/gitCloneTag", nil); r.status != 204 {
		t.Fatalf("delete override: %d", r.status)
	}
	if len(ts.Overrides()) != 0 {
		t.Fatal("override not deleted")
	}

	// PATCH a schema: merge, with updated bumped.
	clock.Advance(time.Minute)
	r := hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1", `{"name":"renamed","changelog":{"location":"moved.yaml"},"service":"svc"}`)
	expect(t, r, 200)
	sc, _ := ts.Schema("default", "demo", "s1")
	if sc.Name != "renamed" || sc.Changelog.Location != "moved.yaml" || sc.Changelog.Connector != "gitconn" || sc.Service != "svc" || sc.Updated != clock.Now().Unix() {
		t.Fatalf("patched schema: %+v %+v", sc, sc.Changelog)
	}
	r = hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1", `{"service":null}`)
	expect(t, r, 200)
	if sc, _ := ts.Schema("default", "demo", "s1"); sc.Service != "" {
		t.Fatal("null must remove the key")
	}
	before, _ := ts.Schema("default", "demo", "s1")
	clock.Advance(time.Minute)
	expectError(t, hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1", `{"identifier":"s2"}`), 400, "identifier cannot be changed")
	expectError(t, hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1", `{"title":"x"}`), 400, `unknown JSON field "title"`)
	expectError(t, hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1", `[1]`), 400, "JSON merge patch")
	expectError(t, hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/nope", `{}`), 404, "not found")
	if after, _ := ts.Schema("default", "demo", "s1"); !reflect.DeepEqual(after, before) {
		t.Fatalf("a refused patch changed the schema:\n%+v\n%+v", before, after)
	}
	expectError(t, hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1", `{"usePercona":"yes"}`), 400, `"usePercona" must be a JSON boolean`)

	// PATCH an instance: tags merge key by key.
	r = hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1/instance/i1", `{"tags":{"a":null,"c":"3"},"branch":null,"gitTag":"v9"}`)
	expect(t, r, 200)
	in, _ := ts.Instance("default", "demo", "s1", "i1")
	if len(in.Tags) != 2 || in.Tags["b"] != "2" || in.Tags["c"] != "3" || in.Branch != "" || in.GitTag != "v9" {
		t.Fatalf("patched instance: %+v", in)
	}
	expectError(t, hook("PATCH", "/_mock/orgs/default/projects/demo/dbschema/s1/instance/zz", `{}`), 404, "not found")

	// State round trip over HTTP.
	var st State
	r = hook("GET", "/_mock/state", nil)
	expect(t, r, 200)
	r.decode(t, &st)
	if len(st.Schemas) != 1 || len(st.Instances) != 1 || st.Schemas[0].Schema.Name != "renamed" {
		t.Fatalf("state: %s", r.body)
	}
	expectError(t, hook("PUT", "/_mock/state", `{"instances":[{"org":"o","project":"p","schema":"none","instance":{"identifier":"x"}}]}`), 400, "schema o/p/none does not exist")
	expectError(t, hook("PUT", "/_mock/state", `{"overrides":{"nope":"x"}}`), 400, "unknown execution-config field")

	// DELETE cascades (unlike the API).
	if r := hook("DELETE", "/_mock/orgs/default/projects/demo/dbschema/s1/instance/i1", nil); r.status != 204 {
		t.Fatalf("delete instance hook: %d", r.status)
	}
	mustCreateInstance(t, ts, "s1", instanceBody("i2"))
	if r := hook("DELETE", "/_mock/orgs/default/projects/demo/dbschema/s1", nil); r.status != 204 {
		t.Fatalf("delete schema hook: %d", r.status)
	}
	if len(ts.Schemas("default", "demo")) != 0 || len(ts.Instances("default", "demo", "s1")) != 0 {
		t.Fatal("schema delete hook must cascade")
	}
	expectError(t, hook("DELETE", "/_mock/orgs/default/projects/demo/dbschema/s1", nil), 404)

	r = hook("PUT", "/_mock/state", st)
	expect(t, r, 200)
	if got, _ := ts.Schema("default", "demo", "s1"); got.Name != "renamed" || len(ts.Instances("default", "demo", "s1")) != 1 {
		t.Fatalf("state not restored: %+v", got)
	}

	// Requests: only the API calls are recorded (one create instance above).
	var log struct {
		Requests []RequestRecord `json:"requests"`
		Counts   map[string]int  `json:"counts"`
	}
	hook("GET", "/_mock/requests", nil).decode(t, &log)
	if len(log.Requests) != 1 || log.Counts[RouteCreateInstance] != 1 {
		t.Fatalf("requests hook: %+v", log)
	}
	if r := hook("DELETE", "/_mock/requests", nil); r.status != 204 || len(ts.Requests()) != 0 {
		t.Fatalf("reset requests hook: %d", r.status)
	}

	// Faults over HTTP.
	r = hook("POST", "/_mock/faults", `{"route":"GET /v1/dbops/execution-config/get-default-config","status":503,"retryAfter":"1","latency":"10ms","times":1}`)
	expect(t, r, http.StatusCreated)
	var armed []Fault
	hook("GET", "/_mock/faults", nil).decode(t, &armed)
	if len(armed) != 1 || armed[0].Latency != 10*time.Millisecond || armed[0].Status != 503 {
		t.Fatalf("armed faults: %+v", armed)
	}
	expectError(t, call(t, ts, "GET", cfgDefault, nil), 503)
	expect(t, call(t, ts, "GET", cfgDefault, nil), 200)
	expectError(t, hook("POST", "/_mock/faults", `{"route":"GET /nope","status":500}`), 400, "is not a route")
	expectError(t, hook("POST", "/_mock/faults", `{"status":500,"latency":"later"}`), 400, "not a Go duration")
	hook("POST", "/_mock/faults", `{"status":500}`)
	if r := hook("DELETE", "/_mock/faults", nil); r.status != 204 || len(ts.Faults()) != 0 {
		t.Fatalf("clear faults hook: %d", r.status)
	}
	expectError(t, hook("GET", "/_mock/nothing", nil), 404, "no test hook matches")
	expectError(t, hook("POST", "/_mock/state", nil), 404, "no test hook matches")
}

// GET /_mock lists every hook with what it does, and each listed hook answers (not the
// "no test hook" 404) at its path, behind the /gateway prefix too.
func TestHookList(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	r := call(t, ts, "GET", "/_mock", nil)
	expect(t, r, 200)
	var got struct{ Hooks []Hook }
	r.decode(t, &got)
	if !reflect.DeepEqual(got.Hooks, Hooks()) || len(got.Hooks) < 15 {
		t.Fatalf("GET /_mock = %+v, want the %d hooks", got.Hooks, len(Hooks()))
	}
	fill := strings.NewReplacer("{org}", "o", "{project}", "p", "{dbschema}", "s", "{dbinstance}", "i", "{field}", "gitCloneTag", "{infra}", "K8")
	for _, h := range got.Hooks {
		if h.Does == "" {
			t.Errorf("%s %s: no description", h.Method, h.Path)
		}
		for _, prefix := range []string{"", "/gateway"} {
			r := call(t, ts, h.Method, prefix+fill.Replace(h.Path), nil)
			if r.status == 404 && strings.Contains(string(r.body), "no test hook matches") {
				t.Errorf("%s %s%s is listed but not served", h.Method, prefix, h.Path)
			}
		}
	}
	expectError(t, call(t, ts, "GET", "/_mock/nope", nil), 404, "no test hook matches GET /_mock/nope (GET /_mock lists them)")
}

// The mock guide documents every hook the mock serves.
func TestHooksAreDocumented(t *testing.T) {
	guide, err := os.ReadFile("../../templates/guides/mock.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range Hooks() {
		if !strings.Contains(string(guide), "| `"+h.Method+" "+h.Path+"` |") {
			t.Errorf("templates/guides/mock.md.tmpl has no row for %s %s", h.Method, h.Path)
		}
	}
}
