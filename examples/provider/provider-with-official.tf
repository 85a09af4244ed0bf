# This provider and the official Harness provider share the type name "harness", which
# is also the local name Terraform gives each by default. Keep "harness" for the
# official provider and give this one another local name: this provider's resources
# and data sources then name it in the provider meta-argument, and its functions are
# called by it (provider::harnessdbops::..., not provider::harness::..., which would
# look the function up in the official provider). Both providers read
# HARNESS_ACCOUNT_ID, HARNESS_PLATFORM_API_KEY and HARNESS_ENDPOINT.
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

provider "harness" {}

provider "harnessdbops" {
  max_retries = 4
}

data "harness_dbops_default_images" "current" {
  provider = harnessdbops
}

# Every image Harness runs, under a private registry (the private-registry guide).
resource "harness_dbops_image_config" "mirror" {
  provider = harnessdbops
  images = {
    for field, image in data.harness_dbops_default_images.current.images :
    field => provider::harnessdbops::rehost_image(image, "registry.example.com/harness-mirror")
  }
}
