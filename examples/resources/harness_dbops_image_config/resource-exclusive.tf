# Own the whole execution config: overrides made in the Harness UI on any other field
# show in the plan and are reset on apply; destroy removes every override.
resource "harness_dbops_image_config" "all" {
  exclusive   = true
  default_tag = "registry.example.com/harness-mirror/drone-liquibase:1.18.0-4.33"
}
