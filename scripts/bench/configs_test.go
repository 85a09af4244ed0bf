//go:build linux

package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// A state as an apply of n=1 writes it (abridged): the schema and instance 0.
const oneInstanceState = `{
  "version": 4, "terraform_version": "1.11.4", "serial": 7, "lineage": "l-1", "outputs": {},
  "resources": [
    {"mode": "managed", "type": "harness_dbops_db_schema", "name": "s", "provider": "provider[\"registry.terraform.io/dbdevops/harness\"]",
     "instances": [{"schema_version": 0, "attributes": {"identifier": "bench_schema", "instance_count": 1}, "sensitive_attributes": []}]},
    {"mode": "managed", "type": "harness_dbops_db_instance", "name": "i", "provider": "provider[\"registry.terraform.io/dbdevops/harness\"]",
     "instances": [{"index_key": 0, "schema_version": 0, "attributes": {"id": "bench/bench/bench_schema/instance_0", "identifier": "instance_0",
       "name": "Instance 0", "schema": "bench_schema", "created": 1764547200, "substitute_properties": {"DB_NAME": "db_0"}, "tags": {"env": "bench"}},
       "sensitive_attributes": [], "private": "eyJ4IjoxfQ==", "dependencies": ["harness_dbops_db_schema.s"]}]}
  ],
  "check_results": null
}`

// scaleState makes instance i of instance 0: its index, and each value that names
// instance 0 renamed; everything else, the schema included, as it was; the serial moves on.
func TestScaleState(t *testing.T) {
	out, err := scaleState([]byte(oneInstanceState), 3)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Serial    int
		Lineage   string
		Resources []struct {
			Type      string
			Instances []struct {
				IndexKey     *int `json:"index_key"`
				Attributes   map[string]any
				Private      string
				Dependencies []string
			}
		}
	}
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatal(err)
	}
	if st.Serial != 8 || st.Lineage != "l-1" || len(st.Resources) != 2 || len(st.Resources[0].Instances) != 1 {
		t.Fatalf("serial %d, lineage %q, resources %+v", st.Serial, st.Lineage, st.Resources)
	}
	insts := st.Resources[1].Instances
	if len(insts) != 3 {
		t.Fatalf("%d instances, want 3", len(insts))
	}
	for i, in := range insts {
		want := map[string]any{"id": "bench/bench/bench_schema/instance_" + itoa(i), "identifier": "instance_" + itoa(i), "name": "Instance " + itoa(i),
			"schema": "bench_schema", "created": float64(1764547200), "substitute_properties": map[string]any{"DB_NAME": "db_" + itoa(i)}, "tags": map[string]any{"env": "bench"}}
		if in.IndexKey == nil || *in.IndexKey != i {
			t.Errorf("instance %d: index_key %v", i, in.IndexKey)
		}
		if got, _ := json.Marshal(in.Attributes); string(got) != mustJSON(t, want) {
			t.Errorf("instance %d: %s, want %s", i, got, mustJSON(t, want))
		}
		if in.Private != "eyJ4IjoxfQ==" || !slices.Equal(in.Dependencies, []string{"harness_dbops_db_schema.s"}) {
			t.Errorf("instance %d: private %q, dependencies %q", i, in.Private, in.Dependencies)
		}
	}
	if _, err := scaleState([]byte(strings.Replace(oneInstanceState, `"index_key": 0`, `"index_key": 1`, 1)), 3); err == nil {
		t.Error("a state whose instance is not instance 0 was scaled")
	}
}

// scaleMock adds instances 1 to n-1 of the bench schema, copied from instance 0 of the
// same project, and leaves other projects' instances alone.
func TestScaleMock(t *testing.T) {
	st := map[string]any{"instances": []any{
		map[string]any{"org": "bench", "project": "official", "schema": "bench_schema", "instance": map[string]any{"identifier": "instance_0", "name": "Instance 0"}},
		map[string]any{"org": "bench", "project": "bench", "schema": "bench_schema", "instance": map[string]any{"identifier": "instance_0", "name": "Instance 0",
			"substituteProperties": map[string]any{"DB_NAME": "db_0"}}},
	}}
	if err := scaleMock(st, "bench", 3); err != nil {
		t.Fatal(err)
	}
	got := mustJSON(t, st["instances"])
	want := mustJSON(t, []any{
		map[string]any{"org": "bench", "project": "official", "schema": "bench_schema", "instance": map[string]any{"identifier": "instance_0", "name": "Instance 0"}},
		map[string]any{"org": "bench", "project": "bench", "schema": "bench_schema", "instance": map[string]any{"identifier": "instance_0", "name": "Instance 0", "substituteProperties": map[string]any{"DB_NAME": "db_0"}}},
		map[string]any{"org": "bench", "project": "bench", "schema": "bench_schema", "instance": map[string]any{"identifier": "instance_1", "name": "Instance 1", "substituteProperties": map[string]any{"DB_NAME": "db_1"}}},
		map[string]any{"org": "bench", "project": "bench", "schema": "bench_schema", "instance": map[string]any{"identifier": "instance_2", "name": "Instance 2", "substituteProperties": map[string]any{"DB_NAME": "db_2"}}},
	})
	if got != want {
		t.Errorf("instances:\n%s\nwant\n%s", got, want)
	}
	if err := scaleMock(map[string]any{}, "bench", 3); err == nil {
		t.Error("a state without instance 0 was scaled")
	}
}

// Nothing of the caller's environment that changes what is measured reaches Terraform
// or the provider: logs, other Terraform or Harness settings, and a GOGC or GOMEMLIMIT,
// which would turn the provider's own collector setting off.
func TestBenchEnv(t *testing.T) {
	got := benchEnv([]string{"PATH=/bin", "HOME=/root", "TF_LOG=trace", "TF_CLI_CONFIG_FILE=/x", "HARNESS_ENDPOINT=https://app.harness.io",
		"GOGC=50", "GOMEMLIMIT=1GiB", "GOGCX=1", "BENCH_RUSAGE_DIR=/old", "CHECKPOINT_DISABLE=0"}, "TF_IN_AUTOMATION=1")
	want := []string{"PATH=/bin", "HOME=/root", "GOGCX=1", "TF_IN_AUTOMATION=1"}
	if !slices.Equal(got, want) {
		t.Errorf("benchEnv = %q, want %q", got, want)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
