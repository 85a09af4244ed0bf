package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// TestMain reports how many exchanges this package's tests validated against the API
// contract (make test adds them up). With runMainEnv set, the test binary is the mock
// itself (startMain), so that a test can run main in a process of its own.
func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Args = append([]string{os.Args[0]}, strings.Fields(os.Getenv(runMainEnv+"_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(contract.RunWithStats(m))
}

const runMainEnv = "HARNESS_MOCK_TEST_RUN_MAIN"

// noEnv is an empty environment.
func noEnv(string) (string, bool) { return "", false }

// lockedBuffer collects run's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listening = regexp.MustCompile(`^harness-dbops-mock listening on (http://127\.0\.0\.1:[1-9][0-9]*) \(account acct_1\)\n$`)

// start runs the mock on port 0 and returns its base URL and a stop function that
// cancels the context and returns run's error.
func start(t *testing.T, args ...string) (string, *lockedBuffer, func() error) {
	t.Helper()
	return startEnv(t, noEnv, args...)
}

// startEnv is start with the environment lookupEnv.
func startEnv(t *testing.T, lookupEnv func(string) (string, bool), args ...string) (string, *lockedBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-account", "acct_1", "-api-key", "key_1"}, args...), lookupEnv, &stdout, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var jsonLine struct{ URL string }
		m := listening.FindStringSubmatch(stdout.String())
		if m == nil && json.Unmarshal([]byte(stdout.String()), &jsonLine) == nil && jsonLine.URL != "" {
			m = []string{"", jsonLine.URL}
		}
		if m != nil {
			return m[1], &stderr, func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(10 * time.Second):
					t.Fatal("run did not return after cancel")
					return nil
				}
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("run returned early: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no listening line; stdout: %q", stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startMain is start with main in a process of its own (this test binary, TestMain),
// with $CONTRACT_STATS_FILE set to stats; stop sends SIGTERM and waits for the exit.
func startMain(t *testing.T, stats string, args ...string) (string, *lockedBuffer, func() error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), exe)
	args = append([]string{"-listen", "127.0.0.1:0", "-account", "acct_1", "-api-key", "key_1"}, args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", runMainEnv+"_ARGS="+strings.Join(args, " "), contract.StatsFileEnv+"="+stats)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	m := listening.FindStringSubmatch(line)
	if m == nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("no listening line (%v): %q\nstderr: %s", err, line, stderr.String())
	}
	return m[1], &stderr, func() error {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return err
		}
		return cmd.Wait()
	}
}

func get(t *testing.T, url string, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

func TestRun(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	url, stderr, stop := start(t, "-state-file", stateFile)
	auth := map[string]string{"x-api-key": "key_1", "Harness-Account": "acct_1"}

	status, body := get(t, url+"/gateway/v1/dbops/execution-config/get-default-config", auth)
	var cfg map[string]string
	if err := json.Unmarshal(body, &cfg); status != 200 || err != nil || !maps.Equal(cfg, mockserver.DefaultImages()) {
		t.Fatalf("default config: %d %s (%v)", status, body, err)
	}
	status, body = get(t, url+"/gateway/v1/dbops/execution-config/get-default-config", nil)
	if status != 401 || !strings.Contains(string(body), "x-api-key") {
		t.Fatalf("without a key: %d %s", status, body)
	}
	// Change the state through a hook so the saved file has something in it.
	req, _ := http.NewRequestWithContext(t.Context(), "PUT", url+"/_mock/execution-config/overrides/gitCloneTag", strings.NewReader(`{"value":"harness/drone-git:1.7.0"}`))
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("hook: %v %v", res, err)
	}
	_ = res.Body.Close()

	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if n := strings.Count(stderr.String(), "/v1/dbops/execution-config/get-default-config"); n != 2 {
		t.Errorf("want one log line per request on stderr, got:\n%s", stderr.String())
	}
	b, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatalf("state file not written: %v", err)
	}
	var st mockserver.State
	if err := json.Unmarshal(b, &st); err != nil || st.Overrides["gitCloneTag"] != "harness/drone-git:1.7.0" {
		t.Fatalf("state file: %v %s", err, b)
	}

	// A second run loads the file.
	url, _, stop = start(t, "-state-file", stateFile)
	_, body = get(t, url+"/v1/dbops/execution-config/get-customer-config", auth)
	if string(body) != `{"gitCloneTag":"harness/drone-git:1.7.0"}` {
		t.Fatalf("state not loaded: %s", body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// With -validate, an exchange outside the API contract shows in the request log and in
// GET /_mock/violations, and the mock adds its counts to $CONTRACT_STATS_FILE when it
// stops (make test's contract line); without it nothing is checked. The contract is
// served. The mock runs as its own process, so that the violation it is shown on
// purpose counts there, not in this test process.
func TestRunValidate(t *testing.T) {
	auth := map[string]string{"x-api-key": "key_1", "Harness-Account": "acct_1"}
	stats := filepath.Join(t.TempDir(), "contract-stats")
	url, stderr, stop := startMain(t, stats, "-validate")
	if status, _ := get(t, url+"/gateway/v1/dbops/execution-config/get-customer-config?overridesOnly=true", auth); status != 200 {
		t.Fatalf("a good request: %d", status)
	}
	if status, _ := get(t, url+"/gateway/v1/dbops/execution-config/get-customer-config?overridesOnly=maybe", auth); status != 400 {
		t.Fatalf("a bad request: %d", status)
	}
	_, body := get(t, url+"/_mock/violations", nil)
	var got struct {
		Violations []string `json:"violations"`
		Checked    bool     `json:"checked"`
	}
	if err := json.Unmarshal(body, &got); err != nil || !got.Checked || len(got.Violations) != 1 ||
		!strings.Contains(got.Violations[0], "GET /v1/dbops/execution-config/get-customer-config: request: query overridesOnly") {
		t.Fatalf("/_mock/violations = %s (%v)", body, err)
	}
	status, yaml := get(t, url+"/_mock/contract", nil)
	if status != 200 || !strings.HasPrefix(string(yaml), string(contract.Document()[:40])) {
		t.Fatalf("/_mock/contract: %d %.80s", status, yaml)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "contract: GET /v1/dbops/execution-config/get-customer-config: request: query overridesOnly") {
		t.Errorf("the request log does not show the violation:\n%s", stderr.String())
	}
	// Two requests and their two answers checked, one violation (the hooks are not API).
	if b, err := os.ReadFile(stats); err != nil || string(b) != "2 2 1\n" {
		t.Errorf("%s = %q (%v), want \"2 2 1\\n\"", stats, b, err)
	}

	url, _, stop = start(t)
	get(t, url+"/gateway/v1/dbops/execution-config/get-customer-config?overridesOnly=maybe", auth)
	if _, body := get(t, url+"/_mock/violations", nil); string(body) != `{"checked":false,"violations":[]}` {
		t.Fatalf("without -validate: %s", body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestRunFlags(t *testing.T) {
	var out lockedBuffer
	if err := run(t.Context(), []string{"-help"}, noEnv, &out, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: %v", err)
	}
	for _, want := range []string{"-listen", "-account", "-api-key", "-state-file", "-validate", `"dbops_demo"`, `"pat.dbops_demo.mock-key"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-help output lacks %s:\n%s", want, out.String())
		}
	}
	var usage usageError
	if err := run(t.Context(), []string{"-bogus"}, noEnv, io.Discard, io.Discard); !errors.As(err, &usage) {
		t.Errorf("unknown flag: %v", err)
	}
	if err := run(t.Context(), []string{"extra"}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("positional arguments must be refused")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte("{nope"), 0o600)
	if err := run(t.Context(), []string{"-listen", "127.0.0.1:0", "-state-file", bad}, noEnv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "load mock state") {
		t.Errorf("a corrupt state file must stop the start: %v", err)
	}
	if err := run(t.Context(), []string{"-listen", "256.0.0.1:99999"}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("a bad listen address must fail")
	}
}

// -seed starts from a scenario file; a bad one stops the start with each problem and its
// line; -seed and -state-file together are refused.
func TestRunSeed(t *testing.T) {
	seed := "../../internal/mockserver/testdata/seed.yaml"
	url, _, stop := start(t, "-seed", seed)
	status, body := get(t, url+"/_mock/ready", nil)
	if status != 200 || string(body) != `{"account":"acct_1","ready":true}` {
		t.Errorf("ready: %d %s", status, body)
	}
	if err := run(t.Context(), []string{"-probe", "-listen", strings.TrimPrefix(url, "http://")}, noEnv, io.Discard, io.Discard); err != nil {
		t.Errorf("-probe of a ready mock: %v", err)
	}
	_, body = get(t, url+"/v1/orgs/default/projects/payments/dbschema/ledger", map[string]string{"x-api-key": "key_1"})
	var sc mockserver.Schema
	if err := json.Unmarshal(body, &sc); err != nil || sc.InstanceCount != 2 || sc.Tags["team"] != "payments" {
		t.Errorf("seeded schema: %s", body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	_ = os.WriteFile(bad, []byte("schemas:\n  - org: default\n    project: p\n    schema: {identifier: s, name: S, type: Repo}\n"), 0o600)
	err := run(t.Context(), []string{"-listen", "127.0.0.1:0", "-seed", bad}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `line 4: schemas[0].schema: type "Repo" is invalid: use Repository or Script`) {
		t.Errorf("a bad seed: %v", err)
	}
	if err := run(t.Context(), []string{"-probe", "-listen", strings.TrimPrefix(url, "http://")}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("-probe of a stopped mock succeeded")
	}
	err = run(t.Context(), []string{"-seed", seed, "-state-file", bad}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "use one") {
		t.Errorf("-seed with -state-file: %v", err)
	}
}

// -put-mode sets how a PUT treats a key it leaves out; the seed may say it too, and the
// two must agree.
func TestRunPutMode(t *testing.T) {
	seed := "../../internal/mockserver/testdata/seed.yaml" // putMode: replace
	for _, tt := range []struct {
		args []string
		want string // the mode GET /_mock/state shows, or the error
	}{
		{nil, "merge"},
		{[]string{"-put-mode", "replace"}, "replace"},
		{[]string{"-seed", seed}, "replace"},
		{[]string{"-seed", seed, "-put-mode", "replace"}, "replace"},
		{[]string{"-seed", seed, "-put-mode", "merge"}, "-put-mode merge, but the state in " + seed + " says putMode: replace: drop one of the two"},
		{[]string{"-put-mode", "patch"}, `-put-mode "patch": use merge or replace`},
	} {
		if strings.HasPrefix(tt.want, "-") {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second) // a mock that starts stops soon
			err := run(ctx, append([]string{"-listen", "127.0.0.1:0"}, tt.args...), noEnv, io.Discard, io.Discard)
			cancel()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: %v, want an error saying %q", tt.args, err, tt.want)
			}
			continue
		}
		url, _, stop := start(t, tt.args...)
		_, body := get(t, url+"/_mock/state", nil)
		var st mockserver.State
		if err := json.Unmarshal(body, &st); err != nil || st.PutMode != tt.want {
			t.Errorf("%v: putMode %q (%v), want %q", tt.args, st.PutMode, err, tt.want)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}

// Flags come from HARNESS_MOCK_<FLAG> too, the command line winning; PORT means :PORT
// unless HARNESS_MOCK_LISTEN says otherwise.
func TestEnvDefaults(t *testing.T) {
	for _, tt := range []struct {
		env          map[string]string
		args         []string
		listen, logs string
	}{
		{env: map[string]string{}, listen: "127.0.0.1:8080", logs: "text"},
		{env: map[string]string{"PORT": "9000"}, listen: ":9000", logs: "text"},
		{env: map[string]string{"PORT": "9000", "HARNESS_MOCK_LISTEN": "0.0.0.0:8081"}, listen: "0.0.0.0:8081", logs: "text"},
		{env: map[string]string{"PORT": "9000", "HARNESS_MOCK_LOG_FORMAT": "json"}, args: []string{"-listen", "127.0.0.1:1"}, listen: "127.0.0.1:1", logs: "json"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		listen := fs.String("listen", "127.0.0.1:8080", "")
		logs := fs.String("log-format", "text", "")
		lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
		if err := envDefaults(fs, lookup); err != nil {
			t.Fatal(err)
		}
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		if *listen != tt.listen || *logs != tt.logs {
			t.Errorf("env %v, args %v: listen %q, log-format %q; want %q, %q", tt.env, tt.args, *listen, *logs, tt.listen, tt.logs)
		}
	}
}

// -latency, or HARNESS_MOCK_LATENCY, sets what every API request waits (GET
// /_mock/latency shows it), the command line winning; a negative one is refused.
func TestRunLatency(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, nil, `{"latency":"0s"}`},
		{nil, []string{"-latency", "150ms"}, `{"latency":"150ms"}`},
		{map[string]string{"HARNESS_MOCK_LATENCY": "250ms"}, nil, `{"latency":"250ms"}`},
		{map[string]string{"HARNESS_MOCK_LATENCY": "250ms"}, []string{"-latency", "0s"}, `{"latency":"0s"}`},
	} {
		url, _, stop := startEnv(t, func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }, tt.args...)
		if _, body := get(t, url+"/_mock/latency", nil); string(body) != tt.want {
			t.Errorf("env %v, args %v: GET /_mock/latency = %s, want %s", tt.env, tt.args, body, tt.want)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
	err := run(t.Context(), []string{"-listen", "127.0.0.1:0", "-latency", "-1s"}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-latency -1s is negative") {
		t.Errorf("a negative latency: %v", err)
	}
}

// -log-format json: the start line and each request as one JSON object.
func TestRunJSONLogs(t *testing.T) {
	url, stderr, stop := start(t, "-log-format", "json")
	get(t, url+"/v1/dbops/execution-config/get-default-config", map[string]string{"x-api-key": "key_1"})
	get(t, url+"/_mock/ready", nil)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	type logLine struct {
		Method, Path string
		Status       int
		DurationMS   *float64 `json:"duration_ms"`
		Hook         bool
	}
	var lines []logLine
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var e logLine
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		lines = append(lines, e)
	}
	if len(lines) != 2 || lines[0].Path != "/v1/dbops/execution-config/get-default-config" || lines[0].Status != 200 ||
		lines[0].DurationMS == nil || lines[0].Hook || !lines[1].Hook {
		t.Errorf("request log: %+v\n%s", lines, stderr.String())
	}
}
