package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The bad-input table: configuration values, import IDs and server answers that are
// wrong in every way we could think of. Each must give a diagnostic that names the
// attribute or the call and says what to do; none may panic the provider or reach the
// API. The configuration rows all go into one configuration checked by one
// `terraform validate -json`, so each row is matched to its diagnostics by the lines of
// its own block.

// crashSigns are what Terraform prints when a provider panics or its plugin dies.
var crashSigns = []string{"panic:", "goroutine ", "Plugin did not respond", "The plugin encountered an error", "plugin exited", "rpc error"}

func noCrash(t *testing.T, out string) {
	t.Helper()
	for _, s := range crashSigns {
		if strings.Contains(out, s) {
			t.Fatalf("the provider crashed (%q):\n%s", s, out)
		}
	}
}

// badConfigRow is a resource (or provider) block and the diagnostic it must get.
type badConfigRow struct {
	name    string
	block   string   // HCL; %s is replaced by a unique label
	attr    string   // the attribute the diagnostic must point at ("" for a block-level rule)
	summary string   // the diagnostic's summary
	detail  []string // phrases the detail must contain: what is wrong and what to do
}

func schemaBlock(body string) string {
	return "resource \"harness_dbops_db_schema\" %q {\n  org_id     = \"default\"\n  project_id = \"p\"\n" + body + "\n}\n"
}

func instanceBlock(body string) string {
	return "resource \"harness_dbops_db_instance\" %q {\n  org_id     = \"default\"\n  project_id = \"p\"\n" + body + "\n}\n"
}

// providerRow is an aliased provider block with the given settings, and a data source
// that uses it.
func providerRow(settings string) string {
	return "provider \"harness\" {\n  alias = %[1]q\n" + settings + "\n}\n\ndata \"harness_dbops_default_images\" %[1]q {\n  provider = harness.%[1]s\n}\n"
}

func imageBlock(body string) string {
	return "resource \"harness_dbops_image_config\" %q {\n" + body + "\n}\n"
}

var long129 = "a" + strings.Repeat("b", 128)

var badConfigRows = []badConfigRow{
	// Identifiers.
	{"schema identifier starts with a digit", schemaBlock(`identifier = "1bad"` + "\n  name = \"x\"" + acctest.OKSource), "identifier",
		"Invalid Attribute Value Match", []string{"must start with a letter", `got: 1bad`}},
	{"instance identifier with a dash", instanceBlock(`schema = "main"` + "\n  identifier = \"has-dash\"\n  name = \"x\"\n  connector = \"c\""), "identifier",
		"Invalid Attribute Value Match", []string{`contain only letters, digits, "_" and "$"`, "got: has-dash"}},
	{"129-character schema identifier", schemaBlock(`identifier = "` + long129 + `"` + "\n  name = \"x\"" + acctest.OKSource), "identifier",
		"Invalid Attribute Value Match", []string{"at most 128 characters long"}},
	{"unicode schema identifier", schemaBlock(`identifier = "schéma"` + "\n  name = \"x\"" + acctest.OKSource), "identifier",
		"Invalid Attribute Value Match", []string{"contain only letters, digits", "got: schéma"}},
	{"empty schema identifier", schemaBlock(`identifier = ""` + "\n  name = \"x\"" + acctest.OKSource), "identifier",
		"Invalid Attribute Value Match", []string{"must start with a letter"}},
	{"org_id with a dot", "resource \"harness_dbops_db_schema\" %q {\n  org_id = \"my.org\"\n  project_id = \"p\"\n  identifier = \"ok\"\n  name = \"x\"" + acctest.OKSource + "\n}\n", "org_id",
		"Invalid Attribute Value Match", []string{"got: my.org"}},
	{"unicode project_id", "resource \"harness_dbops_db_instance\" %q {\n  org_id = \"default\"\n  project_id = \"projet_été\"\n  schema = \"main\"\n  identifier = \"pg\"\n  name = \"x\"\n  connector = \"c\"\n}\n", "project_id",
		"Invalid Attribute Value Match", []string{"got: projet_été"}},
	// Reserved names.
	{"reserved schema identifier", schemaBlock(`identifier = "overview"` + "\n  name = \"x\"" + acctest.OKSource), "identifier",
		"Reserved identifier", []string{`"overview" cannot be used`, "reserved by the Harness API", "Choose another identifier"}},
	{"reserved schema of an instance", instanceBlock(`schema = "overview"` + "\n  identifier = \"pg\"\n  name = \"x\"\n  connector = \"c\""), "schema",
		"Reserved identifier", []string{`"overview" cannot be used`}},
	// Names.
	{"129-character schema name", schemaBlock(`identifier = "ok"` + "\n  name = \"" + long129 + "\"" + acctest.OKSource), "name",
		"Invalid Attribute Value Length", []string{"UTF-8 character count must be between 1 and 128, got: 129"}},
	{"129-character instance name", instanceBlock(`schema = "main"` + "\n  identifier = \"pg\"\n  name = \"" + long129 + "\"\n  connector = \"c\""), "name",
		"Invalid Attribute Value Length", []string{"between 1 and 128, got: 129"}},
	{"empty instance name", instanceBlock(`schema = "main"` + "\n  identifier = \"pg\"\n  name = \"\"\n  connector = \"c\""), "name",
		"Invalid Attribute Value Length", []string{"between 1 and 128, got: 0"}},
	// Other empty strings.
	{"empty connector", instanceBlock(`schema = "main"` + "\n  identifier = \"pg\"\n  name = \"x\"\n  connector = \"\""), "connector",
		"Invalid Attribute Value Match", []string{"must be a connector identifier"}},
	{"empty branch", instanceBlock(`schema = "main"` + "\n  identifier = \"pg\"\n  name = \"x\"\n  connector = \"c\"\n  branch = \"\""), "branch",
		"Invalid Attribute Value Length", []string{"at least 1"}},
	{"empty service", schemaBlock(`identifier = "ok"` + "\n  name = \"x\"\n  service = \"\"" + acctest.OKSource), "service",
		"Invalid Attribute Value Length", []string{"at least 1"}},
	{"empty tag key", schemaBlock(`identifier = "ok"` + "\n  name = \"x\"\n  tags = { \"\" = \"v\" }" + acctest.OKSource), "tags",
		"Invalid Attribute Value Length", []string{"at least 1"}},
	{"empty image", imageBlock(`  git_clone_tag = ""`), "git_clone_tag",
		"Invalid image reference", []string{"an empty string is not an image", "remove the attribute instead"}},
	// Connector references.
	{"connector of an unknown scope", instanceBlock(`schema = "main"` + "\n  identifier = \"pg\"\n  name = \"x\"\n  connector = \"project.c\""), "connector",
		"Invalid Attribute Value Match", []string{`optionally prefixed with "org." or "account."`}},
	// Image references.
	{"image without tag", imageBlock(`  default_tag = "plugins/drone-liquibase"`), "default_tag",
		"Invalid image reference", []string{"no tag or digest", "pin a version such as plugins/drone-liquibase:1.2.3"}},
	{"image tagged latest", imageBlock(`  default_tag = "plugins/drone-liquibase:latest"`), "default_tag",
		"Invalid image reference", []string{`its tag "latest" floats`, "pin a version such as plugins/drone-liquibase:1.2.3"}},
	{"image with upper case", imageBlock(`  mongo_tag = "Plugins/Drone:1"`), "mongo_tag",
		"Invalid image reference", []string{"not a valid image reference", "must be lowercase", "expected registry/repository:tag"}},
	{"image with a space", imageBlock(`  oracle_tag = "plugins/x :1"`), "oracle_tag",
		"Invalid image reference", []string{"not a valid image reference"}},
	{"image with a short digest", imageBlock(`  default_tag = "plugins/x@sha256:123"`), "default_tag",
		"Invalid image reference", []string{"not a valid image reference"}},
	{"image URL", imageBlock(`  default_tag = "https://registry.example.com/x:1"`), "default_tag",
		"Invalid image reference", []string{"not a valid image reference"}},
	{"image with trailing white space", imageBlock(`  default_tag = "plugins/x:1 "`), "default_tag",
		"Invalid image reference", []string{"leading or trailing white space"}},
	{"unicode image", imageBlock(`  default_tag = "plugins/drône:1"`), "default_tag",
		"Invalid image reference", []string{"not a valid image reference"}},
	// Unknown fields and invalid combinations.
	{"unknown schema field", schemaBlock(`identifier = "ok"` + "\n  name = \"x\"\n  colour = \"red\"" + acctest.OKSource), "colour",
		"Unsupported argument", []string{`An argument named "colour" is not expected here`}},
	{"unknown image field", imageBlock(`  latest_tag = "plugins/x:1"`), "latest_tag",
		"Unsupported argument", []string{`An argument named "latest_tag" is not expected here`}},
	{"unknown migration type", schemaBlock(`identifier = "ok"` + "\n  name = \"x\"\n  migration_type = \"Sqitch\"" + acctest.OKSource), "migration_type",
		"Invalid Attribute Value Match", []string{`value must be one of: ["Liquibase" "Flyway"]`}},
	{"no schema source", schemaBlock(`identifier = "ok"` + "\n  name = \"x\""), "",
		"Missing Attribute Configuration", []string{"Exactly one of these attributes must be configured: [schema_source,changelog_script]"}},
	{"two revisions", instanceBlock(`schema = "main"` + "\n  identifier = \"pg\"\n  name = \"x\"\n  connector = \"c\"\n  branch = \"main\"\n  git_tag = \"v1\""), "",
		"Invalid Attribute Combination", []string{"These attributes cannot be configured together: [branch,commit_sha,git_tag]"}},
	{"image config without an image", imageBlock(`  on_destroy = "reset"`), "",
		"No image to manage", []string{"Set at least one image attribute", "or set exclusive = true"}},
	{"unknown on_destroy", imageBlock(`  default_tag = "plugins/x:1"` + "\n  on_destroy = \"keep\""), "on_destroy",
		"Invalid Attribute Value Match", []string{`value must be one of: ["reset" "retain"]`}},
	// Provider settings (each in an aliased provider block of its own, used by a data
	// source: Terraform validates the provider configurations that are used).
	{"endpoint without scheme", providerRow("  endpoint = \"app.harness.io/gateway\""), "endpoint",
		"Invalid URL", []string{`"app.harness.io/gateway" is not an http(s) URL`, "https://app.harness.io/gateway"}},
	{"request_timeout in words", providerRow("  request_timeout = \"ten seconds\""), "request_timeout",
		"Invalid duration", []string{`"ten seconds" is not usable: value must be a positive duration such as 30s`}},
	{"zero retry_wait_min", providerRow("  retry_wait_min = \"0s\""), "retry_wait_min",
		"Invalid duration", []string{`"0s" is not usable: value must be a positive duration`}},
	{"max_retries out of range", providerRow("  max_retries = 99"), "max_retries",
		"Invalid Attribute Value", []string{"must be between 0 and 20, got: 99"}},
	{"negative rate limit", providerRow("  rate_limit_per_second = -1"), "rate_limit_per_second",
		"Invalid Attribute Value", []string{"rate_limit_per_second must be 0 (no limit) or more, got -1."}},
}

func TestAccBadInput_config(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	// Each row's block, with the line range it occupies.
	type span struct{ first, last int }
	spans := make([]span, len(badConfigRows))
	var cfg strings.Builder
	cfg.WriteString(acctest.CLIProvider(srv))
	for i, row := range badConfigRows {
		block := fmt.Sprintf(row.block, fmt.Sprintf("row_%d", i))
		first := strings.Count(cfg.String(), "\n") + 1
		cfg.WriteString(block)
		spans[i] = span{first, strings.Count(cfg.String(), "\n")}
	}
	c.Write(map[string]string{"main.tf": cfg.String()})
	c.MustRun("init", "-input=false")
	stdout, stderr, err := c.Run("validate", "-json")
	noCrash(t, stdout+stderr)
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("validate: err = %v, want a failure", err)
	}
	var res struct {
		Valid       bool                   `json:"valid"`
		Diagnostics []acctest.TFDiagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("validate -json: %v\n%s", err, stdout)
	}
	byRow := make([][]acctest.TFDiagnostic, len(badConfigRows))
	for _, d := range res.Diagnostics {
		if d.Range == nil {
			t.Errorf("a diagnostic without a source range: %+v", d)
			continue
		}
		i := slices.IndexFunc(spans, func(s span) bool { return d.Range.Start.Line >= s.first && d.Range.Start.Line <= s.last })
		if i < 0 {
			t.Errorf("a diagnostic outside every row (line %d): %s: %s", d.Range.Start.Line, d.Summary, d.Detail)
			continue
		}
		byRow[i] = append(byRow[i], d)
	}
	for i, row := range badConfigRows {
		t.Run(row.name, func(t *testing.T) {
			diags := byRow[i]
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %+v", len(diags), diags)
			}
			d := diags[0]
			detail := strings.Join(strings.Fields(d.Detail), " ")
			if d.Severity != "error" || d.Summary != row.summary {
				t.Errorf("%s %q, want error %q", d.Severity, d.Summary, row.summary)
			}
			for _, want := range row.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("the detail lacks %q:\n%s", want, detail)
				}
			}
			code := ""
			if d.Snippet != nil {
				code = d.Snippet.Code
			}
			if row.attr != "" && !strings.Contains(code, row.attr) && !strings.Contains(detail, row.attr) {
				t.Errorf("the diagnostic does not point at %s: code %q, detail %q", row.attr, code, detail)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("validation reached the API: %v", srv.RouteCounts())
	}
}

// importRow is an import ID that must be refused, and the diagnostic it must get.
type importRow struct {
	resource string // resource type
	id       string
	summary  string
	detail   string
}

// Malformed import IDs for every resource, all refused in one plan through import blocks.
func TestAccBadInput_importIDs(t *testing.T) {
	t.Parallel()
	rows := []importRow{
		{"harness_dbops_db_schema", "a/b", "Invalid DB schema import ID", `Expected import ID "org_id/project_id/schema_id", got "a/b" (2 parts). Example: my_org/my_project/my_schema`},
		{"harness_dbops_db_schema", "a/b/c/d", "Invalid DB schema import ID", `got "a/b/c/d" (4 parts)`},
		{"harness_dbops_db_schema", "a//c", "Invalid DB schema import ID", `got "a//c" (part 2, project_id, is empty)`},
		{"harness_dbops_db_schema", "schéma", "Invalid DB schema import ID", `got "schéma" (1 part)`},
		{"harness_dbops_db_instance", "a/b/c", "Invalid DB instance import ID", `Expected import ID "org_id/project_id/schema_id/instance_id", got "a/b/c" (3 parts). Example: my_org/my_project/my_schema/my_instance`},
		{"harness_dbops_db_instance", "a/b//d", "Invalid DB instance import ID", `(part 3, schema_id, is empty)`},
		{"harness_dbops_db_instance", "/b/c/d", "Invalid DB instance import ID", `(part 1, org_id, is empty)`},
		{"harness_dbops_db_instance", "a/b/c/d/e", "Invalid DB instance import ID", `got "a/b/c/d/e" (5 parts)`},
		{"harness_dbops_image_config", "latest_tag", "Invalid import ID", `unknown field "latest_tag" in import ID "latest_tag". Use a comma-separated list of the fields to manage`},
		{"harness_dbops_image_config", "default_tag,defaultTag", "Invalid import ID", `"defaultTag" is listed twice`},
		{"harness_dbops_image_config", " , ", "Invalid import ID", `unknown field "" in import ID`},
		{"harness_dbops_image_config", "EXCLUSIVE", "Invalid import ID", `unknown field "EXCLUSIVE" in import ID "EXCLUSIVE". Use a comma-separated list`},
		{"harness_dbops_image_config", "futureTag", "Invalid import ID", `add "images" to manage them in the images map (any field name, even one this provider version does not know)`},
	}
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	var cfg strings.Builder
	cfg.WriteString(acctest.CLIProvider(srv))
	for i, r := range rows {
		body := "  default_tag = \"plugins/x:1\"\n"
		switch r.resource {
		case "harness_dbops_db_schema":
			body = "  org_id = \"a\"\n  project_id = \"b\"\n  identifier = \"c\"\n  name = \"x\"" + acctest.OKSource + "\n"
		case "harness_dbops_db_instance":
			body = "  org_id = \"a\"\n  project_id = \"b\"\n  schema = \"c\"\n  identifier = \"d\"\n  name = \"x\"\n  connector = \"c\"\n"
		}
		fmt.Fprintf(&cfg, "resource %q \"row_%d\" {\n%s}\n\nimport {\n  to = %s.row_%d\n  id = %q\n}\n\n", r.resource, i, body, r.resource, i, r.id)
	}
	c.Write(map[string]string{"main.tf": cfg.String()})
	c.MustRun("init", "-input=false")
	out := c.MustFail("plan", "-input=false")
	noCrash(t, out)
	flatOut := acctest.Flat(out)
	for _, r := range rows {
		t.Run(r.resource+" "+r.id, func(t *testing.T) {
			if !strings.Contains(flatOut, "Error: "+r.summary) || !strings.Contains(flatOut, r.detail) {
				t.Errorf("no error %q with %q in:\n%s", r.summary, r.detail, out)
			}
		})
	}
	// Only the credentials check of Configure reached the API.
	if counts := srv.RouteCounts(); len(counts) != 1 || counts[mockserver.RouteGetDefaultConfig] != 1 {
		t.Errorf("malformed import IDs reached the API: %v", counts)
	}
}

// serverRow is an odd answer from the server (or a proxy in front of it), armed while a
// plan refreshes an applied configuration.
type serverRow struct {
	name   string
	faults func(srv *mockserver.TestServer) []mockserver.Fault
	// exit is the plan's expected exit code under -detailed-exitcode: 0 no changes, 1
	// an error, 2 changes.
	exit int
	want []string // phrases of the output, in order
}

func jsonAnswer(route string, v any) mockserver.Fault {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return mockserver.Fault{Route: route, Status: 200, Body: string(b), ContentType: "application/json"}
}

// withFields returns the JSON object of v with the extra fields set (nil removes one).
func withFields(v any, extra map[string]any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	for k, e := range extra {
		if e == nil {
			delete(m, k)
		} else {
			m[k] = e
		}
	}
	return m
}

// Odd server answers: unknown fields, missing fields, null maps and values, answers that
// are not the API's at all. Harmless oddities read as the configuration (no change);
// the rest fail the plan with the call and a hint, never a crash.
func TestAccBadInput_serverAnswers(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.CLIProvider(srv) + `
resource "harness_dbops_db_schema" "main" {
  org_id     = "default"
  project_id = "p"
  identifier = "main"
  name       = "Données clients – 🙂 ` + strings.Repeat("é", 100) + `"
  tags       = { équipe = "données" }` + acctest.OKSource + `
}

resource "harness_dbops_db_instance" "pg" {
  org_id     = "default"
  project_id = "p"
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
  branch     = "main"
}

resource "harness_dbops_image_config" "this" {
  default_tag = "` + acctest.MirrorLiquibase + `"
}
`})
	c.MustRun("init", "-input=false")
	c.MustRun("apply", "-input=false", "-auto-approve")
	schema := func() mockserver.Schema { s, _ := srv.Schema("default", "p", "main"); return s }
	instance := func() mockserver.Instance { i, _ := srv.Instance("default", "p", "main", "pg"); return i }
	rows := []serverRow{
		{"unicode round-trips", nil, 0, []string{"No changes."}},
		{"unknown fields", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{
				jsonAnswer(mockserver.RouteGetSchema, withFields(schema(), map[string]any{"futureField": map[string]any{"x": []int{1}}, "gitOpsEnabled": true})),
				jsonAnswer(mockserver.RouteGetInstance, withFields(instance(), map[string]any{"deploymentStatus": "IN_SYNC"})),
				jsonAnswer(mockserver.RouteGetCustomerConfig, map[string]any{"defaultTag": acctest.MirrorLiquibase, "liquibaseProTag": "plugins/pro:1"}),
			}
		}, 0, []string{"No changes."}},
		{"null maps and null values", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{
				jsonAnswer(mockserver.RouteGetInstance, withFields(instance(), map[string]any{"tags": nil, "substituteProperties": nil})),
				jsonAnswer(mockserver.RouteGetCustomerConfig, map[string]any{"defaultTag": acctest.MirrorLiquibase, "mongoTag": nil, "gitCloneTag": ""}),
			}
		}, 0, []string{"No changes."}},
		{"missing optional fields read as empty", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{jsonAnswer(mockserver.RouteGetInstance, withFields(instance(), map[string]any{"branch": nil, "tags": nil}))}
		}, 2, []string{"harness_dbops_db_instance.pg will be updated in-place", `+ branch`, `"main"`}},
		{"missing identifier", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{jsonAnswer(mockserver.RouteGetInstance, withFields(instance(), map[string]any{"identifier": nil}))}
		}, 1, []string{"Error: Unable to read DB instance", `Reading DB instance "pg" of schema "main"`,
			"GET /v1/orgs/default/projects/p/dbschema/main/instance/pg: unexpected answer (status 200): the answer has no identifier, so it is not a DB instance",
			"check that the provider's endpoint points at the Harness gateway"}},
		{"another API's envelope", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{jsonAnswer(mockserver.RouteGetSchema, map[string]any{"status": "SUCCESS", "data": schema()})}
		}, 1, []string{"Error: Unable to read DB schema", "GET /v1/orgs/default/projects/p/dbschema/main: unexpected answer (status 200): the answer has no identifier, so it is not a DB schema"}},
		{"wrong JSON type", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{{Route: mockserver.RouteGetCustomerConfig, Status: 200, Body: `["defaultTag"]`, ContentType: "application/json"}}
		}, 1, []string{"Error: Unable to read the execution config overrides", "GET /v1/dbops/execution-config/get-customer-config: unexpected answer (status 200): invalid JSON: json: cannot unmarshal array"}},
		{"HTML error page from a proxy", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{{Route: mockserver.RouteGetSchema, Status: 502, Body: acctest.ProxyPage}}
		}, 1, []string{"Error: Unable to read DB schema", "GET /v1/orgs/default/projects/p/dbschema/main: 502 Bad Gateway: 502 Bad Gateway: nginx; the answer is not JSON",
			"check that the provider's endpoint points at the Harness gateway", "gave up after 2 attempts"}},
		{"HTML login page with 200", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{{Route: mockserver.RouteGetCustomerConfig, Status: 200, Body: "<html><title>Sign in</title><form>...</form></html>"}}
		}, 1, []string{"Error: Unable to read the execution config overrides", `unexpected answer (status 200): the answer is "text/html; charset=utf-8", not JSON`, "no proxy is answering in its place"}},
		{"error without a message", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{{Route: mockserver.RouteGetInstance, Status: 400, Body: `{"code":"INVALID_REQUEST","detail":null}`, ContentType: "application/json"}}
		}, 1, []string{"Error: Unable to read DB instance", `400 Bad Request: {"code":"INVALID_REQUEST","detail":null}`}},
		{"empty error body", func(*mockserver.TestServer) []mockserver.Fault {
			return []mockserver.Fault{{Route: mockserver.RouteGetSchema, Status: 500, Body: " ", ContentType: "application/json"}}
		}, 1, []string{"Error: Unable to read DB schema", "500 Internal Server Error: (empty body)", "gave up after 2 attempts"}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			srv.ClearFaults()
			if r.faults != nil {
				for _, f := range r.faults(srv) {
					srv.AddFault(f)
				}
			}
			defer srv.ClearFaults()
			stdout, stderr, err := c.Run("plan", "-input=false", "-detailed-exitcode")
			out := stdout + stderr
			noCrash(t, out)
			exit := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				exit = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if exit != r.exit {
				t.Errorf("exit code %d, want %d:\n%s", exit, r.exit, out)
			}
			parts := make([]string, len(r.want))
			for i, w := range r.want {
				parts[i] = acctest.ErrorText(w).String()
			}
			if re := regexp.MustCompile(`(?s)` + strings.Join(parts, ".*")); !re.MatchString(strings.ReplaceAll(out, "│", " ")) {
				t.Errorf("the output lacks, in order, %q:\n%s", r.want, out)
			}
		})
	}
}
