package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// make dist follows .goreleaser.yml: the platforms it builds (at least Linux, macOS and
// Windows on amd64 and arm64, each a port of this Go), the names the Terraform registry
// expects, the flags of the hosted release; the mock for the provider's platforms.
func TestDistFollowsGoreleaser(t *testing.T) {
	c, err := loadConfig("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	builds := map[string]buildConfig{}
	for _, b := range c.Builds {
		builds[b.ID] = b
	}
	provider, mock := builds["provider"], builds["mock"]
	var platforms []string
	for _, p := range provider.platforms() {
		platforms = append(platforms, p.String())
	}
	for _, want := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"} {
		if !slices.Contains(platforms, want) {
			t.Errorf("the provider is not built for %s: %v", want, platforms)
		}
	}
	ports, err := exec.CommandContext(t.Context(), "go", "tool", "dist", "list").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range platforms {
		if !slices.Contains(strings.Fields(string(ports)), strings.Replace(p, "_", "/", 1)) {
			t.Errorf("%s is not a port of this Go (go tool dist list): ignore it in .goreleaser.yml", p)
		}
	}
	if !slices.Equal(mock.platforms(), provider.platforms()) || mock.Main != "./cmd/harness-dbops-mock" {
		t.Errorf("the mock's build %+v does not follow the provider's platforms", mock)
	}

	d := templateData{ProjectName: c.ProjectName, Version: "1.2.3", Os: "windows", Arch: "arm64"}
	for _, tt := range []struct{ what, template, want string }{
		{"the provider's binary", provider.Binary, "terraform-provider-harness_v1.2.3"},
		{"the mock's binary", mock.Binary, "harness-dbops-mock"},
		{"the provider's ldflags", strings.Join(provider.Ldflags, " "), "-s -w -X main.version=1.2.3"},
		{"the checksums", c.Checksum.NameTemplate, "terraform-provider-harness_1.2.3_SHA256SUMS"},
		{"the manifest", c.Checksum.ExtraFiles[0].NameTemplate, "terraform-provider-harness_1.2.3_manifest.json"},
	} {
		if got, err := render(tt.what, tt.template, d); err != nil || got != tt.want {
			t.Errorf("%s: %q (%v), want %q", tt.what, got, err, tt.want)
		}
	}
	archives := map[string]string{}
	for _, a := range c.Archives {
		name, err := render(a.ID, a.NameTemplate, d)
		if err != nil {
			t.Fatal(err)
		}
		archives[a.IDs[0]] = name + ".zip"
	}
	if archives["provider"] != "terraform-provider-harness_1.2.3_windows_arm64.zip" || archives["mock"] != "harness-dbops-mock_1.2.3_windows_arm64.zip" {
		t.Errorf("archive names: %v", archives)
	}
	if c.Checksum.ExtraFiles[0].Glob != "terraform-registry-manifest.json" {
		t.Errorf("the manifest comes from %q", c.Checksum.ExtraFiles[0].Glob)
	}
	for _, b := range []buildConfig{provider, mock} {
		if !slices.Contains(b.Flags, "-trimpath") || !slices.Contains(b.Env, "CGO_ENABLED=0") {
			t.Errorf("build %s: flags %v, env %v; want -trimpath and CGO_ENABLED=0", b.ID, b.Flags, b.Env)
		}
	}
}

// A setting dist does not carry out fails make dist instead of making archives unlike
// the hosted release's.
func TestDistRefusesWhatItDoesNotDo(t *testing.T) {
	orig, err := os.ReadFile("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, from, to, want string }{
		{"a build setting", "    binary: harness-dbops-mock\n", "    binary: harness-dbops-mock\n    goarm: [\"7\"]\n", "field goarm not found"},
		{"a top-level section", "changelog:\n", "nfpms: []\nchangelog:\n", "field nfpms not found"},
		{"another format", "    formats: [zip]\n", "    formats: [tar.gz]\n", "want formats [zip]"},
		{"files left to the default", "    files: *files\n", "", "list its files"},
		{"no project name", "project_name: terraform-provider-harness\n", "", "project_name is not set"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			changed := strings.Replace(string(orig), tt.from, tt.to, 1)
			if changed == string(orig) {
				t.Fatalf(".goreleaser.yml has no %q", tt.from)
			}
			path := filepath.Join(t.TempDir(), ".goreleaser.yml")
			if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := loadConfig(path); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadConfig: %v; want an error with %q", err, tt.want)
			}
		})
	}
}
