# A service's database in Harness DB DevOps: its schema (where its changelog lives) and
# one instance per environment.
resource "harness_dbops_db_schema" "this" {
  org_id     = var.org_id
  project_id = var.project_id
  identifier = var.service
  name       = var.service
  tags       = { service = var.service }
  schema_source = {
    connector = var.changelog.connector
    location  = var.changelog.location
  }
}

resource "harness_dbops_db_instance" "env" {
  for_each   = var.environments
  org_id     = var.org_id
  project_id = var.project_id
  schema     = harness_dbops_db_schema.this.identifier
  identifier = "${var.service}_${each.key}"
  name       = "${var.service} (${each.key})"
  connector  = each.value.connector
  branch     = each.value.branch
  context    = each.key
  tags       = { service = var.service, env = each.key }

  # Harness deletes a schema's instances with it: replaced with the schema, they are
  # re-created by the same apply.
  lifecycle {
    replace_triggered_by = [harness_dbops_db_schema.this.created]
  }
}
