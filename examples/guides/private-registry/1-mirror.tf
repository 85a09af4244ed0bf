data "harness_dbops_default_images" "current" {}
data "harness_ci_default_images" "k8" {}

locals {
  mirror = "registry.example.com/harness-mirror"

  # The CI images a DB DevOps stage on Kubernetes pulls besides its own: the lite
  # engine and the add-on that run every containerised stage, their rootless variants,
  # and git clone. They are fields of Harness CI's execution config, not of DB DevOps's.
  ci_fields = ["liteEngineTag", "addonTag", "liteEngineTagRootless", "addonTagRootless", "gitCloneTag"]
  ci_images = { for field in local.ci_fields : field => data.harness_ci_default_images.k8.images[field] }
}

# Every image DB DevOps runs now, under the mirror.
resource "harness_dbops_image_config" "mirror" {
  images = {
    for field, image in data.harness_dbops_default_images.current.images :
    field => provider::harness::rehost_image(image, local.mirror)
  }
}

# The CI images DB DevOps stages pull, under the mirror. This config applies to every
# CI stage of the account on Kubernetes, not only DB DevOps stages.
resource "harness_ci_image_config" "mirror" {
  infra = "K8"
  images = {
    for field, image in local.ci_images :
    field => provider::harness::rehost_image(image, local.mirror)
  }
}

# What to copy into the mirror, from where to where: both configs, each image once.
output "to_copy" {
  value = distinct([
    for image in concat(values(data.harness_dbops_default_images.current.images), values(local.ci_images)) :
    { from = image, to = provider::harness::rehost_image(image, local.mirror) }
  ])
}
