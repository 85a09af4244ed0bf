package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The package's shared test helpers, in one place: serving the provider and the mock,
// provider and resource configurations, plan and state checks, the terraform CLI runner
// (tfCLI) and the fault suite's fleet. Tests live beside what they test.

// testAccProtoV6ProviderFactories runs the provider in the test process, so the race
// detector and coverage see it, and serves it as Serve does in production
// (ProtocolServer): behind detachedServer unless the test collects logs.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"harness": func() (tfprotov6.ProviderServer, error) {
		return ProtocolServer("test", !collectsLogs(os.Environ()))(), nil
	},
}

// TestMain makes acceptance tests hermetic: no checkpoint calls, a CLI config this repo
// owns, and a clear message when terraform is missing (plugin-testing would otherwise
// try to download it and fail without saying why).
func TestMain(m *testing.M) {
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f == "" || !fileExists(f) {
		if abs, err := filepath.Abs("../../.ci/terraformrc"); err == nil {
			_ = os.Setenv("TF_CLI_CONFIG_FILE", abs)
		}
	}
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests need terraform on PATH (TF_ACC is set): install Terraform >= 1.5 and retry")
			os.Exit(1)
		}
		_ = os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	os.Exit(contract.RunWithStats(m))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// newAccTestServer starts a fresh mock for one test, so tests stay isolated and parallel.
// Its PUT mode is $HARNESS_MOCK_PUT_MODE (as for the standalone mock; merge when unset):
// make test runs the update, clear and drift tests again under replace, because
// nothing public says which Harness does.
func newAccTestServer(t *testing.T) *mockserver.TestServer {
	t.Helper()
	srv := mockserver.NewTestServerWith(t, mockserver.Options{PutMode: os.Getenv(putModeEnv)})
	t.Cleanup(func() { checkReplacePass(t, srv) })
	return srv
}

// providerConfig points the provider at srv through the /gateway prefix, as a real
// configuration points at app.harness.io/gateway.
func providerConfig(srv *mockserver.TestServer) string {
	return providerBlock(srv, `max_retries = 2`)
}

// providerBlock is a provider block for srv with more settings (HCL lines).
func providerBlock(srv *mockserver.TestServer, settings string) string {
	return fmt.Sprintf(`
provider "harness" {
  endpoint   = %q
  account_id = %q
  api_key    = %q
%s
}
`, srv.URL+"/gateway", srv.AccountID, srv.APIKey, settings)
}

// expectBefore asserts the value an attribute had before the planned change (the
// refreshed state), which is where drift shows in a plan. A nil want means null.
type expectBefore struct {
	addr, attr string
	want       any
}

func (e expectBefore) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before[e.attr]; !reflect.DeepEqual(got, e.want) {
			resp.Error = fmt.Errorf("%s: %s before the change = %#v, want %#v", e.addr, e.attr, got, e.want)
		}
		return
	}
	resp.Error = fmt.Errorf("the plan has no change for %s", e.addr)
}

// overridesAre asserts the mock holds exactly these overrides.
func overridesAre(get func() map[string]string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := get(); !maps.Equal(got, want) {
			return fmt.Errorf("mock overrides = %v, want %v", got, want)
		}
		return nil
	}
}

// flat is Terraform's output on one line, without the box drawing of diagnostics, so
// that a test finds a phrase however Terraform wrapped it.
func flat(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
}

// errorText matches a phrase in Terraform's error output, which wraps long lines: each
// space of the phrase matches any run of white space.
func errorText(phrase string) *regexp.Regexp {
	parts := strings.Fields(phrase)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// tfCLI runs the terraform CLI itself against the provider served from this test
// process (Terraform's reattach mode, as terraform-plugin-testing does), for what
// plugin-testing cannot do: pass -parallelism, capture the human-readable plan and the
// plain output of every command, and read the log of a whole run. The provider runs in
// the test binary, so the race detector sees it.
type tfCLI struct {
	t   *testing.T
	dir string
	env []string // on top of the test process's environment
}

// newTFCLI serves the provider and returns a runner in a fresh working directory. The
// provider's own log (tflog) follows TF_LOG and TF_LOG_PATH as they are when it starts.
func newTFCLI(t *testing.T) *tfCLI {
	t.Helper()
	return newTFCLIServing(t, map[string]func() tfprotov6.ProviderServer{
		testProviderAddress(): ProtocolServer("test", !collectsLogs(os.Environ())),
	})
}

// newTFCLIServing is newTFCLI with the providers to serve, by address.
func newTFCLIServing(t *testing.T, providers map[string]func() tfprotov6.ProviderServer) *tfCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1 (make test does)")
	}
	reattach := map[string]any{}
	for address, server := range providers {
		reattach[address] = serveForCLI(t, address, server)
	}
	cfg, err := json.Marshal(reattach)
	if err != nil {
		t.Fatal(err)
	}
	return &tfCLI{t: t, dir: t.TempDir(), env: []string{
		"TF_REATTACH_PROVIDERS=" + string(cfg),
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"TF_LOG=", "TF_LOG_PATH=", // unless a test asks for a log
	}}
}

// serveForCLI serves a provider in this process until the test ends, and returns its
// entry of TF_REATTACH_PROVIDERS.
func serveForCLI(t *testing.T, address string, server func() tfprotov6.ProviderServer) any {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(address, server,
			tf6server.WithDebug(ctx, reattach, make(chan struct{})),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride(),
		)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("serving the provider: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the provider server did not stop")
		}
	})
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case err := <-served:
		t.Fatalf("the provider server stopped before it started: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the provider server did not start")
	}
	type addr struct{ Network, String string }
	return map[string]any{
		"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": rc.Test,
		"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
	}
}

// write puts files (name -> content) into the working directory.
func (c *tfCLI) write(files map[string]string) {
	c.t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
			c.t.Fatal(err)
		}
	}
}

// copyDir copies the files of a testdata directory into the working directory.
func (c *tfCLI) copyDir(src string) {
	c.t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		c.t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			c.t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	c.write(files)
}

// run runs terraform with args (-no-color added) and returns stdout and stderr; err is
// the exit error, if any.
func (c *tfCLI) run(args ...string) (stdout, stderr string, err error) {
	c.t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		tf = "terraform"
	}
	args = append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)
	cmd := exec.CommandContext(c.t.Context(), tf, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), c.env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// mustRun runs terraform and fails the test if it fails.
func (c *tfCLI) mustRun(args ...string) string {
	c.t.Helper()
	stdout, stderr, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("terraform %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// mustFail runs terraform, expects it to fail, and returns its combined output.
func (c *tfCLI) mustFail(args ...string) string {
	c.t.Helper()
	stdout, stderr, err := c.run(args...)
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		c.t.Fatalf("terraform %s: err = %v, want a failure\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout + stderr
}

// tfDiagnostic is one diagnostic of terraform's -json output.
type tfDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
	Range    *struct {
		Filename string `json:"filename"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Snippet *struct {
		Context string `json:"context"`
		Code    string `json:"code"`
	} `json:"snippet"`
}

// stateResource is one resource instance of `terraform show -json`.
type stateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}

// showState returns the resources of the current state by address.
func (c *tfCLI) showState() map[string]stateResource {
	c.t.Helper()
	var st struct {
		Values *struct {
			RootModule struct {
				Resources []stateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(c.mustRun("show", "-json")), &st); err != nil {
		c.t.Fatal(err)
	}
	out := map[string]stateResource{}
	if st.Values != nil {
		for _, r := range st.Values.RootModule.Resources {
			out[r.Address] = r
		}
	}
	return out
}

// testProviderAddress is where a configuration without required_providers finds
// "harness": hashicorp/harness on the default registry, which plugin-testing takes from
// TF_ACC_PROVIDER_HOST (registry.opentofu.org under OpenTofu).
func testProviderAddress() string {
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	return host + "/hashicorp/harness"
}

// requiredProviders declares the provider as tfCLI serves it; a configuration that
// calls provider functions needs it (Terraform resolves provider::harness:: only
// through required_providers).
const requiredProviders = `terraform {
  required_providers {
    harness = { source = "hashicorp/harness" }
  }
}
`

// cliProvider is a provider block for tfCLI tests, with fast retries.
func cliProvider(srv *mockserver.TestServer) string {
	return providerBlock(srv, "max_retries = 1\nretry_wait_min = \"10ms\"\nretry_wait_max = \"50ms\"")
}

// ordersConfig is a DB schema "orders" (its changelog in Git) and its DB instance
// "dev" in org "default", project "p", for tfCLI tests: schemaRef is how the instance
// names its schema, and schemaExtra and instanceExtra are HCL lines added to each.
func ordersConfig(srv *mockserver.TestServer, schemaExtra, schemaRef, instanceExtra string) string {
	return cliProvider(srv) + `
resource "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "p"
  identifier = "orders"
  name       = "Orders"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
` + schemaExtra + `
}

resource "harness_dbops_db_instance" "dev" {
  org_id     = "default"
  project_id = "p"
  schema     = ` + schemaRef + `
  identifier = "dev"
  name       = "Dev"
  connector  = "jdbc_dev"
  branch     = "main"
` + instanceExtra + `
}
`
}

const okSource = `
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }`

// inOrder matches the phrases in this order in Terraform's output, line wraps allowed.
func inOrder(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = errorText(p).String()
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// The org and project of every DB schema and DB instance test.
const (
	dbTestOrg     = "default"
	dbTestProject = "default_project"
	dbSchemaAddr  = "harness_dbops_db_schema.test"
)

// checkDBSchemasDestroyed is a CheckDestroy: the mock's project holds no schema.
func checkDBSchemasDestroyed(srv *mockserver.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := srv.Schemas(dbTestOrg, dbTestProject); len(left) > 0 {
			ids := make([]string, len(left))
			for i, s := range left {
				ids[i] = s.Identifier
			}
			return fmt.Errorf("DB schemas left in the mock after destroy: %v", ids)
		}
		return nil
	}
}

// checkRouteCounts asserts request counts per route since the last ResetRequests.
func checkRouteCounts(srv *mockserver.TestServer, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for route, n := range want {
			if got := srv.RouteCount(route); got != n {
				return fmt.Errorf("%s: %d requests, want %d", route, got, n)
			}
		}
		return nil
	}
}

// wrappedText matches text as Terraform prints it in a diagnostic: any run of spaces
// may have become a line break.
func wrappedText(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

func knownStringMap(kv ...string) knownvalue.Check {
	m := map[string]knownvalue.Check{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = knownvalue.StringExact(kv[i+1])
	}
	return knownvalue.MapExact(m)
}

const (
	mirrorLiquibase = "registry.example.com/mirror/drone-liquibase:1.18.0-4.33"
	mirrorGit       = "registry.example.com/mirror/drone-git:1.6.4-rootless"
	mirrorMongo     = "registry.example.com/mirror/drone-liquibase:1.18.0-4.33-mongo"
	pinnedDigest    = "registry.example.com/mirror/drone-liquibase@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func hcl(name, value string) string { return fmt.Sprintf("%s = %q", name, value) }

// routeCountIs asserts how many requests a route has had since the last ResetRequests.
func routeCountIs(srv *mockserver.TestServer, route string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := srv.RouteCount(route); got != want {
			return fmt.Errorf("%s: %d requests, want %d", route, got, want)
		}
		return nil
	}
}

// lastBodyIs asserts the body of the last request to route, so a test can prove that
// an update sends exactly the fields that changed.
func lastBodyIs(srv *mockserver.TestServer, route, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := srv.Requests()
		for i := len(reqs) - 1; i >= 0; i-- {
			if reqs[i].Route == route {
				if got := strings.TrimSpace(reqs[i].Body); got != want {
					return fmt.Errorf("last %s body = %s, want %s", route, got, want)
				}
				return nil
			}
		}
		return fmt.Errorf("no request to %s", route)
	}
}

// dbInstanceConfig renders two schemas, "main" (its changelog in Git, so its instances
// need a branch, commit_sha or git_tag) and "other" (an Artifactory archive, so they do
// not), and a harness_dbops_db_instance "test" in the test org and project; body is the
// HCL after org_id and project_id.
func dbInstanceConfig(srv *mockserver.TestServer, body string) string {
	return providerConfig(srv) + fmt.Sprintf(`
resource "harness_dbops_db_schema" "main" {
  org_id     = %[1]q
  project_id = %[2]q
  identifier = "main"
  name       = "Main"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
}

resource "harness_dbops_db_schema" "other" {
  org_id     = %[1]q
  project_id = %[2]q
  identifier = "other"
  name       = "Other"
  schema_source = {
    connector    = "artifactory"
    archive_path = "changelogs/other.zip"
    location     = "other/changelog.yaml"
  }
}

resource "harness_dbops_db_instance" "test" {
  org_id     = %[1]q
  project_id = %[2]q
%[3]s
}
`, dbTestOrg, dbTestProject, body)
}

// checkDBInstancesDestroyed is a CheckDestroy: no instance and no schema is left.
func checkDBInstancesDestroyed(srv *mockserver.TestServer) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, schema := range []string{"main", "other"} {
			if left := srv.Instances(dbTestOrg, dbTestProject, schema); len(left) > 0 {
				return fmt.Errorf("%d DB instance(s) of %q left in the mock after destroy", len(left), schema)
			}
		}
		return checkDBSchemasDestroyed(srv)(s)
	}
}

// listPagesFollowed asserts that every read of a list of n items at the client's page
// size of 100 took ceil(n/100) requests: reads happen several times a step, so the
// count is a non-zero multiple.
func listPagesFollowed(srv *mockserver.TestServer, route string, pagesPerRead int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.RouteCount(route); n == 0 || n%pagesPerRead != 0 {
			return fmt.Errorf("%s: %d requests, want a non-zero multiple of %d pages", route, n, pagesPerRead)
		}
		return nil
	}
}

// runStringValidators runs vs on value and returns the error details, joined.
func runStringValidators(vs []validator.String, value types.String) string {
	var msgs []string
	for _, v := range vs {
		resp := &validator.StringResponse{}
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("identifier"), ConfigValue: value}, resp)
		for _, d := range resp.Diagnostics.Errors() {
			msgs = append(msgs, d.Summary()+": "+d.Detail())
		}
	}
	return strings.Join(msgs, "\n")
}

// fleet describes what testdata/fleet/main.tf declares for given variables, so a test
// can compare it with the mock and with Terraform's state.
type fleet struct {
	schemas, perSchema, generation int
	images                         map[string]string // attribute name => image
}

const (
	fleetOrg     = "default"
	fleetProject = "fleet"
)

// fleetConfig is the configuration directory of the fleet.
var fleetConfig = config.StaticDirectory("testdata/fleet")

// vars returns the fleet's variables; settings override provider settings
// (max_retries, request_timeout, retry_wait_min, retry_wait_max).
func (f fleet) vars(url, account, key string, settings map[string]config.Variable) config.Variables {
	v := config.Variables{
		"endpoint":             config.StringVariable(url + "/gateway"),
		"account_id":           config.StringVariable(account),
		"api_key":              config.StringVariable(key),
		"schemas":              config.IntegerVariable(f.schemas),
		"instances_per_schema": config.IntegerVariable(f.perSchema),
		"generation":           config.IntegerVariable(max(f.generation, 1)),
	}
	if len(f.images) > 0 {
		m := map[string]config.Variable{}
		for k, img := range f.images {
			m[k] = config.StringVariable(img)
		}
		v["images"] = config.MapVariable(m)
	}
	maps.Copy(v, settings)
	return v
}

// resources is how many resources the fleet declares.
func (f fleet) resources() int {
	n := f.schemas * (1 + f.perSchema)
	if len(f.images) > 0 {
		n++
	}
	return n
}

func (f fleet) gen() string { return strconv.Itoa(max(f.generation, 1)) }

func schemaIdentifier(i int) string { return fmt.Sprintf("schema_%d", i) }

func instanceIdentifier(i, n int) string { return fmt.Sprintf("db%d_%d", i, n) }

// overrides is the execution config the fleet asks for, by API field name.
func (f fleet) overrides() map[string]string {
	out := map[string]string{}
	for attr, img := range f.images {
		fld, ok := imageFieldByName(attr)
		if !ok {
			panic("fleet: unknown image attribute " + attr)
		}
		out[fld.api] = img
	}
	return out
}

// checkMock compares the whole mock state with the fleet: every schema, instance and
// override the configuration declares, with its values, and nothing else.
func (f fleet) checkMock(srv *mockserver.Server) error {
	var errs []string
	st := srv.Snapshot()
	if !maps.Equal(st.Overrides, f.overrides()) {
		errs = append(errs, fmt.Sprintf("overrides = %v, want %v", st.Overrides, f.overrides()))
	}
	if len(st.Schemas) != f.schemas {
		errs = append(errs, fmt.Sprintf("%d schemas, want %d", len(st.Schemas), f.schemas))
	}
	if len(st.Instances) != f.schemas*f.perSchema {
		errs = append(errs, fmt.Sprintf("%d instances, want %d", len(st.Instances), f.schemas*f.perSchema))
	}
	gen := map[string]string{"generation": f.gen()}
	for i := range f.schemas {
		id := schemaIdentifier(i)
		sc, ok := srv.Schema(fleetOrg, fleetProject, id)
		switch {
		case !ok:
			errs = append(errs, "missing schema "+id)
		case sc.Name != fmt.Sprintf("Schema %d (generation %s)", i, f.gen()) || !maps.Equal(sc.Tags, gen) ||
			sc.Changelog == nil || sc.Changelog.Connector != "github" || sc.Changelog.Location != fmt.Sprintf("db/schema_%d/changelog.yaml", i):
			errs = append(errs, fmt.Sprintf("schema %s = %+v", id, sc))
		}
		for n := range f.perSchema {
			iid := instanceIdentifier(i, n)
			in, ok := srv.Instance(fleetOrg, fleetProject, id, iid)
			switch {
			case !ok:
				errs = append(errs, "missing instance "+id+"/"+iid)
			case in.Name != fmt.Sprintf("Instance %s (generation %s)", iid, f.gen()) || !maps.Equal(in.Tags, gen) ||
				in.Connector != fmt.Sprintf("jdbc_%d", n%3) || in.Branch != "release_"+f.gen() ||
				!maps.Equal(in.SubstituteProperties, map[string]string{"db_name": iid}):
				errs = append(errs, fmt.Sprintf("instance %s/%s = %+v", id, iid, in))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("the mock does not hold the configuration:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// flatState is a Terraform state reduced to what the checks compare: resource type and
// id => flat attributes ("name", "tags.generation", "updated").
type flatState map[string]map[string]string

// flatFromState reads a plugin-testing state.
func flatFromState(s *terraform.State) flatState {
	out := flatState{}
	for _, rs := range s.RootModule().Resources {
		if rs.Primary != nil {
			out[rs.Type+" "+rs.Primary.ID] = rs.Primary.Attributes
		}
	}
	return out
}

// flatFromJSON reads `terraform show -json` resources.
func flatFromJSON(resources map[string]stateResource) flatState {
	out := flatState{}
	for _, r := range resources {
		attrs := map[string]string{}
		flatten(attrs, "", r.Values)
		out[r.Type+" "+attrs["id"]] = attrs
	}
	return out
}

func flatten(dst map[string]string, prefix string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			flatten(dst, prefix+k+".", e)
		}
	case string:
		dst[strings.TrimSuffix(prefix, ".")] = v
	case float64:
		dst[strings.TrimSuffix(prefix, ".")] = strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		dst[strings.TrimSuffix(prefix, ".")] = strconv.FormatBool(v)
	}
}

// checkState compares Terraform's state with the mock: exactly the fleet's resources,
// each holding what the server holds (names, tags, timestamps, images).
func (f fleet) checkState(st flatState, srv *mockserver.Server) error {
	var errs []string
	if len(st) != f.resources() {
		errs = append(errs, fmt.Sprintf("%d resources in state, want %d: %v", len(st), f.resources(), slices.Sorted(maps.Keys(st))))
	}
	same := func(what string, attrs map[string]string, want map[string]string) {
		for k, v := range want {
			if attrs[k] != v {
				errs = append(errs, fmt.Sprintf("%s: state %s = %q, server %q", what, k, attrs[k], v))
			}
		}
	}
	for i := range f.schemas {
		id := schemaIdentifier(i)
		attrs, ok := st["harness_dbops_db_schema "+importID(fleetOrg, fleetProject, id)]
		sc, found := srv.Schema(fleetOrg, fleetProject, id)
		if !ok || !found {
			errs = append(errs, fmt.Sprintf("schema %s: in state %v, on the server %v", id, ok, found))
			continue
		}
		same(id, attrs, map[string]string{"name": sc.Name, "tags.generation": sc.Tags["generation"],
			"created": strconv.FormatInt(sc.Created, 10), "updated": strconv.FormatInt(sc.Updated, 10)})
		for n := range f.perSchema {
			iid := instanceIdentifier(i, n)
			attrs, ok := st["harness_dbops_db_instance "+importID(fleetOrg, fleetProject, id, iid)]
			in, found := srv.Instance(fleetOrg, fleetProject, id, iid)
			if !ok || !found {
				errs = append(errs, fmt.Sprintf("instance %s/%s: in state %v, on the server %v", id, iid, ok, found))
				continue
			}
			same(id+"/"+iid, attrs, map[string]string{"name": in.Name, "tags.generation": in.Tags["generation"], "branch": in.Branch,
				"connector": in.Connector, "created": strconv.FormatInt(in.Created, 10), "updated": strconv.FormatInt(in.Updated, 10)})
		}
	}
	if len(f.images) > 0 {
		var attrs map[string]string
		for k, v := range st {
			if strings.HasPrefix(k, "harness_dbops_image_config ") {
				attrs = v
			}
		}
		want := map[string]string{}
		for _, fld := range imageFields {
			want[fld.attr] = srv.Overrides()[fld.api]
		}
		same("image config", attrs, want)
	}
	if len(errs) > 0 {
		return fmt.Errorf("Terraform's state is not true to the server:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// checkFleet is a step check: the mock holds exactly the configuration, Terraform's
// state holds exactly what the mock holds, and nothing was created twice.
func checkFleet(f fleet, srv *mockserver.Server) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := f.checkMock(srv); err != nil {
			return err
		}
		if err := f.checkState(flatFromState(s), srv); err != nil {
			return err
		}
		return createdOnce(srv)
	}
}

// creates counts, per created identifier, the creates the server carried out (201,
// whether or not the client saw the answer), and the creates it refused as duplicates.
func creates(srv *mockserver.Server) (stored, duplicates map[string]int) {
	stored, duplicates = map[string]int{}, map[string]int{}
	for _, r := range srv.Requests() {
		if r.Route != mockserver.RouteCreateSchema && r.Route != mockserver.RouteCreateInstance {
			continue
		}
		var body struct {
			Identifier string `json:"identifier"`
		}
		_ = json.Unmarshal([]byte(r.Body), &body)
		key := strings.TrimPrefix(r.Path, "/gateway") + "/" + body.Identifier
		switch {
		case r.Status == 201:
			stored[key]++
		case r.Status == 400 && !strings.Contains(r.Fault, "status=400"):
			duplicates[key]++
		}
	}
	return stored, duplicates
}

// createdOnce fails if the server carried out a create twice for one identifier.
func createdOnce(srv *mockserver.Server) error {
	stored, _ := creates(srv)
	for key, n := range stored {
		if n != 1 {
			return fmt.Errorf("%s was created %d times", key, n)
		}
	}
	return nil
}

// faultTally counts the requests the mock faulted, by kind ("status=503", "drop",
// "drop-after", "malformed", "latency", "body(status=502)").
func faultTally(srv *mockserver.Server) (total int, byKind map[string]int) {
	byKind = map[string]int{}
	for _, r := range srv.Requests() {
		if r.Fault == "" {
			continue
		}
		total++
		kind := r.Fault
		if strings.HasPrefix(kind, "latency=") {
			kind = "latency"
		}
		byKind[kind]++
	}
	return total, byKind
}

// stopwatch measures the wall time of plugin-testing steps: start in PreConfig, stop in
// Check.
type stopwatch struct {
	mu    sync.Mutex
	start time.Time
	laps  []time.Duration
}

func (w *stopwatch) Start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.start = time.Now()
}

func (w *stopwatch) Stop(*terraform.State) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.laps = append(w.laps, time.Since(w.start).Round(time.Millisecond))
	return nil
}

func (w *stopwatch) Laps() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.laps)
}

const dbInstanceAddr = "harness_dbops_db_instance.test"

// dbSchemaConfig renders a harness_dbops_db_schema "test" in the test org and project;
// body is the HCL after org_id and project_id.
func dbSchemaConfig(srv *mockserver.TestServer, body string) string {
	return providerConfig(srv) + fmt.Sprintf(`
resource "harness_dbops_db_schema" "test" {
  org_id     = %q
  project_id = %q
%s
}
`, dbTestOrg, dbTestProject, body)
}
