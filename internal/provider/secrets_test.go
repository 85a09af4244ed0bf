package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

func TestAPIKeyIsSensitive(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	a, ok := resp.Schema.Attributes["api_key"].(schema.StringAttribute)
	if !ok || !a.Sensitive {
		t.Fatalf("api_key is %#v, want a sensitive string", resp.Schema.Attributes["api_key"])
	}
	for name, attr := range resp.Schema.Attributes {
		if name != "api_key" && attr.IsSensitive() {
			t.Errorf("%s is sensitive: only the key should be", name)
		}
	}
}

// With TF_LOG=TRACE, the API key appears nowhere: not in the log of terraform and the
// provider, not in the state, not in the plan (as shown and as JSON), not in any output
// or error message, not even when the server echoes it back in an error. The test first
// proves that what it searches is there: the log must hold the provider's API request
// lines and request bodies, the error output the server's messages.
//
// The key comes the two ways that keep it out of Terraform's files: the
// HARNESS_PLATFORM_API_KEY environment variable, and an ephemeral variable (Terraform
// 1.10+). (A literal api_key, or a merely sensitive variable, is written by Terraform
// itself into the JSON plan: its "configuration" and "variables" sections.)
func TestAccSecrets_apiKeyNeverLeaks(t *testing.T) { // not parallel: it sets TF_LOG for the provider it serves
	for _, tt := range []struct {
		name     string
		provider string // how the provider block gets the key
		env      func(t *testing.T, c *acctest.TFCLI, key string)
	}{
		{"environment variable", "", func(t *testing.T, _ *acctest.TFCLI, key string) { t.Setenv(envAPIKey, key) }},
		{"ephemeral variable", `
variable "harness_api_key" {
  type      = string
  ephemeral = true
}
`, func(_ *testing.T, c *acctest.TFCLI, key string) { c.AddEnv("TF_VAR_harness_api_key=" + key) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := acctest.NewServer(t)
			keyArg := ""
			if tt.provider != "" {
				keyArg = "  api_key = var.harness_api_key\n"
			}
			provider := tt.provider + fmt.Sprintf(`
provider "harness" {
  endpoint       = %q
  account_id     = %q
%s  max_retries    = 1
  retry_wait_min = "10ms"
  retry_wait_max = "50ms"
}
`, srv.URL+"/gateway", srv.AccountID, keyArg)
			testKeyNeverLeaks(t, srv, provider, tt.env)
		})
	}
}

func testKeyNeverLeaks(t *testing.T, srv *mockserver.TestServer, providerBlock string, setKey func(*testing.T, *acctest.TFCLI, string)) {
	key := srv.APIKey
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_LOG_PATH_MASK", "")
	t.Setenv("TF_ACC_LOG_PATH", "")
	t.Setenv(envAPIKey, "")
	c := newTFCLI(t)
	c.AddEnv("TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	setKey(t, c, key)

	config := func(instanceName string) map[string]string {
		return map[string]string{"main.tf": providerBlock + `
data "harness_dbops_default_images" "all" {}

resource "harness_dbops_db_schema" "main" {
  org_id     = "default"
  project_id = "p"
  identifier = "main"
  name       = "Main"` + acctest.OKSource + `
}

resource "harness_dbops_db_instance" "pg" {
  org_id     = "default"
  project_id = "p"
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "` + instanceName + `"
  connector  = "jdbc_pg"
  branch     = "main"
}

resource "harness_dbops_image_config" "this" {
  default_tag = "` + acctest.MirrorLiquibase + `"
}

output "default_images" {
  value = data.harness_dbops_default_images.all.images
}
`}
	}
	var searched []struct{ what, text string }
	keep := func(what, text string) string {
		searched = append(searched, struct{ what, text string }{what, text})
		return text
	}

	c.Write(config("Postgres"))
	keep("init", c.MustRun("init", "-input=false"))
	plan := keep("plan", c.MustRun("plan", "-input=false", "-out=tfplan"))
	keep("show plan", c.MustRun("show", "tfplan"))
	keep("show -json plan", c.MustRun("show", "-json", "tfplan"))
	keep("apply", c.MustRun("apply", "-input=false", "tfplan"))
	keep("show -json state", c.MustRun("show", "-json"))
	state, err := os.ReadFile(filepath.Join(c.Dir(), "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	keep("state file", string(state))
	keep("output", c.MustRun("output", "-json"))

	// A proxy answers a read with a debug page that lists the request headers, and the
	// server refuses an update with a message that quotes the key.
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetSchema, Status: 502,
		Body: "<html><title>Upstream error</title><body><pre>GET /v1/... x-api-key: " + key + "</pre></body></html>"})
	c.Write(config("Postgres 17"))
	failedRead := keep("failed plan", c.MustFail("apply", "-input=false", "-auto-approve"))
	srv.ClearFaults()
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteUpdateInstance, Status: 400,
		Message: "invalid request: the key " + key + " may not rename instances"})
	failedUpdate := keep("failed update", c.MustFail("apply", "-input=false", "-auto-approve"))
	srv.ClearFaults()

	logText, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	keep("TF_LOG=TRACE log", string(logText))

	// What is searched must be there, or the test proves nothing.
	for what, parts := range map[string][]string{
		"terraform's own trace lines":    {"[TRACE]", "terraform"},
		"one line per API request":       {"[DEBUG] harness.harness_api: Harness API request:", "method=POST", "path=/gateway/v1/orgs/default/projects/p/dbschema ", "status=201"},
		"request bodies at trace":        {"[TRACE] harness.harness_api: request body:", `\"identifier\":\"main\"`},
		"response bodies at trace":       {"[TRACE] harness.harness_api: response body:", "status=201"},
		"the provider's configuration":   {"configured Harness API client:", "endpoint=" + srv.URL},
		"the refused update in the logs": {"Harness API request:", "method=PUT", "status=400"},
		"the proxy's page in the logs":   {"Harness API request:", "path=/gateway/v1/orgs/default/projects/p/dbschema/main ", "status=502"},
	} {
		if !hasLineWith(string(logText), parts...) {
			t.Errorf("the trace log has no line with %s (%q): the search for the key would prove nothing", what, parts)
		}
	}
	if len(logText) < 100000 {
		t.Errorf("the trace log has only %d bytes", len(logText))
	}
	for out, want := range map[*string][]string{
		&failedRead:   {"Error: Unable to read DB schema", "502 Bad Gateway: Upstream error: GET /v1/... x-api-key: ***"},
		&failedUpdate: {"Error: Unable to update DB instance", "400 Bad Request: invalid request: the key *** may not rename instances"},
		&plan:         {"harness_dbops_db_schema.main will be created", "harness_dbops_image_config.this will be created"},
	} {
		for _, w := range want {
			if !strings.Contains(acctest.Flat(*out), w) {
				t.Errorf("the output lacks %q:\n%s", w, *out)
			}
		}
	}
	if !strings.Contains(string(state), `"harness_dbops_db_instance"`) {
		t.Error("the state holds no instance: nothing was searched")
	}

	for _, s := range searched {
		if i := strings.Index(s.text, key); i >= 0 {
			t.Errorf("the API key leaks into the %s: …%s…", s.what, s.text[max(0, i-200):min(len(s.text), i+len(key)+50)])
		}
	}
	t.Logf("FIGURES %s: searched %d outputs and %d bytes of trace log for the key", t.Name(), len(searched), len(logText))
}

// hasLineWith reports whether one line of text contains every part. A part may end with
// a space to match a whole field (key=value), wherever it is on the line.
func hasLineWith(text string, parts ...string) bool {
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n") + " "
		all := true
		for _, p := range parts {
			if !strings.Contains(line, p) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
