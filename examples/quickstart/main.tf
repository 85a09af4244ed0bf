# The quickstart that `make demo` runs against the in-repo mock. To run it against a
# real account, set HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY (and HARNESS_ENDPOINT
# if you are not on app.harness.io), and use an org, project and connectors that exist.
terraform {
  required_providers {
    harness = {
      source = "dbdevops/harness"
    }
  }
}

provider "harness" {}

variable "org_id" {
  type    = string
  default = "default"
}

variable "project_id" {
  type    = string
  default = "default_project"
}

# Pipelines pull the Liquibase and git-clone images from a private mirror.
resource "harness_dbops_image_config" "mirror" {
  default_tag   = "registry.example.com/harness-mirror/drone-liquibase:1.18.0-4.33"
  git_clone_tag = "registry.example.com/harness-mirror/drone-git:1.6.4-rootless"
}

# Where the orders database's changelog lives.
resource "harness_dbops_db_schema" "orders" {
  org_id     = var.org_id
  project_id = var.project_id
  identifier = "orders"
  name       = "Orders"
  tags = {
    team = "payments"
  }

  schema_source = {
    connector = "account.github"
    repo      = "db-changelogs"
    location  = "orders/changelog.yaml"
  }
}

# The development database the changelog is applied to, from the main branch.
resource "harness_dbops_db_instance" "orders_dev" {
  org_id     = harness_dbops_db_schema.orders.org_id
  project_id = harness_dbops_db_schema.orders.project_id
  schema     = harness_dbops_db_schema.orders.identifier
  identifier = "orders_dev"
  name       = "Orders (dev)"
  connector  = "org.orders_dev_jdbc"
  branch     = "main"
  context    = "dev"

  # Replaced with its schema, which takes its instances with it in Harness.
  lifecycle {
    replace_triggered_by = [harness_dbops_db_schema.orders.created]
  }
}

output "liquibase_image" {
  value = harness_dbops_image_config.mirror.default_tag
}

output "schema_name" {
  value = harness_dbops_db_schema.orders.name
}
