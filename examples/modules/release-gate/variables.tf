variable "org_id" {
  description = "The Harness organization of the schema."
  type        = string
}

variable "project_id" {
  description = "The Harness project of the schema."
  type        = string
}

variable "schema" {
  description = "The DB schema whose databases the release changes."
  type        = string
}

variable "promotion" {
  description = "The schema's instances in the order a release reaches them, such as [\"staging\", \"prod\"]: none may run a changeset that the one before it has not."
  type        = list(string)
  validation {
    condition     = length(var.promotion) > 0
    error_message = "List at least one instance."
  }
}

variable "release" {
  description = "The Liquibase tag of the release: it must be deployed on every instance of the promotion."
  type        = string
}
