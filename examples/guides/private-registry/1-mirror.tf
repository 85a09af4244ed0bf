data "harness_dbops_default_images" "current" {}

locals {
  mirror = "registry.example.com/harness-mirror"
}

# Every image Harness runs now, under the mirror.
resource "harness_dbops_image_config" "mirror" {
  images = {
    for field, image in data.harness_dbops_default_images.current.images :
    field => provider::harness::rehost_image(image, local.mirror)
  }
}

# What to copy into the mirror, from where to where.
output "to_copy" {
  value = distinct([
    for field, image in data.harness_dbops_default_images.current.images :
    { from = image, to = provider::harness::rehost_image(image, local.mirror) }
  ])
}
