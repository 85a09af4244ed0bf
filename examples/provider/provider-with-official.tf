# This provider and the official Harness provider share the type name "harness".
# Give each its own local name and pick one per resource with the provider meta-argument.
terraform {
  required_providers {
    harness = {
      source = "harness/harness"
    }
    harnessdbops = {
      source = "dbdevops/harness"
    }
  }
}

provider "harness" {
  endpoint = "https://app.harness.io/gateway"
}

provider "harnessdbops" {
  endpoint = "https://app.harness.io/gateway"
}

data "harness_dbops_default_images" "current" {
  provider = harnessdbops
}
