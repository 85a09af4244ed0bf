variable "release" {
  description = "The Liquibase tag of the release this configuration rolls out."
  type        = string
  default     = "v2"
}

# Production's own history: no changeset may have failed there.
data "harness_dbops_migration_state" "orders_prod" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"
  instance   = "orders_prod"

  lifecycle {
    postcondition {
      condition     = self.status_counts["Deployment_Failed"] == 0
      error_message = "Changesets failed on orders_prod: ${join(", ", [for c in self.changesets : c.fqn if c.status == "Deployment_Failed"])}. Fix or roll them back before the release."
    }
  }
}

# Every database of the schema, side by side.
data "harness_dbops_schema_migration_state" "orders" {
  org_id     = "default"
  project_id = "default_project"
  schema     = "orders"

  lifecycle {
    # Production may not run a changeset that staging has not run.
    postcondition {
      condition     = length(setsubtract(self.instances["orders_prod"].deployed_changesets, self.instances["orders_staging"].deployed_changesets)) == 0
      error_message = "orders_prod is ahead of orders_staging: ${join(", ", setsubtract(self.instances["orders_prod"].deployed_changesets, self.instances["orders_staging"].deployed_changesets))}."
    }
    # The release's tag reached every database.
    postcondition {
      condition     = length(setsubtract(keys(self.instances), lookup(self.tag_instances, var.release, []))) == 0
      error_message = "Release ${var.release} has not reached ${join(", ", sort(setsubtract(keys(self.instances), lookup(self.tag_instances, var.release, []))))}."
    }
  }
}

# What the gate guards: the application's rollout (a helm_release, a Harness service,
# anything). It waits for the gate, so a failed gate stops the plan before it.
resource "terraform_data" "rollout" {
  input      = var.release
  depends_on = [data.harness_dbops_migration_state.orders_prod, data.harness_dbops_schema_migration_state.orders]
}
