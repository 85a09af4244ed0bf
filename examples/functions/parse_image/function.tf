# Take an image reference apart: which Liquibase runs in the default image?
output "liquibase_version" {
  value = provider::harness::parse_image("plugins/drone-liquibase:1.18.0-4.33-mongo").tool_version # "4.33"
}

# Every part, null where absent.
output "parsed" {
  value = provider::harness::parse_image("registry.example.com/mirror/plugins/drone-flyway:1.2.0-11.8")
}
