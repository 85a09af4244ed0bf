# Reads back what Harness holds, for the tests' assertions.
variable "org_id" { type = string }
variable "project_id" { type = string }
variable "service" { type = string }

terraform {
  required_providers {
    harness = { source = "dbdevops/harness" }
  }
}

data "harness_dbops_db_schemas" "project" {
  org_id     = var.org_id
  project_id = var.project_id
}

data "harness_dbops_db_instances" "service" {
  org_id     = var.org_id
  project_id = var.project_id
  schema     = var.service
}

output "schema_ids" {
  value = sort([for s in data.harness_dbops_db_schemas.project.schemas : s.identifier])
}

output "branches" {
  value = { for i in data.harness_dbops_db_instances.service.instances : i.identifier => i.branch }
}
