# Manage the listed fields (attribute or API names), reading their current overrides:
terraform import harness_dbops_image_config.pinned default_tag,git_clone_tag

# Own the whole execution config (exclusive = true), managing every field that has an override now:
terraform import harness_dbops_image_config.all exclusive

# Manage every field that has an override now in the images map, fields newer than this provider included:
terraform import harness_dbops_image_config.mirror images
