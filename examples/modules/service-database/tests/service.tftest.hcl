# Runs against harness-dbops-mock started with -seed tests/seed.yaml; the provider reads
# HARNESS_ENDPOINT, HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY, and the hooks module
# HARNESS_MOCK_URL. See the guide "Testing your modules against the mock".

variables {
  org_id     = "default"
  project_id = "payments"
  service    = "orders"
  changelog  = { connector = "github", location = "orders/changelog.yaml" }
  environments = {
    dev  = { connector = "orders_dev_jdbc", branch = "develop" }
    prod = { connector = "orders_prod_jdbc", branch = "main" }
  }
}

# A typo in project_id: Harness answers 404 for a project that does not exist, and so
# does the mock, whose seed lists the projects of org default. The module's check says
# so in the plan, before anything is created. (A provider error, such as the 404 of the
# schema's create at apply, fails a run whatever expect_failures lists: expect a check.)
run "a_typo_in_project_id_fails_the_check" {
  command = plan
  variables {
    project_id = "paymnts"
  }
  expect_failures = [check.project_exists]
}

run "creates_the_schema_and_an_instance_per_environment" {
  assert {
    condition     = output.schema_id == "default/payments/orders"
    error_message = "schema_id is ${output.schema_id}"
  }
  assert {
    condition     = output.instance_ids == { dev = "default/payments/orders/orders_dev", prod = "default/payments/orders/orders_prod" }
    error_message = "instance_ids are ${jsonencode(output.instance_ids)}"
  }
  assert {
    condition     = harness_dbops_db_schema.this.instance_count == 0 && harness_dbops_db_schema.this.schema_source_type == "Git"
    error_message = "the schema as Harness created it: ${jsonencode(harness_dbops_db_schema.this)}"
  }
}

# What Harness holds now, read through the provider's data sources.
run "harness_holds_it_next_to_the_seeded_schema" {
  module {
    source = "./tests/read"
  }
  assert {
    condition     = output.schema_ids == tolist(["ledger", "orders"])
    error_message = "the project's schemas are ${jsonencode(output.schema_ids)}"
  }
  assert {
    condition     = output.branches == { orders_dev = "develop", orders_prod = "main" }
    error_message = "the instances' branches are ${jsonencode(output.branches)}"
  }
}

# Someone points the dev instance at another branch in the Harness UI...
run "someone_changes_the_branch_in_the_ui" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "PATCH"
    path   = "/_mock/orgs/default/projects/payments/dbschema/orders/instance/orders_dev"
    body   = "{\"branch\": \"hotfix\"}"
  }
}

# ... and a plan sees it: a refresh-only plan holds what Harness has now.
run "a_plan_catches_the_drift" {
  command = plan
  plan_options {
    mode = refresh-only
  }
  assert {
    condition     = harness_dbops_db_instance.env["dev"].branch == "hotfix"
    error_message = "the refreshed branch is ${harness_dbops_db_instance.env["dev"].branch}"
  }
}

# The next update answers 503 once, as Harness does under load...
run "harness_fails_the_next_update" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "POST"
    path   = "/_mock/faults"
    body   = "{\"route\": \"PUT /v1/orgs/{org}/projects/{project}/dbschema/{dbschema}/instance/{dbinstance}\", \"status\": 503, \"times\": 1}"
  }
}

# ... and the apply still converges: the provider retries, and the drift is repaired.
run "apply_repairs_the_drift_despite_the_503" {
  assert {
    condition     = harness_dbops_db_instance.env["dev"].branch == "develop"
    error_message = "the branch after the repair is ${harness_dbops_db_instance.env["dev"].branch}"
  }
}

run "the_503_was_answered" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "GET"
    path   = "/_mock/requests"
    expect = "\"status\":503"
  }
}

run "harness_holds_the_repair" {
  module {
    source = "./tests/read"
  }
  assert {
    condition     = output.branches["orders_dev"] == "develop"
    error_message = "Harness holds branch ${output.branches["orders_dev"]}"
  }
}

# An API key that may not read the project: Harness answers 403 (here once, armed
# through the mock), and the same check catches it in the plan.
run "harness_refuses_the_key" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "POST"
    path   = "/_mock/faults"
    body   = "{\"route\": \"GET /v1/orgs/{org}/projects/{project}/dbschema\", \"status\": 403, \"message\": \"not allowed to view project payments\", \"times\": 1}"
  }
}

run "a_403_fails_the_check" {
  command         = plan
  expect_failures = [check.project_exists]
}

run "the_403_was_answered" {
  module {
    source = "./tests/ui"
  }
  variables {
    method = "GET"
    path   = "/_mock/requests"
    expect = "\"status\":403"
  }
}
