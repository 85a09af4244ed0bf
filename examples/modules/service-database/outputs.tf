output "schema_id" {
  description = "The DB schema's ID: org/project/schema."
  value       = harness_dbops_db_schema.this.id
}

output "instance_ids" {
  description = "Each environment's DB instance ID: org/project/schema/instance."
  value       = { for env, in in harness_dbops_db_instance.env : env => in.id }
}
