module github.com/dbdevops/terraform-provider-harness/scripts/bench

go 1.26.0
