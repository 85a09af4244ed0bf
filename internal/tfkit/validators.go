package tfkit

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Reserved rejects values the API reserves, saying why (Reason).
type Reserved struct {
	Values []string
	Reason string
}

var _ validator.String = Reserved{}

func (v Reserved) Description(context.Context) string {
	return fmt.Sprintf("value must not be %s: %s", quoteJoin(v.Values), v.Reason)
}

func (v Reserved) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v Reserved) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); slices.Contains(v.Values, s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Reserved identifier",
			fmt.Sprintf("%q cannot be used as %s: %s. Choose another identifier.", s, req.Path, v.Reason))
	}
}

func quoteJoin(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " or ")
}

// HTTPURL accepts an absolute http(s) URL; its description shows Example.
type HTTPURL struct {
	Example string
}

func (v HTTPURL) Description(context.Context) string {
	return "value must be an http(s) URL such as " + v.Example
}

func (v HTTPURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v HTTPURL) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !IsHTTPURL(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%q is not an http(s) URL; %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// Duration accepts a positive Go duration such as "30s".
type Duration struct{}

func (Duration) Description(context.Context) string {
	return "value must be a positive duration such as 30s, 1m30s or 2m"
}

func (v Duration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v Duration) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not usable: %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// NotNegative accepts 0 or more; its message prints the numbers as the user wrote them
// (float64validator.AtLeast prints "0.000000").
type NotNegative struct{}

func (NotNegative) Description(context.Context) string { return "value must be 0 or more" }

func (v NotNegative) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (NotNegative) ValidateFloat64(_ context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueFloat64() >= 0 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("%s must be 0 (no limit) or more, got %s.", req.Path, strconv.FormatFloat(req.ConfigValue.ValueFloat64(), 'g', -1, 64)))
}

// AtMostOneOf is resourcevalidator.Conflicting for root attributes, with the same
// diagnostic, but reading the few attributes it names instead of matching path
// expressions against the whole configuration: Conflicting's matching was 40% of a DB
// instance's validation, 5% of a plan's provider CPU at 1000 instances (BENCHMARKS.md).
type AtMostOneOf []string

func (v AtMostOneOf) Description(context.Context) string {
	return "These attributes cannot be configured together: [" + strings.Join(v, ",") + "]"
}

func (v AtMostOneOf) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v AtMostOneOf) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var set []path.Path
	for _, name := range v {
		var value attr.Value
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), &value)...)
		if value != nil && !value.IsNull() && !value.IsUnknown() {
			set = append(set, path.Root(name))
		}
	}
	if len(set) > 1 {
		resp.Diagnostics.AddAttributeError(set[0], "Invalid Attribute Combination", v.Description(ctx))
	}
}

// IsHTTPURL reports whether s is an absolute http(s) URL.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
