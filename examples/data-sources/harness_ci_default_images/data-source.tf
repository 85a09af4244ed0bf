# The CI images Harness uses on Kubernetes when the account overrides nothing.
data "harness_ci_default_images" "k8" {}

output "lite_engine_default_image" {
  value = data.harness_ci_default_images.k8.images["liteEngineTag"]
}

# The version of the default add-on, read from its tag.
output "addon_default_version" {
  value = data.harness_ci_default_images.k8.parsed["addonTag"].harness_version
}
