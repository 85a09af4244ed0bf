output "behind" {
  description = "By instance of the promotion: how many changesets another instance of the schema has deployed that it has not."
  value       = { for id in var.promotion : id => data.harness_dbops_schema_migration_state.this.instances[id].behind }
}

output "latest_changeset" {
  description = "The changeset deployed most recently on any instance of the schema."
  value       = data.harness_dbops_schema_migration_state.this.latest_changeset
}
