locals {
  mirror = "registry.example.com/harness-mirror"

  # The images this account runs, at the versions copied into the mirror and reviewed.
  # To upgrade one, copy the new version into the mirror and change its line here.
  pinned = {
    artifactoryTag       = "plugins/download-artifactory:1.0.0"
    bigQueryTag          = "plugins/drone-liquibase:1.18.0-4.33-bigquery"
    bigtableTag          = "plugins/drone-liquibase:1.18.0-4.33-bigtable"
    cloudSqlTag          = "plugins/drone-liquibase:1.18.0-4.33-cloudsql"
    db2Tag               = "plugins/drone-liquibase:1.18.0-4.33-db2"
    defaultTag           = "plugins/drone-liquibase:1.18.0-4.33"
    flywayDefaultTag     = "plugins/drone-flyway:1.2.0-11.8"
    flywayMongoTag       = "plugins/drone-flyway:1.2.0-11.8-mongo"
    flywaySpannerPsqlTag = "plugins/drone-flyway:1.2.0-11.8-spanner-psql"
    flywaySpannerTag     = "plugins/drone-flyway:1.2.0-11.8-spanner"
    gitCloneTag          = "harness/drone-git:1.6.4-rootless"
    mongoTag             = "plugins/drone-liquibase:1.18.0-4.33-mongo"
    oracleTag            = "plugins/drone-liquibase:1.18.0-4.33-oracle"
    perconaTag           = "plugins/drone-liquibase:1.18.0-4.33-percona"
    rdsTag               = "plugins/drone-liquibase:1.18.0-4.33-rds"
    snowflakeTag         = "plugins/drone-liquibase:1.18.0-4.33-snowflake"
    spannerTag           = "plugins/drone-liquibase:1.18.0-4.33-spanner"
  }

  # The CI images of DB DevOps stages on Kubernetes, pinned the same way.
  ci_pinned = {
    liteEngineTag         = "harness/ci-lite-engine:1.16.92"
    addonTag              = "harness/ci-addon:1.16.92"
    liteEngineTagRootless = "harness/ci-lite-engine:rootless-1.16.92"
    addonTagRootless      = "harness/ci-addon:rootless-1.16.92"
    gitCloneTag           = "harness/drone-git:1.6.9-rootless"
  }
}

resource "harness_dbops_image_config" "mirror" {
  images = {
    for field, image in local.pinned :
    field => provider::harness::rehost_image(image, local.mirror)
  }
}

resource "harness_ci_image_config" "mirror" {
  infra = "K8"
  images = {
    for field, image in local.ci_pinned :
    field => provider::harness::rehost_image(image, local.mirror)
  }
}

# What the mirror must hold, from where to where.
output "to_copy" {
  value = distinct([
    for image in concat(values(local.pinned), values(local.ci_pinned)) :
    { from = image, to = provider::harness::rehost_image(image, local.mirror) }
  ])
}
