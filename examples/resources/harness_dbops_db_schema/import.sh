# A DB schema is imported by org_id/project_id/identifier.
terraform import harness_dbops_db_schema.orders default/default_project/orders
