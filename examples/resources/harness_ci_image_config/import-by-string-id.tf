import {
  to = harness_ci_image_config.k8
  id = "K8:liteEngineTag,addonTag,gitCloneTag"
}
