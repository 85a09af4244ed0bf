# The CI images every containerised stage of the account pulls on Kubernetes (K8),
# DB DevOps stages included: the lite engine, the add-on and git clone, from a mirror.
# This changes what EVERY CI stage of the account runs, not only DB DevOps stages.
resource "harness_ci_image_config" "k8" {
  infra = "K8"
  images = {
    liteEngineTag = "registry.example.com/mirror/harness/ci-lite-engine:1.16.92"
    addonTag      = "registry.example.com/mirror/harness/ci-addon:1.16.92"
    gitCloneTag   = "registry.example.com/mirror/harness/drone-git:1.6.9-rootless"
  }
}
