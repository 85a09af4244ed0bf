data "harness_dbops_schema_migration_state" "orders" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
}

# How many changesets each database lacks that another database of the schema has.
output "orders_behind" {
  value = { for id, instance in data.harness_dbops_schema_migration_state.orders.instances : id => instance.behind }
}
