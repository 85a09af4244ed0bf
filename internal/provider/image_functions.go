package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dbdevops/terraform-provider-harness/internal/imageref"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

var (
	_ function.Function = parseImageFunction{}
	_ function.Function = rehostImageFunction{}
)

// imagePartsTypes is the object parse_image returns, and each element of the default
// images' versions.
var imagePartsTypes = map[string]attr.Type{
	"registry":        types.StringType,
	"repository":      types.StringType,
	"tag":             types.StringType,
	"digest":          types.StringType,
	"tool":            types.StringType,
	"harness_version": types.StringType,
	"tool_version":    types.StringType,
	"variant":         types.StringType,
}

// imagePartsObject is p as a Terraform object, null where a part is absent.
func imagePartsObject(p imageref.Parts) types.Object {
	return types.ObjectValueMust(imagePartsTypes, map[string]attr.Value{
		"registry":        tfkit.OptionalString(p.Registry),
		"repository":      tfkit.OptionalString(p.Repository),
		"tag":             tfkit.OptionalString(p.Tag),
		"digest":          tfkit.OptionalString(p.Digest),
		"tool":            tfkit.OptionalString(p.Tool),
		"harness_version": tfkit.OptionalString(p.HarnessVersion),
		"tool_version":    tfkit.OptionalString(p.ToolVersion),
		"variant":         tfkit.OptionalString(p.Variant),
	})
}

const imagePartsDoc = "`registry` (the host, `docker.io` when the reference names none), `repository` (the path after " +
	"the registry, normalized: `library/alpine` for `alpine`), `tag` and `digest`; and, for the images Harness publishes " +
	"for DB DevOps (`drone-liquibase`, `drone-flyway`, `drone-git`, `download-artifactory`) and the CI images its " +
	"stages pull (`ci-lite-engine`, `ci-addon`), under any registry, read from a tag such as `1.18.0-4.33-mongo` or " +
	"`rootless-1.16.92`: `tool` (`liquibase` or `flyway`), `harness_version` (`1.18.0`), `tool_version` (`4.33`) and " +
	"`variant` (`mongo`, `rootless`). A part that is absent is null."

// parseImageFunction is provider::harness::parse_image(ref).
type parseImageFunction struct{}

func newParseImageFunction() function.Function { return parseImageFunction{} }

func (parseImageFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_image"
}

func (parseImageFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:             "Takes a container image reference apart",
		MarkdownDescription: "Returns the parts of an image reference: " + imagePartsDoc + " A value that is not an image reference is an error.",
		Parameters: []function.Parameter{function.StringParameter{
			Name:                "ref",
			MarkdownDescription: "An image reference, such as `plugins/drone-liquibase:1.18.0-4.33-mongo` or `registry.example.com/mirror/app@sha256:...`.",
		}},
		Return: function.ObjectReturn{AttributeTypes: imagePartsTypes},
	}
}

func (parseImageFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var ref string
	if resp.Error = req.Arguments.Get(ctx, &ref); resp.Error != nil {
		return
	}
	p, err := imageref.Parse(ref)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, imagePartsObject(p))
}

// rehostImageFunction is provider::harness::rehost_image(ref, registry).
type rehostImageFunction struct{}

func newRehostImageFunction() function.Function { return rehostImageFunction{} }

func (rehostImageFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "rehost_image"
}

func (rehostImageFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Moves a container image reference under another registry",
		MarkdownDescription: "Returns `ref` under `registry`: the registry (with its path prefix, if any), then the " +
			"repository path of `ref` after its own registry, then its tag and digest, unchanged. " +
			"`rehost_image(\"plugins/drone-liquibase:1.18.0-4.33\", \"registry.example.com/mirror\")` is " +
			"`registry.example.com/mirror/plugins/drone-liquibase:1.18.0-4.33`. Docker Hub's official images keep " +
			"their `library/` path (`alpine:3` becomes `registry.example.com/mirror/library/alpine:3`), as registry " +
			"mirrors and pull-through caches store them. A reference already under `registry` is returned unchanged, " +
			"so applying the function twice changes nothing.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "ref",
				MarkdownDescription: "The image reference to move, such as `plugins/drone-liquibase:1.18.0-4.33`.",
			},
			function.StringParameter{
				Name: "registry",
				MarkdownDescription: "The registry host, with an optional port and path prefix and no scheme, such as " +
					"`registry.example.com` or `registry.example.com:5000/mirror`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (rehostImageFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var ref, registry string
	if resp.Error = req.Arguments.Get(ctx, &ref, &registry); resp.Error != nil {
		return
	}
	out, err := imageref.Rehost(ref, registry)
	var bad imageref.ArgError
	switch {
	case errors.As(err, &bad):
		resp.Error = function.NewArgumentFuncError(bad.Arg, err.Error())
		return
	case err != nil:
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, out)
}
