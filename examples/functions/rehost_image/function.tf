# The same image, pulled from a private mirror: the repository path, the tag and the
# digest are kept.
output "mirrored" {
  value = provider::harness::rehost_image("plugins/drone-liquibase:1.18.0-4.33", "registry.example.com/harness-mirror")
  # "registry.example.com/harness-mirror/plugins/drone-liquibase:1.18.0-4.33"
}
