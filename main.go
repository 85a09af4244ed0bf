package main

import (
	"flag"
	"log"
	"os"

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
	err := provider.Serve(registryAddress, version, debug, os.Environ())
	afterServe()
	if err != nil {
		log.Fatal(err)
	}
}

// afterServe runs when Terraform has stopped the provider; a build with -tags profile
// (main_profile.go) sets it.
var afterServe = func() {}
