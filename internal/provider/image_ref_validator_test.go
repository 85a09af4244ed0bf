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

	"github.com/dbdevops/terraform-provider-harness/internal/imageref"
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
			// validator. (imageref.CheckPinned would echo the invalid bytes in its error.)
			return
		}
		err := imageref.CheckPinned(s)
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
			if err := imageref.CheckPinned(named.String()); err != nil {
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
