# The images Harness DB DevOps pipelines use when the account overrides nothing.
data "harness_dbops_default_images" "defaults" {}

output "liquibase_default_image" {
  value = data.harness_dbops_default_images.defaults.default_tag
}

# Every field the API returns, including ones newer than this provider.
output "all_default_images" {
  value = data.harness_dbops_default_images.defaults.images
}
