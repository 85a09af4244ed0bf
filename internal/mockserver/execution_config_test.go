package mockserver

import (
	"maps"
	"net/http"
	"slices"
	"testing"
)

const (
	cfgDefault  = "/v1/dbops/execution-config/get-default-config"
	cfgCustomer = "/v1/dbops/execution-config/get-customer-config"
	cfgUpdate   = "/v1/dbops/execution-config/update-config"
	cfgReset    = "/v1/dbops/execution-config/reset-config"
	cfgDelete   = "/v1/dbops/execution-config"
)

func configMap(t *testing.T, r resp) map[string]string {
	t.Helper()
	expect(t, r, 200)
	var m map[string]string
	r.decode(t, &m)
	return m
}

func TestDefaultConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	got := configMap(t, call(t, ts, "GET", cfgDefault, nil))
	if len(got) != 17 || len(Fields()) != 17 {
		t.Fatalf("got %d fields (Fields() has %d), want 17", len(got), len(Fields()))
	}
	documented := map[string]string{ // Harness docs, overview.md
		"artifactoryTag": "plugins/download-artifactory:1.0.0",
		"defaultTag":     "plugins/drone-liquibase:1.18.0-4.33",
		"gitCloneTag":    "harness/drone-git:1.6.4-rootless",
		"mongoTag":       "plugins/drone-liquibase:1.18.0-4.33-mongo",
		"spannerTag":     "plugins/drone-liquibase:1.18.0-4.33-spanner",
	}
	for k, v := range documented {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if !maps.Equal(got, DefaultImages()) {
		t.Errorf("get-default-config differs from DefaultImages()")
	}
	if !slices.IsSorted(Fields()) {
		t.Errorf("Fields() is not sorted")
	}
	// DefaultImages returns a copy.
	DefaultImages()["gitCloneTag"] = "mutated"
	if DefaultImages()["gitCloneTag"] == "mutated" {
		t.Error("DefaultImages() exposes the package map")
	}
	// An out-of-band default change (a Harness release) shows up.
	if err := ts.SetDefault("gitCloneTag", "harness/drone-git:9"); err != nil {
		t.Fatal(err)
	}
	if got := configMap(t, call(t, ts, "GET", cfgDefault, nil))["gitCloneTag"]; got != "harness/drone-git:9" {
		t.Errorf("after SetDefault: %q", got)
	}
}

func TestCustomerConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	if got := call(t, ts, "GET", cfgCustomer, nil); string(got.body) != "{}" {
		t.Fatalf("no overrides: body = %s, want {}", got.body)
	}
	expect(t, call(t, ts, "POST", cfgUpdate, `[{"field":"gitCloneTag","value":"harness/drone-git:1.7.0"}]`), 201)
	want := map[string]string{"gitCloneTag": "harness/drone-git:1.7.0"}
	merged := DefaultImages()
	merged["gitCloneTag"] = "harness/drone-git:1.7.0"
	tests := []struct {
		query string
		want  map[string]string
	}{
		{"", want},
		{"?overridesOnly=true", want},
		{"?overridesOnly=TRUE", want},
		{"?overridesOnly=false", merged},
	}
	for _, tt := range tests {
		if got := configMap(t, call(t, ts, "GET", cfgCustomer+tt.query, nil)); !maps.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.query, got, tt.want)
		}
	}
	for _, bad := range []string{"yes", "1", "maybe"} {
		expectError(t, call(t, ts, "GET", cfgCustomer+"?overridesOnly="+bad, nil), 400, "overridesOnly", "true or false")
	}
}

func TestUpdateConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	r := call(t, ts, "POST", cfgUpdate, []map[string]string{
		{"field": "gitCloneTag", "value": "harness/drone-git:1.7.0"},
		{"field": "flywaySpannerPsqlTag", "value": "my/flyway:1"},
	})
	expect(t, r, http.StatusCreated)
	if string(r.body) != "true" {
		t.Fatalf("body = %s, want true", r.body)
	}
	want := map[string]string{"gitCloneTag": "harness/drone-git:1.7.0", "flywaySpannerPsqlTag": "my/flyway:1"}
	if !maps.Equal(ts.Overrides(), want) {
		t.Fatalf("overrides = %v", ts.Overrides())
	}

	bad := []struct {
		name, body string
		frags      []string
	}{
		{"unknown field", `[{"field":"gitTag","value":"x"}]`, []string{`unknown execution-config field "gitTag"`, "artifactoryTag", "flywaySpannerPsqlTag", "spannerTag"}},
		{"empty value", `[{"field":"mongoTag","value":""}]`, []string{`value for "mongoTag" is empty`}},
		{"blank value", `[{"field":"mongoTag","value":"  "}]`, []string{`is empty`}},
		{"missing field", `[{"value":"x"}]`, []string{`"field" is required`}},
		{"missing value", `[{"field":"mongoTag"}]`, []string{`"value" is required`}},
		{"empty array", `[]`, []string{"non-empty JSON array"}},
		{"null", `null`, []string{"non-empty JSON array"}},
		{"empty body", ``, []string{"body is empty"}},
		{"malformed JSON", `[{"field":`, []string{"malformed JSON"}},
		{"trailing garbage", `[{"field":"mongoTag","value":"x"}] x`, []string{"unexpected data after"}},
		{"unknown JSON key", `[{"field":"mongoTag","value":"x","extra":1}]`, []string{`unknown JSON field "[0].extra"`}},
		{"key in wrong case", `[{"Field":"mongoTag","value":"x"}]`, []string{`did you mean "field"`}},
		{"object instead of array", `{"field":"mongoTag","value":"x"}`, []string{"must be a JSON array"}},
		{"value not a string", `[{"field":"mongoTag","value":3}]`, []string{`"value" must be a JSON string`}},
		{"valid then invalid: nothing applied", `[{"field":"mongoTag","value":"ok"},{"field":"nope","value":"x"}]`, []string{"nothing was updated", "element 1"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			expectError(t, call(t, ts, "POST", cfgUpdate, tt.body), 400, tt.frags...)
			if !maps.Equal(ts.Overrides(), want) {
				t.Fatalf("a refused batch changed the overrides: %v", ts.Overrides())
			}
		})
	}
}

func TestResetConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	ts.AllowBadRequests() // it sends requests outside the contract on purpose
	for _, f := range []string{"gitCloneTag", "mongoTag", "spannerTag"} {
		if err := ts.SetOverride(f, "x/"+f); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, body string
		left       []string
	}{
		{"strings (OpenAPI form)", `["gitCloneTag"]`, []string{"mongoTag", "spannerTag"}},
		{"objects (older docs form)", `[{"field":"mongoTag"}]`, []string{"spannerTag"}},
		{"no override: no-op, still true", `["gitCloneTag","defaultTag"]`, []string{"spannerTag"}},
		{"mixed forms", `["spannerTag",{"field":"mongoTag"}]`, nil},
	}
	for _, tt := range tests {
		r := call(t, ts, "POST", cfgReset, tt.body)
		expect(t, r, http.StatusCreated)
		if string(r.body) != "true" {
			t.Fatalf("%s: body %s, want true", tt.name, r.body)
		}
		if got := slices.Sorted(maps.Keys(ts.Overrides())); !slices.Equal(got, tt.left) {
			t.Fatalf("%s: overrides left %v, want %v", tt.name, got, tt.left)
		}
	}
	_ = ts.SetOverride("rdsTag", "x/rds")
	for _, tt := range []struct{ name, body, frag string }{
		{"unknown field", `["nope"]`, `unknown execution-config field "nope"`},
		{"unknown field in object", `[{"field":"nope"}]`, `unknown execution-config field "nope"`},
		{"object with value key", `[{"field":"rdsTag","value":"x"}]`, `unknown JSON field "value"`},
		{"object without field", `[{}]`, `"field" is required`},
		{"number", `[3]`, "must be a field name string"},
		{"empty array", `[]`, "non-empty JSON array"},
		{"malformed", `["rdsTag"`, "malformed JSON"},
		{"valid then invalid: nothing applied", `["rdsTag","nope"]`, "nothing was reset"},
	} {
		expectError(t, call(t, ts, "POST", cfgReset, tt.body), 400, tt.frag)
	}
	if _, ok := ts.Overrides()["rdsTag"]; !ok {
		t.Fatal("a refused reset changed the overrides")
	}
}

func TestDeleteConfig(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	_ = ts.SetOverride("gitCloneTag", "x")
	for i, want := range []string{"true", "false"} {
		r := call(t, ts, "DELETE", cfgDelete, nil)
		expect(t, r, 200)
		if string(r.body) != want {
			t.Fatalf("delete %d: body %s, want %s", i, r.body, want)
		}
	}
	if len(ts.Overrides()) != 0 {
		t.Fatal("overrides left after delete")
	}
}

func TestConfigOutOfBand(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	if err := ts.SetOverride("nope", "x"); err == nil {
		t.Error("SetOverride accepted an unknown field")
	}
	if err := ts.SetOverride("mongoTag", ""); err == nil {
		t.Error("SetOverride accepted an empty value")
	}
	if err := ts.SetDefault("Not-A-Field", "x"); err == nil {
		t.Error("SetDefault accepted a malformed field name")
	}
	// A field Harness adds later: it shows in the defaults and can be overridden and reset.
	if err := ts.SetDefault("futureTag", "plugins/future:1"); err != nil {
		t.Fatal(err)
	}
	if ts.Defaults()["futureTag"] != "plugins/future:1" {
		t.Error("SetDefault did not add the new field")
	}
	if err := ts.SetOverride("futureTag", "mirror/future:1"); err != nil {
		t.Errorf("an added field cannot be overridden: %v", err)
	}
	ts.DeleteOverride("futureTag")
	_ = ts.SetOverride("mongoTag", "m:1")
	ts.Overrides()["mongoTag"] = "mutated"
	ts.Defaults()["mongoTag"] = "mutated"
	if ts.Overrides()["mongoTag"] != "m:1" || ts.Defaults()["mongoTag"] == "mutated" {
		t.Error("accessors must return copies")
	}
	ts.DeleteOverride("mongoTag")
	ts.DeleteOverride("mongoTag") // no-op
	if len(ts.Overrides()) != 0 {
		t.Error("DeleteOverride did not remove the override")
	}
}
