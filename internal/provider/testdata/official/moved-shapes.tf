# The objects of shapes.tfstate, as this provider configures them, moved from the
# official provider's resources.

resource "harness_dbops_db_schema" "git_liquibase" {
  provider   = harnessdbops
  org_id     = "o2"
  project_id = "p2"
  identifier = "git_liquibase"
  name       = "Git Liquibase"
  service    = "orders_svc"
  tags       = { team = "payments", solo = "" }
  schema_source = {
    connector = "account.github"
    repo      = "orders-db"
    location  = "db/changelog.yaml"
  }
}

resource "harness_dbops_db_schema" "flyway_toml" {
  provider       = harnessdbops
  org_id         = "o2"
  project_id     = "p2"
  identifier     = "flyway_toml"
  name           = "Flyway"
  migration_type = "Flyway"
  schema_source = {
    connector = "account.github"
    repo      = "orders-db"
    location  = "db/migrations"
    toml      = "flyway.toml"
  }
}

resource "harness_dbops_db_schema" "artifactory" {
  provider   = harnessdbops
  org_id     = "o2"
  project_id = "p2"
  identifier = "artifactory"
  name       = "Artifactory"
  schema_source = {
    connector    = "account.artifactory"
    location     = "db/changelog.yaml"
    archive_path = "releases/db.tar.gz"
  }
}

resource "harness_dbops_db_schema" "harness_code" {
  provider    = harnessdbops
  org_id      = "o2"
  project_id  = "p2"
  identifier  = "harness_code"
  name        = "Harness Code"
  use_percona = true
  schema_source = {
    repo     = "orders-db"
    location = "db/changelog.yaml"
  }
}

resource "harness_dbops_db_schema" "script" {
  provider   = harnessdbops
  org_id     = "o2"
  project_id = "p2"
  identifier = "script"
  name       = "Script"
  changelog_script = {
    image    = "alpine:3.20"
    command  = "cp -r db /harness/changelog"
    shell    = "sh"
    location = "db/changelog.yaml"
  }
}

resource "harness_dbops_db_instance" "branch" {
  provider              = harnessdbops
  org_id                = "o2"
  project_id            = "p2"
  schema                = harness_dbops_db_schema.git_liquibase.identifier
  identifier            = "branch"
  name                  = "Branch"
  connector             = "account.pg"
  branch                = "main"
  context               = "prod"
  tags                  = { env = "prod" }
  substitute_properties = { region = "eu-west-1" }
}

resource "harness_dbops_db_instance" "commit" {
  provider   = harnessdbops
  org_id     = "o2"
  project_id = "p2"
  schema     = harness_dbops_db_schema.git_liquibase.identifier
  identifier = "commit"
  name       = "Commit"
  connector  = "account.pg"
  commit_sha = "9fceb02d0ae598e95dc970b74767f19372d61af8"
}

resource "harness_dbops_db_instance" "tag" {
  provider   = harnessdbops
  org_id     = "o2"
  project_id = "p2"
  schema     = harness_dbops_db_schema.flyway_toml.identifier
  identifier = "tag"
  name       = "Tag"
  connector  = "account.pg"
  git_tag    = "v1.2.0"
}

moved {
  from = harness_platform_db_schema.git_liquibase
  to   = harness_dbops_db_schema.git_liquibase
}

moved {
  from = harness_platform_db_schema.flyway_toml
  to   = harness_dbops_db_schema.flyway_toml
}

moved {
  from = harness_platform_db_schema.artifactory
  to   = harness_dbops_db_schema.artifactory
}

moved {
  from = harness_platform_db_schema.harness_code
  to   = harness_dbops_db_schema.harness_code
}

moved {
  from = harness_platform_db_schema.script
  to   = harness_dbops_db_schema.script
}

moved {
  from = harness_platform_db_instance.branch
  to   = harness_dbops_db_instance.branch
}

moved {
  from = harness_platform_db_instance.commit
  to   = harness_dbops_db_instance.commit
}

moved {
  from = harness_platform_db_instance.tag
  to   = harness_dbops_db_instance.tag
}
