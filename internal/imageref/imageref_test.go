package imageref

import (
	"strings"
	"testing"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestCheckImageRef(t *testing.T) {
	for _, ok := range []string{
		"plugins/drone-liquibase:1.18.0-4.33",
		"harness/drone-git:1.6.4-rootless",
		"registry.example.com/mirror/drone-liquibase:1.18.0-4.33",
		"registry.example.com:5000/a/b/c:v1",
		"localhost:5000/image:tag",
		"image@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"registry.example.com/x:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		// The digest pins it, whatever the tag says.
		"plugins/drone-liquibase:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"plugins/drone-liquibase:latest-4.33", // a tag that only starts with latest
	} {
		if err := CheckPinned(ok); err != nil {
			t.Errorf("CheckPinned(%q) = %v, want ok", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"":                               "remove the attribute",
		"plugins/drone-liquibase":        "no tag or digest",
		"registry.example.com/x":         "no tag or digest",
		"plugins/drone-liquibase:latest": `its tag "latest" floats: it names whatever image was pushed last, so it pins nothing; pin a version such as plugins/drone-liquibase:1.2.3`,
		"registry.example.com/x:LATEST":  `its tag "LATEST" floats`,
		"plugins/X:1":                    "must be lowercase",
		"x:1 ":                           "white space",
		"x::1":                           "not a valid image reference",
		"x@sha256:abc":                   "not a valid image reference",
		"https://registry/x:1":           "not a valid image reference",
		"plugins/drone-liquibase:":       "not a valid image reference",
		"<+pipeline.variables.image>":    "not a valid image reference",
	} {
		err := CheckPinned(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPinned(%q) = %v, want an error containing %q", bad, err, want)
		}
	}
}

func TestParseImage(t *testing.T) {
	for ref, want := range map[string]Parts{
		"plugins/drone-liquibase:1.18.0-4.33": {Registry: "docker.io", Repository: "plugins/drone-liquibase", Tag: "1.18.0-4.33",
			Tool: "liquibase", HarnessVersion: "1.18.0", ToolVersion: "4.33"},
		"registry.example.com:5000/mirror/plugins/drone-liquibase:1.18.0-4.33-mongo@" + digest: {Registry: "registry.example.com:5000",
			Repository: "mirror/plugins/drone-liquibase", Tag: "1.18.0-4.33-mongo", Digest: digest,
			Tool: "liquibase", HarnessVersion: "1.18.0", ToolVersion: "4.33", Variant: "mongo"},
		"plugins/drone-flyway:1.2.0-11.8-spanner-psql": {Registry: "docker.io", Repository: "plugins/drone-flyway", Tag: "1.2.0-11.8-spanner-psql",
			Tool: "flyway", HarnessVersion: "1.2.0", ToolVersion: "11.8", Variant: "spanner-psql"},
		"harness/drone-git:1.6.4-rootless": {Registry: "docker.io", Repository: "harness/drone-git", Tag: "1.6.4-rootless",
			HarnessVersion: "1.6.4", Variant: "rootless"},
		"plugins/download-artifactory:1.0.0": {Registry: "docker.io", Repository: "plugins/download-artifactory", Tag: "1.0.0", HarnessVersion: "1.0.0"},
		// The older naming, with the variant in the name: with a floating tag, and with a
		// versioned one, whose tag has no variant of its own.
		"plugins/drone-liquibase-mongo:latest": {Registry: "docker.io", Repository: "plugins/drone-liquibase-mongo", Tag: "latest",
			Tool: "liquibase", Variant: "mongo"},
		"plugins/drone-liquibase-mongo:1.1.0-4.27": {Registry: "docker.io", Repository: "plugins/drone-liquibase-mongo", Tag: "1.1.0-4.27",
			Tool: "liquibase", HarnessVersion: "1.1.0", ToolVersion: "4.27", Variant: "mongo"},
		// The CI images a DB DevOps stage pulls: the lite engine and the add-on, their
		// rootless variants with the variant first in the tag.
		"harness/ci-addon:1.16.92": {Registry: "docker.io", Repository: "harness/ci-addon", Tag: "1.16.92", HarnessVersion: "1.16.92"},
		"harness/ci-lite-engine:rootless-1.16.92": {Registry: "docker.io", Repository: "harness/ci-lite-engine", Tag: "rootless-1.16.92",
			HarnessVersion: "1.16.92", Variant: "rootless"},
		"registry.example.com/mirror/harness/ci-addon:rootless-1.17.0": {Registry: "registry.example.com", Repository: "mirror/harness/ci-addon",
			Tag: "rootless-1.17.0", HarnessVersion: "1.17.0", Variant: "rootless"},
		"harness/drone-git:1.6.9-rootless": {Registry: "docker.io", Repository: "harness/drone-git", Tag: "1.6.9-rootless", HarnessVersion: "1.6.9", Variant: "rootless"},
		// Only Harness's images read a variant-first tag: another image's has no version.
		"example/app:rootless-1.16.92": {Registry: "docker.io", Repository: "example/app", Tag: "rootless-1.16.92"},
		"harness/ci-addon:latest":      {Registry: "docker.io", Repository: "harness/ci-addon", Tag: "latest"},
		// A helper image has no tool, so a number after its version is no tool version.
		"harness/drone-git:1.6.4-2": {Registry: "docker.io", Repository: "harness/drone-git", Tag: "1.6.4-2", HarnessVersion: "1.6.4"},
		// Not Harness's images: no versions, whatever the tag.
		"alpine:3.20.1":           {Registry: "docker.io", Repository: "library/alpine", Tag: "3.20.1"},
		"example/liquibase:4.33":  {Registry: "docker.io", Repository: "example/liquibase", Tag: "4.33"},
		"localhost/app@" + digest: {Registry: "localhost", Repository: "app", Digest: digest},
	} {
		got, err := Parse(ref)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", ref, got, err, want)
		}
	}
	for _, bad := range []string{"", " x:1", "plugins/Drone:1", "x::1", "https://r/x:1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted it", bad)
		}
	}
}

func TestRehostImage(t *testing.T) {
	for _, tt := range []struct{ ref, registry, want string }{
		{"plugins/drone-liquibase:1.18.0-4.33", "registry.example.com/mirror", "registry.example.com/mirror/plugins/drone-liquibase:1.18.0-4.33"},
		{"plugins/drone-liquibase:1.18.0-4.33", "registry.example.com/", "registry.example.com/plugins/drone-liquibase:1.18.0-4.33"},
		{"docker.io/harness/drone-git:1.6.4-rootless@" + digest, "localhost:5000", "localhost:5000/harness/drone-git:1.6.4-rootless@" + digest},
		{"alpine:3", "registry.example.com/hub", "registry.example.com/hub/library/alpine:3"},
		// The CI images keep their path and tag, the rootless one's too.
		{"harness/ci-lite-engine:rootless-1.16.92", "registry.example.com/mirror", "registry.example.com/mirror/harness/ci-lite-engine:rootless-1.16.92"},
		{"harness/ci-addon:1.16.92", "localhost:5000", "localhost:5000/harness/ci-addon:1.16.92"},
		{"other.example.com/team/app@" + digest, "registry.example.com", "registry.example.com/team/app@" + digest},
		// Already there: unchanged, so rehosting twice is rehosting once.
		{"registry.example.com/mirror/plugins/drone-flyway:1.2.0-11.8", "registry.example.com/mirror", "registry.example.com/mirror/plugins/drone-flyway:1.2.0-11.8"},
	} {
		got, err := Rehost(tt.ref, tt.registry)
		if err != nil || got != tt.want {
			t.Errorf("Rehost(%q, %q) = %q, %v; want %q", tt.ref, tt.registry, got, err, tt.want)
		}
	}
	for registry, problem := range map[string]string{
		"https://registry.example.com": "has a scheme",
		"mirror":                       "does not start with a registry host",
		"mirror/team":                  "does not start with a registry host",
		"registry.example.com/m:1":     "has a tag or digest",
		"registry.example.com/UPPER":   "is not a registry host",
		"":                             "is not a registry host",
	} {
		if _, err := Rehost("plugins/drone-git:1", registry); err == nil || !strings.Contains(err.Error(), problem) {
			t.Errorf("Rehost(_, %q) = %v; want an error that %s", registry, err, problem)
		}
	}
}

// FuzzRehostImage: rehosting any valid reference under a valid registry gives a valid
// reference under that registry, with the same repository path, tag and digest, and
// rehosting it again changes nothing.
func FuzzRehostImage(f *testing.F) {
	for _, s := range []string{"plugins/drone-liquibase:1.18.0-4.33", "alpine", "a.b/c/d:e@" + digest, "localhost/x",
		"harness/ci-lite-engine:rootless-1.16.92", "harness/ci-addon:1.16.92", "harness/drone-git:1.6.9-rootless"} {
		f.Add(s, "registry.example.com/mirror")
		f.Add(s, "localhost:5000")
	}
	f.Fuzz(func(t *testing.T, ref, registry string) {
		in, err := Parse(ref)
		if err != nil || func() bool { _, err := checkRegistry(registry); return err != nil }() {
			return
		}
		out, err := Rehost(ref, registry)
		if err != nil {
			return // too long for a reference: refused with a reason
		}
		if again, err := Rehost(out, registry); err != nil || again != out {
			t.Fatalf("rehosting %q again gave %q, %v", out, again, err)
		}
		got, err := Parse(out)
		prefix := strings.TrimSuffix(registry, "/")
		if err != nil || !strings.HasPrefix(out, prefix+"/") || got.Tag != in.Tag || got.Digest != in.Digest ||
			!strings.HasSuffix(got.Registry+"/"+got.Repository, "/"+in.Repository) {
			t.Fatalf("Rehost(%q, %q) = %q (%+v, %v)", ref, registry, out, got, err)
		}
	})
}

func TestNewerDefault(t *testing.T) {
	for _, tt := range []struct {
		pinned, def string
		newer       bool
	}{
		{"plugins/drone-liquibase:1.17.0-4.33", "plugins/drone-liquibase:1.18.0-4.33", true},
		{"registry.example.com/mirror/plugins/drone-liquibase:1.17.0-4.33-mongo", "plugins/drone-liquibase:1.18.0-4.33-mongo", true},
		{"plugins/drone-liquibase:1.18.0-4.31", "plugins/drone-liquibase:1.18.0-4.33", true},        // the tool version counts
		{"plugins/drone-liquibase:1.9.0-4.33", "plugins/drone-liquibase:1.10.0-4.33", true},         // as versions, not text
		{"plugins/drone-liquibase:1.18.0-4.33", "plugins/drone-liquibase:1.18.0-4.33", false},       // the same
		{"plugins/drone-liquibase:1.19.0-4.33", "plugins/drone-liquibase:1.18.0-4.33", false},       // newer than the default
		{"plugins/drone-liquibase:1.17.0-4.33", "plugins/drone-liquibase:1.18.0-4.33-mongo", false}, // another variant
		{"plugins/drone-flyway:1.1.0-11.8", "plugins/drone-liquibase:1.18.0-4.33", false},           // another image
		{"registry.example.com/team-drone-liquibase:1.0.0-4.0", "plugins/drone-liquibase:1.18.0-4.33", false},
		{"plugins/drone-liquibase@" + digest, "plugins/drone-liquibase:1.18.0-4.33", false}, // a digest has no version
		{"plugins/drone-liquibase:latest", "plugins/drone-liquibase:1.18.0-4.33", false},
		{"harness/drone-git:1.6.3-rootless", "harness/drone-git:1.6.4-rootless", true},
		// The CI images: the lite engine and the add-on, rootless or not, compared by version.
		{"harness/ci-addon:1.16.92", "harness/ci-addon:1.17.0", true},
		{"registry.example.com/mirror/harness/ci-lite-engine:1.16.92", "harness/ci-lite-engine:1.17.0", true},
		{"harness/ci-lite-engine:rootless-1.16.92", "harness/ci-lite-engine:rootless-1.17.0", true},
		{"harness/ci-lite-engine:rootless-1.9.0", "harness/ci-lite-engine:rootless-1.10.0", true}, // as versions, not text
		{"harness/ci-addon:rootless-1.17.0", "harness/ci-addon:rootless-1.16.92", false},          // newer than the default
		{"harness/ci-addon:rootless-1.16.92", "harness/ci-addon:1.17.0", false},                   // another variant: another field's image
		{"harness/ci-addon:1.16.92", "harness/ci-lite-engine:1.17.0", false},                      // another image
		// One-sided comparisons: each holds one way only.
		{"plugins/drone-liquibase:1.18.0-4.34", "plugins/drone-liquibase:1.18.0-4.33", false},             // the pin's tool version is newer
		{"plugins/drone-liquibase:1.17.0-4.40", "plugins/drone-liquibase:1.18.0-4.33", true},              // the plugin version decides first
		{"plugins/drone-liquibase:1.19.0-4.20", "plugins/drone-liquibase:1.18.0-4.33", false},             // even when the pin's tool is older
		{"plugins/drone-liquibase:1.17.0-4.33-mongo", "plugins/drone-liquibase:1.18.0-4.33", false},       // the pin has a variant, the default none
		{"mirror/xplugins/drone-liquibase:1.17.0-4.33", "plugins/drone-liquibase:1.18.0-4.33", false},     // a path that ends with it, but not at a "/"
		{"plugins/drone-liquibase:1.18.0-4.33", "mirror/plugins/drone-liquibase:1.19.0-4.33", false},      // the default's path is longer, not the pin's
		{"plugins/drone-liquibase-mongo:1.17.0-4.33", "plugins/drone-liquibase:1.18.0-4.33-mongo", false}, // the older naming is another image
	} {
		if got := NewerDefault(tt.pinned, tt.def); got != tt.newer {
			t.Errorf("NewerDefault(%q, %q) = %v, want %v", tt.pinned, tt.def, got, tt.newer)
		}
	}
}
