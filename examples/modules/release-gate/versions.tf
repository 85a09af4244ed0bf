terraform {
  required_version = ">= 1.7"
  required_providers {
    harness = {
      source = "dbdevops/harness"
    }
  }
}
