# Run every pipeline image from a private mirror (air-gapped accounts, or to avoid
# Docker Hub rate limits). Digests pin the exact image bytes.
locals {
  mirror = "registry.example.com/harness-mirror"
}

resource "harness_dbops_image_config" "mirror" {
  artifactory_tag = "${local.mirror}/download-artifactory:1.0.0"
  default_tag     = "${local.mirror}/drone-liquibase:1.18.0-4.33"
  git_clone_tag   = "${local.mirror}/drone-git:1.6.4-rootless"
  mongo_tag       = "${local.mirror}/drone-liquibase:1.18.0-4.33-mongo"
  spanner_tag     = "${local.mirror}/drone-liquibase@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
}
