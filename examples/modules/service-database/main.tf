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

# Harness answers 404 for a project that does not exist (a typo in project_id) and 403
# for an API key that may not read it. Reading the project here says so in every plan,
# before anything is created; and terraform test can expect this check to fail
# (expect_failures), which it cannot do for the provider's error at apply.
check "project_exists" {
  data "harness_dbops_db_schemas" "project" {
    org_id      = var.org_id
    project_id  = var.project_id
    search_term = var.service # one page, whatever the project holds
  }
  assert {
    # A failed read fails the check whatever this says; a read that works passes it.
    condition     = data.harness_dbops_db_schemas.project.schemas != null
    error_message = "Project ${var.org_id}/${var.project_id} cannot be read in Harness: see the warning above."
  }
}
