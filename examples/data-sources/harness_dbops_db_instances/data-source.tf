# The production instances of the orders schema.
data "harness_dbops_db_instances" "orders_prod" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
  tags = {
    env = "prod"
  }
}

output "orders_prod_connectors" {
  value = { for i in data.harness_dbops_db_instances.orders_prod.instances : i.identifier => i.connector }
}
