package main

import (
	"flag"
	"log"
	"os"
	"strings"

	"github.com/dbdevops/terraform-provider-harness/internal/provider"
)

// version is set by the release build: -ldflags "-X main.version=1.2.3".
var version = "dev"

// registryAddress is where users' required_providers blocks find this provider.
const registryAddress = "registry.terraform.io/dbdevops/harness"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quiet := !debug && !terraformCollectsLogs()
	if quiet {
		silenceLoggers()
	}
	if err := provider.Serve(registryAddress, version, debug, quiet); err != nil {
		log.Fatal(err)
	}
}

// terraformCollectsLogs reports whether any TF_LOG* variable is set: only then does
// Terraform keep what a provider logs.
func terraformCollectsLogs() bool {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return true
		}
	}
	return false
}

// silenceLoggers turns the SDK's and the provider's loggers off. terraform-plugin-go logs
// at trace level by default and Terraform reads and parses every line only to drop it:
// at 1000 resources those unseen lines cost about a third of a plan (BENCHMARKS.md).
func silenceLoggers() {
	_ = os.Setenv("TF_LOG_SDK", "off")      // terraform-plugin-go and the framework
	_ = os.Setenv("TF_LOG_PROVIDER", "off") // tflog, the harness_api subsystem included
}
