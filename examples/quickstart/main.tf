# The quickstart that `make demo` runs against the in-repo mock. Point it at a real
# account with HARNESS_ENDPOINT, HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY.
terraform {
  required_providers {
    harness = {
      source = "dbdevops/harness"
    }
  }
}

provider "harness" {}

data "harness_dbops_default_images" "defaults" {}

output "default_liquibase_image" {
  value = data.harness_dbops_default_images.defaults.default_tag
}

output "default_git_clone_image" {
  value = data.harness_dbops_default_images.defaults.git_clone_tag
}
