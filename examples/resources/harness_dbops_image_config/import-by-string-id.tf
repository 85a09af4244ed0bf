import {
  to = harness_dbops_image_config.pinned
  id = "default_tag,git_clone_tag"
}
