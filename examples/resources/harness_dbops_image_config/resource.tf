# Pin the Liquibase and git-clone images to the versions your pipelines were validated
# with; every other field keeps the Harness default.
resource "harness_dbops_image_config" "pinned" {
  default_tag   = "plugins/drone-liquibase:1.17.0-4.33"
  git_clone_tag = "harness/drone-git:1.6.3-rootless"
}
