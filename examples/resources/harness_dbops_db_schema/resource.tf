# A Liquibase schema whose changelog lives in a Git repository reached through an
# account-level Git connector.
resource "harness_dbops_db_schema" "orders" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "orders"
  name       = "Orders"
  service    = "orders_service"
  tags = {
    team = "payments"
  }

  schema_source = {
    connector = "account.github"
    repo      = "db-changelogs"
    location  = "orders/changelog.yaml"
  }
}

# A Flyway schema kept in Harness Code Repository: omit the connector.
resource "harness_dbops_db_schema" "billing" {
  org_id         = "default"
  project_id     = "default_project"
  identifier     = "billing"
  name           = "Billing"
  migration_type = "Flyway"
  use_percona    = false

  schema_source = {
    repo     = "billing-migrations"
    location = "sql"
    toml     = "flyway.toml"
  }
}

# A schema whose changelog is fetched by a script running in a container.
resource "harness_dbops_db_schema" "inventory" {
  org_id     = "default"
  project_id = "default_project"
  identifier = "inventory"
  name       = "Inventory"

  changelog_script = {
    image    = "alpine/curl:8.11.1"
    shell    = "Sh"
    command  = "curl -fsSL -o changelog.yaml https://example.com/inventory/changelog.yaml"
    location = "changelog.yaml"
  }
}
