package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/dbdevops/terraform-provider-harness/internal/imageref"
)

// imageRefValidator runs imageref.CheckPinned at plan time.
type imageRefValidator struct{}

func (imageRefValidator) Description(context.Context) string {
	return "value must be a container image reference with a tag other than latest, or a digest, such as plugins/drone-liquibase:1.18.0-4.33"
}

func (v imageRefValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (imageRefValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := imageref.CheckPinned(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid image reference",
			fmt.Sprintf("%q cannot be used: %v.", req.ConfigValue.ValueString(), err))
	}
}
