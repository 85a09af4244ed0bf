data "harness_dbops_db_instance" "orders_prod" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
  identifier = "orders_prod"
}

# What the last pipeline run deployed to this database.
output "orders_prod_last_deployed" {
  value = data.harness_dbops_db_instance.orders_prod.last_deployed_change_set_tag
}
