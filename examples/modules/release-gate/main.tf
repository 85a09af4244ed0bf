# A release gate: the plan fails, so nothing that depends on this module is applied,
# until the release has reached every database of the promotion, in its order, with no
# failed changeset. A postcondition may read only the data source itself (self).
data "harness_dbops_schema_migration_state" "this" {
  org_id     = var.org_id
  project_id = var.project_id
  schema     = var.schema

  lifecycle {
    postcondition {
      condition     = length(setsubtract(var.promotion, keys(self.instances))) == 0
      error_message = "Schema ${var.schema} has no instance ${join(", ", setsubtract(var.promotion, keys(self.instances)))}."
    }
    postcondition {
      condition     = alltrue([for id in var.promotion : try(self.instances[id].status_counts["Deployment_Failed"] == 0, true)])
      error_message = "Changesets failed on ${join(", ", [for id in var.promotion : id if try(self.instances[id].status_counts["Deployment_Failed"] > 0, false)])}: fix or roll them back first."
    }
    # Each database may run only what the one before it in the promotion runs.
    postcondition {
      condition = alltrue([for i, id in var.promotion : i == 0 || try(length(setsubtract(
      self.instances[id].deployed_changesets, self.instances[var.promotion[i - 1]].deployed_changesets)) == 0, true)])
      error_message = "A database runs changesets the one before it has not, along ${join(" -> ", var.promotion)}: ${jsonencode({ for id in var.promotion : id => try(self.instances[id].deployed_changesets, []) })}."
    }
    postcondition {
      condition     = length(setsubtract(var.promotion, lookup(self.tag_instances, var.release, []))) == 0
      error_message = "Release ${var.release} has not reached ${join(", ", sort(setsubtract(var.promotion, lookup(self.tag_instances, var.release, []))))}."
    }
  }
}
