package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
)

const (
	ciDefault  = "/gateway/ci/execution-config/get-default-config"
	ciCustomer = "/gateway/ci/execution-config/get-customer-config"
	ciUpdate   = "/gateway/ci/execution-config/update-config"
	ciReset    = "/gateway/ci/execution-config/reset-config"
)

// ciQ is the query of a CI call on infra for the test account.
func ciQ(infra string) string { return "?accountIdentifier=" + TestAccountID + "&infra=" + infra }

// ngAnswer is the NextGen envelope of a CI answer.
type ngAnswer struct {
	Status        string          `json:"status"`
	Data          json.RawMessage `json:"data"`
	MetaData      json.RawMessage `json:"metaData"`
	CorrelationID string          `json:"correlationId"`
}

// ciImages checks a CI answer's envelope (status, metaData, the correlation ID is the
// request ID) and returns its data as images.
func ciImages(t *testing.T, r resp) map[string]string {
	t.Helper()
	a := ciEnvelope(t, r)
	var m map[string]string
	if err := json.Unmarshal(a.Data, &m); err != nil || m == nil {
		t.Fatalf("data is not an object of strings: %s", r.body)
	}
	return m
}

func ciEnvelope(t *testing.T, r resp) ngAnswer {
	t.Helper()
	expect(t, r, http.StatusOK)
	var a ngAnswer
	r.decode(t, &a)
	if a.Status != "SUCCESS" || string(a.MetaData) != "null" || a.CorrelationID != r.header.Get("X-Request-Id") {
		t.Fatalf("not the NextGen envelope with the request's ID %s: %s", r.header.Get("X-Request-Id"), r.body)
	}
	return a
}

// expectNGError checks an error of the CI API: its status, the NextGen error shape, the
// code, and that the message contains every fragment.
func expectNGError(t *testing.T, r resp, status int, code string, fragments ...string) {
	t.Helper()
	expect(t, r, status)
	var e ngError
	r.decode(t, &e)
	if e.Status != "ERROR" || e.Code != code || e.CorrelationID != r.header.Get("X-Request-Id") ||
		len(e.ResponseMessages) != 1 || e.ResponseMessages[0].Message != e.Message || !bytes.Contains(r.body, []byte(`"detailedMessage":null`)) {
		t.Fatalf("not a NextGen error with code %s: %s", code, r.body)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Message, f) {
			t.Fatalf("message %q does not contain %q", e.Message, f)
		}
	}
}

// The defaults are the docs' K8 example, all of it, and VM's own fields.
func TestCIDefaultConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	k8 := ciImages(t, call(t, ts, "GET", ciDefault+ciQ("K8"), nil))
	documented := map[string]string{ // developer hub, "Harness CI images", the 1.16.92 example
		"addonTag":              "harness/ci-addon:1.16.92",
		"liteEngineTag":         "harness/ci-lite-engine:1.16.92",
		"addonTagRootless":      "harness/ci-addon:rootless-1.16.92",
		"liteEngineTagRootless": "harness/ci-lite-engine:rootless-1.16.92",
		"gitCloneTag":           "harness/drone-git:1.6.9-rootless",
		"cacheProxyImage":       "harness/harness-cache-server:1.7.4",
		"updateCatalogProperty": "harness/updatecatalogproperty:latest",
	}
	for k, v := range documented {
		if k8[k] != v {
			t.Errorf("K8 %s = %q, want %q", k, k8[k], v)
		}
	}
	if len(k8) != 48 || !maps.Equal(k8, DefaultCIImages(CIInfraK8)) {
		t.Errorf("K8 has %d fields (want the docs' 48), or differs from DefaultCIImages", len(k8))
	}
	vm := ciImages(t, call(t, ts, "GET", ciDefault+ciQ("VM"), nil))
	if len(vm) != 15 || vm["addonTag"] != "" || vm["liteEngineTag"] != "" || vm["gitCloneTag"] == "" {
		t.Errorf("VM defaults: %v", vm)
	}
	DefaultCIImages(CIInfraK8)["addonTag"] = "mutated"
	if DefaultCIImages(CIInfraK8)["addonTag"] == "mutated" || DefaultCIImages("k8") != nil {
		t.Error("DefaultCIImages exposes the package map, or knows k8")
	}
}

// K8 and VM are two configs: what one infra does never shows in the other.
func TestCIInfrasAreKeptApart(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	expect(t, call(t, ts, "POST", ciUpdate+ciQ("K8"), `[{"field":"liteEngineTag","value":"m/le:1"},{"field":"gitCloneTag","value":"m/git:k8"}]`), 200)
	expect(t, call(t, ts, "POST", ciUpdate+ciQ("VM"), `[{"field":"gitCloneTag","value":"m/git:vm"}]`), 200)
	if k8, vm := ts.CIOverrides("K8"), ts.CIOverrides("VM"); !maps.Equal(k8, map[string]string{"liteEngineTag": "m/le:1", "gitCloneTag": "m/git:k8"}) ||
		!maps.Equal(vm, map[string]string{"gitCloneTag": "m/git:vm"}) {
		t.Fatalf("overrides K8 %v, VM %v", k8, vm)
	}
	if got := ciImages(t, call(t, ts, "GET", ciCustomer+ciQ("VM"), nil)); !maps.Equal(got, map[string]string{"gitCloneTag": "m/git:vm"}) {
		t.Errorf("VM customer config: %v", got)
	}
	expect(t, call(t, ts, "POST", ciReset+ciQ("K8"), `[{"field":"gitCloneTag"}]`), 200)
	if k8, vm := ts.CIOverrides("K8"), ts.CIOverrides("VM"); len(k8) != 1 || vm["gitCloneTag"] != "m/git:vm" {
		t.Errorf("a K8 reset reached VM: K8 %v, VM %v", k8, vm)
	}
	// VM has no lite engine: the field is K8's only.
	expectNGError(t, call(t, ts, "POST", ciUpdate+ciQ("VM"), `[{"field":"liteEngineTag","value":"m/le:1"}]`), 400, "INVALID_REQUEST",
		"Field liteEngineTag does not exist for infra type: VM", "gitCloneTag")
	// The DB DevOps execution config is a third config.
	if len(ts.Overrides()) != 0 {
		t.Errorf("DB DevOps overrides: %v", ts.Overrides())
	}
}

func TestCICustomerConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // overridesOnly=yes is outside the contract on purpose
	r := call(t, ts, "GET", ciCustomer+ciQ("K8"), nil)
	if a := ciEnvelope(t, r); string(a.Data) != "{}" {
		t.Fatalf("no override: data = %s, want {} as the docs show", a.Data)
	}
	if err := ts.SetCIOverride("K8", "addonTag", "m/addon:1"); err != nil {
		t.Fatal(err)
	}
	effective := DefaultCIImages("K8")
	effective["addonTag"] = "m/addon:1"
	for query, want := range map[string]map[string]string{
		"":                      {"addonTag": "m/addon:1"},
		"&overridesOnly=true":   {"addonTag": "m/addon:1"},
		"&overridesOnly=false":  effective,
		"&overridesOnly=FALSE":  effective,
		"&overridesOnly=false ": nil,
	} {
		r := call(t, ts, "GET", ciCustomer+ciQ("K8")+strings.ReplaceAll(query, " ", "%20"), nil)
		if want == nil {
			expectNGError(t, r, 400, "INVALID_REQUEST", "overridesOnly", "true or false")
			continue
		}
		if got := ciImages(t, r); !maps.Equal(got, want) {
			t.Errorf("%q: %d fields, want %d", query, len(got), len(want))
		}
	}
}

// A batch is checked whole: one bad element and nothing is changed.
func TestCIBatchIsWhole(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	if err := ts.SetCIOverride("K8", "gitCloneTag", "m/git:1"); err != nil {
		t.Fatal(err)
	}
	want := ts.CIOverrides("K8")
	for name, tt := range map[string]struct {
		path, body string
		frags      []string
	}{
		"update: a good field, then an unknown one": {ciUpdate, `[{"field":"addonTag","value":"m/a:1"},{"field":"addOnTag","value":"m/a:1"}]`,
			[]string{"nothing was changed", "element 1: Field addOnTag does not exist for infra type: K8"}},
		"update: an empty value": {ciUpdate, `[{"field":"addonTag","value":"m/a:1"},{"field":"s3UploadTag","value":" "}]`, []string{`element 1: "value" of s3UploadTag is empty`, "reset-config"}},
		"update: no value":       {ciUpdate, `[{"field":"addonTag"}]`, []string{`"value" of addonTag is empty`}},
		"update: no field":       {ciUpdate, `[{"value":"m/a:1"}]`, []string{`element 0: "field" is required`}},
		"update: empty list":     {ciUpdate, `[]`, []string{"non-empty JSON array"}},
		"update: unknown key":    {ciUpdate, `[{"field":"addonTag","value":"m/a:1","infra":"K8"}]`, []string{`unknown JSON field "[0].infra"`}},
		"reset: a good field, then an unknown one": {ciReset, `[{"field":"gitCloneTag"},{"field":"nope"}]`,
			[]string{"nothing was changed", "element 1: Field nope does not exist"}},
		"reset: the DB DevOps form": {ciReset, `["gitCloneTag"]`, []string{"must be a JSON object"}},
		"reset: no body":            {ciReset, ``, []string{"body is empty"}},
	} {
		t.Run(name, func(t *testing.T) {
			expectNGError(t, call(t, ts, "POST", tt.path+ciQ("K8"), tt.body), 400, "INVALID_REQUEST", tt.frags...)
			if got := ts.CIOverrides("K8"); !maps.Equal(got, want) {
				t.Fatalf("a refused batch changed the overrides: %v", got)
			}
		})
	}
	// harness-core reads a reset element as an Operation: a value there is ignored.
	r := call(t, ts, "POST", ciReset+ciQ("K8"), `[{"field":"gitCloneTag","value":"ignored"}]`)
	if a := ciEnvelope(t, r); string(a.Data) != "true" || len(ts.CIOverrides("K8")) != 0 {
		t.Fatalf("reset with a value: %s, left %v", r.body, ts.CIOverrides("K8"))
	}
}

// Every CI call names its account and infra in the query; errors are NextGen errors.
func TestCIQuery(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // the queries are outside the contract on purpose
	for _, tt := range []struct {
		query  string
		status int
		code   string
		frag   string
	}{
		{"?infra=K8", 400, "INVALID_REQUEST", "accountIdentifier: must not be null"},
		{"?accountIdentifier=other&infra=K8", 403, "NG_ACCESS_DENIED", `accountIdentifier names account "other"`},
		{"?accountIdentifier=" + TestAccountID, 400, "INVALID_REQUEST", "infra: must not be null"},
		{"?accountIdentifier=" + TestAccountID + "&infra=k8", 400, "INVALID_REQUEST", `"k8" is not a CI build infrastructure: use K8 or VM (case matters)`},
		{"?accountIdentifier=" + TestAccountID + "&infra=DOCKER", 400, "INVALID_REQUEST", `"DOCKER" is not a CI build infrastructure`},
	} {
		for _, route := range []struct{ method, path, body string }{{"GET", ciDefault, ""}, {"GET", ciCustomer, ""}, {"POST", ciUpdate, `[{"field":"addonTag","value":"m/a:1"}]`}, {"POST", ciReset, `[{"field":"addonTag"}]`}} {
			var body any
			if route.body != "" {
				body = route.body
			}
			expectNGError(t, call(t, ts, route.method, route.path+tt.query, body), tt.status, tt.code, tt.frag)
		}
	}
	if len(ts.CIOverrides("K8")) != 0 {
		t.Errorf("a refused call changed the overrides: %v", ts.CIOverrides("K8"))
	}
}

// The CI API is behind the gateway (and at the mock's root), not behind /dbops: that
// prefix leads to the DB DevOps service, which has no /ci routes.
func TestCIPrefixes(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // /dbops/ci/... is outside the contract on purpose
	root := call(t, ts, "GET", strings.TrimPrefix(ciDefault, "/gateway")+ciQ("K8"), nil)
	gw := call(t, ts, "GET", ciDefault+ciQ("K8"), nil)
	if !maps.Equal(ciImages(t, root), ciImages(t, gw)) {
		t.Fatal("root and /gateway differ")
	}
	for _, prefix := range []string{"/dbops", "/gateway/dbops"} {
		for _, m := range []string{"GET", "POST"} {
			r := call(t, ts, m, prefix+"/ci/execution-config/get-default-config"+ciQ("K8"), nil)
			expectError(t, r, 404, "no API route matches "+m+" "+prefix+"/ci/execution-config/get-default-config", "the CI execution config's at /ci/..., optionally under /gateway")
		}
	}
	if n := ts.RouteCount(RouteCIGetDefaultConfig); n != 2 {
		t.Errorf("route count %d, want 2: the /dbops calls matched no route", n)
	}
	// Under its own prefixes, a wrong method is a 405 in the CI API's shape.
	r := call(t, ts, "GET", ciUpdate+ciQ("K8"), nil)
	expectNGError(t, r, 405, "INVALID_REQUEST", "method GET is not allowed")
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow = %q", r.header.Get("Allow"))
	}
}

func TestCIAuth(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	expectNGError(t, call(t, ts, "GET", ciDefault+ciQ("K8"), nil, header("x-api-key", "wrong")), 401, "INVALID_TOKEN", "invalid API key")
	expectNGError(t, call(t, ts, "GET", ciDefault+ciQ("K8"), nil, header("Harness-Account", "other")), 403, "NG_ACCESS_DENIED", `names account "other"`)
	ts.SetKeyScope(KeyScopeProject)
	expectNGError(t, call(t, ts, "GET", ciCustomer+ciQ("VM"), nil), 403, "NG_ACCESS_DENIED", "Missing permission core_account_view on account "+TestAccountID)
	expectNGError(t, call(t, ts, "POST", ciReset+ciQ("K8"), `[{"field":"addonTag"}]`), 403, "NG_ACCESS_DENIED", "Missing permission core_account_edit")
}

// The hooks move and add CI defaults per infra, and set and remove overrides, as a
// Harness release and the UI would; the API then serves the change.
func TestCIHooks(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	hook := func(method, path string, body any) resp {
		return call(t, ts, method, path, body, noHeader("x-api-key"))
	}
	r := hook("PUT", "/_mock/ci/execution-config/K8/defaults/liteEngineTag", `{"value":"harness/ci-lite-engine:1.17.0"}`)
	expect(t, r, 200)
	expect(t, hook("PUT", "/_mock/ci/execution-config/VM/defaults/dockerLayerCacheTag", `{"value":"harness/dlc:1"}`), 200)
	if k8 := ciImages(t, call(t, ts, "GET", ciDefault+ciQ("K8"), nil)); k8["liteEngineTag"] != "harness/ci-lite-engine:1.17.0" || k8["dockerLayerCacheTag"] != "" {
		t.Errorf("K8 defaults after the hooks: %v", k8["liteEngineTag"])
	}
	// A field a release added is a field the API accepts, on its infra only.
	expect(t, call(t, ts, "POST", ciUpdate+ciQ("VM"), `[{"field":"dockerLayerCacheTag","value":"m/dlc:1"}]`), 200)
	expectNGError(t, call(t, ts, "POST", ciUpdate+ciQ("K8"), `[{"field":"dockerLayerCacheTag","value":"m/dlc:1"}]`), 400, "INVALID_REQUEST", "does not exist for infra type: K8")

	r = hook("PUT", "/_mock/ci/execution-config/K8/overrides/addonTag", `{"value":"m/addon:2"}`)
	expect(t, r, 200)
	var answer struct{ Defaults, Overrides map[string]string }
	r.decode(t, &answer)
	if answer.Overrides["addonTag"] != "m/addon:2" || len(answer.Defaults) != 48 {
		t.Errorf("the hook answers K8's config: %s", r.body)
	}
	if got := ciImages(t, call(t, ts, "GET", ciCustomer+ciQ("K8"), nil)); !maps.Equal(got, map[string]string{"addonTag": "m/addon:2"}) {
		t.Errorf("the API after the override hook: %v", got)
	}
	if r := hook("DELETE", "/_mock/ci/execution-config/K8/overrides/addonTag", nil); r.status != 204 || len(ts.CIOverrides("K8")) != 0 {
		t.Errorf("delete hook: %d, left %v", r.status, ts.CIOverrides("K8"))
	}
	for _, tt := range []struct{ method, path, body, frag string }{
		{"PUT", "/_mock/ci/execution-config/k8/defaults/addonTag", `{"value":"x:1"}`, `"k8" is not a CI build infrastructure`},
		{"PUT", "/_mock/ci/execution-config/K8/defaults/bad_name", `{"value":"x:1"}`, "not a field name"},
		{"PUT", "/_mock/ci/execution-config/VM/overrides/addonTag", `{"value":"x:1"}`, "Field addonTag does not exist for infra type: VM"},
		{"PUT", "/_mock/ci/execution-config/K8/overrides/addonTag", `{"value":""}`, "is empty"},
		{"DELETE", "/_mock/ci/execution-config/VM/overrides/liteEngineTag", "", "does not exist for infra type: VM"},
	} {
		var body any
		if tt.body != "" {
			body = tt.body
		}
		expectError(t, hook(tt.method, tt.path, body), 400, tt.frag)
	}
}

// Faults, the request log and the route counts cover the CI routes.
func TestCIFaultsAndLog(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AddFault(Fault{Route: RouteCIUpdateConfig, Status: 503, RetryAfter: "1", Times: 1})
	body := `[{"field":"addonTag","value":"m/a:1"}]`
	if r := call(t, ts, "POST", ciUpdate+ciQ("K8"), body); r.status != 503 || r.header.Get("Retry-After") != "1" {
		t.Fatalf("first update: %d", r.status)
	}
	expect(t, call(t, ts, "POST", ciUpdate+ciQ("K8"), body), 200)
	ts.AddFault(Fault{Route: RouteCIResetConfig, DropAfter: true, Times: 1})
	if _, err := send(ts, "POST", ciReset+ciQ("K8"), `[{"field":"addonTag"}]`); err == nil {
		t.Fatal("the reset's answer was not dropped")
	}
	if len(ts.CIOverrides("K8")) != 0 {
		t.Errorf("a dropped answer's reset was not applied: %v", ts.CIOverrides("K8"))
	}
	counts := ts.RouteCounts()
	if counts[RouteCIUpdateConfig] != 2 || counts[RouteCIResetConfig] != 1 {
		t.Errorf("route counts: %v", counts)
	}
	reqs := ts.Requests()
	last := reqs[len(reqs)-1]
	if last.Route != RouteCIResetConfig || last.Path != ciReset || last.Query != ciQ("K8")[1:] || last.Fault != "drop-after" || last.Body != `[{"field":"addonTag"}]` {
		t.Errorf("request log: %+v", last)
	}
	if reqs[0].Fault != "status=503" || reqs[0].Route != RouteCIUpdateConfig {
		t.Errorf("the faulted request: %+v", reqs[0])
	}
}

// Concurrent CI calls, hooks and snapshots are safe (run with -race) and lose nothing.
func TestCIConcurrency(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	const n = 20
	done := make(chan error, 3*n)
	for i := range n {
		infra := CIInfras()[i%2]
		field := fmt.Sprintf("addedTag%d", i)
		go func() {
			if err := ts.SetCIDefault(infra, field, "d:1"); err != nil {
				done <- err
				return
			}
			r, err := send(ts, "POST", ciUpdate+ciQ(infra), fmt.Sprintf(`[{"field":%q,"value":"o:1"}]`, field))
			if err == nil && r.status != 200 {
				err = fmt.Errorf("update %s: %d %s", field, r.status, r.body)
			}
			done <- err
		}()
		go func() { _, err := send(ts, "GET", ciCustomer+ciQ(infra)+"&overridesOnly=false", nil); done <- err }()
		go func() { _ = ts.Snapshot(); done <- nil }()
	}
	for range 3 * n {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if k8, vm := ts.CIOverrides("K8"), ts.CIOverrides("VM"); len(k8) != n/2 || len(vm) != n/2 {
		t.Fatalf("overrides K8 %d, VM %d; want %d each", len(k8), len(vm), n/2)
	}
}
