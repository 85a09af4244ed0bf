package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// apiSubsystem is the tflog subsystem of the API client; its lines carry the module
// "harness.harness_api" (the provider's name, then the subsystem).
const apiSubsystem = "harness_api"

// apiLogger connects the client's log hook to tflog. The key is masked in messages and
// field values too, in case some text ever carries it.
func apiLogger(apiKey string) client.Logger {
	return func(ctx context.Context, level client.Level, msg string, fields map[string]any) {
		ctx = tflog.NewSubsystem(ctx, apiSubsystem)
		if apiKey != "" {
			ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, apiSubsystem, apiKey)
			ctx = tflog.SubsystemMaskMessageStrings(ctx, apiSubsystem, apiKey)
		}
		switch level {
		case client.LevelTrace:
			tflog.SubsystemTrace(ctx, apiSubsystem, msg, fields)
		case client.LevelWarn:
			tflog.SubsystemWarn(ctx, apiSubsystem, msg, fields)
		default:
			tflog.SubsystemDebug(ctx, apiSubsystem, msg, fields)
		}
	}
}
