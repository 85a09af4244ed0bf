data "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "orders"
}

output "orders_changelog_location" {
  value = data.harness_dbops_db_schema.orders.schema_source.location
}
