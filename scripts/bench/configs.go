//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// The objects every configuration manages: one DB schema and N instances under it,
// in project "bench" of org "bench" (the official provider's in project "official", so
// that resetting one kind leaves the other's objects alone).
const (
	org        = "bench"
	schemaID   = "bench_schema"
	instanceTF = "harness_dbops_db_instance"
)

// kind is one configuration measured side by side.
type kind struct {
	name    string
	dir     string // its working directory; "before" plans in the provider's
	rc      string // its CLI configuration (dev_overrides)
	source  string // its provider's source address; "" for terraform_data
	real    string // the provider binary that rsswrap runs
	project string // the mock project of its objects; "" when it calls no API
}

// kindLabels are the column headers of the kinds.
func kindLabel(name string) string {
	switch name {
	case "before":
		return "before (" + beforeCommit[:7] + ")"
	case "baseline":
		return "terraform_data"
	}
	return name
}

func (b *bench) kind(name string) kind {
	w := b.work
	k := kind{name: name, dir: filepath.Join(w, name), rc: filepath.Join(w, "terraformrc-"+name), source: "dbdevops/harness", real: filepath.Join(w, "bin", name)}
	switch name {
	case "provider":
		k.project = "bench"
	case "before":
		k.dir, k.project = filepath.Join(w, "provider"), "bench"
	case "official":
		k.source, k.real, k.project = "harness/harness", b.o.official, "official"
	case "baseline":
		k.source, k.real, k.rc = "", "", filepath.Join(w, "terraformrc-provider")
	}
	return k
}

// envFor is the environment of a command of kind k: dev_overrides pointing at k's
// rsswrap, which runs k's binary; extra last.
func (b *bench) envFor(k kind, extra ...string) []string {
	return append(append(b.env[:len(b.env):len(b.env)], "TF_CLI_CONFIG_FILE="+k.rc, "BENCH_REAL_PROVIDER="+k.real), extra...)
}

// ourConfig is this provider's configuration (var.n instances), as the provider, the
// version before refresh by list and the floor run it.
const ourConfig = `terraform {
  required_providers {
    harness = { source = "dbdevops/harness" }
  }
}

variable "n" { type = number }

# endpoint, account and key come from HARNESS_* variables
provider "harness" {}

resource "harness_dbops_db_schema" "s" {
  org_id     = "bench"
  project_id = "bench"
  identifier = "bench_schema"
  name       = "Bench schema"
  tags       = { team = "bench" }
  schema_source = {
    connector = "account.github"
    repo      = "db"
    location  = "changelog.yaml"
  }
}

resource "harness_dbops_db_instance" "i" {
  count                 = var.n
  org_id                = "bench"
  project_id            = "bench"
  schema                = harness_dbops_db_schema.s.identifier
  identifier            = "instance_${count.index}"
  name                  = "Instance ${count.index}"
  connector             = "org.jdbc_pg"
  branch                = "main"
  tags                  = { env = "bench" }
  substitute_properties = { DB_NAME = "db_${count.index}" }
}
`

// officialConfig is the same objects in the official provider's resources
// (harness_platform_db_schema and harness_platform_db_instance: tags as "key:value"
// strings, schema_source a block).
const officialConfig = `terraform {
  required_providers {
    harness = { source = "harness/harness" }
  }
}

variable "n" { type = number }

# endpoint, account and key come from HARNESS_ENDPOINT, HARNESS_ACCOUNT_ID, HARNESS_PLATFORM_API_KEY
provider "harness" {}

resource "harness_platform_db_schema" "s" {
  org_id     = "bench"
  project_id = "official"
  identifier = "bench_schema"
  name       = "Bench schema"
  tags       = ["team:bench"]
  schema_source {
    connector = "account.github"
    repo      = "db"
    location  = "changelog.yaml"
  }
}

resource "harness_platform_db_instance" "i" {
  count                 = var.n
  org_id                = "bench"
  project_id            = "official"
  schema                = harness_platform_db_schema.s.identifier
  identifier            = "instance_${count.index}"
  name                  = "Instance ${count.index}"
  connector             = "org.jdbc_pg"
  branch                = "main"
  tags                  = ["env:bench"]
  substitute_properties = { DB_NAME = "db_${count.index}" }
}
`

// baselineConfig is as many terraform_data resources, with the same dependencies, each
// input four strings, as in the measurements the goals of issue 26 were set against.
// Terraform stores input and output of each in its state, with their types: maps in
// input (the instances' tags and properties) would nearly double the state file, which
// Terraform rewrites after every resource of an apply, and make the baseline slower
// than the floor that stands for this provider's own state.
const baselineConfig = `variable "n" { type = number }

resource "terraform_data" "schema" {
  input = {
    identifier = "bench_schema"
    name       = "Bench schema"
    location   = "changelog.yaml"
  }
}

resource "terraform_data" "instance" {
  count = var.n
  input = {
    schema     = terraform_data.schema.input.identifier
    identifier = "instance_${count.index}"
    name       = "Instance ${count.index}"
    branch     = "main"
  }
}
`

// listConfig reads every instance of the schema through the list data source (-gc).
const listConfig = `terraform {
  required_providers {
    harness = { source = "dbdevops/harness" }
  }
}

provider "harness" {}

data "harness_dbops_db_instances" "all" {
  org_id     = "bench"
  project_id = "bench"
  schema     = "bench_schema"
}

output "instances" {
  value = length(data.harness_dbops_db_instances.all.instances)
}
`

// writeConfigs writes each kind's configuration and CLI configuration, and copies
// rsswrap where each dev_overrides entry points.
func (b *bench) writeConfigs() error {
	files := map[string]string{
		"provider/main.tf": ourConfig, "floor/main.tf": ourConfig, "official/main.tf": officialConfig,
		"baseline/main.tf": baselineConfig, "list/main.tf": listConfig,
		// The list configuration runs with the provider's CLI configuration.
	}
	wrapper, err := os.ReadFile(filepath.Join(b.work, "bin", "rsswrap"))
	if err != nil {
		return err
	}
	for _, k := range b.kinds {
		if k.source == "" {
			continue
		}
		plugins := filepath.Join(b.work, "plugins-"+k.name)
		files[filepath.Base(k.rc)] = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", k.source, plugins)
		if err := os.MkdirAll(plugins, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(plugins, "terraform-provider-harness"), wrapper, 0o755); err != nil {
			return err
		}
	}
	for name, text := range files {
		path := filepath.Join(b.work, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// reset undoes an apply without a destroy: the state goes, and the kind's schema (with
// its instances) leaves the mock.
func (b *bench) reset(ctx context.Context, k kind) error {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(k.dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if k.project == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, fmt.Sprintf("%s/_mock/orgs/%s/projects/%s/dbschema/%s", b.mockURL, org, k.project, schemaID), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
		return fmt.Errorf("resetting the mock for %s: %s", k.name, resp.Status)
	}
	return nil
}

// populate gives the provider n instances, in its state and in the mock, without an
// apply of n: Terraform's local backend rewrites the whole state file after each
// resource, so an apply of 5000 costs Terraform minutes whatever the provider. It applies
// one instance for real, then copies that instance in both (scaleState, scaleMock); the
// next plan refreshes every copy from the mock, and the bench fails if it finds a change.
func (b *bench) populate(ctx context.Context, n int) error {
	k := b.kinds["provider"]
	if err := b.reset(ctx, k); err != nil {
		return err
	}
	if _, err := b.terraform(ctx, k, 0, "apply", "-auto-approve", "-input=false", "-var=n=1"); err != nil {
		return err
	}
	path := filepath.Join(k.dir, "terraform.tfstate")
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	scaled, err := scaleState(raw, n)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, scaled, 0o644); err != nil {
		return err
	}
	var st map[string]any
	if err := b.mockHook(ctx, http.MethodGet, "/_mock/state", nil, &st); err != nil {
		return err
	}
	if err := scaleMock(st, k.project, n); err != nil {
		return fmt.Errorf("the mock's state: %w", err)
	}
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return b.mockHook(ctx, http.MethodPut, "/_mock/state", body, nil)
}

// indexed copies v (decoded JSON) with the values that name instance 0 in the
// configuration ("instance_0", "Instance 0", "db_0") renamed for instance i.
func indexed(v any, i int) any {
	r := strings.NewReplacer("instance_0", fmt.Sprintf("instance_%d", i), "Instance 0", fmt.Sprintf("Instance %d", i), "db_0", fmt.Sprintf("db_%d", i))
	var walk func(any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case string:
			return r.Replace(t)
		case map[string]any:
			out := make(map[string]any, len(t))
			for k, x := range t {
				out[k] = walk(x)
			}
			return out
		case []any:
			out := make([]any, len(t))
			for k, x := range t {
				out[k] = walk(x)
			}
			return out
		}
		return v
	}
	return walk(v)
}

func decodeJSON(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	return v, dec.Decode(&v)
}

// scaleState turns a Terraform state holding instance 0 of harness_dbops_db_instance.i
// into one holding instances 0 to n-1, each instance 0's object renamed (indexed), with
// the serial moved on.
func scaleState(raw []byte, n int) ([]byte, error) {
	st, err := decodeJSON(raw)
	if err != nil {
		return nil, err
	}
	resources, _ := st["resources"].([]any)
	found := false
	for _, r := range resources {
		res, _ := r.(map[string]any)
		if res["type"] != instanceTF || res["name"] != "i" {
			continue
		}
		insts, _ := res["instances"].([]any)
		if len(insts) != 1 {
			return nil, fmt.Errorf("%s.i has %d instances, want the 1 of an apply of n=1", instanceTF, len(insts))
		}
		first, _ := insts[0].(map[string]any)
		if fmt.Sprint(first["index_key"]) != "0" {
			return nil, fmt.Errorf("%s.i's instance has index_key %v, want 0", instanceTF, first["index_key"])
		}
		all := make([]any, n)
		for i := range n {
			inst, _ := indexed(first, i).(map[string]any)
			inst["index_key"] = i
			all[i] = inst
		}
		res["instances"] = all
		found = true
	}
	if !found {
		return nil, fmt.Errorf("no %s.i in the state", instanceTF)
	}
	serial, ok := st["serial"].(json.Number)
	if !ok {
		return nil, fmt.Errorf("the state has no serial")
	}
	next, err := serial.Int64()
	if err != nil {
		return nil, fmt.Errorf("the state's serial %s: %w", serial, err)
	}
	st["serial"] = next + 1
	return json.MarshalIndent(st, "", "  ")
}

// scaleMock adds to the mock's state (GET /_mock/state) instances 1 to n-1 of the bench
// schema in project, each a renamed copy of instance 0.
func scaleMock(st map[string]any, project string, n int) error {
	list, _ := st["instances"].([]any)
	var first any
	for _, x := range list {
		e, _ := x.(map[string]any)
		inst, _ := e["instance"].(map[string]any)
		if e["org"] == org && e["project"] == project && e["schema"] == schemaID && inst["identifier"] == "instance_0" {
			first = e
		}
	}
	if first == nil {
		return fmt.Errorf("no instance_0 of %s/%s/%s", org, project, schemaID)
	}
	for i := 1; i < n; i++ {
		list = append(list, indexed(first, i))
	}
	st["instances"] = list
	return nil
}
