# A DB instance is imported by org_id/project_id/schema/identifier.
import {
  to = harness_dbops_db_instance.orders_prod
  id = "default/default_project/orders/orders_prod"
}
