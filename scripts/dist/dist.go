// Command dist builds the release archives that .goreleaser.yml describes, with the Go
// toolchain alone (make dist): the provider's zips as the Terraform registry and a
// filesystem mirror read them (terraform-provider-harness_VERSION_OS_ARCH.zip holding
// terraform-provider-harness_vVERSION), the mock's zips, the SHA256SUMS file and the
// registry manifest. It reads .goreleaser.yml itself, so the two cannot drift apart: a
// setting it does not carry out is an error, not a silent difference. Signing the
// checksums is left to the hosted release (goreleaser, with the release key).
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v4"
)

// config is the part of .goreleaser.yml that shapes the artifacts. Decoding is strict:
// a key that is not here is refused, so a setting goreleaser would honour and dist
// would not cannot pass unnoticed. Sections that do not change the artifacts are
// named and left to the hosted release.
type config struct {
	Version     int             `yaml:"version"`
	ProjectName string          `yaml:"project_name"`
	Before      yaml.Node       `yaml:"before"` // go mod tidy: make lint keeps the tree tidy already
	Builds      []buildConfig   `yaml:"builds"`
	Archives    []archiveConfig `yaml:"archives"`
	Checksum    checksumConfig  `yaml:"checksum"`
	Signs       yaml.Node       `yaml:"signs"` // the hosted release signs SHA256SUMS with its key
	Release     releaseConfig   `yaml:"release"`
	Changelog   yaml.Node       `yaml:"changelog"` // release notes, not an artifact
}

type buildConfig struct {
	ID           string              `yaml:"id"`
	Main         string              `yaml:"main"`
	Env          []string            `yaml:"env"`
	ModTimestamp string              `yaml:"mod_timestamp"`
	Flags        []string            `yaml:"flags"`
	Ldflags      []string            `yaml:"ldflags"`
	Goos         []string            `yaml:"goos"`
	Goarch       []string            `yaml:"goarch"`
	Ignore       []map[string]string `yaml:"ignore"`
	Binary       string              `yaml:"binary"`
}

type archiveConfig struct {
	ID           string   `yaml:"id"`
	IDs          []string `yaml:"ids"`
	Formats      []string `yaml:"formats"`
	NameTemplate string   `yaml:"name_template"`
	Files        []string `yaml:"files"`
}

type extraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

type checksumConfig struct {
	NameTemplate string      `yaml:"name_template"`
	Algorithm    string      `yaml:"algorithm"`
	ExtraFiles   []extraFile `yaml:"extra_files"`
}

type releaseConfig struct {
	ExtraFiles []extraFile `yaml:"extra_files"`
}

// loadConfig reads .goreleaser.yml strictly and checks that dist can carry out every
// setting it holds.
func loadConfig(path string) (*config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w (make dist carries out every setting it reads: teach scripts/dist the new one, or keep it out of the artifacts' shape)", path, err)
	}
	var problems []string
	if c.ProjectName == "" {
		problems = append(problems, "project_name is not set: name the project (terraform-provider-harness), as the registry's file names start with it")
	}
	if c.Checksum.Algorithm != "sha256" {
		problems = append(problems, fmt.Sprintf("checksum.algorithm is %q: the Terraform registry reads sha256 sums", c.Checksum.Algorithm))
	}
	ids := map[string]bool{}
	for _, b := range c.Builds {
		ids[b.ID] = true
		if b.Binary == "" || len(b.Goos) == 0 || len(b.Goarch) == 0 {
			problems = append(problems, fmt.Sprintf("build %q: binary, goos and goarch must be set", b.ID))
		}
		for _, ig := range b.Ignore {
			for k := range ig {
				if k != "goos" && k != "goarch" {
					problems = append(problems, fmt.Sprintf("build %q: ignore by %q is not supported: ignore by goos and goarch", b.ID, k))
				}
			}
		}
		for _, e := range b.Env {
			if !strings.Contains(e, "=") {
				problems = append(problems, fmt.Sprintf("build %q: env %q is not KEY=VALUE", b.ID, e))
			}
		}
	}
	for _, a := range c.Archives {
		if !slices.Equal(a.Formats, []string{"zip"}) || len(a.IDs) != 1 || !ids[a.IDs[0]] {
			problems = append(problems, fmt.Sprintf("archive %q: want formats [zip] and the ids of one build, got %v and %v", a.ID, a.Formats, a.IDs))
		}
		if len(a.Files) == 0 {
			problems = append(problems, fmt.Sprintf("archive %q: list its files (goreleaser's default adds README*, LICENSE* and CHANGELOG* by glob, which dist does not guess)", a.ID))
		}
	}
	for _, x := range slices.Concat(c.Checksum.ExtraFiles, c.Release.ExtraFiles) {
		if strings.ContainsAny(x.Glob, "*?[{") {
			problems = append(problems, fmt.Sprintf("extra_files glob %q: name one file, as dist does not expand patterns", x.Glob))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s:\n%s", path, strings.Join(problems, "\n"))
	}
	return &c, nil
}

// platform is a GOOS/GOARCH pair, written os_arch as in the archive names.
type platform struct{ OS, Arch string }

func (p platform) String() string { return p.OS + "_" + p.Arch }

// platforms are the builds' goos x goarch, less what ignore excludes, in order.
func (b buildConfig) platforms() []platform {
	var out []platform
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			if !slices.ContainsFunc(b.Ignore, func(ig map[string]string) bool {
				return (ig["goos"] == "" || ig["goos"] == goos) && (ig["goarch"] == "" || ig["goarch"] == goarch)
			}) {
				out = append(out, platform{goos, goarch})
			}
		}
	}
	return out
}

// templateData is what goreleaser's name and flag templates may use here.
type templateData struct {
	ProjectName, Version, Os, Arch, CommitTimestamp string
	Env                                             map[string]string
}

func render(name, text string, data templateData) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("%s %q: %w", name, text, err)
	}
	return b.String(), nil
}

// options say what to build.
type options struct {
	Version   string    // the release version, without v
	Out       string    // the folder the artifacts go to (emptied first)
	Platforms []string  // os_arch to build; empty: every platform the config builds
	Commit    time.Time // the commit's time: binaries' and zip entries' modification time
	Log       io.Writer
}

// artifacts are the files dist wrote, by base name.
type artifacts struct {
	Dir      string
	Archives []string // zips, sorted
	Sums     string   // the SHA256SUMS file
	Extra    []string // extra files (the registry manifest)
}

// build makes every archive of the config for opts.Platforms, then the checksums and
// the extra files.
func build(ctx context.Context, c *config, opts options) (*artifacts, error) {
	if err := os.RemoveAll(opts.Out); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	data := templateData{ProjectName: c.ProjectName, Version: opts.Version, CommitTimestamp: fmt.Sprint(opts.Commit.Unix())}
	builds := map[string]buildConfig{}
	var known []string
	for _, b := range c.Builds {
		builds[b.ID] = b
		for _, p := range b.platforms() {
			known = append(known, p.String())
		}
	}
	for _, p := range opts.Platforms {
		if !slices.Contains(known, p) {
			return nil, fmt.Errorf("platform %q is not one .goreleaser.yml builds: use one of %s", p, strings.Join(slices.Compact(slices.Sorted(slices.Values(known))), ", "))
		}
	}
	out := &artifacts{Dir: opts.Out}
	tmp, err := os.MkdirTemp("", "dist-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	for _, a := range c.Archives {
		b := builds[a.IDs[0]]
		for _, p := range b.platforms() {
			if len(opts.Platforms) > 0 && !slices.Contains(opts.Platforms, p.String()) {
				continue
			}
			d := data
			d.Os, d.Arch = p.OS, p.Arch
			bin, err := goBuild(ctx, b, d, opts, filepath.Join(tmp, b.ID, p.String()))
			if err != nil {
				return nil, err
			}
			name, err := render("archives."+a.ID+".name_template", a.NameTemplate, d)
			if err != nil {
				return nil, err
			}
			if err := writeZip(filepath.Join(opts.Out, name+".zip"), bin, a.Files, opts.Commit); err != nil {
				return nil, err
			}
			out.Archives = append(out.Archives, name+".zip")
			_, _ = fmt.Fprintf(opts.Log, "dist: %s\n", name+".zip")
		}
	}
	slices.Sort(out.Archives)
	summed := slices.Clone(out.Archives)
	for _, group := range [][]extraFile{c.Checksum.ExtraFiles, c.Release.ExtraFiles} {
		for _, x := range group {
			name, err := render("extra_files.name_template", x.NameTemplate, data)
			if err != nil {
				return nil, err
			}
			if slices.Contains(out.Extra, name) {
				continue
			}
			if err := copyFile(x.Glob, filepath.Join(opts.Out, name)); err != nil {
				return nil, err
			}
			out.Extra = append(out.Extra, name)
		}
	}
	for _, x := range c.Checksum.ExtraFiles {
		name, _ := render("extra_files.name_template", x.NameTemplate, data)
		summed = append(summed, name)
	}
	slices.Sort(summed)
	if out.Sums, err = render("checksum.name_template", c.Checksum.NameTemplate, data); err != nil {
		return nil, err
	}
	var sums bytes.Buffer
	for _, name := range summed {
		sum, err := fileSHA256(filepath.Join(opts.Out, name))
		if err != nil {
			return nil, err
		}
		_, _ = fmt.Fprintf(&sums, "%s  %s\n", sum, name)
	}
	if err := os.WriteFile(filepath.Join(opts.Out, out.Sums), sums.Bytes(), 0o644); err != nil {
		return nil, err
	}
	_, _ = fmt.Fprintf(opts.Log, "dist: %s (%d files)\n", out.Sums, len(summed))
	return out, nil
}

// goBuild builds one binary as goreleaser would: its env, flags and ldflags,
// CGO as the env says, GOARM 6 for arm (goreleaser's default), the binary named by its
// template (.exe on Windows), its modification time the commit's.
func goBuild(ctx context.Context, b buildConfig, d templateData, opts options, dir string) (string, error) {
	name, err := render("builds."+b.ID+".binary", b.Binary, d)
	if err != nil {
		return "", err
	}
	if d.Os == "windows" {
		name += ".exe"
	}
	var ldflags []string
	for _, l := range b.Ldflags {
		r, err := render("builds."+b.ID+".ldflags", l, d)
		if err != nil {
			return "", err
		}
		ldflags = append(ldflags, r)
	}
	bin := filepath.Join(dir, name)
	args := append([]string{"build"}, b.Flags...)
	args = append(args, "-ldflags", strings.Join(ldflags, " "), "-o", bin, or(b.Main, "."))
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = append(os.Environ(), b.Env...)
	cmd.Env = append(cmd.Env, "GOOS="+d.Os, "GOARCH="+d.Arch, "GOFLAGS=-mod=readonly")
	if d.Arch == "arm" {
		cmd.Env = append(cmd.Env, "GOARM=6")
	}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = opts.Log, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s (%s): %w\n%s", strings.Join(args, " "), d.Os+"_"+d.Arch, err, stderr.String())
	}
	if b.ModTimestamp != "" {
		if err := os.Chtimes(bin, opts.Commit, opts.Commit); err != nil {
			return "", err
		}
	}
	return bin, nil
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// writeZip writes a zip of the binary (at the root, executable) and the listed files
// (by their path), every entry dated mtime so that the same commit gives the same bytes.
func writeZip(path, bin string, files []string, mtime time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	add := func(src, name string, mode os.FileMode) error {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mtime.UTC()}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(b)
		}
		return err
	}
	errs := []error{add(bin, filepath.Base(bin), 0o755)}
	for _, file := range files {
		errs = append(errs, add(file, filepath.ToSlash(file), 0o644))
	}
	errs = append(errs, zw.Close(), f.Close())
	return errors.Join(errs...)
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
