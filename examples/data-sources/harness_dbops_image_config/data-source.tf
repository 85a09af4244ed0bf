# What pipelines run now: defaults merged with the account's overrides.
data "harness_dbops_image_config" "effective" {}

output "liquibase_image_in_use" {
  value = data.harness_dbops_image_config.effective.default_tag
}

output "account_overrides" {
  value = data.harness_dbops_image_config.effective.overrides
}
