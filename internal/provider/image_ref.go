package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/distribution/reference"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var errEmptyImageRef = errors.New("an empty string is not an image: remove the attribute instead, and the field goes back to the Harness default")

// checkImageRef accepts a full image reference that pins a version: a tag, a digest, or
// both ("registry/repository:tag", "repository@sha256:..."). An untagged reference
// would mean "latest", which pins nothing, so it is refused.
func checkImageRef(s string) error {
	if s == "" {
		return errEmptyImageRef
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
	return nil
}

// imageRefValidator runs checkImageRef at plan time.
type imageRefValidator struct{}

func (imageRefValidator) Description(context.Context) string {
	return "value must be a container image reference with a tag or digest, such as plugins/drone-liquibase:1.18.0-4.33"
}

func (v imageRefValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (imageRefValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkImageRef(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid image reference",
			fmt.Sprintf("%q cannot be used: %v.", req.ConfigValue.ValueString(), err))
	}
}
