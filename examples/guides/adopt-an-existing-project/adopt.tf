variable "org_id" {
  type = string
}

variable "project_id" {
  type = string
}

# Every DB schema of the project, and every DB instance of each.
data "harness_dbops_db_schemas" "all" {
  org_id     = var.org_id
  project_id = var.project_id
}

data "harness_dbops_db_instances" "all" {
  for_each   = toset(data.harness_dbops_db_schemas.all.schemas[*].identifier)
  org_id     = var.org_id
  project_id = var.project_id
  schema     = each.key
}

locals {
  schemas = { for s in data.harness_dbops_db_schemas.all.schemas : s.identifier => s }
  instances = merge([
    for schema, found in data.harness_dbops_db_instances.all :
    { for i in found.instances : "${schema}/${i.identifier}" => i }
  ]...)
}

# One import block for all schemas, one for all instances.
import {
  for_each = local.schemas
  to       = harness_dbops_db_schema.this[each.key]
  id       = each.value.id
}

import {
  for_each = local.instances
  to       = harness_dbops_db_instance.this[each.key]
  id       = each.value.id
}

# Each resource is configured as Harness holds it, so the plan changes nothing.
resource "harness_dbops_db_schema" "this" {
  for_each         = local.schemas
  org_id           = each.value.org_id
  project_id       = each.value.project_id
  identifier       = each.value.identifier
  name             = each.value.name
  tags             = each.value.tags
  service          = each.value.service
  migration_type   = each.value.migration_type
  use_percona      = each.value.use_percona
  schema_source    = each.value.schema_source
  changelog_script = each.value.changelog_script
}

resource "harness_dbops_db_instance" "this" {
  for_each              = local.instances
  org_id                = each.value.org_id
  project_id            = each.value.project_id
  schema                = harness_dbops_db_schema.this[each.value.schema].identifier
  identifier            = each.value.identifier
  name                  = each.value.name
  tags                  = each.value.tags
  connector             = each.value.connector
  context               = each.value.context
  substitute_properties = each.value.substitute_properties
  branch                = each.value.branch
  commit_sha            = each.value.commit_sha
  git_tag               = each.value.git_tag
}
