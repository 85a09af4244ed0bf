# Every Flyway schema of the project whose identifier or name contains "billing".
data "harness_dbops_db_schemas" "billing" {
  org_id         = "default"
  project_id     = "default_project"
  search_term    = "billing"
  migration_type = "Flyway"
}

output "billing_schema_ids" {
  value = [for s in data.harness_dbops_db_schemas.billing.schemas : s.identifier]
}
