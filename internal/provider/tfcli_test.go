package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

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
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1 (make test does)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve("registry.terraform.io/hashicorp/harness", providerserver.NewProtocol6(New("test")()),
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
	cfg, err := json.Marshal(map[string]any{"registry.terraform.io/hashicorp/harness": map[string]any{
		"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": rc.Test,
		"Addr": addr{rc.Addr.Network(), rc.Addr.String()},
	}})
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
