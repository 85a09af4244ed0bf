resource "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "orders"
  name       = "Orders"

  schema_source = {
    connector = "account.github"
    repo      = "db-changelogs"
    location  = "orders/changelog.yaml"
  }
}

# The production database of the orders schema, migrated from the main branch.
resource "harness_dbops_db_instance" "orders_prod" {
  org_id     = harness_dbops_db_schema.orders.org_id
  project_id = harness_dbops_db_schema.orders.project_id
  schema     = harness_dbops_db_schema.orders.identifier
  identifier = "orders_prod"
  name       = "Orders (production)"
  connector  = "org.orders_prod_jdbc"
  branch     = "main"
  context    = "prod"
  tags = {
    env = "prod"
  }

  substitute_properties = {
    DB_NAME = "orders"
  }

  # Harness deletes a schema's instances when it deletes the schema, which a change of
  # its identifier, migration_type, org_id or project_id does (a replacement): replace
  # the instance with its schema, so that the plan shows it and one apply re-creates it.
  lifecycle {
    replace_triggered_by = [harness_dbops_db_schema.orders.created]
  }
}
