# A DB instance is imported by org_id/project_id/schema/identifier.
terraform import harness_dbops_db_instance.orders_prod default/default_project/orders/orders_prod
