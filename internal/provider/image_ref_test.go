package provider

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/distribution/reference"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// FuzzCheckImageRef: no input panics. An accepted value is a trimmed, normalizable
// image reference that pins a tag or a digest, and its normalized form is accepted too.
// A refused value gets a diagnostic on the attribute that quotes it, says what is wrong
// and shows the expected form, in valid UTF-8.
func FuzzCheckImageRef(f *testing.F) {
	for _, s := range []string{
		"plugins/drone-liquibase:1.18.0-4.33", "harness/drone-git:1.6.4-rootless",
		"registry.example.com:5000/a/b/c:v1", "localhost:5000/image:tag",
		"image@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"", " x:1", "x:1\n", "plugins/drone-liquibase", "plugins/X:1", "x::1", "x@sha256:abc",
		"https://registry/x:1", "<+pipeline.variables.image>", "ö/ü:1", "x:" + strings.Repeat("1", 129),
		"docker.io/library/ubuntu:22.04", "UPPER/case:1", "a/b/../c:1", "x:1\x00", "Ö:1", "x:latest", "x:Latest@" + digest,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			// Terraform strings are valid UTF-8 (cty), so nothing else reaches the
			// validator. (checkImageRef would echo the invalid bytes in its error.)
			return
		}
		err := checkImageRef(s)
		if err == nil {
			if strings.TrimSpace(s) != s {
				t.Fatalf("accepted %q with surrounding white space", s)
			}
			named, perr := reference.ParseNormalizedNamed(s)
			if perr != nil {
				t.Fatalf("accepted %q, which does not parse: %v", s, perr)
			}
			_, tagged := named.(reference.Tagged)
			_, digested := named.(reference.Digested)
			if t2, ok := named.(reference.Tagged); !tagged && !digested || ok && !digested && strings.EqualFold(t2.Tag(), "latest") {
				t.Fatalf("accepted %q, which pins nothing", s)
			}
			if err := checkImageRef(named.String()); err != nil {
				t.Fatalf("accepted %q but not its normalized form %q: %v", s, named.String(), err)
			}
			return
		}
		if !utf8.ValidString(err.Error()) || err.Error() == "" {
			t.Fatalf("error for %q is empty or not UTF-8: %q", s, err)
		}
		resp := &validator.StringResponse{}
		imageRefValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("default_tag"), ConfigValue: types.StringValue(s)}, resp)
		if resp.Diagnostics.ErrorsCount() != 1 {
			t.Fatalf("%q: %d diagnostics, want 1", s, resp.Diagnostics.ErrorsCount())
		}
		d := resp.Diagnostics.Errors()[0]
		detail := d.Detail()
		if dp, ok := d.(diag.DiagnosticWithPath); !ok || !dp.Path().Equal(path.Root("default_tag")) {
			t.Fatalf("%q: the diagnostic does not name the attribute", s)
		}
		if d.Summary() != "Invalid image reference" || !utf8.ValidString(detail) {
			t.Fatalf("%q: diagnostic %q: %q", s, d.Summary(), detail)
		}
		if want := "remove the attribute"; s != "" && !strings.Contains(detail, "tag") && !strings.Contains(detail, "white space") {
			t.Fatalf("%q: the diagnostic does not say what to do: %q", s, detail)
		} else if s == "" && !strings.Contains(detail, want) {
			t.Fatalf("empty value: the diagnostic does not say %q: %q", want, detail)
		}
	})
}

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
		if err := checkImageRef(ok); err != nil {
			t.Errorf("checkImageRef(%q) = %v, want ok", ok, err)
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
		err := checkImageRef(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkImageRef(%q) = %v, want an error containing %q", bad, err, want)
		}
	}
}
