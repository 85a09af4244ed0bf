# A DB schema is imported by org_id/project_id/identifier.
import {
  to = harness_dbops_db_schema.orders
  id = "default/default_project/orders"
}
