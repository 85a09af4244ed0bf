# Run every pipeline image from a private mirror (air-gapped accounts, or to avoid
# Docker Hub rate limits), in one expression: every Harness default, fields added after
# this provider's release included, under the mirror's prefix. Copy the images into the
# mirror first; the guide "Running DB DevOps from a private registry" shows how to pin
# them and upgrade through reviewed plans.
data "harness_dbops_default_images" "current" {}

locals {
  mirror = "registry.example.com/harness-mirror"
}

resource "harness_dbops_image_config" "mirror" {
  images = {
    for field, image in data.harness_dbops_default_images.current.images :
    field => provider::harness::rehost_image(image, local.mirror)
  }
}
