terraform {
  required_providers {
    # Kept for the apply that moves: the state names it until then.
    harness = {
      source = "harness/harness"
    }
    harnessdbops = {
      source = "dbdevops/harness"
    }
  }
}

provider "harness" {}

provider "harnessdbops" {}

# Was: resource "harness_platform_db_schema" "orders" { ... tags = ["team:payments"] ... }
resource "harness_dbops_db_schema" "orders" {
  provider   = harnessdbops
  org_id     = "o1"
  project_id = "p1"
  identifier = "orders"
  name       = "Orders"
  tags       = { team = "payments" }
  schema_source = {
    connector = "account.github"
    repo      = "orders-db"
    location  = "db/changelog.yaml"
  }
}

moved {
  from = harness_platform_db_schema.orders
  to   = harness_dbops_db_schema.orders
}

resource "harness_dbops_db_instance" "prod" {
  provider   = harnessdbops
  org_id     = "o1"
  project_id = "p1"
  schema     = harness_dbops_db_schema.orders.identifier
  identifier = "prod"
  name       = "Prod"
  connector  = "account.pg"
  branch     = "main"
}

moved {
  from = harness_platform_db_instance.prod
  to   = harness_dbops_db_instance.prod
}
