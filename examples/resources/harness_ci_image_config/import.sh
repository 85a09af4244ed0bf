# Manage the listed fields of the K8 config, reading their current overrides:
terraform import harness_ci_image_config.k8 K8:liteEngineTag,addonTag,gitCloneTag

# Own the whole K8 config (exclusive = true), managing every field that has an override now:
terraform import harness_ci_image_config.k8 K8:exclusive

# Manage every field of the VM config that has an override now:
terraform import harness_ci_image_config.vm VM
