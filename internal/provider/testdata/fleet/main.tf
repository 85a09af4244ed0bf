# A fleet: var.schemas DB schemas with var.instances_per_schema DB instances each, and
# the image overrides in var.images (attribute name => image). The fault-injection and
# concurrency tests apply it against the mock. Every name and tag carries var.generation,
# so applying the next generation updates every entity.

variable "endpoint" {
  type = string
}

variable "account_id" {
  type = string
}

variable "api_key" {
  type      = string
  sensitive = true
}

variable "max_retries" {
  type    = number
  default = 6
}

variable "request_timeout" {
  type    = string
  default = "10s"
}

variable "retry_wait_min" {
  type    = string
  default = "10ms"
}

variable "retry_wait_max" {
  type    = string
  default = "200ms"
}

variable "schemas" {
  type = number
}

variable "instances_per_schema" {
  type = number
}

variable "generation" {
  type    = number
  default = 1
}

variable "images" {
  type    = map(string)
  default = {}
}

provider "harness" {
  endpoint        = var.endpoint
  account_id      = var.account_id
  api_key         = var.api_key
  max_retries     = var.max_retries
  request_timeout = var.request_timeout
  retry_wait_min  = var.retry_wait_min
  retry_wait_max  = var.retry_wait_max
}

resource "harness_dbops_db_schema" "fleet" {
  count = var.schemas

  org_id     = "default"
  project_id = "fleet"
  identifier = "schema_${count.index}"
  name       = "Schema ${count.index} (generation ${var.generation})"
  tags       = { generation = tostring(var.generation) }
  schema_source = {
    connector = "github"
    location  = "db/schema_${count.index}/changelog.yaml"
  }
}

# Instance count.index is db<schema>_<n>, schema-major: fewer schemas drop the last
# instances and leave the identifiers of the others as they are. (plugin-testing's state
# checks do not support for_each.)
resource "harness_dbops_db_instance" "fleet" {
  count = var.schemas * var.instances_per_schema

  org_id     = "default"
  project_id = "fleet"
  schema     = harness_dbops_db_schema.fleet[floor(count.index / var.instances_per_schema)].identifier
  identifier = "db${floor(count.index / var.instances_per_schema)}_${count.index % var.instances_per_schema}"
  name       = "Instance db${floor(count.index / var.instances_per_schema)}_${count.index % var.instances_per_schema} (generation ${var.generation})"
  connector  = "jdbc_${count.index % var.instances_per_schema % 3}"
  branch     = "release_${var.generation}"
  tags       = { generation = tostring(var.generation) }
  substitute_properties = {
    db_name = "db${floor(count.index / var.instances_per_schema)}_${count.index % var.instances_per_schema}"
  }
}

resource "harness_dbops_image_config" "fleet" {
  count = length(var.images) > 0 ? 1 : 0

  default_tag   = lookup(var.images, "default_tag", null)
  git_clone_tag = lookup(var.images, "git_clone_tag", null)
  mongo_tag     = lookup(var.images, "mongo_tag", null)
  oracle_tag    = lookup(var.images, "oracle_tag", null)
  snowflake_tag = lookup(var.images, "snowflake_tag", null)
}
