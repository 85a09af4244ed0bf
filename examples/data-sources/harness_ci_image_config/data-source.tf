# The CI images stages on Kubernetes pull now: the defaults merged with the overrides.
data "harness_ci_image_config" "k8" {
  infra = "K8"
}

output "lite_engine_in_use" {
  value = data.harness_ci_image_config.k8.images["liteEngineTag"]
}

output "ci_overrides" {
  value = data.harness_ci_image_config.k8.overrides
}
