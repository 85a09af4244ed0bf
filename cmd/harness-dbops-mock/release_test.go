package main

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// The release builds the mock for exactly the provider's platforms, from this package,
// and archives it apart from the provider's zips (which the Terraform registry reads).
func TestReleaseBuildsTheMock(t *testing.T) {
	b, err := os.ReadFile("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	type build struct {
		ID     string
		Main   string
		Goos   []string
		Goarch []string
		Ignore []map[string]string
		Binary string
	}
	var cfg struct {
		Builds   []build
		Archives []struct {
			ID           string
			IDs          []string `yaml:"ids"`
			NameTemplate string   `yaml:"name_template"`
		}
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	byID := map[string]build{}
	for _, bd := range cfg.Builds {
		byID[bd.ID] = bd
	}
	provider, mock := byID["provider"], byID["mock"]
	if mock.Main != "./cmd/harness-dbops-mock" || mock.Binary != "harness-dbops-mock" ||
		!slices.Equal(mock.Goos, provider.Goos) || !slices.Equal(mock.Goarch, provider.Goarch) || len(mock.Goos) < 4 ||
		len(mock.Ignore) != len(provider.Ignore) {
		t.Errorf("the mock's build %+v does not match the provider's %+v", mock, provider)
	}
	archives := map[string]string{}
	for _, a := range cfg.Archives {
		if len(a.IDs) != 1 {
			t.Errorf("archive %q takes builds %v, want exactly one", a.ID, a.IDs)
			continue
		}
		archives[a.IDs[0]] = a.NameTemplate
	}
	if !strings.HasPrefix(archives["provider"], "{{ .ProjectName }}_") || !strings.HasPrefix(archives["mock"], "harness-dbops-mock_") {
		t.Errorf("archives: %v", archives)
	}
}

// The container runs this binary with flags it has, listening where it says.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := string(b)
	for _, want := range []string{"./cmd/harness-dbops-mock", `ENTRYPOINT ["/harness-dbops-mock"]`, `CMD ["/harness-dbops-mock", "-probe"]`, "EXPOSE 8080"} {
		if !strings.Contains(d, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(mustRead(t, "../../go.mod"))
	if goVersion == nil || !strings.Contains(d, "FROM golang:"+goVersion[1]+" ") {
		t.Errorf("the Dockerfile's Go image is not go.mod's Go %v", goVersion)
	}
	// Every HARNESS_MOCK_ variable it sets names a flag.
	var usage strings.Builder
	_ = run(t.Context(), []string{"-help"}, noEnv, &usage, &usage)
	for _, m := range regexp.MustCompile(`HARNESS_MOCK_([A-Z_]+)=`).FindAllStringSubmatch(d, -1) {
		name := strings.ToLower(strings.ReplaceAll(m[1], "_", "-"))
		if !strings.Contains(usage.String(), "-"+name+" ") {
			t.Errorf("HARNESS_MOCK_%s names no flag (-%s)", m[1], name)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The container listens where PORT says (as its comment and the mock guide say, and as
// container platforms set it), on every interface, and its health check probes that
// port: run with the Dockerfile's environment and another PORT.
func TestDockerfilePort(t *testing.T) {
	env := dockerfileEnv(t, mustRead(t, "Dockerfile"))
	if env["PORT"] != "8080" {
		t.Errorf("the Dockerfile sets PORT=%q; want 8080, the port it exposes", env["PORT"])
	}
	env["PORT"] = "0" // a free port, standing for the one a platform picks
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ctx, cancel := context.WithCancel(t.Context())
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, lookup, &stdout, io.Discard) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the mock did not shut down cleanly: %v", err)
		}
	}()
	var started struct{ URL string }
	for deadline := time.Now().Add(10 * time.Second); json.Unmarshal([]byte(stdout.String()), &started) != nil; time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			done <- nil // for the deferred wait: this is the error to report
			t.Fatalf("the mock did not start with the Dockerfile's environment: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no JSON start line: %q", stdout.String())
		}
	}
	u, err := url.Parse(started.URL)
	if err != nil {
		t.Fatal(err)
	}
	if host := u.Hostname(); host != "::" && host != "0.0.0.0" {
		t.Errorf("the container listens on %s; want every interface, so that a published port reaches it", started.URL)
	}
	if u.Port() == "8080" {
		t.Fatalf("with PORT=0 the mock listens on %s: PORT is ignored", started.URL)
	}
	env["PORT"] = u.Port()
	if err := run(ctx, []string{"-probe"}, lookup, io.Discard, io.Discard); err != nil {
		t.Errorf("the health check with PORT=%s does not reach the mock at %s: %v", u.Port(), started.URL, err)
	}
}

// dockerfileEnv is what the Dockerfile's ENV lines set (KEY=VALUE pairs, no quoting).
func dockerfileEnv(t *testing.T, dockerfile string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, line := range strings.Split(dockerfile, "\n") {
		rest, ok := strings.CutPrefix(line, "ENV ")
		if !ok {
			continue
		}
		for _, kv := range strings.Fields(rest) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("ENV %q: write KEY=VALUE", kv)
			}
			env[k] = v
		}
	}
	return env
}
