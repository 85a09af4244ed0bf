// Package imageref reads container image references the way the Harness DB DevOps
// execution config uses them: whether one pins a version (CheckPinned), its parts and,
// for the images Harness publishes, their versions (Parse), the same image under another
// registry (Rehost), and whether Harness's default is a newer version of a pinned image
// (NewerDefault). It knows nothing of Terraform: the provider's functions, validators and
// plan warnings call it.
package imageref

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/distribution/reference"
	"github.com/hashicorp/go-version"
)

// errEmpty is CheckPinned's error for "", which says what to do instead.
var errEmpty = errors.New("an empty string is not an image: remove the attribute instead, and the field goes back to the Harness default")

// CheckPinned accepts a full image reference that pins a version: a tag, a digest, or
// both ("registry/repository:tag", "repository@sha256:..."). An untagged reference means
// "latest", and "latest" (in any case) names whatever was pushed last: both pin nothing,
// so both are errors, not warnings, as an override exists to pin an image. A digest pins
// whatever the tag says, so "image:latest@sha256:..." is accepted.
func CheckPinned(s string) error {
	if s == "" {
		return errEmpty
	}
	if strings.TrimSpace(s) != s {
		return errors.New("it has leading or trailing white space")
	}
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return fmt.Errorf("it is not a valid image reference (%w); expected registry/repository:tag or repository@sha256:<digest>", err)
	}
	_, tagged := named.(reference.Tagged)
	_, digested := named.(reference.Digested)
	if !tagged && !digested {
		return fmt.Errorf("it has no tag or digest, so it would float on \"latest\"; pin a version such as %s:1.2.3 or a digest %s@sha256:<digest>", s, s)
	}
	if t, ok := named.(reference.Tagged); ok && !digested && strings.EqualFold(t.Tag(), "latest") {
		name := reference.FamiliarName(named)
		return fmt.Errorf("its tag %q floats: it names whatever image was pushed last, so it pins nothing; pin a version such as %s:1.2.3 or a digest %s@sha256:<digest>", t.Tag(), name, name)
	}
	return nil
}

// Parts is an image reference taken apart, for parse_image, rehost_image, the
// default images' versions and the upgrade check. Empty strings are absent parts.
type Parts struct {
	Registry   string // the registry host, "docker.io" when the reference names none
	Repository string // the path after the registry, normalized ("library/alpine" for "alpine")
	Tag        string
	Digest     string
	// Only for Harness's own images (harnessImages), read from the tag
	// ("1.18.0-4.33-mongo", "rootless-1.16.92"): the plugin's version, its Liquibase or
	// Flyway version and the variant.
	Tool           string
	HarnessVersion string
	ToolVersion    string
	Variant        string
}

// harnessImages are the last path elements of the images Harness publishes for DB
// DevOps, and the CI images every DB DevOps stage also pulls (the lite engine, the CI
// add-on, git clone), with the migration tool each runs ("" for helper images). The
// older names with the variant in the name (drone-liquibase-mongo) are matched by prefix.
var harnessImages = map[string]string{
	"drone-liquibase":      "liquibase",
	"drone-flyway":         "flyway",
	"drone-git":            "",
	"download-artifactory": "",
	"artifactory-download": "",
	"ci-addon":             "",
	"ci-lite-engine":       "",
}

// harnessTag is the tag scheme of Harness's images: the plugin's semantic version, then
// the tool's version, then the variant, each after a hyphen ("1.18.0-4.33-spanner",
// "1.2.0-11.8-spanner-psql", "1.6.4-rootless"). Any other tag (latest) has no versions.
var harnessTag = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)(?:-(\d+(?:\.\d+)*))?(?:-([a-z][a-z0-9]*(?:-[a-z0-9]+)*))?$`)

// variantFirstTag is the other tag scheme of Harness's CI images: the variant, then the
// version ("rootless-1.16.92" of harness/ci-addon and harness/ci-lite-engine, as in the
// CI docs' default config).
var variantFirstTag = regexp.MustCompile(`^([a-z][a-z0-9]*)-v?(\d+\.\d+\.\d+)$`)

// Parse takes a reference apart. It accepts what `docker pull` accepts, tagged or
// not; an error says why the reference is not one.
func Parse(ref string) (Parts, error) {
	switch {
	case ref == "":
		return Parts{}, errors.New("the image reference is empty: give one such as plugins/drone-liquibase:1.18.0-4.33")
	case strings.TrimSpace(ref) != ref:
		return Parts{}, fmt.Errorf("%q has leading or trailing white space: remove it (trimspace() does)", ref)
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return Parts{}, fmt.Errorf("%q is not an image reference (%w); expected [registry/]repository[:tag][@digest], such as plugins/drone-liquibase:1.18.0-4.33", ref, err)
	}
	p := Parts{Registry: reference.Domain(named), Repository: reference.Path(named)}
	if t, ok := named.(reference.Tagged); ok {
		p.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		p.Digest = d.Digest().String()
	}
	base := p.Repository[strings.LastIndex(p.Repository, "/")+1:]
	tool, harness := harnessImages[base]
	nameVariant := ""
	for name, t := range harnessImages {
		if t != "" && strings.HasPrefix(base, name+"-") {
			tool, harness, nameVariant = t, true, strings.TrimPrefix(base, name+"-")
		}
	}
	if !harness {
		return p, nil
	}
	p.Tool, p.Variant = tool, nameVariant
	if m := harnessTag.FindStringSubmatch(p.Tag); m != nil {
		p.HarnessVersion, p.ToolVersion = m[1], m[2]
		if m[3] != "" {
			p.Variant = m[3]
		}
		if tool == "" && p.ToolVersion != "" { // a helper image has no tool: "1.6.4-2" is no tool version
			p.ToolVersion = ""
		}
	} else if m := variantFirstTag.FindStringSubmatch(p.Tag); m != nil {
		p.Variant, p.HarnessVersion = m[1], m[2]
	}
	return p, nil
}

// Rehost returns ref under registry: the registry prefix, then ref's repository
// path (normalized: docker.io's official images keep "library/"), then its tag and
// digest unchanged. registry is a host with an optional port and path prefix
// ("registry.example.com/mirror"). A reference already under registry is returned as is,
// so rehosting is idempotent. An error in one argument is an ArgError.
func Rehost(ref, registry string) (string, error) {
	p, err := Parse(ref)
	if err != nil {
		return "", ArgError{0, err}
	}
	prefix, err := checkRegistry(registry)
	if err != nil {
		return "", ArgError{1, err}
	}
	if strings.HasPrefix(p.Registry+"/"+p.Repository, prefix+"/") {
		return ref, nil
	}
	out := prefix + "/" + p.Repository
	if p.Tag != "" {
		out += ":" + p.Tag
	}
	if p.Digest != "" {
		out += "@" + p.Digest
	}
	if _, err := reference.ParseNamed(out); err != nil {
		return "", fmt.Errorf("%q under %q gives %q, which is not a valid image reference (%w): use a shorter registry prefix", ref, registry, out, err)
	}
	return out, nil
}

// ArgError is an error in one argument (Arg, 0-based) of a function such as Rehost, so
// that a caller's error can name the argument.
type ArgError struct {
	Arg int64
	Err error
}

func (e ArgError) Error() string { return e.Err.Error() }

func (e ArgError) Unwrap() error { return e.Err }

// checkRegistry accepts a registry host with an optional port and path prefix and
// returns it without a trailing slash.
func checkRegistry(registry string) (string, error) {
	r := strings.TrimSuffix(registry, "/")
	example := "such as registry.example.com or registry.example.com:5000/mirror"
	if strings.Contains(r, "://") {
		return "", fmt.Errorf("%q has a scheme: give the registry without it, %s", registry, example)
	}
	host, prefix, _ := strings.Cut(r, "/")
	if strings.ContainsAny(prefix, ":@") {
		return "", fmt.Errorf("%q has a tag or digest: give the registry and path prefix only, %s", registry, example)
	}
	named, err := reference.ParseNormalizedNamed(r + "/x")
	if err != nil {
		return "", fmt.Errorf("%q is not a registry host and path prefix, %s", registry, example)
	}
	if reference.Domain(named) != host {
		return "", fmt.Errorf("%q does not start with a registry host (a name with a dot or a port, or localhost), %s", registry, example)
	}
	return r, nil
}

// NewerDefault reports whether def, Harness's default for a field, is a newer version
// of the image pinned: the same Harness image (same repository path after the
// registry, so a mirror's copy matches; same tool and variant), with a higher plugin
// version, or the same plugin version and a higher tool version. Anything it cannot
// compare (a digest-only pin, another image, a tag such as latest) is not newer.
func NewerDefault(pinned, def string) bool {
	p, perr := Parse(pinned)
	d, derr := Parse(def)
	if perr != nil || derr != nil || p.HarnessVersion == "" || d.HarnessVersion == "" ||
		p.Tool != d.Tool || p.Variant != d.Variant ||
		(p.Repository != d.Repository && !strings.HasSuffix(p.Repository, "/"+d.Repository)) {
		return false
	}
	if c := compareVersions(d.HarnessVersion, p.HarnessVersion); c != 0 {
		return c > 0
	}
	return d.ToolVersion != "" && p.ToolVersion != "" && compareVersions(d.ToolVersion, p.ToolVersion) > 0
}

// compareVersions compares two versions as semantic versions (any number of dotted
// numbers); -1, 0 or 1. A version that does not parse compares equal.
func compareVersions(a, b string) int {
	va, errA := version.NewVersion(a)
	vb, errB := version.NewVersion(b)
	if errA != nil || errB != nil {
		return 0
	}
	return va.Compare(vb)
}
