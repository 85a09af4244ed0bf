# Runs against harness-dbops-mock started with -seed tests/seed.yaml (. tests/mock.sh);
# the pipeline runs are recorded through the mock's hook by tests/ui, with curl. See the
# guide "Release gates on migration state".

variables {
  org_id     = "default"
  project_id = "payments"
  schema     = "ledger"
  promotion  = ["ledger_staging", "ledger_prod"]
  release    = "v2"
}

# Release v2 failed on staging: the gate stops the plan...
run "a_failed_changeset_stops_the_release" {
  command         = plan
  expect_failures = [data.harness_dbops_schema_migration_state.this]
}

# ... and the failure alone stops it: v1 is everywhere, the failed v2 still blocks.
run "a_failed_changeset_stops_even_a_release_that_is_everywhere" {
  command = plan
  variables {
    release = "v1"
  }
  expect_failures = [data.harness_dbops_schema_migration_state.this]
}

# The pipeline runs again on staging, and deploys v2 there...
run "staging_deploys_the_release" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "POST"
    path   = "/_mock/orgs/default/projects/payments/dbschema/ledger/instance/ledger_staging/changesets"
    body   = "[{\"changeSet\": \"add_fees\", \"author\": \"bob\", \"fileName\": \"ledger/changelog.yaml\", \"tag\": \"v2\", \"status\": \"Successfully_Deployed\", \"pipeline\": \"deploy_ledger\", \"planExecutionId\": \"run3\", \"stageExecutionId\": \"staging\"}]"
  }
}

# ... which is not enough: v2 has not reached production.
run "a_release_missing_on_production_stops_it" {
  command         = plan
  expect_failures = [data.harness_dbops_schema_migration_state.this]
}

run "production_deploys_the_release" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "POST"
    path   = "/_mock/orgs/default/projects/payments/dbschema/ledger/instance/ledger_prod/changesets"
    body   = "[{\"changeSet\": \"add_fees\", \"author\": \"bob\", \"fileName\": \"ledger/changelog.yaml\", \"tag\": \"v2\", \"status\": \"Successfully_Deployed\", \"pipeline\": \"deploy_ledger\", \"planExecutionId\": \"run4\", \"stageExecutionId\": \"prod\"}]"
  }
}

# Both databases have v2: the gate passes.
run "the_release_passes_the_gate" {
  command = plan
  assert {
    condition     = output.behind == { ledger_staging = 0, ledger_prod = 0 }
    error_message = "behind: ${jsonencode(output.behind)}"
  }
  assert {
    condition     = output.latest_changeset == "ledger/changelog.yaml::add_fees::bob"
    error_message = "latest_changeset: ${output.latest_changeset}"
  }
}

# A hotfix goes to production alone...
run "a_hotfix_reaches_production_only" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "POST"
    path   = "/_mock/orgs/default/projects/payments/dbschema/ledger/instance/ledger_prod/changesets"
    body   = "[{\"changeSet\": \"hotfix_fees\", \"author\": \"cat\", \"fileName\": \"ledger/changelog.yaml\", \"status\": \"Successfully_Deployed\", \"pipeline\": \"hotfix_ledger\", \"planExecutionId\": \"run5\", \"stageExecutionId\": \"prod\"}]"
  }
}

# ... and production ahead of staging stops the gate again.
run "production_ahead_of_staging_stops_it" {
  command         = plan
  expect_failures = [data.harness_dbops_schema_migration_state.this]
}
