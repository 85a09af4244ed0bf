data "harness_dbops_migration_state" "orders_prod" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
  instance   = "orders_prod"

  # A release gate: the plan fails while a changeset has failed on production.
  lifecycle {
    postcondition {
      condition     = self.status_counts["Deployment_Failed"] == 0
      error_message = "A changeset failed on orders_prod: fix or roll it back first."
    }
  }
}

output "orders_prod_release" {
  value = data.harness_dbops_migration_state.orders_prod.latest_deployed_tag
}
