# A check only warns: the plan goes on, and so does the apply.
check "orders_prod_has_the_release" {
  data "harness_dbops_migration_state" "orders_prod" {
    org_id     = "default"
    project_id = "default_project"
    schema     = "orders"
    instance   = "orders_prod"
  }
  assert {
    condition     = data.harness_dbops_migration_state.orders_prod.latest_deployed_tag == "v2"
    error_message = "orders_prod's latest deployed tag is ${coalesce(data.harness_dbops_migration_state.orders_prod.latest_deployed_tag, "none")}, not v2."
  }
}
