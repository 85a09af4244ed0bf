package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

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
	for _, want := range []string{"./cmd/harness-dbops-mock", `ENTRYPOINT ["/harness-dbops-mock"]`, `CMD ["/harness-dbops-mock", "-probe"]`, "EXPOSE 8080", "HARNESS_MOCK_LISTEN=0.0.0.0:8080"} {
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
