package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"
)

// installVersion is the version the install test releases: a release version, as a
// configuration without a version constraint selects no pre-release.
const installVersion = "0.0.1"

// A user's CI with the release archives: make dist's archive for this machine in a
// filesystem mirror, and its mock's archive unpacked on PATH; the example module's
// tests/mock.sh, `terraform init` (source dbdevops/harness, no dev_overrides) and
// `terraform test`, which plans and applies against that mock. The lock file's h1: hash
// is the archive's; the SHA256SUMS line is its zh: hash, which Terraform records when a
// registry serves the archive (a mirror gives h1: alone); and the provider that ran is
// the archived one (its version in the User-Agent the mock saw). Under OpenTofu (make
// test-tofu) it installs registry.opentofu.org/dbdevops/harness with tofu init.
func TestInstallFromMirror(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1 (make test does)")
	}
	tf := or(os.Getenv("TF_ACC_TERRAFORM_PATH"), "terraform")
	host := or(os.Getenv("TF_ACC_PROVIDER_HOST"), "registry.terraform.io")
	work := t.TempDir()
	t.Chdir("../..")
	repo, _ := os.Getwd()
	c, err := loadConfig(".goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	target := runtime.GOOS + "_" + runtime.GOARCH
	dist := filepath.Join(work, "dist")
	art, err := build(t.Context(), c, options{Version: installVersion, Out: dist, Platforms: []string{target}, Commit: time.Unix(1767225600, 0), Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	providerZip := fmt.Sprintf("terraform-provider-harness_%s_%s.zip", installVersion, target)
	mockZip := fmt.Sprintf("harness-dbops-mock_%s_%s.zip", installVersion, target)

	mirror := filepath.Join(work, "mirror", host, "dbdevops", "harness")
	mustCopy(t, filepath.Join(dist, providerZip), filepath.Join(mirror, providerZip))
	bin := filepath.Join(work, "bin")
	unzipTo(t, filepath.Join(dist, mockZip), bin)
	rc := filepath.Join(work, "cli.tfrc")
	writeFile(t, rc, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["%s/dbdevops/harness"]
  }
}
`, filepath.Join(work, "mirror"), host))
	module := filepath.Join(work, "module")
	if err := os.CopyFS(module, os.DirFS(filepath.Join(repo, "examples/modules/service-database"))); err != nil {
		t.Fatal(err)
	}

	cmd := exec.CommandContext(t.Context(), "bash", "-ec", `. tests/mock.sh
"$TF" init -no-color -input=false
"$TF" test -no-color
curl -fsS "$HARNESS_MOCK_URL/_mock/requests" >requests.json`)
	cmd.Dir = module
	cmd.Env = append(os.Environ(), "TF="+tf, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte(" passed, 0 failed.")) {
		t.Fatalf("%s init and test of the example module from the mirror: %v\n%s", tf, err, out)
	}

	lock := string(readFile(t, filepath.Join(module, ".terraform.lock.hcl")))
	m := regexp.MustCompile(`provider "` + regexp.QuoteMeta(host) + `/dbdevops/harness" \{\s*version\s*=\s*"([^"]+)"\s*hashes\s*=\s*\[([^\]]*)\]`).FindStringSubmatch(lock)
	if m == nil || m[1] != installVersion {
		t.Fatalf("the lock file has no %s/dbdevops/harness %s:\n%s", host, installVersion, lock)
	}
	h1, err := dirhash.HashZip(filepath.Join(dist, providerZip), dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	zh := "zh:" + mustSHA256(t, filepath.Join(dist, providerZip))
	for _, h := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(m[2], -1) {
		if strings.HasPrefix(h[1], "h1:") && h[1] != h1 || strings.HasPrefix(h[1], "zh:") && h[1] != zh {
			t.Errorf("the lock file holds %s; the archive's hashes are %s and %s", h[1], h1, zh)
		}
	}
	if !strings.Contains(m[2], `"`+h1+`"`) {
		t.Errorf("the lock file's hashes %s lack the archive's %s", m[2], h1)
	}
	if sums := string(readFile(t, filepath.Join(dist, art.Sums))); !strings.Contains(sums, strings.TrimPrefix(zh, "zh:")+"  "+providerZip+"\n") {
		t.Errorf("%s does not list %s with its sha256 %s:\n%s", art.Sums, providerZip, zh, sums)
	}

	installed := filepath.Join(module, ".terraform", "providers", host, "dbdevops", "harness", installVersion, target, "terraform-provider-harness_v"+installVersion)
	if _, err := os.Stat(installed); err != nil {
		t.Errorf("%s did not install the archived binary: %v", tf, err)
	}
	var log struct {
		Requests []struct{ Header map[string][]string }
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(module, "requests.json")), &log); err != nil || len(log.Requests) == 0 {
		t.Fatalf("the mock's requests: %v", err)
	}
	for _, r := range log.Requests {
		if ua := strings.Join(r.Header["User-Agent"], " "); ua != "terraform-provider-harness/"+installVersion {
			t.Fatalf("a request came from %q, not the archived provider %s", ua, installVersion)
		}
	}
}

func unzipTo(t *testing.T, zipPath, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		writeFileMode(t, filepath.Join(dir, f.Name), b, f.Mode().Perm())
	}
}

func mustCopy(t *testing.T, src, dst string) {
	t.Helper()
	writeFileMode(t, dst, readFile(t, src), 0o644)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	writeFileMode(t, path, []byte(content), 0o644)
}

func writeFileMode(t *testing.T, path string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustSHA256(t *testing.T, path string) string {
	t.Helper()
	sum, err := fileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}
