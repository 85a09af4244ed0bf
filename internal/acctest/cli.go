package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// TFCLI runs the terraform CLI itself against the provider served from this test
// process (Terraform's reattach mode, as terraform-plugin-testing does), for what
// plugin-testing cannot do: pass -parallelism, capture the human-readable plan and the
// plain output of every command, and read the log of a whole run. The provider runs in
// the test binary, so the race detector sees it.
type TFCLI struct {
	t   *testing.T
	dir string
	env []string // on top of the test process's environment
}

// NewTFCLI serves the provider under test (server, as the provider's tests pass it) at
// ProviderAddress and returns a runner in a fresh working directory. A test that is
// not an acceptance test (TF_ACC unset) is skipped.
func NewTFCLI(t *testing.T, server func() tfprotov6.ProviderServer) *TFCLI {
	t.Helper()
	return NewTFCLIServing(t, map[string]func() tfprotov6.ProviderServer{ProviderAddress(): server})
}

// NewTFCLIServing is NewTFCLI with the providers to serve, by address.
func NewTFCLIServing(t *testing.T, providers map[string]func() tfprotov6.ProviderServer) *TFCLI {
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
	return &TFCLI{t: t, dir: t.TempDir(), env: []string{
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

// AddEnv adds variables (NAME=value) to the environment terraform runs with.
func (c *TFCLI) AddEnv(kv ...string) { c.env = append(c.env, kv...) }

// Dir is the working directory, where terraform runs and writes generated files.
func (c *TFCLI) Dir() string { return c.dir }

// Write puts files (name -> content) into the working directory.
func (c *TFCLI) Write(files map[string]string) {
	c.t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
			c.t.Fatal(err)
		}
	}
}

// CopyDir copies the files of a testdata directory into the working directory.
func (c *TFCLI) CopyDir(src string) {
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
	c.Write(files)
}

// Run runs terraform with args (-no-color added) and returns stdout and stderr; err is
// the exit error, if any.
func (c *TFCLI) Run(args ...string) (stdout, stderr string, err error) {
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

// MustRun runs terraform and fails the test if it fails.
func (c *TFCLI) MustRun(args ...string) string {
	c.t.Helper()
	stdout, stderr, err := c.Run(args...)
	if err != nil {
		c.t.Fatalf("terraform %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// MustFail runs terraform, expects it to fail, and returns its combined output.
func (c *TFCLI) MustFail(args ...string) string {
	c.t.Helper()
	stdout, stderr, err := c.Run(args...)
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		c.t.Fatalf("terraform %s: err = %v, want a failure\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout + stderr
}

// TFDiagnostic is one diagnostic of terraform's -json output.
type TFDiagnostic struct {
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

// PlanDiagnostics runs terraform plan -json, which fails or not, and returns its
// diagnostics.
func (c *TFCLI) PlanDiagnostics() []TFDiagnostic {
	c.t.Helper()
	stdout, stderr, _ := c.Run("plan", "-json")
	var diags []TFDiagnostic
	for _, line := range strings.Split(stdout, "\n") {
		var msg struct {
			Type       string       `json:"type"`
			Diagnostic TFDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "diagnostic" {
			diags = append(diags, msg.Diagnostic)
		}
	}
	if len(diags) == 0 && stderr != "" {
		c.t.Fatalf("terraform plan -json: %s", stderr)
	}
	return diags
}

// StateResource is one resource instance of `terraform show -json`.
type StateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Values  map[string]any `json:"values"`
}

// ShowState returns the resources of the current state by address.
func (c *TFCLI) ShowState() map[string]StateResource {
	c.t.Helper()
	var st struct {
		Values *struct {
			RootModule struct {
				Resources []StateResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(c.MustRun("show", "-json")), &st); err != nil {
		c.t.Fatal(err)
	}
	out := map[string]StateResource{}
	if st.Values != nil {
		for _, r := range st.Values.RootModule.Resources {
			out[r.Address] = r
		}
	}
	return out
}

// PlanChange is the change of one resource in `terraform show -json` of a saved plan.
func (c *TFCLI) PlanChange(planFile, addr string) (before, after map[string]any) {
	c.t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Before map[string]any `json:"before"`
				After  map[string]any `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(c.MustRun("show", "-json", planFile)), &plan); err != nil {
		c.t.Fatal(err)
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Address == addr {
			return rc.Change.Before, rc.Change.After
		}
	}
	c.t.Fatalf("the plan has no change for %s", addr)
	return nil, nil
}

// WantActions fails the test unless the plan saved in tfplan (`terraform show -json`)
// does exactly these actions, by address, such as "delete,create" for a replacement.
func (c *TFCLI) WantActions(want map[string]string) {
	c.t.Helper()
	var p struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(c.MustRun("show", "-json", "tfplan")), &p); err != nil {
		c.t.Fatal(err)
	}
	got := map[string]string{}
	for _, rc := range p.ResourceChanges {
		if a := strings.Join(rc.Change.Actions, ","); a != "no-op" && a != "read" {
			got[rc.Address] = a
		}
	}
	if !maps.Equal(got, want) {
		c.t.Fatalf("plan actions = %v, want %v", got, want)
	}
}

// ApplyLeaves applies (a saved plan, if named), then fails the test unless the mock
// holds exactly want and the next plan is empty and quiet.
func (c *TFCLI) ApplyLeaves(srv *mockserver.TestServer, step string, want map[string]string, planFile ...string) {
	c.t.Helper()
	c.MustRun(append([]string{"apply", "-auto-approve"}, planFile...)...)
	if err := OverridesAre(srv.Overrides, want)(nil); err != nil {
		c.t.Fatal(step + ": " + err.Error())
	}
	c.NoChanges(step)
}

// NoChanges runs a plan that must be empty and warn about nothing.
func (c *TFCLI) NoChanges(step string) {
	c.t.Helper()
	if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes.") || strings.Contains(out, "Warning") {
		c.t.Fatalf("%s: the plan is not empty and quiet:\n%s", step, out)
	}
}
