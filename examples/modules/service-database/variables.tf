variable "org_id" {
  type        = string
  description = "The Harness organization."
}

variable "project_id" {
  type        = string
  description = "The Harness project."
}

variable "service" {
  type        = string
  description = "The service whose database this is; the DB schema's identifier."
}

variable "changelog" {
  type = object({
    connector = string
    location  = string
  })
  description = "Where the service's Liquibase changelog lives: a Git connector and a path."
}

variable "environments" {
  type = map(object({
    connector = string # the JDBC connector of the environment's database
    branch    = string # the changelog branch deployed there
  }))
  description = "One DB instance per environment, keyed by environment name."
  validation {
    condition     = alltrue([for env in keys(var.environments) : can(regex("^[a-z][a-z0-9_]*$", env))])
    error_message = "Environment names are lower-case identifiers, such as dev or prod."
  }
}
